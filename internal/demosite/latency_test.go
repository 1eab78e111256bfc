package demosite_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/titanscrape/titan/internal/demosite"
)

func TestLatencyIsAdded(t *testing.T) {
	const latency = 30 * time.Millisecond
	s := demosite.New(demosite.Config{Latency: latency})
	start := time.Now()
	mustGet(t, s, "/robots.txt")
	if elapsed := time.Since(start); elapsed < latency {
		t.Errorf("request took %v, want at least %v", elapsed, latency)
	}
}

// TestLatencyCancelled checks that a request cancelled during the added
// latency ends the handler at once, without a response; goleak in TestMain
// checks that nothing is left running.
func TestLatencyCancelled(t *testing.T) {
	s := demosite.New(demosite.Config{Latency: time.Hour})
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		s.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// Cancel once the handler is waiting.
	for s.Requests() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("client error = %v, want context.Canceled", err)
	}
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("handler still waiting 10s after the request was cancelled")
	}
	srv.Client().CloseIdleConnections()
}

// TestLatencyCancelledHandler checks the same directly on the handler: a
// request whose context is already done gets no response.
func TestLatencyCancelledHandler(t *testing.T) {
	s := demosite.New(demosite.Config{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
	if rec.Body.Len() != 0 || rec.Code != http.StatusOK || len(rec.Header()) != 0 {
		t.Errorf("cancelled request got status %d, header %v, %d body bytes; want nothing written", rec.Code, rec.Header(), rec.Body.Len())
	}
	if got := s.Requests(); got != 1 {
		t.Errorf("Requests() = %d, want 1", got)
	}
}

package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

// statusSequence answers with the given statuses in turn, then 200 "ok".
func statusSequence(statuses ...int) (http.Handler, *atomic.Int64) {
	var hits atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1))
		if n <= len(statuses) {
			if statuses[n-1] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			w.WriteHeader(statuses[n-1])
			fmt.Fprintf(w, "status %d", statuses[n-1])
			return
		}
		w.Write([]byte("ok"))
	}), &hits
}

func TestRetryAfter429(t *testing.T) {
	h, hits := statusSequence(http.StatusTooManyRequests)
	srv := newServer(t, h)
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	resp := mustGet(t, s, srv.URL)
	if string(resp.Body) != "ok" || resp.Attempts != 2 || resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d %q after %d attempts, want 200 \"ok\" after 2", resp.StatusCode, resp.Body, resp.Attempts)
	}
	wantSleeps(t, rec, time.Second) // Retry-After: 1, not the 250ms backoff
	wantStats(t, s, titan.FetchStats{Requests: 2, Retries: 1, Bytes: int64(len("status 429") + len("ok"))})
	if hits.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", hits.Load())
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", now.Add(7*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	c, rec := newTestClient(t, testConfig())
	c.now = func() time.Time { return now }
	resp, err := get(t, c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 {
		t.Errorf("Attempts = %d, want 2", resp.Attempts)
	}
	wantSleeps(t, rec, 7*time.Second)
}

func TestRetryAfterTooLongGivesUp(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte("slow down"))
	}))
	c, rec := newTestClient(t, testConfig())
	_, err := get(t, c, srv.URL)
	wantHTTPError(t, err, http.StatusTooManyRequests, "slow down")
	wantErrContains(t, err, "attempt 1/4: Retry-After 2m0s exceeds the 1m0s limit")
	wantSleeps(t, rec)
	if hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", hits.Load())
	}
}

func Test503ThenSuccess(t *testing.T) {
	h, hits := statusSequence(503, 503, 503)
	srv := newServer(t, h)
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	resp := mustGet(t, s, srv.URL)
	if string(resp.Body) != "ok" || resp.Attempts != 4 {
		t.Fatalf("got %q after %d attempts, want \"ok\" after 4", resp.Body, resp.Attempts)
	}
	// Exponential ceilings from the 250ms base (the test jitter is the ceiling).
	wantSleeps(t, rec, 250*time.Millisecond, 500*time.Millisecond, time.Second)
	wantStats(t, s, titan.FetchStats{Requests: 4, Retries: 3, Bytes: 3*int64(len("status 503")) + 2})
	if hits.Load() != 4 {
		t.Errorf("server saw %d requests, want 4", hits.Load())
	}
}

func Test503ForeverExhaustsAttempts(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/x"})
	wantHTTPError(t, err, http.StatusServiceUnavailable, "down for maintenance\n")
	want := fmt.Sprintf("fetch %s/x: attempt 4/4: titan: %s/x: HTTP 503", srv.URL, srv.URL)
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	wantSleeps(t, rec, 250*time.Millisecond, 500*time.Millisecond, time.Second)
	wantStats(t, s, titan.FetchStats{Requests: 4, Retries: 3, Bytes: 4 * int64(len("down for maintenance\n"))})
	if hits.Load() != 4 {
		t.Errorf("server saw %d requests, want 4", hits.Load())
	}
}

func TestBackoffCappedAtMaxBackoff(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	cfg := testConfig()
	cfg.MaxAttempts = 6
	cfg.BaseBackoff = time.Second
	cfg.MaxBackoff = 3 * time.Second
	c, rec := newTestClient(t, cfg)
	_, err := get(t, c, srv.URL)
	wantHTTPError(t, err, http.StatusBadGateway, "")
	wantSleeps(t, rec, time.Second, 2*time.Second, 3*time.Second, 3*time.Second, 3*time.Second)
}

func TestFinalStatusesNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 410, 451, 501} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var hits atomic.Int64
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(status)
				w.Write([]byte("nope"))
			}))
			c, rec := newTestClient(t, testConfig())
			s := c.Session()
			_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL})
			wantHTTPError(t, err, status, "nope")
			wantErrContains(t, err, "attempt 1/4")
			wantSleeps(t, rec)
			wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: 4})
			if hits.Load() != 1 {
				t.Errorf("server saw %d requests, want 1", hits.Load())
			}
		})
	}
}

func Test408Retried(t *testing.T) {
	h, hits := statusSequence(http.StatusRequestTimeout)
	srv := newServer(t, h)
	c, _ := newTestClient(t, testConfig())
	resp, err := get(t, c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 || hits.Load() != 2 {
		t.Errorf("Attempts = %d, hits = %d, want 2 and 2", resp.Attempts, hits.Load())
	}
}

func TestPostNotRetriedOn500(t *testing.T) {
	var hits atomic.Int64
	var gotBody string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		gotBody = r.Method + " " + string(b[:n])
		w.WriteHeader(http.StatusInternalServerError)
	}))
	c, rec := newTestClient(t, testConfig())
	_, err := c.Session().Fetch(t.Context(), &titan.Request{
		Method: http.MethodPost, URL: srv.URL, Body: []byte(`{"q":"x"}`),
		Header: http.Header{"Content-Type": {"application/json"}},
	})
	wantHTTPError(t, err, http.StatusInternalServerError, "")
	wantSleeps(t, rec)
	if hits.Load() != 1 || gotBody != `POST {"q":"x"}` {
		t.Errorf("hits = %d, body = %q; want 1 and %q", hits.Load(), gotBody, `POST {"q":"x"}`)
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	// A port that was just listening and is now closed refuses connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close()

	cfg := testConfig()
	cfg.MaxAttempts = 3
	c, rec := newTestClient(t, cfg)
	s := c.Session()
	_, err = s.Fetch(t.Context(), &titan.Request{URL: url})
	var opErr *net.OpError
	if !errors.As(err, &opErr) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("error = %v, want a *net.OpError wrapping ECONNREFUSED", err)
	}
	wantErrContains(t, err, "fetch "+url+": attempt 3/3: ")
	wantSleeps(t, rec, 250*time.Millisecond, 500*time.Millisecond)
	wantStats(t, s, titan.FetchStats{Requests: 3, Retries: 2})
}

func TestPerAttemptTimeout(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	cfg := testConfig()
	cfg.MaxAttempts = 2
	cfg.Timeout = 100 * time.Millisecond
	c, rec := newTestClient(t, cfg)
	s := c.Session()
	start := time.Now()
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL})
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %s; want two 100ms attempts", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	wantErrContains(t, err, "attempt 2/2: attempt timed out after 100ms")
	wantSleeps(t, rec, 250*time.Millisecond)
	wantStats(t, s, titan.FetchStats{Requests: 2, Retries: 1})
	if hits.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", hits.Load())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	firstHit := make(chan struct{}, 1)
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		select {
		case firstHit <- struct{}{}:
		default:
		}
	}))
	cfg := testConfig()
	cfg.BaseBackoff = 10 * time.Second
	c, _ := newTestClient(t, cfg)
	c.sleep = sleepCtx // the real, cancellable wait

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		<-firstHit
		time.Sleep(20 * time.Millisecond) // let the session start its 10s backoff
		cancel()
	}()
	s := c.Session()
	start := time.Now()
	_, err := s.Fetch(ctx, &titan.Request{URL: srv.URL})
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Fetch returned after %s; want promptly after cancel", elapsed)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	wantErrContains(t, err, "attempt 1/4: waiting 10s to retry")
	wantStats(t, s, titan.FetchStats{Requests: 1})
	if hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", hits.Load())
	}
}

func TestCancelledContextNotRetried(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	c, rec := newTestClient(t, testConfig())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Session().Fetch(ctx, &titan.Request{URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	wantSleeps(t, rec)
	if hits.Load() != 0 {
		t.Errorf("server saw %d requests, want 0", hits.Load())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 01-Mar-26 12:01:00 GMT", time.Minute, true}, // RFC 850
		{"Sun Mar  1 12:00:05 2026", 5 * time.Second, true},   // asctime
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},            // in the past
		{"99999999999999999999", math.MaxInt64, true},
		{"", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "120", "0", "", "-1", "1.5", "99999999999999999999",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 01-Mar-26 12:01:00 GMT", "Sun Mar  1 12:00:05 2026"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %s, negative", s, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q) = %s, false; want 0 when not ok", s, d)
		}
		if v := strings.TrimSpace(s); allDigits(v) {
			if !ok {
				t.Fatalf("parseRetryAfter(%q) not ok for delay-seconds", s)
			}
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n <= maxRetryAfterSeconds &&
				d != time.Duration(n)*time.Second {
				t.Fatalf("parseRetryAfter(%q) = %s, want %ds", s, d, n)
			}
		}
	})
}

func TestRetryableError(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	read := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	tests := []struct {
		name       string
		err        error
		idempotent bool
		want       bool
	}{
		{"dial refused", dial, true, true},
		{"dial refused, POST", dial, false, true},
		{"reset", read, true, true},
		{"reset, POST", read, false, false},
		{"unknown", fmt.Errorf("reading body: %w", errors.New("x")), true, false},
		{"unexpected EOF", fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF), true, true},
		{"EOF", fmt.Errorf("Get: %w", io.EOF), true, true},
		{"no such host", &net.DNSError{Err: "no such host", IsNotFound: true}, true, false},
		{"dns timeout", &net.DNSError{Err: "timeout", IsTimeout: true}, true, true},
		{"too many redirects", fmt.Errorf("Get: %w", ErrTooManyRedirects), true, false},
		{"robots", fmt.Errorf("Get: %w", titan.ErrRobotsDisallowed), true, false},
		{"too large", &titan.BodyTooLargeError{}, true, false},
	}
	for _, tt := range tests {
		if got := retryableError(tt.err, tt.idempotent); got != tt.want {
			t.Errorf("%s: retryableError = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLogsAttemptsAndGivingUp(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	var buf syncBuffer
	cfg := testConfig()
	cfg.MaxAttempts = 2
	cfg.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		Level:       slog.LevelDebug,
		ReplaceAttr: dropTime,
	}))
	c, _ := newTestClient(t, cfg)
	if _, err := get(t, c, srv.URL); err == nil {
		t.Fatal("Fetch succeeded, want a 503")
	}
	want := strings.Join([]string{
		`level=DEBUG msg="fetch attempt" url=URL attempt=1 status=503 error="titan: URL: HTTP 503"`,
		`level=DEBUG msg="fetch retry" url=URL attempt=1 status=503 delay=250ms`,
		`level=DEBUG msg="fetch attempt" url=URL attempt=2 status=503 error="titan: URL: HTTP 503"`,
		`level=WARN msg="fetch gave up" url=URL attempt=2 status=503 error="titan: URL: HTTP 503"`,
		``,
	}, "\n")
	if got := strings.ReplaceAll(buf.String(), srv.URL, "URL"); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRetryAfterHoldsTheHost: a Retry-After answer makes the other sessions'
// requests to the same host wait too, not only the request that got it.
func TestRetryAfterHoldsTheHost(t *testing.T) {
	h, _ := statusSequence(http.StatusTooManyRequests)
	srv := newServer(t, h)
	c, rec := newTestClient(t, testConfig())
	mustGet(t, c.Session(), srv.URL+"/a")
	mustGet(t, c.Session(), srv.URL+"/b")
	sleeps := rec.got()
	if len(sleeps) != 2 || sleeps[0] != time.Second || sleeps[1] <= 500*time.Millisecond || sleeps[1] > time.Second {
		t.Fatalf("sleeps = %v, want the Retry-After, then the rest of it for the other session", sleeps)
	}
}

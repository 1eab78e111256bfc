package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

func TestMaxConnsPerHost(t *testing.T) {
	var inFlight, peak atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		w.Write([]byte("ok"))
	}))
	cfg := testConfig()
	cfg.MaxConnsPerHost = 2
	c, _ := newTestClient(t, cfg)
	s := c.Session()
	const n = 8
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range n {
		wg.Go(func() {
			if _, err := s.Fetch(t.Context(), &titan.Request{URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
				t.Error(err)
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := peak.Load(); got != 2 {
		t.Errorf("peak concurrent requests = %d, want 2", got)
	}
	wantStats(t, s, titan.FetchStats{Requests: n, Bytes: 2 * n})
}

func TestRateLimitPerHost(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	cfg := testConfig()
	cfg.RatePerHost = 20 // one request per 50ms after the first
	c, _ := newTestClient(t, cfg)
	s := c.Session()
	start := time.Now()
	for range 3 {
		mustGet(t, s, srv.URL)
	}
	if elapsed := time.Since(start); elapsed < 90*time.Millisecond {
		t.Errorf("3 requests at 20/s took %s, want at least 100ms", elapsed)
	}
	u, _ := url.Parse(srv.URL)
	if lim := c.host(hostKey(u)).limiter; lim.Limit() != 20 || lim.Burst() != 1 {
		t.Errorf("limiter = %v/s burst %d, want 20/s burst 1", lim.Limit(), lim.Burst())
	}
}

func TestCookieJarPerSession(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc123", Path: "/"})
			w.Write([]byte("welcome"))
		default:
			w.Write([]byte("cookie=" + r.Header.Get("Cookie")))
		}
	}))
	c, _ := newTestClient(t, testConfig())
	a, b := c.Session(), c.Session()
	mustGet(t, a, srv.URL+"/login")
	if got := string(mustGet(t, a, srv.URL+"/echo").Body); got != "cookie=sid=abc123" {
		t.Errorf("session A sent %q, want %q", got, "cookie=sid=abc123")
	}
	if got := string(mustGet(t, b, srv.URL+"/echo").Body); got != "cookie=" {
		t.Errorf("session B sent %q, want no cookie", got)
	}
}

func TestRedirectsFollowed(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusMovedPermanently)
		case "/b":
			http.Redirect(w, r, "/c?x=1", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("done " + r.URL.RequestURI()))
		}
	}))
	c, _ := newTestClient(t, testConfig())
	s := c.Session()
	resp := mustGet(t, s, srv.URL+"/a")
	if resp.URL != srv.URL+"/c?x=1" || string(resp.Body) != "done /c?x=1" || resp.Attempts != 1 {
		t.Errorf("got URL %q body %q attempts %d; want %q, %q, 1", resp.URL, resp.Body, resp.Attempts,
			srv.URL+"/c?x=1", "done /c?x=1")
	}
	wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: int64(len("done /c?x=1"))})
}

// redirectChain redirects /r/N to /r/N+1 until N reaches last, which answers 200.
func redirectChain(t *testing.T, last int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if n < last {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", n+1), http.StatusFound)
			return
		}
		w.Write([]byte("end"))
	}))
	return srv, &hits
}

func TestTenRedirectsAllowed(t *testing.T) {
	srv, hits := redirectChain(t, MaxRedirects)
	c, _ := newTestClient(t, testConfig())
	resp, err := get(t, c, srv.URL+"/r/0")
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != srv.URL+"/r/10" || hits.Load() != 11 {
		t.Errorf("URL %q after %d requests, want %q after 11", resp.URL, hits.Load(), srv.URL+"/r/10")
	}
}

func TestTooManyRedirects(t *testing.T) {
	srv, hits := redirectChain(t, 1000)
	c, rec := newTestClient(t, testConfig())
	_, err := get(t, c, srv.URL+"/r/0")
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("error = %v, want ErrTooManyRedirects", err)
	}
	wantErrContains(t, err, "fetch "+srv.URL+"/r/0: attempt 1/4: ",
		"stopped after 10 redirects at "+srv.URL+"/r/11")
	wantSleeps(t, rec) // not retried
	if hits.Load() != 11 {
		t.Errorf("server saw %d requests, want 11", hits.Load())
	}
}

func TestUserAgent(t *testing.T) {
	var got atomic.Value
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("User-Agent") + "|" + r.Header.Get("X-Extra"))
	}))
	c, _ := newTestClient(t, testConfig())
	s := c.Session()
	mustGet(t, s, srv.URL)
	if want := DefaultUserAgent + "|"; got.Load() != want {
		t.Errorf("sent %q, want %q", got.Load(), want)
	}
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL,
		Header: http.Header{"user-agent": {"custom/1"}, "X-Extra": {"yes"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "custom/1|yes"; got.Load() != want {
		t.Errorf("sent %q, want %q", got.Load(), want)
	}
}

func TestMethodAndBody(t *testing.T) {
	var got atomic.Value
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 100)
		n, _ := r.Body.Read(b)
		got.Store(r.Method + " " + r.Header.Get("Content-Type") + " " + string(b[:n]))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	c, _ := newTestClient(t, testConfig())
	resp, err := c.Session().Fetch(t.Context(), &titan.Request{
		Method: http.MethodPut, URL: srv.URL, Body: []byte(`{"a":1}`),
		Header: http.Header{"Content-Type": {"application/json"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := `PUT application/json {"a":1}`; got.Load() != want {
		t.Errorf("server got %q, want %q", got.Load(), want)
	}
	if string(resp.Body) != `{"ok":true}` || resp.ContentType != "application/json" {
		t.Errorf("response %q (%s)", resp.Body, resp.ContentType)
	}
}

func TestInvalidRequests(t *testing.T) {
	c, _ := newTestClient(t, testConfig())
	s := c.Session()
	if _, err := s.Fetch(t.Context(), nil); err == nil || err.Error() != "fetch: nil request" {
		t.Errorf("nil request: error = %v", err)
	}
	for _, u := range []string{"", "/relative", "ftp://example.com/x", "http://", "http://a b/"} {
		_, err := s.Fetch(t.Context(), &titan.Request{URL: u})
		if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("fetch %q: ", u)) {
			t.Errorf("URL %q: error = %v, want one naming the URL", u, err)
		}
	}
	wantStats(t, s, titan.FetchStats{})
}

func TestHostKey(t *testing.T) {
	tests := map[string]string{
		"http://Example.COM/a":      "http://example.com:80",
		"https://example.com/a":     "https://example.com:443",
		"https://example.com:8443/": "https://example.com:8443",
		"HTTP://example.com:80/":    "http://example.com:80",
		"http://[::1]:8080/":        "http://[::1]:8080",
		"http://[::1]/":             "http://[::1]:80",
	}
	for in, want := range tests {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostKey(u); got != want {
			t.Errorf("hostKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPasswordNotInErrors(t *testing.T) {
	var auth atomic.Value
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		auth.Store(user + ":" + pass)
		http.NotFound(w, r)
	}))
	c, _ := newTestClient(t, testConfig())
	withPassword := strings.Replace(srv.URL, "http://", "http://user:s3cret@", 1)
	_, err := get(t, c, withPassword+"/x")
	wantHTTPError(t, err, http.StatusNotFound, "404 page not found\n")
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %q shows the password", err)
	}
	wantErrContains(t, err, "user:xxxxx@")
	if auth.Load() != "user:s3cret" {
		t.Errorf("server saw credentials %q, want user:s3cret", auth.Load())
	}
}

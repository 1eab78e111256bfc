package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// sleepRecorder replaces the Client's backoff sleep: it records each delay and
// returns at once.
type sleepRecorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.sleeps = append(r.sleeps, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *sleepRecorder) got() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.sleeps...)
}

// testConfig is a Config for tests: no rate limit and no robots.txt, so that
// each test turns on only what it checks.
func testConfig() Config {
	return Config{RatePerHost: -1, IgnoreRobots: true}
}

// newTestClient returns a Client for cfg whose backoff sleeps are recorded
// instead of waited, and whose jitter is the full ceiling, so delays are exact.
func newTestClient(t *testing.T, cfg Config) (*Client, *sleepRecorder) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	rec := &sleepRecorder{}
	c.sleep = rec.sleep
	c.jitter = func(ceiling time.Duration) time.Duration { return ceiling }
	return c, rec
}

// newServer starts an httptest server for h, closed when the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// pathLog records the paths a server was asked for.
type pathLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *pathLog) add(p string) {
	l.mu.Lock()
	l.paths = append(l.paths, p)
	l.mu.Unlock()
}

func (l *pathLog) got() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.paths...)
}

func (l *pathLog) count(p string) int {
	n := 0
	for _, q := range l.got() {
		if q == p {
			n++
		}
	}
	return n
}

// get fetches url with a fresh session of c.
func get(t *testing.T, c *Client, url string) (*titan.Response, error) {
	t.Helper()
	return c.Session().Fetch(context.Background(), &titan.Request{URL: url})
}

// mustGet fetches url and fails the test on error.
func mustGet(t *testing.T, s *Session, url string) *titan.Response {
	t.Helper()
	resp, err := s.Fetch(context.Background(), &titan.Request{URL: url})
	if err != nil {
		t.Fatalf("Fetch(%s): %v", url, err)
	}
	return resp
}

// wantHTTPError checks that err wraps a *titan.HTTPError with this status and body.
func wantHTTPError(t *testing.T, err error, status int, body string) {
	t.Helper()
	var he *titan.HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("error = %v, want a *titan.HTTPError", err)
	}
	if he.StatusCode != status || he.Body != body {
		t.Fatalf("HTTPError = {%d, %q}, want {%d, %q}", he.StatusCode, he.Body, status, body)
	}
}

// wantErrContains checks that err's message contains every part.
func wantErrContains(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func wantStats(t *testing.T, s *Session, want titan.FetchStats) {
	t.Helper()
	if got := s.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func wantSleeps(t *testing.T, rec *sleepRecorder, want ...time.Duration) {
	t.Helper()
	got := rec.got()
	if len(got) != len(want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sleeps = %v, want %v", got, want)
		}
	}
}

package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/titanscrape/titan"
)

// robotsSite serves robots.txt with the given status and body, and "page" on
// every other path, logging the paths asked for.
func robotsSite(t *testing.T, status int, robots string) (*pathLog, string) {
	t.Helper()
	log := &pathLog{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(status)
			w.Write([]byte(robots))
			return
		}
		w.Write([]byte("page"))
	}))
	return log, srv.URL
}

func robotsConfig() Config {
	cfg := testConfig()
	cfg.IgnoreRobots = false
	return cfg
}

func TestRobotsDisallow(t *testing.T) {
	log, base := robotsSite(t, http.StatusOK, "User-agent: *\nDisallow: /private\n")
	c, rec := newTestClient(t, robotsConfig())
	s := c.Session()

	_, err := s.Fetch(t.Context(), &titan.Request{URL: base + "/private/page?id=1"})
	if !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	want := "fetch " + base + "/private/page?id=1: titan: disallowed by robots.txt"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	resp := mustGet(t, s, base+"/public")
	if string(resp.Body) != "page" {
		t.Errorf("body = %q, want %q", resp.Body, "page")
	}
	if got, want := log.got(), []string{"/robots.txt", "/public"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
	wantSleeps(t, rec)
	// robots.txt is not counted in the session's stats.
	wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: 4})
}

func TestRobotsAgentGroup(t *testing.T) {
	robots := "User-agent: titan\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
	tests := []struct {
		userAgent string
		allowed   bool
	}{
		{"", false}, // the default agent, "titan/0.1 (+...)"
		{"Titan/2.0", false},
		{"otherbot/1.0", true},
	}
	for _, tt := range tests {
		t.Run(tt.userAgent, func(t *testing.T) {
			_, base := robotsSite(t, http.StatusOK, robots)
			cfg := robotsConfig()
			cfg.UserAgent = tt.userAgent
			c, _ := newTestClient(t, cfg)
			_, err := get(t, c, base+"/page")
			if allowed := err == nil; allowed != tt.allowed {
				t.Fatalf("allowed = %v (err %v), want %v", allowed, err, tt.allowed)
			}
		})
	}
}

func TestRobots404AllowsAll(t *testing.T) {
	log, base := robotsSite(t, http.StatusNotFound, "not found")
	c, _ := newTestClient(t, robotsConfig())
	resp, err := get(t, c, base+"/anything")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "page" {
		t.Errorf("body = %q, want %q", resp.Body, "page")
	}
	if got, want := log.got(), []string{"/robots.txt", "/anything"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

func TestRobotsUnreachableDisallowsAllThenRefetches(t *testing.T) {
	var mu sync.Mutex
	status := http.StatusServiceUnavailable
	log := &pathLog{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		if r.URL.Path == "/robots.txt" {
			mu.Lock()
			defer mu.Unlock()
			w.WriteHeader(status)
			return
		}
		w.Write([]byte("page"))
	}))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c, _ := newTestClient(t, robotsConfig())
	c.now = func() time.Time { return now } // only this goroutine calls it

	_, err := get(t, c, srv.URL+"/a")
	if !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	wantErrContains(t, err, "robots.txt unreachable: titan: "+srv.URL+"/robots.txt: HTTP 503")
	// Cached: a second page does not fetch robots.txt again.
	if _, err := get(t, c, srv.URL+"/b"); !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	if got, want := log.got(), []string{"/robots.txt"}; !slices.Equal(got, want) {
		t.Fatalf("server saw %q, want %q", got, want)
	}

	// After robotsUnreachableTTL robots.txt is fetched again; now it is 404.
	mu.Lock()
	status = http.StatusNotFound
	mu.Unlock()
	now = now.Add(robotsUnreachableTTL)
	if _, err := get(t, c, srv.URL+"/c"); err != nil {
		t.Fatal(err)
	}
	if got, want := log.got(), []string{"/robots.txt", "/robots.txt", "/c"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

func TestRobotsNetworkErrorDisallowsAll(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	base := srv.URL
	srv.Close()
	c, _ := newTestClient(t, robotsConfig())
	_, err := get(t, c, base+"/page")
	if !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	wantErrContains(t, err, "robots.txt unreachable: Get \""+base+"/robots.txt\"", "connection refused")
}

func TestRobotsFetchedOnceUnderConcurrency(t *testing.T) {
	log := &pathLog{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		if r.URL.Path == "/robots.txt" {
			time.Sleep(50 * time.Millisecond) // let every caller pile up behind this fetch
			w.Write([]byte("User-agent: *\nDisallow: /no\n"))
			return
		}
		w.Write([]byte("page"))
	}))
	cfg := robotsConfig()
	cfg.MaxConnsPerHost = 16
	c, _ := newTestClient(t, cfg)
	s := c.Session()
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/p"})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("fetch %d: %v", i, err)
		}
	}
	if got := log.count("/robots.txt"); got != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", got)
	}
	if got := log.count("/p"); got != n {
		t.Errorf("page fetched %d times, want %d", got, n)
	}
}

func TestCrawlDelay(t *testing.T) {
	tests := []struct {
		name      string
		rate      float64
		burst     int
		robots    string
		wantLimit rate.Limit
		wantBurst int
	}{
		{"slower than the rate: lowers it", 4, 3, "User-agent: *\nCrawl-delay: 2\n", 0.5, 1},
		{"unlimited rate: limits it", -1, 1, "User-agent: *\nCrawl-delay: 0.5\n", 2, 1},
		{"faster than the rate: ignored", 0.1, 1, "User-agent: *\nCrawl-delay: 2\n", 0.1, 1},
		{"other agent's delay: ignored", 4, 1, "User-agent: otherbot\nCrawl-delay: 10\n", 4, 1},
		{"no delay", 4, 2, "User-agent: *\nDisallow:\n", 4, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := robotsSite(t, http.StatusOK, tt.robots)
			cfg := robotsConfig()
			cfg.RatePerHost, cfg.Burst = tt.rate, tt.burst
			c, _ := newTestClient(t, cfg)
			u, _ := url.Parse(base + "/page")
			if err := c.checkRobots(t.Context(), u); err != nil {
				t.Fatal(err)
			}
			lim := c.host(hostKey(u)).limiter
			if lim.Limit() != tt.wantLimit || lim.Burst() != tt.wantBurst {
				t.Errorf("limiter = %v/s burst %d, want %v/s burst %d", lim.Limit(), lim.Burst(), tt.wantLimit, tt.wantBurst)
			}
		})
	}
}

func TestRobotsCheckedOnRedirect(t *testing.T) {
	log := &pathLog{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /private\n"))
		case "/go":
			http.Redirect(w, r, "/private/x", http.StatusFound)
		default:
			w.Write([]byte("page"))
		}
	}))
	c, _ := newTestClient(t, robotsConfig())
	_, err := get(t, c, srv.URL+"/go")
	if !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	wantErrContains(t, err, srv.URL+"/private/x")
	if got, want := log.got(), []string{"/robots.txt", "/go"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

func TestRobotsTxtItselfAllowed(t *testing.T) {
	log, base := robotsSite(t, http.StatusOK, "User-agent: *\nDisallow: /\n")
	c, _ := newTestClient(t, robotsConfig())
	resp, err := get(t, c, base+"/robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "User-agent: *\nDisallow: /\n" {
		t.Errorf("body = %q", resp.Body)
	}
	if got, want := log.got(), []string{"/robots.txt"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

func TestRobotsAgent(t *testing.T) {
	tests := map[string]string{
		DefaultUserAgent:         "titan",
		"Mozilla/5.0 (X11)":      "mozilla",
		"MyCrawler":              "mycrawler",
		"bot (+https://x.y/bot)": "bot",
	}
	for ua, want := range tests {
		if got := robotsAgent(ua); got != want {
			t.Errorf("robotsAgent(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestRobotsLenientParse(t *testing.T) {
	// Rules before any User-agent and a bad Crawl-delay make the robotstxt
	// package reject the file; they are dropped and the rest still applies.
	robots := "Disallow: /orphan\nUser-agent: *\nCrawl-delay: soon\nDisallow: /private # keep out\n"
	log, base := robotsSite(t, http.StatusOK, robots)
	c, _ := newTestClient(t, robotsConfig())
	if _, err := get(t, c, base+"/private/x"); !errors.Is(err, titan.ErrRobotsDisallowed) {
		t.Fatalf("error = %v, want titan.ErrRobotsDisallowed", err)
	}
	if _, err := get(t, c, base+"/orphan"); err != nil {
		t.Fatalf("/orphan: %v", err)
	}
	if got, want := log.got(), []string{"/robots.txt", "/orphan"}; !slices.Equal(got, want) {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

func TestRobotsFetchCancelledIsNotCached(t *testing.T) {
	firstHit := make(chan struct{})
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			w.Write([]byte("page"))
			return
		}
		if hits.Add(1) == 1 {
			close(firstHit)
			<-r.Context().Done() // hang until the fetching caller gives up
			return
		}
		w.Write([]byte("User-agent: *\nDisallow: /no\n"))
	}))
	c, _ := newTestClient(t, robotsConfig())
	s := c.Session()

	ctxA, cancelA := context.WithCancel(t.Context())
	errA := make(chan error, 1)
	go func() {
		_, err := s.Fetch(ctxA, &titan.Request{URL: srv.URL + "/a"})
		errA <- err
	}()
	<-firstHit
	errB := make(chan error, 1)
	go func() {
		_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/b"})
		errB <- err
	}()
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("A: error = %v, want context.Canceled", err)
	}
	if err := <-errB; err != nil {
		t.Errorf("B: %v; want B to fetch robots.txt itself and succeed", err)
	}
	if hits.Load() != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", hits.Load())
	}
}

// Package titantest helps users test their tasks and custom actions with no
// network: a Site serves canned pages from memory as an http.RoundTripper, and
// NewRunner, NewEngine and Run put titan's real runner, actions and engine on top
// of it. Everything but the network is the real thing: robots.txt, retries, body
// caps, charsets, extraction and validation behave as in production.
package titantest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/runner"
)

// Page is a canned response.
type Page struct {
	// Status defaults to 200.
	Status int
	// ContentType defaults to "text/html; charset=utf-8".
	ContentType string
	Header      http.Header
	Body        string
}

// Site is an in-memory web site keyed by absolute URL. Unknown URLs answer 404,
// and so does /robots.txt unless a page is set for it (which allows everything).
// A Site is safe for concurrent use.
type Site struct {
	mu    sync.RWMutex
	pages map[string]Page
	hits  map[string]int
}

// NewSite returns a site serving each HTML body at its URL with status 200.
func NewSite(pages map[string]string) *Site {
	s := &Site{pages: make(map[string]Page, len(pages)), hits: make(map[string]int)}
	for u, body := range pages {
		s.pages[u] = Page{Body: body}
	}
	return s
}

// Set serves p at url, replacing any page there.
func (s *Site) Set(url string, p Page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[url] = p
}

// Hits returns how many requests url received.
func (s *Site) Hits(url string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.hits[url]
}

// RoundTrip implements http.RoundTripper.
func (s *Site) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	u := req.URL.String()
	s.mu.Lock()
	s.hits[u]++
	p, ok := s.pages[u]
	s.mu.Unlock()
	if !ok {
		p = Page{Status: http.StatusNotFound, ContentType: "text/plain", Body: "not found"}
	}
	h := p.Header.Clone()
	if h == nil {
		h = make(http.Header)
	}
	if h.Get("Content-Type") == "" {
		ct := p.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
		}
		h.Set("Content-Type", ct)
	}
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{
		Status:        http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(p.Body)),
		ContentLength: int64(len(p.Body)),
		Request:       req,
	}, nil
}

// NewRunner returns titan's default runner fetching from site, without rate limits
// and with short backoffs, with the given custom actions registered.
func NewRunner(tb testing.TB, site *Site, actions map[titan.ActionType]titan.Action) *runner.Runner {
	tb.Helper()
	r, err := runner.New(runner.Config{
		HTTPClient:  &http.Client{Transport: site},
		RatePerHost: -1,
		Actions:     actions,
		Timeout:     5 * time.Second,
	})
	if err != nil {
		tb.Fatalf("titantest: %v", err)
	}
	return r
}

// NewEngine returns an engine on an in-memory store and a runner fetching from site.
// It is closed when the test ends.
func NewEngine(tb testing.TB, site *Site, actions map[titan.ActionType]titan.Action) *engine.Engine {
	tb.Helper()
	eng, err := engine.New(engine.Config{Runner: NewRunner(tb, site, actions)})
	if err != nil {
		tb.Fatalf("titantest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := eng.Close(ctx); err != nil {
			tb.Errorf("titantest: close engine: %v", err)
		}
	})
	return eng
}

// Result is what Run collected from one execution.
type Result struct {
	Stats   titan.Stats
	Records []titan.Record
	Errors  []titan.ExecError
	// Err is the execution's error, nil when it ran to its end.
	Err error
}

// Run executes task on r without a store and collects its output in memory.
// Records are in the order they were emitted, numbered from 1.
func Run(ctx context.Context, r titan.Runner, task *titan.Task, opts ...func(*titan.Job)) *Result {
	job := &titan.Job{ExecutionID: "test", Task: task, Trigger: titan.TriggerManual}
	for _, o := range opts {
		o(job)
	}
	c := &collector{}
	stats, err := r.Execute(ctx, job, c)
	return &Result{Stats: stats, Records: c.records, Errors: c.errors, Err: err}
}

type collector struct {
	mu      sync.Mutex
	records []titan.Record
	errors  []titan.ExecError
}

func (c *collector) Record(_ context.Context, _ string, rec titan.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec.Seq = int64(len(c.records) + 1)
	c.records = append(c.records, rec)
	return nil
}

func (c *collector) Error(_ context.Context, e titan.ExecError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, e)
}

func (c *collector) Progress(titan.Stats) {}

func (c *collector) ItemDone(context.Context, string, string) {}

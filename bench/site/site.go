// Package site is the synthetic shop the crawl benchmark crawls: paginated
// listings of 20 product cards and ~50 KB product pages with five fields to
// extract, plus navigation to category and info pages that a restricted crawl
// must leave alone. Pages are deterministic and cheap to render (the bulk of a
// product page is one of a few pre-rendered padding blocks), so the server does
// not dominate the machine. The site counts requests per URL, to report
// duplicate fetches, and the peak number of requests in flight.
package site

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a zero Config.
const (
	DefaultProducts  = 10_000
	DefaultPerPage   = 20
	DefaultPageBytes = 50_000
)

// Robots is the body of /robots.txt: everything is allowed.
const Robots = "User-agent: *\nAllow: /\n"

// Config configures a Site.
type Config struct {
	// Products is the number of products, IDs 1 to Products; default 10,000.
	Products int
	// PerPage is the number of product cards on a listing page; default 20.
	PerPage int
	// PageBytes is the approximate size of a product page; default 50,000. Pages
	// are never smaller than their fixed markup (about 9 KB).
	PageBytes int
	// Latency is waited out before each request is answered; the wait ends,
	// without a response, when the request's context is done. Default none.
	Latency time.Duration
}

func (c Config) withDefaults() Config {
	c.Products = cmp.Or(c.Products, DefaultProducts)
	c.PerPage = cmp.Or(c.PerPage, DefaultPerPage)
	c.PageBytes = cmp.Or(c.PageBytes, DefaultPageBytes)
	return c
}

func (c Config) validate() error {
	var problems []string
	if c.Products < 1 {
		problems = append(problems, fmt.Sprintf("Products %d is below 1", c.Products))
	}
	if c.PerPage < 1 {
		problems = append(problems, fmt.Sprintf("PerPage %d is below 1", c.PerPage))
	}
	if c.PageBytes < 0 {
		problems = append(problems, fmt.Sprintf("PageBytes %d is negative", c.PageBytes))
	}
	if c.Latency < 0 {
		problems = append(problems, fmt.Sprintf("Latency %s is negative", c.Latency))
	}
	if len(problems) > 0 {
		return errors.New("site: invalid config: " + strings.Join(problems, "; "))
	}
	return nil
}

// Site is the shop. It is safe for concurrent use.
type Site struct {
	cfg   Config
	frags fragments
	bufs  sync.Pool // *bytes.Buffer

	inFlight, peak atomic.Int64
	busy           atomic.Int64 // nanoseconds spent handling requests, summed
	requests       atomic.Int64
	products       []atomic.Int32 // requests per product page, by ID-1
	listings       []atomic.Int32 // requests per listing page, by page-1
	robots         atomic.Int32
	mu             sync.Mutex
	other          map[string]int // requests per other URL
}

// New returns a Site for cfg; zero fields take the defaults.
func New(cfg Config) (*Site, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Site{cfg: cfg, frags: newFragments(cfg.PageBytes), other: map[string]int{}}
	s.products = make([]atomic.Int32, cfg.Products)
	s.listings = make([]atomic.Int32, s.Pages())
	s.bufs.New = func() any { return bytes.NewBuffer(make([]byte, 0, cfg.PageBytes+16<<10)) }
	return s, nil
}

// Config returns the site's configuration with the defaults filled in.
func (s *Site) Config() Config { return s.cfg }

// Pages returns the number of listing pages.
func (s *Site) Pages() int { return (s.cfg.Products + s.cfg.PerPage - 1) / s.cfg.PerPage }

// URLs returns the number of distinct URLs a restricted crawl fetches:
// robots.txt, the listing pages and the product pages.
func (s *Site) URLs() int { return 1 + s.Pages() + s.cfg.Products }

// Handler returns the http.Handler that serves the shop.
func (s *Site) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Stats are the requests a Site received since New or the last Reset.
type Stats struct {
	Requests     int64 `json:"requests"`
	Distinct     int64 `json:"distinct"`       // distinct URLs requested
	Pages        int64 `json:"pages"`          // distinct listing and product pages requested
	Duplicates   int64 `json:"duplicates"`     // requests beyond the first of each URL
	OffScope     int64 `json:"off_scope"`      // requests for anything but robots.txt, listings and products
	MaxPerURL    int64 `json:"max_per_url"`    // most requests for one URL
	PeakInFlight int64 `json:"peak_in_flight"` // most requests being handled at once
	// Busy is the time spent handling requests, latency included, summed over
	// requests: divided by the wall time of a crawl it is the mean number of
	// requests in flight.
	Busy time.Duration `json:"busy"`
}

// Stats returns the counts so far.
func (s *Site) Stats() Stats {
	st := Stats{Requests: s.requests.Load(), PeakInFlight: s.peak.Load(), Busy: time.Duration(s.busy.Load())}
	add := func(n int64, offScope bool) {
		if n == 0 {
			return
		}
		st.Distinct++
		if !offScope {
			st.Pages++
		}
		st.Duplicates += n - 1
		st.MaxPerURL = max(st.MaxPerURL, n)
		if offScope {
			st.OffScope += n
		}
	}
	add(int64(s.robots.Load()), false)
	if st.Pages > 0 {
		st.Pages-- // robots.txt is not a page
	}
	for i := range s.listings {
		add(int64(s.listings[i].Load()), false)
	}
	for i := range s.products {
		add(int64(s.products[i].Load()), false)
	}
	s.mu.Lock()
	for _, n := range s.other {
		add(int64(n), true)
	}
	s.mu.Unlock()
	return st
}

// Reset sets the counts to zero.
func (s *Site) Reset() {
	s.requests.Store(0)
	s.peak.Store(0)
	s.busy.Store(0)
	s.robots.Store(0)
	for i := range s.listings {
		s.listings[i].Store(0)
	}
	for i := range s.products {
		s.products[i].Store(0)
	}
	s.mu.Lock()
	clear(s.other)
	s.mu.Unlock()
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	start := time.Now()
	n := s.inFlight.Add(1)
	defer func() {
		s.inFlight.Add(-1)
		s.busy.Add(int64(time.Since(start)))
	}()
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if !s.wait(r.Context()) {
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
	origin := "http://" + r.Host
	path, query := r.URL.Path, r.URL.RawQuery
	switch {
	case path == "/robots.txt" && query == "":
		s.robots.Add(1)
		buf.WriteString(Robots)
		write(w, "text/plain; charset=utf-8", buf)
		return
	case path == "/products":
		page := listingPage(query, s.Pages())
		if page == 0 {
			break
		}
		s.listings[page-1].Add(1)
		s.renderListing(buf, origin, page)
		write(w, "text/html; charset=utf-8", buf)
		return
	case strings.HasPrefix(path, "/product/") && query == "":
		idText, slug, _ := strings.Cut(path[len("/product/"):], "-")
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 || id > s.cfg.Products || strconv.Itoa(id) != idText {
			break
		}
		p := ProductOf(id)
		if slug != p.Slug {
			break
		}
		s.products[id-1].Add(1)
		s.renderProduct(buf, origin, &p)
		write(w, "text/html; charset=utf-8", buf)
		return
	}
	s.mu.Lock()
	s.other[r.URL.RequestURI()]++
	s.mu.Unlock()
	s.renderOther(buf, origin, path)
	write(w, "text/html; charset=utf-8", buf)
}

// wait waits out the configured latency; false when ctx ended first.
func (s *Site) wait(ctx context.Context) bool {
	if s.cfg.Latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// listingPage returns the listing page a query names, as linked: "" is page 1,
// "page=N" page N for 2 ≤ N ≤ pages. Anything else is 0.
func listingPage(query string, pages int) int {
	if query == "" {
		return 1
	}
	text, ok := strings.CutPrefix(query, "page=")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 2 || n > pages || strconv.Itoa(n) != text {
		return 0
	}
	return n
}

func write(w http.ResponseWriter, contentType string, body *bytes.Buffer) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	_, _ = w.Write(body.Bytes()) // a client that went away is its own problem
}

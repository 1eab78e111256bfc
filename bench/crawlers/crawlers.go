// Package crawlers holds the three crawlers the benchmark compares: titan
// through its public API, a plain net/http + x/net/html + htmlquery baseline,
// and colly v2. Each does the same job on the bench site: start from
// /products, follow only pagination links (/products?page=N) and product links
// (/product/...), and extract five fields from every product page.
package crawlers

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/titanscrape/titan/bench/site"
)

// The paths a crawl follows and the paths it extracts from, matched against
// the path plus "?" plus the query of a URL.
const (
	ListingPattern = `^/products(\?page=\d+)?$`
	ProductPattern = `^/product/`
)

var (
	listingRE = regexp.MustCompile(ListingPattern)
	productRE = regexp.MustCompile(ProductPattern)
)

// Options is one crawl's job.
type Options struct {
	// Base is the site's origin, e.g. "http://127.0.0.1:41234"; the crawl starts
	// at Base+"/products".
	Base string
	// Concurrency is the number of requests in flight at most.
	Concurrency int
	// Products is the site's product count: records are checked against the
	// site's catalogue, IDs 1 to Products.
	Products int
}

// Result is what a crawler reports of one crawl.
type Result struct {
	Crawler  string        `json:"crawler"`
	Pages    int64         `json:"pages"`    // HTML pages the crawler fetched and parsed
	Records  int64         `json:"records"`  // records extracted
	Distinct int64         `json:"distinct"` // distinct products among them
	Wrong    int64         `json:"wrong"`    // records whose fields differ from the catalogue
	Errors   int64         `json:"errors"`   // pages that failed
	Problems []string      `json:"problems,omitempty"`
	Elapsed  time.Duration `json:"elapsed"`
}

// A Crawler runs one crawl.
type Crawler func(ctx context.Context, o Options) (Result, error)

// Names lists the crawlers in the order the benchmark runs them.
func Names() []string { return []string{"titan", "baseline", "colly"} }

// ByName returns the crawler called name.
func ByName(name string) (Crawler, error) {
	switch name {
	case "titan":
		return Titan, nil
	case "baseline":
		return Baseline, nil
	case "colly":
		return Colly, nil
	}
	return nil, fmt.Errorf("crawlers: unknown crawler %q (want titan, baseline or colly)", name)
}

// NewTransport returns the HTTP transport every crawler uses: keep-alives
// with an idle pool of at least c connections to the one host, no proxy, and
// no transparent compression (the site sends none).
func NewTransport(c int) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        max(256, c),
		MaxIdleConnsPerHost: max(c, 2),
		IdleConnTimeout:     90 * time.Second,
	}
}

// follow reports whether a crawl follows u: the same host as base and a path
// and query that match ListingPattern or ProductPattern.
func follow(u, base *url.URL) bool {
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return false
	}
	t := matchTarget(u)
	return listingRE.MatchString(t) || productRE.MatchString(t)
}

func matchTarget(u *url.URL) string {
	if u.RawQuery == "" {
		return u.EscapedPath()
	}
	return u.EscapedPath() + "?" + u.RawQuery
}

// record is one product as a crawler extracted it.
type record struct {
	Name    string
	Price   float64
	SKU     string
	InStock bool
	Image   string // as extracted: titan and the others resolve it to an absolute URL
}

// checker checks records against the catalogue and counts them. It is the same
// for every crawler, so its cost is too.
type checker struct {
	mu       sync.Mutex
	seen     []bool
	records  int64
	distinct int64
	wrong    int64
	errors   int64
	problems []string
}

func newChecker(products int) *checker { return &checker{seen: make([]bool, products+1)} }

func (c *checker) add(r record) {
	problem := ""
	id := site.ParseSKU(r.SKU)
	if id < 1 || id >= len(c.seen) {
		problem = fmt.Sprintf("unknown sku %q", r.SKU)
	} else {
		p := site.ProductOf(id)
		switch {
		case r.Name != p.Name:
			problem = fmt.Sprintf("%s: name %q, want %q", r.SKU, r.Name, p.Name)
		case math.Abs(r.Price-p.Price) > 0.001:
			problem = fmt.Sprintf("%s: price %v, want %v", r.SKU, r.Price, p.Price)
		case r.InStock != p.InStock:
			problem = fmt.Sprintf("%s: in_stock %v, want %v", r.SKU, r.InStock, p.InStock)
		case !strings.HasSuffix(r.Image, p.Image) || !strings.HasPrefix(r.Image, "http"):
			problem = fmt.Sprintf("%s: image %q, want an absolute URL ending %q", r.SKU, r.Image, p.Image)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records++
	if problem != "" {
		c.wrong++
		c.note(problem)
		return
	}
	if !c.seen[id] {
		c.seen[id] = true
		c.distinct++
	}
}

// reject counts a record that is wrong for a reason found by the crawler.
func (c *checker) reject(problem string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records++
	c.wrong++
	c.note(problem)
}

// fail counts a failed page.
func (c *checker) fail(u string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors++
	c.note(fmt.Sprintf("%s: %v", u, err))
}

// note keeps the first few problems; the counts say how many there were.
func (c *checker) note(p string) {
	if len(c.problems) < 5 {
		c.problems = append(c.problems, p)
	}
}

func (c *checker) result(name string, pages int64, elapsed time.Duration) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	sort.Strings(c.problems)
	return Result{
		Crawler: name, Pages: pages, Records: c.records, Distinct: c.distinct, Wrong: c.wrong,
		Errors: c.errors, Problems: c.problems, Elapsed: elapsed,
	}
}

// parsePrice reads a shown price like "$1,234.50", as titan's schema coerces
// a number.
func parsePrice(text string) (float64, error) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(t, "$")
	t = strings.ReplaceAll(t, ",", "")
	return strconv.ParseFloat(t, 64)
}

// parseStock reads an availability text.
func parseStock(text string) (bool, error) {
	switch strings.ToLower(strings.Join(strings.Fields(text), " ")) {
	case "in stock":
		return true, nil
	case "out of stock":
		return false, nil
	}
	return false, fmt.Errorf("availability %q is neither in nor out of stock", text)
}

// collapse trims s and collapses its runs of white space, as titan's schema
// does for text.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

package crawlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xpath"
	"golang.org/x/net/html"
)

// The baseline's XPath expressions, compiled once. They are written for the
// shop's markup, the way a hand-made crawler for one site is: exact class
// attributes where the element has one class. That is a demanding bar: the
// general translation of a CSS class selector,
// contains(concat(' ', normalize-space(@class), ' '), ' c '), allocates for
// every element it tests and made the extraction cost half as much as the
// parse (see BenchmarkBaselineExtract).
var (
	xLinks = xpath.MustCompile(`//a[@href] | //link[@rel='next'][@href]`)
	xName  = xpath.MustCompile(`//h1[@class='product-title']`)
	xPrice = xpath.MustCompile(`//p[@class='price-box']/span[@class='price']`)
	xSKU   = xpath.MustCompile(`//span[@class='sku']`)
	xStock = xpath.MustCompile(`//p[contains(@class, 'availability')]`)
	xImage = xpath.MustCompile(`//img[@class='main'][@src]`)
)

// Baseline crawls with net/http, x/net/html and htmlquery and no framework: a
// fixed pool of Concurrency workers takes URLs from a channel fed by one
// dispatcher, which keeps the queue and stops when it is empty and no page is
// in progress. A URL is marked seen, under a mutex, in the same step as it is
// checked, so none is fetched twice. robots.txt is fetched once, like the
// others do, and allows everything.
func Baseline(ctx context.Context, o Options) (Result, error) {
	base, err := url.Parse(o.Base)
	if err != nil {
		return Result{}, err
	}
	tr := NewTransport(o.Concurrency)
	defer tr.CloseIdleConnections()
	b := &baseline{
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		base:   base,
		check:  newChecker(o.Products),
		seen:   map[string]struct{}{},
	}
	start := time.Now()
	if err := b.robots(ctx); err != nil {
		return Result{}, err
	}
	seed := base.JoinPath("/products").String()
	b.mark(seed)

	jobs := make(chan string)
	found := make(chan []string, o.Concurrency)
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Go(func() {
			for u := range jobs {
				found <- b.page(ctx, u)
			}
		})
	}
	queue := []string{seed}
	inFlight := 0
	for (len(queue) > 0 || inFlight > 0) && ctx.Err() == nil {
		var send chan string
		var next string
		if len(queue) > 0 {
			send, next = jobs, queue[0]
		}
		select {
		case send <- next:
			queue[0] = ""
			queue = queue[1:]
			inFlight++
		case links := <-found:
			inFlight--
			queue = append(queue, links...)
		case <-ctx.Done():
		}
	}
	close(jobs)
	go func() {
		for range found { // let workers in progress finish after a cancel
		}
	}()
	wg.Wait()
	close(found)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return b.check.result("baseline", b.pages.Load(), time.Since(start)), nil
}

type baseline struct {
	client *http.Client
	base   *url.URL
	check  *checker
	pages  atomic.Int64

	mu   sync.Mutex
	seen map[string]struct{}
}

// mark marks u seen and reports whether it was new.
func (b *baseline) mark(u string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.seen[u]; ok {
		return false
	}
	b.seen[u] = struct{}{}
	return true
}

func (b *baseline) robots(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base.JoinPath("/robots.txt").String(), nil)
	if err != nil {
		return err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return fmt.Errorf("baseline: robots.txt: %w", err)
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// page fetches and parses the page at u, extracts a record from a product page
// and returns the new URLs it links to.
func (b *baseline) page(ctx context.Context, u string) []string {
	pageURL, err := url.Parse(u)
	if err != nil {
		b.check.fail(u, err)
		return nil
	}
	doc, err := b.get(ctx, u)
	if err != nil {
		b.check.fail(u, err)
		return nil
	}
	b.pages.Add(1)
	var out []string
	for _, n := range htmlquery.QuerySelectorAll(doc, xLinks) {
		l, err := pageURL.Parse(htmlquery.SelectAttr(n, "href"))
		if err != nil {
			continue
		}
		l.Fragment, l.RawFragment = "", ""
		if follow(l, b.base) {
			if s := l.String(); b.mark(s) {
				out = append(out, s)
			}
		}
	}
	if productRE.MatchString(matchTarget(pageURL)) {
		r, err := extract(doc, pageURL)
		if err != nil {
			b.check.reject(fmt.Sprintf("%s: %v", u, err))
		} else {
			b.check.add(r)
		}
	}
	return out
}

// get fetches u and parses it as HTML.
func (b *baseline) get(ctx context.Context, u string) (*html.Node, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/html" {
		return nil, fmt.Errorf("content type %q is not HTML", mt)
	}
	return html.Parse(resp.Body)
}

// extract reads the five fields of a product page.
func extract(doc *html.Node, pageURL *url.URL) (record, error) {
	var r record
	var missing []string
	text := func(e *xpath.Expr, field string) string {
		n := htmlquery.QuerySelector(doc, e)
		if n == nil {
			missing = append(missing, field)
			return ""
		}
		return collapse(htmlquery.InnerText(n))
	}
	r.Name = text(xName, "name")
	price := text(xPrice, "price")
	r.SKU = text(xSKU, "sku")
	stock := text(xStock, "in_stock")
	if n := htmlquery.QuerySelector(doc, xImage); n != nil {
		if img, err := pageURL.Parse(htmlquery.SelectAttr(n, "src")); err == nil {
			r.Image = img.String()
		}
	} else {
		missing = append(missing, "image")
	}
	if len(missing) > 0 {
		return r, fmt.Errorf("missing %v", missing)
	}
	var errs []error
	var err error
	if r.Price, err = parsePrice(price); err != nil {
		errs = append(errs, err)
	}
	if r.InStock, err = parseStock(stock); err != nil {
		errs = append(errs, err)
	}
	return r, errors.Join(errs...)
}

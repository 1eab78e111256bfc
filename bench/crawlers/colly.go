package crawlers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

// Colly crawls with colly v2 the way its documentation shows: an async
// collector limited to the site's host and to the two path patterns, a
// LimitRule of Concurrency parallel requests, one OnHTML callback that visits
// links and one that extracts the fields. robots.txt is obeyed, like titan
// does. Colly checks whether a URL was visited and marks it in two steps
// (gocolly/colly#796), so it may fetch a URL twice; the site counts that.
func Colly(ctx context.Context, o Options) (Result, error) {
	base, err := url.Parse(o.Base)
	if err != nil {
		return Result{}, err
	}
	prefix := "^" + regexp.QuoteMeta(base.Scheme+"://"+base.Host)
	c := colly.NewCollector(
		colly.Async(true),
		colly.AllowedDomains(base.Hostname()),
		colly.URLFilters(
			regexp.MustCompile(prefix+ListingPattern[1:]),
			regexp.MustCompile(prefix+ProductPattern[1:]),
		),
		colly.StdlibContext(ctx),
	)
	c.IgnoreRobotsTxt = false
	tr := NewTransport(o.Concurrency)
	defer tr.CloseIdleConnections()
	c.WithTransport(tr)
	c.SetRequestTimeout(30 * time.Second)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: o.Concurrency}); err != nil {
		return Result{}, err
	}

	check := newChecker(o.Products)
	var pages atomic.Int64
	c.OnResponse(func(*colly.Response) { pages.Add(1) })
	c.OnError(func(r *colly.Response, err error) { check.fail(r.Request.URL.String(), err) })
	c.OnHTML("a[href], link[rel=next][href]", func(e *colly.HTMLElement) {
		// Refusals (visited, filtered, other host) are the point of the filters.
		_ = e.Request.Visit(e.Attr("href"))
	})
	c.OnHTML("html", func(e *colly.HTMLElement) {
		if !productRE.MatchString(matchTarget(e.Request.URL)) {
			return
		}
		r, err := collyExtract(e)
		if err != nil {
			check.reject(fmt.Sprintf("%s: %v", e.Request.URL, err))
			return
		}
		check.add(r)
	})

	start := time.Now()
	if err := c.Visit(o.Base + "/products"); err != nil {
		return Result{}, fmt.Errorf("colly: %w", err)
	}
	c.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return check.result("colly", pages.Load(), time.Since(start)), nil
}

// collyExtract reads the five fields with goquery, on the document colly parsed.
func collyExtract(e *colly.HTMLElement) (record, error) {
	var r record
	var missing []string
	text := func(sel, field string) string {
		s := e.DOM.Find(sel).First()
		if s.Length() == 0 {
			missing = append(missing, field)
			return ""
		}
		return collapse(s.Text())
	}
	r.Name = text("h1.product-title", "name")
	price := text(".price-box span.price", "price")
	r.SKU = text("span.sku", "sku")
	stock := text(".availability", "in_stock")
	if src, ok := e.DOM.Find("img.main").First().Attr("src"); ok {
		r.Image = e.Request.AbsoluteURL(src)
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

package crawlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/antchfx/htmlquery"
	"golang.org/x/net/html"

	"github.com/titanscrape/titan/bench/site"
)

// productPage renders product 42 of a site with ~50 KB pages.
func productPage(b *testing.B) ([]byte, *url.URL) {
	b.Helper()
	s, err := site.New(site.Config{Products: 100})
	if err != nil {
		b.Fatal(err)
	}
	p := site.ProductOf(42)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://shop.test"+p.Path(), nil))
	u, _ := url.Parse("http://shop.test" + p.Path())
	return rec.Body.Bytes(), u
}

// BenchmarkBaselineParse is the floor every crawler pays per product page.
func BenchmarkBaselineParse(b *testing.B) {
	body, _ := productPage(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineExtract is the baseline's five fields on a parsed page.
func BenchmarkBaselineExtract(b *testing.B) {
	body, u := productPage(b)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := extract(doc, u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineLinks is the baseline's link query on a parsed page.
func BenchmarkBaselineLinks(b *testing.B) {
	body, _ := productPage(b)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(htmlquery.QuerySelectorAll(doc, xLinks)); n < 10 {
			b.Fatalf("%d links", n)
		}
	}
}

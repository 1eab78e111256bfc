package actions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/schema"
	"github.com/titanscrape/titan/titantest"
)

// benchSchema extracts five fields of a demo shop product page.
const benchSchema = `{"type":"object","required":["name","price","sku","in_stock","image"],"properties":{
 "name":{"type":"string","x-selector":"h1.product-title"},
 "price":{"type":"number","x-selector":".price-box span.price","minimum":0},
 "sku":{"type":"string","x-selector":"span.sku"},
 "in_stock":{"type":"boolean","x-selector":".availability"},
 "image":{"type":"string","format":"media","x-selector":"img.main@src"}}}`

// productPage fetches product 42 of a demo shop with ~50 KB pages.
func productPage(b *testing.B) ([]byte, *url.URL) {
	b.Helper()
	shop := demosite.New(demosite.Config{Products: 100, PageBytes: 50 << 10})
	srv := httptest.NewServer(shop.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + shop.Product(42).URL)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(srv.URL + shop.Product(42).URL)
	return body, u
}

// BenchmarkParse is the baseline: x/net/html alone on a 50 KB product page.
func BenchmarkParse(b *testing.B) {
	body, _ := productPage(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseExtract parses the same page and extracts and validates 5 fields.
func BenchmarkParseExtract(b *testing.B) {
	body, u := productPage(b)
	sc, err := schema.Compile(json.RawMessage(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		items := sc.Extract(doc, u)
		if len(items) != 1 || len(items[0].Errors) != 0 || len(items[0].Data) != 5 {
			b.Fatalf("items = %+v", items)
		}
	}
}

// BenchmarkExtract is the extraction and validation alone, on the parsed page: the
// cost BenchmarkParseExtract adds to BenchmarkParse.
func BenchmarkExtract(b *testing.B) {
	body, u := productPage(b)
	sc, err := schema.Compile(json.RawMessage(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if items := sc.Extract(doc, u); len(items) != 1 || len(items[0].Errors) != 0 {
			b.Fatalf("items = %+v", items)
		}
	}
}

// BenchmarkScrapeLoopback scrapes demo shop product pages served on 127.0.0.1
// through the default runner (real HTTP, robots.txt, per-host limits lifted),
// extracting the five fields. It reports pages per second.
func BenchmarkScrapeLoopback(b *testing.B) {
	for _, c := range []int{8, 32} {
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
			shop := demosite.New(demosite.Config{Products: 2000, PageBytes: 50 << 10})
			srv := httptest.NewServer(shop.Handler())
			defer srv.Close()
			r, err := runner.New(runner.Config{RatePerHost: -1, MaxConnsPerHost: c, Concurrency: c,
				HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c}}})
			if err != nil {
				b.Fatal(err)
			}
			urls := make([]string, b.N)
			for i := range urls {
				urls[i] = srv.URL + shop.Product(1+i%shop.Len()).URL
			}
			task := &titan.Task{Name: "bench", URLs: urls, OutputSchema: json.RawMessage(benchSchema)}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			res := titantest.Run(context.Background(), r, task)
			elapsed := time.Since(start)
			if res.Err != nil || len(res.Errors) != 0 || res.Stats.ValidRecords != int64(b.N) {
				b.Fatalf("err %v, errors %v, stats %+v", res.Err, res.Errors, res.Stats)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pages/s")
		})
	}
}

package demosite_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/titanscrape/titan/internal/demosite"
)

// discard is a ResponseWriter that keeps nothing, so that benchmarks measure
// the shop and not a recorder.
type discard struct {
	h http.Header
	n int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// BenchmarkServeProduct serves product pages of a 10,000-product shop
// through the handler; it must stay well below the cost of fetching and
// parsing the same page.
func BenchmarkServeProduct(b *testing.B) {
	s := demosite.New(demosite.Config{Products: 10_000})
	reqs := make([]*http.Request, 100)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, "http://shop.test"+s.Product(1+i*97).URL, nil)
	}
	w := &discard{h: make(http.Header)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.n = 0
		s.Handler().ServeHTTP(w, reqs[i%len(reqs)])
		i++
	}
	b.SetBytes(int64(w.n))
}

func BenchmarkServeListing(b *testing.B) {
	s := demosite.New(demosite.Config{Products: 10_000})
	reqs := make([]*http.Request, 100)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, "http://shop.test/products?page="+strconv.Itoa(1+i*8), nil)
	}
	w := &discard{h: make(http.Header)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.n = 0
		s.Handler().ServeHTTP(w, reqs[i%len(reqs)])
		i++
	}
	b.SetBytes(int64(w.n))
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		demosite.New(demosite.Config{Products: 10_000})
	}
}

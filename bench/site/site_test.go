package site_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/titanscrape/titan/bench/site"
)

func get(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://shop.test"+target, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestProductPage(t *testing.T) {
	s, err := site.New(site.Config{Products: 50})
	if err != nil {
		t.Fatal(err)
	}
	p := site.ProductOf(7)
	code, body := get(t, s.Handler(), p.Path())
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if n := len(body); n < 48_000 || n > 53_000 {
		t.Errorf("page is %d bytes, want about 50,000", n)
	}
	for _, want := range []string{
		`<h1 class="product-title">` + p.Name + `</h1>`,
		`<p class="price-box"><span class="price">` + p.PriceText() + `</span>`,
		`<span class="sku">` + p.SKU + `</span>`,
		`<p class="availability out-of-stock">Out of stock</p>`, // 7 % 7 == 0
		`<img class="main" src="/img/7.jpg"`,
		`<link rel="canonical" href="http://shop.test` + p.Path() + `">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if _, again := get(t, s.Handler(), p.Path()); again != body {
		t.Error("the same page rendered twice differs")
	}
}

func TestListingPagination(t *testing.T) {
	s, err := site.New(site.Config{Products: 45, PerPage: 20})
	if err != nil {
		t.Fatal(err)
	}
	href := regexp.MustCompile(`<a class="product-link" href="([^"]+)"`)
	next := regexp.MustCompile(`<a rel="next" href="([^"]+)"`)
	var products []string
	var pages []string
	for u := "/products"; u != ""; {
		pages = append(pages, u)
		code, body := get(t, s.Handler(), u)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", u, code)
		}
		for _, m := range href.FindAllStringSubmatch(body, -1) {
			products = append(products, m[1])
		}
		u = ""
		if m := next.FindStringSubmatch(body); m != nil {
			u = m[1]
		}
	}
	if want := []string{"/products", "/products?page=2", "/products?page=3"}; strings.Join(pages, " ") != strings.Join(want, " ") {
		t.Errorf("pages %v, want %v", pages, want)
	}
	if len(products) != 45 || products[0] != site.ProductOf(1).Path() || products[44] != site.ProductOf(45).Path() {
		t.Errorf("%d product links, first %s, last %s", len(products), products[0], products[len(products)-1])
	}
}

func TestStatsCountDuplicatesAndOffScope(t *testing.T) {
	s, err := site.New(site.Config{Products: 30})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, u := range []string{"/robots.txt", "/products", "/products?page=2", site.ProductOf(3).Path(), site.ProductOf(3).Path(),
		"/category/kitchen", "/products?page=1", "/product/3-wrong-slug"} {
		get(t, h, u)
	}
	want := site.Stats{Requests: 8, Distinct: 7, Pages: 3, Duplicates: 1, OffScope: 3, MaxPerURL: 2, PeakInFlight: 1}
	got := s.Stats()
	if got.Busy <= 0 {
		t.Errorf("busy %s, want more than 0", got.Busy)
	}
	got.Busy = 0
	if got != want {
		t.Errorf("stats %+v\nwant  %+v", got, want)
	}
	s.Reset()
	if got := s.Stats(); got != (site.Stats{}) {
		t.Errorf("after Reset: %+v", got)
	}
}

func TestConfigRejectsNonsense(t *testing.T) {
	_, err := site.New(site.Config{Products: -1, Latency: -1})
	if err == nil || !strings.Contains(err.Error(), "Products -1") || !strings.Contains(err.Error(), "Latency -1ns") {
		t.Fatalf("err = %v", err)
	}
}

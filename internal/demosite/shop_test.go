package demosite_test

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/page"
)

// price formats p the way the pages should, independently of the shop's code.
func price(p float64) string {
	s := fmt.Sprintf("%.2f", p)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	return "$" + b.String() + "." + frac
}

func TestConfigDefaults(t *testing.T) {
	got := demosite.New(demosite.Config{Products: -3, PerPage: 0, PageBytes: -1, Latency: -1}).Config()
	want := demosite.Config{Products: 60, PerPage: 12, Seed: 1, PageBytes: 50_000}
	if got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
}

func TestRoutes(t *testing.T) {
	s := demosite.New(demosite.Config{})
	p42 := s.Product(42)
	tests := []struct {
		target     string
		wantStatus int
		wantType   string
		wantTitle  string // <title>, for HTML pages
	}{
		{"/", 200, "text/html; charset=utf-8", "Home | Titan Demo Shop"},
		{"/products", 200, "text/html; charset=utf-8", "All products – page 1 of 5 | Titan Demo Shop"},
		{"/products?page=1", 200, "text/html; charset=utf-8", "All products – page 1 of 5 | Titan Demo Shop"},
		{"/products?page=5", 200, "text/html; charset=utf-8", "All products – page 5 of 5 | Titan Demo Shop"},
		{"/category/" + p42.CategorySlug, 200, "text/html; charset=utf-8", ""},
		{p42.URL, 200, "text/html; charset=utf-8", p42.Name + " | Titan Demo Shop"},
		{"/info/about", 200, "text/html; charset=utf-8", "About us | Titan Demo Shop"},
		{"/info/shipping", 200, "text/html; charset=utf-8", "Shipping | Titan Demo Shop"},
		{"/info/returns", 200, "text/html; charset=utf-8", "Returns & refunds | Titan Demo Shop"},
		{"/info/privacy", 200, "text/html; charset=utf-8", "Privacy policy | Titan Demo Shop"},
		{"/info/contact", 200, "text/html; charset=utf-8", "Contact us | Titan Demo Shop"},
		{"/cart", 200, "text/html; charset=utf-8", "Your cart | Titan Demo Shop"},
		{"/sitemap.xml", 200, "application/xml; charset=utf-8", ""},
		{"/robots.txt", 200, "text/plain; charset=utf-8", ""},
		{"/img/42.jpg", 200, "image/jpeg", ""},
		{"/nope", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products/", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products?page=0", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products?page=6", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products?page=abc", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products?page=02", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/products?page=1&page=2", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/category/nope", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/category/", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/product/", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/product/0-x", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/product/61-x", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/product/042-" + p42.Slug, 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/product/abc", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/img/0.jpg", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/img/61.jpg", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/img/42.png", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/info/nope", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
		{"/search?q=laptop", 404, "text/html; charset=utf-8", "Page not found | Titan Demo Shop"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			r := get(t, s, tt.target)
			if r.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", r.status, tt.wantStatus)
			}
			if got := r.header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := r.header.Get("Content-Length"); got != strconv.Itoa(len(r.body)) {
				t.Errorf("Content-Length = %q, want %d", got, len(r.body))
			}
			if tt.wantTitle != "" {
				if got := page.ExtractMetadata(parse(t, r.body), nil).Title; got != tt.wantTitle {
					t.Errorf("title = %q, want %q", got, tt.wantTitle)
				}
			}
		})
	}
}

func TestRedirectToCanonicalSlug(t *testing.T) {
	s := demosite.New(demosite.Config{})
	p := s.Product(7)
	for _, target := range []string{"/product/7", "/product/7-", "/product/7-wrong-slug"} {
		r := get(t, s, target)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != p.URL {
			t.Errorf("GET %s = %d to %q, want 301 to %q", target, r.status, r.header.Get("Location"), p.URL)
		}
	}
}

func TestMethods(t *testing.T) {
	s := demosite.New(demosite.Config{})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		r := do(t, s, m, "/cart")
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /cart = %d, Allow %q; want 405, \"GET, HEAD\"", m, r.status, r.header.Get("Allow"))
		}
	}
	get := mustGet(t, s, "/")
	head := do(t, s, http.MethodHead, "/")
	if head.status != http.StatusOK || head.body != "" || head.header.Get("Content-Length") != strconv.Itoa(len(get)) {
		t.Errorf("HEAD / = %d, %d body bytes, Content-Length %q; want 200, 0, %d",
			head.status, len(head.body), head.header.Get("Content-Length"), len(get))
	}
}

// TestProductPages checks every product page against the ground truth.
func TestProductPages(t *testing.T) {
	s := demosite.New(demosite.Config{})
	if s.Len() != 60 {
		t.Fatalf("Len() = %d, want 60", s.Len())
	}
	thousands := 0
	for id := 1; id <= s.Len(); id++ {
		p := s.Product(id)
		t.Run(p.URL, func(t *testing.T) {
			if p.ID != id || p.SKU != fmt.Sprintf("SKU-%05d", id) || p.Image != fmt.Sprintf("/img/%d.jpg", id) ||
				p.URL != fmt.Sprintf("/product/%d-%s", id, p.Slug) || p.Currency != "USD" {
				t.Fatalf("inconsistent product %+v", p)
			}
			doc := parse(t, mustGet(t, s, p.URL))
			avail := "Out of stock"
			if p.InStock {
				avail = "In stock"
			}
			reviews := fmt.Sprintf("(%d reviews)", p.Reviews)
			if p.Reviews == 1 {
				reviews = "(1 review)"
			}
			checks := []struct{ what, got, want string }{
				{"title", one(t, doc, "h1.product-title"), p.Name},
				{"price text", one(t, doc, ".price-box span.price"), price(p.Price)},
				{"data-price", attr(t, doc, ".price-box span.price", "data-price"), fmt.Sprintf("%.2f", p.Price)},
				{"sku", one(t, doc, "span.sku"), p.SKU},
				{"availability", one(t, doc, "p.availability"), avail},
				{"rating", one(t, doc, ".rating .rating-value"), fmt.Sprintf("%.1f", p.Rating)},
				{"review count", one(t, doc, ".rating .review-count"), reviews},
				{"image", attr(t, doc, "img.main", "src"), p.Image},
				{"brand", one(t, doc, ".brand-name"), p.Brand},
				{"breadcrumb category", one(t, doc, ".breadcrumbs li:nth-child(2) a"), p.Category},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			var tags []string
			for _, n := range sel(doc, "ul.tags > li") {
				tags = append(tags, text(n))
			}
			if !slices.Equal(tags, p.Tags) {
				t.Errorf("tags = %q, want %q", tags, p.Tags)
			}

			md := page.ExtractMetadata(doc, mustURL(t, origin+"/"))
			availability := "https://schema.org/OutOfStock"
			if p.InStock {
				availability = "https://schema.org/InStock"
			}
			want := page.Metadata{
				Title:       p.Name + " | Titan Demo Shop",
				Description: p.Description,
				Canonical:   origin + p.URL,
				Language:    "en",
				OpenGraph: map[string]string{
					"og:type":           "product",
					"og:site_name":      "Titan Demo Shop",
					"og:title":          p.Name,
					"og:description":    p.Description,
					"og:url":            origin + p.URL,
					"og:image":          origin + p.Image,
					"og:price:amount":   fmt.Sprintf("%.2f", p.Price),
					"og:price:currency": "USD",
				},
				JSONLD: []any{
					map[string]any{
						"@context":    "https://schema.org",
						"@type":       "Product",
						"name":        p.Name,
						"sku":         p.SKU,
						"image":       origin + p.Image,
						"description": p.Description,
						"brand":       map[string]any{"@type": "Brand", "name": p.Brand},
						"category":    p.Category,
						"aggregateRating": map[string]any{
							"@type": "AggregateRating", "ratingValue": p.Rating, "reviewCount": float64(p.Reviews),
						},
						"offers": map[string]any{
							"@type": "Offer", "url": origin + p.URL, "price": fmt.Sprintf("%.2f", p.Price),
							"priceCurrency": "USD", "availability": availability,
						},
					},
					map[string]any{
						"@context": "https://schema.org",
						"@type":    "BreadcrumbList",
						"itemListElement": []any{
							map[string]any{"@type": "ListItem", "position": float64(1), "name": "Home", "item": origin + "/"},
							map[string]any{"@type": "ListItem", "position": float64(2), "name": p.Category, "item": origin + "/category/" + p.CategorySlug},
							map[string]any{"@type": "ListItem", "position": float64(3), "name": p.Name},
						},
					},
				},
			}
			if !reflect.DeepEqual(md, want) {
				t.Errorf("metadata =\n%#v\nwant\n%#v", md, want)
			}

			// Every link stays on the shop's host; the skip link, the link to
			// the reviews, mailto: and tel: are skipped.
			links, skipped := page.Links(doc, mustURL(t, origin+p.URL))
			for _, l := range links {
				if !strings.HasPrefix(l.URL, origin+"/") {
					t.Errorf("link %q leaves the shop", l.URL)
				}
			}
			if skipped != 4 {
				t.Errorf("skipped links = %d, want 4", skipped)
			}
		})
		if p.Price >= 1000 {
			thousands++
		}
	}
	if thousands == 0 {
		t.Errorf("no product costs 1,000 or more: thousands separators are never exercised")
	}
}

func TestDeterminism(t *testing.T) {
	cfg := demosite.Config{Products: 30, PerPage: 7, Seed: 42, PageBytes: 20_000}
	a, b := demosite.New(cfg), demosite.New(cfg)
	if !reflect.DeepEqual(a.Products(), b.Products()) {
		t.Fatalf("two shops with the same config have different products")
	}
	targets := []string{"/", "/products?page=3", "/category/laptops", "/sitemap.xml", "/robots.txt", "/img/5.jpg", "/nope"}
	for _, p := range a.Products() {
		targets = append(targets, p.URL)
	}
	for _, target := range targets {
		if ra, rb := get(t, a, target), get(t, b, target); ra.status != rb.status || ra.body != rb.body {
			t.Errorf("GET %s differs between two shops with the same config", target)
		}
	}

	other := demosite.New(demosite.Config{Products: 30, PerPage: 7, Seed: 43, PageBytes: 20_000})
	if reflect.DeepEqual(a.Products(), other.Products()) {
		t.Errorf("shops with seeds 42 and 43 have the same products")
	}
	if zero, one := demosite.New(demosite.Config{}), demosite.New(demosite.Config{Seed: 1}); !reflect.DeepEqual(zero.Products(), one.Products()) {
		t.Errorf("seed 0 does not mean the default seed 1")
	}
}

func TestProductPageSize(t *testing.T) {
	for _, target := range []int{20_000, 50_000, 200_000} {
		t.Run(strconv.Itoa(target), func(t *testing.T) {
			s := demosite.New(demosite.Config{PageBytes: target})
			for _, p := range s.Products() {
				n := len(mustGet(t, s, p.URL))
				if n < target*9/10 || n > target*11/10 {
					t.Errorf("%s: %d bytes, want %d ± 10%%", p.URL, n, target)
				}
			}
		})
	}
}

// crawlListing follows rel=next links from start and returns the product IDs
// of the cards in order and the number of pages.
func crawlListing(t *testing.T, s *demosite.Shop, start string) (ids []int, pages int) {
	t.Helper()
	for target := start; target != ""; pages++ {
		if pages > 100 {
			t.Fatalf("more than 100 pages from %s", start)
		}
		doc := parse(t, mustGet(t, s, target))
		for _, card := range sel(doc, "div.product-card") {
			for _, a := range card.Attr {
				if a.Key == "data-product-id" {
					id, err := strconv.Atoi(a.Val)
					if err != nil {
						t.Fatalf("%s: data-product-id %q", target, a.Val)
					}
					ids = append(ids, id)
				}
			}
		}
		next := sel(doc, `a[rel="next"]`)
		head := sel(doc, `head link[rel="next"]`)
		if len(next) != len(head) {
			t.Fatalf("%s: %d rel=next anchors but %d <link rel=next>", target, len(next), len(head))
		}
		target = ""
		if len(next) == 1 {
			target = attr(t, doc, `a[rel="next"]`, "href")
			if h := attr(t, doc, `head link[rel="next"]`, "href"); h != target {
				t.Fatalf("%s: <link rel=next> %q differs from <a rel=next> %q", target, h, target)
			}
		}
	}
	return ids, pages
}

func TestListingPaginationCoversEveryProductOnce(t *testing.T) {
	for _, cfg := range []demosite.Config{{}, {Products: 100, PerPage: 7}, {Products: 12, PerPage: 12}, {Products: 5, PerPage: 10}} {
		t.Run(fmt.Sprintf("%d/%d", cfg.Products, cfg.PerPage), func(t *testing.T) {
			s := demosite.New(cfg)
			per := s.Config().PerPage
			ids, pages := crawlListing(t, s, "/products")
			want := make([]int, s.Len())
			for i := range want {
				want[i] = i + 1
			}
			if !slices.Equal(ids, want) {
				t.Errorf("listing shows products %v, want %v", ids, want)
			}
			if wantPages := (s.Len() + per - 1) / per; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}

			// The category listings together cover every product once too.
			var all []int
			for _, c := range []string{"laptops", "cameras", "headphones", "coffee-machines", "smartphones", "monitors", "bicycles", "books"} {
				ids, _ := crawlListing(t, s, "/category/"+c)
				for _, id := range ids {
					if got := s.Product(id).CategorySlug; got != c {
						t.Errorf("product %d of category %s is listed under %s", id, got, c)
					}
				}
				all = append(all, ids...)
			}
			slices.Sort(all)
			if !slices.Equal(all, want) {
				t.Errorf("categories list products %v, want %v", all, want)
			}
		})
	}
}

func TestListingCards(t *testing.T) {
	s := demosite.New(demosite.Config{})
	doc := parse(t, mustGet(t, s, "/products?page=2"))
	cards := sel(doc, "div.product-card")
	if len(cards) != 12 {
		t.Fatalf("%d cards, want 12", len(cards))
	}
	for i, c := range cards {
		p := s.Product(13 + i)
		if got := one(t, c, ".product-card .name"); got != p.Name {
			t.Errorf("card %d name = %q, want %q", i, got, p.Name)
		}
		if got := attr(t, c, "a.product-link", "href"); got != p.URL {
			t.Errorf("card %d link = %q, want %q", i, got, p.URL)
		}
		if got := one(t, c, "span.price"); got != price(p.Price) {
			t.Errorf("card %d price = %q, want %q", i, got, price(p.Price))
		}
		if got := attr(t, c, "img", "src"); got != p.Image {
			t.Errorf("card %d image = %q, want %q", i, got, p.Image)
		}
	}
	if got := one(t, doc, "p.result-count"); got != "Showing 13–24 of 60 products" {
		t.Errorf("result count = %q", got)
	}
	if got, want := attr(t, doc, `a[rel="prev"]`, "href"), "/products"; got != want {
		t.Errorf("rel=prev = %q, want %q", got, want)
	}
}

func TestSetEpoch(t *testing.T) {
	s := demosite.New(demosite.Config{Products: 200})
	before := s.Products()
	s.SetEpoch(1)
	if s.Epoch() != 1 {
		t.Fatalf("Epoch() = %d, want 1", s.Epoch())
	}
	after := s.Products()
	changedPrice, changedStock := 0, 0
	for i := range before {
		b, a := before[i], after[i]
		if a.Price != b.Price {
			changedPrice++
			if a.Price < b.Price*0.79 || a.Price > b.Price*1.21+5 {
				t.Errorf("product %d: price %v -> %v, more than 20%%", a.ID, b.Price, a.Price)
			}
		}
		if a.InStock != b.InStock {
			changedStock++
		}
		a.Price, a.InStock = b.Price, b.InStock
		if !reflect.DeepEqual(a, b) {
			t.Errorf("product %d changed more than price and stock", a.ID)
		}
	}
	// About a quarter change price and a tenth stock; the exact numbers are
	// fixed by the seed.
	if changedPrice < 30 || changedPrice > 70 || changedStock < 8 || changedStock > 35 {
		t.Errorf("epoch 1 changed %d prices and %d stocks of 200", changedPrice, changedStock)
	}

	// The pages follow the epoch.
	for i := range after {
		if after[i].Price != before[i].Price {
			doc := parse(t, mustGet(t, s, after[i].URL))
			if got := attr(t, doc, ".price-box span.price", "data-price"); got != fmt.Sprintf("%.2f", after[i].Price) {
				t.Errorf("product %d page price %s, want %.2f", after[i].ID, got, after[i].Price)
			}
			break
		}
	}

	// Epochs are deterministic and not cumulative.
	s.SetEpoch(2)
	s.SetEpoch(1)
	if !reflect.DeepEqual(s.Products(), after) {
		t.Errorf("returning to epoch 1 gives another catalogue")
	}
	s.SetEpoch(0)
	if !reflect.DeepEqual(s.Products(), before) {
		t.Errorf("epoch 0 does not restore the initial catalogue")
	}
	s.SetEpoch(-5)
	if s.Epoch() != 0 {
		t.Errorf("SetEpoch(-5): Epoch() = %d, want 0", s.Epoch())
	}
}

// TestSetEpochConcurrent changes epochs while pages are served; run with
// -race.
func TestSetEpochConcurrent(t *testing.T) {
	s := demosite.New(demosite.Config{Products: 20, PageBytes: 15_000})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range 50 {
			s.SetEpoch(e % 3)
		}
	}()
	for i := range 50 {
		p := s.Product(1 + i%20)
		mustGet(t, s, p.URL)
		mustGet(t, s, "/products?page=2")
	}
	<-done
}

func TestProductCopies(t *testing.T) {
	s := demosite.New(demosite.Config{})
	p := s.Product(3)
	want := slices.Clone(p.Tags)
	p.Tags[0] = "changed"
	ps := s.Products()
	ps[2].Tags[0] = "changed"
	if got := s.Product(3).Tags; !slices.Equal(got, want) {
		t.Errorf("Tags = %q after modifying copies, want %q", got, want)
	}
	for _, id := range []int{0, -1, 61} {
		if got := s.Product(id); !reflect.DeepEqual(got, demosite.Product{}) {
			t.Errorf("Product(%d) = %+v, want the zero Product", id, got)
		}
	}
}

func TestRobots(t *testing.T) {
	got := mustGet(t, demosite.New(demosite.Config{}), "/robots.txt")
	if want := "User-agent: *\nDisallow: /cart\nSitemap: http://shop.test/sitemap.xml\n"; got != want {
		t.Errorf("default robots.txt = %q, want %q", got, want)
	}
	custom := "User-agent: *\nDisallow: /\n"
	if got := mustGet(t, demosite.New(demosite.Config{Robots: custom}), "/robots.txt"); got != custom {
		t.Errorf("custom robots.txt = %q, want %q", got, custom)
	}
}

func TestSitemap(t *testing.T) {
	s := demosite.New(demosite.Config{Products: 3})
	var want strings.Builder
	want.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, p := range s.Products() {
		want.WriteString("<url><loc>http://shop.test" + p.URL + "</loc></url>\n")
	}
	want.WriteString("</urlset>\n")
	if got := mustGet(t, s, "/sitemap.xml"); got != want.String() {
		t.Errorf("sitemap =\n%s\nwant\n%s", got, want.String())
	}
}

func TestImages(t *testing.T) {
	s := demosite.New(demosite.Config{})
	seen := make(map[string]int)
	for id := 1; id <= 5; id++ {
		body := mustGet(t, s, fmt.Sprintf("/img/%d.jpg", id))
		img, err := jpeg.Decode(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("/img/%d.jpg: %v", id, err)
		}
		if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 16 {
			t.Errorf("/img/%d.jpg is %v, want 16x16", id, b)
		}
		if len(body) > 2048 {
			t.Errorf("/img/%d.jpg has %d bytes, want a tiny image", id, len(body))
		}
		if prev, dup := seen[body]; dup {
			t.Errorf("/img/%d.jpg has the same bytes as /img/%d.jpg", id, prev)
		}
		seen[body] = id
	}
}

func TestRequestCounts(t *testing.T) {
	s := demosite.New(demosite.Config{})
	for _, target := range []string{"/", "/products", "/products?page=2", "/products?page=2", "/nope", "/robots.txt"} {
		get(t, s, target)
	}
	do(t, s, http.MethodPost, "/cart")
	if got := s.Requests(); got != 7 {
		t.Errorf("Requests() = %d, want 7", got)
	}
	counts := map[string]int64{
		"/": 1, "/products": 3, "/products?page=2": 2, "/products?page=1": 0,
		"/nope": 1, "/robots.txt": 1, "/cart": 1, "/sitemap.xml": 0,
	}
	for path, want := range counts {
		if got := s.RequestsFor(path); got != want {
			t.Errorf("RequestsFor(%q) = %d, want %d", path, got, want)
		}
	}
}

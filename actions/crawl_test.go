package actions_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// links renders a page linking to hrefs.
func links(title string, hrefs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>%s</title></head><body><h1>%s</h1>", title, title)
	for _, h := range hrefs {
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, h, h)
	}
	b.WriteString("</body></html>")
	return b.String()
}

// crawlMap runs a map-mode crawl and returns the URLs it listed, sorted, and the stats.
func crawlMap(t *testing.T, site *titantest.Site, seeds []string, params map[string]any, limits *titan.Limits) ([]string, titan.Stats) {
	t.Helper()
	p := map[string]any{"mode": "map"}
	for k, v := range params {
		p[k] = v
	}
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), &titan.Task{
		Name: "map", ActionType: titan.ActionCrawl, URLs: seeds, Params: p, Limits: limits,
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, r := range res.Records {
		got = append(got, r.URL)
	}
	sort.Strings(got)
	return got, res.Stats
}

func TestCrawlScopes(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://shop.example.co.uk/": links("home",
			"/a", "https://shop.example.co.uk/b", "https://blog.example.co.uk/post",
			"https://deep.shop.example.co.uk/x", "https://other.co.uk/", "http://shop.example.co.uk/c"),
	})
	tests := []struct {
		scope string
		want  []string
	}{
		{"", []string{"http://shop.example.co.uk/c", "https://shop.example.co.uk/", "https://shop.example.co.uk/a", "https://shop.example.co.uk/b"}},
		{"same_host", []string{"http://shop.example.co.uk/c", "https://shop.example.co.uk/", "https://shop.example.co.uk/a", "https://shop.example.co.uk/b"}},
		{"subdomains", []string{"http://shop.example.co.uk/c", "https://deep.shop.example.co.uk/x", "https://shop.example.co.uk/", "https://shop.example.co.uk/a", "https://shop.example.co.uk/b"}},
		{"same_domain", []string{"http://shop.example.co.uk/c", "https://blog.example.co.uk/post", "https://deep.shop.example.co.uk/x", "https://shop.example.co.uk/", "https://shop.example.co.uk/a", "https://shop.example.co.uk/b"}},
		{"all", []string{"http://shop.example.co.uk/c", "https://blog.example.co.uk/post", "https://deep.shop.example.co.uk/x", "https://other.co.uk/", "https://shop.example.co.uk/", "https://shop.example.co.uk/a", "https://shop.example.co.uk/b"}},
	}
	for _, tt := range tests {
		t.Run(tt.scope, func(t *testing.T) {
			got, st := crawlMap(t, site, []string{"https://shop.example.co.uk/"}, map[string]any{"scope": tt.scope}, nil)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v\nwant %v", got, tt.want)
			}
			if out := 7 - len(tt.want); st.Skipped["out_of_scope"] != int64(out) {
				t.Fatalf("skipped %v, want %d out of scope", st.Skipped, out)
			}
		})
	}
}

func TestCrawlIncludeExcludeAndLimitsAfterFiltering(t *testing.T) {
	var hrefs []string
	for i := range 10 {
		hrefs = append(hrefs, fmt.Sprintf("/blog/%d", i), fmt.Sprintf("/products/%d?utm_source=x", i))
	}
	hrefs = append(hrefs, "/products/secret", "/products/3?color=red")
	site := titantest.NewSite(map[string]string{"https://shop.test/": links("home", hrefs...)})
	got, st := crawlMap(t, site, []string{"https://shop.test/"}, map[string]any{
		"include_paths": []any{"^/products/"},
		"exclude_paths": []any{"secret", `color=`},
	}, &titan.Limits{MaxPages: 6})
	// The seed is fetched (it counts towards max_pages) but not listed: it does not
	// match include_paths.
	want := []string{"https://shop.test/products/0", "https://shop.test/products/1",
		"https://shop.test/products/2", "https://shop.test/products/3", "https://shop.test/products/4"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	wantSkipped := map[string]int64{"not_matched_by_include_paths": 10, "excluded_by_exclude_paths": 2, runner.SkipMaxPages: 5}
	for k, v := range wantSkipped {
		if st.Skipped[k] != v {
			t.Errorf("skipped[%s] = %d, want %d (all: %v)", k, st.Skipped[k], v, st.Skipped)
		}
	}
}

func TestCrawlDepthAndCycles(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://g.test/":         links("root", "/a", "/b"),
		"https://g.test/a":        links("a", "/", "/b", "/a/deeper", "./a#frag"),
		"https://g.test/b":        links("b", "/a", "../", "/b/deeper"),
		"https://g.test/a/deeper": links("deeper", "/a/deepest"),
	})
	for depth, want := range map[int][]string{
		1: {"https://g.test/", "https://g.test/a", "https://g.test/b"},
		2: {"https://g.test/", "https://g.test/a", "https://g.test/a/deeper", "https://g.test/b", "https://g.test/b/deeper"},
		3: {"https://g.test/", "https://g.test/a", "https://g.test/a/deeper", "https://g.test/a/deepest", "https://g.test/b", "https://g.test/b/deeper"},
	} {
		got, _ := crawlMap(t, site, []string{"https://g.test/"}, nil, &titan.Limits{MaxDepth: depth})
		if !slices.Equal(got, want) {
			t.Errorf("depth %d: got %v\nwant %v", depth, got, want)
		}
	}
	for _, u := range []string{"https://g.test/", "https://g.test/a", "https://g.test/b"} {
		if site.Hits(u) > 3 {
			t.Errorf("%s fetched %d times over 3 crawls", u, site.Hits(u))
		}
	}
}

func TestCrawlOddLinks(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://odd.test/dir/page": links("odd",
			"javascript:void(0)", "mailto:a@odd.test", "data:text/html,hi", "tel:123",
			"//odd.test/proto-relative", "../up", "same", "?q=1", "#only-frag",
			"HTTPS://ODD.TEST:443/dir/./page", "https://odd.test/dir/page#x"),
	})
	got, st := crawlMap(t, site, []string{"https://odd.test/dir/page"}, nil, nil)
	want := []string{"https://odd.test/dir/page", "https://odd.test/dir/page?q=1", "https://odd.test/dir/same", "https://odd.test/proto-relative", "https://odd.test/up"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	// The two links back to the page itself normalise to one URL, offered once.
	if st.Skipped[runner.SkipDuplicate] != 1 || st.Skipped["not_fetchable"] != 5 {
		t.Fatalf("skipped = %v", st.Skipped)
	}
}

func TestCrawlNofollowAndLinkSelector(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://n.test/": `<html><head><link rel="next" href="/page2"></head><body>
<nav><a href="/about">about</a><a rel="nofollow" href="/login">login</a></nav>
<div class="products"><a href="/p/1">p1</a><a href="/p/2" rel="nofollow ugc">p2</a></div></body></html>`,
	})
	got, st := crawlMap(t, site, []string{"https://n.test/"}, nil, nil)
	if want := []string{"https://n.test/", "https://n.test/about", "https://n.test/p/1", "https://n.test/page2"}; !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if st.Skipped["nofollow"] != 2 {
		t.Fatalf("skipped = %v", st.Skipped)
	}
	got, _ = crawlMap(t, site, []string{"https://n.test/"}, map[string]any{"link_selector": ".products", "follow_nofollow": true}, nil)
	if want := []string{"https://n.test/", "https://n.test/p/1", "https://n.test/p/2", "https://n.test/page2"}; !slices.Equal(got, want) {
		t.Fatalf("with selector: got %v\nwant %v", got, want)
	}
}

func TestCrawlRedirects(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://r.test/":    links("home", "/old", "/away", "/loop1", "/new"),
		"https://r.test/new": links("new"),
	})
	redirect := func(from, to string) {
		site.Set(from, titantest.Page{Status: http.StatusMovedPermanently, Header: http.Header{"Location": {to}}})
	}
	redirect("https://r.test/old", "/new")
	redirect("https://r.test/away", "https://elsewhere.test/")
	redirect("https://r.test/loop1", "/loop2")
	redirect("https://r.test/loop2", "/loop1")
	schema := json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`)
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), &titan.Task{
		Name: "r", ActionType: titan.ActionCrawl, URLs: []string{"https://r.test/"}, OutputSchema: schema,
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var titles []string
	for _, r := range res.Records {
		titles = append(titles, r.Data["title"].(string))
	}
	sort.Strings(titles)
	if !slices.Equal(titles, []string{"home", "new"}) {
		t.Fatalf("titles = %v", titles)
	}
	if site.Hits("https://r.test/new") != 1 || site.Hits("https://elsewhere.test/") != 0 {
		t.Fatalf("/new fetched %d times, elsewhere %d", site.Hits("https://r.test/new"), site.Hits("https://elsewhere.test/"))
	}
	// A redirect loop is an error; /old → /new is a duplicate, found as the
	// redirect (when home's link to /new came first) or as the link (when /old
	// was fetched first); /away leaves the scope.
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "too many redirects") || res.Errors[0].URL != "https://r.test/loop1" {
		t.Fatalf("errors = %+v", res.Errors)
	}
	if res.Stats.Skipped["redirect_duplicate"]+res.Stats.Skipped[runner.SkipDuplicate] != 1 || res.Stats.Skipped["redirect_out_of_scope"] != 1 {
		t.Fatalf("skipped = %v", res.Stats.Skipped)
	}
}

func TestCrawlRobotsDisallow(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://rb.test/":           links("home", "/private/x", "/public"),
		"https://rb.test/public":     links("public"),
		"https://rb.test/robots.txt": "User-agent: *\nDisallow: /private\n",
	})
	site.Set("https://rb.test/robots.txt", titantest.Page{ContentType: "text/plain", Body: "User-agent: *\nDisallow: /private\n"})
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), &titan.Task{
		Name: "rb", ActionType: titan.ActionCrawl, URLs: []string{"https://rb.test/"},
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`),
	})
	if site.Hits("https://rb.test/private/x") != 0 {
		t.Fatal("disallowed page fetched")
	}
	if len(res.Records) != 2 || len(res.Errors) != 1 || res.Errors[0].Class != titan.ClassRobots {
		t.Fatalf("records %d, errors %+v", len(res.Records), res.Errors)
	}
}

func TestCrawlSitemaps(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://sm.test/p/3</loc></url><url><loc>https://other.test/p/9</loc></url></urlset>`))
	zw.Close()
	site := titantest.NewSite(map[string]string{
		"https://sm.test/": links("home", "/linked"),
	})
	site.Set("https://sm.test/robots.txt", titantest.Page{ContentType: "text/plain", Body: "User-agent: *\nAllow: /\nSitemap: https://sm.test/sitemap_index.xml\n"})
	site.Set("https://sm.test/sitemap_index.xml", titantest.Page{ContentType: "application/xml", Body: `<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://sm.test/sitemap1.xml</loc></sitemap><sitemap><loc>https://sm.test/sitemap2.xml.gz</loc></sitemap></sitemapindex>`})
	site.Set("https://sm.test/sitemap1.xml", titantest.Page{ContentType: "application/xml", Body: `<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://sm.test/p/1</loc></url><url><loc> https://sm.test/p/2 </loc></url><url><loc>/relative</loc></url></urlset>`})
	site.Set("https://sm.test/sitemap2.xml.gz", titantest.Page{ContentType: "application/gzip", Body: gz.String()})

	got, st := crawlMap(t, site, []string{"https://sm.test/"}, map[string]any{"sitemap": "only"}, nil)
	if want := []string{"https://sm.test/", "https://sm.test/p/1", "https://sm.test/p/2", "https://sm.test/p/3"}; !slices.Equal(got, want) {
		t.Fatalf("only: got %v\nwant %v", got, want)
	}
	if st.Skipped["out_of_scope"] != 1 || st.Skipped["sitemap_bad_entry"] != 1 {
		t.Fatalf("skipped = %v", st.Skipped)
	}
	got, _ = crawlMap(t, site, []string{"https://sm.test/"}, map[string]any{"sitemap": "include"}, nil)
	if want := []string{"https://sm.test/", "https://sm.test/linked", "https://sm.test/p/1", "https://sm.test/p/2", "https://sm.test/p/3"}; !slices.Equal(got, want) {
		t.Fatalf("include: got %v\nwant %v", got, want)
	}
}

func TestCrawlParamsValidation(t *testing.T) {
	r := titantest.NewRunner(t, titantest.NewSite(nil), nil)
	err := r.Validate(&titan.Task{Name: "v", ActionType: titan.ActionCrawl, URLs: []string{"https://v.test/"}, Params: map[string]any{
		"mode": "scan", "include_paths": []any{"("}, "link_selector": "a[", "sitemap": "maybe",
	}})
	for _, want := range []string{"params.mode: unknown mode", "include_paths[0]", "params.link_selector: invalid CSS selector", "params.sitemap: unknown sitemap policy"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if err := r.Validate(&titan.Task{Name: "v", ActionType: titan.ActionCrawl, URLs: []string{"https://v.test/"}, Params: map[string]any{"depth": 3}}); err == nil || !strings.Contains(err.Error(), `unknown field "depth"`) {
		t.Errorf("unknown param: %v", err)
	}
}

// TestCrawlShopExtractsEveryProductOnce crawls the demo shop over real HTTP and
// checks that every product is extracted exactly once and no URL is fetched twice.
func TestCrawlShopExtractsEveryProductOnce(t *testing.T) {
	shop := demosite.New(demosite.Config{Products: 60, PerPage: 12, PageBytes: 8 << 10})
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		shop.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: 8, MaxConnsPerHost: 8})
	if err != nil {
		t.Fatal(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name: "shop", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/products"},
		Params:       map[string]any{"include_paths": []any{`^/products(\?page=\d+)?$`, `^/product/`}, "extract_paths": []any{`^/product/`}},
		Limits:       &titan.Limits{MaxDepth: 10, MaxPages: 1000},
		OutputSchema: json.RawMessage(benchSchema),
	})
	if res.Err != nil || len(res.Errors) != 0 {
		t.Fatalf("err %v, errors %+v", res.Err, res.Errors)
	}
	skus := map[string]int{}
	for _, rec := range res.Records {
		if !rec.Valid() {
			t.Fatalf("invalid record %+v", rec)
		}
		skus[rec.Data["sku"].(string)]++
	}
	if len(skus) != 60 || len(res.Records) != 60 {
		t.Fatalf("%d records, %d distinct SKUs", len(res.Records), len(skus))
	}
	for u, n := range hits {
		if n > 1 {
			t.Errorf("%s fetched %d times", u, n)
		}
	}
}

func TestCrawlCancelMidway(t *testing.T) {
	shop := demosite.New(demosite.Config{Products: 500, PageBytes: 4 << 10})
	srv := httptest.NewServer(shop.Handler())
	defer srv.Close()
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sink := &cancelAfter{n: 20, cancel: cancel}
	_, err = r.Execute(ctx, &titan.Job{ExecutionID: "c", Task: &titan.Task{
		Name: "c", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/products"}, Params: map[string]any{"mode": "map"},
		Limits: &titan.Limits{MaxDepth: 20, MaxPages: 100000},
	}}, sink)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err = %v", err)
	}
	if shop.Requests() > 200 {
		t.Fatalf("%d requests after cancelling at 20 records", shop.Requests())
	}
}

type cancelAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) ItemDone(context.Context, string, string) {}

func (c *cancelAfter) Record(ctx context.Context, _ string, rec titan.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return nil
}
func (c *cancelAfter) Error(context.Context, titan.ExecError) {}
func (c *cancelAfter) Progress(titan.Stats)                   {}

func TestCrawlExtractsCanonicalPagesOnce(t *testing.T) {
	product := `<html><head><link rel="canonical" href="https://c.test/p/1"></head><body><h1>Desk</h1></body></html>`
	site := titantest.NewSite(map[string]string{
		"https://c.test/":                  links("home", "/p/1", "/p/1?ref=list", "/p/1?color=oak"),
		"https://c.test/p/1":               product,
		"https://c.test/p/1?ref=list":      product,
		"https://c.test/p/1?color=oak":     product,
		"https://c.test/p/2?variant=other": product,
	})
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), &titan.Task{
		Name: "c", ActionType: titan.ActionCrawl, URLs: []string{"https://c.test/"},
		Params:       map[string]any{"extract_paths": []any{"^/p/"}},
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`),
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Records) != 1 || res.Records[0].URL != "https://c.test/p/1" {
		t.Fatalf("records = %+v", res.Records)
	}
	if res.Stats.Skipped["non_canonical"] != 2 {
		t.Fatalf("skipped = %v", res.Stats.Skipped)
	}
}

// TestCrawlRedirectRetriedAndSelf covers two redirects that are the fetch's own:
// the chain followed again when its target answers 503 once, and a page that
// redirects to itself (a cookie wall).
func TestCrawlRedirectRetriedAndSelf(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, links("home", "/x", "/wall"))
		case "/x":
			http.Redirect(w, r, "/y", http.StatusFound)
		case "/y":
			if calls.Add(1) == 1 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "<h1>y</h1>")
		case "/wall":
			if _, err := r.Cookie("ok"); err != nil {
				http.SetCookie(w, &http.Cookie{Name: "ok", Value: "1"})
				http.Redirect(w, r, "/wall", http.StatusFound)
				return
			}
			fmt.Fprint(w, "<h1>wall</h1>")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name: "r", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/"},
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`),
	})
	var titles []string
	for _, rec := range res.Records {
		titles = append(titles, rec.Data["title"].(string))
	}
	sort.Strings(titles)
	if res.Err != nil || len(res.Errors) != 0 || !slices.Equal(titles, []string{"home", "wall", "y"}) {
		t.Fatalf("err %v, errors %+v, titles %v, skipped %v", res.Err, res.Errors, titles, res.Stats.Skipped)
	}
}

func TestCrawlModeNeedsSelectors(t *testing.T) {
	r := titantest.NewRunner(t, titantest.NewSite(nil), nil)
	err := r.Validate(&titan.Task{Name: "c", ActionType: titan.ActionCrawl, URLs: []string{"https://c.test/"}})
	if err == nil || !strings.Contains(err.Error(), `output_schema: a crawl in mode "crawl" extracts records`) {
		t.Fatalf("got %v", err)
	}
}

// TestCrawlFedByAnEarlierStep gets its seeds as items, not task URLs.
func TestCrawlFedByAnEarlierStep(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://a.test/":   links("a", "/a1", "https://b.test/"),
		"https://a.test/a1": links("a1"),
	})
	seeds := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		return out.Emit(ctx, titan.Record{Data: map[string]any{"url": "https://a.test/"}})
	})
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, map[titan.ActionType]titan.Action{"seeds": seeds}), &titan.Task{
		Name: "fed", URLs: []string{"https://start.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "seeds", ActionType: "seeds"},
			{ID: "map", ActionType: titan.ActionCrawl, Params: map[string]any{"mode": "map"}},
		}},
	})
	var got []string
	for _, r := range res.Records {
		if r.Step == "map" {
			got = append(got, r.URL)
		}
	}
	sort.Strings(got)
	if res.Err != nil || !slices.Equal(got, []string{"https://a.test/", "https://a.test/a1"}) || res.Stats.Steps["map"].Skipped["out_of_scope"] != 1 {
		t.Fatalf("err %v, got %v, stats %+v", res.Err, got, res.Stats.Steps["map"])
	}
}

func TestCrawlSitemapDeclaredLatin1(t *testing.T) {
	site := titantest.NewSite(map[string]string{"https://l.test/": "<html></html>"})
	site.Set("https://l.test/robots.txt", titantest.Page{ContentType: "text/plain", Body: "Sitemap: https://l.test/s.xml\n"})
	site.Set("https://l.test/s.xml", titantest.Page{ContentType: "application/xml", Body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" +
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://l.test/caf\xe9</loc></url></urlset>"})
	got, _ := crawlMap(t, site, []string{"https://l.test/"}, map[string]any{"sitemap": "only"}, nil)
	if want := []string{"https://l.test/", "https://l.test/caf%C3%A9"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

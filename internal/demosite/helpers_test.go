package demosite_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/titanscrape/titan/internal/demosite"
)

// origin is the host that handler-level tests send requests to.
const origin = "http://shop.test"

// response is a served request.
type response struct {
	status int
	header http.Header
	body   string
}

// get serves a GET request for target (a path and query) directly through
// the shop's handler, with Host shop.test.
func get(tb testing.TB, s *demosite.Shop, target string) response {
	tb.Helper()
	return do(tb, s, http.MethodGet, target)
}

func do(tb testing.TB, s *demosite.Shop, method, target string) response {
	tb.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(method, origin+target, nil))
	res := rec.Result()
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// mustGet is get that fails the test unless the status is 200.
func mustGet(tb testing.TB, s *demosite.Shop, target string) string {
	tb.Helper()
	r := get(tb, s, target)
	if r.status != http.StatusOK {
		tb.Fatalf("GET %s: status %d, want 200", target, r.status)
	}
	return r.body
}

func parse(tb testing.TB, src string) *html.Node {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		tb.Fatalf("html.Parse: %v", err)
	}
	return doc
}

// text returns the text content of n with white space collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// sel returns the nodes matching a CSS selector.
func sel(doc *html.Node, selector string) []*html.Node {
	return cascadia.MustCompile(selector).MatchAll(doc)
}

// one returns the text of the only node matching selector.
func one(tb testing.TB, doc *html.Node, selector string) string {
	tb.Helper()
	ns := sel(doc, selector)
	if len(ns) != 1 {
		tb.Fatalf("%s: %d matches, want 1", selector, len(ns))
	}
	return text(ns[0])
}

// attr returns the attribute key of the only node matching selector.
func attr(tb testing.TB, doc *html.Node, selector, key string) string {
	tb.Helper()
	ns := sel(doc, selector)
	if len(ns) != 1 {
		tb.Fatalf("%s: %d matches, want 1", selector, len(ns))
	}
	for _, a := range ns[0].Attr {
		if a.Key == key {
			return a.Val
		}
	}
	tb.Fatalf("%s has no %s attribute", selector, key)
	return ""
}

func mustURL(tb testing.TB, s string) *url.URL {
	tb.Helper()
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

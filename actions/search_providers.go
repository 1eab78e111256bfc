package actions

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/titanscrape/titan"
)

// The public endpoints and default key secret names of the built-in providers.
const (
	BraveEndpoint      = "https://api.search.brave.com/res/v1/web/search"
	BingEndpoint       = "https://api.bing.microsoft.com/v7.0/search"
	GoogleEndpoint     = "https://www.googleapis.com/customsearch/v1"
	DuckDuckGoEndpoint = "https://html.duckduckgo.com/html/"

	BraveKeySecret  = "BRAVE_API_KEY"
	BingKeySecret   = "BING_API_KEY"
	GoogleKeySecret = "GOOGLE_API_KEY"
	GoogleCXSecret  = "GOOGLE_CX"
)

// maxProviderPages caps the requests one provider makes for one search.
const maxProviderPages = 10

// SearXNG searches a self-hosted SearXNG instance through its JSON API
// (GET /search?q=...&format=json), which the instance must enable in its
// settings (search.formats). It needs no key; Endpoint is required: the base URL of
// the instance, e.g. "https://searx.example.org" ("/search" is appended unless it
// is there). include_domains and exclude_domains are applied to the results only,
// as the engines behind an instance differ in the operators they understand.
type SearXNG struct {
	Endpoint string
}

// Name returns "searxng".
func (SearXNG) Name() string { return ProviderSearXNG }

func (p SearXNG) withEndpoint(e string) SearchProvider { p.Endpoint = e; return p }
func (p SearXNG) endpointMissing() bool                { return p.Endpoint == "" }

// Search fetches result pages (pageno=1, 2, ...) until it has q.MaxResults
// results, a page is empty, or it made 10 requests.
func (p SearXNG) Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error) {
	if p.Endpoint == "" {
		return nil, errors.New("searxng: no endpoint: set params.endpoint to the URL of your instance")
	}
	base, err := url.Parse(p.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("searxng: endpoint: %w", err)
	}
	if !strings.HasSuffix(base.Path, "/search") {
		base = base.JoinPath("search")
	}
	var out []SearchResult
	for page := 1; page <= maxProviderPages && len(out) < q.MaxResults; page++ {
		v := url.Values{"q": {q.Query}, "format": {"json"}, "pageno": {strconv.Itoa(page)}}
		switch {
		case q.Language != "" && q.Region != "":
			v.Set("language", q.Language+"-"+q.Region)
		case q.Language != "":
			v.Set("language", q.Language)
		}
		if q.TimeRange != "" {
			v.Set("time_range", q.TimeRange)
		}
		var body struct {
			Results []struct {
				URL     string `json:"url"`
				Title   string `json:"title"`
				Content string `json:"content"`
			} `json:"results"`
		}
		if err := getJSON(ctx, f, ProviderSearXNG, withQuery(base, v), nil, &body); err != nil {
			return nil, err
		}
		if len(body.Results) == 0 {
			break
		}
		for _, r := range body.Results {
			out = append(out, SearchResult{Title: r.Title, URL: r.URL, Snippet: r.Content, Rank: len(out) + 1, Provider: ProviderSearXNG})
		}
	}
	return out, nil
}

// Brave searches with the Brave Search API (GET /res/v1/web/search, results in
// web.results), authenticated by the X-Subscription-Token header. It asks for up
// to 20 results a request and at most 10 pages.
type Brave struct {
	// Endpoint defaults to BraveEndpoint.
	Endpoint string
	// Key is the API key, from the program's own configuration. When empty, the
	// key is the run's secret named KeySecret (default BRAVE_API_KEY).
	Key       string
	KeySecret string
}

// Name returns "brave".
func (Brave) Name() string { return ProviderBrave }

func (p Brave) withEndpoint(e string) SearchProvider { p.Endpoint = e; return p }

var braveFreshness = map[string]string{TimeDay: "pd", TimeWeek: "pw", TimeMonth: "pm", TimeYear: "py"}

// Search implements SearchProvider.
func (p Brave) Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error) {
	key, err := configOrSecret(p.Key, q.Secrets, cmp.Or(p.KeySecret, BraveKeySecret))
	if err != nil {
		return nil, fmt.Errorf("brave: %w", err)
	}
	base, err := url.Parse(cmp.Or(p.Endpoint, BraveEndpoint))
	if err != nil {
		return nil, fmt.Errorf("brave: endpoint: %w", err)
	}
	h := http.Header{"Accept": {"application/json"}, "X-Subscription-Token": {key}}
	count := min(q.MaxResults, 20) // the offset counts pages of this size
	var out []SearchResult
	for page := 0; page < maxProviderPages && len(out) < q.MaxResults; page++ {
		v := url.Values{"q": {siteOperators(q)}, "count": {strconv.Itoa(count)}, "offset": {strconv.Itoa(page)}}
		if q.Language != "" {
			v.Set("search_lang", q.Language)
		}
		if q.Region != "" {
			v.Set("country", q.Region)
		}
		if fr := braveFreshness[q.TimeRange]; fr != "" {
			v.Set("freshness", fr)
		}
		var body struct {
			Query struct {
				MoreResultsAvailable bool `json:"more_results_available"`
			} `json:"query"`
			Web struct {
				Results []struct {
					Title       string `json:"title"`
					URL         string `json:"url"`
					Description string `json:"description"`
				} `json:"results"`
			} `json:"web"`
		}
		if err := getJSON(ctx, f, ProviderBrave, withQuery(base, v), h, &body); err != nil {
			return nil, err
		}
		for _, r := range body.Web.Results {
			out = append(out, SearchResult{Title: plainText(r.Title), URL: r.URL, Snippet: plainText(r.Description), Rank: len(out) + 1, Provider: ProviderBrave})
		}
		if len(body.Web.Results) < count || !body.Query.MoreResultsAvailable {
			break
		}
	}
	return out, nil
}

// Bing searches with the Bing Web Search API v7 (GET /v7.0/search, results in
// webPages.value), authenticated by the Ocp-Apim-Subscription-Key header. It asks
// for up to 50 results a request. Microsoft retired the public Bing Search APIs in
// August 2025; set Endpoint (or params.endpoint) to a compatible service.
type Bing struct {
	// Endpoint defaults to BingEndpoint.
	Endpoint string
	// Key is the API key, from the program's own configuration. When empty, the
	// key is the run's secret named KeySecret (default BING_API_KEY).
	Key       string
	KeySecret string
}

// Name returns "bing".
func (Bing) Name() string { return ProviderBing }

func (p Bing) withEndpoint(e string) SearchProvider { p.Endpoint = e; return p }

// Search implements SearchProvider.
func (p Bing) Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error) {
	key, err := configOrSecret(p.Key, q.Secrets, cmp.Or(p.KeySecret, BingKeySecret))
	if err != nil {
		return nil, fmt.Errorf("bing: %w", err)
	}
	base, err := url.Parse(cmp.Or(p.Endpoint, BingEndpoint))
	if err != nil {
		return nil, fmt.Errorf("bing: endpoint: %w", err)
	}
	h := http.Header{"Accept": {"application/json"}, "Ocp-Apim-Subscription-Key": {key}}
	var out []SearchResult
	for page := 0; page < maxProviderPages && len(out) < q.MaxResults; page++ {
		count := min(q.MaxResults-len(out), 50)
		v := url.Values{"q": {siteOperators(q)}, "count": {strconv.Itoa(count)}, "offset": {strconv.Itoa(len(out))},
			"responseFilter": {"Webpages"}}
		switch {
		case q.Language != "" && q.Region != "":
			v.Set("mkt", q.Language+"-"+q.Region)
		case q.Language != "":
			v.Set("setLang", q.Language)
		case q.Region != "":
			v.Set("cc", q.Region)
		}
		switch q.TimeRange {
		case TimeDay, TimeWeek, TimeMonth:
			v.Set("freshness", strings.ToUpper(q.TimeRange[:1])+q.TimeRange[1:])
		case TimeYear:
			now := time.Now().UTC()
			v.Set("freshness", now.AddDate(-1, 0, 0).Format(time.DateOnly)+".."+now.Format(time.DateOnly))
		}
		var body struct {
			WebPages struct {
				TotalEstimatedMatches int `json:"totalEstimatedMatches"`
				Value                 []struct {
					Name    string `json:"name"`
					URL     string `json:"url"`
					Snippet string `json:"snippet"`
				} `json:"value"`
			} `json:"webPages"`
		}
		if err := getJSON(ctx, f, ProviderBing, withQuery(base, v), h, &body); err != nil {
			return nil, err
		}
		for _, r := range body.WebPages.Value {
			out = append(out, SearchResult{Title: r.Name, URL: r.URL, Snippet: r.Snippet, Rank: len(out) + 1, Provider: ProviderBing})
		}
		if len(body.WebPages.Value) < count || len(out) >= body.WebPages.TotalEstimatedMatches {
			break
		}
	}
	return out, nil
}

// Google searches with the Programmable Search Engine's Custom Search JSON API
// (GET /customsearch/v1, results in items), 10 results a request and 100 at most.
// The API key travels in the X-Goog-Api-Key header, never in the URL; the engine
// ID (cx) must be in the query, so it shows in logged URLs: it identifies the
// engine and is no credential.
type Google struct {
	// Endpoint defaults to GoogleEndpoint.
	Endpoint string
	// Key and CX are the API key and the search engine ID, from the program's own
	// configuration. When empty, they are the run's secrets named KeySecret
	// (default GOOGLE_API_KEY) and CXSecret (default GOOGLE_CX).
	Key, CX   string
	KeySecret string
	CXSecret  string
}

// Name returns "google".
func (Google) Name() string { return ProviderGoogle }

func (p Google) withEndpoint(e string) SearchProvider { p.Endpoint = e; return p }

var googleDateRestrict = map[string]string{TimeDay: "d1", TimeWeek: "w1", TimeMonth: "m1", TimeYear: "y1"}

// Search implements SearchProvider.
func (p Google) Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error) {
	key, err := configOrSecret(p.Key, q.Secrets, cmp.Or(p.KeySecret, GoogleKeySecret))
	if err != nil {
		return nil, fmt.Errorf("google: %w", err)
	}
	cx, err := configOrSecret(p.CX, q.Secrets, cmp.Or(p.CXSecret, GoogleCXSecret))
	if err != nil {
		return nil, fmt.Errorf("google: %w", err)
	}
	base, err := url.Parse(cmp.Or(p.Endpoint, GoogleEndpoint))
	if err != nil {
		return nil, fmt.Errorf("google: endpoint: %w", err)
	}
	h := http.Header{"Accept": {"application/json"}, "X-Goog-Api-Key": {key}}
	var out []SearchResult
	// The API serves the first 100 results: start+num-1 <= 100.
	for len(out) < q.MaxResults && len(out) < 100 {
		num := min(q.MaxResults-len(out), 10, 100-len(out))
		v := url.Values{"q": {siteOperators(q)}, "cx": {cx}, "num": {strconv.Itoa(num)}, "start": {strconv.Itoa(len(out) + 1)}}
		if q.Language != "" {
			v.Set("lr", "lang_"+q.Language)
		}
		if q.Region != "" {
			v.Set("gl", strings.ToLower(q.Region))
		}
		if dr := googleDateRestrict[q.TimeRange]; dr != "" {
			v.Set("dateRestrict", dr)
		}
		var body struct {
			Queries struct {
				NextPage []json.RawMessage `json:"nextPage"`
			} `json:"queries"`
			Items []struct {
				Title   string `json:"title"`
				Link    string `json:"link"`
				Snippet string `json:"snippet"`
			} `json:"items"`
		}
		if err := getJSON(ctx, f, ProviderGoogle, withQuery(base, v), h, &body); err != nil {
			return nil, err
		}
		for _, r := range body.Items {
			out = append(out, SearchResult{Title: r.Title, URL: r.Link, Snippet: collapseSpace(r.Snippet), Rank: len(out) + 1, Provider: ProviderGoogle})
		}
		if len(body.Items) == 0 || len(body.Queries.NextPage) == 0 {
			break
		}
	}
	return out, nil
}

// DuckDuckGo searches DuckDuckGo's HTML endpoint (GET /html/?q=...), which needs
// no key, and reads the first page of results (links a.result__a, unwrapped from
// DuckDuckGo's /l/?uddg= redirects, and .result__snippet); ads are left out. A
// region needs a language too (kl=de-de for region DE, language de). The endpoint
// is meant for browsers: it may answer automated clients with a bot challenge,
// which fails the search with an error rather than returning no results.
type DuckDuckGo struct {
	// Endpoint defaults to DuckDuckGoEndpoint.
	Endpoint string
}

// Name returns "duckduckgo".
func (DuckDuckGo) Name() string { return ProviderDuckDuckGo }

func (p DuckDuckGo) withEndpoint(e string) SearchProvider { p.Endpoint = e; return p }

var ddgTimeRange = map[string]string{TimeDay: "d", TimeWeek: "w", TimeMonth: "m", TimeYear: "y"}

var (
	ddgResult    = cascadia.MustCompile(".result")
	ddgLink      = cascadia.MustCompile("a.result__a")
	ddgSnippet   = cascadia.MustCompile(".result__snippet")
	ddgNoResults = cascadia.MustCompile(".no-results")
)

// Search implements SearchProvider.
func (p DuckDuckGo) Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error) {
	base, err := url.Parse(cmp.Or(p.Endpoint, DuckDuckGoEndpoint))
	if err != nil {
		return nil, fmt.Errorf("duckduckgo: endpoint: %w", err)
	}
	v := url.Values{"q": {siteOperators(q)}}
	if q.Language != "" && q.Region != "" {
		r := strings.ToLower(q.Region)
		if r == "gb" {
			r = "uk" // DuckDuckGo's code for the United Kingdom
		}
		v.Set("kl", r+"-"+q.Language)
	}
	if tr := ddgTimeRange[q.TimeRange]; tr != "" {
		v.Set("df", tr)
	}
	resp, err := f.Fetch(ctx, &titan.Request{URL: withQuery(base, v), Header: http.Header{"Accept": {"text/html"}}})
	if err != nil {
		return nil, providerError(ProviderDuckDuckGo, err)
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return nil, fmt.Errorf("duckduckgo: parse HTML: %w", err)
	}
	var out []SearchResult
	for _, n := range cascadia.QueryAll(doc, ddgResult) {
		if hasClass(n, "result--ad") {
			continue
		}
		a := cascadia.Query(n, ddgLink)
		if a == nil {
			continue
		}
		target, ok := ddgTarget(attr(a, "href"))
		if !ok {
			continue
		}
		r := SearchResult{Title: nodeText(a), URL: target, Rank: len(out) + 1, Provider: ProviderDuckDuckGo}
		if s := cascadia.Query(n, ddgSnippet); s != nil {
			r.Snippet = nodeText(s)
		}
		out = append(out, r)
	}
	if len(out) == 0 && cascadia.Query(doc, ddgNoResults) == nil {
		return nil, fmt.Errorf("duckduckgo: %s has no results and no \"No results\" notice: a bot challenge or a changed page layout", resp.URL)
	}
	return out, nil
}

// ddgTarget returns the URL a DuckDuckGo result link leads to, unwrapping its
// //duckduckgo.com/l/?uddg=<url> redirect; ok is false for ads and unusable links.
func ddgTarget(href string) (string, bool) {
	u, err := url.Parse(DuckDuckGoEndpoint)
	if err == nil {
		u, err = u.Parse(strings.TrimSpace(href))
	}
	if err != nil {
		return "", false
	}
	ddg := func(u *url.URL) bool {
		h := strings.ToLower(u.Hostname())
		return h == "duckduckgo.com" || strings.HasSuffix(h, ".duckduckgo.com")
	}
	if ddg(u) && u.Path == "/l/" {
		if u, err = url.Parse(u.Query().Get("uddg")); err != nil {
			return "", false
		}
	}
	if ddg(u) && u.Path == "/y.js" { // an ad's click-through
		return "", false
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

// getJSON fetches u and decodes its JSON body into v.
func getJSON(ctx context.Context, f titan.Fetcher, provider, u string, h http.Header, v any) error {
	resp, err := f.Fetch(ctx, &titan.Request{URL: u, Header: h})
	if err != nil {
		return providerError(provider, err)
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return fmt.Errorf("%s: %w (content type %q: %v), body %q", provider, ErrNotJSON, resp.ContentType, err, excerpt(resp.Body))
	}
	return nil
}

// providerError describes a failed fetch of a provider, with the status and the
// start of the body of an HTTP error.
func providerError(provider string, err error) error {
	var he *titan.HTTPError
	if errors.As(err, &he) {
		return fmt.Errorf("%s: HTTP %d, body %q: %w", provider, he.StatusCode, he.Body, err)
	}
	return fmt.Errorf("%s: %w", provider, err)
}

// withQuery returns base with its query set to v.
func withQuery(base *url.URL, v url.Values) string {
	u := *base
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// plainText returns the text of an HTML fragment such as Brave's descriptions,
// which mark the query's words with <strong>.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapseSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}

// nodeText returns the text inside n with its white space collapsed.
func nodeText(n *html.Node) string {
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
	return collapseSpace(b.String())
}

func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// configOrSecret returns configured when set, else the run's secret called name.
func configOrSecret(configured string, secrets titan.Secrets, name string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	return lookupSecret(secrets, name)
}

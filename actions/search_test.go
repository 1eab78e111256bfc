package actions_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// searchAPI is a fake search endpoint: it records each request's query and
// headers and answers with handle's status and body.
type searchAPI struct {
	*httptest.Server
	mu       sync.Mutex
	queries  []url.Values
	headers  []http.Header
	handle   func(q url.Values, h http.Header) (status int, contentType, body string)
	requests atomic.Int64
}

func newSearchAPI(t *testing.T, handle func(q url.Values, h http.Header) (int, string, string)) *searchAPI {
	t.Helper()
	s := &searchAPI{handle: handle}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		s.requests.Add(1)
		s.mu.Lock()
		s.queries = append(s.queries, r.URL.Query())
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		status, ct, body := s.handle(r.URL.Query(), r.Header)
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func serveJSON(body string) func(url.Values, http.Header) (int, string, string) {
	return func(url.Values, http.Header) (int, string, string) { return 200, "application/json", body }
}

// result is a search record as the Search action emits it.
func result(rank int, provider, query, title, u, snippet string) titan.Record {
	return titan.Record{URL: u, Data: map[string]any{
		"title": title, "url": u, "snippet": snippet, "rank": int64(rank), "provider": provider, "query": query,
	}}
}

func TestSearchSearXNG(t *testing.T) {
	api := newSearchAPI(t, func(q url.Values, _ http.Header) (int, string, string) {
		if q.Get("pageno") == "1" {
			return 200, "application/json", searxngPage1
		}
		return 200, "application/json", searxngEmpty
	})
	e, err := call{
		step: titan.Step{Params: params(`{"provider": "searxng", "endpoint": "` + api.URL + `/searx", "query": "golang generics",
			"language": "EN", "region": "de", "time_range": "month"}`)},
		limits: titan.Limits{MaxResults: 20},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	const q = "golang generics"
	assertRecords(t, e.records, []titan.Record{
		result(1, "searxng", q, "Tutorial: Getting started with generics - The Go Programming Language", "https://go.dev/doc/tutorial/generics",
			"This tutorial introduces the basics of generics in Go. With generics, you can declare and use functions or types that are written to work with any of a set of types provided by calling code."),
		result(2, "searxng", q, "constraints package - golang.org/x/exp/constraints - Go Packages", "https://pkg.go.dev/golang.org/x/exp/constraints",
			"Package constraints defines a set of useful constraints to be used with type parameters."),
		result(3, "searxng", q, "Go generics: type constraint for any number type - Stack Overflow", "https://stackoverflow.com/questions/71274361/go-generics-constraints",
			"I want to write a function that works for any numeric type ..."),
		result(4, "searxng", q, "generics.go · GitHub", "https://gist.github.com/ann/5b1c0d", "Examples of Go generics."),
		result(5, "searxng", q, "spec: generics: type parameters · Issue #43651 · golang/go", "https://github.com/golang/go/issues/43651",
			"This is the proposal for adding generics to Go."),
	})
	want := []url.Values{
		{"q": {q}, "format": {"json"}, "pageno": {"1"}, "language": {"en-DE"}, "time_range": {"month"}},
		{"q": {q}, "format": {"json"}, "pageno": {"2"}, "language": {"en-DE"}, "time_range": {"month"}},
	}
	if !reflect.DeepEqual(api.queries, want) {
		t.Errorf("queries = %v, want %v", api.queries, want)
	}
	if e.fetched != 2 || !reflect.DeepEqual(e.skipped, map[string]int{actions.SkipDuplicateResult: 1}) {
		t.Errorf("fetched %d, skipped %v; want 2, duplicate_result 1", e.fetched, e.skipped)
	}
}

func TestSearchSearXNGNeedsAnEndpoint(t *testing.T) {
	step := &titan.Step{Params: map[string]any{"provider": "searxng", "query": "go"}}
	got := actions.Search{}.ValidateStep(step)
	want := []titan.FieldError{{Field: "params.endpoint", Problem: "is required for provider searxng: the URL of a SearXNG instance with the JSON format enabled"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	configured := actions.Search{Providers: map[string]actions.SearchProvider{"searxng": actions.SearXNG{Endpoint: "https://searx.test"}}}
	if got := configured.ValidateStep(step); got != nil {
		t.Errorf("with an endpoint in the provider: %v", got)
	}
	_, err := actions.SearXNG{}.Search(t.Context(), nil, actions.SearchQuery{Query: "go", MaxResults: 1})
	if err == nil || err.Error() != "searxng: no endpoint: set params.endpoint to the URL of your instance" {
		t.Errorf("Search without an endpoint: %v", err)
	}
}

func TestSearchBrave(t *testing.T) {
	api := newSearchAPI(t, serveJSON(braveResponse))
	s := actions.Search{Providers: map[string]actions.SearchProvider{
		"brave": actions.Brave{Endpoint: "http://unused.invalid/", KeySecret: "MY_BRAVE_KEY"},
	}}
	e, err := call{
		step: titan.Step{Params: params(`{"query": "golang generics", "endpoint": "` + api.URL + `/res/v1/web/search",
			"language": "en", "region": "DE", "time_range": "week", "exclude_domains": ["pinterest.com"]}`)},
		limits:  titan.Limits{MaxResults: 2},
		secrets: titan.Secrets{"MY_BRAVE_KEY": "BSA-k3y-0001"},
	}.run(t, s)
	if err != nil {
		t.Fatal(err)
	}
	const q = "golang generics"
	assertRecords(t, e.records, []titan.Record{
		result(1, "brave", q, "Tutorial: Getting started with generics - The Go Programming Language", "https://go.dev/doc/tutorial/generics",
			"This tutorial introduces the basics of generics in Go. With generics, you can declare and use functions or types that are written to work with any of a set of types."),
		result(2, "brave", q, "An Introduction To Generics - The Go Programming Language", "https://go.dev/blog/intro-generics",
			"Ian Lance Taylor and Robert Griesemer — 22 March 2022. The Go 1.18 release adds support for generics & type parameters."),
	})
	want := url.Values{"q": {q + " -site:pinterest.com"}, "count": {"2"}, "offset": {"0"}, "search_lang": {"en"}, "country": {"DE"}, "freshness": {"pw"}}
	if !reflect.DeepEqual(api.queries, []url.Values{want}) {
		t.Errorf("queries = %v, want %v", api.queries, want)
	}
	if h := api.headers[0]; h.Get("X-Subscription-Token") != "BSA-k3y-0001" || h.Get("Accept") != "application/json" {
		t.Errorf("headers = %v", h)
	}
}

func TestSearchBing(t *testing.T) {
	api := newSearchAPI(t, serveJSON(bingResponse))
	e, err := call{
		step: titan.Step{Params: params(`{"provider": "bing", "query": "golang generics", "endpoint": "` + api.URL + `/v7.0/search",
			"language": "en", "region": "US", "time_range": "day"}`)},
		secrets: titan.Secrets{"BING_API_KEY": "bing-k3y"},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	const q = "golang generics"
	assertRecords(t, e.records, []titan.Record{
		result(1, "bing", q, "Tutorial: Getting started with generics - The Go Programming Language", "https://go.dev/doc/tutorial/generics",
			"This tutorial introduces the basics of generics in Go."),
		result(2, "bing", q, "Go 1.18 is released! - The Go Programming Language", "https://go.dev/blog/go1.18",
			"Go 1.18 includes an implementation of generic features as described by the Type Parameters Proposal."),
	})
	want := url.Values{"q": {q}, "count": {"10"}, "offset": {"0"}, "responseFilter": {"Webpages"}, "mkt": {"en-US"}, "freshness": {"Day"}}
	if !reflect.DeepEqual(api.queries, []url.Values{want}) {
		t.Errorf("queries = %v, want %v", api.queries, want)
	}
	if got := api.headers[0].Get("Ocp-Apim-Subscription-Key"); got != "bing-k3y" {
		t.Errorf("key header = %q", got)
	}
}

func googleItems(from, n int) string {
	var items []string
	for i := from; i < from+n; i++ {
		items = append(items, fmt.Sprintf(googleItem, i))
	}
	return strings.Join(items, ",")
}

func TestSearchGooglePaginates(t *testing.T) {
	api := newSearchAPI(t, func(q url.Values, h http.Header) (int, string, string) {
		if h.Get("X-Goog-Api-Key") != "AIza-test-key" || q.Has("key") {
			return 400, "application/json", googleKeyError
		}
		var start, num int
		fmt.Sscan(q.Get("start"), &start)
		fmt.Sscan(q.Get("num"), &num)
		return 200, "application/json", fmt.Sprintf(googleResponse, googleItems(start, num), googleNextPage)
	})
	e, err := call{
		step: titan.Step{Params: params(`{"provider": "google", "query": "golang generics", "endpoint": "` + api.URL + `/customsearch/v1",
			"language": "de", "region": "AT", "time_range": "year"}`)},
		limits:  titan.Limits{MaxResults: 12},
		secrets: titan.Secrets{"GOOGLE_API_KEY": "AIza-test-key", "GOOGLE_CX": "c4f1e2d3b"},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.records) != 12 {
		t.Fatalf("%d records, want 12", len(e.records))
	}
	for i, r := range e.records {
		n := i + 1
		want := result(n, "google", "golang generics", fmt.Sprintf("Result %d - Go", n), fmt.Sprintf("https://go.dev/r/%d", n),
			fmt.Sprintf("Aug 9, 2023 ... Result %d about generics.", n))
		if !reflect.DeepEqual(r, want) {
			t.Errorf("record %d = %+v, want %+v", i, r, want)
		}
	}
	base := url.Values{"q": {"golang generics"}, "cx": {"c4f1e2d3b"}, "lr": {"lang_de"}, "gl": {"at"}, "dateRestrict": {"y1"}}
	var got []string
	for _, q := range api.queries {
		got = append(got, q.Get("start")+"/"+q.Get("num"))
		q.Del("start")
		q.Del("num")
		if !reflect.DeepEqual(q, base) {
			t.Errorf("query = %v, want %v", q, base)
		}
	}
	if want := []string{"1/10", "11/2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("start/num = %v, want %v", got, want)
	}
	if e.fetched != 2 {
		t.Errorf("fetched = %d, want 2", e.fetched)
	}
}

func TestSearchGoogleStopsWithoutNextPage(t *testing.T) {
	api := newSearchAPI(t, serveJSON(fmt.Sprintf(googleResponse, googleItems(1, 3), "")))
	e, err := call{
		step:    titan.Step{Params: params(`{"provider": "google", "query": "rare", "endpoint": "` + api.URL + `"}`)},
		limits:  titan.Limits{MaxResults: 30},
		secrets: titan.Secrets{"GOOGLE_API_KEY": "k", "GOOGLE_CX": "cx"},
	}.run(t, actions.Search{})
	if err != nil || len(e.records) != 3 || api.requests.Load() != 1 {
		t.Errorf("err %v, %d records, %d requests; want 3 records in 1 request", err, len(e.records), api.requests.Load())
	}
}

func TestSearchDuckDuckGo(t *testing.T) {
	api := newSearchAPI(t, func(url.Values, http.Header) (int, string, string) { return 200, "text/html; charset=utf-8", ddgPage })
	e, err := call{
		step: titan.Step{Params: params(`{"query": "golang generics", "endpoint": "` + api.URL + `/html/",
			"language": "en", "region": "GB", "time_range": "month"}`)},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	const q = "golang generics"
	assertRecords(t, e.records, []titan.Record{
		result(1, "duckduckgo", q, "Tutorial: Getting started with generics - The Go Programming Language", "https://go.dev/doc/tutorial/generics",
			"This tutorial introduces the basics of generics in Go. With generics, you can declare and use functions or types that are written to work with any of a set of types."),
		result(2, "duckduckgo", q, "constraints package - golang.org/x/exp/constraints - Go Packages", "https://pkg.go.dev/golang.org/x/exp/constraints?tab=doc#section-readme",
			"Package constraints defines a set of useful constraints to be used with type parameters."),
		result(3, "duckduckgo", q, "Generics in practice : r/golang", "https://www.reddit.com/r/golang/comments/t3c1a2/generics_in_practice/",
			"How are you using generics & type sets?"),
	})
	want := url.Values{"q": {q}, "kl": {"uk-en"}, "df": {"m"}}
	if !reflect.DeepEqual(api.queries, []url.Values{want}) {
		t.Errorf("queries = %v, want %v", api.queries, want)
	}
}

func TestSearchDuckDuckGoNoResultsAndChallenge(t *testing.T) {
	for _, tc := range []struct {
		name, page, err string
	}{
		{"no results", ddgNoResults, ""},
		{"bot challenge", ddgChallenge, "has no results and no \"No results\" notice: a bot challenge or a changed page layout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newSearchAPI(t, func(url.Values, http.Header) (int, string, string) { return 200, "text/html", tc.page })
			e, err := call{step: titan.Step{Params: params(`{"query": "zqxjkvbw", "endpoint": "` + api.URL + `/html/"}`)}}.run(t, actions.Search{})
			switch {
			case tc.err == "" && (err != nil || len(e.records) != 0):
				t.Errorf("err %v, records %v; want none", err, e.records)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestSearchDomainsFilterAndOperators(t *testing.T) {
	// The fake ignores the operators, as SearXNG's engines may: the action
	// filters again.
	api := newSearchAPI(t, func(q url.Values, _ http.Header) (int, string, string) {
		if q.Get("pageno") == "1" || q.Get("start") == "1" {
			return 200, "application/json", searxngPage1
		}
		return 200, "application/json", searxngEmpty
	})
	e, err := call{
		step: titan.Step{Params: params(`{"provider": "searxng", "endpoint": "` + api.URL + `", "query": "golang generics",
			"include_domains": ["Go.dev", "github.com"], "exclude_domains": ["gist.github.com"]}`)},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.records {
		got = append(got, fmt.Sprint(r.Data["rank"], " ", r.URL))
	}
	want := []string{
		"1 https://go.dev/doc/tutorial/generics",
		"2 https://pkg.go.dev/golang.org/x/exp/constraints",
		"3 https://github.com/golang/go/issues/43651",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records = %q, want %q", got, want)
	}
	if want := map[string]int{actions.SkipExcludedDomain: 2, actions.SkipDuplicateResult: 1}; !reflect.DeepEqual(e.skipped, want) {
		t.Errorf("skipped = %v, want %v", e.skipped, want)
	}
	if q := api.queries[0].Get("q"); q != "golang generics" {
		t.Errorf("searxng query = %q: no operators expected", q)
	}

	// Google takes them as site: operators.
	gapi := newSearchAPI(t, serveJSON(fmt.Sprintf(googleResponse, googleItems(1, 1), "")))
	if _, err := (call{
		step: titan.Step{Params: params(`{"provider": "google", "endpoint": "` + gapi.URL + `", "query": "golang generics",
			"include_domains": ["go.dev", "github.com"], "exclude_domains": ["gist.github.com"]}`)},
		secrets: titan.Secrets{"GOOGLE_API_KEY": "k", "GOOGLE_CX": "cx"},
	}).run(t, actions.Search{}); err != nil {
		t.Fatal(err)
	}
	if q, want := gapi.queries[0].Get("q"), "golang generics (site:go.dev OR site:github.com) -site:gist.github.com"; q != want {
		t.Errorf("google query = %q, want %q", q, want)
	}
}

func TestSearchTruncatesToMaxResults(t *testing.T) {
	api := newSearchAPI(t, serveJSON(searxngPage1))
	e, err := call{
		step:   titan.Step{Params: params(`{"provider": "searxng", "endpoint": "` + api.URL + `", "query": "golang generics"}`)},
		limits: titan.Limits{MaxResults: 2},
	}.run(t, actions.Search{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.records) != 2 || e.records[1].Data["rank"] != int64(2) {
		t.Errorf("records = %v, want 2", e.records)
	}
	// Six results on the page: two kept, one duplicate, three beyond max_results.
	if want := map[string]int{actions.SkipMaxResults: 3, actions.SkipDuplicateResult: 1}; !reflect.DeepEqual(e.skipped, want) {
		t.Errorf("skipped = %v, want %v", e.skipped, want)
	}
	if api.requests.Load() != 1 {
		t.Errorf("%d requests, want 1", api.requests.Load())
	}
}

func TestSearchMissingKeyNamesTheSecret(t *testing.T) {
	api := newSearchAPI(t, serveJSON(braveResponse))
	for _, tc := range []struct{ provider, want string }{
		{"brave", `search brave "go": brave: secret BRAVE_API_KEY not provided: add it to the run's secrets`},
		{"bing", `search bing "go": bing: secret BING_API_KEY not provided: add it to the run's secrets`},
		{"google", `search google "go": google: secret GOOGLE_CX not provided: add it to the run's secrets`},
	} {
		_, err := call{
			step:    titan.Step{Params: params(`{"provider": "` + tc.provider + `", "query": "go", "endpoint": "` + api.URL + `"}`)},
			secrets: titan.Secrets{"GOOGLE_API_KEY": "k"},
		}.run(t, actions.Search{})
		var me *actions.MissingSecretError
		if !errors.As(err, &me) || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %s", tc.provider, err, tc.want)
		}
	}
	if n := api.requests.Load(); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}

func TestSearchErrorLeaksNoKey(t *testing.T) {
	const key = "BSA-9f8e7d6c5b"
	api := newSearchAPI(t, func(_ url.Values, h http.Header) (int, string, string) {
		return 422, "application/json", `{"type": "ErrorResponse", "error": {"id": "5c1f", "status": 422, "code": "SUBSCRIPTION_TOKEN_INVALID",
  "detail": "The provided subscription token ` + h.Get("X-Subscription-Token") + ` is invalid."}, "time": 1717000000}`
	})
	var logs bytes.Buffer
	secrets := titan.Secrets{actions.BraveKeySecret: key}
	e, err := call{
		step:    titan.Step{Params: params(`{"provider": "brave", "query": "go", "endpoint": "` + api.URL + `"}`)},
		secrets: secrets,
		logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}.run(t, actions.Search{})
	var he *titan.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 422 || titan.ClassOf(err) != titan.ClassHTTP {
		t.Fatalf("err = %v, want HTTP 422", err)
	}
	if !strings.Contains(err.Error(), `brave: HTTP 422, body "{\"type\": \"ErrorResponse\"`) || !strings.Contains(err.Error(), "token [redacted] is invalid") {
		t.Errorf("err = %v", err)
	}
	assertNoSecret(t, secrets, err.Error()+he.Body+logs.String(), e.records)
}

func TestSearchTaskWithoutURLsRunsOnce(t *testing.T) {
	api := newSearchAPI(t, func(q url.Values, _ http.Header) (int, string, string) {
		if q.Get("pageno") == "1" {
			return 200, "application/json", searxngPage1
		}
		return 200, "application/json", searxngEmpty
	})
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	res := titantest.Run(t.Context(), r, &titan.Task{
		Name:       "generics",
		ActionType: titan.ActionSearch,
		Params:     map[string]any{"provider": "searxng", "endpoint": api.URL, "query": "golang generics"},
		Limits:     &titan.Limits{MaxResults: 3},
	})
	if res.Err != nil || len(res.Errors) > 0 {
		t.Fatalf("err %v, errors %+v", res.Err, res.Errors)
	}
	var got []string
	for _, r := range res.Records {
		got = append(got, fmt.Sprint(r.Data["rank"], " ", r.URL, " ", r.Data["provider"]))
	}
	want := []string{
		"1 https://go.dev/doc/tutorial/generics searxng",
		"2 https://pkg.go.dev/golang.org/x/exp/constraints searxng",
		"3 https://stackoverflow.com/questions/71274361/go-generics-constraints searxng",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records = %q, want %q", got, want)
	}
	if res.Stats.Pages != 1 || res.Stats.Skipped[actions.SkipMaxResults] != 2 || res.Stats.Skipped[actions.SkipDuplicateResult] != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestSearchKeyFromConfig(t *testing.T) {
	api := newSearchAPI(t, serveJSON(braveResponse))
	s := actions.Search{Providers: map[string]actions.SearchProvider{
		"brave": actions.Brave{Key: "configured-key"},
	}}
	_, err := call{
		step:   titan.Step{Params: params(`{"query": "golang", "endpoint": "` + api.URL + `/res/v1/web/search"}`)},
		limits: titan.Limits{MaxResults: 1},
	}.run(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if h := api.headers[0]; h.Get("X-Subscription-Token") != "configured-key" {
		t.Errorf("headers = %v", h)
	}
}

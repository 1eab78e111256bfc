package actions_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
)

func TestSearchQueryFromItems(t *testing.T) {
	api := newSearchAPI(t, serveJSON(searxngPage1))
	provider := map[string]actions.SearchProvider{"searxng": actions.SearXNG{Endpoint: api.URL}}
	// A template over the item's data and URL.
	e, err := call{
		step:   titan.Step{Params: map[string]any{"query": "{brand} {data.model} review site {url}"}},
		item:   titan.Item{URL: "https://shop.test/p/1", Data: map[string]any{"brand": "Acme", "model": "X 2"}},
		limits: titan.Limits{MaxResults: 1},
	}.run(t, actions.Search{Providers: provider})
	if err != nil {
		t.Fatal(err)
	}
	if q := e.records[0].Data["query"]; q != "Acme X 2 review site https://shop.test/p/1" {
		t.Errorf("query = %q", q)
	}

	// An upstream record's "query" field, for a plan step without params.query.
	task := &titan.Task{Name: "t", ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "topics", ActionType: titan.ActionAPICall, Params: map[string]any{"url": "https://api.test/topics"}},
		{ID: "search", ActionType: titan.ActionSearch},
	}}}
	a, err := actions.Search{Providers: provider}.Prepare(task, &task.ExecutionPlan.Steps[1])
	if err != nil {
		t.Fatal(err)
	}
	em := &emitter{}
	if err := a.Run(t.Context(), &titan.Input{
		Task: task, Step: &task.ExecutionPlan.Steps[1], Item: titan.Item{Data: map[string]any{"query": "go fuzzing"}},
		Limits: titan.Limits{MaxResults: 1}, Fetcher: httpFetcher{}, Logger: slog.New(slog.DiscardHandler),
	}, em); err != nil {
		t.Fatal(err)
	}
	if q := em.records[0].Data["query"]; q != "go fuzzing" || api.queries[1].Get("q") != "go fuzzing" {
		t.Errorf("query = %q", q)
	}
	err = a.Run(t.Context(), &titan.Input{Task: task, Step: &task.ExecutionPlan.Steps[1], Item: titan.Item{URL: "https://x.test/"}, Fetcher: httpFetcher{}}, em)
	if err == nil || err.Error() != `titan: input "https://x.test/": no query: set params.query or feed records with a "query" string field` {
		t.Errorf("without a query: %v", err)
	}

	// A top-level task has no upstream records: params.query is required.
	_, err = actions.Search{}.Prepare(&titan.Task{Name: "t"}, &titan.Step{ID: titan.MainStep})
	if err == nil || err.Error() != "titan: invalid search params: params.query: is required when the step reads no upstream records" {
		t.Errorf("Prepare without a query: %v", err)
	}
}

// httpFetcher is a bare titan.Fetcher over http.DefaultClient, for a test that
// needs no politeness.
type httpFetcher struct{}

func (httpFetcher) Fetch(ctx context.Context, req *titan.Request) (*titan.Response, error) {
	r, err := http.NewRequestWithContext(ctx, cmpOr(req.Method, http.MethodGet), req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	r.Header = req.Header.Clone()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, &titan.HTTPError{URL: req.URL, StatusCode: resp.StatusCode, Body: string(body)}
	}
	return &titan.Response{URL: req.URL, StatusCode: resp.StatusCode, Header: resp.Header, Body: body, Attempts: 1}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestSearchValidateStep(t *testing.T) {
	custom := actions.Search{Providers: map[string]actions.SearchProvider{"mine": fakeProvider{}, "other": fakeProvider{}}}
	for _, tc := range []struct {
		name   string
		search actions.Search
		params string
		want   []string
	}{
		{"valid", actions.Search{}, `{"query": "q", "provider": "brave", "language": "de", "region": "at", "time_range": "year",
			"include_domains": ["*.example.com"], "endpoint": "https://brave-proxy.test/search"}`, nil},
		{"default provider", actions.Search{}, `{"query": "q"}`, nil},
		{"unknown provider", actions.Search{}, `{"query": "q", "provider": "yahoo"}`,
			[]string{`params.provider: unknown search provider "yahoo" (known: bing, brave, duckduckgo, google, searxng)`}},
		{"no default among custom providers", custom, `{"query": "q"}`,
			[]string{`params: unknown search provider "duckduckgo" (known: mine, other)`}},
		{"endpoint of a custom provider", custom, `{"query": "q", "provider": "mine", "endpoint": "https://x.test"}`,
			[]string{`params.endpoint: provider "mine" takes no endpoint`}},
		{"bad values", actions.Search{}, `{"query": "{a", "time_range": "decade", "language": "english", "region": "USA",
			"exclude_domains": ["https://example.com/"], "endpoint": "ftp://x"}`, []string{
			`params.query: invalid template "{a": unclosed { at offset 0 (write {{ for a literal brace)`,
			`params.endpoint: invalid URL "ftp://x": scheme must be http or https`,
			`params.language: "english" is not a language code such as "en"`,
			`params.region: "USA" is not a two-letter country code such as "US"`,
			`params.time_range: unknown time range "decade" (want day, week, month or year)`,
			`params.exclude_domains[0]: "https://example.com/" is not a domain name such as example.com`,
		}},
		{"unknown param", actions.Search{}, `{"q": "x"}`,
			[]string{"params.q: unknown param (known: query, provider, language, region, time_range, include_domains, exclude_domains, endpoint)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range tc.search.ValidateStep(&titan.Step{Params: params(tc.params)}) {
				got = append(got, p.Field+": "+p.Problem)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

type fakeProvider struct{}

func (fakeProvider) Name() string { return "fake" }
func (fakeProvider) Search(context.Context, titan.Fetcher, actions.SearchQuery) ([]actions.SearchResult, error) {
	return nil, nil
}

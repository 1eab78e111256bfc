package actions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/internal/fetch"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// emitter is a titan.Emitter that collects what an action emits.
type emitter struct {
	mu      sync.Mutex
	records []titan.Record
	skipped map[string]int
	fetched int
}

func (e *emitter) Emit(_ context.Context, rec titan.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records = append(e.records, rec)
	return nil
}

func (e *emitter) Fetched() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fetched++
}

func (e *emitter) Follow(context.Context, titan.Item) (bool, error) { return false, nil }
func (e *emitter) Claim(context.Context, titan.Item) (bool, error)  { return true, nil }

func (e *emitter) Skip(reason string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.skipped == nil {
		e.skipped = map[string]int{}
	}
	e.skipped[reason] += n
}

// call is one run of a prepared action on one item, with the runner's real
// fetcher (robots.txt off, no rate limit, no retries).
type call struct {
	step    titan.Step
	item    titan.Item
	limits  titan.Limits
	secrets titan.Secrets
	logger  *slog.Logger
}

func (c call) run(t *testing.T, a titan.Action) (*emitter, error) {
	t.Helper()
	task := &titan.Task{Name: "test"}
	if c.item.URL != "" {
		task.URLs = []string{c.item.URL}
	}
	c.step.ID = titan.MainStep
	if p, ok := a.(titan.Preparer); ok {
		var err error
		if a, err = p.Prepare(task, &c.step); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
	}
	fc, err := fetch.New(fetch.Config{RatePerHost: -1, IgnoreRobots: true, MaxAttempts: 1, Logger: c.logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fc.CloseIdleConnections)
	logger := c.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &emitter{}
	err = a.Run(t.Context(), &titan.Input{
		Task: task, Step: &c.step, Item: c.item, Limits: c.limits,
		Fetcher: fc.Session(), Secrets: c.secrets, Logger: logger,
	}, e)
	return e, err
}

// jsonHandler answers every request with status and body as JSON.
func jsonHandler(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// rec is a record as an api_call emits it.
func rec(url string, data map[string]any) titan.Record { return titan.Record{URL: url, Data: data} }

func assertRecords(t *testing.T, got, want []titan.Record) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
}

func params(js string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		panic(err)
	}
	return m
}

func TestAPICallPlaceholdersFromItemData(t *testing.T) {
	var gotPath, gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		jsonHandler(200, `{"id": 9007199254740993, "name": "titan", "stars": 4.5, "topics": ["go", 1]}`)(w, r)
	}))
	defer srv.Close()
	item := titan.Item{URL: "https://src.test/p?x=1", Data: map[string]any{
		"user": "ann lee/ops", "q": "a&b=c", "repo": map[string]any{"name": "titan", "ids": []any{float64(12)}},
	}}
	e, err := call{
		step: titan.Step{Params: map[string]any{
			"url": srv.URL + "/users/{user}/repos/{data.repo.name}/{repo.ids.0}?q={q}&from={url}",
		}},
		item: item,
	}.run(t, actions.APICall{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/users/ann%20lee%2Fops/repos/titan/12"; gotPath != want {
		t.Errorf("path = %s, want %s", gotPath, want)
	}
	if want := "q=a%26b%3Dc&from=https%3A%2F%2Fsrc.test%2Fp%3Fx%3D1"; gotQuery != want {
		t.Errorf("query = %s, want %s", gotQuery, want)
	}
	reqURL := srv.URL + "/users/ann%20lee%2Fops/repos/titan/12?q=a%26b%3Dc&from=https%3A%2F%2Fsrc.test%2Fp%3Fx%3D1"
	assertRecords(t, e.records, []titan.Record{rec(reqURL, map[string]any{
		"id": int64(9007199254740993), "name": "titan", "stars": 4.5, "topics": []any{"go", int64(1)},
	})})
	if e.fetched != 1 {
		t.Errorf("fetched = %d, want 1", e.fetched)
	}
}

func TestAPICallMissingPlaceholderField(t *testing.T) {
	srv := httptest.NewServer(jsonHandler(200, `{}`))
	defer srv.Close()
	_, err := call{
		step: titan.Step{Params: map[string]any{"url": srv.URL + "/users/{data.owner.login}"}},
		item: titan.Item{Data: map[string]any{"owner": map[string]any{"id": 1}}},
	}.run(t, actions.APICall{})
	var ie *titan.InputError
	if !errors.As(err, &ie) || titan.ClassOf(err) != titan.ClassInput {
		t.Fatalf("err = %v, want a *titan.InputError", err)
	}
	if want := `titan: input "{data.owner.login}": the item's data has no field "owner.login"`; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestAPICallPostsPayloadWithHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var got map[string]any
		switch {
		case r.Method != http.MethodPost:
			http.Error(w, "method "+r.Method, http.StatusMethodNotAllowed)
		case r.Header.Get("Content-Type") != "application/json", r.Header.Get("Accept") != "application/json":
			http.Error(w, "content type "+r.Header.Get("Content-Type"), http.StatusUnsupportedMediaType)
		case r.Header.Get("X-Request-Source") != "titan/sku-42":
			http.Error(w, "header "+r.Header.Get("X-Request-Source"), http.StatusBadRequest)
		case r.URL.RawQuery != "currency=EUR&sku=sku-42":
			http.Error(w, "query "+r.URL.RawQuery, http.StatusBadRequest)
		case json.Unmarshal(body, &got) != nil || !reflect.DeepEqual(got, map[string]any{"filter": map[string]any{"in_stock": true}, "page_size": float64(2)}):
			http.Error(w, "body "+string(body), http.StatusBadRequest)
		default:
			jsonHandler(201, `{"results": [{"sku": "a", "price": 9.5}, {"sku": "b", "price": 12}, "loose", null]}`)(w, r)
		}
	}))
	defer srv.Close()
	e, err := call{
		step: titan.Step{
			Params: params(`{"method": "post", "url": "` + srv.URL + `/search",
				"headers": {"x-request-source": "titan/{sku}"}, "query": {"sku": "{sku}", "currency": "EUR"},
				"records_path": "results"}`),
			Payload: map[string]any{"filter": map[string]any{"in_stock": true}, "page_size": 2},
		},
		item: titan.Item{Data: map[string]any{"sku": "sku-42"}},
	}.run(t, actions.APICall{})
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL + "/search?currency=EUR&sku=sku-42"
	assertRecords(t, e.records, []titan.Record{
		rec(u, map[string]any{"sku": "a", "price": 9.5}),
		rec(u, map[string]any{"sku": "b", "price": int64(12)}),
		rec(u, map[string]any{"value": "loose"}),
		rec(u, map[string]any{"value": nil}),
	})
}

func TestAPICallAuth(t *testing.T) {
	secrets := titan.Secrets{"API_TOKEN": "tok-3f9a2c77e1", "API_USER": "svc-reader", "API_PASS": "pw-81bd0e"}
	for _, tc := range []struct {
		name   string
		auth   string
		header string
		want   string
	}{
		{"bearer", `{"type": "bearer", "secret": "API_TOKEN"}`, "Authorization", "Bearer tok-3f9a2c77e1"},
		{"basic", `{"type": "basic", "username_secret": "API_USER", "secret": "API_PASS"}`, "Authorization", "Basic c3ZjLXJlYWRlcjpwdy04MWJkMGU="},
		{"basic without password", `{"type": "basic", "username_secret": "API_TOKEN"}`, "Authorization", "Basic dG9rLTNmOWEyYzc3ZTE6"},
		{"api_key", `{"type": "api_key", "secret": "API_TOKEN"}`, "X-Api-Key", "tok-3f9a2c77e1"},
		{"api_key in a named header", `{"type": "api_key", "secret": "API_TOKEN", "header": "X-Goog-Api-Key"}`, "X-Goog-Api-Key", "tok-3f9a2c77e1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get(tc.header); got != tc.want {
					jsonHandler(401, `{"error": "bad credentials"}`)(w, r)
					return
				}
				jsonHandler(200, `[{"user": "ann"}]`)(w, r)
			}))
			defer srv.Close()
			var logs bytes.Buffer
			e, err := call{
				step:    titan.Step{Params: params(`{"auth": ` + tc.auth + `}`)},
				item:    titan.Item{URL: srv.URL + "/me"},
				secrets: secrets,
				logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			}.run(t, actions.APICall{})
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, e.records, []titan.Record{rec(srv.URL+"/me", map[string]any{"user": "ann"})})
			assertNoSecret(t, secrets, logs.String(), e.records)
		})
	}
}

// assertNoSecret fails when any secret value (or the basic token of two) shows in
// texts or records.
func assertNoSecret(t *testing.T, secrets titan.Secrets, text string, records []titan.Record) {
	t.Helper()
	b, _ := json.Marshal(records)
	for name, v := range secrets {
		for what, s := range map[string]string{"text": text, "records": string(b)} {
			if strings.Contains(s, v) {
				t.Errorf("secret %s shows in the %s: %s", name, what, s)
			}
		}
	}
}

func TestAPICallFailedAuthLeaksNoSecret(t *testing.T) {
	const token = "tok-3f9a2c77e1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		// A server that echoes the credential it refuses.
		jsonHandler(403, `{"error": "token `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+` has expired"}`)(w, r)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	r, err := runner.New(runner.Config{RatePerHost: -1, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	secrets := titan.Secrets{"API_TOKEN": token}
	res := titantest.Run(t.Context(), r, &titan.Task{
		Name:       "private",
		ActionType: titan.ActionAPICall,
		URLs:       []string{srv.URL + "/v1/orders"},
		Params:     params(`{"auth": {"type": "bearer", "secret": "API_TOKEN"}}`),
	}, func(j *titan.Job) { j.Secrets = secrets })
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Errors) != 1 {
		t.Fatalf("errors = %+v, want 1", res.Errors)
	}
	e := res.Errors[0]
	want := `api_call GET ` + srv.URL + `/v1/orders (page 1): HTTP 403, body "{\"error\": \"token [redacted] has expired\"}"`
	if e.Message != want || e.Class != titan.ClassHTTP {
		t.Errorf("error = %s %q,\nwant http %q", e.Class, e.Message, want)
	}
	assertNoSecret(t, secrets, logs.String()+e.Message, res.Records)
	if !strings.Contains(logs.String(), "item failed") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
}

func TestAPICallMissingSecret(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, err := call{
		step:    titan.Step{Params: params(`{"auth": {"type": "bearer", "secret": "API_TOKEN"}}`)},
		item:    titan.Item{URL: srv.URL},
		secrets: titan.Secrets{"OTHER": "x"},
	}.run(t, actions.APICall{})
	var me *actions.MissingSecretError
	if !errors.As(err, &me) || me.Name != "API_TOKEN" {
		t.Fatalf("err = %v, want a *MissingSecretError for API_TOKEN", err)
	}
	if want := "secret API_TOKEN not provided: add it to the run's secrets"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests sent without credentials", n)
	}
}

func TestAPICallCredentialsStayOnTheirHost(t *testing.T) {
	var leaked []string
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Header.Get("X-Api-Key"))
		mu.Unlock()
		jsonHandler(200, `{"items": [], "next": null}`)(w, r)
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, other.URL+"/items", http.StatusFound)
		default:
			jsonHandler(200, `{"items": [{"id": 1}], "next": "`+other.URL+`/items?page=2"}`)(w, r)
		}
	}))
	defer api.Close()
	auth := `"auth": {"type": "api_key", "secret": "KEY"}`
	secrets := titan.Secrets{"KEY": "k-77d1"}

	_, err := call{step: titan.Step{Params: params(`{` + auth + `}`)}, item: titan.Item{URL: api.URL + "/redirect"}, secrets: secrets}.run(t, actions.APICall{})
	if err == nil || !strings.Contains(err.Error(), "redirect to another host than") {
		t.Errorf("redirect: err = %v, want a refused redirect", err)
	}
	e, err := call{
		step:    titan.Step{Params: params(`{` + auth + `, "records_path": "items", "pagination": {"type": "next_url", "next_url_path": "next"}}`)},
		item:    titan.Item{URL: api.URL + "/items"},
		secrets: secrets,
	}.run(t, actions.APICall{})
	if err == nil || !strings.Contains(err.Error(), "is on another host than") {
		t.Errorf("next page: err = %v, want a refused next page", err)
	}
	assertRecords(t, e.records, []titan.Record{rec(api.URL+"/items", map[string]any{"id": int64(1)})})
	if len(leaked) > 0 {
		t.Errorf("the other host received requests with keys %q", leaked)
	}
}

func TestAPICallRecordsPath(t *testing.T) {
	for _, tc := range []struct {
		name, body, path string
		want             []map[string]any
		err              string
	}{
		{"whole array", `[{"a": 1}, {"a": 2}]`, "", []map[string]any{{"a": int64(1)}, {"a": int64(2)}}, ""},
		{"whole object", `{"a": 1, "b": [true]}`, "", []map[string]any{{"a": int64(1), "b": []any{true}}}, ""},
		{"nested array", `{"data": {"items": [{"a": 1}, 2.5, "x"]}}`, "data.items", []map[string]any{{"a": int64(1)}, {"value": 2.5}, {"value": "x"}}, ""},
		{"object at path", `{"data": {"user": {"a": 1}}}`, "data.user", []map[string]any{{"a": int64(1)}}, ""},
		{"null at path", `{"data": {"items": null}}`, "data.items", nil, ""},
		{"gjson query", `{"items": [{"a": 1, "ok": true}, {"a": 2, "ok": false}]}`, "items.#(ok==true)#", []map[string]any{{"a": int64(1), "ok": true}}, ""},
		{"empty body", ``, "data", nil, ""},
		{"path missing", `{"result": []}`, "data.items", nil, `records_path "data.items" is not in the response`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(jsonHandler(200, tc.body))
			defer srv.Close()
			e, err := call{
				step: titan.Step{Params: map[string]any{"records_path": tc.path}},
				item: titan.Item{URL: srv.URL + "/r"},
			}.run(t, actions.APICall{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []titan.Record
			for _, d := range tc.want {
				want = append(want, rec(srv.URL+"/r", d))
			}
			assertRecords(t, e.records, want)
		})
	}
}

func TestAPICallNonJSONResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body>Please log in</body></html>")
	}))
	defer srv.Close()
	_, err := call{item: titan.Item{URL: srv.URL + "/api"}}.run(t, actions.APICall{})
	var ae *actions.APICallError
	if !errors.As(err, &ae) || !errors.Is(err, actions.ErrNotJSON) {
		t.Fatalf("err = %v, want an *APICallError wrapping ErrNotJSON", err)
	}
	want := `api_call GET ` + srv.URL + `/api (page 1): HTTP 200: response is not JSON, body "<html><body>Please log in</body></html>"`
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
}

func TestAPICallHTTPErrorNamesPageStatusAndBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			jsonHandler(404, `{"message": "Not Found", "documentation_url": "https://docs.example.com"}`)(w, r)
			return
		}
		jsonHandler(200, `[{"id": 1}]`)(w, r)
	}))
	defer srv.Close()
	e, err := call{
		step: titan.Step{Params: params(`{"pagination": {"type": "page"}}`)},
		item: titan.Item{URL: srv.URL + "/repos"},
	}.run(t, actions.APICall{})
	var ae *actions.APICallError
	var he *titan.HTTPError
	if !errors.As(err, &ae) || !errors.As(err, &he) || titan.ClassOf(err) != titan.ClassHTTP {
		t.Fatalf("err = %v, want an *APICallError wrapping a *titan.HTTPError", err)
	}
	if ae.Page != 2 || ae.Status != 404 || he.StatusCode != 404 {
		t.Errorf("page %d, status %d/%d; want 2, 404", ae.Page, ae.Status, he.StatusCode)
	}
	want := `api_call GET ` + srv.URL + `/repos?page=2 (page 2): HTTP 404, body "{\"message\": \"Not Found\", \"documentation_url\": \"https://docs.example.com\"}"`
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	assertRecords(t, e.records, []titan.Record{rec(srv.URL+"/repos?page=1", map[string]any{"id": int64(1)})})
}

func TestAPICallTimeoutBoundsEachRequest(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	_, err := call{item: titan.Item{URL: srv.URL}, limits: titan.Limits{TimeoutSeconds: 1}}.run(t, actions.APICall{})
	if titan.ClassOf(err) != titan.ClassTimeout {
		t.Fatalf("err = %v (class %s), want a timeout", err, titan.ClassOf(err))
	}
}

func TestAPICallWithoutURLsRunsOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		jsonHandler(200, `{"rates": [{"currency": "EUR", "rate": 0.92}, {"currency": "GBP", "rate": 0.79}]}`)(w, r)
	}))
	defer srv.Close()
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	res := titantest.Run(t.Context(), r, &titan.Task{
		Name:       "rates",
		ActionType: titan.ActionAPICall,
		Params:     map[string]any{"url": srv.URL + "/v1/latest?base=USD", "records_path": "rates"},
		OutputSchema: json.RawMessage(`{"type": "object", "required": ["currency", "rate"],
			"properties": {"currency": {"type": "string"}, "rate": {"type": "number"}}}`),
	})
	if res.Err != nil || len(res.Errors) > 0 {
		t.Fatalf("err %v, errors %+v", res.Err, res.Errors)
	}
	var got []string
	for _, r := range res.Records {
		got = append(got, fmt.Sprintf("%s %v %v valid=%v", r.URL, r.Data["currency"], r.Data["rate"], r.Valid()))
	}
	want := []string{
		srv.URL + "/v1/latest?base=USD EUR 0.92 valid=true",
		srv.URL + "/v1/latest?base=USD GBP 0.79 valid=true",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records = %q, want %q", got, want)
	}
	if res.Stats.Pages != 1 {
		t.Errorf("pages = %d, want 1", res.Stats.Pages)
	}
}

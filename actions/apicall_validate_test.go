package actions_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/runner"
)

func TestAPICallValidateStep(t *testing.T) {
	for _, tc := range []struct {
		name    string
		params  string
		payload map[string]any
		want    []string // "field: problem"
	}{
		{"valid", `{"method": "POST", "url": "https://api.test/v1/{data.id}/items?q={q}", "auth": {"type": "bearer", "secret": "TOKEN"},
			"query": {"page_token": "{next}", "sort_key": "date"},
			"pagination": {"type": "cursor", "cursor_path": "meta.next", "size_param": "limit", "size": 50}}`, map[string]any{"a": 1}, nil},
		{"payload with GET", `{"url": "https://api.test/items"}`, map[string]any{"q": "x"},
			[]string{"payload: payload needs method POST, PUT or PATCH, not GET"}},
		{"unclosed placeholder", `{"url": "https://api.test/users/{user"}`, nil,
			[]string{`params.url: invalid template "https://api.test/users/{user": unclosed { at offset 23 (write {{ for a literal brace)`}},
		{"relative URL", `{"url": "/users/{user}"}`, nil,
			[]string{`params.url: invalid template "/users/{user}": placeholder {user} comes before scheme://host: a URL template starts with scheme://host, or with a placeholder holding a whole URL`}},
		{"relative URL without placeholders", `{"url": "/users"}`, nil,
			[]string{`params.url: invalid URL "/users": scheme must be http or https`}},
		{"placeholder in the scheme", `{"url": "http{s}://api.test/"}`, nil,
			[]string{`params.url: invalid template "http{s}://api.test/": placeholder {s} comes before scheme://host: a URL template starts with scheme://host, or with a placeholder holding a whole URL`}},
		{"placeholders in host and whole URL", `{"url": "{base}/v1?tenant={t}"}`, nil, nil},
		{"placeholder in the host", `{"url": "https://{tenant}.api.test/v1"}`, nil, nil},
		{"unknown pagination type", `{"pagination": {"type": "pages"}}`, nil,
			[]string{`params.pagination.type: unknown pagination type "pages" (want page, offset, cursor, link_header or next_url)`}},
		{"cursor without cursor_path", `{"pagination": {"type": "cursor", "param": "p"}}`, nil, []string{
			"params.pagination.cursor_path: is required for cursor pagination: the gjson path of the next cursor, e.g. meta.next_cursor",
			"params.pagination.param: only used with pagination type page or offset",
		}},
		{"page and stop_when_empty false", `{"pagination": {"type": "page", "size": 10, "stop_when_empty": false}}`, nil, []string{
			"params.pagination.size_param: size_param and size go together",
			"params.pagination.stop_when_empty: cannot be false with page pagination: an empty page is its only end",
		}},
		{"unknown params", `{"verb": "GET", "pagination": {"type": "cursor", "cursor_pth": "x"}}`, nil, []string{
			"params.pagination.cursor_pth: unknown param (known: type, param, start, size_param, size, cursor_path, cursor_param, next_url_path, stop_when_empty)",
			"params.verb: unknown param (known: method, url, headers, query, auth, records_path, pagination)",
		}},
		{"wrong type", `{"pagination": {"type": "page", "size": "100"}}`, nil,
			[]string{"params.pagination.size: want a number, got a JSON string"}},
		{"bad method", `{"method": "FETCH"}`, nil, []string{`params.method: unknown method "FETCH" (want GET, POST, PUT, PATCH or DELETE)`}},
		{"credentials in params", `{"url": "https://api.test/?api_key=abc", "headers": {"Authorization": "Bearer abc"}, "query": {"access_token": "abc"},
			"auth": {"type": "bearer", "secret": "Bearer abc123"}}`, nil, []string{
			`params.url: query parameter "api_key" looks like a credential: put it in the run's secrets and use params.auth`,
			"params.headers.Authorization: looks like a credential: put it in the run's secrets and use params.auth",
			"params.query.access_token: looks like a credential: put it in the run's secrets and use params.auth",
			"params.auth.secret: is not a secret name (letters, digits, '_', '-' and '.'): give the name under which the run's secrets hold the credential, never the credential",
		}},
		{"auth type", `{"auth": {"type": "oauth", "secret": "X"}}`, nil, []string{`params.auth.type: unknown auth type "oauth" (want bearer, basic or api_key)`}},
		{"basic needs a username", `{"auth": {"type": "basic", "secret": "PASS", "header": "X-Key"}}`, nil, []string{
			"params.auth.username_secret: is required for auth type basic: the name of a secret of the run",
			"params.auth.header: only used with auth type api_key",
		}},
		{"JSON pointer", `{"records_path": "/data/items"}`, nil, []string{`params.records_path: "/data/items": write a gjson path such as data.items, not a JSON Pointer or JSONPath`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range (actions.APICall{}).ValidateStep(&titan.Step{Params: params(tc.params), Payload: tc.payload}) {
				got = append(got, p.Field+": "+p.Problem)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestAPICallValidationThroughTheRunner(t *testing.T) {
	r, err := runner.New(runner.Config{})
	if err != nil {
		t.Fatal(err)
	}
	err = r.Validate(&titan.Task{
		Name: "chain",
		URLs: []string{"https://shop.test/"},
		ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "list", ActionType: titan.ActionAPICall, Params: params(`{"pagination": {"type": "cursor"}}`)},
			{ID: "post", ActionType: titan.ActionAPICall, Payload: map[string]any{"q": 1}},
		}},
	})
	var ve *titan.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *titan.ValidationError", err)
	}
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	want := []string{"execution_plan.steps[0].params.pagination.cursor_path", "execution_plan.steps[1].payload"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields = %q, want %q", fields, want)
	}
}

func TestAPICallNeedsAURL(t *testing.T) {
	_, err := actions.APICall{}.Prepare(&titan.Task{Name: "t"}, &titan.Step{ID: titan.MainStep})
	if err == nil || err.Error() != "titan: invalid api_call params: params.url: is required when the task has no urls" {
		t.Errorf("err = %v", err)
	}
}

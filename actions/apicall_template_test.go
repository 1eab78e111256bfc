package actions

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/titanscrape/titan"
)

func TestURLTemplateEscapesByPlace(t *testing.T) {
	item := titan.Item{URL: "https://shop.test/p/1?ref=a b", Data: map[string]any{
		"tenant": "acme-eu", "id": "a/b c", "q": "x&y=z #1", "n": float64(3), "big": float64(1e21), "ok": true,
		"url":   "https://upstream.test/",
		"owner": map[string]any{"login": "ann", "tags": []any{"t1", "t2"}},
	}}
	for _, tc := range []struct{ tmpl, want string }{
		{"https://{tenant}.api.test/v1/items/{id}?q={q}&n={n}#{id}", "https://acme-eu.api.test/v1/items/a%2Fb%20c?q=x%26y%3Dz+%231&n=3#a%2Fb%20c"},
		{"{url}", "https://shop.test/p/1?ref=a b"},
		{"{data.url}/v2/{owner.login}", "https://upstream.test//v2/ann"},
		{"https://api.test/{data.owner.tags.1}?ok={ok}&big={big}", "https://api.test/t2?ok=true&big=1000000000000000000000"},
		{"https://api.test/{{literal}}/{id}", "https://api.test/{literal}/a%2Fb%20c"},
	} {
		tm, err := parseURLTemplate(tc.tmpl)
		if err != nil {
			t.Fatalf("%s: %v", tc.tmpl, err)
		}
		got, err := tm.expand(item)
		if err != nil || got != tc.want {
			t.Errorf("%s = %q, %v; want %q", tc.tmpl, got, err, tc.want)
		}
	}
}

func TestTemplateValueErrors(t *testing.T) {
	item := titan.Item{Data: map[string]any{"tenant": "evil.test/x", "obj": map[string]any{}, "list": []any{1.0}, "nil": nil}}
	for _, tc := range []struct{ tmpl, want string }{
		{"https://{tenant}.api.test/", `titan: input "{tenant}": value "evil.test/x" is not a host name`},
		{"https://api.test/{obj}", `titan: input "{obj}": field is an object, not a string, number or boolean`},
		{"https://api.test/{list}", `titan: input "{list}": field is an array, not a string, number or boolean`},
		{"https://api.test/{list.3}", `titan: input "{list.3}": the item's data has no field "list.3"`},
		{"https://api.test/{nil}", `titan: input "{nil}": field is null`},
		{"https://api.test/?u={url}", `titan: input "{url}": the item has no URL`},
	} {
		tm, err := parseURLTemplate(tc.tmpl)
		if err != nil {
			t.Fatalf("%s: %v", tc.tmpl, err)
		}
		_, err = tm.expand(item)
		var ie *titan.InputError
		if !errors.As(err, &ie) || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %s", tc.tmpl, err, tc.want)
		}
	}
}

func TestTemplateSyntaxErrors(t *testing.T) {
	for _, tc := range []struct{ tmpl, want string }{
		{"a}b", "unmatched } at offset 1 (write }} for a literal brace)"},
		{"a{b", "unclosed { at offset 1 (write {{ for a literal brace)"},
		{"{}", "invalid placeholder {} at offset 0: use field names of letters, digits, _ and -, joined by dots"},
		{"{a..b}", "invalid placeholder {a..b} at offset 0: use field names of letters, digits, _ and -, joined by dots"},
		{"{a b}", "invalid placeholder {a b} at offset 0: use field names of letters, digits, _ and -, joined by dots"},
	} {
		_, err := parseTemplate(tc.tmpl)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: err = %v, want %s", tc.tmpl, err, tc.want)
		}
	}
}

func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"", "plain", "{url}", "https://{tenant}.api.test/v1/{data.id}?q={q}#{f}", "{{x}}", "a}}b{{c",
		"{a.b.0}", "http{s}://x", "{", "}", "{a{b}}", "https://x/{é}", "{base}/x?y={y}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := parseTemplate(s)
		if err != nil {
			return
		}
		// The source form parses back to the same parts.
		again, err := parseTemplate(tm.String())
		if err != nil || !reflect.DeepEqual(again.parts, tm.parts) {
			t.Fatalf("%q: String() = %q parses to %+v, %v; want %+v", s, tm.String(), again, err, tm.parts)
		}
		// Every placeholder filled with "v": literals and values, in order.
		data := map[string]any{}
		var want strings.Builder
		fillable := true
		for _, p := range tm.parts {
			if !p.ph {
				want.WriteString(p.lit)
				continue
			}
			want.WriteString("v")
			if p.path != nil && !setPath(data, p.path) {
				fillable = false
			}
		}
		got, err := tm.expand(titan.Item{URL: "v", Data: data})
		if fillable && (err != nil || got != want.String()) {
			t.Fatalf("%q: expand = %q, %v; want %q", s, got, err, want.String())
		}
		// URL templates never panic, and their static check is consistent.
		if ut, err := parseURLTemplate(s); err == nil {
			_ = checkURLTemplate(ut)
			_, _ = ut.expand(titan.Item{URL: "https://x.test/", Data: data})
		}
	})
}

// setPath sets path in m to "v"; it reports false when another placeholder made
// a prefix of path a string already, or path a map.
func setPath(m map[string]any, path []string) bool {
	for i, seg := range path {
		if i == len(path)-1 {
			if old, ok := m[seg]; ok {
				return old == "v"
			}
			m[seg] = "v"
			return true
		}
		next, ok := m[seg]
		if !ok {
			next = map[string]any{}
			m[seg] = next
		}
		sub, ok := next.(map[string]any)
		if !ok {
			return false
		}
		m = sub
	}
	return true
}

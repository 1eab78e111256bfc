package actions_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
)

// pagedAPI serves items 1..n, per page, under every pagination style.
func pagedAPI(t *testing.T, n, per int, requests *[]string) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	items := func(from int) []any {
		var out []any
		for i := from; i < min(from+per, n); i++ {
			out = append(out, map[string]any{"id": i + 1})
		}
		return out
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*requests = append(*requests, r.URL.RequestURI())
		mu.Unlock()
		q := r.URL.Query()
		var from int
		switch {
		case q.Has("page"):
			fmt.Sscan(q.Get("page"), &from)
			from = (from - 1) * per
		case q.Has("offset"):
			fmt.Sscan(q.Get("offset"), &from)
		case q.Has("cursor"):
			fmt.Sscanf(q.Get("cursor"), "c%d", &from)
		}
		list := items(from)
		next := from + per
		body := map[string]any{"data": list}
		switch r.URL.Path {
		case "/cursor":
			body["meta"] = map[string]any{"next_cursor": nil}
			if next < n {
				body["meta"] = map[string]any{"next_cursor": fmt.Sprintf("c%d", next)}
			}
		case "/cursor-missing":
			if next < n {
				body["meta"] = map[string]any{"next_cursor": fmt.Sprintf("c%d", next)}
			} else {
				body["meta"] = map[string]any{}
			}
		case "/cursor-stuck":
			body["meta"] = map[string]any{"next_cursor": "c2"}
		case "/next":
			body["links"] = map[string]any{"next": nil}
			if next < n {
				body["links"] = map[string]any{"next": fmt.Sprintf("/next?page=%d", next/per+1)}
			}
		case "/next-loop":
			body["links"] = map[string]any{"next": "/next-loop?page=1"}
		case "/link":
			var links []string
			if next < n {
				links = append(links, fmt.Sprintf(`<%s/link?page=%d>; rel="next"`, srv.URL, next/per+1))
			}
			links = append(links, fmt.Sprintf(`</link?page=1>; rel="first", <%s/link?page=%d>; rel="last"`, srv.URL, (n+per-1)/per))
			w.Header()["Link"] = links
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ids(records []titan.Record) []int64 {
	var out []int64
	for _, r := range records {
		id, _ := r.Data["id"].(int64)
		out = append(out, id)
	}
	return out
}

func TestAPICallPagination(t *testing.T) {
	for _, tc := range []struct {
		name       string
		path       string
		pagination string
		maxPages   int
		n          int
		requests   []string
		ids        []int64
		skipped    map[string]int
	}{{
		name: "page ends at an empty page", path: "/page", n: 5,
		pagination: `{"type": "page", "size_param": "per_page", "size": 2}`,
		requests:   []string{"/page?page=1&per_page=2", "/page?page=2&per_page=2", "/page?page=3&per_page=2", "/page?page=4&per_page=2"},
		ids:        []int64{1, 2, 3, 4, 5},
	}, {
		name: "page stops at max_pages", path: "/page", n: 9, maxPages: 2,
		pagination: `{"type": "page", "start": 1}`,
		requests:   []string{"/page?page=1", "/page?page=2"},
		ids:        []int64{1, 2, 3, 4},
		skipped:    map[string]int{actions.SkipPaginationLimit: 1},
	}, {
		name: "offset counts the records received", path: "/offset", n: 3,
		pagination: `{"type": "offset", "size_param": "limit", "size": 2}`,
		requests:   []string{"/offset?limit=2&offset=0", "/offset?limit=2&offset=2", "/offset?limit=2&offset=3"},
		ids:        []int64{1, 2, 3},
	}, {
		name: "cursor ends at a null cursor", path: "/cursor", n: 5,
		pagination: `{"type": "cursor", "cursor_path": "meta.next_cursor"}`,
		requests:   []string{"/cursor", "/cursor?cursor=c2", "/cursor?cursor=c4"},
		ids:        []int64{1, 2, 3, 4, 5},
	}, {
		name: "cursor ends at a missing cursor", path: "/cursor-missing", n: 4,
		pagination: `{"type": "cursor", "cursor_path": "meta.next_cursor", "size_param": "limit", "size": 2}`,
		requests:   []string{"/cursor-missing?limit=2", "/cursor-missing?cursor=c2&limit=2"},
		ids:        []int64{1, 2, 3, 4},
	}, {
		name: "cursor stops at a repeated cursor", path: "/cursor-stuck", n: 9,
		pagination: `{"type": "cursor", "cursor_path": "meta.next_cursor"}`,
		requests:   []string{"/cursor-stuck", "/cursor-stuck?cursor=c2"},
		ids:        []int64{1, 2, 3, 4},
		skipped:    map[string]int{actions.SkipRepeatedCursor: 1},
	}, {
		name: "link_header ends without rel=next", path: "/link", n: 5,
		pagination: `{"type": "link_header"}`,
		requests:   []string{"/link", "/link?page=2", "/link?page=3"},
		ids:        []int64{1, 2, 3, 4, 5},
	}, {
		name: "next_url ends at null", path: "/next", n: 3,
		pagination: `{"type": "next_url", "next_url_path": "links.next"}`,
		requests:   []string{"/next", "/next?page=2"},
		ids:        []int64{1, 2, 3},
	}, {
		name: "next_url stops at a page already fetched", path: "/next-loop", n: 9,
		pagination: `{"type": "next_url", "next_url_path": "links.next"}`,
		requests:   []string{"/next-loop", "/next-loop?page=1"},
		ids:        []int64{1, 2, 1, 2},
		skipped:    map[string]int{actions.SkipRepeatedNextURL: 1},
	}, {
		name: "an empty page ends a cursor", path: "/cursor-stuck", n: 0,
		pagination: `{"type": "cursor", "cursor_path": "meta.next_cursor"}`,
		requests:   []string{"/cursor-stuck"},
	}, {
		name: "stop_when_empty false goes on after an empty page", path: "/cursor-stuck", n: 0,
		pagination: `{"type": "cursor", "cursor_path": "meta.next_cursor", "stop_when_empty": false}`,
		requests:   []string{"/cursor-stuck", "/cursor-stuck?cursor=c2"},
		skipped:    map[string]int{actions.SkipRepeatedCursor: 1},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var requests []string
			srv := pagedAPI(t, tc.n, 2, &requests)
			e, err := call{
				step:   titan.Step{Params: params(`{"records_path": "data", "pagination": ` + tc.pagination + `}`)},
				item:   titan.Item{URL: srv.URL + tc.path},
				limits: titan.Limits{MaxPages: tc.maxPages},
			}.run(t, actions.APICall{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(requests, tc.requests) {
				t.Errorf("requests = %q, want %q", requests, tc.requests)
			}
			if got := ids(e.records); !reflect.DeepEqual(got, tc.ids) {
				t.Errorf("ids = %v, want %v", got, tc.ids)
			}
			if !reflect.DeepEqual(e.skipped, tc.skipped) {
				t.Errorf("skipped = %v, want %v", e.skipped, tc.skipped)
			}
			if e.fetched != len(tc.requests) {
				t.Errorf("fetched = %d, want %d", e.fetched, len(tc.requests))
			}
			for i, r := range e.records {
				if !strings.HasPrefix(r.URL, srv.URL+tc.path) {
					t.Errorf("record %d URL = %s", i, r.URL)
				}
			}
		})
	}
}

func TestAPICallPaginationDefaultsToTenPages(t *testing.T) {
	var requests []string
	srv := pagedAPI(t, 100, 1, &requests)
	e, err := call{
		step: titan.Step{Params: params(`{"records_path": "data", "pagination": {"type": "page"}}`)},
		item: titan.Item{URL: srv.URL + "/page"},
	}.run(t, actions.APICall{})
	if err != nil {
		t.Fatal(err)
	}
	if len(requests) != 10 || len(e.records) != 10 || e.skipped[actions.SkipPaginationLimit] != 1 {
		t.Errorf("requests %d, records %d, skipped %v; want 10, 10, pagination_limit 1", len(requests), len(e.records), e.skipped)
	}
}

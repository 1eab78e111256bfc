package actions_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// A search task needs no urls. Here it asks a SearXNG instance, keeps the results
// on go.dev and counts the others as skipped.
func ExampleSearch() {
	searx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/search" || r.URL.Query().Get("pageno") != "1" {
			io.WriteString(w, `{"results": []}`)
			return
		}
		io.WriteString(w, `{"query": "go generics", "results": [
			{"url": "https://go.dev/doc/tutorial/generics", "title": "Tutorial: Getting started with generics", "content": "The basics of generics in Go."},
			{"url": "https://example.com/go-generics", "title": "Go generics explained", "content": "A blog post."},
			{"url": "https://go.dev/blog/intro-generics", "title": "An Introduction To Generics", "content": "Go 1.18 adds generics."}]}`)
	}))
	defer searx.Close()

	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		panic(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name:       "generics",
		ActionType: titan.ActionSearch,
		Params: map[string]any{
			"provider":        actions.ProviderSearXNG,
			"endpoint":        searx.URL,
			"query":           "go generics",
			"include_domains": []string{"go.dev"},
		},
	})
	for _, rec := range res.Records {
		fmt.Println(rec.Data["rank"], rec.Data["title"], rec.URL)
	}
	fmt.Println("skipped:", res.Stats.Skipped)
	// Output:
	// 1 Tutorial: Getting started with generics https://go.dev/doc/tutorial/generics
	// 2 An Introduction To Generics https://go.dev/blog/intro-generics
	// skipped: map[excluded_domain:1]
}

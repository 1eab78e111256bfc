package actions_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// An api_call task without urls calls params.url once, authenticates with a
// secret of the run given by name, and follows the API's cursor pagination.
func ExampleAPICall() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret-t0ken" {
			http.Error(w, `{"error": "unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("cursor") {
		case "":
			io.WriteString(w, `{"data": [{"title": "Dune", "year": 1965}, {"title": "Neuromancer", "year": 1984}], "meta": {"next": "b2"}}`)
		case "b2":
			io.WriteString(w, `{"data": [{"title": "Hyperion", "year": 1989}], "meta": {"next": null}}`)
		}
	}))
	defer api.Close()

	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		panic(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name:       "books",
		ActionType: titan.ActionAPICall,
		Params: map[string]any{
			"url":          api.URL + "/v1/books?genre=sf",
			"auth":         map[string]any{"type": "bearer", "secret": "BOOKS_TOKEN"},
			"records_path": "data",
			"pagination":   map[string]any{"type": "cursor", "cursor_path": "meta.next"},
		},
	}, func(j *titan.Job) { j.Secrets = titan.Secrets{"BOOKS_TOKEN": "s3cret-t0ken"} })
	for _, rec := range res.Records {
		fmt.Println(rec.Data["title"], rec.Data["year"])
	}
	fmt.Println("pages:", res.Stats.Pages, "errors:", len(res.Errors))
	// Output:
	// Dune 1965
	// Neuromancer 1984
	// Hyperion 1989
	// pages: 2 errors: 0
}

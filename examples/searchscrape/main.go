// Command searchscrape runs a two-step plan: a search, then a scrape of every
// result page with a schema. By default the search goes to a fake SearXNG server
// on 127.0.0.1 (SearXNG is the self-hostable metasearch engine whose JSON API
// titan speaks) that returns pages of the embedded demo shop, so the example runs
// offline. Point -searxng at a real SearXNG instance to search the web.
//
//	go run ./examples/searchscrape -q "espresso machine"
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
)

// pageSchema reads any page's title and description, and a demo shop product's price.
const pageSchema = `{"type":"object","required":["title"],"properties":{
  "title":{"type":"string","x-selector":"title"},
  "description":{"type":"string","x-selector":"meta[name=description]@content"},
  "price":{"type":"number","x-selector":".price-box span.price"}}}`

func main() {
	query := flag.String("q", "monitor", "what to search for")
	searxng := flag.String("searxng", "", "a SearXNG instance to search (default: a fake one on loopback)")
	max := flag.Int("n", 5, "results to scrape")
	flag.Parse()
	if err := run(context.Background(), *query, *searxng, *max); err != nil {
		fmt.Fprintln(os.Stderr, "searchscrape:", err)
		os.Exit(1)
	}
}

// fakeSearXNG answers /search?q=...&format=json with the demo shop's products
// whose name contains a word of the query, in SearXNG's JSON shape.
func fakeSearXNG(shop *demosite.Shop, shopURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		q := strings.ToLower(r.URL.Query().Get("q"))
		type result struct {
			Title   string `json:"title"`
			URL     string `json:"url"`
			Content string `json:"content"`
			Engine  string `json:"engine"`
		}
		var results []result
		for _, p := range shop.Products() {
			for _, word := range strings.Fields(q) {
				if strings.Contains(strings.ToLower(p.Name), word) {
					results = append(results, result{Title: p.Name, URL: shopURL + p.URL, Content: p.Description, Engine: "demo"})
					break
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"query": q, "number_of_results": len(results), "results": results})
	})
}

func run(ctx context.Context, query, searxng string, max int) error {
	shop := demosite.New(demosite.Config{Products: 60})
	shopURL, stopShop, err := demosite.Serve(shop.Handler())
	if err != nil {
		return err
	}
	defer stopShop()
	if searxng == "" {
		u, stop, err := demosite.Serve(fakeSearXNG(shop, shopURL))
		if err != nil {
			return err
		}
		defer stop()
		searxng = u
	}
	r, err := runner.New(runner.Config{RatePerHost: 50})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name:      "search then scrape",
		Objective: "Find pages about " + query + " and read them",
		ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "search", ActionType: titan.ActionSearch,
				Params: map[string]any{"query": query, "provider": "searxng", "endpoint": searxng},
				Limits: &titan.Limits{MaxResults: max}},
			{ID: "pages", ActionType: titan.ActionScrape, InputSource: titan.InputPreviousStep, From: []string{"search"},
				OutputSchema: json.RawMessage(pageSchema)},
		}},
	})
	if err != nil {
		return err
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		return err
	}
	results := map[string]titan.Record{}
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		if rec.Step == "search" {
			results[rec.ID] = rec
			continue
		}
		hit := results[rec.Parent]
		fmt.Printf("#%v %s\n   %v", hit.Data["rank"], rec.URL, rec.Data["title"])
		if p, ok := rec.Data["price"]; ok {
			fmt.Printf(" — %v", p)
		}
		fmt.Println()
	}
	fmt.Printf("execution %s: %s (%s)\n", x.ID, x.Status, x.Reason)
	return nil
}

// Command apichain runs a two-step plan over a paginated JSON API: an api_call
// step reads every page of a product list (page-number pagination, a bearer token
// taken from the run's secrets), and a scrape step extracts each product's detail
// page with a schema. The API and the shop are served on 127.0.0.1.
//
//	go run ./examples/apichain
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
)

const detailSchema = `{"type":"object","required":["name","price","sku"],"properties":{
  "name":{"type":"string","x-selector":"h1.product-title"},
  "sku":{"type":"string","x-selector":"span.sku"},
  "price":{"type":"number","x-selector":".price-box span.price","minimum":0},
  "in_stock":{"type":"boolean","x-selector":".availability"}}}`

const token = "demo-token" // what the fake API expects; passed as a run secret

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "apichain:", err)
		os.Exit(1)
	}
}

// api serves GET /v1/products?page=N: 10 products a page, then an empty page.
func api(shop *demosite.Shop, shopURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		items := []map[string]any{}
		all := shop.Products()
		for i := (page - 1) * 10; i >= 0 && i < page*10 && i < len(all); i++ {
			items = append(items, map[string]any{"id": all[i].ID, "name": all[i].Name, "url": shopURL + all[i].URL})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"page": page, "data": map[string]any{"items": items}})
	})
}

func run(ctx context.Context) error {
	shop := demosite.New(demosite.Config{Products: 35})
	shopURL, stopShop, err := demosite.Serve(shop.Handler())
	if err != nil {
		return err
	}
	defer stopShop()
	apiURL, stopAPI, err := demosite.Serve(api(shop, shopURL))
	if err != nil {
		return err
	}
	defer stopAPI()

	r, err := runner.New(runner.Config{RatePerHost: 100})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name: "api then detail pages",
		ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "list", ActionType: titan.ActionAPICall, Params: map[string]any{
				"url":          apiURL + "/v1/products",
				"auth":         map[string]any{"type": "bearer", "secret": "API_TOKEN"},
				"records_path": "data.items",
				"pagination":   map[string]any{"type": "page", "param": "page"},
			}},
			{ID: "detail", ActionType: titan.ActionScrape, OutputSchema: json.RawMessage(detailSchema)},
		}},
	})
	if err != nil {
		return err
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait(), engine.WithSecrets(titan.Secrets{"API_TOKEN": token}))
	if err != nil {
		return err
	}
	n := 0
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		if rec.Step != "detail" {
			continue
		}
		if n++; n <= 5 {
			fmt.Printf("%-10v %-42v %9v in stock: %v (from %s)\n", rec.Data["sku"], rec.Data["name"], rec.Data["price"], rec.Data["in_stock"], rec.Parent)
		}
	}
	fmt.Printf("... %d products\nexecution %s: %s (%s)\n", n, x.ID, x.Status, x.Reason)
	for _, id := range []string{"list", "detail"} {
		st := x.Stats.Steps[id]
		fmt.Printf("  step %-6s %d records, %d pages, skipped %v\n", id, st.Records(), st.Pages, st.Skipped)
	}
	return nil
}

// Command plugin registers a custom action and uses it as a step of a multi-step
// plan. Step "discover" maps the demo shop's product URLs with the built-in crawl
// action; step "offers", the custom action, reads each product's JSON-LD offer
// (fetched through titan's polite fetcher, parsed with the page package) and
// emits one record per product.
//
//	go run ./examples/plugin
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"golang.org/x/net/html"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/page"
	"github.com/titanscrape/titan/runner"
)

// offerAction reads the schema.org Product of a page's JSON-LD.
var offerAction = titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	resp, err := in.Fetcher.Fetch(ctx, &titan.Request{URL: in.Item.URL})
	if err != nil {
		return err
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return err
	}
	out.Fetched()
	u, _ := url.Parse(resp.URL)
	for _, block := range page.ExtractMetadata(doc, u).JSONLD {
		p, ok := block.(map[string]any)
		if !ok || p["@type"] != "Product" {
			continue
		}
		offer, _ := p["offers"].(map[string]any)
		return out.Emit(ctx, titan.Record{Data: map[string]any{
			"sku":          p["sku"],
			"name":         p["name"],
			"price":        toNumber(offer["price"]),
			"availability": offer["availability"],
		}})
	}
	return fmt.Errorf("no JSON-LD Product on %s", resp.URL)
})

func toNumber(v any) any {
	if s, ok := v.(string); ok {
		var f float64
		if _, err := fmt.Sscan(s, &f); err == nil {
			return f
		}
	}
	return v
}

const offerSchema = `{"type":"object","required":["sku","name","price"],"properties":{
  "sku":{"type":"string"},"name":{"type":"string"},"price":{"type":"number","minimum":0},
  "availability":{"type":"string"}}}`

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "plugin:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	shop := demosite.New(demosite.Config{Products: 24, PerPage: 12})
	base, stop, err := demosite.Serve(shop.Handler())
	if err != nil {
		return err
	}
	defer stop()

	r, err := runner.New(runner.Config{
		RatePerHost: 100,
		Actions:     map[titan.ActionType]titan.Action{"jsonld_offer": offerAction},
	})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)

	task, err := eng.CreateTask(ctx, &titan.Task{
		Name: "offers",
		URLs: []string{base + "/products"},
		ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "discover", ActionType: titan.ActionCrawl,
				Params: map[string]any{"mode": "map",
					"include_paths": []any{`^/products(\?page=\d+)?$`, `^/product/`}, // follow listings and products
					"extract_paths": []any{`^/product/`}},                            // list products only
				Limits: &titan.Limits{MaxDepth: 3, MaxPages: 100}},
			{ID: "offers", ActionType: "jsonld_offer", InputSource: titan.InputPreviousStep, From: []string{"discover"},
				OutputSchema: json.RawMessage(offerSchema)},
		}},
	})
	if err != nil {
		return err
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		return err
	}
	n := 0
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		if rec.Step != "offers" {
			continue
		}
		n++
		if n <= 5 {
			fmt.Printf("%-10v %-45v %9v  %v  (from %s)\n", rec.Data["sku"], rec.Data["name"], rec.Data["price"], rec.Data["availability"], rec.Parent)
		}
	}
	fmt.Printf("... %d offers\n", n)
	fmt.Printf("execution %s: %s (%s)\n", x.ID, x.Status, x.Reason)
	for step, st := range x.Stats.Steps {
		fmt.Printf("  step %-8s %d records, %d pages, %d errors, skipped %v\n", step, st.ValidRecords+st.InvalidRecords, st.Pages, st.Errors, st.Skipped)
	}
	return nil
}

package crawlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
)

// Schema is the output schema of titan's crawl: the five fields of a product
// page.
const Schema = `{"type":"object","required":["name","price","sku","in_stock","image"],"properties":{
 "name":{"type":"string","x-selector":"h1.product-title"},
 "price":{"type":"number","x-selector":".price-box span.price","minimum":0},
 "sku":{"type":"string","x-selector":"span.sku"},
 "in_stock":{"type":"boolean","x-selector":".availability"},
 "image":{"type":"string","format":"media","x-selector":"img.main@src"}}}`

// TitanTask returns the crawl task of the benchmark.
func TitanTask(base string) *titan.Task {
	return &titan.Task{
		Name:       "bench",
		ActionType: titan.ActionCrawl,
		URLs:       []string{base + "/products"},
		Params: map[string]any{
			"include_paths": []any{ListingPattern, ProductPattern},
			"extract_paths": []any{ProductPattern},
		},
		Limits:       &titan.Limits{MaxDepth: 100_000, MaxPages: 1_000_000},
		OutputSchema: json.RawMessage(Schema),
	}
}

// Titan crawls with titan's runner and crawl action, through the public API,
// and counts records in a sink that keeps none.
func Titan(ctx context.Context, o Options) (Result, error) {
	tr := NewTransport(o.Concurrency)
	defer tr.CloseIdleConnections()
	r, err := runner.New(runner.Config{
		RatePerHost:     -1,
		MaxConnsPerHost: o.Concurrency,
		Concurrency:     o.Concurrency,
		HTTPClient:      &http.Client{Transport: tr},
	})
	if err != nil {
		return Result{}, err
	}
	sink := &countingSink{check: newChecker(o.Products)}
	start := time.Now()
	stats, err := r.Execute(ctx, &titan.Job{ExecutionID: "bench", Task: TitanTask(o.Base)}, sink)
	elapsed := time.Since(start)
	if err != nil {
		return Result{}, fmt.Errorf("titan: %w", err)
	}
	return sink.check.result("titan", stats.Pages, elapsed), nil
}

// countingSink is a titan.Sink that checks and counts records and keeps none,
// so titan's memory is the crawl's own.
type countingSink struct{ check *checker }

func (s *countingSink) Record(_ context.Context, _ string, rec titan.Record) error {
	if !rec.Valid() {
		s.check.reject(fmt.Sprintf("%s: invalid record: %v", rec.URL, rec.Errors))
		return nil
	}
	var r record
	r.Name, _ = rec.Data["name"].(string)
	r.Price, _ = rec.Data["price"].(float64)
	r.SKU, _ = rec.Data["sku"].(string)
	r.InStock, _ = rec.Data["in_stock"].(bool)
	r.Image, _ = rec.Data["image"].(string)
	s.check.add(r)
	return nil
}

func (s *countingSink) ItemDone(context.Context, string, string) {}

func (s *countingSink) Error(_ context.Context, e titan.ExecError) {
	s.check.fail(e.URL, fmt.Errorf("%s: %s", e.Class, e.Message))
}

func (s *countingSink) Progress(titan.Stats) {}

package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

const namePriceSchema = `{"type":"object","required":["name","price"],"properties":{
 "name":{"type":"string","x-selector":"h1"},"price":{"type":"number","x-selector":".price"}}}`

func productHTML(name, price string) string {
	return fmt.Sprintf(`<html><body><h1>%s</h1><span class="price">%s</span></body></html>`, name, price)
}

// TestPlanCrawlThenScrape maps a listing with a crawl step and scrapes every product
// it finds in a second step; each product record names the crawl record it came from.
func TestPlanCrawlThenScrape(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://shop.test/list": `<a href="/p/1">1</a><a href="/p/2">2</a><a href="/p/3">3</a>`,
		"https://shop.test/p/1":  productHTML("Desk", "$120"),
		"https://shop.test/p/2":  productHTML("Lamp", "$35.50"),
		"https://shop.test/p/3":  productHTML("Chair", "$80"),
	})
	task := &titan.Task{Name: "plan", URLs: []string{"https://shop.test/list"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "discover", ActionType: titan.ActionCrawl, Params: map[string]any{"mode": "map", "include_paths": []any{"^/p/"}}},
		{ID: "products", ActionType: titan.ActionScrape, OutputSchema: json.RawMessage(namePriceSchema)},
	}}}
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), task)
	if res.Err != nil || len(res.Errors) != 0 {
		t.Fatalf("err %v, errors %+v", res.Err, res.Errors)
	}
	byID := map[string]titan.Record{}
	var products []string
	for _, r := range res.Records {
		byID[r.ID] = r
	}
	for _, r := range res.Records {
		if r.Step != "products" {
			continue
		}
		parent, ok := byID[r.Parent]
		if !ok || parent.Step != "discover" || parent.Data["url"] != r.URL {
			t.Fatalf("record %+v has lineage %q → %+v", r, r.Parent, parent)
		}
		products = append(products, fmt.Sprintf("%s %v %s", r.Data["name"], r.Data["price"], strings.TrimPrefix(r.URL, "https://shop.test")))
	}
	sort.Strings(products)
	if want := []string{"Chair 80 /p/3", "Desk 120 /p/1", "Lamp 35.5 /p/2"}; !reflect.DeepEqual(products, want) {
		t.Fatalf("products = %v", products)
	}
	st := res.Stats
	if st.Steps["discover"].ValidRecords != 3 || st.Steps["products"].ValidRecords != 3 || st.Steps["products"].Pages != 3 || st.ValidRecords != 6 {
		t.Fatalf("stats = %+v", st)
	}
}

// TestPlanFailedItemsDoNotStopOthers feeds a custom step's records to a scrape step
// where one URL fails: the others go on, and the error is the scrape step's.
func TestPlanFailedItemsDoNotStopOthers(t *testing.T) {
	site := titantest.NewSite(map[string]string{
		"https://a.test/1": productHTML("One", "1"),
		"https://a.test/3": productHTML("Three", "3"),
	})
	list := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		for i := 1; i <= 3; i++ {
			if err := out.Emit(ctx, titan.Record{Data: map[string]any{"url": fmt.Sprintf("https://a.test/%d", i)}}); err != nil {
				return err
			}
		}
		return nil
	})
	r := titantest.NewRunner(t, site, map[titan.ActionType]titan.Action{"list": list})
	task := &titan.Task{Name: "p", URLs: []string{"https://a.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "list", ActionType: "list"},
		{ID: "scrape", ActionType: titan.ActionScrape, InputSource: titan.InputPreviousStep, From: []string{"list"}, OutputSchema: json.RawMessage(namePriceSchema)},
	}}}
	res := titantest.Run(context.Background(), r, task)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Step != "scrape" || res.Errors[0].URL != "https://a.test/2" || res.Errors[0].Class != titan.ClassHTTP {
		t.Fatalf("errors = %+v", res.Errors)
	}
	if s := res.Stats.Steps["scrape"]; s.ValidRecords != 2 || s.Errors != 1 {
		t.Fatalf("scrape stats = %+v", s)
	}
}

// TestPlanStreams proves that a downstream step starts before its upstream ends:
// the upstream action waits for the downstream step to process its first record.
func TestPlanStreams(t *testing.T) {
	first := make(chan struct{})
	var once atomic.Bool
	up := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		if err := out.Emit(ctx, titan.Record{Data: map[string]any{"n": 1.0}}); err != nil {
			return err
		}
		select {
		case <-first:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("downstream did not start while upstream ran")
		}
		return out.Emit(ctx, titan.Record{Data: map[string]any{"n": 2.0}})
	})
	down := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		if once.CompareAndSwap(false, true) {
			close(first)
		}
		return out.Emit(ctx, titan.Record{Data: map[string]any{"double": in.Item.Data["n"].(float64) * 2}})
	})
	r := titantest.NewRunner(t, titantest.NewSite(nil), map[titan.ActionType]titan.Action{"up": up, "down": down})
	res := titantest.Run(context.Background(), r, &titan.Task{Name: "s", URLs: []string{"https://x.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "up", ActionType: "up"}, {ID: "down", ActionType: "down"},
	}}})
	if res.Err != nil || len(res.Errors) != 0 || res.Stats.Steps["down"].ValidRecords != 2 {
		t.Fatalf("err %v errors %+v stats %+v", res.Err, res.Errors, res.Stats)
	}
}

// chain builds a 3-step plan of custom actions: "gen" emits n records from one
// item, "inc" and "sum" pass each on. It reports the most items ever queued in a
// downstream step.
func chain(n int) (*runner.Runner, *titan.Task, *atomic.Int64, error) {
	var inFlight, peak atomic.Int64
	gen := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		for i := range n {
			inFlight.Add(1)
			if err := out.Emit(ctx, titan.Record{Data: map[string]any{"i": float64(i), "pad": strings.Repeat("x", 200)}}); err != nil {
				return err
			}
			for {
				p, c := peak.Load(), inFlight.Load()
				if c <= p || peak.CompareAndSwap(p, c) {
					break
				}
			}
		}
		return nil
	})
	inc := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		return out.Emit(ctx, titan.Record{Data: map[string]any{"i": in.Item.Data["i"].(float64) + 1}})
	})
	sum := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		inFlight.Add(-1)
		return nil
	})
	r, err := runner.New(runner.Config{Concurrency: 4, Actions: map[titan.ActionType]titan.Action{"gen": gen, "inc": inc, "sum": sum}})
	task := &titan.Task{Name: "chain", URLs: []string{"https://x.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "gen", ActionType: "gen"}, {ID: "inc", ActionType: "inc"}, {ID: "sum", ActionType: "sum"},
	}}}
	return r, task, &peak, err
}

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) Record(context.Context, string, titan.Record) error { return nil }
func (discard) ItemDone(context.Context, string, string)           {}
func (discard) Error(context.Context, titan.ExecError)             {}
func (discard) Progress(titan.Stats)                               {}

func TestPlanBuffersAreBounded(t *testing.T) {
	r, task, peak, err := chain(10000)
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.Execute(context.Background(), &titan.Job{ExecutionID: "b", Task: task}, discard{})
	if err != nil || st.Steps["sum"].Errors != 0 || st.Steps["inc"].ValidRecords != 10000 {
		t.Fatalf("err %v stats %+v", err, st)
	}
	// Items between gen's emit and sum: at most inputBuffer (4) per worker (4)
	// queued in each of two steps, plus the workers' items in progress.
	if p := peak.Load(); p > 2*(4*4+4)+2 {
		t.Fatalf("peak items in flight = %d: buffers are not bounded", p)
	}
}

// BenchmarkPlanStreaming runs a 3-step plan over 10,000 items and reports the
// heap in use at the end of each run and the most items ever between the first
// and last step.
func BenchmarkPlanStreaming(b *testing.B) {
	for b.Loop() {
		r, task, peak, err := chain(10000)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Execute(context.Background(), &titan.Job{ExecutionID: "b", Task: task}, discard{}); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(peak.Load()), "peak-items")
	}
}

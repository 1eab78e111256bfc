package engine_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/store/sqlite"
)

// BenchmarkCrawlStore crawls a 1,000-product demo shop through the engine, with
// the memory store and with the SQLite store (durable frontier, checkpoints with
// every item), and reports pages per second for each.
func BenchmarkCrawlStore(b *testing.B) {
	shop := demosite.New(demosite.Config{Products: 1000, PageBytes: 16 << 10})
	srv := httptest.NewServer(shop.Handler())
	defer srv.Close()
	stores := map[string]func(b *testing.B) titan.Store{
		"memory": func(*testing.B) titan.Store { return memory.New() },
		"sqlite": func(b *testing.B) titan.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
	}
	for _, name := range []string{"memory", "sqlite"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			var pages int64
			var elapsed time.Duration
			for b.Loop() {
				st := stores[name](b)
				r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: 8, MaxConnsPerHost: 8})
				if err != nil {
					b.Fatal(err)
				}
				eng, err := engine.New(engine.Config{Store: st, Runner: r})
				if err != nil {
					b.Fatal(err)
				}
				task, err := eng.CreateTask(ctx, &titan.Task{
					Name: "bench", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/products"},
					Params:       map[string]any{"include_paths": []any{`^/products(\?page=\d+)?$`, `^/product/`}, "extract_paths": []any{`^/product/`}},
					Limits:       &titan.Limits{MaxDepth: 200, MaxPages: 10000},
					OutputSchema: json.RawMessage(cardSchema),
				})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				x, err := eng.Run(ctx, task.ID, engine.Wait())
				elapsed += time.Since(start)
				if err != nil || x.Stats.ValidRecords != 1000 {
					b.Fatalf("%v %s %s %+v", err, x.Status, x.Reason, x.Stats)
				}
				pages += x.Stats.Pages
				eng.Close(ctx)
				st.Close()
			}
			b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
		})
	}
}

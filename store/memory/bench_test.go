package memory_test

import (
	"fmt"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/memory"
)

// BenchmarkCheckpoint measures checkpoints of 100 records each, copies included.
// Every 100 checkpoints it starts over with a fresh store, so the records kept
// stay bounded whatever b.N is.
func BenchmarkCheckpoint(b *testing.B) {
	const batch, perStore = 100, 100
	recs := make([]titan.Record, batch)
	for i := range recs {
		recs[i] = titan.Record{
			Step: titan.MainStep,
			URL:  fmt.Sprintf("https://shop.example/item/%d", i),
			Data: map[string]any{
				"title": fmt.Sprint("item ", i),
				"price": 9.99 + float64(i),
				"tags":  []any{"shoes", "sale"},
				"stock": map[string]any{"warehouse": "berlin", "count": float64(i)},
			},
		}
	}
	ctx := b.Context()
	var (
		s *memory.Store
		e *titan.Execution
	)
	fresh := func() {
		s = memory.New()
		e = &titan.Execution{TaskID: "tsk_bench", Status: titan.StatusRunning}
		if err := s.CreateExecution(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	fresh()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%perStore == 0 && n > 0 {
			b.StopTimer()
			fresh()
			b.StartTimer()
		}
		if err := s.Checkpoint(ctx, e, recs); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*batch)/b.Elapsed().Seconds(), "records/s")
}

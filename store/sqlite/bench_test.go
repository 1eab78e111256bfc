package sqlite_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
)

// benchRecords returns n records shaped like store/memory's BenchmarkCheckpoint's.
func benchRecords(n int) []titan.Record {
	recs := make([]titan.Record, n)
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
	return recs
}

// benchCheckpoint checkpoints batches of recs into a store opened with opts,
// starting a new execution every 100 checkpoints (as store/memory's benchmark
// starts a new store), and reports records/s.
func benchCheckpoint(b *testing.B, batch int, opts ...sqlite.Option) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "titan.db"), opts...)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := b.Context()
	task := &titan.Task{Name: "bench"}
	if err := s.CreateTask(ctx, task); err != nil {
		b.Fatal(err)
	}
	recs := benchRecords(batch)
	var e *titan.Execution
	fresh := func() {
		e = &titan.Execution{TaskID: task.ID, Status: titan.StatusRunning}
		if err := s.CreateExecution(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	fresh()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%100 == 0 && n > 0 {
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

// BenchmarkCheckpoint measures checkpoints of 100 and 1000 records each, in WAL
// mode with synchronous=NORMAL (the default) and FULL.
func BenchmarkCheckpoint(b *testing.B) {
	for _, batch := range []int{100, 1000} {
		b.Run(fmt.Sprint("batch=", batch), func(b *testing.B) { benchCheckpoint(b, batch) })
	}
	b.Run("batch=100/sync=full", func(b *testing.B) { benchCheckpoint(b, 100, sqlite.WithFullSync()) })
}

// BenchmarkCheckpointRowsPerInsert compares one prepared INSERT per record
// (rows=1) with multi-row INSERTs, to choose how Checkpoint inserts.
func BenchmarkCheckpointRowsPerInsert(b *testing.B) {
	for _, batch := range []int{100, 1000} {
		for _, rows := range []int{1, 10, 50, 100, 250} {
			b.Run(fmt.Sprintf("batch=%d/rows=%d", batch, rows), func(b *testing.B) {
				benchCheckpoint(b, batch, sqlite.WithBatchRows(rows))
			})
		}
	}
}

// BenchmarkFrontierAdd measures Add of new keys, one transaction each, and
// reports keys/s.
func BenchmarkFrontierAdd(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "titan.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := b.Context()
	f := s.Frontier(newExecution(b, s), "crawl")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		u := fmt.Sprint("https://shop.example/item/", n)
		if ok, err := f.Add(ctx, " "+u, titan.Item{URL: u, Depth: 1}, false); err != nil || !ok {
			b.Fatal(ok, err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkReadsWhileCheckpointing measures GetExecution and Records of 100 from
// parallel readers while one goroutine checkpoints 100 records at a time, with
// reads on their own connections (conns=4, the default) or on the writer's
// (conns=0). It reports reads/s and the writer's records/s.
func BenchmarkReadsWhileCheckpointing(b *testing.B) {
	for _, conns := range []int{0, 4} {
		b.Run(fmt.Sprint("conns=", conns), func(b *testing.B) {
			s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "titan.db"), sqlite.WithReadConns(conns))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := b.Context()
			id := newExecution(b, s)
			e, err := s.GetExecution(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			recs := benchRecords(100)
			if err := s.Checkpoint(ctx, e, recs); err != nil {
				b.Fatal(err)
			}
			var written atomic.Int64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				w := e.Clone()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := s.Checkpoint(ctx, w, recs); err != nil {
						b.Error(err)
						return
					}
					written.Add(int64(len(recs)))
				}
			}()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.GetExecution(ctx, id); err != nil {
						b.Error(err)
						return
					}
					if _, err := s.Records(ctx, id, 0, 100); err != nil {
						b.Error(err)
						return
					}
				}
			})
			elapsed := time.Since(start)
			close(stop)
			<-done
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "reads/s")
			b.ReportMetric(float64(written.Load())/elapsed.Seconds(), "written-records/s")
		})
	}
}

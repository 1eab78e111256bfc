package scheduler_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/scheduler/schedtest"
)

// The firing-lateness figures on the real clock come from the program in
// internal/benchprog:
//
//	go run ./scheduler/internal/benchprog -entries 100000 -duration 15s -idle 5s
//
// The benchmarks here measure the costs behind them on the fake clock.

func BenchmarkScheduleNext(b *testing.B) {
	for _, c := range []struct{ spec, zone string }{
		{"*/5 * * * * *", ""},
		{"30 2 * * *", "America/New_York"},
		{"*/15 * * * *", "Europe/Berlin"},
		{"@every 90s", ""},
	} {
		s, err := scheduler.Parse(c.spec, c.zone)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s/%s", c.spec, c.zone), func(b *testing.B) {
			t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				t = s.Next(t)
			}
		})
	}
}

// BenchmarkFire measures the cost per firing (timer goroutine, goroutine per
// run, Run, bookkeeping) with 100,000 entries all due on the same second: the
// worst burst. One op is one firing.
func BenchmarkFire(b *testing.B) {
	const n = 100_000
	clock := schedtest.NewClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	var runs atomic.Int64
	done := make(chan struct{}, 1)
	var want atomic.Int64
	s, err := scheduler.New(scheduler.Config{
		Clock: clock,
		Run: func(context.Context, scheduler.Tick) error {
			if runs.Add(1) == want.Load() {
				done <- struct{}{}
			}
			return nil
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := s.Add(scheduler.Entry{ID: fmt.Sprint(i), Spec: "* * * * * *", Overlap: scheduler.OverlapAllow}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Stop(context.Background())
	b.ResetTimer()
	for fired := 0; fired < b.N; fired += n {
		want.Add(n)
		clock.Advance(time.Second)
		<-done
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs.Load()), "ns/firing")
}

func BenchmarkAddRemove(b *testing.B) {
	s, err := scheduler.New(scheduler.Config{
		Clock: schedtest.NewClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)),
		Run:   func(context.Context, scheduler.Tick) error { return nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100_000 {
		if err := s.Add(scheduler.Entry{ID: fmt.Sprint("bg", i), Spec: "@every 1h"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Stop(context.Background())
	for b.Loop() {
		if err := s.Add(scheduler.Entry{ID: "x", Spec: "*/5 * * * *"}); err != nil {
			b.Fatal(err)
		}
		if err := s.Remove("x"); err != nil {
			b.Fatal(err)
		}
	}
}

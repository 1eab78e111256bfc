package scheduler_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/scheduler/schedtest"
)

func TestStopWaitsForRunningRuns(t *testing.T) {
	var returned atomic.Bool
	inside, release := make(chan struct{}), make(chan struct{})
	h := newHarness(t, t0, func(c *scheduler.Config) {
		c.Run = func(context.Context, scheduler.Tick) error {
			close(inside)
			<-release // ignores ctx: Stop must wait anyway
			returned.Store(true)
			return nil
		}
	})
	h.gate = make(chan struct{}) // sync waits for the timer only
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	h.start()
	h.advance(30 * time.Second)
	<-inside

	stopped := make(chan error, 1)
	go func() { stopped <- h.s.Stop(context.Background()) }()
	select {
	case <-h.s.Stopped():
		t.Fatal("Stopped closed while a run is going")
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if !returned.Load() {
		t.Error("Stop returned before the run did")
	}
	<-h.s.Stopped()
	equal(t, "finished", h.events(scheduler.EventFinished), []string{"finished e due=10:01:00"})
	if n := h.clock.Timers(); n != 0 {
		t.Errorf("%d timers armed after Stop", n)
	}
	h.clock.Advance(time.Hour) // nothing fires once stopped
	if n := len(h.rec.Of(scheduler.EventFired)); n != 1 {
		t.Errorf("%d fired, want 1", n)
	}
}

func TestStopDeadlineCancelsRuns(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	h.start()
	h.advance(30 * time.Second)
	<-h.runs

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no patience at all
	if err := h.s.Stop(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Stop = %v, want context.Canceled", err)
	}
	<-h.s.Stopped() // the run saw its context cancelled and returned
	fin := h.rec.Of(scheduler.EventFinished)
	if len(fin) != 1 || !errors.Is(fin[0].Err, scheduler.ErrStopped) {
		t.Errorf("finished = %+v, want one with ErrStopped", fin)
	}
}

func TestStopDropsWaitingRuns(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Overlap: scheduler.OverlapQueue})
	h.start()
	h.advance(30 * time.Second) // 10:01 runs
	h.advance(time.Minute)      // 10:02 waits
	stopped := make(chan error, 1)
	go func() { stopped <- h.s.Stop(context.Background()) }()
	h.rec.WaitFor(t, scheduler.EventSkipped, 1)
	h.gate <- struct{}{}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	equal(t, "events", h.events(), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"skipped e due=10:02:00 reason=stopped count=1",
		"finished e due=10:01:00",
	})
}

func TestRemoveDropsWaitingRuns(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Overlap: scheduler.OverlapQueue})
	h.start()
	h.advance(30 * time.Second)
	h.advance(time.Minute)
	if err := h.s.Remove("e"); err != nil {
		t.Fatal(err)
	}
	h.release() // the run in progress goes on and finishes
	equal(t, "events", h.events(), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"skipped e due=10:02:00 reason=removed count=1",
		"finished e due=10:01:00",
	})
}

func TestStartContextEndIsHardStop(t *testing.T) {
	clock := schedtest.NewClock(t0)
	rec := new(schedtest.Recorder)
	s, err := scheduler.New(scheduler.Config{Clock: clock, OnEvent: rec.OnEvent,
		Run: func(ctx context.Context, _ scheduler.Tick) error {
			<-ctx.Done()
			return context.Cause(ctx)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(scheduler.Entry{ID: "e", Spec: "* * * * *"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Second)
	rec.WaitFor(t, scheduler.EventFired, 1)
	cancel()
	<-s.Stopped()
	fin := rec.Of(scheduler.EventFinished)
	if len(fin) != 1 || !errors.Is(fin[0].Err, context.Canceled) {
		t.Errorf("finished = %+v, want one with context.Canceled", fin)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("Stop after hard stop = %v", err)
	}
	if err := s.Add(scheduler.Entry{ID: "f", Spec: "@hourly"}); !errors.Is(err, scheduler.ErrStopped) {
		t.Errorf("Add after hard stop = %v, want ErrStopped", err)
	}
}

package engine_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/scheduler/schedtest"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/titantest"
)

// finished waits for the next finished event. Every 100 ms it sets the fake
// clock to its own time, which fires a timer the scheduler armed after the clock
// last moved, with a deadline already past.
func finished(t *testing.T, sub *engine.Subscription, clock *schedtest.Clock) engine.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case ev := <-sub.C:
			if ev.Kind == engine.EventFinished {
				return ev
			}
		case <-tick.C:
			clock.Advance(0)
		case <-timeout:
			t.Fatal("no execution finished")
		}
	}
}

// idle waits until no scheduled run is in progress: an execution finishes a moment
// before the scheduler's run that waited for it returns.
func idle(t *testing.T, eng *engine.Engine) {
	t.Helper()
	waitFor(t, "scheduled runs to return", func() bool {
		for _, e := range eng.Schedules() {
			if e.Running > 0 || e.Waiting > 0 {
				return false
			}
		}
		return true
	})
}

// scheduledExecutions lists the task's executions triggered by the schedule, by due time.
func scheduledDue(t *testing.T, eng *engine.Engine, taskID string) []string {
	t.Helper()
	page, err := eng.ListExecutions(context.Background(), titan.ExecutionFilter{TaskID: taskID})
	if err != nil {
		t.Fatal(err)
	}
	var due []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		if x := page.Items[i]; x.Trigger == titan.TriggerSchedule {
			due = append(due, x.DueAt.UTC().Format("15:04"))
		}
	}
	return due
}

func TestScheduledTaskRunsPausesAndCatchesUp(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 12, 4, 10, 0, 30, 0, time.UTC)
	clock := schedtest.NewClock(start)
	site := titantest.NewSite(map[string]string{"https://shop.test/p/1": `<h1 class="name">Desk</h1><span class="price">$10</span>`})
	store := memory.New()
	eng, err := engine.New(engine.Config{Store: store, Runner: titantest.NewRunner(t, site, nil), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name: "every minute", URLs: []string{"https://shop.test/p/1"}, OutputSchema: json.RawMessage(schemaJSON),
		ExecutionType: titan.ExecutionScheduled, Schedule: "* * * * *",
		ScheduleOptions: &titan.ScheduleOptions{CatchUp: "run_once"},
	})
	if err != nil {
		t.Fatal(err)
	}
	sub := eng.Subscribe(100)
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	clock.BlockUntil(1)
	if next, ok := eng.NextRun(task.ID); !ok || !next.Equal(start.Truncate(time.Minute).Add(time.Minute)) {
		t.Fatalf("next run %v %v", next, ok)
	}
	clock.Advance(30 * time.Second) // 10:01
	if ev := finished(t, sub, clock); ev.Status != titan.StatusCompleted {
		t.Fatalf("scheduled run: %+v", ev)
	}
	idle(t, eng)
	clock.BlockUntil(1)
	if _, err := eng.PauseTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := eng.NextRun(task.ID); ok {
		t.Fatal("a paused task has a next run")
	}
	clock.Advance(2 * time.Minute) // 10:03: nothing runs
	if _, err := eng.ResumeTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	clock.BlockUntil(1)
	clock.Advance(time.Minute) // 10:04
	finished(t, sub, clock)
	idle(t, eng)
	clock.BlockUntil(1)
	if got := scheduledDue(t, eng, task.ID); len(got) != 2 || got[0] != "10:01" || got[1] != "10:04" {
		t.Fatalf("scheduled runs due at %v", got)
	}
	sub.Close()
	if err := eng.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// The process is down from 10:04 to 10:14:30. The 10:14 tick is on time
	// (within the scheduler's grace); 10:05 to 10:13 are missed, and run_once
	// runs once for them, due at the latest.
	clock.Set(time.Date(2026, 12, 4, 10, 14, 30, 0, time.UTC))
	eng2, err := engine.New(engine.Config{Store: store, Runner: titantest.NewRunner(t, site, nil), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer eng2.Close(ctx)
	sub2 := eng2.Subscribe(100)
	if err := eng2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	finished(t, sub2, clock)
	finished(t, sub2, clock)
	if got := scheduledDue(t, eng2, task.ID); len(got) != 4 || got[2] != "10:13" || got[3] != "10:14" {
		t.Fatalf("after the restart, scheduled runs due at %v", got)
	}
}

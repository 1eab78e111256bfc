package scheduler_test

import (
	"slices"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

func TestOverlapSkipRecordsSkippedTick(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"}) // OverlapSkip is the default
	h.start()
	h.advance(30 * time.Second) // 10:01 runs and blocks
	h.advance(time.Minute)      // 10:02 falls due while 10:01 runs
	h.release()
	h.advance(time.Minute) // 10:03 runs: the entry is idle again
	h.release()
	equal(t, "events", h.events(), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"skipped e due=10:02:00 reason=overlap count=1",
		"finished e due=10:01:00",
		"fired e due=10:03:00 fired=10:03:00",
		"finished e due=10:03:00",
	})
	if st := h.s.Stats(); st.Skipped[scheduler.SkipOverlap] != 1 || st.Fired != 2 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestOverlapQueueHoldsAtMostOne(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Overlap: scheduler.OverlapQueue})
	h.start()
	h.advance(30 * time.Second) // 10:01 runs and blocks
	h.advance(time.Minute)      // 10:02 waits
	if info := h.s.Entries()[0]; info.Running != 1 || info.Waiting != 1 {
		t.Errorf("Running, Waiting = %d, %d; want 1, 1", info.Running, info.Waiting)
	}
	h.advance(time.Minute) // 10:03: the queue is full
	h.release()            // 10:01 returns; 10:02 starts at once
	h.rec.WaitFor(t, scheduler.EventFired, 2)
	h.release()
	h.advance(time.Minute) // 10:04 runs
	h.release()
	equal(t, "events", h.events(), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"skipped e due=10:03:00 reason=queue_full count=1",
		"finished e due=10:01:00",
		"fired e due=10:02:00 fired=10:03:00",
		"finished e due=10:02:00",
		"fired e due=10:04:00 fired=10:04:00",
		"finished e due=10:04:00",
	})
}

func TestOverlapAllowRunsConcurrently(t *testing.T) {
	h := newHarness(t, t0)
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Overlap: scheduler.OverlapAllow})
	h.start()
	h.advance(30 * time.Second)
	h.advance(time.Minute)
	// Both runs are inside Run at once, in either order.
	inside := []string{hms((<-h.runs).Due), hms((<-h.runs).Due)}
	slices.Sort(inside)
	equal(t, "inside Run", inside, []string{"10:01:00", "10:02:00"})
	if st := h.s.Stats(); st.Running != 2 {
		t.Errorf("Stats.Running = %d, want 2", st.Running)
	}
	h.release()
	h.release()
	equal(t, "fired", h.events(scheduler.EventFired, scheduler.EventSkipped), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"fired e due=10:02:00 fired=10:02:00",
	})
}

func TestCatchUpPolicies(t *testing.T) {
	now := at(10, 30, 0)
	for _, tc := range []struct {
		name  string
		entry scheduler.Entry
		want  []string // fired and skipped events, in order
		next  time.Time
	}{
		{
			name:  "skip is the default",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(7, 0, 0)},
			want:  []string{"skipped e due=10:00:00 catch-up reason=catch_up count=3 from=08:00:00"},
		},
		{
			name:  "run once",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(7, 0, 0), CatchUp: scheduler.CatchUpRunOnce},
			want:  []string{"fired e due=10:00:00 fired=10:30:00 catch-up missed=3"},
		},
		{
			name:  "run all",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(7, 0, 0), CatchUp: scheduler.CatchUpRunAll},
			want: []string{
				"fired e due=08:00:00 fired=10:30:00 catch-up",
				"fired e due=09:00:00 fired=10:30:00 catch-up",
				"fired e due=10:00:00 fired=10:30:00 catch-up",
			},
		},
		{
			name:  "run all capped by default",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(10, 0, 0).Add(-24 * time.Hour), CatchUp: scheduler.CatchUpRunAll},
			want: []string{
				"skipped e due=00:00:00 catch-up reason=catch_up count=14 from=2026-01-04T11:00:00",
				"fired e due=01:00:00 fired=10:30:00 catch-up",
				"fired e due=02:00:00 fired=10:30:00 catch-up",
				"fired e due=03:00:00 fired=10:30:00 catch-up",
				"fired e due=04:00:00 fired=10:30:00 catch-up",
				"fired e due=05:00:00 fired=10:30:00 catch-up",
				"fired e due=06:00:00 fired=10:30:00 catch-up",
				"fired e due=07:00:00 fired=10:30:00 catch-up",
				"fired e due=08:00:00 fired=10:30:00 catch-up",
				"fired e due=09:00:00 fired=10:30:00 catch-up",
				"fired e due=10:00:00 fired=10:30:00 catch-up",
			},
		},
		{
			name:  "run all capped by CatchUpMax",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(5, 0, 0), CatchUp: scheduler.CatchUpRunAll, CatchUpMax: 3},
			want: []string{
				"skipped e due=07:00:00 catch-up reason=catch_up count=2 from=06:00:00",
				"fired e due=08:00:00 fired=10:30:00 catch-up",
				"fired e due=09:00:00 fired=10:30:00 catch-up",
				"fired e due=10:00:00 fired=10:30:00 catch-up",
			},
		},
		{
			name:  "latest within grace runs as ordinary tick",
			entry: scheduler.Entry{Spec: "*/30 * * * *", Last: at(9, 0, 0)},
			want: []string{
				"skipped e due=10:00:00 catch-up reason=catch_up count=2 from=09:30:00",
				"fired e due=10:30:00 fired=10:30:00",
			},
			next: at(11, 0, 0),
		},
		{
			name:  "run once then ordinary tick",
			entry: scheduler.Entry{Spec: "*/30 * * * *", Last: at(9, 0, 0), CatchUp: scheduler.CatchUpRunOnce},
			want: []string{
				"fired e due=10:00:00 fired=10:30:00 catch-up missed=2",
				"fired e due=10:30:00 fired=10:30:00",
			},
			next: at(11, 0, 0),
		},
		{
			name:  "interval",
			entry: scheduler.Entry{Spec: "@every 20m", Last: at(9, 15, 0), CatchUp: scheduler.CatchUpRunAll},
			want: []string{
				"fired e due=09:35:00 fired=10:30:00 catch-up",
				"fired e due=09:55:00 fired=10:30:00 catch-up",
				"fired e due=10:15:00 fired=10:30:00 catch-up",
			},
			next: at(10, 35, 0),
		},
		{
			name:  "nothing missed",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(10, 0, 0), CatchUp: scheduler.CatchUpRunAll},
		},
		{
			name:  "missed before start date are not due",
			entry: scheduler.Entry{Spec: "@hourly", Last: at(5, 0, 0), Start: at(9, 30, 0)},
			want:  []string{"skipped e due=10:00:00 catch-up reason=catch_up count=1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, now)
			tc.entry.ID = "e"
			h.add(tc.entry)
			h.start()
			equal(t, "events", h.events(scheduler.EventFired, scheduler.EventSkipped), tc.want)
			want := tc.next
			if want.IsZero() {
				want = at(11, 0, 0)
			}
			if next, _ := h.s.Next("e"); !next.Equal(want) {
				t.Errorf("Next = %v, want %v", next, want)
			}
			if info := h.s.Entries()[0]; !info.Last.Before(now.Add(time.Second)) || info.Last.Before(tc.entry.Last) {
				t.Errorf("Last = %v", info.Last)
			}
		})
	}
}

func TestCatchUpOnAdd(t *testing.T) {
	h := newHarness(t, at(10, 30, 0))
	h.start()
	h.add(scheduler.Entry{ID: "e", Spec: "@hourly", Last: at(8, 0, 0), CatchUp: scheduler.CatchUpRunOnce})
	h.sync()
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired e due=10:00:00 fired=10:30:00 catch-up missed=2"})
	if info := h.s.Entries()[0]; !info.Last.Equal(at(10, 0, 0)) {
		t.Errorf("Last = %v, want 10:00:00", info.Last)
	}
}

func TestCatchUpRunAllWaitsBehindRunningRun(t *testing.T) {
	// A run_all backlog runs one after another, and an ordinary tick arriving
	// meanwhile meets the overlap policy.
	h := newHarness(t, at(10, 30, 0))
	h.gate = make(chan struct{})
	h.add(scheduler.Entry{ID: "e", Spec: "*/10 * * * *", Last: at(10, 0, 0), CatchUp: scheduler.CatchUpRunAll})
	h.start() // 10:10 and 10:20 missed, 10:30 ordinary: three runs in a row
	if info := h.s.Entries()[0]; info.Running != 1 || info.Waiting != 2 {
		t.Errorf("Running, Waiting = %d, %d; want 1, 2", info.Running, info.Waiting)
	}
	h.release()
	h.rec.WaitFor(t, scheduler.EventFired, 2)
	h.advance(10 * time.Minute) // 10:40 while the backlog runs: skipped
	h.release()
	h.release()
	equal(t, "events", h.events(scheduler.EventFired, scheduler.EventSkipped), []string{
		"fired e due=10:10:00 fired=10:30:00 catch-up",
		"fired e due=10:20:00 fired=10:30:00 catch-up",
		"skipped e due=10:40:00 reason=overlap count=1",
		"fired e due=10:30:00 fired=10:40:00",
	})
}

func TestCatchUpOverAMillionMissed(t *testing.T) {
	// A per-second spec missed for 13 days: 1,123,230 due times, more than
	// are counted one by one. The count is a marked lower bound; the times
	// that run are still exact.
	h := newHarness(t, t0)
	last := t0.Add(-13 * 24 * time.Hour).Add(-30 * time.Second) // 10:00:00, 13 days ago
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * * *", Last: last, CatchUp: scheduler.CatchUpRunAll, CatchUpMax: 2})
	h.start()
	equal(t, "events", h.events(scheduler.EventFired), []string{
		"fired e due=10:00:28 fired=10:00:30 catch-up",
		"fired e due=10:00:29 fired=10:00:30 catch-up",
		"fired e due=10:00:30 fired=10:00:30",
	})
	skipped := h.rec.Of(scheduler.EventSkipped)
	if len(skipped) != 1 {
		t.Fatalf("skipped = %v", skipped)
	}
	ev := skipped[0]
	if !ev.Capped || ev.Count != 1<<20-3 || !ev.From.Equal(last.Add(time.Second)) || !ev.Tick.Due.Equal(at(10, 0, 27)) {
		t.Errorf("skipped = %s capped=%v count=%d from=%v", show(ev), ev.Capped, ev.Count, ev.From)
	}
}

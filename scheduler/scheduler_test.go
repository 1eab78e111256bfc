package scheduler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

func TestFiresAtDueTimes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		entry scheduler.Entry
		steps []time.Duration // clock advances, each followed by a sync
		want  []string
	}{
		{
			name:  "every minute",
			entry: scheduler.Entry{Spec: "* * * * *"},
			steps: []time.Duration{30 * time.Second, time.Minute, time.Minute},
			want:  []string{"fired e due=10:01:00 fired=10:01:00", "fired e due=10:02:00 fired=10:02:00", "fired e due=10:03:00 fired=10:03:00"},
		},
		{
			name:  "with seconds field",
			entry: scheduler.Entry{Spec: "*/20 * * * * *"},
			steps: []time.Duration{10 * time.Second, 20 * time.Second, 20 * time.Second},
			want:  []string{"fired e due=10:00:40 fired=10:00:40", "fired e due=10:01:00 fired=10:01:00", "fired e due=10:01:20 fired=10:01:20"},
		},
		{
			name:  "every interval",
			entry: scheduler.Entry{Spec: "@every 10m"},
			steps: []time.Duration{10 * time.Minute, 10 * time.Minute},
			want:  []string{"fired e due=10:10:30 fired=10:10:30", "fired e due=10:20:30 fired=10:20:30"},
		},
		{
			name:  "every interval from start",
			entry: scheduler.Entry{Spec: "@every 10m", Start: at(10, 5, 0)},
			steps: []time.Duration{4*time.Minute + 30*time.Second, 10 * time.Minute},
			want:  []string{"fired e due=10:05:00 fired=10:05:00", "fired e due=10:15:00 fired=10:15:00"},
		},
		{
			name:  "hourly descriptor",
			entry: scheduler.Entry{Spec: "@hourly"},
			steps: []time.Duration{59*time.Minute + 30*time.Second, time.Hour},
			want:  []string{"fired e due=11:00:00 fired=11:00:00", "fired e due=12:00:00 fired=12:00:00"},
		},
		{
			name:  "time zone field",
			entry: scheduler.Entry{Spec: "0 12 * * *", TimeZone: "Europe/Berlin"}, // CET, UTC+1
			steps: []time.Duration{59*time.Minute + 30*time.Second},
			want:  []string{"fired e due=11:00:00 fired=11:00:00"},
		},
		{
			name:  "time zone prefix",
			entry: scheduler.Entry{Spec: "CRON_TZ=America/New_York 0 6 * * *"}, // EST, UTC-5
			steps: []time.Duration{59*time.Minute + 30*time.Second, 24 * time.Hour},
			want:  []string{"fired e due=11:00:00 fired=11:00:00", "fired e due=2026-01-06T11:00:00 fired=2026-01-06T11:00:00"},
		},
		{
			name:  "end date",
			entry: scheduler.Entry{Spec: "* * * * *", End: at(10, 2, 0)},
			steps: []time.Duration{30 * time.Second, time.Minute, time.Minute, time.Hour},
			want:  []string{"fired e due=10:01:00 fired=10:01:00", "fired e due=10:02:00 fired=10:02:00"},
		},
		{
			name:  "start date",
			entry: scheduler.Entry{Spec: "*/30 * * * *", Start: at(11, 15, 0)},
			steps: []time.Duration{29*time.Minute + 30*time.Second, 30 * time.Minute, 30 * time.Minute},
			want:  []string{"fired e due=11:30:00 fired=11:30:00"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, t0)
			tc.entry.ID = "e"
			h.add(tc.entry)
			h.start()
			for _, d := range tc.steps {
				h.advance(d)
			}
			equal(t, "fired", h.events(scheduler.EventFired), tc.want)
			if skipped := h.events(scheduler.EventSkipped); len(skipped) > 0 {
				t.Errorf("skipped: %v", skipped)
			}
		})
	}
}

func TestNextAndEntries(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "b", Spec: "@hourly"})
	h.add(scheduler.Entry{ID: "a", Spec: "*/5 * * * *", End: at(10, 5, 0)})
	if next, ok := h.s.Next("a"); !ok || !next.Equal(at(10, 5, 0)) {
		t.Errorf("Next(a) before Start = %v, %v; want 10:05:00", next, ok)
	}
	h.start()
	h.advance(5 * time.Minute) // 10:05:30: a fired its last due time
	if next, ok := h.s.Next("a"); ok {
		t.Errorf("Next(a) past End = %v, true; want false", next)
	}
	if _, ok := h.s.Next("nope"); ok {
		t.Error("Next(nope) = true")
	}
	infos := h.s.Entries()
	if len(infos) != 2 || infos[0].ID != "a" || infos[1].ID != "b" {
		t.Fatalf("Entries = %+v", infos)
	}
	a, b := infos[0], infos[1]
	if !a.Next.IsZero() || !a.Last.Equal(at(10, 5, 0)) || a.Overlap != scheduler.OverlapSkip || a.CatchUp != scheduler.CatchUpSkip || a.CatchUpMax != scheduler.DefaultCatchUpMax {
		t.Errorf("Entries[a] = %+v", a)
	}
	if !b.Next.Equal(at(11, 0, 0)) || !b.NextFire.Equal(at(11, 0, 0)) || !b.Last.IsZero() {
		t.Errorf("Entries[b] = %+v", b)
	}
	st := h.s.Stats()
	if st.Fired != 1 || st.Finished != 1 || st.Failed != 0 || st.Running != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestClockJumpSkipsOvertakenDueTimes(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	h.start()
	h.advance(4*time.Minute + 30*time.Second) // 10:05:00: 10:01–10:04 were overtaken
	equal(t, "events", h.events(scheduler.EventFired, scheduler.EventSkipped), []string{
		"skipped e due=10:04:00 catch-up reason=catch_up count=4 from=10:01:00",
		"fired e due=10:05:00 fired=10:05:00",
	})
	if next, _ := h.s.Next("e"); !next.Equal(at(10, 6, 0)) {
		t.Errorf("Next = %v, want 10:06:00", next)
	}
}

func TestLateWithinGraceStillRuns(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "@hourly"})
	h.start()
	h.advance(time.Hour) // 11:00:30: 30 s late
	h.advance(time.Hour + 45*time.Second)
	equal(t, "events", h.events(scheduler.EventFired, scheduler.EventSkipped), []string{
		"fired e due=11:00:00 fired=11:00:30",
		"skipped e due=12:00:00 catch-up reason=catch_up count=1", // 75 s late: over the one-minute grace
	})
}

func TestPauseResumeDoesNotReplay(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	h.start()
	h.advance(30 * time.Second) // 10:01:00 fires
	if err := h.s.Pause("e"); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.s.Next("e"); ok {
		t.Error("Next of a paused entry = true")
	}
	h.advance(5 * time.Minute) // 10:06:00: nothing fires
	if err := h.s.Resume("e"); err != nil {
		t.Fatal(err)
	}
	if next, _ := h.s.Next("e"); !next.Equal(at(10, 7, 0)) {
		t.Errorf("Next after Resume = %v, want 10:07:00", next)
	}
	h.advance(time.Minute)
	equal(t, "events", h.events(scheduler.EventFired, scheduler.EventSkipped), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"fired e due=10:07:00 fired=10:07:00",
	})
	if info := h.s.Entries()[0]; info.Paused {
		t.Error("Entries reports the resumed entry paused")
	}
}

func TestAddPaused(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Paused: true})
	h.start()
	h.advance(3 * time.Minute)
	if err := h.s.Resume("e"); err != nil {
		t.Fatal(err)
	}
	h.advance(30 * time.Second)
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired e due=10:04:00 fired=10:04:00"})
}

func TestUpdateChangesNextDueTime(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "@hourly"})
	h.start()
	if next, _ := h.s.Next("e"); !next.Equal(at(11, 0, 0)) {
		t.Fatalf("Next = %v, want 11:00:00", next)
	}
	if err := h.s.Update(scheduler.Entry{ID: "e", Spec: "*/10 * * * *"}); err != nil {
		t.Fatal(err)
	}
	if next, _ := h.s.Next("e"); !next.Equal(at(10, 10, 0)) {
		t.Errorf("Next after Update = %v, want 10:10:00", next)
	}
	h.advance(9*time.Minute + 30*time.Second)
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired e due=10:10:00 fired=10:10:00"})
	if err := h.s.Update(scheduler.Entry{ID: "nope", Spec: "@hourly"}); !errors.Is(err, scheduler.ErrNotFound) {
		t.Errorf("Update(nope) = %v, want ErrNotFound", err)
	}
}

func TestRemove(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "keep", Spec: "*/2 * * * *"})
	h.add(scheduler.Entry{ID: "gone", Spec: "* * * * *"})
	h.start()
	if err := h.s.Remove("gone"); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.s.Next("gone"); ok {
		t.Error("Next(gone) = true after Remove")
	}
	h.advance(90 * time.Second)
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired keep due=10:02:00 fired=10:02:00"})
	if err := h.s.Remove("gone"); !errors.Is(err, scheduler.ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
	// The ID is free again.
	h.add(scheduler.Entry{ID: "gone", Spec: "* * * * *"})
	h.advance(time.Minute)
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired keep due=10:02:00 fired=10:02:00", "fired gone due=10:03:00 fired=10:03:00"})
}

func TestAddAfterStart(t *testing.T) {
	h := newHarness(t, t0)
	h.start()
	h.advance(time.Hour) // idle: nothing to fire
	h.add(scheduler.Entry{ID: "e", Spec: "*/15 * * * *"})
	h.advance(14*time.Minute + 30*time.Second)
	equal(t, "fired", h.events(scheduler.EventFired), []string{"fired e due=11:15:00 fired=11:15:00"})
}

func TestJitterWithinBounds(t *testing.T) {
	draws := []int64{0, int64(7 * time.Second), int64(10*time.Second - 1)}
	var asked []int64
	h := newHarness(t, t0, func(c *scheduler.Config) {
		c.Rand = func(n int64) int64 {
			asked = append(asked, n) // called under the scheduler's lock
			v := draws[0]
			draws = append(draws[1:], draws[0])
			return v
		}
	})
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Jitter: 10 * time.Second})
	h.start()
	// Due 10:01:00 with jitter 0, 10:02:00 with 7s, 10:03:00 with 9.999999999s.
	h.advance(30 * time.Second)
	h.advance(67 * time.Second) // 10:02:07
	h.advance(63 * time.Second) // 10:03:10: the jitter ended at 10:03:09.999999999
	equal(t, "fired", h.events(scheduler.EventFired), []string{
		"fired e due=10:01:00 fired=10:01:00",
		"fired e due=10:02:00 fired=10:02:07 jitter=7s",
		"fired e due=10:03:00 fired=10:03:10 jitter=9.999999999s",
	})
	for _, n := range asked {
		if n != int64(10*time.Second) {
			t.Errorf("Rand asked for [0, %d), want [0, %d)", n, int64(10*time.Second))
		}
	}
	for _, ev := range h.rec.Of(scheduler.EventFired) {
		if j := ev.Tick.Jitter; j < 0 || j >= 10*time.Second {
			t.Errorf("jitter %v out of [0, 10s)", j)
		}
	}
}

func TestJitterDefaultRandWithinBounds(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *", Jitter: 5 * time.Second})
	h.start()
	for range 20 {
		info := h.s.Entries()[0]
		if j := info.NextFire.Sub(info.Next); j < 0 || j >= 5*time.Second {
			t.Fatalf("jitter %v out of [0, 5s)", j)
		}
		h.advance(time.Minute)
	}
}

func TestRunErrorsAndPanicsAreReported(t *testing.T) {
	h := newHarness(t, t0)
	h.err = errors.New("boom")
	h.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	h.start()
	h.advance(30 * time.Second)
	equal(t, "finished", h.events(scheduler.EventFinished), []string{"finished e due=10:01:00 err=boom"})

	p := newHarness(t, t0, func(c *scheduler.Config) {
		c.Run = func(context.Context, scheduler.Tick) error { panic("kaput") }
	})
	p.add(scheduler.Entry{ID: "e", Spec: "* * * * *"})
	p.start()
	p.advance(30 * time.Second)
	fin := p.rec.Of(scheduler.EventFinished)
	var pe *scheduler.PanicError
	if len(fin) != 1 || !errors.As(fin[0].Err, &pe) || pe.Value != "kaput" || len(pe.Stack) == 0 {
		t.Fatalf("finished = %+v, want one with a *PanicError", fin)
	}
	if st := p.s.Stats(); st.Failed != 1 {
		t.Errorf("Stats.Failed = %d, want 1", st.Failed)
	}
}

func TestLifecycleErrors(t *testing.T) {
	h := newHarness(t, t0)
	h.start()
	if err := h.s.Start(context.Background()); !errors.Is(err, scheduler.ErrAlreadyStarted) {
		t.Errorf("second Start = %v, want ErrAlreadyStarted", err)
	}
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := h.s.Start(context.Background()); !errors.Is(err, scheduler.ErrStopped) {
		t.Errorf("Start after Stop = %v, want ErrStopped", err)
	}
	if err := h.s.Add(scheduler.Entry{ID: "e", Spec: "@hourly"}); !errors.Is(err, scheduler.ErrStopped) {
		t.Errorf("Add after Stop = %v, want ErrStopped", err)
	}

	s, err := scheduler.New(scheduler.Config{Run: func(context.Context, scheduler.Tick) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("Stop before Start = %v", err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("second Stop before Start = %v", err)
	}
	<-s.Stopped()

	if _, err := scheduler.New(scheduler.Config{}); err == nil {
		t.Error("New without Run: no error")
	}
	if _, err := scheduler.New(scheduler.Config{Run: func(context.Context, scheduler.Tick) error { return nil }, Grace: -time.Second}); err == nil {
		t.Error("New with negative Grace: no error")
	}
}

package scheduler_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the host's tz database

	"go.uber.org/goleak"

	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/scheduler/schedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is a Monday, 30 seconds past ten, UTC: the fake clock's usual start.
var t0 = time.Date(2026, 1, 5, 10, 0, 30, 0, time.UTC)

// harness is a scheduler on a fake clock whose Run records each tick and, when
// gated, blocks until released.
type harness struct {
	t     *testing.T
	clock *schedtest.Clock
	rec   *schedtest.Recorder
	s     *scheduler.Scheduler
	gate  chan struct{} // when non-nil, each Run waits for one value (or ctx)
	runs  chan scheduler.Tick
	err   error // returned by every Run
}

func newHarness(t *testing.T, start time.Time, configure ...func(*scheduler.Config)) *harness {
	t.Helper()
	h := &harness{t: t, clock: schedtest.NewClock(start), rec: new(schedtest.Recorder), runs: make(chan scheduler.Tick, 1000)}
	cfg := scheduler.Config{Clock: h.clock, OnEvent: h.rec.OnEvent, Run: h.run}
	for _, f := range configure {
		f(&cfg)
	}
	s, err := scheduler.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.s = s
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), schedtest.WaitTimeout)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
		select {
		case <-s.Stopped():
		case <-ctx.Done():
			t.Errorf("Stopped not closed")
		}
	})
	return h
}

func (h *harness) run(ctx context.Context, t scheduler.Tick) error {
	h.runs <- t
	if h.gate != nil {
		select {
		case <-h.gate:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return h.err
}

func (h *harness) add(e scheduler.Entry) {
	h.t.Helper()
	if err := h.s.Add(e); err != nil {
		h.t.Fatalf("Add(%s): %v", e.ID, err)
	}
}

func (h *harness) start() {
	h.t.Helper()
	if err := h.s.Start(context.Background()); err != nil {
		h.t.Fatalf("Start: %v", err)
	}
	h.sync()
}

// sync waits until the timer goroutine has handled everything due and, unless
// runs are gated, until every run it started has finished.
func (h *harness) sync() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), schedtest.WaitTimeout)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
		h.t.Fatalf("timer not re-armed: %v", err)
	}
	if h.gate == nil {
		h.rec.Wait(h.t, "runs to finish", func(evs []scheduler.Event) bool {
			st := h.s.Stats()
			return st.Running == 0 && st.Waiting == 0 && schedtest.Settled(evs)
		})
	}
}

func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.clock.Advance(d)
	h.sync()
}

// release lets one gated run return and waits for its EventFinished.
func (h *harness) release() {
	h.t.Helper()
	n := len(h.rec.Of(scheduler.EventFinished))
	h.gate <- struct{}{}
	h.rec.WaitFor(h.t, scheduler.EventFinished, n+1)
}

// events returns the recorded events as strings, see show.
func (h *harness) events(kinds ...scheduler.EventKind) []string {
	var out []string
	for _, ev := range h.rec.Events() {
		if len(kinds) == 0 || slices.Contains(kinds, ev.Kind) {
			out = append(out, show(ev))
		}
	}
	return out
}

// show formats an event compactly, with times in UTC.
func show(ev scheduler.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s due=%s", ev.Kind, ev.Tick.EntryID, hms(ev.Tick.Due))
	if !ev.Tick.Fired.IsZero() && ev.Kind == scheduler.EventFired {
		fmt.Fprintf(&b, " fired=%s", hms(ev.Tick.Fired))
	}
	if ev.Tick.Jitter != 0 {
		fmt.Fprintf(&b, " jitter=%v", ev.Tick.Jitter)
	}
	if ev.Tick.CatchUp {
		b.WriteString(" catch-up")
	}
	if ev.Tick.Missed != 0 {
		fmt.Fprintf(&b, " missed=%d", ev.Tick.Missed)
	}
	if ev.Kind == scheduler.EventSkipped {
		fmt.Fprintf(&b, " reason=%s count=%d", ev.Reason, ev.Count)
		if ev.Count > 1 {
			fmt.Fprintf(&b, " from=%s", hms(ev.From))
		}
	}
	if ev.Err != nil {
		fmt.Fprintf(&b, " err=%v", ev.Err)
	}
	return b.String()
}

// hms formats t in UTC, with the date only when it is not t0's.
func hms(t time.Time) string {
	t = t.UTC()
	if y, m, d := t.Date(); y == t0.Year() && m == t0.Month() && d == t0.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02T15:04:05")
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got: %s\nwant: %s", what, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// at returns t0's day at h:m:s UTC.
func at(h, m, s int) time.Time {
	return time.Date(t0.Year(), t0.Month(), t0.Day(), h, m, s, 0, time.UTC)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

package schedtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/scheduler/schedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var start = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

// fired drains what the timers delivered, without blocking.
func fired(chans ...<-chan time.Time) []string {
	var out []string
	for i, c := range chans {
		select {
		case v := <-c:
			out = append(out, fmt.Sprintf("%d@%s", i, v.Format("15:04:05")))
		default:
		}
	}
	return out
}

func TestClockFiresDueTimersOnAdvance(t *testing.T) {
	c := schedtest.NewClock(start)
	a, b := c.NewTimer(time.Minute), c.NewTimer(2*time.Minute)
	if n := c.Timers(); n != 2 {
		t.Fatalf("Timers = %d, want 2", n)
	}
	c.Advance(59 * time.Second)
	if got := fired(a.C(), b.C()); len(got) != 0 {
		t.Fatalf("fired early: %v", got)
	}
	c.Advance(time.Second)
	if got := fmt.Sprint(fired(a.C(), b.C())); got != "[0@10:01:00]" {
		t.Fatalf("fired %s, want [0@10:01:00]", got)
	}
	c.Advance(time.Hour)
	if got := fmt.Sprint(fired(a.C(), b.C())); got != "[1@11:01:00]" {
		t.Fatalf("fired %s, want [1@11:01:00]", got)
	}
	if !c.Now().Equal(start.Add(61 * time.Minute)) {
		t.Errorf("Now = %v", c.Now())
	}
}

func TestClockTimerStopAndReset(t *testing.T) {
	for _, tc := range []struct {
		name    string
		do      func(*schedtest.Clock, scheduler.Timer) bool // returns what Stop or Reset did
		want    bool
		advance time.Duration
		fired   string
	}{
		{"stop an armed timer", func(_ *schedtest.Clock, tm scheduler.Timer) bool { return tm.Stop() }, true, time.Hour, "[]"},
		{"reset later", func(_ *schedtest.Clock, tm scheduler.Timer) bool { return tm.Reset(2 * time.Minute) }, true, 90 * time.Second, "[]"},
		{"reset after firing drops the stale value", func(c *schedtest.Clock, tm scheduler.Timer) bool {
			c.Advance(time.Minute) // fires; the value waits in the channel
			return tm.Reset(time.Hour)
		}, false, time.Minute, "[]"},
		{"reset to zero fires at once", func(_ *schedtest.Clock, tm scheduler.Timer) bool { return tm.Reset(0) }, true, 0, "[0@10:00:00]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := schedtest.NewClock(start)
			tm := c.NewTimer(time.Minute)
			if got := tc.do(c, tm); got != tc.want {
				t.Errorf("returned %v, want %v", got, tc.want)
			}
			c.Advance(tc.advance)
			if f := fmt.Sprint(fired(tm.C())); f != tc.fired {
				t.Errorf("fired %s, want %s", f, tc.fired)
			}
		})
	}
}

func TestClockBlockUntil(t *testing.T) {
	c := schedtest.NewClock(start)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.BlockUntilContext(ctx, 1); err == nil {
		t.Fatal("BlockUntilContext with no timer and a done context: no error")
	}
	done := make(chan struct{})
	go func() {
		c.BlockUntil(1)
		close(done)
	}()
	tm := c.NewTimer(time.Second)
	<-done
	c.Advance(time.Second)
	c.BlockUntil(0)
	<-tm.C()
}

func TestClockSetBackwardsFiresNothing(t *testing.T) {
	c := schedtest.NewClock(start)
	tm := c.NewTimer(time.Minute)
	c.Set(start.Add(-time.Hour))
	if f := fired(tm.C()); len(f) != 0 {
		t.Fatalf("fired %v", f)
	}
	c.Set(start.Add(time.Minute))
	if f := fmt.Sprint(fired(tm.C())); f != "[0@10:01:00]" {
		t.Fatalf("fired %s", f)
	}
}

// The fake clock fires a timer only when moved past its deadline.
func ExampleClock() {
	c := schedtest.NewClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	t := c.NewTimer(90 * time.Second)
	c.Advance(time.Minute)
	fmt.Println("armed timers after 1m:", c.Timers())
	c.Advance(time.Minute)
	fmt.Println("fired at", (<-t.C()).Format("15:04:05"), "armed timers:", c.Timers())
	// Output:
	// armed timers after 1m: 1
	// fired at 10:02:00 armed timers: 0
}

// Package schedtest helps test code that uses package scheduler without
// sleeping on the wall clock: Clock is a fake scheduler.Clock that moves only
// when told, and Recorder collects a scheduler's events and waits for them.
//
// A test adds entries, starts the scheduler, then steps the clock and waits for
// the timer goroutine to catch up:
//
//	clock := schedtest.NewClock(start)
//	rec := new(schedtest.Recorder)
//	s, _ := scheduler.New(scheduler.Config{Clock: clock, OnEvent: rec.OnEvent, Run: run})
//	...
//	clock.Advance(time.Minute)
//	clock.BlockUntil(1) // the scheduler has fired what was due and re-armed its timer
//
// A started scheduler always keeps exactly one timer armed while it is not
// handling a firing, so BlockUntil(1) after Advance returns once it has fired
// everything due and emitted the events of those firings. Runs themselves go on
// in their own goroutines: wait for their EventFinished (Recorder.WaitFor)
// before moving the clock past the next due time, or that due time may find the
// run still going and, under the default OverlapSkip, be skipped.
package schedtest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

// Clock is a fake scheduler.Clock. Its time moves only with Advance and Set,
// which fire the timers that fall due, synchronously, before returning. It is
// safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	armed   []*timer      // armed timers
	changed chan struct{} // closed and replaced when the set of armed timers changes
}

// NewClock returns a fake clock that reads start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, changed: make(chan struct{})}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the clock reaches Now()+d; at once if
// d is zero or less.
func (c *Clock) NewTimer(d time.Duration) scheduler.Timer {
	t := &timer{c: c, ch: make(chan time.Time, 1)}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t, d)
	return t
}

// Advance moves the clock forward by d and fires, in deadline order, every
// timer whose deadline has come. A negative d moves it back and fires nothing.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.fireLocked()
}

// Set moves the clock to t, forward or back, and fires every timer whose
// deadline has come.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	c.fireLocked()
}

// Timers returns the number of armed timers.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.armed)
}

// BlockUntil blocks until exactly n timers are armed. See BlockUntilContext for
// a bounded wait.
func (c *Clock) BlockUntil(n int) {
	_ = c.BlockUntilContext(context.Background(), n)
}

// BlockUntilContext blocks until exactly n timers are armed or ctx is done, and
// returns ctx's error in the latter case.
func (c *Clock) BlockUntilContext(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		count, changed := len(c.armed), c.changed
		c.mu.Unlock()
		if count == n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// fireLocked fires the armed timers whose deadline has come, earliest first.
func (c *Clock) fireLocked() {
	var due []*timer
	for _, t := range c.armed {
		if !t.deadline.After(c.now) {
			due = append(due, t)
		}
	}
	slices.SortStableFunc(due, func(a, b *timer) int { return a.deadline.Compare(b.deadline) })
	for _, t := range due {
		c.fireTimerLocked(t)
	}
}

// setLocked arms t to fire after d, or fires it at once if d <= 0, dropping
// any value it delivered before and not yet received.
func (c *Clock) setLocked(t *timer, d time.Duration) bool {
	wasArmed := c.disarmLocked(t)
	select {
	case <-t.ch:
	default:
	}
	t.deadline = c.now.Add(d)
	if d <= 0 {
		c.fireTimerLocked(t)
		return wasArmed
	}
	c.armed = append(c.armed, t)
	c.notifyLocked()
	return wasArmed
}

func (c *Clock) fireTimerLocked(t *timer) {
	c.disarmLocked(t)
	select {
	case t.ch <- c.now:
	default:
	}
}

// disarmLocked takes t out of the armed set and reports whether it was in it.
func (c *Clock) disarmLocked(t *timer) bool {
	i := slices.Index(c.armed, t)
	if i < 0 {
		return false
	}
	c.armed = slices.Delete(c.armed, i, i+1)
	c.notifyLocked()
	return true
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// timer is a Clock's scheduler.Timer.
type timer struct {
	c        *Clock
	ch       chan time.Time
	deadline time.Time // guarded by c.mu
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	wasArmed := t.c.disarmLocked(t)
	select {
	case <-t.ch:
	default:
	}
	return wasArmed
}

func (t *timer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.c.setLocked(t, d)
}

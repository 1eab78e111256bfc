package schedtest

import (
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

// WaitTimeout bounds Recorder.Wait. It is a failure deadline on the wall clock,
// never a delay: Wait returns as soon as its condition holds.
const WaitTimeout = 10 * time.Second

// Recorder collects a scheduler's events. Pass its OnEvent method as
// scheduler.Config.OnEvent. The zero value is ready to use; it is safe for
// concurrent use.
type Recorder struct {
	mu      sync.Mutex
	events  []scheduler.Event
	changed chan struct{}
}

// OnEvent records ev.
func (r *Recorder) OnEvent(ev scheduler.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
}

// Events returns a copy of the events recorded so far, in the order received.
func (r *Recorder) Events() []scheduler.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]scheduler.Event(nil), r.events...)
}

// Of returns the recorded events of the given kind, in the order received.
func (r *Recorder) Of(kind scheduler.EventKind) []scheduler.Event {
	var out []scheduler.Event
	for _, ev := range r.Events() {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// Reset forgets the events recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}

// Wait blocks until cond holds for the recorded events, and fails tb with what
// if WaitTimeout passes first.
func (r *Recorder) Wait(tb testing.TB, what string, cond func([]scheduler.Event) bool) {
	tb.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		if cond(r.events) {
			r.mu.Unlock()
			return
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			tb.Fatalf("schedtest: timed out after %v waiting for %s; events: %v", WaitTimeout, what, r.Events())
		}
	}
}

// WaitFor blocks until at least n events of the given kind are recorded; see
// Wait.
func (r *Recorder) WaitFor(tb testing.TB, kind scheduler.EventKind, n int) {
	tb.Helper()
	r.Wait(tb, "events", func(evs []scheduler.Event) bool {
		c := 0
		for _, ev := range evs {
			if ev.Kind == kind {
				c++
			}
		}
		return c >= n
	})
}

// Settled reports whether every recorded EventFired has its EventFinished.
func Settled(evs []scheduler.Event) bool {
	fired, finished := 0, 0
	for _, ev := range evs {
		switch ev.Kind {
		case scheduler.EventFired:
			fired++
		case scheduler.EventFinished:
			finished++
		}
	}
	return fired == finished
}

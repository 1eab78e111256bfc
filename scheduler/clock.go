package scheduler

import "time"

// Clock is the scheduler's source of time. The default, RealClock, is the wall
// clock; tests inject schedtest.Clock so that they never sleep.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a Timer that sends on its channel once d has elapsed.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a Clock. It follows the semantics of
// time.Timer since Go 1.23: after Stop or Reset returns, no value sent for the
// earlier setting is received from C.
type Timer interface {
	// C returns the channel on which the timer delivers the time when it fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing and reports whether it was active.
	Stop() bool
	// Reset changes the timer to fire after d and reports whether it was active.
	// A d of zero or less fires it at once.
	Reset(d time.Duration) bool
}

// RealClock returns the wall clock, backed by time.Now and time.NewTimer.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time                 { return time.Now() }
func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

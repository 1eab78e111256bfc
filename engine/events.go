package engine

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/titanscrape/titan"
)

// EventKind says what happened to an execution.
type EventKind string

// The kinds of events.
const (
	EventQueued   EventKind = "queued"
	EventStarted  EventKind = "started"
	EventProgress EventKind = "progress" // Stats holds a snapshot
	EventRecord   EventKind = "record"   // Record holds the record
	EventPaused   EventKind = "paused"
	EventResumed  EventKind = "resumed"
	EventFinished EventKind = "finished" // Status is terminal, Reason says why
	EventSkipped  EventKind = "skipped"  // schedule ticks of TaskID not run; Reason says why
)

// Event is one thing that happened to an execution.
type Event struct {
	Kind        EventKind
	ExecutionID string
	TaskID      string
	Status      titan.ExecutionStatus
	Reason      string
	Stats       titan.Stats
	Record      *titan.Record
	At          time.Time
}

// Subscription receives the engine's events on C. Events are sent without ever
// blocking an execution: when C is full, the event is dropped and counted in
// Dropped, so a slow reader loses events, never stalls a crawl.
type Subscription struct {
	// C delivers the events; it is closed by Close and when the engine closes.
	C       <-chan Event
	c       chan Event
	dropped atomic.Int64
	e       *Engine
	once    sync.Once
}

// Dropped is how many events did not fit in C.
func (s *Subscription) Dropped() int64 { return s.dropped.Load() }

// Close ends the subscription and closes C.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.e.subMu.Lock()
		delete(s.e.subs, s)
		s.e.subMu.Unlock()
		close(s.c)
	})
}

// Subscribe returns a subscription to every execution's events, with room for
// buffer events (at least 1; 256 when buffer is 0).
func (e *Engine) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 256
	}
	c := make(chan Event, buffer)
	s := &Subscription{C: c, c: c, e: e}
	e.subMu.Lock()
	defer e.subMu.Unlock()
	e.subs[s] = struct{}{}
	return s
}

// publish sends ev to every subscription without blocking.
func (e *Engine) publish(ev Event) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	if len(e.subs) == 0 {
		return
	}
	if ev.At.IsZero() {
		ev.At = e.now()
	}
	for s := range e.subs {
		select {
		case s.c <- ev:
		default:
			s.dropped.Add(1)
		}
	}
}

// closeSubs closes every subscription.
func (e *Engine) closeSubs() {
	e.subMu.Lock()
	subs := make([]*Subscription, 0, len(e.subs))
	for s := range e.subs {
		subs = append(subs, s)
	}
	e.subMu.Unlock()
	for _, s := range subs {
		s.Close()
	}
}

func event(kind EventKind, x *titan.Execution) Event {
	return Event{Kind: kind, ExecutionID: x.ID, TaskID: x.TaskID, Status: x.Status, Reason: x.Reason, Stats: x.Stats}
}

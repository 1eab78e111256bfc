package scheduler

import (
	"fmt"
	"sync"
	"time"
)

// OverlapPolicy says what happens to a due time that arrives while an earlier
// run of the same entry is still going (or waiting to go).
type OverlapPolicy string

const (
	// OverlapSkip, the default, does not run the due time; it is reported as an
	// EventSkipped with reason SkipOverlap.
	OverlapSkip OverlapPolicy = "skip"
	// OverlapQueue keeps at most one due time waiting; it runs as soon as the
	// run before it returns. Further due times that arrive while one waits are
	// reported as EventSkipped with reason SkipQueueFull.
	OverlapQueue OverlapPolicy = "queue"
	// OverlapAllow runs every due time at once, concurrently with earlier runs.
	OverlapAllow OverlapPolicy = "allow"
)

// CatchUpPolicy says what happens to due times that were missed: those between
// the entry's Last and the moment the scheduler takes the entry in (at Start,
// or at Add on a started scheduler), and those the scheduler could not fire in
// time while running (a suspended process, a clock jump). See Config.Grace for
// when a late due time counts as missed.
type CatchUpPolicy string

const (
	// CatchUpSkip, the default, runs none of the missed due times; they are
	// reported in one EventSkipped with reason SkipCatchUp and their count.
	CatchUpSkip CatchUpPolicy = "skip"
	// CatchUpRunOnce runs once for all missed due times, with Tick.Due set to
	// the latest of them and Tick.Missed to their count.
	CatchUpRunOnce CatchUpPolicy = "run_once"
	// CatchUpRunAll runs each missed due time, one after another in order, up
	// to Entry.CatchUpMax of the latest ones; the earlier excess is reported in
	// one EventSkipped with reason SkipCatchUp.
	CatchUpRunAll CatchUpPolicy = "run_all"
)

// DefaultCatchUpMax is the Entry.CatchUpMax used when it is zero, and
// MaxCatchUpMax its largest accepted value.
const (
	DefaultCatchUpMax = 10
	MaxCatchUpMax     = 10_000
)

// Entry is one recurring schedule. Only ID and Spec are required; the zero
// value of every other field is a documented default.
type Entry struct {
	// ID names the entry; unique within a scheduler. Ticks and events carry it.
	ID string `json:"id"`
	// Spec is the cron spec; see Parse for the grammar and Schedule for how
	// daylight saving time moves due times.
	Spec string `json:"spec"`
	// TimeZone is the IANA time zone (e.g. "America/New_York") the spec's
	// wall-clock fields are read in. Empty means UTC, unless the spec starts
	// with CRON_TZ= or TZ=; the two must agree when both are set.
	TimeZone string `json:"time_zone,omitempty"`
	// Start, if set, is the earliest due time: nothing is due before it. For an
	// @every spec without Last, the first due time is Start itself.
	Start time.Time `json:"start,omitzero"`
	// End, if set, is the latest due time: nothing is due after it. An entry
	// past its End stays registered, with no next due time, until removed.
	End time.Time `json:"end,omitzero"`
	// Jitter, if positive, delays each firing by a random duration in
	// [0, Jitter), drawn from Config.Rand. Tick.Due stays the due time.
	Jitter time.Duration `json:"jitter,omitempty"`
	// Overlap is the overlap policy; empty means OverlapSkip.
	Overlap OverlapPolicy `json:"overlap,omitempty"`
	// CatchUp is the catch-up policy for missed due times; empty means
	// CatchUpSkip.
	CatchUp CatchUpPolicy `json:"catch_up,omitempty"`
	// CatchUpMax caps how many missed due times CatchUpRunAll runs; zero means
	// DefaultCatchUpMax; at most MaxCatchUpMax.
	CatchUpMax int `json:"catch_up_max,omitempty"`
	// Last is the latest due time already handled (run or skipped), as
	// persisted by the caller; the zero value means none. Due times after Last
	// that are already past when the scheduler takes the entry in are missed
	// and follow CatchUp. The scheduler keeps Last up to date: read it back
	// from Entries, or from the Due of events, to persist it.
	Last time.Time `json:"last,omitzero"`
	// Paused adds the entry paused: it keeps its place but nothing is due
	// until Resume. Entries reports the current state.
	Paused bool `json:"paused,omitempty"`
}

// EntryInfo is the state of one entry, as Entries reports it.
type EntryInfo struct {
	// Entry is the definition, with defaults filled in and Last and Paused
	// brought up to date; persisted and added back after a restart, it resumes
	// where the scheduler left off.
	Entry
	// Next is the next due time; zero if there is none (paused, past End, or
	// nothing due within five years).
	Next time.Time
	// NextFire is when the next due time fires: Next plus its jitter.
	NextFire time.Time
	// Running is the number of Run calls in progress.
	Running int
	// Waiting is the number of accepted due times whose run has not started.
	Waiting int
}

// entry is the scheduler's record of one Entry. The scheduler's mutex guards
// the definition and the heap fields; the entry's own mutex, always taken after
// the scheduler's, guards the run state, so that runs finishing do not contend
// with the timer goroutine.
type entry struct {
	def   Entry
	sched *Schedule
	seq   uint64 // order of addition, breaks ties in the heap

	next   time.Time // next due time; zero if none
	fire   time.Time // next plus jitter
	gen    uint64    // generation: heap items of other generations are stale
	queued bool      // the heap holds an item of this generation

	mu       sync.Mutex
	running  int    // Run calls in progress
	waiting  []Tick // due times waiting for the entry's single chain (skip, queue)
	detached int    // due times waiting in allow chains
	removed  bool
}

// compile checks e and fills its defaults. parse parses specs in time zones.
func compile(e Entry, parse func(spec, timeZone string) (*Schedule, error)) (*entry, error) {
	bad := func(field string, format string, args ...any) (*entry, error) {
		return nil, &EntryError{ID: e.ID, Field: field, Err: fmt.Errorf(format, args...)}
	}
	if e.ID == "" {
		return bad("id", "the id is required")
	}
	if e.TimeZone != "" {
		if _, err := parse("@hourly", e.TimeZone); err != nil {
			err.(*SpecError).Spec = e.Spec
			return nil, &EntryError{ID: e.ID, Field: "time_zone", Err: err}
		}
	}
	sched, err := parse(e.Spec, e.TimeZone)
	if err != nil {
		return nil, &EntryError{ID: e.ID, Field: "spec", Err: err}
	}
	switch {
	case !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start):
		return bad("end", "end %s is before start %s", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	case e.Jitter < 0:
		return bad("jitter", "jitter %v is negative", e.Jitter)
	case e.CatchUpMax < 0 || e.CatchUpMax > MaxCatchUpMax:
		return bad("catch_up_max", "catch_up_max %d is out of range [0, %d]", e.CatchUpMax, MaxCatchUpMax)
	}
	switch e.Overlap {
	case "":
		e.Overlap = OverlapSkip
	case OverlapSkip, OverlapQueue, OverlapAllow:
	default:
		return bad("overlap", "unknown overlap policy %q (want %q, %q or %q)", e.Overlap, OverlapSkip, OverlapQueue, OverlapAllow)
	}
	switch e.CatchUp {
	case "":
		e.CatchUp = CatchUpSkip
	case CatchUpSkip, CatchUpRunOnce, CatchUpRunAll:
	default:
		return bad("catch_up", "unknown catch-up policy %q (want %q, %q or %q)", e.CatchUp, CatchUpSkip, CatchUpRunOnce, CatchUpRunAll)
	}
	if e.CatchUpMax == 0 {
		e.CatchUpMax = DefaultCatchUpMax
	}
	return &entry{def: e, sched: sched}, nil
}

// nextDue returns the first due time after t that lies within [Start, End], or
// the zero time if there is none.
func (e *entry) nextDue(t time.Time) time.Time {
	var n time.Time
	switch start := e.def.Start; {
	case !start.IsZero() && t.Before(start) && e.sched.every > 0:
		n = start
	case !start.IsZero() && t.Before(start):
		n = e.sched.Next(start.Add(-time.Nanosecond))
	default:
		n = e.sched.Next(t)
	}
	if n.IsZero() || (!e.def.End.IsZero() && n.After(e.def.End)) {
		return time.Time{}
	}
	return n
}

// info returns the entry's state. The caller holds the scheduler's mutex.
func (e *entry) info() EntryInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return EntryInfo{
		Entry:    e.def,
		Next:     e.next,
		NextFire: e.fire,
		Running:  e.running,
		Waiting:  len(e.waiting) + e.detached,
	}
}

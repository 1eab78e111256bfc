package scheduler

import "time"

// Tick is one firing of an entry, as Config.Run receives it.
type Tick struct {
	// EntryID is the ID of the entry.
	EntryID string
	// Due is the due time, before jitter.
	Due time.Time
	// Jitter is the random delay drawn for this firing; zero for catch-up runs
	// and for due times fired late together with missed ones.
	Jitter time.Duration
	// Fired is when the scheduler started the run, by its clock. Fired - Due -
	// Jitter is the firing lateness. Zero for a due time that never ran.
	Fired time.Time
	// CatchUp marks a run, or a skip, of missed due times.
	CatchUp bool
	// Missed is, for a CatchUpRunOnce run, the number of missed due times it
	// stands for (a lower bound when there were over a million); zero otherwise.
	Missed int
}

// EventKind is the kind of an Event.
type EventKind string

const (
	// EventFired reports a run about to start; its Tick is the one Run gets.
	EventFired EventKind = "fired"
	// EventSkipped reports due times that will not run, with a SkipReason.
	EventSkipped EventKind = "skipped"
	// EventFinished reports a run that returned, with its error.
	EventFinished EventKind = "finished"
)

// SkipReason says why due times were skipped.
type SkipReason string

const (
	// SkipOverlap: the due time arrived while an earlier run of the entry was
	// going or waiting, under OverlapSkip.
	SkipOverlap SkipReason = "overlap"
	// SkipCatchUp: the due times were missed and the catch-up policy does not
	// run them (CatchUpSkip, or the excess over CatchUpMax of CatchUpRunAll).
	SkipCatchUp SkipReason = "catch_up"
	// SkipQueueFull: the due time arrived while another already waited, under
	// OverlapQueue.
	SkipQueueFull SkipReason = "queue_full"
	// SkipStopped: the due time was waiting to run when the scheduler stopped.
	SkipStopped SkipReason = "stopped"
	// SkipRemoved: the due time was waiting to run when its entry was removed.
	SkipRemoved SkipReason = "removed"
)

// Event records what the scheduler did with due times: fired, skipped, or
// finished. Config.OnEvent receives them.
type Event struct {
	// Kind is what happened.
	Kind EventKind
	// Tick is the firing. For EventSkipped, Tick.Due is the latest skipped due
	// time and Tick.Fired is zero.
	Tick Tick
	// Reason says why, for EventSkipped.
	Reason SkipReason
	// Count is the number of due times an EventSkipped stands for (at least
	// one; a lower bound when Capped); zero for other kinds.
	Count int
	// From is the earliest due time an EventSkipped stands for; it equals
	// Tick.Due when Count is one.
	From time.Time
	// Capped reports that an EventSkipped's due times were too many to count
	// (over a million of a wall-clock spec), so Count is a lower bound. From
	// and Tick.Due still bound them exactly.
	Capped bool
	// Err is the error Run returned, for EventFinished; a *PanicError if it
	// panicked.
	Err error
	// Duration is how long Run took by the scheduler's clock, for
	// EventFinished.
	Duration time.Duration
}

// Stats are the scheduler's running totals since New.
type Stats struct {
	// Fired counts runs started.
	Fired int64
	// Finished counts runs returned, Failed those among them with an error.
	Finished, Failed int64
	// Skipped counts due times skipped, by reason.
	Skipped map[SkipReason]int64
	// Running is the number of Run calls in progress.
	Running int
	// Waiting is the number of accepted due times whose run has not started.
	Waiting int
}

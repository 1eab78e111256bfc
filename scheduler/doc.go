// Package scheduler fires recurring entries on time: cron specs and intervals in
// IANA time zones, with per-entry jitter, overlap and catch-up policies, start
// and end dates, and pause and resume. It is a leaf package (it does not import
// titan) so that the engine can drive task runs with it.
//
// # Entries and specs
//
// An [Entry] has an ID and a cron spec: five fields (minute hour day-of-month
// month day-of-week), an optional leading seconds field, or a descriptor such as
// @daily, @hourly or @every 10m; see [Parse]. Wall-clock fields are read in the
// entry's TimeZone (or a CRON_TZ= prefix; UTC by default). Add, Update, Remove,
// Pause and Resume work at any time, from any goroutine.
//
// # Daylight saving time
//
// Due times follow the wall clock like Vixie cron, not like robfig/cron's own
// Next: a time skipped by a spring-forward transition (02:30 on the day New York
// or Berlin jumps from 02:00 to 03:00) is due at 03:00, the first instant after
// the gap; a time repeated by a fall-back transition (01:30 in New York on the
// day 02:00 goes back to 01:00) is due once, at its first occurrence, except for
// specs whose hour field matches every hour ("*/15 * * * *"), which fire in both
// passes. @every intervals ignore the wall clock. [Schedule] has the details.
//
// # Firing
//
// The scheduler keeps the entries in a heap ordered by firing time (due time plus
// jitter) and waits on a single timer of its [Clock] in a single goroutine; it
// resets the timer whenever the head of the heap changes, so an idle scheduler
// uses no CPU. Each firing calls Config.Run in its own goroutine with a [Tick]:
// the entry, the due time (before jitter), the time it fired, and whether it is
// a catch-up. What happens to every due time is reported to Config.OnEvent as an
// [Event] (fired, skipped with a reason and a count, finished with an error) and
// counted in [Scheduler.Stats]: no due time is dropped silently.
//
// # Overlap
//
// A due time that arrives while an earlier run of the same entry is still going
// is skipped (OverlapSkip, the default), waits for it (OverlapQueue: at most one
// waits, later ones are skipped as queue_full), or runs concurrently
// (OverlapAllow). Catch-up runs found together (see below) count as one arrival:
// they start if the entry is idle, wait as one under OverlapQueue, and then run
// one after another.
//
// # Missed due times and catch-up
//
// An entry's Last is the latest due time already handled; the scheduler keeps it
// current (see [Scheduler.Entries]) for the caller to persist. When the scheduler
// takes an entry in, the due times between Last and now were missed while the
// process was down; while it runs, due times it could not fire in time (the
// process was suspended, the clock jumped) are missed too. Of such a group, the
// latest runs as an ordinary tick if it is at most Config.Grace late (one minute
// by default); the others follow the entry's catch-up policy: CatchUpSkip (the
// default: reported with their count), CatchUpRunOnce (one run for all), or
// CatchUpRunAll (each, one after another, at most CatchUpMax of the latest; the
// excess is reported). Resume does not replay due times that passed while the
// entry was paused.
//
// # Lifecycle
//
// [New] checks the Config; [Scheduler.Start] starts the timer goroutine;
// [Scheduler.Stop] stops firing, drops the due times waiting to run (reported as
// skipped with reason stopped) and waits, until its context is done, for the runs
// in progress; if that context ends first it cancels the runs' context (cause
// [ErrStopped]) and returns. [Scheduler.Stopped] is closed once every run has
// returned. Cancelling the context given to Start is a hard stop: the runs'
// context, derived from it, is cancelled at once.
//
// # Testing
//
// Package schedtest has a fake [Clock] that moves only when told and a recorder
// of events, so that tests never sleep on the wall clock.
package scheduler

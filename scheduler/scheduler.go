package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultGrace is the Config.Grace used when it is zero.
const DefaultGrace = time.Minute

// idleWait is how long the timer sleeps when no entry is due at all. The timer
// is always armed while the scheduler runs, so schedtest.Clock.BlockUntil(1)
// tells a test that the timer goroutine has caught up.
const idleWait = 24 * time.Hour

// fireChunk bounds how many entries the timer goroutine handles under the lock
// before it starts their runs and reads the clock again.
const fireChunk = 256

// Config configures a Scheduler. Only Run is required.
type Config struct {
	// Run is called once per firing, each call in its own goroutine, with a
	// context derived from the one given to Start. Its error is reported in
	// the EventFinished; a panic is recovered and reported as a *PanicError.
	// Required.
	Run func(ctx context.Context, t Tick) error
	// OnEvent, if set, receives every Event. It is called from the scheduler's
	// goroutines (and from those calling Remove and Stop, for the due times
	// they drop), possibly concurrently, never while the scheduler holds a
	// lock, so it may call the scheduler's methods except Stop. It must return
	// quickly: the timer goroutine waits for it. For one run, EventFired comes
	// before EventFinished. Nil means events are only counted in Stats (and
	// skips logged).
	OnEvent func(Event)
	// Clock is the source of time. Nil means RealClock(); tests use
	// schedtest.NewClock.
	Clock Clock
	// Rand returns a uniformly distributed int64 in [0, n); it draws jitter and
	// is only called while the scheduler holds its lock. Nil means
	// math/rand/v2.Int64N.
	Rand func(n int64) int64
	// Grace is how late a due time may fire and still run as an ordinary tick.
	// When the scheduler finds several due times of one entry already past
	// (after a restart, a suspended process or a clock jump), the latest runs
	// as an ordinary tick if it is at most Grace late (after its jitter) and
	// all the others are missed: they follow the entry's CatchUp policy. Zero
	// means DefaultGrace (one minute); negative is an error.
	Grace time.Duration
	// Logger receives skipped due times (Info), failed runs (Warn) and
	// recovered panics (Error). Nil means a logger that discards everything.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = RealClock()
	}
	if c.Rand == nil {
		c.Rand = rand.Int64N
	}
	c.Grace = cmp.Or(c.Grace, DefaultGrace)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Run == nil:
		return errors.New("scheduler: Config.Run is required")
	case c.Grace < 0:
		return fmt.Errorf("scheduler: Config.Grace %v is negative", c.Grace)
	}
	return nil
}

type state int

const (
	stateNew state = iota
	stateRunning
	stateStopping // Stop called or Start's context done; runs may be going
	stateStopped  // the timer goroutine and every run have returned
)

// Scheduler fires recurring entries on time. It keeps entries in a heap ordered
// by firing time and waits on a single timer, reset whenever the heap's head
// changes, in a single goroutine: an idle scheduler uses no CPU. All methods are
// safe for concurrent use.
type Scheduler struct {
	cfg Config
	log *slog.Logger

	cacheMu   sync.Mutex
	zones     map[string]*time.Location
	schedules map[string]*Schedule // by time zone and spec

	mu         sync.Mutex
	state      state
	entries    map[string]*entry
	heap       entryHeap
	stale      int // stale items in heap
	seq        uint64
	timer      Timer
	armedAt    time.Time // the heap key the timer is armed for; zero when idle
	loopExited bool
	stopLoop   context.CancelFunc
	cancelRuns context.CancelCauseFunc
	stopped    chan struct{}

	stopping atomic.Bool  // set once firing stops; read by chains without the lock
	active   atomic.Int64 // goroutines running chains of Run calls
	fired    atomic.Int64
	finished atomic.Int64
	failed   atomic.Int64
	skipped  [len(skipReasons)]atomic.Int64
}

// skipReasons lists the SkipReasons, indexing Scheduler.skipped.
var skipReasons = [...]SkipReason{SkipOverlap, SkipCatchUp, SkipQueueFull, SkipStopped, SkipRemoved}

// New returns a Scheduler configured by cfg. Add entries, then Start it.
func New(cfg Config) (*Scheduler, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Scheduler{
		cfg:       cfg,
		log:       cfg.Logger,
		zones:     make(map[string]*time.Location),
		schedules: make(map[string]*Schedule),
		entries:   make(map[string]*entry),
		stopped:   make(chan struct{}),
	}, nil
}

// maxCachedSchedules bounds the schedule cache.
const maxCachedSchedules = 4096

// parse is Parse with per-scheduler caches of time zones and of schedules.
// Schedules are immutable, so entries with the same spec and zone share one,
// which keeps it in the CPU cache when many entries fire.
func (s *Scheduler) parse(spec, timeZone string) (*Schedule, error) {
	key := timeZone + "\x00" + spec
	s.cacheMu.Lock()
	sc, ok := s.schedules[key]
	s.cacheMu.Unlock()
	if ok {
		return sc, nil
	}
	sc, err := parse(spec, timeZone, s.loadZone)
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	if len(s.schedules) < maxCachedSchedules {
		s.schedules[key] = sc
	}
	s.cacheMu.Unlock()
	return sc, nil
}

// loadZone is time.LoadLocation with a per-scheduler cache.
func (s *Scheduler) loadZone(name string) (*time.Location, error) {
	s.cacheMu.Lock()
	loc, ok := s.zones[name]
	s.cacheMu.Unlock()
	if ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	s.zones[name] = loc
	s.cacheMu.Unlock()
	return loc, nil
}

// Start starts firing. Entries added before Start are taken in now: for each,
// due times after its Last that are already past are missed (see Entry.CatchUp
// and Config.Grace); without Last, the first due time is the first after now.
// The scheduler runs until Stop or until ctx is done; ctx's end is a hard stop:
// it stops firing and cancels the context of the runs still going. Run calls get
// a context derived from ctx. Start returns ErrAlreadyStarted if called twice
// and ErrStopped after Stop: a scheduler does not restart.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case stateRunning:
		return ErrAlreadyStarted
	case stateStopping, stateStopped:
		return ErrStopped
	}
	runCtx, cancelRuns := context.WithCancelCause(ctx)
	loopCtx, stopLoop := context.WithCancel(runCtx)
	s.state, s.cancelRuns, s.stopLoop = stateRunning, cancelRuns, stopLoop

	now := s.cfg.Clock.Now()
	all := make([]*entry, 0, len(s.entries))
	for _, e := range s.entries {
		all = append(all, e)
	}
	slices.SortFunc(all, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	for _, e := range all { // in order of addition, so that jitter draws are too
		s.setNextLocked(e, e.nextDue(anchor(e.def.Last, now)))
	}
	s.timer = s.cfg.Clock.NewTimer(idleWait)
	s.armLocked(true)
	go s.loop(loopCtx, runCtx)
	return nil
}

// Stop stops firing and waits, until ctx is done, for the Run calls in progress
// to return. Due times accepted but not started (queued, or catch-up runs still
// to come) do not run: they are reported as skipped with reason SkipStopped.
// If ctx ends first, Stop cancels the context of the runs still going, with
// cause ErrStopped, and returns ctx's error without waiting further; Stopped is
// closed once they have returned. Stop on a scheduler never started just marks
// it stopped. Calling Stop again waits again.
func (s *Scheduler) Stop(ctx context.Context) error {
	var b batch
	s.mu.Lock()
	switch s.state {
	case stateNew:
		s.state = stateStopped
		close(s.stopped)
		s.mu.Unlock()
		return nil
	case stateRunning:
		s.beginStopLocked(&b)
	}
	stopLoop, cancelRuns := s.stopLoop, s.cancelRuns
	s.mu.Unlock()
	s.emit(b.events)
	if stopLoop == nil { // never started
		return nil
	}
	stopLoop()
	select {
	case <-s.stopped:
		return nil
	case <-ctx.Done():
		cancelRuns(ErrStopped)
		return fmt.Errorf("scheduler: runs still going at the stop deadline: %w", ctx.Err())
	}
}

// Stopped returns a channel closed when the scheduler has stopped: its timer
// goroutine has exited and every Run call has returned.
func (s *Scheduler) Stopped() <-chan struct{} { return s.stopped }

// beginStopLocked moves a running scheduler to stopping: no more firing, and
// the due times waiting in chains are dropped.
func (s *Scheduler) beginStopLocked(b *batch) {
	s.state = stateStopping
	s.stopping.Store(true)
	s.timer.Stop()
	for _, e := range s.entries {
		e.mu.Lock()
		s.dropWaitingLocked(e, SkipStopped, b)
		e.mu.Unlock()
	}
	s.heap, s.stale = nil, 0
	for _, e := range s.entries {
		e.queued = false
	}
}

// finishStopLocked closes Stopped once nothing is left running.
func (s *Scheduler) finishStopLocked() {
	if s.state == stateStopping && s.loopExited && s.active.Load() == 0 {
		s.state = stateStopped
		s.cancelRuns(ErrStopped) // nothing uses it any more: release it
		close(s.stopped)
	}
}

// Add adds an entry. It returns an *EntryError if the entry is invalid (naming
// the entry and the field at fault), ErrDuplicateID if the ID is taken, and
// ErrStopped after Stop. On a started scheduler the entry is taken in at once,
// as Start describes.
func (s *Scheduler) Add(e Entry) error {
	ce, err := compile(e, s.parse)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state >= stateStopping {
		return ErrStopped
	}
	if _, dup := s.entries[e.ID]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicateID, e.ID)
	}
	s.seq++
	ce.seq = s.seq
	s.entries[e.ID] = ce
	s.setNextLocked(ce, ce.nextDue(anchor(ce.def.Last, s.cfg.Clock.Now())))
	s.armLocked(false)
	return nil
}

// Update replaces the definition of the entry with e's ID, including Paused.
// Runs in progress and due times waiting to run are kept. The next due time is
// the first one after now under the new definition: e.Last is ignored, nothing
// is caught up, and due times of the old definition not yet fired are dropped.
func (s *Scheduler) Update(e Entry) error {
	ce, err := compile(e, s.parse)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state >= stateStopping {
		return ErrStopped
	}
	old, ok := s.entries[e.ID]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, e.ID)
	}
	ce.def.Last = old.def.Last
	old.def, old.sched = ce.def, ce.sched
	s.setNextLocked(old, old.nextDue(s.cfg.Clock.Now()))
	s.armLocked(false)
	return nil
}

// Remove removes the entry with the given ID. Runs in progress go on; due times
// waiting to run are dropped and reported as skipped with reason SkipRemoved.
func (s *Scheduler) Remove(id string) error {
	var b batch
	s.mu.Lock()
	e, ok := s.entries[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	delete(s.entries, id)
	e.mu.Lock()
	e.removed = true
	s.dropWaitingLocked(e, SkipRemoved, &b)
	e.mu.Unlock()
	s.unqueueLocked(e)
	e.next, e.fire = time.Time{}, time.Time{}
	s.armLocked(false)
	s.mu.Unlock()
	s.emit(b.events)
	return nil
}

// Pause pauses the entry with the given ID: nothing is due until Resume. Runs in
// progress and due times already waiting to run go on. Pausing a paused entry
// does nothing.
func (s *Scheduler) Pause(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if e.def.Paused {
		return nil
	}
	e.def.Paused = true
	s.setNextLocked(e, time.Time{})
	s.armLocked(false)
	return nil
}

// Resume resumes a paused entry. Its next due time is the first one after now:
// due times that passed while it was paused are not run, not caught up and not
// reported, because pausing was asked for. Resuming an entry that is not paused
// does nothing.
func (s *Scheduler) Resume(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if !e.def.Paused {
		return nil
	}
	e.def.Paused = false
	s.setNextLocked(e, e.nextDue(s.cfg.Clock.Now()))
	s.armLocked(false)
	return nil
}

// Next returns the next due time (before jitter) of the entry with the given ID,
// and false if the entry does not exist or has no next due time (paused, past
// its End, or nothing due within five years).
func (s *Scheduler) Next(id string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok || e.def.Paused || e.next.IsZero() {
		return time.Time{}, false
	}
	return e.next, true
}

// Entries returns the state of every entry, ordered by ID.
func (s *Scheduler) Entries() []EntryInfo {
	s.mu.Lock()
	infos := make([]EntryInfo, 0, len(s.entries))
	for _, e := range s.entries {
		infos = append(infos, e.info())
	}
	s.mu.Unlock()
	slices.SortFunc(infos, func(a, b EntryInfo) int { return cmp.Compare(a.ID, b.ID) })
	return infos
}

// Stats returns the running totals.
func (s *Scheduler) Stats() Stats {
	st := Stats{
		Fired:    s.fired.Load(),
		Finished: s.finished.Load(),
		Failed:   s.failed.Load(),
		Skipped:  make(map[SkipReason]int64),
	}
	for i, r := range skipReasons {
		if n := s.skipped[i].Load(); n > 0 {
			st.Skipped[r] = n
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.entries {
		e.mu.Lock()
		st.Running += e.running
		st.Waiting += len(e.waiting) + e.detached
		e.mu.Unlock()
	}
	return st
}

// anchor returns the time after which an entry's due times count: its Last if
// set, else now.
func anchor(last, now time.Time) time.Time {
	if last.IsZero() {
		return now
	}
	return last
}

// setNextLocked sets the entry's next due time, draws its jitter and places it
// in the heap, or takes it out if it has no next due time or is paused. Before
// Start it only sets the next due time: Start builds the heap.
func (s *Scheduler) setNextLocked(e *entry, next time.Time) {
	if e.def.Paused {
		next = time.Time{}
	}
	e.next = next
	if next.IsZero() || s.state != stateRunning {
		e.fire = next
		s.unqueueLocked(e)
		return
	}
	e.fire = next.Add(s.jitterLocked(e.def.Jitter))
	s.queueLocked(e)
}

// jitterLocked draws a jitter in [0, max).
func (s *Scheduler) jitterLocked(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	n := int64(max)
	r := s.cfg.Rand(n) % n
	if r < 0 {
		r += n
	}
	return time.Duration(r)
}

// armLocked sets the timer to the firing time of the heap's head, or to idleWait
// when the heap is empty. Unless force is set, it leaves a timer that is armed
// for the head alone.
func (s *Scheduler) armLocked(force bool) {
	if s.state != stateRunning {
		return
	}
	var target time.Time
	if e := s.headLocked(); e != nil {
		target = e.fire
	}
	if !force && target.Equal(s.armedAt) {
		return
	}
	s.armedAt = target
	d := idleWait
	if !target.IsZero() {
		d = target.Sub(s.cfg.Clock.Now())
	}
	s.timer.Reset(d)
}

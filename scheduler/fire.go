package scheduler

import (
	"context"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"
)

// batch collects what was decided under the lock: events to emit and chains to
// start once the lock is released.
type batch struct {
	events []Event
	starts []chain
}

// chain is a goroutine's worth of runs of one entry, run one after another.
type chain struct {
	e   *entry
	cur Tick // the run in progress
	// rest are further ticks of the same batch for an OverlapAllow entry;
	// other entries keep them in entry.waiting.
	rest   []Tick
	shared bool // the chain takes its next ticks from entry.waiting
}

// loop is the timer goroutine: it waits for the timer, fires what is due, and
// re-arms the timer for the new head of the heap.
func (s *Scheduler) loop(ctx, runCtx context.Context) {
	defer func() {
		var b batch
		s.mu.Lock()
		if s.state == stateRunning { // Start's context ended: a hard stop
			s.beginStopLocked(&b)
		}
		s.mu.Unlock()
		s.emit(b.events)
		s.mu.Lock()
		s.loopExited = true
		s.finishStopLocked()
		s.mu.Unlock()
	}()
	var b batch // reused: the timer goroutine is its only user
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.timer.C():
		}
		s.fireDue(runCtx, &b)
		s.mu.Lock()
		s.armLocked(true)
		s.mu.Unlock()
	}
}

// fireDue handles every entry whose firing time has come, a chunk at a time,
// reading the clock again for each chunk.
func (s *Scheduler) fireDue(runCtx context.Context, b *batch) {
	for {
		b.events, b.starts = b.events[:0], b.starts[:0]
		s.mu.Lock()
		if s.state != stateRunning {
			s.mu.Unlock()
			return
		}
		now := s.cfg.Clock.Now()
		for n := 0; n < fireChunk; n++ {
			e := s.dueLocked(now)
			if e == nil {
				break
			}
			s.handleDueLocked(e, now, b)
		}
		more := s.dueLocked(now) != nil
		s.mu.Unlock()
		s.start(runCtx, b)
		if !more {
			return
		}
	}
}

// handleDueLocked handles e, the entry at the head of the heap, whose firing
// time has come. Its next due
// time d1 and every later due time already past (more than its Jitter ago) form
// the batch: the latest runs as an ordinary tick if it is at most Grace late,
// the others are missed and follow the catch-up policy; what is to run then
// meets the overlap policy.
func (s *Scheduler) handleDueLocked(e *entry, now time.Time, b *batch) {
	d1, j1 := e.next, e.fire.Sub(e.next)
	limit := now.Add(-e.def.Jitter)
	var (
		sp   span
		one  [1]time.Time
		next = e.nextDue(d1)
	)
	if next.IsZero() || next.After(limit) {
		// Only d1 is due: the common case.
		one[0] = d1
		sp = span{count: 1, exact: true, tail: one[:]}
	} else {
		if end := e.def.End; !end.IsZero() && limit.After(end) {
			limit = end
		}
		keep := 2 // the latest, and the latest missed
		if e.def.CatchUp == CatchUpRunAll {
			keep = e.def.CatchUpMax + 2
		}
		sp = e.sched.scan(d1, limit, keep)
		next = time.Time{}
	}
	tail := sp.tail
	latest := tail[len(tail)-1]
	missed := sp.count

	jitter := e.def.Jitter
	if sp.count == 1 {
		jitter = j1
	}
	ordinary := now.Sub(latest.Add(jitter)) <= s.cfg.Grace
	if ordinary {
		missed--
		tail = tail[:len(tail)-1]
	}
	var runs []Tick
	if missed > 0 {
		lastMissed := tail[len(tail)-1]
		switch e.def.CatchUp {
		case CatchUpSkip:
			s.skip(b, Event{Reason: SkipCatchUp, Count: missed, From: d1, Capped: !sp.exact,
				Tick: Tick{EntryID: e.def.ID, Due: lastMissed, CatchUp: true}})
		case CatchUpRunOnce:
			runs = append(runs, Tick{EntryID: e.def.ID, Due: lastMissed, CatchUp: true, Missed: missed, Fired: now})
		case CatchUpRunAll:
			n := min(missed, e.def.CatchUpMax)
			if excess := missed - n; excess > 0 {
				s.skip(b, Event{Reason: SkipCatchUp, Count: excess, From: d1, Capped: !sp.exact,
					Tick: Tick{EntryID: e.def.ID, Due: tail[len(tail)-n-1], CatchUp: true}})
			}
			for _, due := range tail[len(tail)-n:] {
				runs = append(runs, Tick{EntryID: e.def.ID, Due: due, CatchUp: true, Fired: now})
			}
		}
	}
	if ordinary {
		if sp.count > 1 {
			jitter = 0 // fired late with missed due times, not on its jitter
		}
		runs = append(runs, Tick{EntryID: e.def.ID, Due: latest, Jitter: jitter, Fired: now})
	}
	s.applyOverlapLocked(e, runs, b)
	e.def.Last = latest
	if next.IsZero() {
		next = e.nextDue(latest)
	}
	e.next, e.fire = next, next
	if !next.IsZero() {
		e.fire = next.Add(s.jitterLocked(e.def.Jitter))
	}
	s.requeueHeadLocked(e)
}

// applyOverlapLocked starts, queues or skips the runs of one batch, in due
// order, under the entry's overlap policy. A batch counts as one arrival: it
// starts if the entry is idle, and its runs then go one after another.
func (s *Scheduler) applyOverlapLocked(e *entry, runs []Tick, b *batch) {
	if len(runs) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	busy := e.running > 0 || len(e.waiting) > 0
	switch {
	case e.def.Overlap == OverlapAllow:
		s.startLocked(e, runs, false, b)
	case !busy:
		s.startLocked(e, runs, true, b)
	case e.def.Overlap == OverlapQueue && len(e.waiting) == 0:
		for i := range runs {
			runs[i].Fired = time.Time{}
		}
		e.waiting = append(e.waiting, runs...)
	default:
		reason := SkipOverlap
		if e.def.Overlap == OverlapQueue {
			reason = SkipQueueFull
		}
		for _, t := range runs {
			t.Fired = time.Time{}
			s.skip(b, Event{Reason: reason, Count: max(1, t.Missed), Tick: t})
		}
	}
}

// startLocked records the first of runs as fired and a chain to start it; the
// rest wait in the chain. The caller holds e.mu.
func (s *Scheduler) startLocked(e *entry, runs []Tick, shared bool, b *batch) {
	first, rest := runs[0], runs[1:]
	for i := range rest {
		rest[i].Fired = time.Time{}
	}
	if shared {
		e.waiting = append(e.waiting, rest...)
		rest = nil
	} else {
		e.detached += len(rest)
	}
	e.running++
	s.active.Add(1)
	s.fired.Add(1)
	s.record(b, Event{Kind: EventFired, Tick: first})
	b.starts = append(b.starts, chain{e: e, cur: first, rest: rest, shared: shared})
}

// record adds ev to the batch if anyone will see it: OnEvent, or the log for
// skips.
func (s *Scheduler) record(b *batch, ev Event) {
	if s.cfg.OnEvent != nil || ev.Kind == EventSkipped {
		b.events = append(b.events, ev)
	}
}

// skip counts and records a skip.
func (s *Scheduler) skip(b *batch, ev Event) {
	ev.Kind = EventSkipped
	if ev.From.IsZero() {
		ev.From = ev.Tick.Due
	}
	for i, r := range skipReasons {
		if r == ev.Reason {
			s.skipped[i].Add(int64(ev.Count))
		}
	}
	s.record(b, ev)
}

// dropWaitingLocked skips the due times waiting in the entry's shared chain.
// The caller holds e.mu.
func (s *Scheduler) dropWaitingLocked(e *entry, reason SkipReason, b *batch) {
	for _, t := range e.waiting {
		s.skip(b, Event{Reason: reason, Count: max(1, t.Missed), Tick: t})
	}
	e.waiting = nil
}

// start emits the batch's events, then starts its chains, so that a run's
// EventFired always comes before its EventFinished.
func (s *Scheduler) start(runCtx context.Context, b *batch) {
	s.emit(b.events)
	if len(b.starts) == 0 {
		return
	}
	chains := slices.Clone(b.starts) // b is reused; the chains live on
	for i := range chains {
		go s.runChain(runCtx, &chains[i])
	}
}

// emit passes events to OnEvent and logs skips.
func (s *Scheduler) emit(events []Event) {
	for i := range events {
		if events[i].Kind == EventSkipped {
			s.logSkip(&events[i])
		}
		if s.cfg.OnEvent != nil {
			s.cfg.OnEvent(events[i])
		}
	}
}

func (s *Scheduler) logSkip(ev *Event) {
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "scheduler: skipped due times",
		slog.String("entry", ev.Tick.EntryID), slog.String("reason", string(ev.Reason)),
		slog.Int("count", ev.Count), slog.Time("from", ev.From), slog.Time("due", ev.Tick.Due))
}

// runChain runs a chain's ticks one after another, then those waiting for the
// entry's shared chain. Its frames are kept small (the chain lives on the heap,
// events are built only when someone will see them, logging lives in separate
// functions) so that the goroutine seldom has to grow its stack before Run.
func (s *Scheduler) runChain(ctx context.Context, c *chain) {
	for {
		err := s.call(ctx, &c.cur)
		if !s.afterRun(c, err) {
			if s.active.Add(-1) == 0 && s.stopping.Load() {
				s.mu.Lock()
				s.finishStopLocked()
				s.mu.Unlock()
			}
			return
		}
	}
}

// afterRun records the chain's finished run and moves it to its next tick, if
// any. It takes only the entry's lock, not the scheduler's, so that runs
// finishing do not hold up the timer goroutine.
func (s *Scheduler) afterRun(c *chain, err error) bool {
	e, t := c.e, c.cur
	now := s.cfg.Clock.Now()
	s.finished.Add(1)
	if err != nil {
		s.failed.Add(1)
	}
	e.mu.Lock()
	e.running--
	if stopping := s.stopping.Load(); stopping || e.removed {
		skips := s.dropChainLocked(c, stopping)
		e.mu.Unlock()
		s.finishedEvent(t, err, now)
		s.emit(skips)
		return false
	}
	ok := false
	switch {
	case !c.shared && len(c.rest) > 0:
		c.cur, c.rest, ok = c.rest[0], c.rest[1:], true
		e.detached--
	case c.shared && len(e.waiting) > 0:
		c.cur, ok = e.waiting[0], true
		e.waiting = e.waiting[1:]
	}
	if ok {
		c.cur.Fired = now
		e.running++
		s.fired.Add(1)
	}
	e.mu.Unlock()
	if s.cfg.OnEvent != nil {
		s.finishedEvent(t, err, now)
		if ok {
			s.cfg.OnEvent(Event{Kind: EventFired, Tick: c.cur})
		}
	}
	return ok
}

// finishedEvent passes a run's EventFinished to OnEvent.
func (s *Scheduler) finishedEvent(t Tick, err error, now time.Time) {
	if s.cfg.OnEvent != nil {
		s.cfg.OnEvent(Event{Kind: EventFinished, Tick: t, Err: err, Duration: now.Sub(t.Fired)})
	}
}

// dropChainLocked skips the chain's remaining ticks, and those waiting for the
// entry, when the scheduler stops or the entry is removed. The caller holds
// the entry's lock.
func (s *Scheduler) dropChainLocked(c *chain, stopping bool) []Event {
	reason := SkipStopped
	if !stopping {
		reason = SkipRemoved
	}
	var b batch
	for _, w := range c.rest {
		s.skip(&b, Event{Reason: reason, Count: max(1, w.Missed), Tick: w})
	}
	c.e.detached -= len(c.rest)
	c.rest = nil
	if c.shared {
		s.dropWaitingLocked(c.e, reason, &b)
	}
	return b.events
}

// call calls Run, recovering a panic into a *PanicError.
func (s *Scheduler) call(ctx context.Context, t *Tick) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = s.recovered(ctx, t, v)
		}
	}()
	if err = s.cfg.Run(ctx, *t); err != nil {
		s.logFailure(ctx, t, err)
	}
	return err
}

func (s *Scheduler) recovered(ctx context.Context, t *Tick, v any) error {
	s.log.LogAttrs(ctx, slog.LevelError, "scheduler: run panicked",
		slog.String("entry", t.EntryID), slog.Time("due", t.Due), slog.Any("panic", v))
	return &PanicError{Value: v, Stack: debug.Stack()}
}

func (s *Scheduler) logFailure(ctx context.Context, t *Tick, err error) {
	s.log.LogAttrs(ctx, slog.LevelWarn, "scheduler: run failed",
		slog.String("entry", t.EntryID), slog.Time("due", t.Due), slog.Any("error", err))
}

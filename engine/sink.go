package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
)

// sink collects an execution's output and checkpoints it in batches. Records wait
// with their item until the item is done, so that a checkpoint holds whole items
// only: after a crash, an item is either done with all its records kept or is
// processed again, and no record is lost or kept twice. With a durable frontier,
// the checkpoint also marks the batch's items done, in the same transaction.
//
// Its mutex serialises the workers' calls; a full batch is written while holding
// it, which holds the workers back: the store's speed bounds the memory an
// execution uses.
type sink struct {
	e       *Engine
	durable titan.FrontierStore // nil: the frontier is in memory

	mu        sync.Mutex
	x         *titan.Execution
	pending   map[titan.FrontierKey][]titan.Record // records of items in progress
	batch     []titan.Record
	done      []titan.FrontierKey
	kept      map[string][2]int64 // valid and invalid records stored, by step
	lastFlush time.Time
	paused    bool  // items finishing while paused are written at once
	failed    error // a checkpoint failed: the execution cannot keep its output
}

func newSink(e *Engine, x *titan.Execution) *sink {
	s := &sink{e: e, x: x, lastFlush: e.now(), pending: make(map[titan.FrontierKey][]titan.Record), kept: make(map[string][2]int64)}
	// A resumed execution starts from what the store holds.
	if len(x.Stats.Steps) > 0 {
		for id, st := range x.Stats.Steps {
			s.kept[id] = [2]int64{st.ValidRecords, st.InvalidRecords}
		}
	} else if x.Stats.Records() > 0 {
		s.kept[titan.MainStep] = [2]int64{x.Stats.ValidRecords, x.Stats.InvalidRecords}
	}
	return s
}

func (s *sink) Record(ctx context.Context, item string, rec titan.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	k := titan.FrontierKey{Step: rec.Step, Key: item}
	s.pending[k] = append(s.pending[k], rec)
	s.e.publish(Event{Kind: EventRecord, ExecutionID: s.x.ID, TaskID: s.x.TaskID, Status: s.x.Status, Record: &rec})
	return nil
}

func (s *sink) ItemDone(ctx context.Context, step, item string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := titan.FrontierKey{Step: step, Key: item}
	s.batch = append(s.batch, s.pending[k]...)
	delete(s.pending, k)
	if s.durable != nil {
		s.done = append(s.done, k)
	}
	if s.failed == nil && (s.paused || len(s.batch) >= s.e.batch || len(s.done) >= s.e.batch || s.e.now().Sub(s.lastFlush) >= s.e.flushEvery) {
		_ = s.flush(ctx) // a failure is kept in s.failed: the next Record stops the run, finish fails it
	}
}

func (s *sink) Error(ctx context.Context, err titan.ExecError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.x.AddError(err)
}

func (s *sink) Progress(st titan.Stats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setStats(st)
	s.e.publish(event(EventProgress, s.x))
	if s.failed == nil && s.e.now().Sub(s.lastFlush) >= s.e.flushEvery {
		_ = s.flush(context.Background()) // a failure is kept in s.failed, as in ItemDone
	}
}

// setStats takes the runner's stats, with the record counts of what is stored:
// the runner counts records when they are emitted, the store keeps them when
// their item is done.
func (s *sink) setStats(st titan.Stats) {
	kept := s.x.Stats.ErrorsByClass
	s.x.Stats = st
	if st.ErrorsByClass == nil {
		s.x.Stats.ErrorsByClass = kept
	}
	s.x.Stats.ValidRecords, s.x.Stats.InvalidRecords = 0, 0
	for id, n := range s.kept {
		s.x.Stats.ValidRecords += n[0]
		s.x.Stats.InvalidRecords += n[1]
		if step, ok := s.x.Stats.Steps[id]; ok {
			step.ValidRecords, step.InvalidRecords = n[0], n[1]
			s.x.Stats.Steps[id] = step
		}
	}
}

// flush checkpoints the batch, the done items and the execution's state; s.mu
// must be held.
func (s *sink) flush(ctx context.Context) error {
	prev := s.kept
	s.keep(s.batch)
	if err := s.checkpoint(ctx); err != nil {
		s.kept = prev
		s.setStats(s.x.Stats)
		s.failed = fmt.Errorf("engine: execution %s: checkpoint: %w", s.x.ID, err)
		return s.failed
	}
	s.batch, s.done = s.batch[:0], s.done[:0]
	s.lastFlush = s.e.now()
	return nil
}

// keep counts recs as stored, in a new kept map, and updates the stats.
func (s *sink) keep(recs []titan.Record) {
	kept := maps.Clone(s.kept)
	for _, r := range recs {
		n := kept[r.Step]
		if r.Valid() {
			n[0]++
		} else {
			n[1]++
		}
		kept[r.Step] = n
	}
	s.kept = kept
	s.setStats(s.x.Stats)
}

// checkpoint writes the batch, the done items and the execution.
func (s *sink) checkpoint(ctx context.Context) error {
	if s.durable != nil {
		return s.durable.CheckpointDone(context.WithoutCancel(ctx), s.x, s.batch, s.done)
	}
	return s.e.store.Checkpoint(context.WithoutCancel(ctx), s.x, s.batch)
}

// finish moves the execution to its terminal status and writes the last batch with
// it. Records of items that did not finish (cut short by a stop) are kept too: the
// execution is over, nothing will process those items again.
func (s *sink) finish(stats titan.Stats, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, recs := range s.pending {
		s.batch = append(s.batch, recs...)
	}
	clear(s.pending)
	s.setStats(stats)
	if err == nil {
		err = s.failed
	}
	s.keep(s.batch) // before the status is decided from the counts
	status, reason := outcome(s.x.Stats, err)
	if err != nil && status == titan.StatusFailed {
		s.x.AddError(titan.NewExecError(err, "", "", s.e.now()))
	}
	if s.x.Status == titan.StatusPaused && !s.x.Status.CanTransition(status) {
		// Paused as the work ended: it ran to its end all the same.
		_ = s.x.Transition(titan.StatusRunning, "", s.e.now())
	}
	if terr := s.x.Transition(status, reason, s.e.now()); terr != nil {
		s.e.log.Error("execution cannot end", "execution", s.x.ID, "err", terr)
		return
	}
	if cerr := s.checkpoint(context.Background()); cerr != nil {
		s.e.log.Error("final checkpoint failed", "execution", s.x.ID, "err", cerr)
	}
	s.batch, s.done = nil, nil
	s.e.publish(event(EventFinished, s.x))
}

// outcome decides how an execution ends.
func outcome(st titan.Stats, err error) (titan.ExecutionStatus, string) {
	switch {
	case errors.Is(err, ErrStopped):
		return titan.StatusCancelled, "stopped"
	case errors.Is(err, errShutdown):
		return titan.StatusCancelled, "engine closed"
	case errors.Is(err, runner.ErrTimeout):
		return titan.StatusFailed, "timeout: " + err.Error()
	case err != nil:
		return titan.StatusFailed, err.Error()
	case st.Errors > 0 && st.Pages == 0 && st.Records() == 0:
		return titan.StatusFailed, "every input failed: " + describeErrors(st)
	case st.Errors > 0 || st.InvalidRecords > 0:
		var parts []string
		if st.Errors > 0 {
			parts = append(parts, describeErrors(st))
		}
		if st.InvalidRecords > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d records invalid", st.InvalidRecords, st.Records()))
		}
		return titan.StatusCompletedWithErrors, strings.Join(parts, "; ")
	}
	return titan.StatusCompleted, fmt.Sprintf("%d pages, %d records", st.Pages, st.Records())
}

// describeErrors says e.g. "3 errors (http: 2, robots: 1)".
func describeErrors(st titan.Stats) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(st.ErrorsByClass)) {
		parts = append(parts, fmt.Sprintf("%s: %d", c, st.ErrorsByClass[c]))
	}
	noun := "errors"
	if st.Errors == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d %s (%s)", st.Errors, noun, strings.Join(parts, ", "))
}

func isConflict(err error) bool { return errors.Is(err, titan.ErrConflict) }

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

// RunOption adjusts one run.
type RunOption func(*runOptions)

type runOptions struct {
	wait    bool
	trigger titan.Trigger
	secrets titan.Secrets
	limits  *titan.Limits
}

// Wait makes Run return only when the execution has ended, with its final state.
func Wait() RunOption { return func(o *runOptions) { o.wait = true } }

// WithTrigger records what started the run; default titan.TriggerManual.
func WithTrigger(t titan.Trigger) RunOption { return func(o *runOptions) { o.trigger = t } }

// WithSecrets passes the run's secret_payload to its actions. Secrets are never
// stored, logged or exported.
func WithSecrets(s titan.Secrets) RunOption { return func(o *runOptions) { o.secrets = s } }

// WithLimits overrides the task's limits where l sets them, for this run only.
func WithLimits(l titan.Limits) RunOption { return func(o *runOptions) { o.limits = &l } }

// Run starts an execution of the current version of task id and returns it queued,
// or, with Wait, ended. The execution runs until it ends or Stop or Close cancels it;
// ctx bounds only the call (and, with Wait, the waiting), not the execution.
func (e *Engine) Run(ctx context.Context, id string, opts ...RunOption) (*titan.Execution, error) {
	o := runOptions{trigger: titan.TriggerManual}
	for _, opt := range opts {
		opt(&o)
	}
	if err := e.checkOpen(); err != nil {
		return nil, err
	}
	t, err := e.store.GetTask(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status != titan.TaskActive {
		return nil, fmt.Errorf("%w: task %s is %s", ErrTaskNotActive, id, t.Status)
	}
	x := &titan.Execution{
		TaskID:      t.ID,
		TaskVersion: t.Version,
		Status:      titan.StatusQueued,
		Trigger:     o.trigger,
		CreatedAt:   e.now(),
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	if err := e.store.CreateExecution(ctx, x); err != nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("engine: run task %s: %w", id, err)
	}
	runCtx, cancel := context.WithCancelCause(context.Background())
	a := &active{cancel: cancel, done: make(chan struct{})}
	a.sink = &sink{e: e, x: x, lastFlush: e.now()}
	e.running[x.ID] = a
	e.wg.Add(1)
	e.mu.Unlock()

	job := &titan.Job{ExecutionID: x.ID, Task: t, Trigger: o.trigger, Secrets: o.secrets, Limits: o.limits, Gate: &a.gate}
	if inv, ok := e.store.(titan.Inventory); ok {
		job.Inventory = inv
	}
	queued := x.Clone()
	e.publish(event(EventQueued, queued))
	go e.execute(runCtx, a, x, job)
	if !o.wait {
		return queued, nil
	}
	return e.Wait(ctx, x.ID)
}

// Stop cancels a running or queued execution of this engine. It ends cancelled, with
// the results it had so far kept. Stopping an ended execution does nothing.
func (e *Engine) Stop(ctx context.Context, id string) error {
	e.mu.Lock()
	a, ok := e.running[id]
	e.mu.Unlock()
	if ok {
		a.cancel(ErrStopped)
		return nil
	}
	x, err := e.store.GetExecution(ctx, id)
	if err != nil {
		return err
	}
	if !x.Status.Terminal() {
		return fmt.Errorf("engine: execution %s is %s but not run by this engine", id, x.Status)
	}
	return nil
}

// Wait waits until execution id has ended, or ctx is done, and returns it.
func (e *Engine) Wait(ctx context.Context, id string) (*titan.Execution, error) {
	e.mu.Lock()
	a, ok := e.running[id]
	e.mu.Unlock()
	if ok {
		select {
		case <-a.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("engine: wait for execution %s: %w", id, context.Cause(ctx))
		}
	}
	x, err := e.store.GetExecution(ctx, id)
	if err != nil {
		return nil, err
	}
	if !x.Status.Terminal() {
		return x, fmt.Errorf("engine: execution %s is %s and not run by this engine", id, x.Status)
	}
	return x, nil
}

// GetExecution returns execution id; an error wrapping titan.ErrNotFound if none.
func (e *Engine) GetExecution(ctx context.Context, id string) (*titan.Execution, error) {
	return e.store.GetExecution(ctx, id)
}

// ListExecutions returns one page of the executions matching f, newest first.
func (e *Engine) ListExecutions(ctx context.Context, f titan.ExecutionFilter) (titan.Page[*titan.Execution], error) {
	return e.store.ListExecutions(ctx, f)
}

// execute runs one execution to its end on its own goroutine.
func (e *Engine) execute(ctx context.Context, a *active, x *titan.Execution, job *titan.Job) {
	defer e.wg.Done()
	defer func() {
		e.mu.Lock()
		delete(e.running, x.ID)
		e.mu.Unlock()
		close(a.done)
		a.cancel(nil)
	}()
	log := e.log.With("execution", x.ID, "task", x.TaskID)
	s := a.sink

	select {
	case e.slots <- struct{}{}:
		defer func() { <-e.slots }()
	case <-ctx.Done():
		s.finish(titan.Stats{}, context.Cause(ctx))
		return
	}
	s.mu.Lock()
	err := x.Transition(titan.StatusRunning, "", e.now())
	if err == nil {
		err = e.store.Checkpoint(context.WithoutCancel(ctx), x, nil)
	}
	s.mu.Unlock()
	if err != nil {
		log.Error("execution could not start", "err", err)
		s.finish(titan.Stats{}, err)
		return
	}
	log.Info("execution started", "trigger", x.Trigger)
	e.publish(event(EventStarted, x))
	stats, err := e.runner.Execute(ctx, job, s)
	s.finish(stats, err)
	log.Info("execution ended", "status", x.Status, "reason", x.Reason,
		"records", x.Stats.Records(), "errors", x.Stats.Errors)
}

// sink collects an execution's output and checkpoints it in batches. Its mutex
// serialises the workers' calls; a full batch is written while holding it, which
// holds the workers back: the store's speed bounds the memory an execution uses.
type sink struct {
	e         *Engine
	mu        sync.Mutex
	x         *titan.Execution
	batch     []titan.Record
	lastFlush time.Time
	failed    error // a checkpoint failed: the execution cannot keep its output
}

func (s *sink) Record(ctx context.Context, rec titan.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	s.batch = append(s.batch, rec)
	s.e.publish(Event{Kind: EventRecord, ExecutionID: s.x.ID, TaskID: s.x.TaskID, Status: s.x.Status, Record: &rec})
	if len(s.batch) >= s.e.batch || s.e.now().Sub(s.lastFlush) >= s.e.flushEvery {
		return s.flush(ctx)
	}
	return nil
}

func (s *sink) Error(ctx context.Context, err titan.ExecError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.x.AddError(err)
}

func (s *sink) Progress(st titan.Stats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.x.Stats = st
	s.e.publish(event(EventProgress, s.x))
	if s.failed == nil && s.e.now().Sub(s.lastFlush) >= s.e.flushEvery {
		_ = s.flush(context.Background())
	}
}

// flush checkpoints the batch and the execution's state; s.mu must be held.
func (s *sink) flush(ctx context.Context) error {
	if err := s.e.store.Checkpoint(context.WithoutCancel(ctx), s.x, s.batch); err != nil {
		s.failed = fmt.Errorf("engine: execution %s: checkpoint: %w", s.x.ID, err)
		return s.failed
	}
	s.batch = s.batch[:0]
	s.lastFlush = s.e.now()
	return nil
}

// finish moves the execution to its terminal status and writes the last batch with it.
func (s *sink) finish(stats titan.Stats, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.x.Stats.ErrorsByClass
	s.x.Stats = stats
	if stats.ErrorsByClass == nil {
		s.x.Stats.ErrorsByClass = kept
	}
	if err == nil {
		err = s.failed
	}
	status, reason := outcome(stats, err)
	if err != nil && status == titan.StatusFailed {
		s.x.AddError(titan.NewExecError(err, "", "", s.e.now()))
	}
	if terr := s.x.Transition(status, reason, s.e.now()); terr != nil {
		s.e.log.Error("execution cannot end", "execution", s.x.ID, "err", terr)
		return
	}
	if cerr := s.e.store.Checkpoint(context.Background(), s.x, s.batch); cerr != nil {
		s.e.log.Error("final checkpoint failed", "execution", s.x.ID, "err", cerr)
	}
	s.batch = nil
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

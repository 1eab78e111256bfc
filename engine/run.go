package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/titanscrape/titan"
)

// RunOption adjusts one run.
type RunOption func(*runOptions)

type runOptions struct {
	due     time.Time
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
	now := e.now()
	x := &titan.Execution{
		TaskID:      t.ID,
		TaskVersion: t.Version,
		Status:      titan.StatusQueued,
		Trigger:     o.trigger,
		DueAt:       o.due,
		CreatedAt:   now,
		Lease:       &titan.Lease{Owner: e.worker, Until: now.Add(e.leaseTTL)},
	}
	if err := e.store.CreateExecution(ctx, x); err != nil {
		return nil, fmt.Errorf("engine: run task %s: %w", id, err)
	}
	job := &titan.Job{ExecutionID: x.ID, Task: t, Trigger: o.trigger, Secrets: o.secrets, Limits: o.limits}
	queued := x.Clone()
	if err := e.start(x, job, false); err != nil {
		// Closed since the check above: end the execution rather than leave it
		// queued with nobody to run it.
		if aerr := e.abandonAs(context.WithoutCancel(ctx), x, titan.StatusCancelled, "engine closed"); aerr != nil {
			return nil, errors.Join(err, aerr)
		}
		return nil, err
	}
	e.publish(event(EventQueued, queued))
	if !o.wait {
		return queued, nil
	}
	return e.Wait(ctx, x.ID)
}

// start runs execution x of job on its own goroutine. With paused, it starts
// behind a paused gate.
func (e *Engine) start(x *titan.Execution, job *titan.Job, paused bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if _, ok := e.running[x.ID]; ok {
		return fmt.Errorf("engine: execution %s is already running", x.ID)
	}
	runCtx, cancel := context.WithCancelCause(context.Background())
	a := &active{cancel: cancel, done: make(chan struct{})}
	a.sink = newSink(e, x)
	if paused {
		a.gate.Pause()
	}
	job.Gate = &a.gate
	if inv, ok := e.store.(titan.Inventory); ok {
		job.Inventory = inv
	}
	if fs, ok := e.store.(titan.FrontierStore); ok {
		job.Frontier = func(step string) titan.Frontier { return fs.Frontier(x.ID, step) }
		a.sink.durable = fs
	}
	e.running[x.ID] = a
	e.wg.Add(1)
	go e.execute(runCtx, a, x, job)
	return nil
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
	stopRenew := e.renewLease(ctx, x.ID, a)
	defer stopRenew()

	select {
	case e.slots <- struct{}{}:
		defer func() { <-e.slots }()
	case <-ctx.Done():
		s.finish(x.Stats, context.Cause(ctx))
		return
	}
	s.mu.Lock()
	var err error
	if x.Status == titan.StatusQueued {
		err = x.Transition(titan.StatusRunning, "", e.now())
	}
	if err == nil && a.gate.Paused() && x.Status == titan.StatusRunning {
		err = x.Transition(titan.StatusPaused, "paused", e.now())
	}
	if err == nil {
		err = e.store.Checkpoint(context.WithoutCancel(ctx), x, nil)
	}
	started := event(EventStarted, x)
	s.mu.Unlock()
	if err != nil {
		log.Error("execution could not start", "err", err)
		s.finish(x.Stats, err)
		return
	}
	log.Info("execution started", "trigger", x.Trigger, "resumed", job.Resume != nil)
	e.publish(started)
	stats, err := e.runner.Execute(ctx, job, s)
	s.finish(stats, err)
	e.notify(job.Task, x.Clone())
	log.Info("execution ended", "status", x.Status, "reason", x.Reason,
		"records", x.Stats.Records(), "errors", x.Stats.Errors)
}

// errLeaseLost is the cause of an execution whose lease another worker took.
var errLeaseLost = errors.New("engine: lease lost to another worker")

// renewLease keeps the engine's lease on execution id alive until the returned
// function is called. When another worker has taken the lease, the execution
// stops here: it is that worker's now.
func (e *Engine) renewLease(ctx context.Context, id string, a *active) func() {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(e.leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				err := e.store.RenewLease(ctx, id, e.worker, e.leaseTTL)
				switch {
				case err == nil || ctx.Err() != nil:
				case errors.Is(err, titan.ErrConflict):
					e.log.Error("lease lost: stopping the execution", "execution", id, "err", err)
					a.cancel(errLeaseLost)
					return
				default:
					e.log.Warn("lease not renewed", "execution", id, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

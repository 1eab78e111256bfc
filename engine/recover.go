package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/titanscrape/titan"
)

// Recover takes over the executions that were left unfinished: those leased to
// this engine's WorkerID (their process died: a crash, a kill, a power loss), and
// those of any worker whose lease ran out. With a store that keeps frontiers (the
// SQLite store), each resumes where it stopped: the items in progress at the crash
// are queued again, done items are not fetched again, and the records kept stay
// as they are, none lost and none twice. With a store that keeps no frontier, an
// interrupted execution ends failed, with the reason. Executions that were paused
// resume paused. The run's secret_payload is not stored, so a resumed execution
// runs without secrets. Recover returns the IDs of the executions it took over.
//
// Call it once after New, before Run.
func (e *Engine) Recover(ctx context.Context) ([]string, error) {
	if err := e.checkOpen(); err != nil {
		return nil, err
	}
	var taken []*titan.Execution
	for _, status := range []titan.ExecutionStatus{titan.StatusQueued, titan.StatusRunning, titan.StatusPaused} {
		for x, err := range e.executions(ctx, titan.ExecutionFilter{Status: status}) {
			if err != nil {
				return nil, fmt.Errorf("engine: recover: %w", err)
			}
			if x.Lease != nil && x.Lease.Owner == e.worker && !e.isRunning(x.ID) {
				taken = append(taken, x)
			}
		}
	}
	for {
		x, err := e.store.ClaimExecution(ctx, e.worker, e.leaseTTL)
		if errors.Is(err, titan.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("engine: recover: %w", err)
		}
		taken = append(taken, x)
	}
	var ids []string
	seen := make(map[string]bool, len(taken))
	for _, x := range taken {
		if seen[x.ID] { // ours and expired: listed, then claimed again
			continue
		}
		seen[x.ID] = true
		if err := e.resume(ctx, x); err != nil {
			return ids, err
		}
		ids = append(ids, x.ID)
	}
	return ids, nil
}

func (e *Engine) isRunning(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.running[id]
	return ok
}

// resume restarts execution x in this engine.
func (e *Engine) resume(ctx context.Context, x *titan.Execution) error {
	x.Lease = &titan.Lease{Owner: e.worker, Until: e.now().Add(e.leaseTTL)}
	t, err := e.taskVersion(ctx, x.TaskID, x.TaskVersion)
	if err != nil {
		return e.abandon(ctx, x, fmt.Sprintf("interrupted, and its task cannot be read: %v", err))
	}
	job := &titan.Job{ExecutionID: x.ID, Task: t, Trigger: x.Trigger}
	started := !x.StartedAt.IsZero()
	if started {
		fs, ok := e.store.(titan.FrontierStore)
		if !ok {
			return e.abandon(ctx, x, "interrupted; the store keeps no frontier to resume from")
		}
		n, err := fs.ResetInFlight(ctx, x.ID)
		if err != nil {
			return fmt.Errorf("engine: resume execution %s: %w", x.ID, err)
		}
		stats := x.Stats
		job.Resume = &stats
		e.log.Info("resuming execution", "execution", x.ID, "requeued", n, "records", x.Stats.Records())
	}
	return e.start(x, job, x.Status == titan.StatusPaused)
}

// taskVersion reads the version of a task an execution ran, when the store keeps
// versions, else the current task.
func (e *Engine) taskVersion(ctx context.Context, id string, version int) (*titan.Task, error) {
	if vs, ok := e.store.(interface {
		TaskVersion(ctx context.Context, id string, version int) (*titan.Task, error)
	}); ok {
		return vs.TaskVersion(ctx, id, version)
	}
	t, err := e.store.GetTask(ctx, id)
	if err == nil && t.Version != version {
		err = fmt.Errorf("task %s is at version %d, the execution ran version %d", id, t.Version, version)
	}
	return t, err
}

// abandon ends an execution that cannot resume, with the reason.
func (e *Engine) abandon(ctx context.Context, x *titan.Execution, reason string) error {
	return e.abandonAs(ctx, x, titan.StatusFailed, reason)
}

// abandonAs ends an execution that will not run, in status to, with the reason.
func (e *Engine) abandonAs(ctx context.Context, x *titan.Execution, to titan.ExecutionStatus, reason string) error {
	if err := x.Transition(to, reason, e.now()); err != nil {
		return err
	}
	if err := e.store.Checkpoint(ctx, x, nil); err != nil {
		return fmt.Errorf("engine: end execution %s: %w", x.ID, err)
	}
	e.publish(event(EventFinished, x))
	return nil
}

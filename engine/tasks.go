package engine

import (
	"context"
	"fmt"

	"github.com/titanscrape/titan"
)

// CreateTask validates t and stores it as a new task. The returned task carries its
// ID, version 1, status active and timestamps; t itself is not changed.
func (e *Engine) CreateTask(ctx context.Context, t *titan.Task) (*titan.Task, error) {
	if err := e.checkOpen(); err != nil {
		return nil, err
	}
	if err := e.validate(t); err != nil {
		return nil, err
	}
	c := t.Clone()
	c.Status = titan.TaskActive
	if err := e.store.CreateTask(ctx, c); err != nil {
		return nil, fmt.Errorf("engine: create task %q: %w", t.Name, err)
	}
	if err := e.reschedule(ctx, c); err != nil {
		return c, err
	}
	return c, nil
}

// GetTask returns the task with id; an error wrapping titan.ErrNotFound if none.
func (e *Engine) GetTask(ctx context.Context, id string) (*titan.Task, error) {
	return e.store.GetTask(ctx, id)
}

// ListTasks returns one page of the tasks matching f.
func (e *Engine) ListTasks(ctx context.Context, f titan.TaskFilter) (titan.Page[*titan.Task], error) {
	return e.store.ListTasks(ctx, f)
}

// UpdateTask validates t and replaces the stored task with the same ID, provided
// t.Version is the stored version (else an error wrapping titan.ErrConflict). The
// returned task has the next version. Executions keep the version they ran.
func (e *Engine) UpdateTask(ctx context.Context, t *titan.Task) (*titan.Task, error) {
	if err := e.checkOpen(); err != nil {
		return nil, err
	}
	if err := e.validate(t); err != nil {
		return nil, err
	}
	old, err := e.store.GetTask(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	c := t.Clone()
	c.Status, c.CreatedAt = old.Status, old.CreatedAt
	if err := e.store.UpdateTask(ctx, c); err != nil {
		return nil, fmt.Errorf("engine: update task %s: %w", t.ID, err)
	}
	if err := e.reschedule(ctx, c); err != nil {
		return c, err
	}
	return c, nil
}

// PauseTask moves an active task to paused: it keeps its history, and Run refuses it
// until ResumeTask.
func (e *Engine) PauseTask(ctx context.Context, id string) (*titan.Task, error) {
	return e.setStatus(ctx, id, titan.TaskPaused, titan.TaskActive)
}

// ResumeTask moves a paused task back to active.
func (e *Engine) ResumeTask(ctx context.Context, id string) (*titan.Task, error) {
	return e.setStatus(ctx, id, titan.TaskActive, titan.TaskPaused)
}

// DeleteTask marks a task deleted. Its executions and results stay readable; it is
// no longer listed (unless asked for by status) and cannot run.
func (e *Engine) DeleteTask(ctx context.Context, id string) error {
	_, err := e.setStatus(ctx, id, titan.TaskDeleted, titan.TaskActive, titan.TaskPaused, titan.TaskCompleted, titan.TaskFailed)
	return err
}

// setStatus moves task id to status to, provided it is in one of from. It retries
// when a concurrent update wins the race.
func (e *Engine) setStatus(ctx context.Context, id string, to titan.TaskStatus, from ...titan.TaskStatus) (*titan.Task, error) {
	if err := e.checkOpen(); err != nil {
		return nil, err
	}
	for {
		t, err := e.store.GetTask(ctx, id)
		if err != nil {
			return nil, err
		}
		ok := false
		for _, f := range from {
			ok = ok || t.Status == f
		}
		if !ok {
			return nil, fmt.Errorf("engine: task %s is %s, cannot become %s: %w", id, t.Status, to, titan.ErrInvalidTransition)
		}
		t.Status = to
		err = e.store.UpdateTask(ctx, t)
		if err == nil {
			return t, e.reschedule(ctx, t)
		}
		if !isConflict(err) {
			return nil, err
		}
	}
}

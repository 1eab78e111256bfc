package engine

import (
	"context"
	"fmt"

	"github.com/titanscrape/titan"
)

// Pause pauses a running execution of this engine: it takes no new item, the items
// in progress finish, and everything queued stays queued until Resume. Its status
// becomes paused. Stop and Close still end it.
func (e *Engine) Pause(ctx context.Context, id string) error {
	return e.control(ctx, id, titan.StatusPaused, "paused", EventPaused)
}

// Resume resumes a paused execution of this engine.
func (e *Engine) Resume(ctx context.Context, id string) error {
	return e.control(ctx, id, titan.StatusRunning, "", EventResumed)
}

func (e *Engine) control(ctx context.Context, id string, to titan.ExecutionStatus, reason string, kind EventKind) error {
	e.mu.Lock()
	a, ok := e.running[id]
	e.mu.Unlock()
	if !ok {
		x, err := e.store.GetExecution(ctx, id)
		if err != nil {
			return err
		}
		return fmt.Errorf("engine: execution %s is %s, not running in this engine: %w", id, x.Status, titan.ErrInvalidTransition)
	}
	s := a.sink
	s.mu.Lock()
	defer s.mu.Unlock()
	from := titan.StatusRunning
	if to == titan.StatusRunning {
		from = titan.StatusPaused
	}
	if s.x.Status != from {
		return fmt.Errorf("%w: execution %s is %s, not %s", titan.ErrInvalidTransition, id, s.x.Status, from)
	}
	if err := s.x.Transition(to, reason, e.now()); err != nil {
		return err
	}
	if to == titan.StatusPaused {
		a.gate.Pause()
	} else {
		a.gate.Resume()
	}
	s.paused = to == titan.StatusPaused
	if err := s.flush(ctx); err != nil {
		return err
	}
	e.publish(event(kind, s.x))
	return nil
}

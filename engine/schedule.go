package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/scheduler"
)

// withDue records the schedule tick an execution runs for.
func withDue(t time.Time) RunOption { return func(o *runOptions) { o.due = t } }

// newScheduler makes the engine's scheduler: each tick runs the task and waits
// for the execution, so the overlap policy sees runs as long as executions.
func (e *Engine) newScheduler(clock scheduler.Clock) (*scheduler.Scheduler, error) {
	return scheduler.New(scheduler.Config{
		Clock:  clock,
		Logger: e.log,
		Run: func(ctx context.Context, t scheduler.Tick) error {
			x, err := e.Run(ctx, t.EntryID, WithTrigger(titan.TriggerSchedule), withDue(t.Due), Wait())
			if err != nil {
				return err
			}
			if x.Status == titan.StatusFailed {
				return fmt.Errorf("execution %s failed: %s", x.ID, x.Reason)
			}
			return nil
		},
		OnEvent: func(ev scheduler.Event) {
			if ev.Kind == scheduler.EventSkipped {
				e.publish(Event{Kind: EventSkipped, TaskID: ev.Tick.EntryID, Reason: fmt.Sprintf("%d tick(s) from %s skipped: %s",
					ev.Count, ev.From.UTC().Format(time.RFC3339), ev.Reason), At: e.now()})
			}
		},
	})
}

// Start starts the engine's background work: it takes over interrupted executions
// (see Recover) and starts the scheduler with every active scheduled task. A
// task's missed ticks follow its catch-up policy, counted from the due time of
// its latest scheduled execution. Close stops it.
func (e *Engine) Start(ctx context.Context) error {
	if err := e.checkOpen(); err != nil {
		return err
	}
	if _, err := e.Recover(ctx); err != nil {
		return err
	}
	for t, err := range e.tasks(ctx, titan.TaskFilter{ExecutionType: titan.ExecutionScheduled}) {
		if err != nil {
			return fmt.Errorf("engine: start: %w", err)
		}
		if t.Status == titan.TaskActive || t.Status == titan.TaskPaused {
			if err := e.schedule(ctx, t); err != nil {
				return err
			}
		}
	}
	if err := e.sched.Start(e.base); err != nil {
		return fmt.Errorf("engine: start: %w", err)
	}
	e.mu.Lock()
	e.scheduling = true
	e.mu.Unlock()
	return nil
}

// reschedule brings the scheduler up to date with task t, once Start has run.
func (e *Engine) reschedule(ctx context.Context, t *titan.Task) error {
	e.mu.Lock()
	on := e.scheduling
	e.mu.Unlock()
	if !on {
		return nil
	}
	return e.schedule(ctx, t)
}

// entryOf returns the scheduler entry of task t.
func (e *Engine) entryOf(ctx context.Context, t *titan.Task) (scheduler.Entry, error) {
	en := scheduler.Entry{ID: t.ID, Spec: t.Schedule, Paused: t.Status == titan.TaskPaused}
	if o := t.ScheduleOptions; o != nil {
		en.TimeZone = o.TimeZone
		en.Jitter = time.Duration(o.JitterSeconds) * time.Second
		en.Overlap = scheduler.OverlapPolicy(o.Overlap)
		en.CatchUp = scheduler.CatchUpPolicy(o.CatchUp)
		en.CatchUpMax = o.CatchUpMax
		en.Start, en.End = o.StartAt, o.EndAt
	}
	last, err := e.lastDue(ctx, t.ID)
	if err != nil {
		return en, err
	}
	en.Last = last
	return en, nil
}

// lastDue returns the due time of the task's latest scheduled execution.
func (e *Engine) lastDue(ctx context.Context, taskID string) (time.Time, error) {
	for x, err := range e.executions(ctx, titan.ExecutionFilter{TaskID: taskID}) {
		if err != nil {
			return time.Time{}, fmt.Errorf("engine: last scheduled run of task %s: %w", taskID, err)
		}
		if x.Trigger == titan.TriggerSchedule && !x.DueAt.IsZero() {
			return x.DueAt, nil
		}
	}
	return time.Time{}, nil
}

// schedule adds or updates the scheduler entry of task t, or removes it when t is
// no longer scheduled.
func (e *Engine) schedule(ctx context.Context, t *titan.Task) error {
	if t.ExecutionType != titan.ExecutionScheduled || t.Status == titan.TaskDeleted {
		if err := e.sched.Remove(t.ID); err != nil && !errors.Is(err, scheduler.ErrNotFound) {
			return err
		}
		return nil
	}
	en, err := e.entryOf(ctx, t)
	if err != nil {
		return err
	}
	err = e.sched.Update(en)
	if errors.Is(err, scheduler.ErrNotFound) {
		err = e.sched.Add(en)
	}
	if err != nil {
		return fmt.Errorf("engine: schedule task %s: %w", t.ID, err)
	}
	return nil
}

// Schedules returns the state of every scheduled task: its schedule entry, next
// due time, and runs in progress or waiting.
func (e *Engine) Schedules() []scheduler.EntryInfo { return e.sched.Entries() }

// NextRun returns when scheduled task id next runs, if it is scheduled.
func (e *Engine) NextRun(id string) (time.Time, bool) { return e.sched.Next(id) }

package titan

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// ExecutionStatus is the state of one run.
type ExecutionStatus string

// The seven execution statuses. The last four are terminal.
const (
	StatusQueued              ExecutionStatus = "queued"
	StatusRunning             ExecutionStatus = "running"
	StatusPaused              ExecutionStatus = "paused"
	StatusCompleted           ExecutionStatus = "completed"
	StatusCompletedWithErrors ExecutionStatus = "completed_with_errors"
	StatusFailed              ExecutionStatus = "failed"
	StatusCancelled           ExecutionStatus = "cancelled"
)

// transitions lists the statuses each status may move to.
var transitions = map[ExecutionStatus][]ExecutionStatus{
	StatusQueued:  {StatusRunning, StatusCancelled, StatusFailed},
	StatusRunning: {StatusPaused, StatusCompleted, StatusCompletedWithErrors, StatusFailed, StatusCancelled},
	StatusPaused:  {StatusRunning, StatusCancelled, StatusFailed},
}

// Terminal reports whether no transition leaves s.
func (s ExecutionStatus) Terminal() bool {
	switch s {
	case StatusCompleted, StatusCompletedWithErrors, StatusFailed, StatusCancelled:
		return true
	}
	return false
}

// CanTransition reports whether an execution in status s may move to status to.
func (s ExecutionStatus) CanTransition(to ExecutionStatus) bool {
	return slices.Contains(transitions[s], to)
}

// Trigger says what started an execution.
type Trigger string

// The triggers of an execution.
const (
	TriggerManual   Trigger = "manual"
	TriggerSchedule Trigger = "schedule"
	TriggerPreview  Trigger = "preview"
)

// MaxKeptErrors is how many errors an Execution keeps in detail. Every error is
// counted in Stats whatever the number; ErrorsOmitted says how many were not kept.
const MaxKeptErrors = 100

// Execution is one run of one version of a task.
type Execution struct {
	ID          string          `json:"id"`
	TaskID      string          `json:"task_id"`
	TaskVersion int             `json:"task_version"`
	Status      ExecutionStatus `json:"status"`
	Trigger     Trigger         `json:"trigger"`
	// DueAt is the schedule tick a scheduled execution runs for.
	DueAt time.Time `json:"due_at,omitzero"`
	// Reason says why the execution is in its status: why it failed, was cancelled,
	// paused or completed with errors. Every terminal execution has one.
	Reason string `json:"reason,omitempty"`
	Stats  Stats  `json:"stats"`
	// Errors holds the first MaxKeptErrors errors, in the order they happened.
	Errors        []ExecError `json:"errors,omitempty"`
	ErrorsOmitted int64       `json:"errors_omitted,omitempty"`
	// Lease is held by the worker running the execution, so that a durable store can
	// hand an execution whose worker died to another.
	Lease      *Lease    `json:"lease,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
}

// Lease marks an execution as claimed by a worker until a time.
type Lease struct {
	Owner string    `json:"owner"`
	Until time.Time `json:"until"`
}

// Transition moves the execution to status to, recording the reason and stamping
// StartedAt or FinishedAt with at. It returns an error wrapping ErrInvalidTransition
// when the state machine forbids the move, and an error when a terminal status comes
// without a reason.
func (e *Execution) Transition(to ExecutionStatus, reason string, at time.Time) error {
	if !e.Status.CanTransition(to) {
		return fmt.Errorf("%w: execution %s: %s → %s", ErrInvalidTransition, e.ID, e.Status, to)
	}
	if to.Terminal() && reason == "" {
		return fmt.Errorf("titan: execution %s: terminal status %s needs a reason", e.ID, to)
	}
	e.Status = to
	e.Reason = reason
	switch {
	case to == StatusRunning && e.StartedAt.IsZero():
		e.StartedAt = at
	case to.Terminal():
		e.FinishedAt = at
		e.Lease = nil
	}
	return nil
}

// AddError records err in the execution's stats and, within MaxKeptErrors, in detail.
func (e *Execution) AddError(err ExecError) {
	e.Stats.countError(err.Class)
	if len(e.Errors) < MaxKeptErrors {
		e.Errors = append(e.Errors, err)
	} else {
		e.ErrorsOmitted++
	}
}

// Duration is how long the execution ran, or has run so far as of now.
func (e *Execution) Duration(now time.Time) time.Duration {
	switch {
	case e.StartedAt.IsZero():
		return 0
	case e.FinishedAt.IsZero():
		return now.Sub(e.StartedAt)
	}
	return e.FinishedAt.Sub(e.StartedAt)
}

// Clone returns a deep copy of the execution.
func (e *Execution) Clone() *Execution {
	if e == nil {
		return nil
	}
	c := *e
	c.Errors = slices.Clone(e.Errors)
	c.Stats.ErrorsByClass = maps.Clone(e.Stats.ErrorsByClass)
	c.Stats.Skipped = maps.Clone(e.Stats.Skipped)
	c.Stats.Steps = maps.Clone(e.Stats.Steps)
	if e.Lease != nil {
		l := *e.Lease
		c.Lease = &l
	}
	return &c
}

// Stats counts the work of an execution.
type Stats struct {
	// Requests counts HTTP requests, retries included.
	Requests int64 `json:"requests"`
	// Bytes counts response body bytes after decompression.
	Bytes int64 `json:"bytes"`
	// Pages counts pages fetched and processed successfully.
	Pages int64 `json:"pages"`
	// Accepted counts the page items accepted for processing: inputs and the
	// URLs a crawl found, after deduplication and filtering (what max_pages caps).
	Accepted int64 `json:"accepted,omitempty"`
	// Retries counts requests that were retries of an earlier attempt.
	Retries int64 `json:"retries"`
	// ValidRecords and InvalidRecords count records by schema validity.
	ValidRecords   int64 `json:"valid_records"`
	InvalidRecords int64 `json:"invalid_records"`
	// Skipped counts items left out, by reason: "duplicate", "max_pages",
	// "max_depth", and the actions' own (a crawl's "out_of_scope", ...).
	Skipped map[string]int64 `json:"skipped,omitempty"`
	// Steps holds each plan step's own stats, by step ID, when the task has a
	// plan of more than one step.
	Steps map[string]Stats `json:"steps,omitempty"`
	// Errors counts item errors; ErrorsByClass splits them by class.
	Errors        int64                `json:"errors"`
	ErrorsByClass map[ErrorClass]int64 `json:"errors_by_class,omitempty"`
}

func (s *Stats) countError(c ErrorClass) {
	s.Errors++
	if s.ErrorsByClass == nil {
		s.ErrorsByClass = make(map[ErrorClass]int64)
	}
	s.ErrorsByClass[c]++
}

// Records is the number of records, valid or not.
func (s Stats) Records() int64 { return s.ValidRecords + s.InvalidRecords }

package titan

import (
	"context"
	"time"
)

// A Store keeps tasks, executions and results. Package store/memory is the default;
// durable stores (SQLite, Postgres) implement the same contract and pass the same
// conformance suite (package store/storetest).
//
// Stores hand out copies: mutating a returned value never changes the store.
// Lookups of missing IDs return an error wrapping ErrNotFound.
type Store interface {
	// CreateTask assigns t an ID (when empty), version 1, status active (when
	// empty) and timestamps, then stores it.
	CreateTask(ctx context.Context, t *Task) error
	// GetTask returns the task with id, deleted or not.
	GetTask(ctx context.Context, id string) (*Task, error)
	// ListTasks returns tasks matching f in creation order. Deleted tasks are listed
	// only when f.Status asks for them.
	ListTasks(ctx context.Context, f TaskFilter) (Page[*Task], error)
	// UpdateTask replaces a task whose stored version is t.Version, bumping Version
	// and UpdatedAt; a different stored version is ErrConflict.
	UpdateTask(ctx context.Context, t *Task) error

	// CreateExecution assigns e an ID (when empty) and stores it.
	CreateExecution(ctx context.Context, e *Execution) error
	// GetExecution returns the execution with id.
	GetExecution(ctx context.Context, id string) (*Execution, error)
	// ListExecutions returns executions matching f, newest first.
	ListExecutions(ctx context.Context, f ExecutionFilter) (Page[*Execution], error)
	// Checkpoint atomically appends recs (numbering them from the execution's last
	// Seq) and saves e's status, stats, errors and lease. Records of a checkpoint are
	// all kept or none is. A terminal execution cannot be changed: ErrConflict.
	Checkpoint(ctx context.Context, e *Execution, recs []Record) error
	// Records returns up to limit records of an execution with Seq > after, in Seq order.
	Records(ctx context.Context, executionID string, after int64, limit int) ([]Record, error)

	// ClaimExecution leases the oldest queued execution without a lease, or a
	// non-terminal one whose lease ran out (its worker died), to owner until
	// now+ttl. It changes the lease only, not the status. ErrNotFound when none
	// waits.
	ClaimExecution(ctx context.Context, owner string, ttl time.Duration) (*Execution, error)
	// RenewLease extends owner's lease of an execution; ErrConflict when owner no
	// longer holds it.
	RenewLease(ctx context.Context, executionID, owner string, ttl time.Duration) error

	// Close releases the store's resources.
	Close() error
}

// TaskFilter selects tasks. Zero fields match everything.
type TaskFilter struct {
	// Name matches tasks whose name contains it, case-insensitively.
	Name string
	// Labels match tasks that carry every one of these key/value pairs.
	Labels        map[string]string
	Status        TaskStatus
	ExecutionType ExecutionType
	PageOptions
}

// ExecutionFilter selects executions. Zero fields match everything.
type ExecutionFilter struct {
	TaskID string
	Status ExecutionStatus
	PageOptions
}

// PageOptions asks for one page of a listing.
type PageOptions struct {
	// PageSize defaults to 50 and is capped at 1000.
	PageSize int
	// PageToken is the NextPageToken of the previous page; empty for the first.
	PageToken string
}

// Page is one page of a listing.
type Page[T any] struct {
	Items []T
	// NextPageToken is empty on the last page.
	NextPageToken string
}

// Size returns the page size to use: PageSize, defaulted and capped.
func (o PageOptions) Size() int {
	switch {
	case o.PageSize <= 0:
		return 50
	case o.PageSize > 1000:
		return 1000
	}
	return o.PageSize
}

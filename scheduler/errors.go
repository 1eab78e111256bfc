package scheduler

import (
	"errors"
	"fmt"
)

// Sentinel errors for static conditions. Match them with errors.Is.
var (
	// ErrNotFound reports an entry ID that the scheduler does not hold.
	ErrNotFound = errors.New("scheduler: entry not found")
	// ErrDuplicateID reports an Add whose entry ID is already taken.
	ErrDuplicateID = errors.New("scheduler: duplicate entry id")
	// ErrAlreadyStarted reports a second call to Start.
	ErrAlreadyStarted = errors.New("scheduler: already started")
	// ErrStopped reports a call on a scheduler that is stopping or stopped. It is
	// also the cause of the context given to Run calls that Stop cancels.
	ErrStopped = errors.New("scheduler: stopped")
)

// SpecError reports a cron spec, or the time zone it is evaluated in, that cannot
// be used. Err says why.
type SpecError struct {
	// Spec is the spec as given.
	Spec string
	// TimeZone is the time zone given beside the spec ("" for none).
	TimeZone string
	// Err is the cause.
	Err error
}

// Error implements the error interface.
func (e *SpecError) Error() string {
	if e.TimeZone != "" {
		return fmt.Sprintf("cron spec %q in time zone %q: %v", e.Spec, e.TimeZone, e.Err)
	}
	return fmt.Sprintf("cron spec %q: %v", e.Spec, e.Err)
}

// Unwrap returns the cause.
func (e *SpecError) Unwrap() error { return e.Err }

// EntryError reports an Entry that Add or Update rejects. Field names the entry
// field at fault, in the snake_case of its JSON form ("id", "spec", "time_zone",
// "start", "end", "jitter", "overlap", "catch_up", "catch_up_max"); for "spec" and
// "time_zone", Err is a *SpecError.
type EntryError struct {
	// ID is the entry's ID.
	ID string
	// Field is the entry field at fault.
	Field string
	// Err is the cause.
	Err error
}

// Error implements the error interface.
func (e *EntryError) Error() string {
	return fmt.Sprintf("scheduler: entry %q: %v", e.ID, e.Err)
}

// Unwrap returns the cause.
func (e *EntryError) Unwrap() error { return e.Err }

// PanicError is the error of a Run call that panicked. The scheduler recovers the
// panic and reports it in the run's EventFinished.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the goroutine's stack at the time of the panic.
	Stack []byte
}

// Error implements the error interface.
func (e *PanicError) Error() string {
	return fmt.Sprintf("scheduler: run panicked: %v", e.Value)
}

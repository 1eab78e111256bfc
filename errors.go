package titan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors for static conditions. Match them with errors.Is.
var (
	// ErrNotFound reports that a task or execution does not exist in the store.
	ErrNotFound = errors.New("titan: not found")
	// ErrInvalidPageToken reports a PageToken that is not the NextPageToken of an
	// earlier page of the same listing.
	ErrInvalidPageToken = errors.New("titan: invalid page token")
	// ErrConflict reports a write that lost a race, e.g. an update against a stale version.
	ErrConflict = errors.New("titan: conflict")
	// ErrRobotsDisallowed reports a URL that robots.txt forbids for the configured user agent.
	ErrRobotsDisallowed = errors.New("titan: disallowed by robots.txt")
	// ErrInvalidTransition reports an execution status change that the state machine forbids.
	ErrInvalidTransition = errors.New("titan: invalid status transition")
	// ErrNoMatch reports a page on which the output schema's root x-selector matches
	// nothing, so the page yields no record.
	ErrNoMatch = errors.New("titan: no element matches the output schema's root selector")
	// ErrUnknownAction reports an action type that no registered Action implements.
	ErrUnknownAction = errors.New("titan: unknown action type")
)

// HTTPError is a response whose status code is not a success. Body holds at most
// the first 512 bytes of the response body, for diagnosis.
type HTTPError struct {
	URL        string
	StatusCode int
	Body       string
}

// Error implements the error interface.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("titan: %s: HTTP %d", e.URL, e.StatusCode)
}

// BodyTooLargeError reports a response body larger than the configured cap, measured
// after content decoding (gzip, deflate, br). The body is never truncated silently:
// the fetch fails with this error instead.
type BodyTooLargeError struct {
	URL   string
	Limit int64
}

// Error implements the error interface.
func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("titan: %s: body exceeds the %d-byte limit", e.URL, e.Limit)
}

// ValidationError lists every problem found while validating a value, each with its
// field path. Use errors.As to reach it; its Problems are ordered by discovery.
type ValidationError struct {
	// What names the validated value, e.g. `task "prices"`.
	What     string
	Problems []FieldError
}

// Error implements the error interface.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("titan: invalid ")
	b.WriteString(e.What)
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// ErrorClass groups execution errors for stats and retry decisions.
type ErrorClass string

// The error classes.
const (
	ClassHTTP         ErrorClass = "http"           // a non-2xx response
	ClassNetwork      ErrorClass = "network"        // connection refused, reset, DNS
	ClassTimeout      ErrorClass = "timeout"        // a deadline passed
	ClassRobots       ErrorClass = "robots"         // robots.txt forbids the URL
	ClassBodyTooLarge ErrorClass = "body_too_large" // the body exceeds the cap
	ClassInput        ErrorClass = "input"          // a bad input item, e.g. an invalid URL
	ClassParse        ErrorClass = "parse"          // content that cannot be parsed
	ClassPanic        ErrorClass = "panic"          // an action panicked
	ClassCancelled    ErrorClass = "cancelled"      // the execution was cancelled
	ClassAction       ErrorClass = "action"         // any other error from an action
)

// ClassOf returns the class of err.
func ClassOf(err error) ErrorClass {
	var (
		he  *HTTPError
		be  *BodyTooLargeError
		pe  *PanicError
		ie  *InputError
		ne  net.Error
		ope *net.OpError
	)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return ClassCancelled
	case errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout
	case errors.Is(err, ErrRobotsDisallowed):
		return ClassRobots
	case errors.As(err, &he):
		return ClassHTTP
	case errors.As(err, &be):
		return ClassBodyTooLarge
	case errors.As(err, &pe):
		return ClassPanic
	case errors.As(err, &ie):
		return ClassInput
	case errors.Is(err, ErrNoMatch):
		return ClassParse
	case errors.As(err, &ne) && ne.Timeout():
		return ClassTimeout
	case errors.As(err, &ope), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED):
		return ClassNetwork
	}
	return ClassAction
}

// PanicError is a panic recovered from an action, with the stack where it happened.
type PanicError struct {
	Value any
	Stack string
}

// Error implements the error interface.
func (e *PanicError) Error() string { return fmt.Sprintf("titan: action panicked: %v", e.Value) }

// InputError reports an input item an action cannot use, e.g. a URL that does not parse.
type InputError struct {
	Input   string
	Problem string
}

// Error implements the error interface.
func (e *InputError) Error() string { return fmt.Sprintf("titan: input %q: %s", e.Input, e.Problem) }

// ExecError is one error of an execution: one item that failed, or the reason the
// whole execution failed.
type ExecError struct {
	Class   ErrorClass `json:"class"`
	Message string     `json:"message"`
	URL     string     `json:"url,omitempty"`
	Step    string     `json:"step,omitempty"`
	Attempt int        `json:"attempt,omitempty"`
	At      time.Time  `json:"at"`
}

// NewExecError describes err as an ExecError of the given step and URL. Attempt
// comes from a *FetchError in err's chain, if any.
func NewExecError(err error, step, url string, at time.Time) ExecError {
	e := ExecError{Class: ClassOf(err), Message: err.Error(), URL: url, Step: step, At: at}
	var fe *FetchError
	if errors.As(err, &fe) {
		e.Attempt = fe.Attempt
	}
	return e
}

// FetchError is a failed fetch: the URL, which attempt failed out of how many were
// allowed, and why. Err is often an *HTTPError or a network error.
type FetchError struct {
	URL         string
	Attempt     int
	MaxAttempts int
	Err         error
}

// Error implements the error interface.
func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s: attempt %d/%d: %v", e.URL, e.Attempt, e.MaxAttempts, e.Err)
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

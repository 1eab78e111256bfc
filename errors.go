package titan

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors for static conditions. Match them with errors.Is.
var (
	// ErrNotFound reports that a task or execution does not exist in the store.
	ErrNotFound = errors.New("titan: not found")
	// ErrConflict reports a write that lost a race, e.g. an update against a stale version.
	ErrConflict = errors.New("titan: conflict")
	// ErrRobotsDisallowed reports a URL that robots.txt forbids for the configured user agent.
	ErrRobotsDisallowed = errors.New("titan: disallowed by robots.txt")
	// ErrInvalidTransition reports an execution status change that the state machine forbids.
	ErrInvalidTransition = errors.New("titan: invalid status transition")
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

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("titan: %s: body exceeds the %d-byte limit", e.URL, e.Limit)
}

// FieldError is one problem found while validating a task, a schema or a record.
// Field is a path such as "execution_plan.steps[2].output_schema.properties.price";
// it is empty for a problem with the whole value.
type FieldError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// ValidationError lists every problem found while validating a value, each with its
// field path. Use errors.As to reach it; its Problems are ordered by discovery.
type ValidationError struct {
	// What names the validated value, e.g. `task "prices"`.
	What     string
	Problems []FieldError
}

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

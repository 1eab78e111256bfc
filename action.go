package titan

import (
	"context"
	"log/slog"

	"github.com/titanscrape/titan/schema"
)

// An Action does one kind of work on one input item: fetch and extract a page, call
// an API, run a search. The Runner calls Run once per item, from a bounded pool of
// workers, so an Action must be safe for concurrent use. Built-in actions live in
// package actions; users register their own with the Runner under a new ActionType.
//
// Run reports results through out. An error returned by Run fails that item only:
// it is counted and recorded with the item's URL, and the other items go on. A panic
// in Run is recovered and reported as a *PanicError.
type Action interface {
	Run(ctx context.Context, in *Input, out Emitter) error
}

// ActionFunc adapts an ordinary function to the Action interface.
type ActionFunc func(ctx context.Context, in *Input, out Emitter) error

// Run calls f(ctx, in, out).
func (f ActionFunc) Run(ctx context.Context, in *Input, out Emitter) error { return f(ctx, in, out) }

// Input is what an action works on: one item, with the task and step it belongs to
// and the means to fetch. Actions must treat it as read-only.
type Input struct {
	Task *Task
	Step *Step
	Item Item
	// Limits are the step's effective limits: the step's own, the run's overrides
	// and the action's defaults (see LimitDefaulter).
	Limits Limits
	// Schema is the step's compiled output schema, or nil when it has none.
	Schema *schema.Schema
	// Fetcher performs HTTP requests with the execution's politeness, retries, robots
	// rules, body cap and cookie jar.
	Fetcher Fetcher
	// Secrets holds the run's secret_payload: used for this run, never stored or logged.
	Secrets Secrets
	Logger  *slog.Logger
}

// Item is one input of an action: a URL, a record from an upstream step, or both.
type Item struct {
	URL string `json:"url,omitempty"`
	// Data is the upstream record, for steps fed by previous_step.
	Data map[string]any `json:"data,omitempty"`
	// Depth is the distance from the seed URLs, for crawls.
	Depth int `json:"depth,omitempty"`
	// Parent is the ID of the upstream record this item came from, if any; records
	// emitted for the item inherit it.
	Parent string `json:"parent,omitempty"`
	// Kind tells an action's own kinds of item apart, e.g. "sitemap" for a crawl's
	// sitemap documents; empty for pages. Only pages count towards max_pages.
	Kind string `json:"kind,omitempty"`
}

// Emitter receives what an action produces. Its methods are safe for concurrent use
// and block when the execution's buffers are full, so a fast action cannot outrun the
// store; they return an error once ctx is done or the execution is stopping, and the
// action should then return.
type Emitter interface {
	// Emit sends one record. The runner fills ExecutionID, Step and Seq, defaults URL
	// to the input's URL and, when the step has an output schema and rec.Errors is
	// empty, validates rec.Data against it. Records that already carry Errors (from
	// schema extraction) are kept as they are.
	Emit(ctx context.Context, rec Record) error
	// Fetched counts one page fetched and processed, for the execution's stats.
	Fetched()
	// Follow offers another item to the step, typically a link a crawl found. The
	// runner accepts it unless an item with the same Kind and URL was offered
	// before (the check and the mark are one atomic step, so no URL is processed
	// twice under concurrency), its depth exceeds limits.max_depth, or accepting
	// it would exceed limits.max_pages; refusals are counted in Stats.Skipped by
	// reason. Accepted items are processed by the same action, in the order they
	// were accepted (breadth first).
	Follow(ctx context.Context, it Item) (accepted bool, err error)
	// Claim marks an item as seen without queueing it, e.g. the final URL of a
	// redirect, so no later Follow fetches it again. It reports false when the item
	// was seen before.
	Claim(ctx context.Context, it Item) (bool, error)
	// Skip counts n items the action left out, by reason (e.g. "out_of_scope",
	// "nofollow"), in Stats.Skipped: nothing is dropped without a trace.
	Skip(reason string, n int)
}

// A Preparer is an Action that compiles its step's params once per execution. The
// runner calls Prepare before the first item and runs the returned Action on every
// item of the step.
type Preparer interface {
	Prepare(t *Task, s *Step) (Action, error)
}

// An InputlessAction needs no input URL: a step of it that reads static_urls from a
// task without URLs runs once, on an empty item (a search, an API call with its
// URL in params).
type InputlessAction interface {
	NeedsNoInput() bool
}

// A LimitDefaulter is an Action with default limits, e.g. a crawl's max_pages 25 and
// max_depth 1. The runner fills the step's unset limits from them.
type LimitDefaulter interface {
	DefaultLimits() Limits
}

// Secrets is a run's secret_payload. It logs as [redacted] and never marshals its
// values, so it cannot leak into stores, logs or exports.
type Secrets map[string]string

// LogValue implements slog.LogValuer.
func (Secrets) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON writes the keys only, never the values.
func (s Secrets) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

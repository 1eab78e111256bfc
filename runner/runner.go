// Package runner is titan's default Runner: it executes tasks over real HTTP on a
// bounded pool of workers, with per-host rate limits and concurrency, retries,
// robots.txt, body caps and charset decoding, and dispatches each input item to the
// registered Action.
package runner

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/internal/fetch"
)

// Config configures a Runner. Zero fields take the documented defaults.
type Config struct {
	// Concurrency is how many items one execution processes at once; default 8.
	// A task's limits.concurrency overrides it for that task.
	Concurrency int
	// Actions registers custom actions by type, next to the built-ins. A custom
	// action may replace a built-in by using its type.
	Actions map[titan.ActionType]titan.Action

	// HTTPClient is the client requests go through; default: a client with a tuned
	// transport. Its cookie jar is ignored: each execution gets its own.
	HTTPClient *http.Client
	// UserAgent is sent with every request and matched against robots.txt; default
	// "titan/0.1 (+https://github.com/titanscrape/titan)".
	UserAgent string
	// RatePerHost is the requests per second allowed to one host; default 4,
	// negative for no limit. Burst is the token bucket's size; default 1.
	RatePerHost float64
	Burst       int
	// MaxConnsPerHost caps the requests in flight to one host; default 4.
	MaxConnsPerHost int
	// MaxAttempts caps the attempts of one request, the first included; default 4.
	MaxAttempts int
	// MaxBodyBytes caps a decompressed response body; default 10 MiB, -1 for none.
	// A larger body fails its item with *titan.BodyTooLargeError.
	MaxBodyBytes int64
	// Timeout bounds one request attempt; default 30s.
	Timeout time.Duration
	// IgnoreRobots disables robots.txt, which is obeyed by default.
	IgnoreRobots bool

	// Logger receives the runner's logs; default: discarded.
	Logger *slog.Logger
}

// Runner is the default titan.Runner. Configure it once with New; it is then safe for
// concurrent use by many executions, which share its per-host politeness.
type Runner struct {
	concurrency int
	actions     map[titan.ActionType]titan.Action
	fetch       *fetch.Client
	log         *slog.Logger
}

var _ titan.Runner = (*Runner)(nil)

// New returns a Runner with the built-in actions and cfg.Actions registered.
func New(cfg Config) (*Runner, error) {
	if cfg.Concurrency < 0 {
		return nil, fmt.Errorf("runner: Concurrency must not be negative, got %d", cfg.Concurrency)
	}
	log := cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	fc, err := fetch.New(fetch.Config{
		Client:          cfg.HTTPClient,
		UserAgent:       cfg.UserAgent,
		RatePerHost:     cfg.RatePerHost,
		Burst:           cfg.Burst,
		MaxConnsPerHost: cfg.MaxConnsPerHost,
		MaxAttempts:     cfg.MaxAttempts,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		Timeout:         cfg.Timeout,
		IgnoreRobots:    cfg.IgnoreRobots,
		Logger:          log,
	})
	if err != nil {
		return nil, fmt.Errorf("runner: %w", err)
	}
	reg := actions.Builtins()
	for t, a := range cfg.Actions {
		if t == "" || a == nil {
			return nil, fmt.Errorf("runner: Actions: action type %q has no action", t)
		}
		reg[t] = a
	}
	return &Runner{
		concurrency: cmp.Or(cfg.Concurrency, 8),
		actions:     reg,
		fetch:       fc,
		log:         log,
	}, nil
}

// Knows reports whether an action is registered for t.
func (r *Runner) Knows(t titan.ActionType) bool {
	_, ok := r.actions[t]
	return ok
}

// ActionTypes lists the registered action types, sorted.
func (r *Runner) ActionTypes() []titan.ActionType {
	return slices.Sorted(maps.Keys(r.actions))
}

// Validate checks t against the registered actions, including each action's own
// checks of its params, limits and payload.
func (r *Runner) Validate(t *titan.Task) error {
	err := t.ValidateWith(r.Knows)
	var problems []titan.FieldError
	var ve *titan.ValidationError
	if errors.As(err, &ve) {
		problems = ve.Problems
	} else if err != nil {
		return err
	}
	for i, s := range t.Steps() {
		sv, ok := r.actions[s.ActionType].(titan.StepValidator)
		if !ok {
			continue
		}
		prefix := ""
		if t.ExecutionPlan != nil {
			prefix = fmt.Sprintf("execution_plan.steps[%d].", i)
		}
		for _, p := range sv.ValidateStep(&s) {
			p.Field = prefix + p.Field
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &titan.ValidationError{What: fmt.Sprintf("task %q", t.Name), Problems: problems}
}

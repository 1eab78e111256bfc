package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/internal/fetch"
	"github.com/titanscrape/titan/schema"
)

// progressEvery is the least time between two progress snapshots sent to the sink.
const progressEvery = 250 * time.Millisecond

// ErrTimeout is the cancellation cause of an execution that ran past its
// limits.max_duration_seconds.
var ErrTimeout = errors.New("runner: execution ran past its max_duration_seconds")

// Reasons for items left out, as counted in titan.Stats.Skipped.
const (
	SkipDuplicate = "duplicate"
	SkipMaxPages  = "max_pages"
	SkipMaxDepth  = "max_depth"
	SkipMaxItems  = "max_items"
)

// A Keyer is an Action that says which items are the same, e.g. a crawl that
// normalises URLs. Without one, the key is the item's Kind and URL, and items
// without a URL are never the same.
type Keyer interface {
	Key(it titan.Item) string
}

// Execute runs job: it validates the task, runs each step's action on its own pool
// of at most Concurrency workers, and sends records, item errors and progress to
// sink. Items the action follows (a crawl's links) join the step's frontier; records
// of a step feed the steps that read it (previous_step), as they are emitted, so a
// downstream step starts before its upstream ends. Execute returns when every step
// has no item waiting and none in progress, or when ctx is done.
func (r *Runner) Execute(ctx context.Context, job *titan.Job, sink titan.Sink) (titan.Stats, error) {
	if err := r.Validate(job.Task); err != nil {
		return titan.Stats{}, err
	}
	x := &execution{job: job, session: r.fetch.Session(), sink: sink, r: r}
	plan := job.Task.Steps()
	x.steps = make([]*stepRun, len(plan))
	byID := make(map[string]*stepRun, len(plan))
	maxDuration := 0
	for i := range plan {
		s, err := r.newStep(x, &plan[i])
		if err != nil {
			return titan.Stats{}, err
		}
		x.steps[i], byID[s.step.ID] = s, s
		maxDuration = max(maxDuration, s.limits.MaxDurationSeconds)
	}
	if job.Task.ExecutionPlan != nil {
		for i, s := range x.steps {
			for _, id := range job.Task.ExecutionPlan.Inputs(i) {
				up := byID[id]
				up.downstream = append(up.downstream, s)
				s.upstreamLeft++
			}
		}
	}
	if maxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, time.Duration(maxDuration)*time.Second, ErrTimeout)
		defer cancel()
	}
	ctx, abort := context.WithCancelCause(ctx)
	defer abort(nil)
	x.abort = abort
	// A resumed execution is seeded again too: the frontier drops what it has
	// seen, and a crash during seeding loses no input.
	for _, s := range x.steps {
		if err := s.seed(ctx); err != nil {
			return x.stats(), err
		}
	}
	done := make(chan struct{}, len(x.steps))
	for _, s := range x.steps {
		go func() {
			s.run(ctx)
			done <- struct{}{}
		}()
	}
	for range x.steps {
		<-done
	}
	stats := x.stats()
	if err := context.Cause(ctx); err != nil {
		return stats, err
	}
	for _, s := range x.steps {
		if s.fatal != nil {
			return stats, s.fatal
		}
	}
	return stats, nil
}

// newStep prepares one step of x: its limits, action and schema.
func (r *Runner) newStep(x *execution, step *titan.Step) (*stepRun, error) {
	action := r.actions[step.ActionType]
	limits := merge(step.Limits, x.job.Limits)
	if d, ok := action.(titan.LimitDefaulter); ok {
		limits = merge(ptr(d.DefaultLimits()), &limits)
	}
	if p, ok := action.(titan.Preparer); ok {
		var err error
		if action, err = p.Prepare(x.job.Task, step); err != nil {
			return nil, fmt.Errorf("runner: task %q: step %s: %w", x.job.Task.Name, step.ID, err)
		}
	}
	var sc *schema.Schema
	if len(step.OutputSchema) > 0 {
		var err error
		if sc, err = schema.Compile(step.OutputSchema); err != nil {
			return nil, fmt.Errorf("runner: task %q: step %s: output_schema: %w", x.job.Task.Name, step.ID, err)
		}
	}
	s := &stepRun{
		x:           x,
		step:        step,
		limits:      limits,
		schema:      sc,
		action:      action,
		concurrency: cmpOr(limits.Concurrency, r.concurrency),
		log:         r.log.With("execution", x.job.ExecutionID, "task", x.job.Task.ID, "step", step.ID),
	}
	s.cond.L = &s.mu
	if x.job.Frontier != nil {
		s.frontier = newSeenCache(x.job.Frontier(step.ID))
	} else {
		s.frontier = NewMemoryFrontier()
	}
	if prev := x.job.Resume; prev != nil {
		st := *prev
		if x.job.Task.ExecutionPlan != nil && len(x.job.Task.Steps()) > 1 {
			st = prev.Steps[step.ID]
		}
		s.resumeFrom(st)
	}
	return s, nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// merge returns base with the fields that override sets.
func merge(base, override *titan.Limits) titan.Limits {
	var l titan.Limits
	if base != nil {
		l = *base
	}
	if override == nil {
		return l
	}
	o := *override
	for _, f := range []struct{ dst, src *int }{
		{&l.MaxPages, &o.MaxPages}, {&l.MaxDepth, &o.MaxDepth}, {&l.MaxResults, &o.MaxResults},
		{&l.MaxItems, &o.MaxItems}, {&l.TimeoutSeconds, &o.TimeoutSeconds}, {&l.MaxRetries, &o.MaxRetries},
		{&l.Concurrency, &o.Concurrency}, {&l.MaxDurationSeconds, &o.MaxDurationSeconds},
	} {
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	return l
}

// execution is the state of one Execute call: its steps, sharing one fetcher
// session (one cookie jar) and one sink.
type execution struct {
	r       *Runner
	job     *titan.Job
	session *fetch.Session
	sink    titan.Sink
	steps   []*stepRun
	abort   context.CancelCauseFunc // stops the execution with a cause

	lastProgress atomic.Int64 // unix nanoseconds of the last snapshot
}

// progress sends a stats snapshot to the sink, at most every progressEvery.
func (x *execution) progress() {
	now := time.Now().UnixNano()
	last := x.lastProgress.Load()
	if now-last < int64(progressEvery) || !x.lastProgress.CompareAndSwap(last, now) {
		return
	}
	x.sink.Progress(x.stats())
}

// stats adds up the steps' stats; with several steps, each is also in Steps.
func (x *execution) stats() titan.Stats {
	fs := x.session.Stats()
	total := titan.Stats{Requests: fs.Requests, Bytes: fs.Bytes, Retries: fs.Retries}
	if prev := x.job.Resume; prev != nil {
		total.Requests += prev.Requests
		total.Bytes += prev.Bytes
		total.Retries += prev.Retries
	}
	if len(x.steps) > 1 {
		total.Steps = make(map[string]titan.Stats, len(x.steps))
	}
	for _, s := range x.steps {
		st := s.stats()
		total.Pages += st.Pages
		total.Accepted += st.Accepted
		total.ValidRecords += st.ValidRecords
		total.InvalidRecords += st.InvalidRecords
		total.Errors += st.Errors
		total.Skipped = addCounts(total.Skipped, st.Skipped)
		total.ErrorsByClass = addCounts(total.ErrorsByClass, st.ErrorsByClass)
		if total.Steps != nil {
			total.Steps[s.step.ID] = st
		}
	}
	return total
}

func addCounts[K comparable](dst, src map[K]int64) map[K]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		return maps.Clone(src)
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

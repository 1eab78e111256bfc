package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
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

// Execute runs job: it validates the task, feeds its inputs to the step's action on
// a pool of at most Concurrency workers, and sends records, item errors and progress
// to sink. It returns when every item is done or ctx is done.
func (r *Runner) Execute(ctx context.Context, job *titan.Job, sink titan.Sink) (titan.Stats, error) {
	if err := r.Validate(job.Task); err != nil {
		return titan.Stats{}, err
	}
	steps := job.Task.Steps()
	if len(steps) != 1 {
		return titan.Stats{}, fmt.Errorf("runner: task %q: plans of %d steps are not supported by this version; use one step", job.Task.Name, len(steps))
	}
	step := steps[0]
	limits := merge(step.Limits, job.Limits)
	var sc *schema.Schema
	if len(step.OutputSchema) > 0 {
		var err error
		if sc, err = schema.Compile(step.OutputSchema); err != nil {
			return titan.Stats{}, fmt.Errorf("runner: task %q: output_schema: %w", job.Task.Name, err)
		}
	}
	items, err := inputs(job.Task, &step)
	if err != nil {
		return titan.Stats{}, err
	}
	if limits.MaxDurationSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, time.Duration(limits.MaxDurationSeconds)*time.Second, ErrTimeout)
		defer cancel()
	}
	x := &execution{
		job:     job,
		step:    &step,
		schema:  sc,
		action:  r.actions[step.ActionType],
		session: r.fetch.Session(),
		sink:    sink,
		log:     r.log.With("execution", job.ExecutionID, "task", job.Task.ID, "step", step.ID),
	}
	x.run(ctx, items, cmpOr(limits.Concurrency, r.concurrency))
	stats := x.stats()
	if err := context.Cause(ctx); err != nil {
		return stats, err
	}
	return stats, nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

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

// inputs returns the items of a step.
func inputs(t *titan.Task, s *titan.Step) ([]titan.Item, error) {
	switch s.InputSource {
	case "", titan.InputStaticURLs:
		items := make([]titan.Item, len(t.URLs))
		for i, u := range t.URLs {
			items[i] = titan.Item{URL: u}
		}
		return items, nil
	}
	return nil, fmt.Errorf("runner: task %q: input_source %q is not supported by this version", t.Name, s.InputSource)
}

// execution is the state of one Execute call.
type execution struct {
	job     *titan.Job
	step    *titan.Step
	schema  *schema.Schema
	action  titan.Action
	session *fetch.Session
	sink    titan.Sink
	log     *slog.Logger

	pages, valid, invalid atomic.Int64
	lastProgress          atomic.Int64 // unix nanoseconds

	mu      sync.Mutex
	errs    int64
	byClass map[titan.ErrorClass]int64
}

// run feeds items to n workers through an unbuffered channel: at most n items are
// in progress and none waits in memory beyond the input list.
func (x *execution) run(ctx context.Context, items []titan.Item, n int) {
	work := make(chan titan.Item)
	var wg sync.WaitGroup
	for range min(n, len(items)) {
		wg.Go(func() {
			for it := range work {
				x.one(ctx, it)
			}
		})
	}
feed:
	for _, it := range items {
		select {
		case work <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
}

// one runs the action on one item and records its failure, if any.
func (x *execution) one(ctx context.Context, it titan.Item) {
	in := &titan.Input{
		Task:    x.job.Task,
		Step:    x.step,
		Item:    it,
		Schema:  x.schema,
		Fetcher: x.session,
		Secrets: x.job.Secrets,
		Logger:  x.log,
	}
	err := safeRun(ctx, x.action, in, &emitter{x: x, item: &it})
	if err != nil && ctx.Err() == nil {
		e := titan.NewExecError(err, x.step.ID, it.URL, time.Now())
		x.mu.Lock()
		x.errs++
		if x.byClass == nil {
			x.byClass = make(map[titan.ErrorClass]int64)
		}
		x.byClass[e.Class]++
		x.mu.Unlock()
		x.log.Warn("item failed", "url", it.URL, "class", e.Class, "err", err)
		x.sink.Error(ctx, e)
	}
	x.progress()
}

// safeRun calls the action, turning a panic into a *titan.PanicError.
func safeRun(ctx context.Context, a titan.Action, in *titan.Input, out titan.Emitter) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &titan.PanicError{Value: v, Stack: string(debug.Stack())}
		}
	}()
	return a.Run(ctx, in, out)
}

func (x *execution) progress() {
	now := time.Now().UnixNano()
	last := x.lastProgress.Load()
	if now-last < int64(progressEvery) || !x.lastProgress.CompareAndSwap(last, now) {
		return
	}
	x.sink.Progress(x.stats())
}

// stats returns a snapshot of the execution's stats.
func (x *execution) stats() titan.Stats {
	fs := x.session.Stats()
	x.mu.Lock()
	defer x.mu.Unlock()
	s := titan.Stats{
		Requests:       fs.Requests,
		Bytes:          fs.Bytes,
		Retries:        fs.Retries,
		Pages:          x.pages.Load(),
		ValidRecords:   x.valid.Load(),
		InvalidRecords: x.invalid.Load(),
		Errors:         x.errs,
	}
	if len(x.byClass) > 0 {
		s.ErrorsByClass = make(map[titan.ErrorClass]int64, len(x.byClass))
		for k, v := range x.byClass {
			s.ErrorsByClass[k] = v
		}
	}
	return s
}

// emitter is the titan.Emitter of one item.
type emitter struct {
	x    *execution
	item *titan.Item
}

func (e *emitter) Emit(ctx context.Context, rec titan.Record) error {
	rec.ExecutionID = e.x.job.ExecutionID
	rec.Step = e.x.step.ID
	if rec.URL == "" {
		rec.URL = e.item.URL
	}
	if rec.Data == nil {
		rec.Data = map[string]any{}
	}
	if e.x.schema != nil && len(rec.Errors) == 0 {
		rec.Errors = e.x.schema.Validate(rec.Data)
	}
	if rec.Valid() {
		e.x.valid.Add(1)
	} else {
		e.x.invalid.Add(1)
	}
	return e.x.sink.Record(ctx, rec)
}

func (e *emitter) Fetched() { e.x.pages.Add(1) }

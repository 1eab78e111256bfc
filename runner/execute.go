package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
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

// errMaxItems stops an action once the step has emitted limits.max_items records.
var errMaxItems = errors.New("runner: max_items reached")

// Reasons for items left out, as counted in titan.Stats.Skipped.
const (
	SkipDuplicate = "duplicate"
	SkipMaxPages  = "max_pages"
	SkipMaxDepth  = "max_depth"
	SkipMaxItems  = "max_items"
)

// A Keyer is an Action that says which items are the same, e.g. a crawl that
// normalises URLs. Without one, the key is the item's Kind and URL.
type Keyer interface {
	Key(it titan.Item) string
}

// Execute runs job: it validates the task, feeds its inputs to the step's action on
// a pool of at most Concurrency workers, and sends records, item errors and progress
// to sink. Items the action follows (a crawl's links) join the same queue. It
// returns when no item waits and none is in progress, or when ctx is done.
func (r *Runner) Execute(ctx context.Context, job *titan.Job, sink titan.Sink) (titan.Stats, error) {
	if err := r.Validate(job.Task); err != nil {
		return titan.Stats{}, err
	}
	steps := job.Task.Steps()
	if len(steps) != 1 {
		return titan.Stats{}, fmt.Errorf("runner: task %q: plans of %d steps are not supported by this version; use one step", job.Task.Name, len(steps))
	}
	step := steps[0]
	action := r.actions[step.ActionType]
	limits := merge(step.Limits, job.Limits)
	if d, ok := action.(titan.LimitDefaulter); ok {
		limits = merge(ptr(d.DefaultLimits()), &limits)
	}
	if p, ok := action.(titan.Preparer); ok {
		var err error
		if action, err = p.Prepare(job.Task, &step); err != nil {
			return titan.Stats{}, fmt.Errorf("runner: task %q: step %s: %w", job.Task.Name, step.ID, err)
		}
	}
	var sc *schema.Schema
	if len(step.OutputSchema) > 0 {
		var err error
		if sc, err = schema.Compile(step.OutputSchema); err != nil {
			return titan.Stats{}, fmt.Errorf("runner: task %q: output_schema: %w", job.Task.Name, err)
		}
	}
	if limits.MaxDurationSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, time.Duration(limits.MaxDurationSeconds)*time.Second, ErrTimeout)
		defer cancel()
	}
	x := &execution{
		job:      job,
		step:     &step,
		limits:   limits,
		schema:   sc,
		action:   action,
		session:  r.fetch.Session(),
		frontier: NewMemoryFrontier(),
		sink:     sink,
		log:      r.log.With("execution", job.ExecutionID, "task", job.Task.ID, "step", step.ID),
	}
	x.cond = sync.NewCond(&x.mu)
	if err := x.seed(ctx); err != nil {
		return x.stats(), err
	}
	x.run(ctx, cmpOr(limits.Concurrency, r.concurrency))
	stats := x.stats()
	if err := context.Cause(ctx); err != nil {
		return stats, err
	}
	return stats, x.fatal
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

// execution is the state of one Execute call.
type execution struct {
	job      *titan.Job
	step     *titan.Step
	limits   titan.Limits
	schema   *schema.Schema
	action   titan.Action
	session  *fetch.Session
	frontier titan.Frontier
	sink     titan.Sink
	log      *slog.Logger

	pages, valid, invalid atomic.Int64
	lastProgress          atomic.Int64 // unix nanoseconds

	// mu guards the fields below and the frontier's queue discipline: workers
	// wait on cond for items or for the last in-flight item to finish.
	mu       sync.Mutex
	cond     *sync.Cond
	inFlight int
	accepted int   // page items accepted, for max_pages
	stopped  bool  // max_items reached: take no new item
	fatal    error // the frontier failed: the execution cannot go on
	errs     int64
	byClass  map[titan.ErrorClass]int64
	skipped  map[string]int64
}

// seed offers the step's inputs.
func (x *execution) seed(ctx context.Context) error {
	switch x.step.InputSource {
	case "", titan.InputStaticURLs:
		for _, u := range x.job.Task.URLs {
			if _, err := x.follow(ctx, titan.Item{URL: u}, false); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("runner: task %q: input_source %q is not supported by this version", x.job.Task.Name, x.step.InputSource)
}

func (x *execution) key(it titan.Item) string {
	if k, ok := x.action.(Keyer); ok {
		return k.Key(it)
	}
	return it.Kind + " " + it.URL
}

// follow offers an item to the frontier, applying max_depth and max_pages.
func (x *execution) follow(ctx context.Context, it titan.Item, done bool) (bool, error) {
	key := x.key(it)
	x.mu.Lock()
	defer x.mu.Unlock()
	page := it.Kind == ""
	switch {
	case x.limits.MaxDepth > 0 && it.Depth > x.limits.MaxDepth:
		x.skip(SkipMaxDepth, 1)
		return false, nil
	case page && !done && x.limits.MaxPages > 0 && x.accepted >= x.limits.MaxPages:
		// Mark it seen, so a later offer of the same URL counts as a duplicate.
		if ok, err := x.frontier.Add(ctx, key, it, true); err != nil || !ok {
			x.skip(SkipDuplicate, 1)
			return false, err
		}
		x.skip(SkipMaxPages, 1)
		return false, nil
	}
	ok, err := x.frontier.Add(ctx, key, it, done)
	if err != nil {
		return false, fmt.Errorf("runner: frontier: %w", err)
	}
	if !ok {
		if !done { // a Claim's caller says what a seen item means to it
			x.skip(SkipDuplicate, 1)
		}
		return false, nil
	}
	if page && !done {
		x.accepted++
	}
	x.cond.Signal()
	return true, nil
}

// skip counts n items left out for reason; x.mu must be held.
func (x *execution) skip(reason string, n int) {
	if x.skipped == nil {
		x.skipped = make(map[string]int64)
	}
	x.skipped[reason] += int64(n)
}

// run processes the frontier on n workers until it is empty and no item is in
// progress (items in progress may add more), or ctx is done.
func (x *execution) run(ctx context.Context, n int) {
	stop := context.AfterFunc(ctx, func() {
		x.mu.Lock()
		x.cond.Broadcast()
		x.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				key, it, ok := x.next(ctx)
				if !ok {
					return
				}
				x.one(ctx, it)
				x.finish(ctx, key)
			}
		})
	}
	wg.Wait()
}

// next waits for an item to process; ok is false when the work is over.
func (x *execution) next(ctx context.Context) (string, titan.Item, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		if ctx.Err() != nil || x.stopped || x.fatal != nil {
			return "", titan.Item{}, false
		}
		key, it, ok, err := x.frontier.Next(ctx)
		if err != nil {
			x.fatal = fmt.Errorf("runner: frontier: %w", err)
			x.cond.Broadcast()
			return "", titan.Item{}, false
		}
		if ok {
			x.inFlight++
			return key, it, true
		}
		if x.inFlight == 0 {
			x.cond.Broadcast() // wake the other idle workers: the work is over
			return "", titan.Item{}, false
		}
		x.cond.Wait()
	}
}

// finish records that the item with key is done.
func (x *execution) finish(ctx context.Context, key string) {
	err := x.frontier.Done(context.WithoutCancel(ctx), key)
	x.mu.Lock()
	defer x.mu.Unlock()
	if err != nil && x.fatal == nil {
		x.fatal = fmt.Errorf("runner: frontier: %w", err)
	}
	x.inFlight--
	if x.inFlight == 0 {
		x.cond.Broadcast()
	}
}

// one runs the action on one item and records its failure, if any.
func (x *execution) one(ctx context.Context, it titan.Item) {
	in := &titan.Input{
		Task:    x.job.Task,
		Step:    x.step,
		Item:    it,
		Limits:  x.limits,
		Schema:  x.schema,
		Fetcher: x.session,
		Secrets: x.job.Secrets,
		Logger:  x.log,
	}
	err := safeRun(ctx, x.action, in, &emitter{x: x, item: &it})
	if err != nil && ctx.Err() == nil && !errors.Is(err, errMaxItems) {
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
	return titan.Stats{
		Requests:       fs.Requests,
		Bytes:          fs.Bytes,
		Retries:        fs.Retries,
		Pages:          x.pages.Load(),
		ValidRecords:   x.valid.Load(),
		InvalidRecords: x.invalid.Load(),
		Skipped:        maps.Clone(x.skipped),
		Errors:         x.errs,
		ErrorsByClass:  maps.Clone(x.byClass),
	}
}

// emitter is the titan.Emitter of one item.
type emitter struct {
	x    *execution
	item *titan.Item
}

func (e *emitter) Emit(ctx context.Context, rec titan.Record) error {
	x := e.x
	if max := int64(x.limits.MaxItems); max > 0 && x.valid.Load()+x.invalid.Load() >= max {
		x.mu.Lock()
		x.skip(SkipMaxItems, 1)
		x.stopped = true
		x.mu.Unlock()
		return errMaxItems
	}
	rec.ExecutionID = x.job.ExecutionID
	rec.Step = x.step.ID
	if rec.URL == "" {
		rec.URL = e.item.URL
	}
	if rec.Data == nil {
		rec.Data = map[string]any{}
	}
	if x.schema != nil && len(rec.Errors) == 0 {
		rec.Errors = x.schema.Validate(rec.Data)
	}
	if rec.Valid() {
		x.valid.Add(1)
	} else {
		x.invalid.Add(1)
	}
	return x.sink.Record(ctx, rec)
}

func (e *emitter) Fetched() { e.x.pages.Add(1) }

func (e *emitter) Follow(ctx context.Context, it titan.Item) (bool, error) {
	return e.x.follow(ctx, it, false)
}

func (e *emitter) Claim(ctx context.Context, it titan.Item) (bool, error) {
	return e.x.follow(ctx, it, true)
}

func (e *emitter) Skip(reason string, n int) {
	e.x.mu.Lock()
	defer e.x.mu.Unlock()
	e.x.skip(reason, n)
}

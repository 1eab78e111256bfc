package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/schema"
)

// errMaxItems stops an action once its step has emitted limits.max_items records.
var errMaxItems = errors.New("runner: max_items reached")

// stepRun runs one step: a frontier of items and a fixed pool of workers.
type stepRun struct {
	x           *execution
	step        *titan.Step
	limits      titan.Limits
	schema      *schema.Schema
	action      titan.Action
	frontier    titan.Frontier
	concurrency int
	log         *slog.Logger
	downstream  []*stepRun // steps that read this one's records

	pages, valid, invalid atomic.Int64
	emitted               atomic.Int64 // records emitted or reserved, for max_items
	ids                   atomic.Int64 // ordinal of the last record, for Record.ID
	anon                  atomic.Int64 // keys of items without a URL

	// mu guards the fields below and the frontier's queue discipline: workers
	// wait on cond for an item, for the last in-flight item to finish, or for
	// the last upstream step to end; upstream emitters wait on it for room.
	mu           sync.Mutex
	cond         sync.Cond
	inFlight     int
	queued       int   // items waiting in the frontier, for the input buffer
	upstreamLeft int   // upstream steps still running
	accepted     int64 // page items accepted, for max_pages
	stopped      bool  // max_items reached: take no new item
	fatal        error // the frontier failed: the step cannot go on
	errs         int64
	byClass      map[titan.ErrorClass]int64
	skipped      map[string]int64
}

// inputBuffer bounds the items a step holds from its upstream steps: an upstream
// emitter waits while the step has this many items queued per worker.
const inputBuffer = 4

// seed offers the step's own inputs.
func (s *stepRun) seed(ctx context.Context) error {
	t := s.x.job.Task
	switch s.step.InputSource {
	case titan.InputPreviousStep:
		return nil // fed by the upstream steps
	case "":
		if s.upstreamLeft > 0 {
			return nil // a plan step after the first reads the step before it
		}
	case titan.InputStaticURLs:
	case titan.InputURLInventory:
		if s.x.job.Inventory == nil {
			return fmt.Errorf("runner: task %q: step %s: input_source %q needs a store that keeps URL inventories", t.Name, s.step.ID, s.step.InputSource)
		}
		urls, err := s.x.job.Inventory.Inventory(ctx, t.ID)
		if err != nil {
			return fmt.Errorf("runner: task %q: step %s: read the URL inventory: %w", t.Name, s.step.ID, err)
		}
		for _, u := range urls {
			it := titan.Item{URL: u}
			if _, err := s.offer(ctx, s.key(it), it, false, true); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("runner: task %q: step %s: unknown input_source %q", t.Name, s.step.ID, s.step.InputSource)
	}
	if len(t.URLs) == 0 {
		if a, ok := s.action.(titan.InputlessAction); ok && a.NeedsNoInput() {
			_, err := s.offer(ctx, s.key(titan.Item{}), titan.Item{}, false, true)
			return err
		}
	}
	for _, u := range t.URLs {
		it := titan.Item{URL: u}
		if _, err := s.offer(ctx, s.key(it), it, false, true); err != nil {
			return err
		}
	}
	return nil
}

func (s *stepRun) key(it titan.Item) string {
	if k, ok := s.action.(Keyer); ok {
		return k.Key(it)
	}
	if it.URL == "" {
		return "#" + strconv.FormatInt(s.anon.Add(1), 10)
	}
	return it.Kind + " " + it.URL
}

// follow offers an item to the frontier, applying max_depth and max_pages.
func (s *stepRun) follow(ctx context.Context, it titan.Item, done bool) (bool, error) {
	return s.offer(ctx, s.key(it), it, done, false)
}

// offer is follow with the item's key. A seed (the step's own input) counts
// towards max_pages but is refused by it only when the cap comes with the run
// (a preview, the CLI's --max-pages), not from the step, whose max_pages may mean
// its own pages (api_call pagination).
func (s *stepRun) offer(ctx context.Context, key string, it titan.Item, done, seed bool) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	page := it.Kind == ""
	switch {
	case s.limits.MaxDepth > 0 && it.Depth > s.limits.MaxDepth:
		s.skip(SkipMaxDepth, 1)
		return false, nil
	case page && !done && (!seed || s.runCapsPages()) && s.limits.MaxPages > 0 && s.accepted >= int64(s.limits.MaxPages):
		// Mark it seen, so a later offer of the same URL counts as a duplicate.
		if ok, err := s.frontier.Add(ctx, key, it, true); err != nil || !ok {
			s.skip(SkipDuplicate, 1)
			return false, err
		}
		s.skip(SkipMaxPages, 1)
		return false, nil
	}
	ok, err := s.frontier.Add(ctx, key, it, done)
	if err != nil {
		return false, fmt.Errorf("runner: frontier: %w", err)
	}
	if !ok {
		if !done { // a Claim's caller says what a seen item means to it
			s.skip(SkipDuplicate, 1)
		}
		return false, nil
	}
	if page && !done {
		s.accepted++
	}
	if !done {
		s.queued++
	}
	s.cond.Signal()
	return true, nil
}

// feed offers an upstream record to this step as an item, as soon as it is
// emitted, waiting while the step already holds a full buffer of upstream items,
// so a fast upstream step cannot outrun a slow downstream one.
//
// The item's URL is the record's "url" field when it has one (a search result, a
// mapped link), and items with the same such URL are fed once; otherwise it is the
// record's source URL and every record is fed, keyed by the upstream item's key
// and the record's position among its valid records, so that an upstream item
// processed again after a crash feeds the same keys. A step that stopped
// (max_items) takes no more items: they are counted as skipped.
func (s *stepRun) feed(ctx context.Context, from *stepRun, itemKey string, pos int, rec *titan.Record) error {
	it := titan.Item{URL: rec.URL, Data: rec.Data, Parent: rec.ID}
	key := "#" + from.step.ID + " " + itemKey + "#" + strconv.Itoa(pos)
	if u, ok := rec.Data["url"].(string); ok && u != "" {
		it.URL = u
		key = s.key(it)
	}
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	s.mu.Lock()
	for s.queued >= inputBuffer*s.concurrency && ctx.Err() == nil && !s.stopped && s.fatal == nil {
		s.cond.Wait()
	}
	stopped := s.stopped || s.fatal != nil
	if stopped {
		s.skip(SkipMaxItems, 1)
	}
	s.mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case stopped:
		return nil
	}
	_, err := s.offer(ctx, key, it, false, false)
	return err
}

// runCapsPages reports whether the run itself caps the pages.
func (s *stepRun) runCapsPages() bool {
	return s.x.job.Limits != nil && s.x.job.Limits.MaxPages > 0
}

// skip counts n items left out for reason; s.mu must be held.
func (s *stepRun) skip(reason string, n int) {
	if s.skipped == nil {
		s.skipped = make(map[string]int64)
	}
	s.skipped[reason] += int64(n)
}

// run processes the frontier on the step's workers until the upstream steps have
// ended, no item waits and none is in progress, or ctx is done. Then it tells the
// downstream steps.
func (s *stepRun) run(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for range s.concurrency {
		wg.Go(func() {
			for {
				if s.x.job.Gate.Wait(ctx) != nil {
					return
				}
				key, it, state := s.next(ctx)
				switch state {
				case over:
					return
				case paused:
					continue
				}
				s.one(ctx, key, it)
				s.finish(ctx, key)
			}
		})
	}
	wg.Wait()
	for _, d := range s.downstream {
		d.mu.Lock()
		d.upstreamLeft--
		d.cond.Broadcast()
		d.mu.Unlock()
	}
}

// The outcomes of next.
const (
	got    = iota // an item to process
	over          // the step's work is over
	paused        // the execution was paused: wait at the gate
)

// next waits for an item to process.
func (s *stepRun) next(ctx context.Context) (string, titan.Item, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if ctx.Err() != nil || s.stopped || s.fatal != nil {
			s.cond.Broadcast()
			return "", titan.Item{}, over
		}
		if g := s.x.job.Gate; g != nil && g.Paused() {
			return "", titan.Item{}, paused
		}
		key, it, ok, err := s.frontier.Next(ctx)
		if err != nil {
			s.fatal = fmt.Errorf("runner: step %s: frontier: %w", s.step.ID, err)
			continue
		}
		if ok {
			s.inFlight++
			s.queued--
			s.cond.Broadcast() // room for upstream emitters
			return key, it, got
		}
		if s.inFlight == 0 && s.upstreamLeft == 0 {
			s.cond.Broadcast() // wake the other idle workers: the work is over
			return "", titan.Item{}, over
		}
		s.cond.Wait()
	}
}

// finish records that the item with key is done: the sink marks it done in the
// frontier together with its records. An item cut short by cancellation is not
// done: a resumed execution processes it again.
func (s *stepRun) finish(ctx context.Context, key string) {
	if ctx.Err() == nil {
		s.x.sink.ItemDone(ctx, s.step.ID, key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	if s.inFlight == 0 {
		s.cond.Broadcast()
	}
}

// one runs the action on one item and records its failure, if any.
func (s *stepRun) one(ctx context.Context, key string, it titan.Item) {
	in := &titan.Input{
		Task:    s.x.job.Task,
		Step:    s.step,
		Item:    it,
		Limits:  s.limits,
		Schema:  s.schema,
		Fetcher: s.x.session,
		Secrets: s.x.job.Secrets,
		Logger:  s.log,
	}
	err := safeRun(ctx, s.action, in, &emitter{s: s, key: key, item: &it})
	if err != nil && ctx.Err() == nil && !errors.Is(err, errMaxItems) {
		e := titan.NewExecError(err, s.step.ID, it.URL, time.Now())
		s.mu.Lock()
		s.errs++
		if s.byClass == nil {
			s.byClass = make(map[titan.ErrorClass]int64)
		}
		s.byClass[e.Class]++
		s.mu.Unlock()
		s.log.Warn("item failed", "url", it.URL, "class", e.Class, "err", err)
		s.x.sink.Error(ctx, e)
	}
	s.x.progress()
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

// stats returns a snapshot of the step's own stats (no network counters: the
// steps share the execution's fetcher).
func (s *stepRun) stats() titan.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return titan.Stats{
		Pages:          s.pages.Load(),
		Accepted:       s.accepted,
		ValidRecords:   s.valid.Load(),
		InvalidRecords: s.invalid.Load(),
		Skipped:        maps.Clone(s.skipped),
		Errors:         s.errs,
		ErrorsByClass:  maps.Clone(s.byClass),
	}
}

// resumeFrom continues the counters of an interrupted run of the step.
func (s *stepRun) resumeFrom(st titan.Stats) {
	s.pages.Store(st.Pages)
	s.valid.Store(st.ValidRecords)
	s.invalid.Store(st.InvalidRecords)
	s.ids.Store(st.ValidRecords + st.InvalidRecords)
	s.accepted = st.Accepted
	s.errs = st.Errors
	s.byClass = maps.Clone(st.ErrorsByClass)
	s.skipped = maps.Clone(st.Skipped)
}

// emitter is the titan.Emitter of one item.
type emitter struct {
	s    *stepRun
	key  string // the item's frontier key
	item *titan.Item
	fed  int // valid records fed to the downstream steps so far
}

func (e *emitter) Emit(ctx context.Context, rec titan.Record) error {
	s := e.s
	if max := int64(s.limits.MaxItems); max > 0 && s.emitted.Add(1) > max {
		s.mu.Lock()
		s.skip(SkipMaxItems, 1)
		s.stopped = true
		s.cond.Broadcast()
		s.mu.Unlock()
		return errMaxItems
	}
	rec.ExecutionID = s.x.job.ExecutionID
	rec.Step = s.step.ID
	rec.ID = s.step.ID + ":" + strconv.FormatInt(s.ids.Add(1), 10)
	if rec.Parent == "" {
		rec.Parent = e.item.Parent
	}
	if rec.URL == "" {
		rec.URL = e.item.URL
	}
	if rec.Data == nil {
		rec.Data = map[string]any{}
	}
	if s.schema != nil && len(rec.Errors) == 0 {
		rec.Errors = s.schema.Validate(rec.Data)
	}
	if rec.Valid() {
		s.valid.Add(1)
	} else {
		s.invalid.Add(1)
	}
	if err := s.x.sink.Record(ctx, e.key, rec); err != nil {
		// The output cannot be kept: stop the whole execution.
		s.x.abort(fmt.Errorf("runner: keep records: %w", err))
		return err
	}
	if !rec.Valid() {
		return nil // an invalid record is kept, but feeds no step
	}
	if s.step.AddToInventory {
		if err := s.addToInventory(ctx, &rec); err != nil {
			return err
		}
	}
	for _, d := range s.downstream {
		if err := d.feed(ctx, s, e.key, e.fed, &rec); err != nil {
			return err
		}
	}
	e.fed++
	return nil
}

func (e *emitter) Fetched() { e.s.pages.Add(1) }

// addToInventory adds the record's URL to the task's URL inventory.
func (s *stepRun) addToInventory(ctx context.Context, rec *titan.Record) error {
	inv := s.x.job.Inventory
	if inv == nil {
		return fmt.Errorf("runner: step %s: add_to_inventory needs a store that keeps URL inventories", s.step.ID)
	}
	u := rec.URL
	if du, ok := rec.Data["url"].(string); ok && du != "" {
		u = du
	}
	if _, err := inv.AddToInventory(ctx, s.x.job.Task.ID, []string{u}); err != nil {
		return fmt.Errorf("runner: step %s: add %s to the URL inventory: %w", s.step.ID, u, err)
	}
	return nil
}

func (e *emitter) Follow(ctx context.Context, it titan.Item) (bool, error) {
	if it.Parent == "" {
		it.Parent = e.item.Parent
	}
	return e.s.follow(ctx, it, false)
}

func (e *emitter) Claim(ctx context.Context, it titan.Item) (bool, error) {
	return e.s.follow(ctx, it, true)
}

func (e *emitter) Skip(reason string, n int) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.s.skip(reason, n)
}

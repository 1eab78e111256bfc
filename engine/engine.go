// Package engine runs titan tasks: it keeps tasks and executions in a Store, runs
// executions on a Runner, checkpoints their records in batches, and streams and
// exports results.
//
// The zero Config gives an engine on the in-memory store and the default HTTP
// runner:
//
//	eng, err := engine.New(engine.Config{})
//	task, err := eng.CreateTask(ctx, &titan.Task{Name: "prices", URLs: urls, OutputSchema: schema.MustFor[Product]()})
//	exec, err := eng.Run(ctx, task.ID, engine.Wait())
package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/templates"
)

// Config configures an Engine. Zero fields take the documented defaults.
type Config struct {
	// Store keeps tasks, executions and results; default: a new in-memory store,
	// which the engine closes on Close. A store passed in is left open.
	Store titan.Store
	// Runner executes tasks; default: runner.New(runner.Config{Logger: Logger}).
	Runner titan.Runner
	// Logger receives the engine's logs; default: discarded.
	Logger *slog.Logger
	// BatchSize is how many records are written to the store in one checkpoint;
	// default 256. Larger batches write faster; smaller ones lose less on a crash.
	BatchSize int
	// FlushInterval bounds how long a record waits before its checkpoint; default 1s.
	FlushInterval time.Duration
	// MaxRunning caps executions running at once; more wait in status queued.
	// Default 4.
	MaxRunning int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Templates holds the templates tasks can be created from; default: a
	// registry of templates.Builtins().
	Templates *templates.Registry
	// PreviewQuota caps previews a day (UTC); default 100, negative for no cap.
	PreviewQuota int
	// PreviewLimits bound preview runs; default DefaultPreviewLimits.
	PreviewLimits *titan.Limits
	// WorkerID names this engine in the leases of the executions it runs;
	// default: the host name. Run one engine per WorkerID on a store: on start,
	// Recover takes over the executions leased to its WorkerID, as the process
	// that held them is gone.
	WorkerID string
	// WebhookClient sends webhook deliveries; default: a client with a 30s timeout.
	WebhookClient *http.Client
	// WebhookAttempts caps the attempts of one delivery; default 4. Retries wait
	// WebhookBackoff (default 1s), doubling each time.
	WebhookAttempts int
	WebhookBackoff  time.Duration
	// Clock drives the scheduler; default the real clock. Tests use
	// schedtest.NewClock.
	Clock scheduler.Clock
	// LeaseTTL is how long a lease lasts without renewal; the engine renews
	// every LeaseTTL/3. Default 30s. Another worker may take over an execution
	// whose lease ran out.
	LeaseTTL time.Duration
}

// Engine is the entry point of titan: tasks in, executions and results out. It is
// safe for concurrent use.
type Engine struct {
	store         titan.Store
	ownStore      bool
	runner        titan.Runner
	log           *slog.Logger
	batch         int
	flushEvery    time.Duration
	now           func() time.Time
	slots         chan struct{} // one token per running execution
	templates     *templates.Registry
	previewLimits titan.Limits
	worker        string
	leaseTTL      time.Duration
	base          context.Context // cancelled by Close: webhook deliveries
	cancelBase    context.CancelFunc
	hookClient    *http.Client
	hookAttempts  int
	hookBackoff   time.Duration
	hookMu        sync.Mutex
	deliveries    map[string][]Delivery
	sched         *scheduler.Scheduler
	scheduling    bool // Start has run: task changes update the scheduler

	mu      sync.Mutex
	closed  bool
	running map[string]*active
	quota   previewQuota
	wg      sync.WaitGroup

	subMu sync.Mutex
	subs  map[*Subscription]struct{}
}

// active is an execution running in this engine.
type active struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
	gate   titan.Gate
	sink   *sink
}

// Errors of engine operations.
var (
	// ErrClosed reports a call on an engine after Close.
	ErrClosed = errors.New("engine: closed")
	// ErrTaskNotActive reports a run of a task that is paused, deleted or ended.
	ErrTaskNotActive = errors.New("engine: task is not active")
	// ErrStopped is the cause of an execution stopped with Stop.
	ErrStopped = errors.New("engine: execution stopped")
	// errShutdown is the cause of executions cancelled by Close.
	errShutdown = errors.New("engine: engine closed")
)

// New returns an engine configured by cfg.
func New(cfg Config) (*Engine, error) {
	switch {
	case cfg.BatchSize < 0:
		return nil, fmt.Errorf("engine: BatchSize must not be negative, got %d", cfg.BatchSize)
	case cfg.FlushInterval < 0:
		return nil, fmt.Errorf("engine: FlushInterval must not be negative, got %v", cfg.FlushInterval)
	case cfg.LeaseTTL < 0:
		return nil, fmt.Errorf("engine: LeaseTTL must not be negative, got %v", cfg.LeaseTTL)
	case cfg.MaxRunning < 0:
		return nil, fmt.Errorf("engine: MaxRunning must not be negative, got %d", cfg.MaxRunning)
	}
	log := cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	e := &Engine{
		store:         cfg.Store,
		runner:        cfg.Runner,
		log:           log,
		batch:         cmp.Or(cfg.BatchSize, 256),
		flushEvery:    cmp.Or(cfg.FlushInterval, time.Second),
		now:           cfg.Now,
		slots:         make(chan struct{}, cmp.Or(cfg.MaxRunning, 4)),
		running:       make(map[string]*active),
		subs:          make(map[*Subscription]struct{}),
		templates:     cfg.Templates,
		quota:         previewQuota{limit: cmp.Or(cfg.PreviewQuota, 100)},
		previewLimits: DefaultPreviewLimits,
		worker:        cfg.WorkerID,
		leaseTTL:      cmp.Or(cfg.LeaseTTL, 30*time.Second),
		hookClient:    cmp.Or(cfg.WebhookClient, &http.Client{Timeout: 30 * time.Second}),
		hookAttempts:  cmp.Or(cfg.WebhookAttempts, 4),
		hookBackoff:   cmp.Or(cfg.WebhookBackoff, time.Second),
		deliveries:    make(map[string][]Delivery),
	}
	e.base, e.cancelBase = context.WithCancel(context.Background())
	sched, err := e.newScheduler(cfg.Clock)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	e.sched = sched
	if e.worker == "" {
		host, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("engine: WorkerID: %w", err)
		}
		e.worker = host
	}
	if cfg.PreviewLimits != nil {
		e.previewLimits = *cfg.PreviewLimits
	}
	if e.templates == nil {
		reg, err := templates.New(templates.Builtins()...)
		if err != nil {
			return nil, fmt.Errorf("engine: built-in templates: %w", err)
		}
		e.templates = reg
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.store == nil {
		e.store, e.ownStore = memory.New(), true
	}
	if e.runner == nil {
		r, err := runner.New(runner.Config{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		e.runner = r
	}
	return e, nil
}

// Templates returns the engine's template registry.
func (e *Engine) Templates() *templates.Registry { return e.templates }

// Store returns the engine's store.
func (e *Engine) Store() titan.Store { return e.store }

// Close stops the engine: new calls fail with ErrClosed, running executions are
// cancelled (they end cancelled, with their results so far kept) and Close waits
// for them, and for the webhook deliveries of ended executions, until ctx is done.
// Calling Close again (after one that timed out) waits again. It closes the store if the engine created it.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	sched := e.sched
	for _, a := range e.running {
		a.cancel(errShutdown)
	}
	e.mu.Unlock()
	if err := sched.Stop(ctx); err != nil && !errors.Is(err, scheduler.ErrStopped) {
		e.log.Warn("scheduler did not stop cleanly", "err", err)
	}
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	select {
	case <-done:
		e.cancelBase()
	case <-ctx.Done():
		e.cancelBase() // stop webhook deliveries in progress
		return fmt.Errorf("engine: close: %w", context.Cause(ctx))
	}
	e.closeSubs()
	if e.ownStore {
		return e.store.Close()
	}
	return nil
}

func (e *Engine) checkOpen() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	return nil
}

// validate checks t with the runner's own validation when it has one.
func (e *Engine) validate(t *titan.Task) error {
	if v, ok := e.runner.(interface{ Validate(*titan.Task) error }); ok {
		return v.Validate(t)
	}
	return t.ValidateWith(e.runner.Knows)
}

package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/titanscrape/titan"
)

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("sqlite: store is closed")

// ErrInvalidPageToken is titan.ErrInvalidPageToken, which a bad PageToken wraps.
var ErrInvalidPageToken = titan.ErrInvalidPageToken

// busyTimeout is how long a connection waits for another process's write lock
// before it fails with SQLITE_BUSY. Within one process writes never wait on
// SQLite's lock: they queue for the single writer connection instead.
const busyTimeout = 5 * time.Second

// An Option configures a Store.
type Option func(*config)

type config struct {
	clock     func() time.Time
	fullSync  bool
	readConns int
	batchRows int // records per INSERT statement in Checkpoint
}

// WithClock makes the store read the time from now instead of time.Now. It
// stamps tasks, executions, leases and inventory URLs, and decides when a lease
// has expired.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithFullSync makes every commit wait until the write-ahead log is on disk
// (PRAGMA synchronous=FULL), so that a committed checkpoint survives a power loss
// or an operating system crash, not only a crash of the process. It costs an
// fsync per write transaction; see the package documentation.
func WithFullSync() Option {
	return func(c *config) { c.fullSync = true }
}

// WithReadConns sets how many connections serve reads (default 4). Reads run
// beside the single writer connection and see every committed write. Zero
// makes reads share the writer connection: one connection in all, the least
// memory, and reads wait for writes.
func WithReadConns(n int) Option {
	return func(c *config) { c.readConns = n }
}

// Store is a titan.Store in a SQLite database file, safe for concurrent use by
// the goroutines of one process. Open it with Open; the zero value is not usable.
// It also keeps every version of every task (TaskVersion), durable crawl
// frontiers (Frontier) and task URL inventories (AddToInventory).
//
// Beyond the titan.Store contract it behaves as store/memory's Store does
// (IDs, defaults, write-backs, lease rules, page tokens), but for these:
//
//   - An execution refers to a stored task: CreateExecution, and a Checkpoint
//     that changes TaskID, fail with ErrNotFound naming the task otherwise.
//   - Times come back in UTC, to the nanosecond.
//
// Errors name the task or execution ID and wrap titan.ErrNotFound or
// titan.ErrConflict; database errors are wrapped with what was being done.
// Every method returns an error wrapping ctx.Err() when ctx is done, and
// ErrClosed after Close.
type Store struct {
	path      string
	clock     func() time.Time
	batchRows int

	w     *sql.DB // the one writer connection; its transactions begin IMMEDIATE
	r     *sql.DB // readers; w itself when WithReadConns(0)
	stmts stmts

	mu     sync.RWMutex // guards closed against Close
	closed bool
}

// Statically check that Store implements titan.Store.
var (
	_ titan.Store         = (*Store)(nil)
	_ titan.FrontierStore = (*Store)(nil)
	_ titan.Inventory     = (*Store)(nil)
	_ titan.DeliveryLog   = (*Store)(nil)
)

// Open opens the SQLite database at path, creating the file if it is missing,
// and migrates its schema to the version this package knows. A database
// migrated by a newer version fails with an error wrapping ErrSchemaTooNew.
//
// The database runs in WAL mode with synchronous=NORMAL (FULL with
// WithFullSync), foreign keys enforced and a busy timeout of 5s.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := config{clock: time.Now, readConns: 4, batchRows: defaultBatchRows}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case path == "":
		return nil, errors.New("sqlite: open: path is empty")
	case cfg.clock == nil:
		return nil, errors.New("sqlite: open: clock is nil")
	case cfg.readConns < 0:
		return nil, fmt.Errorf("sqlite: open: %d read connections", cfg.readConns)
	case cfg.batchRows < 1:
		return nil, fmt.Errorf("sqlite: open: %d records per insert", cfg.batchRows)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{path: abs, clock: cfg.clock, batchRows: cfg.batchRows}

	syncMode := "NORMAL"
	if cfg.fullSync {
		syncMode = "FULL"
	}
	s.w, err = sql.Open("sqlite", dsn(abs, url.Values{
		"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
		"_journal_mode": {"WAL"},
		"_synchronous":  {syncMode},
		"_foreign_keys": {"1"},
		"_txlock":       {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	// One writer: SQLite allows one write transaction at a time anyway, and
	// queueing for the connection in database/sql is cancellable, while waiting
	// on SQLite's lock is not (and can fail with SQLITE_BUSY).
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.init(ctx); err != nil {
		s.w.Close()
		return nil, err
	}

	s.r = s.w
	if cfg.readConns > 0 {
		s.r, err = sql.Open("sqlite", dsn(abs, url.Values{
			"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
			"_query_only":   {"1"},
		}))
		if err != nil {
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s for reading: %w", abs, err)
		}
		s.r.SetMaxOpenConns(cfg.readConns)
		s.r.SetMaxIdleConns(cfg.readConns)
		s.r.SetConnMaxLifetime(0)
		s.r.SetConnMaxIdleTime(0)
		if err := s.r.PingContext(ctx); err != nil {
			s.r.Close()
			s.w.Close()
			return nil, fmt.Errorf("sqlite: open %s for reading: %w", abs, err)
		}
	}
	if err := s.stmts.prepare(ctx, s.w, s.r, s.batchRows); err != nil {
		if s.r != s.w {
			s.r.Close()
		}
		s.w.Close()
		return nil, err
	}
	return s, nil
}

// dsn returns the driver's name for the database file at abs with params.
func dsn(abs string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: params.Encode()}
	if runtime.GOOS == "windows" {
		u.Path = "/" + u.Path // file:///C:/...
	}
	return u.String()
}

// init checks the writer connection and migrates the schema.
func (s *Store) init(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, err)
	}
	if mode != "wal" {
		return fmt.Errorf("sqlite: open %s: journal mode is %q, not wal (is the file on a network file system?)", s.path, mode)
	}
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, err)
	}
	if err := migrate(ctx, s.w, ms, s.now); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, err)
	}
	return nil
}

// Close closes the database. Every later call, except Close, returns ErrClosed;
// Close returns nil again. It waits for calls in progress to end.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	errs := []error{s.stmts.close()}
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	// Let SQLite refresh its query planner statistics, as it recommends before
	// closing a connection that wrote.
	if _, err := s.w.Exec(`PRAGMA optimize`); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

// enter reports why the store cannot serve a call (ctx is done or the store is
// closed) or, when it can, holds off Close until the returned function is called.
func (s *Store) enter(ctx context.Context) (exit func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, ErrClosed
	}
	return s.mu.RUnlock, nil
}

// write runs fn in a write transaction and commits it. Errors are wrapped as
// "sqlite: what: err".
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	exit, err := s.enter(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer exit()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: commit: %w", what, err)
	}
	return nil
}

// read runs fn on the readers. Errors are wrapped as "sqlite: what: err".
func (s *Store) read(ctx context.Context, what string, fn func(db *sql.DB) error) error {
	return s.call(ctx, what, func() error { return fn(s.r) })
}

// call runs fn, typically one prepared statement, unless the store cannot serve
// it. Errors are wrapped as "sqlite: what: err".
func (s *Store) call(ctx context.Context, what string, fn func() error) error {
	exit, err := s.enter(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer exit()
	if err := fn(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

// now reads the clock, in UTC and without a monotonic reading.
func (s *Store) now() time.Time { return s.clock().UTC() }

// The range of times UnixNano represents.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// nanos returns t as Unix nanoseconds for an indexed column, clamped to the
// range int64 holds (years 1678 to 2262). The JSON documents keep times exact.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// parseTime parses a time that json_extract read from a document; NULL (an
// omitted zero time) is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// encode returns v as JSON without HTML escaping (a selector "ul > li" stays
// as written) and without a trailing newline.
func encode(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// idAttempts bounds the retries when a generated ID is taken, which takes 2^48
// random draws to happen by chance within one millisecond.
const idAttempts = 5

// isConstraint reports whether err is a violation of the SQLite constraint with
// the given extended result code.
func isConstraint(err error, code int) bool {
	var se *sqlitedriver.Error
	return errors.As(err, &se) && se.Code() == code
}

func isUnique(err error) bool {
	return isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) || isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func isForeignKey(err error) bool { return isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) }

package memory

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/internal/ids"
	"github.com/titanscrape/titan/store/internal/pagetoken"
)

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("memory: store is closed")

// ErrInvalidPageToken is titan.ErrInvalidPageToken, which a bad PageToken wraps.
var ErrInvalidPageToken = titan.ErrInvalidPageToken

// An Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from now instead of time.Now. It
// stamps tasks, executions and leases, and decides when a lease has expired.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.clock = now }
}

// Store is an in-memory titan.Store, safe for concurrent use. The zero value is
// not usable; call New.
//
// Beyond the titan.Store contract it behaves as follows.
//
// Tasks:
//   - CreateTask keeps a non-empty ID (one already stored is ErrConflict) and
//     otherwise assigns "tsk_" and 24 hex digits, the first 12 the creation time
//     in milliseconds. It sets Version to 1, an empty Status to active, and
//     CreatedAt and UpdatedAt to now, and writes these fields back into the
//     caller's task.
//   - ListTasks lists in creation order. An empty ExecutionType on a task counts
//     as single. Deleted tasks are listed only when TaskFilter.Status is deleted.
//   - UpdateTask keeps the stored ID and CreatedAt, and the stored Status when
//     t.Status is empty; it writes Version, Status, CreatedAt and UpdatedAt back
//     into the caller's task.
//
// Executions:
//   - CreateExecution keeps a non-empty ID (one already stored is ErrConflict)
//     and otherwise assigns "exe_" and 24 hex digits. It sets a zero CreatedAt to
//     now and an empty Status to queued, and writes ID, CreatedAt and Status back
//     into the caller's execution.
//   - ListExecutions lists newest first: by CreatedAt, then by order of creation.
//   - Checkpoint fails with ErrNotFound for an unknown execution and ErrConflict
//     for a terminal one, or when e.Lease names an owner other than the stored
//     lease's (the caller lost its lease). Otherwise it saves every field of e
//     except ID and CreatedAt, which keep their stored values, and appends recs,
//     numbered from the last Seq plus one; it writes Seq and ExecutionID back into
//     the elements of recs. When e.Lease has the stored lease's owner, the later
//     of the two expiry times is kept, so a checkpoint from a copy taken before a
//     RenewLease does not shorten the lease. Nothing changes when it fails.
//   - Records returns at most limit records, 1000 when limit <= 0.
//
// Leases:
//   - ClaimExecution considers, oldest first (as ListExecutions orders them, in
//     reverse), the non-terminal executions that are either queued without a
//     lease, or hold a lease whose Until is before now, whatever their status:
//     queued, running or paused. It sets Lease to {owner, now+ttl}, leaving the
//     status to the caller, and returns a copy. A running or paused execution
//     without a lease is never claimed. ttl must be positive and owner non-empty.
//   - RenewLease sets the lease's Until to now+ttl when owner holds it, even if it
//     has expired, as long as nobody claimed it since. It is ErrConflict when the
//     execution is terminal, has no lease, or another owner holds it.
//
// Errors name the task or execution ID and wrap titan.ErrNotFound or
// titan.ErrConflict. Every method returns ctx.Err() when ctx is done, and
// ErrClosed after Close.
type Store struct {
	clock func() time.Time

	mu         sync.RWMutex
	closed     bool
	tasks      map[string]*taskEntry
	taskList   []*taskEntry // in creation order; taskEntry.pos indexes it
	execs      map[string]*execEntry
	execList   []*execEntry // ascending by (CreatedAt, seq): oldest first
	execSeq    int64        // seq of the last execution created
	inv        map[string]*inventory
	deliveries map[string][]titan.Delivery
}

// inventory is one task's URL inventory.
type inventory struct {
	urls []string
	seen map[string]bool
}

type taskEntry struct {
	pos      int
	task     *titan.Task
	versions []*titan.Task // every version, versions[v-1] is version v
}

type execEntry struct {
	seq  int64
	exec *titan.Execution
	recs []titan.Record // recs[i].Seq == i+1
}

// Statically check that Store implements titan.Store.
var _ titan.Store = (*Store)(nil)

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{
		clock: time.Now,
		tasks: make(map[string]*taskEntry),
		execs: make(map[string]*execEntry),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// defaultRecordsLimit is the number of records Records returns when limit <= 0.
const defaultRecordsLimit = 1000

// now reads the clock and drops the monotonic reading.
func (s *Store) now() time.Time { return s.clock().Round(0) }

// usable reports why the store cannot serve a call: ctx is done or the store is
// closed. The caller holds s.mu.
func (s *Store) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed {
		return ErrClosed
	}
	return nil
}

// CreateTask stores a copy of t; see Store for the fields it assigns.
func (s *Store) CreateTask(ctx context.Context, t *titan.Task) error {
	if t == nil {
		return errors.New("memory: create task: task is nil")
	}
	c, err := copyTask(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	now := s.now()
	switch {
	case c.ID == "":
		c.ID = newID("tsk_", now, func(id string) bool { return s.tasks[id] != nil })
	case s.tasks[c.ID] != nil:
		return fmt.Errorf("memory: task %q already exists: %w", c.ID, titan.ErrConflict)
	}
	c.Version = 1
	c.Status = cmp.Or(c.Status, titan.TaskActive)
	c.CreatedAt, c.UpdatedAt = now, now
	e := &taskEntry{pos: len(s.taskList), task: c, versions: []*titan.Task{c}}
	s.tasks[c.ID] = e
	s.taskList = append(s.taskList, e)

	t.ID, t.Version, t.Status, t.CreatedAt, t.UpdatedAt = c.ID, c.Version, c.Status, c.CreatedAt, c.UpdatedAt
	return nil
}

// GetTask returns a copy of the task with the given ID.
func (s *Store) GetTask(ctx context.Context, id string) (*titan.Task, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	e := s.tasks[id]
	if e == nil {
		return nil, fmt.Errorf("memory: task %q: %w", id, titan.ErrNotFound)
	}
	return copyTask(e.task)
}

// ListTasks returns copies of the tasks that match f, in creation order.
func (s *Store) ListTasks(ctx context.Context, f titan.TaskFilter) (titan.Page[*titan.Task], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return titan.Page[*titan.Task]{}, err
	}
	start := 0
	if f.PageToken != "" {
		id, err := pagetoken.Decode(pagetoken.Task, f.PageToken)
		if err != nil {
			return titan.Page[*titan.Task]{}, fmt.Errorf("memory: %w", err)
		}
		e := s.tasks[id]
		if e == nil {
			return titan.Page[*titan.Task]{}, fmt.Errorf("memory: %w", pagetoken.Invalid(f.PageToken))
		}
		start = e.pos + 1
	}
	m := newTaskMatcher(f)
	size := f.Size()
	var page titan.Page[*titan.Task]
	for _, e := range s.taskList[start:] {
		if !m.match(e.task) {
			continue
		}
		if len(page.Items) == size {
			page.NextPageToken = pagetoken.Encode(pagetoken.Task, page.Items[size-1].ID)
			break
		}
		c, err := copyTask(e.task)
		if err != nil {
			return titan.Page[*titan.Task]{}, err
		}
		page.Items = append(page.Items, c)
	}
	return page, nil
}

// taskMatcher is a TaskFilter prepared for matching many tasks.
type taskMatcher struct {
	f    titan.TaskFilter
	name string // f.Name, lower-cased
}

func newTaskMatcher(f titan.TaskFilter) taskMatcher {
	return taskMatcher{f: f, name: strings.ToLower(f.Name)}
}

func (m taskMatcher) match(t *titan.Task) bool {
	if m.f.Status != "" {
		if t.Status != m.f.Status {
			return false
		}
	} else if t.Status == titan.TaskDeleted {
		return false
	}
	if m.f.ExecutionType != "" && cmp.Or(t.ExecutionType, titan.ExecutionSingle) != m.f.ExecutionType {
		return false
	}
	if m.name != "" && !strings.Contains(strings.ToLower(t.Name), m.name) {
		return false
	}
	for k, v := range m.f.Labels {
		if got, ok := t.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// UpdateTask replaces the stored task whose version is t.Version with a copy of t;
// see Store for the fields it keeps and writes back.
func (s *Store) UpdateTask(ctx context.Context, t *titan.Task) error {
	if t == nil {
		return errors.New("memory: update task: task is nil")
	}
	c, err := copyTask(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	e := s.tasks[c.ID]
	if e == nil {
		return fmt.Errorf("memory: task %q: %w", c.ID, titan.ErrNotFound)
	}
	old := e.task
	if old.Version != c.Version {
		return fmt.Errorf("memory: task %q: version %d is stale, the stored version is %d: %w",
			c.ID, c.Version, old.Version, titan.ErrConflict)
	}
	c.Version = old.Version + 1
	c.Status = cmp.Or(c.Status, old.Status)
	c.CreatedAt = old.CreatedAt
	c.UpdatedAt = s.now()
	e.task = c
	e.versions = append(e.versions, c)

	t.Version, t.Status, t.CreatedAt, t.UpdatedAt = c.Version, c.Status, c.CreatedAt, c.UpdatedAt
	return nil
}

// copyTask copies t through its JSON form, as Task.Clone does, but returns an
// error instead of panicking on values JSON cannot encode, and does not escape
// <, > and & in raw JSON such as OutputSchema (a selector "ul > li" stays so).
func copyTask(t *titan.Task) (*titan.Task, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("memory: task %q cannot be copied: %w", cmp.Or(t.ID, t.Name), err)
	}
	var c titan.Task
	if err := json.Unmarshal(b.Bytes(), &c); err != nil {
		return nil, fmt.Errorf("memory: task %q cannot be copied: %w", cmp.Or(t.ID, t.Name), err)
	}
	return &c, nil
}

// Close releases the store's memory. Every later call, except Close, returns
// ErrClosed; Close returns nil again.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.tasks, s.taskList, s.execs, s.execList = nil, nil, nil, nil
	return nil
}

// newID returns a new ID (see ids.New), drawing again in the unlikely case that
// taken reports it in use.
func newID(prefix string, now time.Time, taken func(string) bool) string {
	for {
		if id := ids.New(prefix, now); !taken(id) {
			return id
		}
	}
}

package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/internal/pagetoken"
)

// compareExec orders executions by creation time, then by order of creation.
func compareExec(a, b *execEntry) int {
	if c := a.exec.CreatedAt.Compare(b.exec.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// CreateExecution stores a copy of e; see Store for the fields it assigns.
func (s *Store) CreateExecution(ctx context.Context, e *titan.Execution) error {
	if e == nil {
		return errors.New("memory: create execution: execution is nil")
	}
	c := e.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	now := s.now()
	switch {
	case c.ID == "":
		c.ID = newID("exe_", now, func(id string) bool { return s.execs[id] != nil })
	case s.execs[c.ID] != nil:
		return fmt.Errorf("memory: execution %q already exists: %w", c.ID, titan.ErrConflict)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	// Stored times carry no monotonic reading, so that they compare consistently.
	c.CreatedAt = c.CreatedAt.Round(0)
	c.Status = cmp.Or(c.Status, titan.StatusQueued)
	s.execSeq++
	x := &execEntry{seq: s.execSeq, exec: c}
	i, _ := slices.BinarySearchFunc(s.execList, x, compareExec)
	s.execList = slices.Insert(s.execList, i, x)
	s.execs[c.ID] = x

	e.ID, e.CreatedAt, e.Status = c.ID, c.CreatedAt, c.Status
	return nil
}

// GetExecution returns a copy of the execution with the given ID.
func (s *Store) GetExecution(ctx context.Context, id string) (*titan.Execution, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	x := s.execs[id]
	if x == nil {
		return nil, fmt.Errorf("memory: execution %q: %w", id, titan.ErrNotFound)
	}
	return x.exec.Clone(), nil
}

// ListExecutions returns copies of the executions that match f, newest first.
func (s *Store) ListExecutions(ctx context.Context, f titan.ExecutionFilter) (titan.Page[*titan.Execution], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return titan.Page[*titan.Execution]{}, err
	}
	end := len(s.execList) // list execList[:end] backwards
	if f.PageToken != "" {
		id, err := pagetoken.Decode(pagetoken.Execution, f.PageToken)
		if err != nil {
			return titan.Page[*titan.Execution]{}, fmt.Errorf("memory: %w", err)
		}
		x := s.execs[id]
		if x == nil {
			return titan.Page[*titan.Execution]{}, fmt.Errorf("memory: %w", pagetoken.Invalid(f.PageToken))
		}
		end, _ = slices.BinarySearchFunc(s.execList, x, compareExec)
	}
	size := f.Size()
	var page titan.Page[*titan.Execution]
	for i := end - 1; i >= 0; i-- {
		e := s.execList[i].exec
		if f.TaskID != "" && e.TaskID != f.TaskID || f.Status != "" && e.Status != f.Status {
			continue
		}
		if len(page.Items) == size {
			page.NextPageToken = pagetoken.Encode(pagetoken.Execution, page.Items[size-1].ID)
			break
		}
		page.Items = append(page.Items, e.Clone())
	}
	return page, nil
}

// Checkpoint saves e and appends recs in one step; see Store for the rules.
func (s *Store) Checkpoint(ctx context.Context, e *titan.Execution, recs []titan.Record) error {
	if e == nil {
		return errors.New("memory: checkpoint: execution is nil")
	}
	c := e.Clone()
	copies := make([]titan.Record, len(recs))
	for i, r := range recs {
		copies[i] = copyRecord(r)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	x := s.execs[c.ID]
	if x == nil {
		return fmt.Errorf("memory: execution %q: %w", c.ID, titan.ErrNotFound)
	}
	old := x.exec
	if old.Status.Terminal() {
		return fmt.Errorf("memory: execution %q is %s and cannot change: %w", c.ID, old.Status, titan.ErrConflict)
	}
	if l := old.Lease; l != nil && c.Lease != nil {
		if c.Lease.Owner != l.Owner {
			return fmt.Errorf("memory: execution %q is leased to %q, not %q: %w", c.ID, l.Owner, c.Lease.Owner, titan.ErrConflict)
		}
		c.Lease.Until = later(c.Lease.Until.Round(0), l.Until)
	}

	// Nothing can fail from here on.
	c.CreatedAt = old.CreatedAt
	x.exec = c
	last := int64(len(x.recs))
	for i := range copies {
		copies[i].Seq = last + int64(i) + 1
		copies[i].ExecutionID = c.ID
		recs[i].Seq, recs[i].ExecutionID = copies[i].Seq, c.ID
	}
	x.recs = append(x.recs, copies...)
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Records returns copies of up to limit records of an execution with Seq > after,
// in Seq order; limit <= 0 means 1000.
func (s *Store) Records(ctx context.Context, executionID string, after int64, limit int) ([]titan.Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	x := s.execs[executionID]
	if x == nil {
		return nil, fmt.Errorf("memory: execution %q: %w", executionID, titan.ErrNotFound)
	}
	if limit <= 0 {
		limit = defaultRecordsLimit
	}
	n := int64(len(x.recs))
	start := min(max(after, 0), n) // recs[i].Seq == i+1
	end := start + min(int64(limit), n-start)
	out := make([]titan.Record, 0, end-start)
	for _, r := range x.recs[start:end] {
		out = append(out, copyRecord(r))
	}
	return out, nil
}

// ClaimExecution leases the oldest claimable execution to owner until now+ttl;
// see Store for which executions are claimable.
func (s *Store) ClaimExecution(ctx context.Context, owner string, ttl time.Duration) (*titan.Execution, error) {
	if err := checkLease(owner, ttl); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	for _, x := range s.execList {
		if claimable(x.exec, now) {
			x.exec.Lease = &titan.Lease{Owner: owner, Until: now.Add(ttl)}
			return x.exec.Clone(), nil
		}
	}
	return nil, fmt.Errorf("memory: no execution to claim for %q: %w", owner, titan.ErrNotFound)
}

func claimable(e *titan.Execution, now time.Time) bool {
	switch {
	case e.Status.Terminal():
		return false
	case e.Lease != nil:
		return e.Lease.Until.Before(now)
	}
	return e.Status == titan.StatusQueued
}

// RenewLease extends owner's lease of an execution to now+ttl.
func (s *Store) RenewLease(ctx context.Context, executionID, owner string, ttl time.Duration) error {
	if err := checkLease(owner, ttl); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	x := s.execs[executionID]
	switch {
	case x == nil:
		return fmt.Errorf("memory: execution %q: %w", executionID, titan.ErrNotFound)
	case x.exec.Status.Terminal():
		return fmt.Errorf("memory: execution %q is %s: %w", executionID, x.exec.Status, titan.ErrConflict)
	case x.exec.Lease == nil:
		return fmt.Errorf("memory: execution %q is not leased: %w", executionID, titan.ErrConflict)
	case x.exec.Lease.Owner != owner:
		return fmt.Errorf("memory: execution %q is leased to %q, not %q: %w", executionID, x.exec.Lease.Owner, owner, titan.ErrConflict)
	}
	x.exec.Lease = &titan.Lease{Owner: owner, Until: s.now().Add(ttl)}
	return nil
}

func checkLease(owner string, ttl time.Duration) error {
	switch {
	case owner == "":
		return errors.New("memory: lease owner is empty")
	case ttl <= 0:
		return fmt.Errorf("memory: lease ttl %v is not positive", ttl)
	}
	return nil
}

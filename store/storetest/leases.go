package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

func mustClaim(t *testing.T, s titan.Store, owner string, ttl time.Duration) *titan.Execution {
	t.Helper()
	before := time.Now()
	e, err := s.ClaimExecution(t.Context(), owner, ttl)
	if err != nil {
		t.Fatalf("ClaimExecution(%q): %v", owner, err)
	}
	if e.Lease == nil || e.Lease.Owner != owner || e.Lease.Until.Before(before.Add(ttl).Add(-time.Second)) {
		t.Errorf("claimed %s with lease %+v, want one of %s for %v", e.ID, e.Lease, owner, ttl)
	}
	return e
}

// claimAll claims until ErrNotFound, at most limit times, and returns the IDs.
func claimAll(t *testing.T, s titan.Store, owner string, limit int) []string {
	t.Helper()
	var got []string
	for range limit {
		e, err := s.ClaimExecution(t.Context(), owner, time.Hour)
		if errors.Is(err, titan.ErrNotFound) {
			return got
		}
		if err != nil {
			t.Fatalf("ClaimExecution: %v", err)
		}
		got = append(got, e.ID)
	}
	t.Fatalf("claimed %d executions and more are left", limit)
	return nil
}

func testClaimOldestFirst(t *testing.T, s titan.Store) {
	c := newExec(t, s, titan.StatusQueued, base.Add(2*time.Minute))
	a := newExec(t, s, titan.StatusQueued, base)
	b := newExec(t, s, titan.StatusQueued, base.Add(time.Minute))
	b2 := newExec(t, s, titan.StatusQueued, base.Add(time.Minute)) // same time as b, created later
	newExec(t, s, titan.StatusRunning, base.Add(-time.Hour))       // running, no lease: not claimable

	for _, want := range []*titan.Execution{a, b, b2} {
		got := mustClaim(t, s, "worker", time.Hour)
		if got.ID != want.ID {
			t.Fatalf("claimed %s (created %v), want %s (created %v)", got.ID, got.CreatedAt, want.ID, want.CreatedAt)
		}
		if got.Status != titan.StatusQueued {
			t.Errorf("claimed status %q, want queued: claiming leaves the status to the worker", got.Status)
		}
		stored := mustGetExec(t, s, got.ID)
		if stored.Lease == nil || stored.Lease.Owner != "worker" || !sameTime(stored.Lease.Until, got.Lease.Until) {
			t.Errorf("stored lease %+v, want the claimed %+v", stored.Lease, got.Lease)
		}
	}
	// A newer execution queued meanwhile waits behind the older one.
	d := newExec(t, s, titan.StatusQueued, base.Add(time.Hour))
	if got := claimAll(t, s, "worker", 10); !slices.Equal(got, []string{c.ID, d.ID}) {
		t.Errorf("then claimed %q, want %q", got, []string{c.ID, d.ID})
	}
}

func testClaimClaimable(t *testing.T, s titan.Store) {
	live := &titan.Lease{Owner: "other", Until: time.Now().Add(time.Hour)}
	expired := &titan.Lease{Owner: "other", Until: time.Now().Add(-time.Hour)}
	var want []string
	for i, tc := range []struct {
		status    titan.ExecutionStatus
		lease     *titan.Lease
		claimable bool
	}{
		{titan.StatusQueued, nil, true},
		{titan.StatusQueued, live, false},
		{titan.StatusQueued, expired, true},
		{titan.StatusRunning, nil, false},
		{titan.StatusRunning, live, false},
		{titan.StatusRunning, expired, true},
		{titan.StatusPaused, nil, false},
		{titan.StatusPaused, live, false},
		{titan.StatusPaused, expired, true},
		{titan.StatusCompleted, expired, false},
		{titan.StatusCompletedWithErrors, expired, false},
		{titan.StatusFailed, expired, false},
		{titan.StatusCancelled, nil, false},
	} {
		task := mustCreateTask(t, s, &titan.Task{Name: "t"})
		e := mustCreateExec(t, s, &titan.Execution{
			ID:     fmt.Sprintf("exe_%s_%d", tc.status, i),
			TaskID: task.ID, Status: tc.status, Lease: tc.lease, CreatedAt: base.Add(time.Duration(i) * time.Minute),
		})
		if tc.claimable {
			want = append(want, e.ID)
		}
	}
	if got := claimAll(t, s, "worker", 20); !slices.Equal(got, want) {
		t.Errorf("claimed %q, want %q", got, want)
	}
}

func testClaimNoDoubleClaim(t *testing.T, s titan.Store) {
	const executions, claimers = 20, 8
	want := make(map[string]bool)
	for i := range executions {
		want[newExec(t, s, titan.StatusQueued, base.Add(time.Duration(i)*time.Second)).ID] = true
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		mu      sync.Mutex
		claimed = make(map[string][]string) // execution ID → owners
	)
	for c := range claimers {
		owner := fmt.Sprint("worker-", c)
		wg.Go(func() {
			<-start
			for range executions + 1 { // more claims than executions is a failure below
				e, err := s.ClaimExecution(t.Context(), owner, time.Hour)
				if errors.Is(err, titan.ErrNotFound) {
					return
				}
				if err != nil {
					t.Errorf("ClaimExecution(%s): %v", owner, err)
					return
				}
				if e.Lease == nil || e.Lease.Owner != owner {
					t.Errorf("%s claimed %s with lease %+v", owner, e.ID, e.Lease)
				}
				mu.Lock()
				claimed[e.ID] = append(claimed[e.ID], owner)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	for id, owners := range claimed {
		if !want[id] {
			t.Errorf("claimed unknown execution %s", id)
		}
		if len(owners) != 1 {
			t.Errorf("execution %s claimed by %v, want exactly one owner", id, owners)
		}
	}
	if len(claimed) != executions {
		t.Errorf("%d executions claimed, want %d", len(claimed), executions)
	}
}

// claimWhenExpired claims with owner until it gets an execution, which happens
// once leases of a nanosecond have expired, or fails t after 5 seconds.
func claimWhenExpired(t *testing.T, s titan.Store, owner string) *titan.Execution {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := s.ClaimExecution(t.Context(), owner, time.Hour)
		switch {
		case err == nil:
			return e
		case !errors.Is(err, titan.ErrNotFound):
			t.Fatalf("ClaimExecution(%s): %v", owner, err)
		case time.Now().After(deadline):
			t.Fatalf("ClaimExecution(%s): nothing claimable 5s after a 1ns lease: %v", owner, err)
		}
		time.Sleep(time.Millisecond)
	}
}

func testClaimExpiredLease(t *testing.T, s titan.Store) {
	for _, running := range []bool{false, true} {
		t.Run(fmt.Sprint("running=", running), func(t *testing.T) {
			queued := newExec(t, s, titan.StatusQueued, base)
			a := mustClaim(t, s, "worker-a", time.Nanosecond)
			if a.ID != queued.ID {
				t.Fatalf("claimed %s, want %s", a.ID, queued.ID)
			}
			want := titan.StatusQueued
			if running {
				// worker-a starts, checkpoints, then dies.
				mustTransition(t, a, titan.StatusRunning, "")
				mustCheckpoint(t, s, a, makeRecords("main", 1, 2))
				want = titan.StatusRunning
			}

			b := claimWhenExpired(t, s, "worker-b")
			if b.ID != a.ID || b.Status != want || b.Lease.Owner != "worker-b" {
				t.Fatalf("worker-b claimed %s in status %q with lease %+v; want %s in status %q leased to worker-b", b.ID, b.Status, b.Lease, a.ID, want)
			}
			if _, err := s.ClaimExecution(t.Context(), "worker-c", time.Hour); !errors.Is(err, titan.ErrNotFound) {
				t.Errorf("worker-c claimed a leased execution: %v", err)
			}

			// worker-a comes back: it holds nothing any more.
			err := s.RenewLease(t.Context(), a.ID, "worker-a", time.Hour)
			wantErrIs(t, "RenewLease by the former owner", err, titan.ErrConflict, a.ID)
			err = s.Checkpoint(t.Context(), a, makeRecords("main", 3, 1))
			wantErrIs(t, "Checkpoint by the former owner", err, titan.ErrConflict, a.ID)
			if err := s.RenewLease(t.Context(), b.ID, "worker-b", time.Hour); err != nil {
				t.Errorf("RenewLease by the new owner: %v", err)
			}
			if running {
				if n := len(mustRecords(t, s, b.ID, 0, 0)); n != 2 {
					t.Errorf("%d records, want the 2 of worker-a's checkpoint", n)
				}
			}
			mustTransition(t, b, titan.StatusCancelled, "test over") // leave nothing claimable
			mustCheckpoint(t, s, b, nil)
		})
	}
}

func testRenewLease(t *testing.T, s titan.Store) {
	newExec(t, s, titan.StatusQueued, base)
	e := mustClaim(t, s, "worker-a", time.Minute)
	unleased := newExec(t, s, titan.StatusQueued, base.Add(time.Hour))

	if err := s.RenewLease(t.Context(), e.ID, "worker-a", time.Hour); err != nil {
		t.Fatalf("RenewLease by the owner: %v", err)
	}
	got := mustGetExec(t, s, e.ID)
	if got.Lease == nil || got.Lease.Owner != "worker-a" || got.Lease.Until.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("renewed lease %+v, want worker-a's for about an hour", got.Lease)
	}

	err := s.RenewLease(t.Context(), e.ID, "worker-b", time.Hour)
	wantErrIs(t, "RenewLease by another owner", err, titan.ErrConflict, e.ID)
	if got := mustGetExec(t, s, e.ID); got.Lease == nil || got.Lease.Owner != "worker-a" {
		t.Errorf("after another owner's renewal, lease %+v, want worker-a's", got.Lease)
	}

	err = s.RenewLease(t.Context(), unleased.ID, "worker-a", time.Hour)
	wantErrIs(t, "RenewLease of an execution without a lease", err, titan.ErrConflict, unleased.ID)

	mustTransition(t, e, titan.StatusRunning, "")
	mustTransition(t, e, titan.StatusCompleted, "all pages done")
	mustCheckpoint(t, s, e, nil)
	err = s.RenewLease(t.Context(), e.ID, "worker-a", time.Hour)
	wantErrIs(t, "RenewLease of a finished execution", err, titan.ErrConflict, e.ID)

	// Even a terminal execution that still names a lease holder cannot be renewed.
	task := mustCreateTask(t, s, &titan.Task{Name: "t"})
	done := mustCreateExec(t, s, &titan.Execution{
		TaskID: task.ID, Status: titan.StatusFailed, Reason: "worker crashed", CreatedAt: base,
		Lease: &titan.Lease{Owner: "worker-a", Until: time.Now().Add(time.Hour)},
	})
	err = s.RenewLease(t.Context(), done.ID, "worker-a", time.Hour)
	wantErrIs(t, "RenewLease of a terminal execution with a lease", err, titan.ErrConflict, done.ID)
}

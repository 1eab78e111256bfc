package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
	"github.com/titanscrape/titan/store/storetest"
)

// The suite passes with reads on the writer connection too.
func TestConformanceSharedConnection(t *testing.T) {
	storetest.Run(t, func(t *testing.T) titan.Store { return openTemp(t, sqlite.WithReadConns(0)) })
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var t0 = time.Date(2025, 6, 1, 9, 0, 0, 123456789, time.UTC)

func wantErr(t *testing.T, what string, err, target error, names ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want one wrapping %v", what, err, target)
		return
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("%s: error %q does not name %q", what, err, n)
		}
	}
}

// TestDurableAcrossReopen writes tasks, executions, records, a lease, a frontier
// and an inventory, closes the store, opens the file again and finds them all.
func TestDurableAcrossReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "titan.db")
	clock := &fakeClock{now: t0}
	s, err := sqlite.Open(ctx, path, sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}

	task := &titan.Task{Name: "Shoe prices", URLs: []string{"https://shop.example/shoes"}, Labels: map[string]string{"team": "growth"}}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	task.Objective = "cheapest shoes"
	if err := s.UpdateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID, TaskVersion: task.Version, Trigger: titan.TriggerManual}); err != nil {
		t.Fatal(err)
	}
	e, err := s.ClaimExecution(ctx, "worker-1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Transition(titan.StatusRunning, "", clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.Stats.Pages, e.Stats.ValidRecords = 2, 2
	e.AddError(titan.ExecError{Class: titan.ClassHTTP, Message: "HTTP 503", URL: "https://shop.example/shoes/3", Step: "main", At: clock.Now()})
	recs := []titan.Record{
		{Step: "main", URL: "https://shop.example/shoes/1", Data: map[string]any{"title": "Trail <Runner>", "price": 129.95}},
		{Step: "main", URL: "https://shop.example/shoes/2", Data: map[string]any{"title": "Road Racer", "price": 99.0},
			Errors: []titan.FieldError{{Field: "sku", Problem: "is missing"}}},
	}
	if err := s.Checkpoint(ctx, e, recs); err != nil {
		t.Fatal(err)
	}
	f := s.Frontier(e.ID, "main")
	for _, u := range []string{"a", "b", "c", "d"} {
		if _, err := f.Add(ctx, " "+u, titan.Item{URL: "https://shop.example/" + u, Depth: 1}, false); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // a and b in flight, then a done
		if _, _, _, err := f.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Done(ctx, " a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddToInventory(ctx, task.ID, []string{"https://shop.example/x", "https://shop.example/y"}); err != nil {
		t.Fatal(err)
	}
	wantTask, err := s.GetTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantExec, err := s.GetExecution(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantRecs, err := s.Records(ctx, e.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openAt(t, path, sqlite.WithClock(clock.Now))
	gotTask, err := s.GetTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotTask, wantTask) || gotTask.Version != 2 || !gotTask.CreatedAt.Equal(t0) || gotTask.CreatedAt.Location() != time.UTC {
		t.Errorf("task after reopening:\n%+v\nwant\n%+v (version 2, created %v UTC)", gotTask, wantTask, t0)
	}
	gotExec, err := s.GetExecution(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotExec, wantExec) || gotExec.Lease == nil || gotExec.Lease.Owner != "worker-1" || len(gotExec.Errors) != 1 {
		t.Errorf("execution after reopening:\n%+v\nwant\n%+v", gotExec, wantExec)
	}
	gotRecs, err := s.Records(ctx, e.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotRecs, wantRecs) || len(gotRecs) != 2 || gotRecs[1].Valid() {
		t.Errorf("records after reopening:\n%+v\nwant\n%+v", gotRecs, wantRecs)
	}

	// The frontier remembers every key and the state of each.
	counts, err := s.FrontierCounts(ctx, e.ID, "main")
	if err != nil || counts != (sqlite.FrontierCounts{Queued: 2, InFlight: 1, Done: 1}) {
		t.Errorf("frontier counts %+v, %v; want 2 queued, 1 in flight, 1 done", counts, err)
	}
	f = s.Frontier(e.ID, "main")
	if ok, err := f.Add(ctx, " a", titan.Item{URL: "https://shop.example/a"}, false); ok || err != nil {
		t.Errorf("Add of a seen key after reopening: %v, %v; want false", ok, err)
	}
	if n, err := s.ResetInFlight(ctx, e.ID); n != 1 || err != nil {
		t.Errorf("ResetInFlight: %d, %v; want 1", n, err)
	}
	var order []string
	for {
		key, it, ok, err := f.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if it.URL != "https://shop.example/"+strings.TrimSpace(key) || it.Depth != 1 {
			t.Errorf("item of %q: %+v", key, it)
		}
		order = append(order, strings.TrimSpace(key))
	}
	if fmt.Sprint(order) != "[b c d]" {
		t.Errorf("after reopening, Next gave %q, want b (reset), c, d", order)
	}
	if urls, err := s.Inventory(ctx, task.ID); err != nil || fmt.Sprint(urls) != "[https://shop.example/x https://shop.example/y]" {
		t.Errorf("inventory after reopening: %q, %v", urls, err)
	}

	// The lease survived too: worker-1 can renew it, worker-2 cannot claim it.
	if err := s.RenewLease(ctx, e.ID, "worker-1", time.Hour); err != nil {
		t.Errorf("RenewLease after reopening: %v", err)
	}
	if _, err := s.ClaimExecution(ctx, "worker-2", time.Hour); !errors.Is(err, titan.ErrNotFound) {
		t.Errorf("ClaimExecution of a leased execution after reopening: %v, want ErrNotFound", err)
	}
	// New records go on from the last Seq.
	more := []titan.Record{{Step: "main", Data: map[string]any{"title": "third"}}}
	if err := s.Checkpoint(ctx, gotExec, more); err != nil || more[0].Seq != 3 {
		t.Errorf("Checkpoint after reopening: Seq %d, %v; want 3", more[0].Seq, err)
	}
}

func TestTaskVersion(t *testing.T) {
	ctx := t.Context()
	clock := &fakeClock{now: t0}
	s := openTemp(t, sqlite.WithClock(clock.Now))
	task := &titan.Task{Name: "v1", URLs: []string{"https://shop.example/1"}, Params: map[string]any{"n": 1}}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	want := []*titan.Task{nil, task.Clone()} // want[v] is version v
	for v := 2; v <= 4; v++ {
		clock.Advance(time.Minute)
		task.Name = fmt.Sprint("v", v)
		task.URLs = append(task.URLs, fmt.Sprint("https://shop.example/", v))
		if v == 3 {
			task.Status = titan.TaskPaused
		}
		if err := s.UpdateTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		want = append(want, task.Clone())
	}
	for v := 1; v <= 4; v++ {
		got, err := s.TaskVersion(ctx, task.ID, v)
		if err != nil {
			t.Fatalf("TaskVersion(%d): %v", v, err)
		}
		if !reflect.DeepEqual(got, want[v]) {
			t.Errorf("TaskVersion(%d):\n%+v\nwant\n%+v", v, got, want[v])
		}
	}
	if got, _ := s.TaskVersion(ctx, task.ID, 1); !got.UpdatedAt.Equal(t0) || got.Status != titan.TaskActive || len(got.URLs) != 1 {
		t.Errorf("version 1: updated %v, status %q, urls %q; want the task as created", got.UpdatedAt, got.Status, got.URLs)
	}
	current, err := s.GetTask(ctx, task.ID)
	if err != nil || !reflect.DeepEqual(current, want[4]) {
		t.Errorf("GetTask: %+v, %v; want version 4", current, err)
	}

	_, err = s.TaskVersion(ctx, task.ID, 5)
	wantErr(t, "TaskVersion of a version to come", err, titan.ErrNotFound, task.ID, "version 5")
	_, err = s.TaskVersion(ctx, "tsk_missing", 1)
	wantErr(t, "TaskVersion of a missing task", err, titan.ErrNotFound, "tsk_missing")

	// A failed update keeps no version.
	stale := want[2].Clone()
	if err := s.UpdateTask(ctx, stale); !errors.Is(err, titan.ErrConflict) {
		t.Fatalf("stale UpdateTask: %v", err)
	}
	if _, err := s.TaskVersion(ctx, task.ID, 5); !errors.Is(err, titan.ErrNotFound) {
		t.Errorf("version 5 after a failed update: %v, want ErrNotFound", err)
	}
}

func TestExecutionNeedsTask(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	err := s.CreateExecution(ctx, &titan.Execution{ID: "run-1", TaskID: "tsk_missing"})
	wantErr(t, "CreateExecution of a missing task", err, titan.ErrNotFound, "run-1", "tsk_missing")
	if _, err := s.GetExecution(ctx, "run-1"); !errors.Is(err, titan.ErrNotFound) {
		t.Errorf("GetExecution after the failed creation: %v, want ErrNotFound", err)
	}

	task := &titan.Task{Name: "t"}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	e := &titan.Execution{TaskID: task.ID, Status: titan.StatusRunning}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	moved := e.Clone()
	moved.TaskID = "tsk_other"
	recs := []titan.Record{{Step: "main"}}
	err = s.Checkpoint(ctx, moved, recs)
	wantErr(t, "Checkpoint moving the execution to a missing task", err, titan.ErrNotFound, e.ID, "tsk_other")
	if got, err := s.Records(ctx, e.ID, 0, 0); err != nil || len(got) != 0 || recs[0].Seq != 0 {
		t.Errorf("after the failed checkpoint: %d records, %v, Seq written back %d; want none", len(got), err, recs[0].Seq)
	}
}

func TestWithClock(t *testing.T) {
	ctx := t.Context()
	clock := &fakeClock{now: t0}
	s := openTemp(t, sqlite.WithClock(clock.Now))
	task := &titan.Task{Name: "shoes"}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	e := &titan.Execution{TaskID: task.ID}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	if !task.CreatedAt.Equal(t0) || !e.CreatedAt.Equal(t0) || e.Status != titan.StatusQueued {
		t.Errorf("task created %v, execution created %v in %q; want %v and queued", task.CreatedAt, e.CreatedAt, e.Status, t0)
	}
	claimed, err := s.ClaimExecution(ctx, "worker-a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(time.Minute); !claimed.Lease.Until.Equal(want) {
		t.Errorf("lease until %v, want %v", claimed.Lease.Until, want)
	}
	clock.Advance(time.Minute) // now == Until: not expired yet
	if _, err := s.ClaimExecution(ctx, "worker-b", time.Minute); !errors.Is(err, titan.ErrNotFound) {
		t.Errorf("claim at the expiry instant: %v, want ErrNotFound", err)
	}
	clock.Advance(time.Nanosecond)
	if got, err := s.ClaimExecution(ctx, "worker-b", time.Minute); err != nil || got.ID != e.ID || got.Lease.Owner != "worker-b" {
		t.Errorf("claim a nanosecond after expiry: %+v, %v; want %s leased to worker-b", got, err, e.ID)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
		opts []sqlite.Option
	}{
		{"empty path", "", nil},
		{"missing directory", filepath.Join(dir, "missing", "titan.db"), nil},
		{"directory", dir, nil},
		{"nil clock", filepath.Join(dir, "a.db"), []sqlite.Option{sqlite.WithClock(nil)}},
		{"negative read connections", filepath.Join(dir, "b.db"), []sqlite.Option{sqlite.WithReadConns(-1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := sqlite.Open(ctx, tc.path, tc.opts...)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if s, err := sqlite.Open(cancelled, filepath.Join(dir, "c.db")); !errors.Is(err, context.Canceled) {
		if s != nil {
			s.Close()
		}
		t.Errorf("Open on a cancelled context: %v, want context.Canceled", err)
	}
}

func TestClosedStoreExtras(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	task := &titan.Task{Name: "t"}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	e := &titan.Execution{TaskID: task.ID}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	f := s.Frontier(e.ID, "main")
	if _, err := f.Add(ctx, "k", titan.Item{}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Add(ctx, "k2", titan.Item{}, false); !errors.Is(err, sqlite.ErrClosed) {
		t.Errorf("Frontier.Add after Close: %v, want ErrClosed", err)
	}
	if _, _, _, err := f.Next(ctx); !errors.Is(err, sqlite.ErrClosed) {
		t.Errorf("Frontier.Next after Close: %v, want ErrClosed", err)
	}
	if f.Seen() != -1 || f.Queued() != -1 {
		t.Errorf("Seen %d, Queued %d after Close; want -1, -1", f.Seen(), f.Queued())
	}
	if _, err := s.TaskVersion(ctx, task.ID, 1); !errors.Is(err, sqlite.ErrClosed) {
		t.Errorf("TaskVersion after Close: %v, want ErrClosed", err)
	}
	if _, err := s.AddToInventory(ctx, task.ID, []string{"u"}); !errors.Is(err, sqlite.ErrClosed) {
		t.Errorf("AddToInventory after Close: %v, want ErrClosed", err)
	}
	if _, err := s.ResetInFlight(ctx, e.ID); !errors.Is(err, sqlite.ErrClosed) {
		t.Errorf("ResetInFlight after Close: %v, want ErrClosed", err)
	}
}

// A path with characters that mean something in a URI names the file it says.
func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my data?v=1#x %41")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "titan.db")
	s := openAt(t, path)
	if err := s.CreateTask(t.Context(), &titan.Task{Name: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at %s: %v", path, err)
	}
}

package sqlite_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
)

// newExecution stores a task and an execution of it and returns the execution's ID.
func newExecution(t testing.TB, s *sqlite.Store) string {
	t.Helper()
	task := &titan.Task{Name: "crawl"}
	if err := s.CreateTask(t.Context(), task); err != nil {
		t.Fatal(err)
	}
	e := &titan.Execution{TaskID: task.ID, Status: titan.StatusRunning}
	if err := s.CreateExecution(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// drain calls Next until the frontier is empty and returns the keys in order.
func drain(t *testing.T, f titan.Frontier) []string {
	t.Helper()
	var keys []string
	for {
		key, _, ok, err := f.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return keys
		}
		keys = append(keys, key)
	}
}

func TestFrontierFIFOAndDedup(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	f := s.Frontier(newExecution(t, s), "list")
	for _, tc := range []struct {
		key  string
		done bool
		want bool
	}{
		{"c", false, true},
		{"a", false, true},
		{"seen", true, true}, // accepted as seen, never queued
		{"c", false, false},
		{"b", false, true},
		{"seen", false, false},
		{"a", true, false},
	} {
		ok, err := f.Add(ctx, tc.key, titan.Item{URL: "https://shop.example/" + tc.key, Depth: 2, Kind: "page", Data: map[string]any{"n": 1.5}}, tc.done)
		if err != nil || ok != tc.want {
			t.Errorf("Add(%q, done=%v) = %v, %v; want %v", tc.key, tc.done, ok, err, tc.want)
		}
	}
	if f.Seen() != 4 || f.Queued() != 3 {
		t.Errorf("Seen %d, Queued %d; want 4, 3", f.Seen(), f.Queued())
	}
	key, it, ok, err := f.Next(ctx)
	if err != nil || !ok || key != "c" {
		t.Fatalf("Next = %q, %v, %v; want c", key, ok, err)
	}
	if want := (titan.Item{URL: "https://shop.example/c", Depth: 2, Kind: "page", Data: map[string]any{"n": 1.5}}); fmt.Sprint(it) != fmt.Sprint(want) {
		t.Errorf("item %+v, want %+v", it, want)
	}
	if got := drain(t, f); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("then Next gave %q, want a, b", got)
	}
	if f.Seen() != 4 || f.Queued() != 0 {
		t.Errorf("after draining: Seen %d, Queued %d; want 4, 0", f.Seen(), f.Queued())
	}
	for _, k := range []string{"a", "b", "c"} {
		if err := f.Done(ctx, k); err != nil {
			t.Errorf("Done(%q): %v", k, err)
		}
	}
	counts, err := s.FrontierCounts(ctx, "missing", "list")
	if err != nil || counts != (sqlite.FrontierCounts{}) {
		t.Errorf("counts of a frontier never used: %+v, %v; want zeros", counts, err)
	}
}

func TestFrontierStepsAreSeparate(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	exec := newExecution(t, s)
	list, detail := s.Frontier(exec, "list"), s.Frontier(exec, "detail")
	other := s.Frontier(newExecution(t, s), "list")
	for _, f := range []titan.Frontier{list, detail, other} {
		if ok, err := f.Add(ctx, "k", titan.Item{}, false); !ok || err != nil {
			t.Errorf("Add of the same key to another frontier: %v, %v; want true", ok, err)
		}
	}
	// Two handles on one frontier share it.
	if ok, err := s.Frontier(exec, "list").Add(ctx, "k", titan.Item{}, false); ok || err != nil {
		t.Errorf("Add through a second handle: %v, %v; want false", ok, err)
	}
	if got := drain(t, detail); !slices.Equal(got, []string{"k"}) {
		t.Errorf("detail gave %q, want k", got)
	}
	if list.Queued() != 1 || other.Queued() != 1 {
		t.Errorf("queued: list %d, other %d; want 1, 1", list.Queued(), other.Queued())
	}
}

// TestFrontierConcurrentAdd has 8 adders offer the same keys at once: each key
// is accepted exactly once.
func TestFrontierConcurrentAdd(t *testing.T) {
	const adders, keys = 8, 100
	ctx := t.Context()
	s := openTemp(t)
	f := s.Frontier(newExecution(t, s), "crawl")
	var (
		wg       sync.WaitGroup
		start    = make(chan struct{})
		mu       sync.Mutex
		accepted = make(map[string]int)
	)
	for a := range adders {
		wg.Go(func() {
			<-start
			for i := range keys {
				k := fmt.Sprint("https://shop.example/", (i+a*7)%keys) // each adder in its own order
				ok, err := f.Add(ctx, k, titan.Item{URL: k}, false)
				if err != nil {
					t.Errorf("Add: %v", err)
					return
				}
				if ok {
					mu.Lock()
					accepted[k]++
					mu.Unlock()
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if len(accepted) != keys {
		t.Errorf("%d keys accepted, want %d", len(accepted), keys)
	}
	for k, n := range accepted {
		if n != 1 {
			t.Errorf("key %s accepted %d times", k, n)
		}
	}
	if f.Seen() != keys || f.Queued() != keys {
		t.Errorf("Seen %d, Queued %d; want %d twice", f.Seen(), f.Queued(), keys)
	}
}

// TestFrontierConcurrentNext has 8 workers take items at once: each item is
// handed out exactly once.
func TestFrontierConcurrentNext(t *testing.T) {
	const workers, keys = 8, 100
	ctx := t.Context()
	s := openTemp(t)
	f := s.Frontier(newExecution(t, s), "crawl")
	for i := range keys {
		if _, err := f.Add(ctx, fmt.Sprint(i), titan.Item{}, false); err != nil {
			t.Fatal(err)
		}
	}
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = make(map[string]int)
	)
	for range workers {
		wg.Go(func() {
			for {
				key, _, ok, err := f.Next(ctx)
				if err != nil {
					t.Errorf("Next: %v", err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				got[key]++
				mu.Unlock()
				if err := f.Done(ctx, key); err != nil {
					t.Errorf("Done: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if len(got) != keys {
		t.Errorf("%d items handed out, want %d", len(got), keys)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("item %s handed out %d times", k, n)
		}
	}
	if c, err := s.FrontierCounts(ctx, "", ""); err != nil || c.Seen() != 0 {
		t.Errorf("counts of another frontier: %+v, %v", c, err)
	}
}

func TestFrontierResetInFlight(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	exec := newExecution(t, s)
	list, detail := s.Frontier(exec, "list"), s.Frontier(exec, "detail")
	for _, k := range []string{"1", "2", "3", "4", "5"} {
		for _, f := range []titan.Frontier{list, detail} {
			if _, err := f.Add(ctx, k, titan.Item{}, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 3 { // 1, 2, 3 in flight on list
		if _, _, _, err := list.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := list.Done(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := detail.Next(ctx); err != nil { // 1 in flight on detail
		t.Fatal(err)
	}

	// The worker died: what was in flight on any step goes back to the queue.
	n, err := s.ResetInFlight(ctx, exec)
	if err != nil || n != 3 {
		t.Fatalf("ResetInFlight = %d, %v; want 3", n, err)
	}
	if got := drain(t, list); !slices.Equal(got, []string{"1", "3", "4", "5"}) {
		t.Errorf("list after the reset: %q, want 1, 3 (reset, in their order), 4, 5", got)
	}
	if got := drain(t, detail); !slices.Equal(got, []string{"1", "2", "3", "4", "5"}) {
		t.Errorf("detail after the reset: %q, want 1 to 5", got)
	}
	if n, err := s.ResetInFlight(ctx, exec); err != nil || n != 9 {
		t.Errorf("second ResetInFlight = %d, %v; want the 9 items drained meanwhile", n, err)
	}
	_, err = s.ResetInFlight(ctx, "exe_missing")
	wantErr(t, "ResetInFlight of a missing execution", err, titan.ErrNotFound, "exe_missing")
}

func TestFrontierErrors(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	_, err := s.Frontier("exe_missing", "main").Add(ctx, "k", titan.Item{}, false)
	wantErr(t, "Add to the frontier of a missing execution", err, titan.ErrNotFound, "exe_missing")

	f := s.Frontier(newExecution(t, s), "main")
	err = f.Done(ctx, "never-added")
	wantErr(t, "Done of a key never added", err, titan.ErrNotFound, "never-added")
	_, err = f.Add(ctx, "bad", titan.Item{Data: map[string]any{"f": func() {}}}, false)
	if err == nil || errors.Is(err, titan.ErrNotFound) {
		t.Errorf("Add of an item JSON cannot encode: %v, want an encoding error", err)
	}
	if f.Seen() != 0 {
		t.Errorf("Seen %d after the failed add, want 0", f.Seen())
	}
}

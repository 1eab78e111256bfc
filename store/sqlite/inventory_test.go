package sqlite_test

import (
	"slices"
	"testing"

	"github.com/titanscrape/titan"
)

func TestInventory(t *testing.T) {
	ctx := t.Context()
	s := openTemp(t)
	task, other := &titan.Task{Name: "a"}, &titan.Task{Name: "b"}
	for _, tk := range []*titan.Task{task, other} {
		if err := s.CreateTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	if urls, err := s.Inventory(ctx, task.ID); err != nil || len(urls) != 0 {
		t.Errorf("empty inventory: %q, %v", urls, err)
	}
	for _, tc := range []struct {
		id    string
		urls  []string
		added int
	}{
		{task.ID, []string{"https://a/3", "https://a/1", "https://a/3"}, 2}, // a repeat within the call
		{task.ID, nil, 0},
		{task.ID, []string{"https://a/1", "https://a/2"}, 1}, // one already in
		{other.ID, []string{"https://a/1"}, 1},               // inventories are per task
	} {
		if n, err := s.AddToInventory(ctx, tc.id, tc.urls); err != nil || n != tc.added {
			t.Errorf("AddToInventory(%q) = %d, %v; want %d", tc.urls, n, err, tc.added)
		}
	}
	if urls, err := s.Inventory(ctx, task.ID); err != nil || !slices.Equal(urls, []string{"https://a/3", "https://a/1", "https://a/2"}) {
		t.Errorf("inventory: %q, %v; want a/3, a/1, a/2 in the order added", urls, err)
	}
	if urls, err := s.Inventory(ctx, other.ID); err != nil || !slices.Equal(urls, []string{"https://a/1"}) {
		t.Errorf("other inventory: %q, %v", urls, err)
	}

	_, err := s.AddToInventory(ctx, "tsk_missing", []string{"https://a/1"})
	wantErr(t, "AddToInventory of a missing task", err, titan.ErrNotFound, "tsk_missing")
	_, err = s.AddToInventory(ctx, "tsk_missing", nil)
	wantErr(t, "AddToInventory of nothing to a missing task", err, titan.ErrNotFound, "tsk_missing")
	_, err = s.Inventory(ctx, "tsk_missing")
	wantErr(t, "Inventory of a missing task", err, titan.ErrNotFound, "tsk_missing")
}

package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

// calls returns one call of every Store method but Close, each on the task and
// execution given.
func calls(task *titan.Task, e *titan.Execution) []struct {
	name string
	call func(ctx context.Context, s titan.Store) error
} {
	return []struct {
		name string
		call func(ctx context.Context, s titan.Store) error
	}{
		{"CreateTask", func(ctx context.Context, s titan.Store) error {
			return s.CreateTask(ctx, &titan.Task{Name: "late"})
		}},
		{"GetTask", func(ctx context.Context, s titan.Store) error {
			_, err := s.GetTask(ctx, task.ID)
			return err
		}},
		{"ListTasks", func(ctx context.Context, s titan.Store) error {
			_, err := s.ListTasks(ctx, titan.TaskFilter{})
			return err
		}},
		{"UpdateTask", func(ctx context.Context, s titan.Store) error {
			c := task.Clone()
			c.Name = "renamed"
			return s.UpdateTask(ctx, c)
		}},
		{"CreateExecution", func(ctx context.Context, s titan.Store) error {
			return s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued})
		}},
		{"GetExecution", func(ctx context.Context, s titan.Store) error {
			_, err := s.GetExecution(ctx, e.ID)
			return err
		}},
		{"ListExecutions", func(ctx context.Context, s titan.Store) error {
			_, err := s.ListExecutions(ctx, titan.ExecutionFilter{})
			return err
		}},
		{"Checkpoint", func(ctx context.Context, s titan.Store) error {
			return s.Checkpoint(ctx, e.Clone(), makeRecords("main", 1, 1))
		}},
		{"Records", func(ctx context.Context, s titan.Store) error {
			_, err := s.Records(ctx, e.ID, 0, 10)
			return err
		}},
		{"ClaimExecution", func(ctx context.Context, s titan.Store) error {
			_, err := s.ClaimExecution(ctx, "worker", time.Hour)
			return err
		}},
		{"RenewLease", func(ctx context.Context, s titan.Store) error {
			return s.RenewLease(ctx, e.ID, "worker", time.Hour)
		}},
	}
}

// testCancelledContext checks that every method fails on a cancelled context,
// and changes nothing.
func testCancelledContext(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "task"})
	e := mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, CreatedAt: base})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range calls(task, e) {
		if err := c.call(ctx, s); !errors.Is(err, context.Canceled) {
			t.Errorf("%s on a cancelled context: got error %v, want one wrapping context.Canceled", c.name, err)
		}
	}

	tasks, err := s.ListTasks(t.Context(), titan.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks.Items) != 1 || tasks.Items[0].Name != "task" || tasks.Items[0].Version != 1 {
		t.Errorf("tasks after the cancelled calls: %d, want the one created before, unchanged", len(tasks.Items))
	}
	execs, err := s.ListExecutions(t.Context(), titan.ExecutionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(execs.Items) != 1 || execs.Items[0].Lease != nil {
		t.Errorf("executions after the cancelled calls: %d, want the one created before, without a lease", len(execs.Items))
	}
	if n := len(mustRecords(t, s, e.ID, 0, 0)); n != 0 {
		t.Errorf("%d records after a cancelled checkpoint, want none", n)
	}
}

// testClose checks that every method fails once the store is closed.
func testClose(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "task"})
	e := mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, CreatedAt: base})
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, c := range calls(task, e) {
		if err := c.call(t.Context(), s); err == nil {
			t.Errorf("%s after Close: no error", c.name)
		}
	}
}

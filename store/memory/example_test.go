package memory_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/memory"
)

// A worker claims a queued execution, checkpoints its records as it goes and
// finishes it; a finished execution accepts no more records.
func Example() {
	ctx := context.Background()
	s := memory.New()
	defer s.Close()

	task := &titan.Task{Name: "Shoe prices", URLs: []string{"https://shop.example/shoes"}}
	if err := s.CreateTask(ctx, task); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("task:", task.Status, "version", task.Version)

	if err := s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID, TaskVersion: task.Version, Trigger: titan.TriggerManual}); err != nil {
		fmt.Println(err)
		return
	}

	e, err := s.ClaimExecution(ctx, "worker-1", time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("claimed by", e.Lease.Owner)
	_ = e.Transition(titan.StatusRunning, "", time.Now())
	recs := []titan.Record{
		{Step: titan.MainStep, URL: "https://shop.example/shoes/1", Data: map[string]any{"title": "Trail Runner", "price": 129.95}},
		{Step: titan.MainStep, URL: "https://shop.example/shoes/2", Data: map[string]any{"title": "Road Racer", "price": 99.0}},
	}
	if err := s.Checkpoint(ctx, e, recs); err != nil {
		fmt.Println(err)
		return
	}
	_ = e.Transition(titan.StatusCompleted, "all pages done", time.Now())
	if err := s.Checkpoint(ctx, e, nil); err != nil {
		fmt.Println(err)
		return
	}

	got, err := s.Records(ctx, e.ID, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range got {
		fmt.Println(r.Seq, r.Data["title"], r.Data["price"])
	}
	err = s.Checkpoint(ctx, e, []titan.Record{{Step: titan.MainStep}})
	fmt.Println("late checkpoint conflicts:", errors.Is(err, titan.ErrConflict))
	// Output:
	// task: active version 1
	// claimed by worker-1
	// 1 Trail Runner 129.95
	// 2 Road Racer 99
	// late checkpoint conflicts: true
}

package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
)

// A worker claims an execution and checkpoints its records; the process stops
// and, once the file is opened again, the records, the task's versions and the
// crawl frontier are all still there.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "titan-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "titan.db")

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		fmt.Println(err)
		return
	}
	task := &titan.Task{Name: "Shoe prices", URLs: []string{"https://shop.example/shoes"}}
	if err := s.CreateTask(ctx, task); err != nil {
		fmt.Println(err)
		return
	}
	task.URLs = append(task.URLs, "https://shop.example/boots")
	if err := s.UpdateTask(ctx, task); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID, TaskVersion: task.Version, Trigger: titan.TriggerManual}); err != nil {
		fmt.Println(err)
		return
	}
	e, err := s.ClaimExecution(ctx, "worker-1", time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = e.Transition(titan.StatusRunning, "", time.Now())
	f := s.Frontier(e.ID, titan.MainStep)
	for _, u := range task.URLs {
		_, _ = f.Add(ctx, u, titan.Item{URL: u}, false)
	}
	key, _, _, _ := f.Next(ctx) // the worker takes the first page...
	recs := []titan.Record{{Step: titan.MainStep, URL: key, Data: map[string]any{"title": "Trail Runner", "price": 129.95}}}
	if err := s.Checkpoint(ctx, e, recs); err != nil {
		fmt.Println(err)
		return
	}
	_ = s.Close() // ...and its process stops.

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	got, _ := s.Records(ctx, e.ID, 0, 0)
	for _, r := range got {
		fmt.Println("record", r.Seq, r.URL, r.Data["title"], r.Data["price"])
	}
	v1, _ := s.TaskVersion(ctx, task.ID, 1)
	fmt.Println("version 1 targets", v1.URLs)
	reset, _ := s.ResetInFlight(ctx, e.ID)
	fmt.Println("back in the queue:", reset)
	for {
		key, _, ok, _ := s.Frontier(e.ID, titan.MainStep).Next(ctx)
		if !ok {
			break
		}
		fmt.Println("to do:", key)
	}
	// Output:
	// record 1 https://shop.example/shoes Trail Runner 129.95
	// version 1 targets [https://shop.example/shoes]
	// back in the queue: 1
	// to do: https://shop.example/shoes
	// to do: https://shop.example/boots
}

// Command monitor runs a scheduled price monitor on the embedded demo shop, with
// its history in a SQLite file. The shop's prices and stock change between runs;
// after each run the monitor prints the change set against the run before.
//
//	go run ./examples/monitor              # three runs, two seconds apart
//	go run ./examples/monitor -db prices.db -runs 5
//
// Run it twice with the same -db: the second process compares its first run with
// the last run of the first process, and the task's schedule survives.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/store/sqlite"
)

const productSchema = `{"type":"object","x-key":"sku","required":["sku","name","price"],"properties":{
  "sku":{"type":"string","x-selector":"span.sku"},
  "name":{"type":"string","x-selector":"h1.product-title"},
  "price":{"type":"number","x-selector":".price-box span.price","minimum":0},
  "in_stock":{"type":"boolean","x-selector":".availability"}}}`

func main() {
	db := flag.String("db", filepath.Join(os.TempDir(), "titan-monitor.db"), "the SQLite file that keeps tasks, runs and results")
	runs := flag.Int("runs", 3, "scheduled runs to watch before exiting")
	flag.Parse()
	if err := run(context.Background(), *db, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "monitor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, db string, runs int) error {
	shop := demosite.New(demosite.Config{Products: 12, PerPage: 12})
	base, stop, err := demosite.Serve(shop.Handler())
	if err != nil {
		return err
	}
	defer stop()

	store, err := sqlite.Open(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := runner.New(runner.Config{RatePerHost: 100})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Store: store, Runner: r})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)

	var urls []string
	for _, p := range shop.Products() {
		urls = append(urls, base+p.URL)
	}
	task := &titan.Task{
		Name:          "demo price monitor",
		Objective:     "Watch prices and stock of the demo shop",
		URLs:          urls,
		OutputSchema:  json.RawMessage(productSchema),
		ExecutionType: titan.ExecutionScheduled,
		Schedule:      "@every 2s",
	}
	// A task from an earlier process is updated (the shop's port changed), so
	// its history stays one series.
	found, err := eng.ListTasks(ctx, titan.TaskFilter{Name: task.Name, ExecutionType: titan.ExecutionScheduled})
	if err != nil {
		return err
	}
	if len(found.Items) > 0 {
		task.ID, task.Version = found.Items[0].ID, found.Items[0].Version
		task, err = eng.UpdateTask(ctx, task)
	} else {
		task, err = eng.CreateTask(ctx, task)
	}
	if err != nil {
		return err
	}
	sub := eng.Subscribe(1000)
	if err := eng.Start(ctx); err != nil {
		return err
	}
	fmt.Printf("monitoring %d products every 2s, history in %s\n", len(urls), db)
	for seen := 0; seen < runs; {
		ev := <-sub.C
		if ev.Kind != engine.EventFinished || ev.TaskID != task.ID {
			continue
		}
		seen++
		changes, had, err := eng.Changes(ctx, ev.ExecutionID)
		if err != nil {
			return err
		}
		fmt.Printf("\nrun %d (%s): %s\n", seen, ev.ExecutionID, ev.Reason)
		counts := map[titan.ChangeKind]int{}
		for _, c := range changes {
			counts[c.Kind]++
			if c.Kind == titan.ChangeChanged && had {
				fmt.Printf("  %-10s %-42v", c.Data["sku"], c.Data["name"])
				for _, f := range c.Fields {
					fmt.Printf("  %s %v → %v", f, c.Previous[f], c.Data[f])
				}
				fmt.Println()
			}
		}
		fmt.Printf("  new %d, changed %d, same %d, removed %d\n", counts[titan.ChangeNew], counts[titan.ChangeChanged], counts[titan.ChangeSame], counts[titan.ChangeRemoved])
		shop.SetEpoch(shop.Epoch() + 1) // prices move before the next run
	}
	return nil
}

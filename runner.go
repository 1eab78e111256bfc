package titan

import "context"

// A Runner executes tasks: it owns fetching, limits and action dispatch. The default
// runner (package runner) does real HTTP; package titantest offers one that serves
// canned pages from memory for users' tests.
type Runner interface {
	// Execute runs job to its end, sending records and item errors to sink as they
	// happen, and returns the execution's stats. A non-nil error means the execution
	// as a whole failed (an invalid task, an unknown action, ctx cancelled); failures
	// of single items go to sink and do not stop the others.
	Execute(ctx context.Context, job *Job, sink Sink) (Stats, error)
	// Knows reports whether the runner has an action registered for t.
	Knows(t ActionType) bool
}

// Job is one execution of one task version, as handed to a Runner.
type Job struct {
	ExecutionID string
	Task        *Task
	Trigger     Trigger
	// Secrets is the run's secret_payload; it is never stored.
	Secrets Secrets
	// Limits, when not nil, override the task's and steps' limits where set (used by
	// preview runs).
	Limits *Limits
	// Gate, when not nil, pauses and resumes the execution: while it is paused
	// the runner takes no new item.
	Gate *Gate
	// Inventory keeps the task's URL inventory, for steps whose input source is
	// task_url_inventory or that add to it; nil when the store keeps none.
	Inventory Inventory
	// Frontier, when not nil, returns the frontier of each step, e.g. a durable
	// one kept by the store; by default the runner keeps them in memory.
	Frontier func(step string) Frontier
	// Resume, when not nil, continues an interrupted execution: the frontiers
	// hold its items (none is seeded again) and counting starts from these stats.
	Resume *Stats
}

// Inventory is a per-task URL inventory kept across executions: one step reads it
// (input_source task_url_inventory), another adds the URLs it emits to it
// (add_to_inventory), e.g. product URLs that accumulate run after run. Stores that
// keep one implement it.
type Inventory interface {
	// AddToInventory adds urls to the task's inventory and returns how many were
	// not in it yet.
	AddToInventory(ctx context.Context, taskID string, urls []string) (int, error)
	// Inventory returns the task's URLs in the order they were first added.
	Inventory(ctx context.Context, taskID string) ([]string, error)
}

// A Sink receives an execution's output while it runs. Its methods are called from
// many goroutines; Record may block to apply backpressure and returns an error when
// the output cannot be kept (the runner then stops the execution).
type Sink interface {
	// Record receives one record of the item with the given frontier key.
	Record(ctx context.Context, item string, rec Record) error
	// ItemDone says that the item with the frontier key of the step is processed
	// and all its records were sent. A durable sink marks the item done in the
	// same transaction that keeps its records, so that after a crash an item is
	// either done with all its records kept, or processed again from scratch.
	ItemDone(ctx context.Context, step, item string)
	Error(ctx context.Context, err ExecError)
	// Progress receives a snapshot of the stats now and then.
	Progress(s Stats)
}

package titan

import "context"

// A Frontier holds the items of one step that wait to be processed, and remembers
// every item it ever accepted so that none is processed twice. The runner keeps one
// per execution step; the in-memory one is the default, and durable stores can
// provide their own so that a crawl resumes after a crash.
//
// Keys identify items: the runner uses the item's Kind and its normalised URL.
type Frontier interface {
	// Add records key as seen and, unless done, queues it. It reports false, and
	// queues nothing, when key was seen before: the check and the mark are one
	// atomic step.
	Add(ctx context.Context, key string, it Item, done bool) (bool, error)
	// Next removes and returns the oldest queued item; ok is false when none waits.
	Next(ctx context.Context) (key string, it Item, ok bool, err error)
	// Done records that the item with key was processed. The runner leaves this
	// to its Sink (see Sink.ItemDone), which can do it atomically with keeping
	// the item's records.
	Done(ctx context.Context, key string) error
	// Seen is the number of keys ever added; Queued the number waiting.
	Seen() int
	Queued() int
}

// FrontierKey names one item of one step's frontier.
type FrontierKey struct {
	Step string
	Key  string
}

// A FrontierStore is a Store that keeps crawl frontiers, so that an execution
// interrupted by a crash resumes where it stopped.
type FrontierStore interface {
	// Frontier returns the durable frontier of one step of an execution.
	Frontier(executionID, step string) Frontier
	// ResetInFlight puts the items that were in progress when the execution was
	// interrupted back in the queue, and returns how many there were.
	ResetInFlight(ctx context.Context, executionID string) (int, error)
	// CheckpointDone is Store.Checkpoint that also marks the items done, in the
	// same transaction.
	CheckpointDone(ctx context.Context, e *Execution, recs []Record, done []FrontierKey) error
}

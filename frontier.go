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
	// Done records that the item with key was processed.
	Done(ctx context.Context, key string) error
	// Seen is the number of keys ever added; Queued the number waiting.
	Seen() int
	Queued() int
}

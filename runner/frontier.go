package runner

import (
	"context"
	"hash/maphash"
	"sync"

	"github.com/titanscrape/titan"
)

// memFrontier is the in-memory titan.Frontier: a FIFO queue of waiting items and a
// set of the 128-bit hashes of every key it accepted. Storing hashes rather than
// keys keeps a seen URL at 16 bytes (plus the map's overhead); two different keys
// share a hash with a probability around 2^-128 per pair, which we accept.
type memFrontier struct {
	seeds [2]maphash.Seed

	mu    sync.Mutex
	seen  map[[2]uint64]struct{}
	queue []entry // queue[head:] waits
	head  int
}

type entry struct {
	key string
	it  titan.Item
}

// NewMemoryFrontier returns an empty in-memory Frontier.
func NewMemoryFrontier() titan.Frontier {
	return &memFrontier{
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		seen:  make(map[[2]uint64]struct{}),
	}
}

func (f *memFrontier) hash(key string) [2]uint64 {
	return [2]uint64{maphash.String(f.seeds[0], key), maphash.String(f.seeds[1], key)}
}

func (f *memFrontier) Add(_ context.Context, key string, it titan.Item, done bool) (bool, error) {
	h := f.hash(key)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.seen[h]; ok {
		return false, nil
	}
	f.seen[h] = struct{}{}
	if !done {
		f.queue = append(f.queue, entry{key, it})
	}
	return true, nil
}

func (f *memFrontier) Next(context.Context) (string, titan.Item, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.head == len(f.queue) {
		return "", titan.Item{}, false, nil
	}
	e := f.queue[f.head]
	f.queue[f.head] = entry{}
	f.head++
	// Reclaim the consumed prefix once it is half the slice, so a long crawl's
	// queue does not keep every item it ever held.
	if f.head >= 1024 && f.head*2 >= len(f.queue) {
		n := copy(f.queue, f.queue[f.head:])
		clear(f.queue[n:])
		f.queue = f.queue[:n]
		f.head = 0
	}
	return e.key, e.it, true, nil
}

func (f *memFrontier) Done(context.Context, string) error { return nil }

func (f *memFrontier) Seen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

func (f *memFrontier) Queued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue) - f.head
}

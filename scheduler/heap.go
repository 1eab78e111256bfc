package scheduler

import (
	"container/heap"
	"time"
)

// The timer heap holds one item per scheduled entry, keyed by firing time, with
// the key inline so that comparisons and swaps never touch the entries (with
// 100,000 entries, pointer chasing during sift-down was the largest cost of a
// firing). Items carry no back-index: an entry that changes place bumps its
// generation and pushes a new item, and the old one, now stale, is dropped when
// it reaches the head or when stale items make up half of the heap.

// heapItem is a place in the heap.
type heapItem struct {
	sec int64  // firing time: Unix seconds
	ns  int32  // and nanoseconds
	seq uint64 // order of addition, breaks ties
	gen uint64 // the entry's generation when queued
	e   *entry
}

func (it *heapItem) stale() bool { return it.gen != it.e.gen }

func itemOf(e *entry) heapItem {
	return heapItem{sec: e.fire.Unix(), ns: int32(e.fire.Nanosecond()), seq: e.seq, gen: e.gen, e: e}
}

// entryHeap orders items by firing time, then by order of addition. It
// implements heap.Interface.
type entryHeap []heapItem

func (h entryHeap) Len() int { return len(h) }

func (h entryHeap) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.ns != b.ns {
		return a.ns < b.ns
	}
	return a.seq < b.seq
}

func (h entryHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

func (h *entryHeap) Push(x any) { *h = append(*h, x.(heapItem)) }

func (h *entryHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = heapItem{}
	*h = old[:len(old)-1]
	return it
}

// compactAt is the number of stale items above which the heap is compacted,
// once they are also half of it.
const compactAt = 1024

// queueLocked places e in the heap at e.fire, replacing any earlier place.
func (s *Scheduler) queueLocked(e *entry) {
	s.unqueueLocked(e)
	e.gen++
	e.queued = true
	heap.Push(&s.heap, itemOf(e))
}

// unqueueLocked takes e out of the heap: its item goes stale.
func (s *Scheduler) unqueueLocked(e *entry) {
	if !e.queued {
		return
	}
	e.queued = false
	e.gen++
	s.stale++
	if s.stale > compactAt && s.stale > len(s.heap)/2 {
		live := s.heap[:0]
		for _, it := range s.heap {
			if !it.stale() {
				live = append(live, it)
			}
		}
		clear(s.heap[len(live):])
		s.heap, s.stale = live, 0
		heap.Init(&s.heap)
	}
}

// headLocked returns the entry at the head of the heap, dropping stale items on
// the way, or nil if the heap is empty.
func (s *Scheduler) headLocked() *entry {
	for len(s.heap) > 0 {
		if it := &s.heap[0]; !it.stale() {
			return it.e
		}
		heap.Pop(&s.heap)
		s.stale--
	}
	return nil
}

// dueLocked returns the entry at the head of the heap if it fires at or before
// now, or nil.
func (s *Scheduler) dueLocked(now time.Time) *entry {
	if e := s.headLocked(); e != nil && !e.fire.After(now) {
		return e
	}
	return nil
}

// requeueHeadLocked moves e, the entry at the head of the heap, to its new
// e.fire in one pass down the heap, or out of it if fire is zero.
func (s *Scheduler) requeueHeadLocked(e *entry) {
	if e.fire.IsZero() {
		heap.Pop(&s.heap)
		e.queued = false
		e.gen++
		return
	}
	s.heap[0] = itemOf(e)
	heap.Fix(&s.heap, 0)
}

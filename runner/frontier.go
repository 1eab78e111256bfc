package runner

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/titanscrape/titan"
)

// memFrontier is the in-memory titan.Frontier, built to hold millions of URLs in
// little memory:
//
//   - The seen set keeps a 128-bit hash of each key (16 bytes) in an open
//     addressing table, not the key; the table is allocated like the arena. Two different keys share a hash with a
//     probability around 2^-128 per pair, which we accept.
//   - The queue is an arena of 1 MiB byte chunks with no pointers for the
//     garbage collector to scan. Each item is encoded in it: depth, kind, URL
//     (with its scheme and host replaced by an index into a table of hosts),
//     parent and, when it is not the item's kind and URL, its key. Chunks are
//     released as they are read.
//   - Items that carry Data (records fed from an upstream step, a bounded few)
//     wait in a side map.
type memFrontier struct {
	seeds [2]maphash.Seed

	mu     sync.Mutex
	arena  *arena // the queue's chunks and the seen set's table
	head   int    // offset of the oldest waiting item in arena.chunks[0]
	queued int
	hosts  hostTable
	data   map[uint64]map[string]any
	nextID uint64
	buf    []byte
}

const chunkSize = 1 << 20

// NewMemoryFrontier returns an empty in-memory Frontier.
func NewMemoryFrontier() titan.Frontier {
	f := &memFrontier{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, arena: &arena{}}
	runtime.AddCleanup(f, (*arena).free, f.arena)
	return f
}

// arena holds the queue's chunks. On unix they are mapped outside the Go heap
// (see allocChunk): the frontier's bulk then does not count towards the garbage
// collector's heap target, which would otherwise let the process grow to twice
// the frontier's size between collections. Chunks are unmapped as they are read,
// and the rest when the frontier is collected.
type arena struct {
	chunks [][]byte // chunks[i][:len] is written; cap is the chunk's size
	mapped []bool
	seen   hashSet
}

// room returns a chunk with room for n more bytes at the tail.
func (a *arena) room(n int) *[]byte {
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+n > cap(a.chunks[last]) {
		b, mapped := allocChunk(max(chunkSize, n))
		a.chunks = append(a.chunks, b[:0])
		a.mapped = append(a.mapped, mapped)
		last++
	}
	return &a.chunks[last]
}

// drop releases the oldest chunk.
func (a *arena) drop() {
	freeChunk(a.chunks[0][:cap(a.chunks[0])], a.mapped[0])
	a.chunks[0] = nil
	a.chunks, a.mapped = a.chunks[1:], a.mapped[1:]
}

func (a *arena) free() {
	for len(a.chunks) > 0 {
		a.drop()
	}
	a.seen.free()
}

// Item flags in the arena.
const (
	flagOwnKey = 1 << iota // the key is stored: it is not kind + " " + URL
	flagData               // the Data waits in the side map
)

func (f *memFrontier) Add(_ context.Context, key string, it titan.Item, done bool) (bool, error) {
	h := [2]uint64{maphash.String(f.seeds[0], key), maphash.String(f.seeds[1], key)}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.arena.seen.add(h) {
		return false, nil
	}
	if !done {
		f.push(key, it)
	}
	return true, nil
}

// push encodes it at the tail of the arena.
func (f *memFrontier) push(key string, it titan.Item) {
	b := f.buf[:0]
	var flags byte
	if !derivedKey(key, it) {
		flags |= flagOwnKey
	}
	if it.Data != nil {
		flags |= flagData
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(it.Depth))
	b = appendString(b, it.Kind)
	host, rest := f.hosts.split(it.URL)
	b = binary.AppendUvarint(b, uint64(host))
	b = appendString(b, rest)
	b = appendString(b, it.Parent)
	if flags&flagOwnKey != 0 {
		b = appendString(b, key)
	}
	if flags&flagData != 0 {
		if f.data == nil {
			f.data = make(map[uint64]map[string]any)
		}
		f.nextID++
		f.data[f.nextID] = it.Data
		b = binary.AppendUvarint(b, f.nextID)
	}
	f.buf = b
	c := f.arena.room(len(b))
	*c = append(*c, b...) // within the chunk's capacity: never reallocates
	f.queued++
}

// derivedKey reports whether key is it.Kind + " " + it.URL, without building it.
func derivedKey(key string, it titan.Item) bool {
	k := len(it.Kind)
	return len(key) == k+1+len(it.URL) && key[:k] == it.Kind && key[k] == ' ' && key[k+1:] == it.URL
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func (f *memFrontier) Next(context.Context) (string, titan.Item, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queued == 0 {
		return "", titan.Item{}, false, nil
	}
	first := f.arena.chunks[0]
	r := reader{b: first[f.head:]}
	flags := r.byte()
	var it titan.Item
	it.Depth = int(r.uvarint())
	it.Kind = r.string()
	host := f.hosts.names[r.uvarint()]
	it.URL = host + r.string()
	it.Parent = r.string()
	key := ""
	if flags&flagOwnKey != 0 {
		key = r.string()
	} else {
		key = it.Kind + " " + it.URL
	}
	if flags&flagData != 0 {
		id := r.uvarint()
		it.Data = f.data[id]
		delete(f.data, id)
	}
	f.head = len(first) - len(r.b)
	f.queued--
	if f.head == len(first) && (len(f.arena.chunks) > 1 || f.queued == 0) {
		f.arena.drop()
		f.head = 0
	}
	return key, it, true, nil
}

func (f *memFrontier) Done(context.Context, string) error { return nil }

func (f *memFrontier) Seen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.arena.seen.n
}

func (f *memFrontier) Queued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queued
}

// reader decodes the arena.
type reader struct{ b []byte }

func (r *reader) byte() byte {
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// hostTable interns the "scheme://host" prefixes of URLs: a crawl's URLs share a
// handful of them, so each is stored once.
type hostTable struct {
	ids   map[string]uint32
	names []string
}

// split returns the index of u's scheme and host, and the rest of u.
func (t *hostTable) split(u string) (uint32, string) {
	prefix := ""
	if i := strings.Index(u, "://"); i > 0 {
		end := strings.IndexAny(u[i+3:], "/?#")
		if end < 0 {
			end = len(u) - i - 3
		}
		prefix = u[:i+3+end]
	}
	if t.ids == nil {
		t.ids = map[string]uint32{"": 0}
		t.names = []string{""}
	}
	id, ok := t.ids[prefix]
	if !ok && len(t.names) < 1<<16 {
		id = uint32(len(t.names))
		t.ids[prefix] = id
		t.names = append(t.names, prefix)
	} else if !ok {
		return 0, u // too many hosts to intern: store the URL whole
	}
	return id, u[len(prefix):]
}

// hashSet is an open addressing set of 128-bit hashes with linear probing; the
// zero hash marks an empty slot (a key whose hash is zero is stored as 1). Its
// table lives in allocChunk memory, like the queue.
type hashSet struct {
	slots  [][2]uint64
	mem    []byte
	mapped bool
	n      int
}

// free releases the table.
func (s *hashSet) free() {
	if s.mem != nil {
		freeChunk(s.mem, s.mapped)
		s.slots, s.mem = nil, nil
	}
}

// add inserts h and reports whether it was absent.
func (s *hashSet) add(h [2]uint64) bool {
	if h == ([2]uint64{}) {
		h[0] = 1
	}
	if (s.n+1)*5 > len(s.slots)*4 { // keep the load at most 0.8
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h[0] & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return false
		case [2]uint64{}:
			s.slots[i] = h
			s.n++
			return true
		}
	}
}

// contains reports whether h is in the set.
func (s *hashSet) contains(h [2]uint64) bool {
	if h == ([2]uint64{}) {
		h[0] = 1
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := h[0] & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return true
		case [2]uint64{}:
			return false
		}
	}
}

func (s *hashSet) grow() {
	old, oldMem, oldMapped := s.slots, s.mem, s.mapped
	n := max(1024, 2*len(old))
	s.mem, s.mapped = allocChunk(n * 16)
	s.slots = unsafe.Slice((*[2]uint64)(unsafe.Pointer(unsafe.SliceData(s.mem))), n)
	mask := uint64(len(s.slots) - 1)
	for _, h := range old {
		if h == ([2]uint64{}) {
			continue
		}
		i := h[0] & mask
		for s.slots[i] != ([2]uint64{}) {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
	if oldMem != nil {
		freeChunk(oldMem, oldMapped)
	}
}

// seenCache fronts a durable Frontier with an in-memory seen set, so the many
// offers of links already seen (most of a crawl's) never reach the store. It is
// exact: a key in the cache was accepted by the store in this process.
type seenCache struct {
	titan.Frontier
	seeds [2]maphash.Seed
	mu    sync.Mutex
	arena *arena
}

func newSeenCache(f titan.Frontier) *seenCache {
	c := &seenCache{Frontier: f, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, arena: &arena{}}
	runtime.AddCleanup(c, (*arena).free, c.arena)
	return c
}

func (c *seenCache) Add(ctx context.Context, key string, it titan.Item, done bool) (bool, error) {
	h := [2]uint64{maphash.String(c.seeds[0], key), maphash.String(c.seeds[1], key)}
	c.mu.Lock()
	seen := c.arena.seen.contains(h)
	c.mu.Unlock()
	if seen {
		return false, nil
	}
	ok, err := c.Frontier.Add(ctx, key, it, done)
	if err == nil {
		c.mu.Lock()
		c.arena.seen.add(h)
		c.mu.Unlock()
	}
	return ok, err
}

package demosite

import (
	"bytes"
	"cmp"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero Config.
const (
	DefaultProducts  = 60
	DefaultPerPage   = 12
	DefaultSeed      = 1
	DefaultPageBytes = 50_000
	// DefaultRobots allows everything but the cart. The shop appends a
	// Sitemap line with the absolute URL of /sitemap.xml when serving it.
	DefaultRobots = "User-agent: *\nDisallow: /cart\n"
)

// maxTrackedPaths bounds the per-path request counters, so that a client
// requesting endless distinct paths cannot grow memory without bound.
const maxTrackedPaths = 1 << 16

// Config configures a Shop. The zero Config is a 60-product shop.
type Config struct {
	// Products is the number of products, IDs 1 to Products. Zero or
	// negative means DefaultProducts (60).
	Products int
	// PerPage is the number of product cards on a listing page. Zero or
	// negative means DefaultPerPage (12).
	PerPage int
	// Seed makes the catalogue: the same Seed gives the same shop. Zero
	// means DefaultSeed (1).
	Seed int64
	// Latency is added to every request before it is handled; the wait ends
	// early, without a response, when the request's context is done. Zero
	// or negative means none.
	Latency time.Duration
	// PageBytes is the approximate size of a product page in bytes: pages
	// are padded with description paragraphs and reviews to within a few
	// per cent of it, but are never smaller than their fixed markup (about
	// 12 KB). Zero or negative means DefaultPageBytes (50,000).
	PageBytes int
	// Robots is the body of /robots.txt, served as is. Empty means
	// DefaultRobots plus a Sitemap line.
	Robots string
}

// withDefaults returns c with zero and negative fields replaced by defaults.
func (c Config) withDefaults() Config {
	if c.Products <= 0 {
		c.Products = DefaultProducts
	}
	if c.PerPage <= 0 {
		c.PerPage = DefaultPerPage
	}
	c.Seed = cmp.Or(c.Seed, DefaultSeed)
	c.Latency = max(c.Latency, 0)
	if c.PageBytes <= 0 {
		c.PageBytes = DefaultPageBytes
	}
	return c
}

// Shop is a demo online shop. It is safe for concurrent use: its catalogue
// is fixed at New except for the changes SetEpoch makes.
type Shop struct {
	cfg        Config
	base       []Product  // the catalogue at epoch 0, by ID-1
	ids        []int      // 1 to len(base): the /products listing
	categories []category // in menu order, with their product IDs
	frags      fragments  // markup shared by all pages
	handler    http.Handler

	epoch    atomic.Pointer[epochState]
	requests atomic.Int64
	paths    sync.Map // string -> *atomic.Int64
	npaths   atomic.Int64
	bufs     sync.Pool // *bytes.Buffer
}

// epochState is the catalogue at one epoch. It is never modified once
// published.
type epochState struct {
	n        int
	products []Product // by ID-1
}

// New returns a shop generated from cfg (see Config for the defaults).
func New(cfg Config) *Shop {
	cfg = cfg.withDefaults()
	s := &Shop{cfg: cfg}
	s.base, s.categories = generate(cfg.Products, cfg.Seed)
	s.ids = allIDs(cfg.Products)
	s.frags = newFragments(cfg.Seed, s.categories)
	s.epoch.Store(&epochState{n: 0, products: s.base})
	s.bufs.New = func() any { return new(bytes.Buffer) }
	s.handler = http.HandlerFunc(s.serve)
	return s
}

// Config returns the shop's configuration with defaults filled in.
func (s *Shop) Config() Config { return s.cfg }

// Handler returns the http.Handler that serves the shop.
func (s *Shop) Handler() http.Handler { return s.handler }

// Len returns the number of products; their IDs are 1 to Len().
func (s *Shop) Len() int { return len(s.base) }

// Product returns the product with the given ID (1 to Len()) as the shop
// shows it at the current epoch, or the zero Product for an ID out of range.
// The result shares no memory with the shop.
func (s *Shop) Product(id int) Product {
	ps := s.epoch.Load().products
	if id < 1 || id > len(ps) {
		return Product{}
	}
	return ps[id-1].clone()
}

// Products returns every product at the current epoch, by ID.
func (s *Shop) Products() []Product {
	ps := s.epoch.Load().products
	out := make([]Product, len(ps))
	for i, p := range ps {
		out[i] = p.clone()
	}
	return out
}

// SetEpoch moves the shop to epoch n (negative n means 0). At epoch 0 the
// catalogue is the one New generated. At any other epoch a deterministic
// subset of products, about a quarter, has another price and about a tenth
// has its stock flipped; the subset and the new values depend only on the
// seed, the epoch and the product ID, so epochs are not cumulative and
// returning to an epoch restores it. Requests being served when the epoch
// changes see either the old or the new catalogue, never a mix.
func (s *Shop) SetEpoch(n int) {
	n = max(n, 0)
	s.epoch.Store(&epochState{n: n, products: atEpoch(s.base, s.cfg.Seed, n)})
}

// Epoch returns the current epoch.
func (s *Shop) Epoch() int { return s.epoch.Load().n }

// Requests returns the number of requests the handler has received,
// including those cancelled while waiting out Config.Latency.
func (s *Shop) Requests() int64 { return s.requests.Load() }

// RequestsFor returns the number of requests received for a path, such as
// "/products", which counts every listing page, or for a path and raw query
// exactly as sent, such as "/products?page=2". Only the first 65,536
// distinct keys are tracked; requests for later ones are counted by Requests
// only.
func (s *Shop) RequestsFor(path string) int64 {
	if c, ok := s.paths.Load(path); ok {
		return c.(*atomic.Int64).Load()
	}
	return 0
}

// count records one request for key.
func (s *Shop) count(key string) {
	if c, ok := s.paths.Load(key); ok {
		c.(*atomic.Int64).Add(1)
		return
	}
	if s.npaths.Load() >= maxTrackedPaths {
		return
	}
	c, loaded := s.paths.LoadOrStore(key, new(atomic.Int64))
	if !loaded {
		s.npaths.Add(1)
	}
	c.(*atomic.Int64).Add(1)
}

// getBuf returns an empty buffer from the pool.
func (s *Shop) getBuf() *bytes.Buffer {
	b := s.bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuf returns b to the pool unless it grew unusually large.
func (s *Shop) putBuf(b *bytes.Buffer) {
	if b.Cap() <= 4<<20 {
		s.bufs.Put(b)
	}
}

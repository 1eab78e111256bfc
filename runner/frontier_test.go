package runner

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/titanscrape/titan"
)

func TestMemoryFrontierRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := NewMemoryFrontier()
	items := []struct {
		key string
		it  titan.Item
	}{
		{" https://a.test/x", titan.Item{URL: "https://a.test/x"}},
		{" https://a.test/seed", titan.Item{URL: "HTTPS://A.test:443/seed"}},
		{"sitemap https://b.test/s.xml", titan.Item{URL: "https://b.test/s.xml", Kind: "sitemap"}},
		{"#1", titan.Item{Data: map[string]any{"q": "desks"}, Parent: "search:1"}},
		{" mailto-like", titan.Item{URL: "mailto-like", Depth: 7}},
		{" https://a.test", titan.Item{URL: "https://a.test", Depth: 300}},
	}
	for _, e := range items {
		if ok, err := f.Add(ctx, e.key, e.it, false); !ok || err != nil {
			t.Fatalf("Add(%q) = %v, %v", e.key, ok, err)
		}
	}
	if ok, _ := f.Add(ctx, " https://a.test/x", titan.Item{URL: "https://a.test/x"}, false); ok {
		t.Fatal("duplicate accepted")
	}
	if ok, _ := f.Add(ctx, " https://done.test/", titan.Item{URL: "https://done.test/"}, true); !ok {
		t.Fatal("claim refused")
	}
	if ok, _ := f.Add(ctx, " https://done.test/", titan.Item{URL: "https://done.test/"}, false); ok {
		t.Fatal("claimed key accepted again")
	}
	if f.Seen() != 7 || f.Queued() != 6 {
		t.Fatalf("seen %d queued %d", f.Seen(), f.Queued())
	}
	for _, e := range items {
		key, it, ok, err := f.Next(ctx)
		if !ok || err != nil || key != e.key || !reflect.DeepEqual(it, e.it) {
			t.Fatalf("Next = %q %+v %v %v, want %q %+v", key, it, ok, err, e.key, e.it)
		}
	}
	if _, _, ok, _ := f.Next(ctx); ok || f.Queued() != 0 {
		t.Fatal("queue not empty")
	}
}

func TestMemoryFrontierSpansChunks(t *testing.T) {
	ctx := context.Background()
	f := NewMemoryFrontier()
	const n = 40000 // about 2.5 chunks
	for i := range n {
		u := fmt.Sprintf("https://shop.example.com/product/%d-%0*d", i, 20, i)
		f.Add(ctx, " "+u, titan.Item{URL: u, Depth: i % 5}, false)
	}
	for i := range n {
		key, it, ok, _ := f.Next(ctx)
		u := fmt.Sprintf("https://shop.example.com/product/%d-%0*d", i, 20, i)
		if !ok || key != " "+u || it.URL != u || it.Depth != i%5 {
			t.Fatalf("item %d = %q %+v", i, key, it)
		}
	}
	if n := len(f.(*memFrontier).arena.chunks); n != 0 {
		t.Fatalf("%d chunks kept after draining", n)
	}
}

// BenchmarkMemoryFrontier adds and drains a million realistic URLs and reports the
// heap they hold at the peak, per URL.
func BenchmarkMemoryFrontier(b *testing.B) {
	ctx := context.Background()
	const n = 1_000_000
	for b.Loop() {
		runtime.GC()
		var before, peak runtime.MemStats
		runtime.ReadMemStats(&before)
		f := NewMemoryFrontier()
		for i := range n {
			u := fmt.Sprintf("https://shop.example.com/product/%07d-some-product-name-%d?color=red", i, i%97)
			f.Add(ctx, " "+u, titan.Item{URL: u, Depth: 3}, false)
		}
		runtime.GC()
		runtime.ReadMemStats(&peak)
		b.ReportMetric(float64(peak.HeapAlloc-before.HeapAlloc)/n, "heap-B/url")
		for {
			if _, _, ok, _ := f.Next(ctx); !ok {
				break
			}
		}
	}
}

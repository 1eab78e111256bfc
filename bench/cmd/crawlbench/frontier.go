package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
)

// frontierReport is what the frontier child prints.
type frontierReport struct {
	URLs          int           `json:"urls"`
	AvgURLBytes   float64       `json:"avg_url_bytes"`
	BaseRSSKB     int64         `json:"base_rss_kb"`    // resident before the first Add
	PeakRSSKB     int64         `json:"peak_rss_kb"`    // getrusage maxrss after the adds
	HeapKB        int64         `json:"heap_kb"`        // live heap after the adds, after a GC
	AfterDrainKB  int64         `json:"after_drain_kb"` // resident after draining, a GC and FreeOSMemory
	AddPerURL     time.Duration `json:"add_per_url"`    // wall time per Add
	NextPerURL    time.Duration `json:"next_per_url"`   // wall time per Next
	Seen, Drained int
}

var (
	slugWords = [...]string{"classic", "walnut", "desk", "lamp", "steel", "kettle", "copper", "planter", "oak", "chair",
		"linen", "throw", "glass", "vase", "brass", "clock", "slate", "board", "cotton", "rug", "smart", "speaker"}
	colours = [...]string{"red", "blue", "green", "black", "white", "grey", "navy", "sand"}
	sizes   = [...]string{"", "", "&size=s", "&size=m", "&size=l", "&size=xl"}
)

// frontierURL returns the i-th of the benchmark's distinct URLs, e.g.
// "https://shop.example.com/product/123456-walnut-desk-lamp?color=red&size=m".
func frontierURL(i int) string {
	h := uint64(i)*0x9e3779b97f4a7c15 ^ 0xdeadbeef
	h ^= h >> 29
	var b []byte
	b = append(b, "https://shop.example.com/product/"...)
	b = strconv.AppendInt(b, int64(100_000+i), 10)
	for k := range 3 + int(h%3) {
		b = append(b, '-')
		b = append(b, slugWords[(h>>(8+5*k))%uint64(len(slugWords))]...)
	}
	b = append(b, "?color="...)
	b = append(b, colours[(h>>40)%uint64(len(colours))]...)
	b = append(b, sizes[(h>>48)%uint64(len(sizes))]...)
	return string(b)
}

// frontierChild adds n distinct URLs to titan's in-memory frontier, reports the
// memory it takes, then drains it.
func frontierChild(args []string) error {
	fs := flag.NewFlagSet("frontier", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "URLs to add")
	profile := fs.String("memprofile", "", "write heap profiles here, with -full.pprof and -drained.pprof appended")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	runtime.GC()
	rep := frontierReport{URLs: *n, BaseRSSKB: rssKB()}
	f := runner.NewMemoryFrontier()
	var total int
	start := time.Now()
	for i := range *n {
		u := frontierURL(i)
		total += len(u)
		// The key the crawl action gives a page: its kind ("") and normalised URL.
		ok, err := f.Add(ctx, " "+u, titan.Item{URL: u, Depth: 3}, false)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("URL %d (%s) reported as seen", i, u)
		}
	}
	rep.AddPerURL = time.Since(start) / time.Duration(max(*n, 1))
	rep.AvgURLBytes = float64(total) / float64(max(*n, 1))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rep.HeapKB = int64(ms.HeapAlloc >> 10)
	rep.PeakRSSKB = maxRSSKB()
	rep.Seen = f.Seen()
	if err := writeHeap(*profile, "-full.pprof"); err != nil {
		return err
	}

	start = time.Now()
	for {
		_, _, ok, err := f.Next(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		rep.Drained++
	}
	rep.NextPerURL = time.Since(start) / time.Duration(max(rep.Drained, 1))
	debug.FreeOSMemory()
	rep.AfterDrainKB = rssKB()
	if err := writeHeap(*profile, "-drained.pprof"); err != nil {
		return err
	}
	runtime.KeepAlive(f)
	out := bufio.NewWriter(os.Stdout)
	if err := json.NewEncoder(out).Encode(rep); err != nil {
		return err
	}
	return out.Flush()
}

// writeHeap writes a heap profile to stem+suffix, unless stem is "".
func writeHeap(stem, suffix string) error {
	if stem == "" {
		return nil
	}
	f, err := os.Create(stem + suffix)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("heap").WriteTo(f, 0)
}

// rssKB returns the current resident set size in KiB from /proc/self/status, or
// 0 where there is none.
func rssKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			fields := bytes.Fields(rest)
			if len(fields) > 0 {
				kb, _ := strconv.ParseInt(string(fields[0]), 10, 64)
				return kb
			}
		}
	}
	return 0
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/titanscrape/titan/bench/crawlers"
	"github.com/titanscrape/titan/bench/site"
)

// childEnv names the role of a child process: the orchestrator re-executes its
// own binary with CRAWLBENCH_CHILD=site, crawl or frontier, so that the site,
// each crawl and the frontier benchmark run in processes of their own and
// getrusage(RUSAGE_SELF) measures one of them alone.
const childEnv = "CRAWLBENCH_CHILD"

// statsPath is where the site child serves its counters; no page links it.
const statsPath = "/_bench/stats"

func child(role string, args []string) int {
	var err error
	switch role {
	case "site":
		err = siteChild(args)
	case "crawl":
		err = crawlChild(args)
	case "frontier":
		err = frontierChild(args)
	default:
		err = fmt.Errorf("unknown child role %q", role)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "crawlbench %s: %v\n", role, err)
		return 1
	}
	return 0
}

// siteChild serves the site on 127.0.0.1:0, prints its origin on the first
// line of stdout and serves until stdin is closed.
func siteChild(args []string) error {
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	var cfg site.Config
	fs.IntVar(&cfg.Products, "products", site.DefaultProducts, "products")
	fs.IntVar(&cfg.PageBytes, "page-bytes", site.DefaultPageBytes, "product page size")
	fs.DurationVar(&cfg.Latency, "latency", 0, "added latency per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := site.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+statsPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(siteReport{Stats: s.Stats(), CPU: cpuTime()})
	})
	mux.Handle("/", s.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // returns when the parent closes stdin
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// siteReport is what the site child serves at statsPath: its counters and the
// CPU time its process used so far.
type siteReport struct {
	site.Stats
	CPU time.Duration `json:"cpu"`
}

// crawlReport is what a crawl child prints: the crawler's result and the
// process's own resource use.
type crawlReport struct {
	Result   crawlers.Result `json:"result"`
	Wall     time.Duration   `json:"wall"`
	CPU      time.Duration   `json:"cpu"`       // user + system, during the crawl
	MaxRSSKB int64           `json:"maxrss_kb"` // peak resident set of the process
}

func crawlChild(args []string) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	name := fs.String("crawler", "", "titan, baseline or colly")
	var o crawlers.Options
	fs.StringVar(&o.Base, "base", "", "site origin")
	fs.IntVar(&o.Concurrency, "c", 8, "concurrency")
	fs.IntVar(&o.Products, "products", site.DefaultProducts, "products")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile here")
	memProfile := fs.String("memprofile", "", "write a heap profile here")
	timeout := fs.Duration("timeout", 10*time.Minute, "crawl timeout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	crawl, err := crawlers.ByName(*name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	cpu0 := cpuTime()
	start := time.Now()
	res, err := crawl(ctx, o)
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	out := bufio.NewWriter(os.Stdout)
	if err := json.NewEncoder(out).Encode(crawlReport{Result: res, Wall: wall, CPU: cpu, MaxRSSKB: maxRSSKB()}); err != nil {
		return err
	}
	return out.Flush()
}

// cpuTime returns the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSSKB returns the peak resident set size of this process in KiB (Linux
// reports ru_maxrss in KiB).
func maxRSSKB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss)
}

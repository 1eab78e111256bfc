// Command crawlbench crawls a synthetic shop on loopback with titan, a plain
// net/http baseline and colly v2, and prints a comparison table; then it
// measures titan's in-memory frontier with a million URLs.
//
//	cd bench && go run ./cmd/crawlbench            # 10,000 products, c=8 and 32, +20ms latency at c=32
//	cd bench && go run ./cmd/crawlbench -quick     # 1,000 products: a smoke run
//
// The site and every crawl run in child processes (this binary, re-executed),
// so each crawler's CPU time and peak RSS are its own: CPU is
// getrusage(RUSAGE_SELF) user+system time over the crawl, RSS is ru_maxrss.
// pages/s and CPU/page count distinct in-scope pages (listings and products)
// as the site saw them, so a duplicate fetch costs a crawler time but earns it
// nothing.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/titanscrape/titan/bench/crawlers"
	"github.com/titanscrape/titan/bench/site"
)

func main() {
	if role := os.Getenv(childEnv); role != "" {
		os.Exit(child(role, os.Args[1:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crawlbench:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	products   int
	pageBytes  int
	conc       []int
	latency    time.Duration
	runs       int
	crawlers   []string
	frontier   int
	profileDir string
	timeout    time.Duration
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("crawlbench", flag.ContinueOnError)
	var o options
	products := fs.Int("products", 0, "products in the shop (default 10000, or 1000 with -quick)")
	fs.IntVar(&o.pageBytes, "page-bytes", site.DefaultPageBytes, "approximate size of a product page")
	concList := fs.String("c", "8,32", "comma-separated concurrency levels")
	fs.DurationVar(&o.latency, "latency", 20*time.Millisecond, "server latency of the extra run at the highest concurrency; 0 skips it")
	fs.IntVar(&o.runs, "runs", 1, "runs of each crawler per configuration; the table shows medians")
	crawlerList := fs.String("crawlers", strings.Join(crawlers.Names(), ","), "crawlers to run")
	fs.IntVar(&o.frontier, "frontier", 1_000_000, "URLs for the frontier benchmark; 0 skips it")
	fs.StringVar(&o.profileDir, "profile", "", "write CPU and allocation profiles of every crawl into this directory")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "timeout of one crawl")
	quick := fs.Bool("quick", false, "smoke run: 1000 products, frontier of 100,000 URLs")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o.products = *products
	if o.products == 0 {
		o.products = site.DefaultProducts
		if *quick {
			o.products = 1000
		}
	}
	if *quick && !flagSet(fs, "frontier") {
		o.frontier = 100_000
	}
	for _, f := range strings.Split(*concList, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			return o, fmt.Errorf("-c: %q is not a positive number", f)
		}
		o.conc = append(o.conc, c)
	}
	for _, name := range strings.Split(*crawlerList, ",") {
		if _, err := crawlers.ByName(name); err != nil {
			return o, err
		}
		o.crawlers = append(o.crawlers, name)
	}
	if o.products < 1 || o.runs < 1 || o.latency < 0 || o.frontier < 0 {
		return o, errors.New("-products and -runs must be positive, -latency and -frontier not negative")
	}
	return o, nil
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// config is one column of conditions: a concurrency and a server latency.
type config struct {
	c       int
	latency time.Duration
}

func (c config) String() string {
	if c.latency == 0 {
		return "c=" + strconv.Itoa(c.c)
	}
	return fmt.Sprintf("c=%d +%s", c.c, c.latency)
}

// measurement is one crawl as the crawler and the site saw it.
type measurement struct {
	crawl crawlReport
	site  siteReport
	pages int64 // distinct in-scope HTML pages the site served
}

func (m measurement) pagesPerSec() float64 { return float64(m.pages) / m.crawl.Wall.Seconds() }
func (m measurement) cpuPerPage() float64 {
	return float64(m.crawl.CPU.Microseconds()) / 1000 / float64(max(m.pages, 1))
}
func (m measurement) siteCPUPerPage() float64 {
	return float64(m.site.CPU.Microseconds()) / 1000 / float64(max(m.pages, 1))
}
func (m measurement) meanInFlight() float64 { return m.site.Busy.Seconds() / m.crawl.Wall.Seconds() }
func (m measurement) rssMB() float64        { return float64(m.crawl.MaxRSSKB) / 1024 }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	_, err = bench(ctx, o, stdout)
	return err
}

// report is everything one benchmark run measured.
type report struct {
	configs  []config
	results  map[config]map[string][]measurement
	frontier *frontierReport
}

// bench runs the benchmark o describes and prints its tables to stdout.
func bench(ctx context.Context, o options, stdout io.Writer) (*report, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return nil, err
		}
	}
	rep := &report{results: map[config]map[string][]measurement{}}
	for _, c := range o.conc {
		rep.configs = append(rep.configs, config{c: c})
	}
	if o.latency > 0 {
		rep.configs = append(rep.configs, config{c: slices.Max(o.conc), latency: o.latency})
	}
	began := time.Now()
	fmt.Fprintf(stdout, "crawlbench: %d products (%d pages + robots.txt), product pages ~%d KB, %d run(s) each, GOMAXPROCS of each process = %d\n",
		o.products, o.products+(o.products+site.DefaultPerPage-1)/site.DefaultPerPage, o.pageBytes/1000, o.runs, numCPU())
	for _, cfg := range rep.configs {
		rep.results[cfg] = map[string][]measurement{}
		for r := range o.runs {
			// Rotate the order between runs, so no crawler always goes first.
			order := slices.Clone(o.crawlers)
			k := r % len(order)
			order = append(order[k:], order[:k]...)
			for _, name := range order {
				m, err := crawlOnce(ctx, exe, o, cfg, name, r)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", cfg, name, err)
				}
				fmt.Fprintf(os.Stderr, "  %-10s %-8s run %d: %6.0f pages/s, %.2f ms CPU/page, %4.0f MB, %d dup\n",
					cfg, name, r+1, m.pagesPerSec(), m.cpuPerPage(), m.rssMB(), m.site.Duplicates)
				rep.results[cfg][name] = append(rep.results[cfg][name], m)
			}
		}
	}
	printTable(stdout, o, rep.configs, rep.results)
	printGoals(stdout, o, rep.configs, rep.results)
	if o.frontier > 0 {
		fr, err := frontierOnce(ctx, exe, o.frontier, o.profileDir)
		if err != nil {
			return nil, fmt.Errorf("frontier: %w", err)
		}
		rep.frontier = &fr
		printFrontier(stdout, fr)
	}
	fmt.Fprintf(stdout, "\ntotal time %s\n", time.Since(began).Round(time.Second))
	return rep, nil
}

func numCPU() int { return runtime.GOMAXPROCS(0) }

// crawlOnce starts a site child, runs one crawl child against it and reads
// the site's counters.
func crawlOnce(ctx context.Context, exe string, o options, cfg config, name string, runIndex int) (measurement, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout+time.Minute)
	defer cancel()
	siteCmd := exec.CommandContext(ctx, exe, "-products", strconv.Itoa(o.products), "-page-bytes", strconv.Itoa(o.pageBytes),
		"-latency", cfg.latency.String())
	siteCmd.Env = append(os.Environ(), childEnv+"=site")
	siteCmd.Stderr = os.Stderr
	stdin, err := siteCmd.StdinPipe()
	if err != nil {
		return measurement{}, err
	}
	stdout, err := siteCmd.StdoutPipe()
	if err != nil {
		return measurement{}, err
	}
	if err := siteCmd.Start(); err != nil {
		return measurement{}, err
	}
	defer func() {
		stdin.Close() // the site shuts down when its stdin closes
		_ = siteCmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return measurement{}, fmt.Errorf("site did not start: %w", err)
	}
	base := strings.TrimSpace(line)

	args := []string{"-crawler", name, "-base", base, "-c", strconv.Itoa(cfg.c), "-products", strconv.Itoa(o.products),
		"-timeout", o.timeout.String()}
	if o.profileDir != "" {
		stem := fmt.Sprintf("%s-c%d", name, cfg.c)
		if cfg.latency > 0 {
			stem += "-latency"
		}
		if runIndex > 0 {
			stem += "-run" + strconv.Itoa(runIndex+1)
		}
		args = append(args, "-cpuprofile", filepath.Join(o.profileDir, stem+".cpu.pprof"),
			"-memprofile", filepath.Join(o.profileDir, stem+".allocs.pprof"))
	}
	crawlCmd := exec.CommandContext(ctx, exe, args...)
	crawlCmd.Env = append(os.Environ(), childEnv+"=crawl")
	crawlCmd.Stderr = os.Stderr
	out, err := crawlCmd.Output()
	if err != nil {
		return measurement{}, fmt.Errorf("crawl: %w", err)
	}
	var m measurement
	if err := json.Unmarshal(out, &m.crawl); err != nil {
		return measurement{}, fmt.Errorf("crawl output %q: %w", out, err)
	}
	resp, err := http.Get(base + statsPath)
	if err != nil {
		return measurement{}, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&m.site); err != nil {
		return measurement{}, fmt.Errorf("site stats: %w", err)
	}
	m.pages = m.site.Pages
	return m, nil
}

// frontierOnce runs the frontier benchmark in a child.
func frontierOnce(ctx context.Context, exe string, n int, profileDir string) (frontierReport, error) {
	args := []string{"-n", strconv.Itoa(n)}
	if profileDir != "" {
		args = append(args, "-memprofile", filepath.Join(profileDir, "frontier.heap"))
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=frontier")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return frontierReport{}, err
	}
	var rep frontierReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return rep, fmt.Errorf("output %q: %w", out, err)
	}
	return rep, nil
}

// summary is the median of a crawler's runs in one configuration, and the
// worst of its correctness counts.
type summary struct {
	runs                   int
	pagesPerSec, lo, hi    float64
	cpuPerPage, rssMB      float64
	siteCPUPerPage         float64
	meanInFlight           float64
	wall                   time.Duration
	pages                  int64
	dups, offScope, errors int64
	records, distinct      int64
	wrong                  int64
	inFlight               int64
	problems               []string
}

func summarize(ms []measurement) summary {
	s := summary{runs: len(ms), lo: ms[0].pagesPerSec(), hi: ms[0].pagesPerSec(), records: ms[0].crawl.Result.Records,
		distinct: ms[0].crawl.Result.Distinct, pages: ms[0].pages}
	var pps, cpu, rss, wall, siteCPU, mean []float64
	for _, m := range ms {
		pps = append(pps, m.pagesPerSec())
		cpu = append(cpu, m.cpuPerPage())
		rss = append(rss, m.rssMB())
		wall = append(wall, m.crawl.Wall.Seconds())
		siteCPU = append(siteCPU, m.siteCPUPerPage())
		mean = append(mean, m.meanInFlight())
		s.lo, s.hi = min(s.lo, m.pagesPerSec()), max(s.hi, m.pagesPerSec())
		s.dups = max(s.dups, m.site.Duplicates)
		s.offScope = max(s.offScope, m.site.OffScope)
		s.errors = max(s.errors, m.crawl.Result.Errors)
		s.wrong = max(s.wrong, m.crawl.Result.Wrong)
		s.records = min(s.records, m.crawl.Result.Records)
		s.distinct = min(s.distinct, m.crawl.Result.Distinct)
		s.pages = min(s.pages, m.pages)
		s.inFlight = max(s.inFlight, m.site.PeakInFlight)
		if len(s.problems) == 0 {
			s.problems = m.crawl.Result.Problems
		}
	}
	s.pagesPerSec, s.cpuPerPage, s.rssMB, s.siteCPUPerPage = median(pps), median(cpu), median(rss), median(siteCPU)
	s.wall = time.Duration(median(wall) * float64(time.Second))
	s.meanInFlight = median(mean)
	return s
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func printTable(w io.Writer, o options, configs []config, results map[config]map[string][]measurement) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "config\tcrawler\tpages\ttime s\tpages/s\tCPU ms/page\tpeak RSS MB\tdup fetches\toff-scope\trecords\twrong\terrors\tin-flight mean/peak\tsite CPU ms/page\t"
	if o.runs > 1 {
		header = strings.Replace(header, "pages/s\t", "pages/s\t(min-max)\t", 1)
	}
	fmt.Fprintln(tw, header)
	for _, cfg := range configs {
		for _, name := range o.crawlers {
			s := summarize(results[cfg][name])
			spread := ""
			if o.runs > 1 {
				spread = fmt.Sprintf("(%.0f-%.0f)\t", s.lo, s.hi)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%.0f\t%s%.3f\t%.0f\t%d\t%d\t%d\t%d\t%d\t%.1f / %d\t%.3f\t\n",
				cfg, name, s.pages, s.wall.Seconds(), s.pagesPerSec, spread, s.cpuPerPage, s.rssMB, s.dups, s.offScope,
				s.records, s.wrong, s.errors, s.meanInFlight, s.inFlight, s.siteCPUPerPage)
		}
	}
	tw.Flush()
	for _, cfg := range configs {
		for _, name := range o.crawlers {
			if s := summarize(results[cfg][name]); len(s.problems) > 0 {
				fmt.Fprintf(w, "%s %s problems: %s\n", cfg, name, strings.Join(s.problems, "; "))
			}
		}
	}
}

func printGoals(w io.Writer, o options, configs []config, results map[config]map[string][]measurement) {
	has := func(name string) bool { return slices.Contains(o.crawlers, name) }
	if !has("titan") {
		return
	}
	fmt.Fprintln(w, "\nratios and goals (medians):")
	yes := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT MET"
	}
	for _, cfg := range configs {
		t := summarize(results[cfg]["titan"])
		fmt.Fprintf(w, "  %s\n", cfg)
		if has("baseline") {
			b := summarize(results[cfg]["baseline"])
			fmt.Fprintf(w, "    titan/baseline  pages/s %.2fx (goal >= 0.95x: %s)  CPU/page %.2fx (goal <= 1.05x: %s)  RSS %.2fx (goal <= 1.5x: %s)\n",
				t.pagesPerSec/b.pagesPerSec, yes(t.pagesPerSec >= 0.95*b.pagesPerSec),
				t.cpuPerPage/b.cpuPerPage, yes(t.cpuPerPage <= 1.05*b.cpuPerPage),
				t.rssMB/b.rssMB, yes(t.rssMB <= 1.5*b.rssMB))
		}
		if has("colly") {
			c := summarize(results[cfg]["colly"])
			fmt.Fprintf(w, "    titan/colly     pages/s %.2fx  CPU/page %.2fx  RSS %.2fx (goal: ahead of colly on pages/s: %s)\n",
				t.pagesPerSec/c.pagesPerSec, t.cpuPerPage/c.cpuPerPage, t.rssMB/c.rssMB, yes(t.pagesPerSec > c.pagesPerSec))
		}
		fmt.Fprintf(w, "    titan correctness: %d duplicate fetches, %d off-scope, %d/%d products extracted, %d wrong (goal: zero duplicates, every product: %s)\n",
			t.dups, t.offScope, t.distinct, o.products, t.wrong,
			yes(t.dups == 0 && t.offScope == 0 && t.distinct == int64(o.products) && t.records == int64(o.products) && t.wrong == 0))
		if cfg.latency > 0 {
			fmt.Fprintf(w, "    titan peak in-flight %d of c=%d (goal: reaches c: %s), %.1f on average\n",
				t.inFlight, cfg.c, yes(t.inFlight >= int64(cfg.c)), t.meanInFlight)
		}
	}
}

func printFrontier(w io.Writer, r frontierReport) {
	peak := float64(r.PeakRSSKB) / 1024
	perURL := float64(r.PeakRSSKB-r.BaseRSSKB) * 1024 / float64(max(r.URLs, 1))
	goal := "NOT MET"
	if peak <= 150 || r.URLs < 1_000_000 {
		goal = "met"
		if r.URLs < 1_000_000 {
			goal = "n/a below 1,000,000 URLs"
		}
	}
	fmt.Fprintf(w, "\nfrontier (runner.NewMemoryFrontier, %d distinct URLs of %.0f bytes on average, Item{URL, Depth: 3}):\n", r.URLs, r.AvgURLBytes)
	fmt.Fprintf(w, "  peak RSS %.0f MB (goal <= 150 MB: %s), %.0f bytes/URL over the %.0f MB before the adds (URL text included), live heap %.0f MB\n",
		peak, goal, perURL, float64(r.BaseRSSKB)/1024, float64(r.HeapKB)/1024)
	fmt.Fprintf(w, "  Add %s/URL, Next %s/URL; seen %d, drained %d; RSS after draining, GC and FreeOSMemory %.0f MB\n",
		r.AddPerURL, r.NextPerURL, r.Seen, r.Drained, float64(r.AfterDrainKB)/1024)
}

// Command benchprog measures the scheduler on the real clock: firing lateness
// with many entries, and CPU use while idle.
//
//	go run ./scheduler/internal/benchprog -entries 100000 -duration 15s -idle 5s
//	go run ./scheduler/internal/benchprog -cron 0    # every entry @every, spread
//	go run ./scheduler/internal/benchprog -jitter 1s # cron entries spread by jitter
//
// Phase 1 adds the entries (a mix of @every intervals with due times spread
// over the second, and cron specs with a seconds field, which fall due together
// on whole seconds), runs them for -duration, and reports the percentiles of
// the firing lateness Fired - Due - Jitter (when the timer goroutine fired the
// tick) and of the start lateness (when Run was entered). Phase 2 adds the same
// number of entries due in an hour and reports the process CPU time
// (getrusage) over -idle of quiet.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

func main() {
	entries := flag.Int("entries", 100_000, "number of entries")
	duration := flag.Duration("duration", 15*time.Second, "how long to fire")
	warmup := flag.Duration("warmup", 2*time.Second, "due times in the first warmup are not measured")
	idle := flag.Duration("idle", 5*time.Second, "quiet period for the idle CPU measurement")
	cronShare := flag.Float64("cron", 0.2, "share of entries with wall-clock cron specs, due on whole seconds")
	jitter := flag.Duration("jitter", 0, "Entry.Jitter of the cron-spec entries (lateness is measured after it)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the firing phase to this file")
	flag.Parse()
	log.SetFlags(0)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	fmt.Printf("go %s, GOMAXPROCS %d, %d CPUs, %s/%s\n", runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	if err := firing(*entries, *duration, *warmup, *cronShare, *jitter); err != nil {
		log.Fatal(err)
	}
	if *cpuProfile != "" {
		return
	}
	if err := idleCPU(*entries, *idle); err != nil {
		log.Fatal(err)
	}
}

// samples collects lateness figures from many goroutines without locks.
type samples struct {
	fired, started []time.Duration
	n              atomic.Int64
	from           time.Time // due times before it are not measured
}

func (s *samples) add(t scheduler.Tick, entered time.Time) {
	if t.Due.Before(s.from) {
		return
	}
	i := s.n.Add(1) - 1
	if int(i) >= len(s.fired) {
		return
	}
	s.fired[i] = t.Fired.Sub(t.Due) - t.Jitter
	s.started[i] = entered.Sub(t.Due) - t.Jitter
}

func firing(n int, duration, warmup time.Duration, cronShare float64, jitter time.Duration) error {
	rng := rand.New(rand.NewPCG(1, 2))
	begin := time.Now().Truncate(time.Second).Add(5 * time.Second) // after the adds
	smp := &samples{from: begin.Add(warmup)}
	// Up to n firings a second in the worst case; the mix below averages less.
	capacity := int(float64(n)*duration.Seconds()) + 1
	smp.fired, smp.started = make([]time.Duration, capacity), make([]time.Duration, capacity)

	s, err := scheduler.New(scheduler.Config{
		Run: func(ctx context.Context, t scheduler.Tick) error {
			smp.add(t, time.Now())
			return nil
		},
	})
	if err != nil {
		return err
	}
	periods := []int{1, 2, 3, 5}
	nCron := int(float64(n) * cronShare)
	rate := 0.0
	for i := range n {
		p := periods[i%len(periods)]
		rate += 1 / float64(p)
		e := scheduler.Entry{ID: fmt.Sprintf("e%06d", i)}
		if i < nCron {
			// Due on whole seconds, spread over the period's phases.
			e.Spec = fmt.Sprintf("%d/%d * * * * *", rng.IntN(p), p)
			e.Jitter = jitter
		} else {
			// Due every p seconds from a random offset: Last is one period
			// before the first due time.
			first := begin.Add(time.Duration(rng.Int64N(int64(p) * int64(time.Second))))
			e.Spec = fmt.Sprintf("@every %ds", p)
			e.Last = first.Add(-time.Duration(p) * time.Second)
		}
		if err := s.Add(e); err != nil {
			return err
		}
	}
	fmt.Printf("\nfiring: %d entries (%d cron specs on whole seconds with jitter %v, %d @every with spread offsets), about %.0f firings/s, for %v\n",
		n, nCron, jitter, n-nCron, rate, duration)
	runtime.GC()
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		return err
	}
	var before syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	wall := time.Now()
	time.Sleep(time.Until(begin.Add(duration)))
	var after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	elapsed := time.Since(wall)
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Stop(stopCtx); err != nil {
		return err
	}
	st := s.Stats()
	m := min(int(smp.n.Load()), capacity)
	fmt.Printf("measured %d firings (due after warm-up); stats: fired %d, finished %d, skipped %v\n", m, st.Fired, st.Finished, st.Skipped)
	fmt.Printf("CPU while firing: %.2f s over %.2f s wall\n", cpu(after).Seconds()-cpu(before).Seconds(), elapsed.Seconds())
	report("firing lateness (Fired - Due)", smp.fired[:m])
	report("start lateness (Run entered - Due)", smp.started[:m])
	return nil
}

func report(what string, d []time.Duration) {
	if len(d) == 0 {
		fmt.Printf("%s: no samples\n", what)
		return
	}
	slices.Sort(d)
	q := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	fmt.Printf("%-36s p50 %-10v p90 %-10v p99 %-10v p99.9 %-10v max %v\n", what+":", q(0.50), q(0.90), q(0.99), q(0.999), d[len(d)-1])
}

func idleCPU(n int, quiet time.Duration) error {
	runtime.GC()
	time.Sleep(500 * time.Millisecond)
	var b0, b1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &b0)
	time.Sleep(quiet)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &b1)
	fmt.Printf("\nidle baseline: no scheduler; process CPU over %v: %v\n", quiet, cpu(b1)-cpu(b0))

	s, err := scheduler.New(scheduler.Config{Run: func(context.Context, scheduler.Tick) error { return nil }})
	if err != nil {
		return err
	}
	for i := range n {
		if err := s.Add(scheduler.Entry{ID: fmt.Sprintf("idle%06d", i), Spec: "@every 1h"}); err != nil {
			return err
		}
	}
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		return err
	}
	defer s.Stop(ctx)
	runtime.GC()
	time.Sleep(500 * time.Millisecond) // let the GC's background work finish
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	time.Sleep(quiet)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	used := cpu(after) - cpu(before)
	fmt.Printf("idle: %d entries due in an hour; process CPU over %v quiet: %v (%.3f%% of one core)\n",
		n, quiet, used, 100*used.Seconds()/quiet.Seconds())
	return nil
}

func cpu(r syscall.Rusage) time.Duration {
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

func init() {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		fmt.Fprintln(os.Stderr, "benchprog: getrusage figures need Linux or macOS")
	}
}

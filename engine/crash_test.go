package engine_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/store/sqlite"
)

// crashChild is the child process of TestCrashResume: it runs the crawl task of
// TITAN_CRASH_TASK on the SQLite store TITAN_CRASH_DB and prints "record" for
// every record, until its parent kills it.
func crashChild() {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, os.Getenv("TITAN_CRASH_DB"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: 4})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	eng, err := engine.New(engine.Config{Store: st, Runner: r, WorkerID: "crash-worker", BatchSize: 3, FlushInterval: 20 * time.Millisecond})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	sub := eng.Subscribe(100000)
	x, err := eng.Run(ctx, os.Getenv("TITAN_CRASH_TASK"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("execution", x.ID)
	for ev := range sub.C {
		switch ev.Kind {
		case engine.EventRecord:
			fmt.Println("record")
		case engine.EventFinished:
			fmt.Println("finished", ev.Status)
			os.Exit(0)
		}
	}
}

// TestCrashResume kills a process with SIGKILL in the middle of a crawl on SQLite,
// at several points, and resumes the execution in a new engine: every product is
// kept exactly once and no URL is fetched twice but those in flight at the kill.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	for _, killAfter := range []int{0, 7, 23, 45} {
		t.Run(fmt.Sprintf("kill after %d records", killAfter), func(t *testing.T) {
			crashResume(t, killAfter)
		})
	}
}

func crashResume(t *testing.T, killAfter int) {
	ctx := context.Background()
	const products, concurrency = 60, 4
	shop := demosite.New(demosite.Config{Products: products, PerPage: 10, PageBytes: 4 << 10, Latency: 3 * time.Millisecond})
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		shop.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "titan.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	task := &titan.Task{
		Name: "crash", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/products"},
		Params:       map[string]any{"include_paths": []any{`^/products(\?page=\d+)?$`, `^/product/`}, "extract_paths": []any{`^/product/`}},
		Limits:       &titan.Limits{MaxDepth: 20, MaxPages: 1000},
		OutputSchema: json.RawMessage(cardSchema),
	}
	if err := st.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TITAN_CRASH_CHILD=1", "TITAN_CRASH_DB="+db, "TITAN_CRASH_TASK="+task.ID)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var execID string
	records := 0
	for lines.Scan() {
		line := lines.Text()
		if id, ok := strings.CutPrefix(line, "execution "); ok {
			execID = id
		}
		if line == "record" {
			records++
		}
		if strings.HasPrefix(line, "error") || strings.HasPrefix(line, "finished") {
			t.Fatalf("child: %s", line)
		}
		if execID != "" && records >= killAfter {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	mu.Lock()
	before := len(hits)
	mu.Unlock()

	st, err = sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: concurrency})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Store: st, Runner: r, WorkerID: "crash-worker"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		eng.Close(ctx)
		st.Close()
	}()
	ids, err := eng.Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != execID {
		t.Fatalf("recovered %v, want [%s]", ids, execID)
	}
	x, err := eng.Wait(ctx, execID)
	if err != nil {
		t.Fatal(err)
	}
	skus := map[string]int{}
	n := 0
	for rec, err := range eng.Records(ctx, execID) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		skus[rec.URL]++
	}
	if x.Status != titan.StatusCompleted || n != products || len(skus) != products || x.Stats.ValidRecords != products {
		t.Fatalf("after resume: %s (%s), %d records, %d distinct, stats %+v", x.Status, x.Reason, n, len(skus), x.Stats)
	}
	mu.Lock()
	defer mu.Unlock()
	// In flight at the kill: the items in progress (concurrency) and the items done
	// but not yet checkpointed (fewer than the child's BatchSize of 3).
	const inFlight = concurrency + 3
	twice := 0
	for u, c := range hits {
		if c > 2 {
			t.Errorf("%s fetched %d times", u, c)
		}
		if c == 2 && u != "/robots.txt" {
			twice++
		}
	}
	if twice > inFlight {
		t.Errorf("%d URLs fetched twice, more than the %d in flight at the kill (%d URLs seen before it)", twice, inFlight, before)
	}
}

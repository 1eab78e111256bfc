package engine_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
)

const cardSchema = `{"type":"object","required":["name","price"],"properties":{
 "name":{"type":"string","x-selector":"h1.product-title"},"price":{"type":"number","x-selector":".price-box span.price"}}}`

// crawlShop starts a demo shop with latency, counting requests in flight, and an
// engine with a crawl task over it.
func crawlShop(t *testing.T, products int) (*engine.Engine, string, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	shop := demosite.New(demosite.Config{Products: products, PageBytes: 4 << 10, Latency: 5 * time.Millisecond})
	var inFlight, total atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		total.Add(1)
		defer inFlight.Add(-1)
		shop.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r, BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	task, err := eng.CreateTask(context.Background(), &titan.Task{
		Name: "shop", ActionType: titan.ActionCrawl, URLs: []string{srv.URL + "/products"},
		Params:       map[string]any{"include_paths": []any{`^/products(\?page=\d+)?$`, `^/product/`}, "extract_paths": []any{`^/product/`}},
		Limits:       &titan.Limits{MaxDepth: 50, MaxPages: 1000},
		OutputSchema: json.RawMessage(cardSchema),
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng, task.ID, &inFlight, &total
}

// waitFor polls cond every millisecond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPauseResumeMidCrawl(t *testing.T) {
	ctx := context.Background()
	eng, taskID, inFlight, total := crawlShop(t, 60)
	sub := eng.Subscribe(10000)
	defer sub.Close()
	x, err := eng.Run(ctx, taskID)
	if err != nil {
		t.Fatal(err)
	}
	var records atomic.Int64
	kinds := map[engine.EventKind]int{}
	done := make(chan struct{})
	id := x.ID
	go func() {
		defer close(done)
		for ev := range sub.C {
			if ev.ExecutionID != id {
				continue
			}
			kinds[ev.Kind]++
			if ev.Kind == engine.EventRecord {
				records.Add(1)
			}
			if ev.Kind == engine.EventFinished {
				return
			}
		}
	}()
	waitFor(t, "10 records", func() bool { return records.Load() >= 10 })
	if err := eng.Pause(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := eng.GetExecution(ctx, x.ID); got.Status != titan.StatusPaused {
		t.Fatalf("status after pause = %s", got.Status)
	}
	// Items the workers took before the pause may still start their request;
	// after those, nothing more is fetched while paused.
	atPause := total.Load()
	time.Sleep(150 * time.Millisecond)
	waitFor(t, "in-flight requests to finish", func() bool { return inFlight.Load() == 0 })
	before := total.Load()
	if before-atPause > 2 {
		t.Fatalf("%d requests started after the pause, more than the 2 workers had taken", before-atPause)
	}
	time.Sleep(200 * time.Millisecond)
	if after := total.Load(); after != before {
		t.Fatalf("paused execution made %d requests", after-before)
	}
	if err := eng.Pause(ctx, x.ID); err == nil {
		t.Fatal("pausing twice accepted")
	}
	if err := eng.Resume(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	x, err = eng.Wait(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	<-done
	if x.Status != titan.StatusCompleted || x.Stats.ValidRecords != 60 {
		t.Fatalf("after resume: %s %s %+v", x.Status, x.Reason, x.Stats)
	}
	if kinds[engine.EventQueued] != 1 || kinds[engine.EventStarted] != 1 || kinds[engine.EventPaused] != 1 ||
		kinds[engine.EventResumed] != 1 || kinds[engine.EventFinished] != 1 || kinds[engine.EventRecord] != 60 || sub.Dropped() != 0 {
		t.Fatalf("events = %v, dropped %d", kinds, sub.Dropped())
	}
}

func TestStopMidCrawlKeepsResults(t *testing.T) {
	ctx := context.Background()
	eng, taskID, _, _ := crawlShop(t, 200)
	x, err := eng.Run(ctx, taskID)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "some records", func() bool {
		got, _ := eng.GetExecution(ctx, x.ID)
		return got.Stats.ValidRecords >= 10
	})
	if err := eng.Pause(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if err := eng.Stop(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	x, err = eng.Wait(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if x.Status != titan.StatusCancelled || x.Reason != "stopped" || n < 10 || int64(n) != x.Stats.Records() || n >= 200 {
		t.Fatalf("%s %q, %d records stored, stats %+v", x.Status, x.Reason, n, x.Stats)
	}
}

func TestSlowSubscriberNeverBlocks(t *testing.T) {
	ctx := context.Background()
	eng, taskID, _, _ := crawlShop(t, 30)
	sub := eng.Subscribe(1) // never read
	x, err := eng.Run(ctx, taskID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCompleted || sub.Dropped() == 0 {
		t.Fatalf("%s, dropped %d", x.Status, sub.Dropped())
	}
	sub.Close()
	sub.Close()
}

func TestExecutionTimeoutFails(t *testing.T) {
	ctx := context.Background()
	srv, release, _ := slowServer(t)
	defer close(release)
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	task := newTask(srv.URL + "/1")
	task.Limits = &titan.Limits{MaxDurationSeconds: 1}
	created, err := eng.CreateTask(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, created.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusFailed || !strings.HasPrefix(x.Reason, "timeout: ") {
		t.Fatalf("%s %q", x.Status, x.Reason)
	}
}

package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

func TestMain(m *testing.M) {
	if os.Getenv("TITAN_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	goleak.VerifyTestMain(m)
}

const page = `<html><head><title>%[1]s</title></head><body>
<h1 class="name">%[1]s</h1><span class="price">%[2]s</span></body></html>`

const schemaJSON = `{"type":"object","required":["name","price"],"properties":{
 "name":{"type":"string","x-selector":"h1.name"},
 "price":{"type":"number","x-selector":".price","minimum":0}}}`

func shop() *titantest.Site {
	return titantest.NewSite(map[string]string{
		"https://shop.test/p/1": fmt.Sprintf(page, "Desk", "$120.00"),
		"https://shop.test/p/2": fmt.Sprintf(page, "Lamp", "1.234,50 €"),
		"https://shop.test/p/3": fmt.Sprintf(page, "Chair", "-5"),
	})
}

func newTask(urls ...string) *titan.Task {
	return &titan.Task{Name: "shop", URLs: urls, OutputSchema: json.RawMessage(schemaJSON), Labels: map[string]string{"team": "pricing"}}
}

func TestRunWaitCompletes(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, shop(), nil)
	task, err := eng.CreateTask(ctx, newTask("https://shop.test/p/1", "https://shop.test/p/2"))
	if err != nil {
		t.Fatal(err)
	}
	if task.ID == "" || task.Version != 1 || task.Status != titan.TaskActive {
		t.Fatalf("created task = %+v", task)
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCompleted || x.Reason != "2 pages, 2 records" || x.TaskVersion != 1 || x.Trigger != titan.TriggerManual {
		t.Fatalf("execution = %+v", x)
	}
	if x.StartedAt.IsZero() || x.FinishedAt.Before(x.StartedAt) || x.Stats.Requests != 2 || x.Stats.ValidRecords != 2 {
		t.Fatalf("times or stats wrong: %+v", x)
	}
	got := map[string]float64{}
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			t.Fatal(err)
		}
		got[rec.Data["name"].(string)] = rec.Data["price"].(float64)
	}
	if len(got) != 2 || got["Desk"] != 120 || got["Lamp"] != 1234.5 {
		t.Fatalf("records = %v", got)
	}
}

func TestInvalidRecordsAndFailedItemsEndWithErrors(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, shop(), nil)
	task, err := eng.CreateTask(ctx, newTask("https://shop.test/p/1", "https://shop.test/p/3", "https://shop.test/missing"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCompletedWithErrors || x.Reason != "1 error (http: 1); 1 of 2 records invalid" {
		t.Fatalf("status %s, reason %q", x.Status, x.Reason)
	}
	if len(x.Errors) != 1 || x.Errors[0].URL != "https://shop.test/missing" || x.Errors[0].Class != titan.ClassHTTP || x.Errors[0].Attempt != 1 {
		t.Fatalf("errors = %+v", x.Errors)
	}
	var b bytes.Buffer
	if err := eng.Export(ctx, x.ID, &b, titan.FormatCSV); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || lines[0] != "seq,step,url,valid,name,price,extra,errors" {
		t.Fatalf("CSV:\n%s", b.String())
	}
	if !strings.Contains(b.String(), `https://shop.test/p/3,false,Chair,-5,,"[{""field"":""price""`) {
		t.Fatalf("invalid record not exported with its errors:\n%s", b.String())
	}
}

func TestEveryInputFailingFailsTheExecution(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, shop(), nil)
	task, err := eng.CreateTask(ctx, newTask("https://shop.test/gone", "https://shop.test/also-gone"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusFailed || x.Reason != "every input failed: 2 errors (http: 2)" {
		t.Fatalf("status %s, reason %q", x.Status, x.Reason)
	}
}

func TestCreateTaskRejectsInvalid(t *testing.T) {
	eng := titantest.NewEngine(t, shop(), nil)
	_, err := eng.CreateTask(context.Background(), &titan.Task{Name: "x", URLs: []string{"nope"}})
	var ve *titan.ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Field != "urls[0]" {
		t.Fatalf("got %v", err)
	}
}

func TestTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, shop(), nil)
	task, err := eng.CreateTask(ctx, newTask("https://shop.test/p/1"))
	if err != nil {
		t.Fatal(err)
	}
	task.Objective = "watch desk prices"
	updated, err := eng.UpdateTask(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Objective != "watch desk prices" {
		t.Fatalf("updated = %+v", updated)
	}
	if _, err := eng.UpdateTask(ctx, task); !errors.Is(err, titan.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := eng.PauseTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Run(ctx, task.ID); !errors.Is(err, engine.ErrTaskNotActive) {
		t.Fatalf("run of paused task: %v", err)
	}
	if _, err := eng.PauseTask(ctx, task.ID); !errors.Is(err, titan.ErrInvalidTransition) {
		t.Fatalf("pause twice: %v", err)
	}
	if _, err := eng.ResumeTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	page, err := eng.ListTasks(ctx, titan.TaskFilter{Labels: map[string]string{"team": "pricing"}})
	if err != nil || len(page.Items) != 1 || page.Items[0].Version != 4 {
		t.Fatalf("list: %v %+v", err, page)
	}
	if err := eng.DeleteTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	page, err = eng.ListTasks(ctx, titan.TaskFilter{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("deleted task listed: %v %+v", err, page)
	}
	if _, err := eng.GetTask(ctx, "nope"); !errors.Is(err, titan.ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
}

// slowServer answers after release is closed, counting requests.
func slowServer(t *testing.T) (*httptest.Server, chan struct{}, *atomic.Int32) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		fmt.Fprintf(w, page, "Desk", "$1")
	}))
	t.Cleanup(srv.Close)
	return srv, release, &hits
}

func TestStopCancelsAndKeepsResults(t *testing.T) {
	ctx := context.Background()
	srv, release, hits := slowServer(t)
	r, err := runner.New(runner.Config{RatePerHost: -1, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	task, err := eng.CreateTask(ctx, newTask(srv.URL+"/1", srv.URL+"/2", srv.URL+"/3"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusQueued {
		t.Fatalf("status %s", x.Status)
	}
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := eng.Stop(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	x, err = eng.Wait(ctx, x.ID)
	close(release)
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCancelled || x.Reason != "stopped" {
		t.Fatalf("status %s reason %q", x.Status, x.Reason)
	}
}

func TestCloseCancelsRunningExecutions(t *testing.T) {
	ctx := context.Background()
	srv, release, hits := slowServer(t)
	defer close(release)
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		t.Fatal(err)
	}
	task, err := eng.CreateTask(ctx, newTask(srv.URL+"/1"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	store := eng.Store()
	if err := eng.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Run(ctx, task.ID); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("run after close: %v", err)
	}
	_ = store
	_ = x
}

func TestWaitHonoursContext(t *testing.T) {
	srv, release, hits := slowServer(t)
	defer close(release)
	r, err := runner.New(runner.Config{RatePerHost: -1})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	task, err := eng.CreateTask(context.Background(), newTask(srv.URL+"/1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := eng.Run(ctx, task.ID, engine.Wait()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	_ = hits
}

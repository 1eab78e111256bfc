package memory_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/page"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) titan.Store { return memory.New() })
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var t0 = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

func TestWithClockStampsTasks(t *testing.T) {
	clock := &fakeClock{now: t0}
	s := memory.New(memory.WithClock(clock.Now))
	ctx := t.Context()
	task := &titan.Task{Name: "shoes"}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if !task.CreatedAt.Equal(t0) || !task.UpdatedAt.Equal(t0) {
		t.Errorf("created %v updated %v, want %v", task.CreatedAt, task.UpdatedAt, t0)
	}
	clock.Advance(time.Minute)
	if err := s.UpdateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after update: created %v updated %v, want %v and a minute later", got.CreatedAt, got.UpdatedAt, t0)
	}
}

func TestWithClockExpiresLeases(t *testing.T) {
	clock := &fakeClock{now: t0}
	s := memory.New(memory.WithClock(clock.Now))
	ctx := t.Context()
	e := &titan.Execution{TaskID: "tsk_1"}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	if e.Status != titan.StatusQueued || !e.CreatedAt.Equal(t0) {
		t.Errorf("created: status %q at %v, want queued at %v", e.Status, e.CreatedAt, t0)
	}
	a, err := s.ClaimExecution(ctx, "worker-a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := (titan.Lease{Owner: "worker-a", Until: t0.Add(time.Minute)}); *a.Lease != want {
		t.Errorf("lease %+v, want %+v", *a.Lease, want)
	}
	for _, step := range []struct {
		advance time.Duration
		claimed bool
	}{
		{30 * time.Second, false},
		{30 * time.Second, false}, // Until == now: not yet expired
		{time.Nanosecond, true},
	} {
		clock.Advance(step.advance)
		b, err := s.ClaimExecution(ctx, "worker-b", time.Minute)
		switch {
		case step.claimed && (err != nil || b.ID != e.ID || b.Lease.Owner != "worker-b"):
			t.Fatalf("at %v: claimed %+v, %v; want %s leased to worker-b", clock.Now(), b, err, e.ID)
		case !step.claimed && !errors.Is(err, titan.ErrNotFound):
			t.Fatalf("at %v: claimed %+v, %v; want ErrNotFound", clock.Now(), b, err)
		}
	}
	if err := s.RenewLease(ctx, e.ID, "worker-b", time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetExecution(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(time.Minute + time.Nanosecond + time.Hour); !got.Lease.Until.Equal(want) {
		t.Errorf("renewed until %v, want %v", got.Lease.Until, want)
	}
}

func TestIDs(t *testing.T) {
	clock := &fakeClock{now: t0}
	s := memory.New(memory.WithClock(clock.Now))
	ctx := t.Context()
	format := map[string]*regexp.Regexp{
		"task":      regexp.MustCompile(`^tsk_[0-9a-f]{24}$`),
		"execution": regexp.MustCompile(`^exe_[0-9a-f]{24}$`),
	}
	var prev [2]string
	for range 5 {
		clock.Advance(time.Millisecond)
		task := &titan.Task{Name: "t"}
		if err := s.CreateTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		e := &titan.Execution{TaskID: task.ID}
		if err := s.CreateExecution(ctx, e); err != nil {
			t.Fatal(err)
		}
		for i, id := range []string{task.ID, e.ID} {
			kind := [2]string{"task", "execution"}[i]
			if !format[kind].MatchString(id) {
				t.Errorf("%s ID %q does not match %v", kind, id, format[kind])
			}
			if id <= prev[i] {
				t.Errorf("%s ID %q sorts before the earlier %q", kind, id, prev[i])
			}
			prev[i] = id
		}
	}
}

func TestClosed(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"CreateTask": func() error { return s.CreateTask(ctx, &titan.Task{Name: "a"}) },
		"GetTask":    func() error { _, err := s.GetTask(ctx, "a"); return err },
		"ListTasks":  func() error { _, err := s.ListTasks(ctx, titan.TaskFilter{}); return err },
		"UpdateTask": func() error { return s.UpdateTask(ctx, &titan.Task{ID: "a"}) },
		"CreateExecution": func() error {
			return s.CreateExecution(ctx, &titan.Execution{})
		},
		"GetExecution":   func() error { _, err := s.GetExecution(ctx, "a"); return err },
		"ListExecutions": func() error { _, err := s.ListExecutions(ctx, titan.ExecutionFilter{}); return err },
		"Checkpoint":     func() error { return s.Checkpoint(ctx, &titan.Execution{ID: "a"}, nil) },
		"Records":        func() error { _, err := s.Records(ctx, "a", 0, 0); return err },
		"ClaimExecution": func() error { _, err := s.ClaimExecution(ctx, "w", time.Minute); return err },
		"RenewLease":     func() error { return s.RenewLease(ctx, "a", "w", time.Minute) },
	} {
		if err := call(); !errors.Is(err, memory.ErrClosed) || err.Error() != "memory: store is closed" {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestInvalidPageToken(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	for range 3 {
		task := &titan.Task{Name: "t"}
		if err := s.CreateTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID}); err != nil {
			t.Fatal(err)
		}
	}
	tasks, err := s.ListTasks(ctx, titan.TaskFilter{PageOptions: titan.PageOptions{PageSize: 1}})
	if err != nil || tasks.NextPageToken == "" {
		t.Fatalf("ListTasks: token %q, %v", tasks.NextPageToken, err)
	}
	execs, err := s.ListExecutions(ctx, titan.ExecutionFilter{PageOptions: titan.PageOptions{PageSize: 1}})
	if err != nil || execs.NextPageToken == "" {
		t.Fatalf("ListExecutions: token %q, %v", execs.NextPageToken, err)
	}
	other := memory.New() // a token from another store names IDs this one lacks
	for _, tc := range []struct {
		name string
		list func() error
	}{
		{"garbage", func() error {
			_, err := s.ListTasks(ctx, titan.TaskFilter{PageOptions: titan.PageOptions{PageToken: "!!"}})
			return err
		}},
		{"execution token listing tasks", func() error {
			_, err := s.ListTasks(ctx, titan.TaskFilter{PageOptions: titan.PageOptions{PageToken: execs.NextPageToken}})
			return err
		}},
		{"task token listing executions", func() error {
			_, err := s.ListExecutions(ctx, titan.ExecutionFilter{PageOptions: titan.PageOptions{PageToken: tasks.NextPageToken}})
			return err
		}},
		{"task token of another store", func() error {
			_, err := other.ListTasks(ctx, titan.TaskFilter{PageOptions: titan.PageOptions{PageToken: tasks.NextPageToken}})
			return err
		}},
		{"execution token of another store", func() error {
			_, err := other.ListExecutions(ctx, titan.ExecutionFilter{PageOptions: titan.PageOptions{PageToken: execs.NextPageToken}})
			return err
		}},
	} {
		if err := tc.list(); !errors.Is(err, memory.ErrInvalidPageToken) {
			t.Errorf("%s: %v, want ErrInvalidPageToken", tc.name, err)
		}
	}
}

func TestCreateTaskUnencodable(t *testing.T) {
	s := memory.New()
	task := &titan.Task{Name: "bad", Params: map[string]any{"callback": func() {}}}
	if err := s.CreateTask(t.Context(), task); err == nil || task.ID != "" {
		t.Errorf("CreateTask with a func in Params: ID %q, error %v; want an error and no ID", task.ID, err)
	}
}

func TestTaskRawJSONNotEscaped(t *testing.T) {
	s := memory.New()
	task := &titan.Task{Name: "t", OutputSchema: json.RawMessage(`{"x-selector": "ul > li a[href*='&']"}`)}
	if err := s.CreateTask(t.Context(), task); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTask(t.Context(), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"x-selector":"ul > li a[href*='&']"}`; string(got.OutputSchema) != want {
		t.Errorf("OutputSchema %s, want %s", got.OutputSchema, want)
	}
}

func TestUpdateTaskKeepsStatusWhenEmpty(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	task := &titan.Task{Name: "t", Status: titan.TaskPaused}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	task.Status = ""
	if err := s.UpdateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != titan.TaskPaused || task.Status != titan.TaskPaused {
		t.Errorf("status stored %q, written back %q; want paused", got.Status, task.Status)
	}
}

func TestLeaseArguments(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	e := &titan.Execution{TaskID: "tsk_1"}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		owner string
		ttl   time.Duration
	}{
		{"", time.Minute},
		{"w", 0},
		{"w", -time.Second},
	} {
		if _, err := s.ClaimExecution(ctx, tc.owner, tc.ttl); err == nil {
			t.Errorf("ClaimExecution(%q, %v): no error", tc.owner, tc.ttl)
		}
		if err := s.RenewLease(ctx, e.ID, tc.owner, tc.ttl); err == nil || errors.Is(err, titan.ErrNotFound) {
			t.Errorf("RenewLease(%q, %v): %v, want an argument error", tc.owner, tc.ttl, err)
		}
	}
	if got, err := s.GetExecution(ctx, e.ID); err != nil || got.Lease != nil {
		t.Errorf("after the bad calls: lease %+v, %v; want none", got.Lease, err)
	}
}

// TestCheckpointCopiesData checks that Data values of every shape are copied,
// not only those encoding/json produces.
func TestCheckpointCopiesData(t *testing.T) {
	type price struct {
		Amount   float64
		Currency string
		Tags     []string
	}
	ctx := t.Context()
	s := memory.New()
	e := &titan.Execution{TaskID: "tsk_1", Status: titan.StatusRunning}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	recs := []titan.Record{{Step: "main", Data: map[string]any{
		"strings": []string{"a", "b"},
		"counts":  map[string]int{"a": 1},
		"price":   &price{Amount: 9.5, Currency: "EUR", Tags: []string{"sale"}},
		"rows":    []map[string]any{{"x": []any{1}}},
		"array":   [2][]int{{1}, {2}},
		"at":      at,
		"nil map": map[string]any(nil),
	}}}
	if err := s.Checkpoint(ctx, e, recs); err != nil {
		t.Fatal(err)
	}
	d := recs[0].Data
	d["strings"].([]string)[0] = "mutated"
	d["counts"].(map[string]int)["a"] = 99
	d["price"].(*price).Amount = 0
	d["price"].(*price).Tags[0] = "mutated"
	d["rows"].([]map[string]any)[0]["x"].([]any)[0] = "mutated"
	d["array"].([2][]int)[0][0] = 99

	got, err := s.Records(ctx, e.ID, 0, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("Records: %d, %v", len(got), err)
	}
	g := got[0].Data
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"strings", g["strings"].([]string)[0], "a"},
		{"counts", g["counts"].(map[string]int)["a"], 1},
		{"price amount", g["price"].(*price).Amount, 9.5},
		{"price tags", g["price"].(*price).Tags[0], "sale"},
		{"rows", g["rows"].([]map[string]any)[0]["x"].([]any)[0], 1},
		{"array", g["array"].([2][]int)[0][0], 1},
		{"time", g["at"].(time.Time).String(), at.String()},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if m, ok := g["nil map"].(map[string]any); !ok || m != nil {
		t.Errorf("nil map: got %#v, want a nil map[string]any", g["nil map"])
	}
}

func TestCheckpointCopiesPage(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	e := &titan.Execution{TaskID: "tsk_1", Status: titan.StatusRunning}
	if err := s.CreateExecution(ctx, e); err != nil {
		t.Fatal(err)
	}
	newPage := func() *titan.PageContent {
		return &titan.PageContent{
			Text:  "Trail Runner",
			Links: []page.Link{{URL: "https://shop.example/a", Text: "a"}},
			Metadata: &page.Metadata{
				Title:     "Shoes",
				OpenGraph: map[string]string{"og:title": "Shoes"},
				JSONLD:    []any{map[string]any{"@type": "Product", "offers": []any{map[string]any{"price": 9.5}}}},
				Problems:  []string{"json-ld block 2: invalid JSON"},
			},
		}
	}
	recs := []titan.Record{{Step: "main", Page: newPage()}}
	if err := s.Checkpoint(ctx, e, recs); err != nil {
		t.Fatal(err)
	}
	p := recs[0].Page
	p.Text = "mutated"
	p.Links[0].URL = "mutated"
	p.Metadata.Title = "mutated"
	p.Metadata.OpenGraph["og:title"] = "mutated"
	p.Metadata.JSONLD[0].(map[string]any)["offers"].([]any)[0].(map[string]any)["price"] = 0
	p.Metadata.Problems[0] = "mutated"

	got, err := s.Records(ctx, e.ID, 0, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("Records: %d, %v", len(got), err)
	}
	if !reflect.DeepEqual(got[0].Page, newPage()) {
		t.Errorf("stored page changed with the caller's:\ngot  %+v\nwant %+v", got[0].Page, newPage())
	}
}

func TestCancelledContextWinsOverClosed(t *testing.T) {
	s := memory.New()
	_ = s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.GetTask(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("GetTask: %v, want context.Canceled", err)
	}
}

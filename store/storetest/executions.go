package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/page"
)

// base is the creation time of most executions the suite makes.
var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func mustCreateExec(t *testing.T, s titan.Store, e *titan.Execution) *titan.Execution {
	t.Helper()
	if err := s.CreateExecution(t.Context(), e); err != nil {
		t.Fatalf("CreateExecution: %v", err)
	}
	return e
}

// newExec creates a task and an execution of it in the given status.
func newExec(t *testing.T, s titan.Store, status titan.ExecutionStatus, createdAt time.Time) *titan.Execution {
	t.Helper()
	task := mustCreateTask(t, s, &titan.Task{Name: "task of " + string(status)})
	return mustCreateExec(t, s, &titan.Execution{
		TaskID: task.ID, TaskVersion: task.Version, Status: status, Trigger: titan.TriggerManual, CreatedAt: createdAt,
	})
}

func mustGetExec(t *testing.T, s titan.Store, id string) *titan.Execution {
	t.Helper()
	got, err := s.GetExecution(t.Context(), id)
	if err != nil {
		t.Fatalf("GetExecution(%q): %v", id, err)
	}
	return got
}

func mustCheckpoint(t *testing.T, s titan.Store, e *titan.Execution, recs []titan.Record) {
	t.Helper()
	if err := s.Checkpoint(t.Context(), e, recs); err != nil {
		t.Fatalf("Checkpoint(%q, %d records): %v", e.ID, len(recs), err)
	}
}

func mustRecords(t *testing.T, s titan.Store, id string, after int64, limit int) []titan.Record {
	t.Helper()
	recs, err := s.Records(t.Context(), id, after, limit)
	if err != nil {
		t.Fatalf("Records(%q, %d, %d): %v", id, after, limit, err)
	}
	return recs
}

func mustTransition(t *testing.T, e *titan.Execution, to titan.ExecutionStatus, reason string) {
	t.Helper()
	if err := e.Transition(to, reason, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// fullExecution returns an execution of task with every field set.
func fullExecution(task *titan.Task) *titan.Execution {
	return &titan.Execution{
		TaskID:      task.ID,
		TaskVersion: task.Version,
		Status:      titan.StatusRunning,
		Trigger:     titan.TriggerSchedule,
		Reason:      "resumed after a restart",
		Stats: titan.Stats{
			Requests: 12, Bytes: 34567, Pages: 10, Retries: 2, ValidRecords: 8, InvalidRecords: 1,
			Errors: 2, ErrorsByClass: map[titan.ErrorClass]int64{titan.ClassHTTP: 1, titan.ClassTimeout: 1},
		},
		Errors: []titan.ExecError{
			{Class: titan.ClassHTTP, Message: "titan: https://shop.example/x: HTTP 503", URL: "https://shop.example/x", Step: "list", Attempt: 3, At: base.Add(time.Minute)},
			{Class: titan.ClassTimeout, Message: "context deadline exceeded", URL: "https://shop.example/y", Step: "detail", At: base.Add(2*time.Minute + 123456789)},
		},
		ErrorsOmitted: 5,
		Lease:         &titan.Lease{Owner: "worker-1", Until: base.Add(time.Hour)},
		CreatedAt:     base,
		StartedAt:     base.Add(time.Second),
	}
}

// makeRecords returns n records of step numbered from first in their Data.
func makeRecords(step string, first, n int) []titan.Record {
	recs := make([]titan.Record, n)
	for i := range recs {
		recs[i] = titan.Record{
			Step: step,
			URL:  fmt.Sprintf("https://shop.example/item/%d", first+i),
			Data: map[string]any{"n": first + i, "title": fmt.Sprint("item ", first+i)},
		}
	}
	return recs
}

func seqs(recs []titan.Record) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}

func ids(es []*titan.Execution) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func testCreateExecutionRoundTrip(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "shoes"})
	e := mustCreateExec(t, s, fullExecution(task))
	if e.ID == "" {
		t.Fatal("CreateExecution did not write the ID back")
	}
	if !e.CreatedAt.Equal(base) {
		t.Errorf("CreatedAt written back %v, want the given %v", e.CreatedAt, base)
	}
	wantEqual(t, "GetExecution", normExec(t, mustGetExec(t, s, e.ID)), normExec(t, e))
}

func testCreateExecutionDefaults(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "shoes"})
	before := time.Now().Add(-time.Second)
	e := mustCreateExec(t, s, &titan.Execution{ID: "run-1", TaskID: task.ID, Status: titan.StatusQueued})
	if e.ID != "run-1" {
		t.Errorf("ID written back %q, want the given run-1", e.ID)
	}
	if e.CreatedAt.Before(before) || e.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("CreatedAt written back %v, want now", e.CreatedAt)
	}
	if got := mustGetExec(t, s, "run-1"); !sameTime(got.CreatedAt, e.CreatedAt) {
		t.Errorf("stored CreatedAt %v, want the written-back %v", got.CreatedAt, e.CreatedAt)
	}
	err := s.CreateExecution(t.Context(), &titan.Execution{ID: "run-1", TaskID: task.ID, Status: titan.StatusFailed})
	wantErrIs(t, "CreateExecution with an ID in use", err, titan.ErrConflict, "run-1")
	if got := mustGetExec(t, s, "run-1"); got.Status != titan.StatusQueued {
		t.Errorf("after the conflict, status %q, want queued", got.Status)
	}

	seen := map[string]bool{"run-1": true}
	for range 50 {
		e := mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued})
		if seen[e.ID] {
			t.Fatalf("ID %q assigned twice", e.ID)
		}
		seen[e.ID] = true
	}
}

func testExecutionCopyIsolation(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "shoes"})
	e := mustCreateExec(t, s, fullExecution(task))
	want := normExec(t, e)
	mutate := func(e *titan.Execution) {
		e.Status = titan.StatusFailed
		e.Stats.Pages = 0
		e.Stats.ErrorsByClass[titan.ClassHTTP] = 99
		e.Errors[0].Message = "mutated"
		e.Lease.Owner = "mutated"
	}

	mutate(e)
	wantEqual(t, "after mutating the created execution", normExec(t, mustGetExec(t, s, want.ID)), want)

	mutate(mustGetExec(t, s, want.ID))
	wantEqual(t, "after mutating a got execution", normExec(t, mustGetExec(t, s, want.ID)), want)

	page, err := s.ListExecutions(t.Context(), titan.ExecutionFilter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("ListExecutions: %d items, %v; want 1", len(page.Items), err)
	}
	mutate(page.Items[0])
	wantEqual(t, "after mutating a listed execution", normExec(t, mustGetExec(t, s, want.ID)), want)

	cp := mustGetExec(t, s, want.ID)
	mustCheckpoint(t, s, cp, nil)
	mutate(cp)
	wantEqual(t, "after mutating a checkpointed execution", normExec(t, mustGetExec(t, s, want.ID)), want)
}

func testExecutionNotFound(t *testing.T, s titan.Store) {
	const id = "exe_missing"
	ctx := t.Context()
	_, err := s.GetExecution(ctx, id)
	wantErrIs(t, "GetExecution", err, titan.ErrNotFound, id)
	err = s.Checkpoint(ctx, &titan.Execution{ID: id, Status: titan.StatusRunning}, makeRecords("main", 0, 1))
	wantErrIs(t, "Checkpoint", err, titan.ErrNotFound, id)
	_, err = s.Records(ctx, id, 0, 10)
	wantErrIs(t, "Records", err, titan.ErrNotFound, id)
	err = s.RenewLease(ctx, id, "worker", time.Minute)
	wantErrIs(t, "RenewLease", err, titan.ErrNotFound, id)
	_, err = s.ClaimExecution(ctx, "worker", time.Minute)
	wantErrIs(t, "ClaimExecution of an empty store", err, titan.ErrNotFound, "")
}

func testListExecutionsNewestFirst(t *testing.T, s titan.Store) {
	e0 := newExec(t, s, titan.StatusQueued, base.Add(2*time.Minute))
	e1 := newExec(t, s, titan.StatusQueued, base)
	e2 := newExec(t, s, titan.StatusQueued, base.Add(time.Minute))
	e3 := newExec(t, s, titan.StatusQueued, base.Add(time.Minute)) // same time as e2, created later
	e4 := newExec(t, s, titan.StatusQueued, time.Time{})           // now
	page, err := s.ListExecutions(t.Context(), titan.ExecutionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(page.Items), ids([]*titan.Execution{e4, e0, e3, e2, e1}); !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if page.NextPageToken != "" {
		t.Errorf("NextPageToken = %q on the only page", page.NextPageToken)
	}
}

func testListExecutionsFilters(t *testing.T, s titan.Store) {
	a := mustCreateTask(t, s, &titan.Task{Name: "a"})
	b := mustCreateTask(t, s, &titan.Task{Name: "b"})
	mk := func(task *titan.Task, status titan.ExecutionStatus, minutes int) *titan.Execution {
		return mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: status, CreatedAt: base.Add(time.Duration(minutes) * time.Minute)})
	}
	aDone := mk(a, titan.StatusCompleted, 0)
	bQueued := mk(b, titan.StatusQueued, 1)
	aRunning := mk(a, titan.StatusRunning, 2)
	aQueued := mk(a, titan.StatusQueued, 3)
	bFailed := mk(b, titan.StatusFailed, 4)
	for _, tc := range []struct {
		name   string
		filter titan.ExecutionFilter
		want   []*titan.Execution
	}{
		{"zero filter", titan.ExecutionFilter{}, []*titan.Execution{bFailed, aQueued, aRunning, bQueued, aDone}},
		{"task", titan.ExecutionFilter{TaskID: a.ID}, []*titan.Execution{aQueued, aRunning, aDone}},
		{"status", titan.ExecutionFilter{Status: titan.StatusQueued}, []*titan.Execution{aQueued, bQueued}},
		{"task and status", titan.ExecutionFilter{TaskID: b.ID, Status: titan.StatusFailed}, []*titan.Execution{bFailed}},
		{"unknown task", titan.ExecutionFilter{TaskID: "tsk_missing"}, nil},
		{"no such status", titan.ExecutionFilter{Status: titan.StatusCancelled}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.ListExecutions(t.Context(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ids(page.Items), ids(tc.want); !slices.Equal(got, want) {
				t.Errorf("listed %q, want %q", got, want)
			}
			if page.NextPageToken != "" {
				t.Errorf("NextPageToken = %q on the only page", page.NextPageToken)
			}
		})
	}
}

func testListExecutionsPagination(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "a"})
	var es []*titan.Execution
	for i := range 7 {
		es = append(es, mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, CreatedAt: base.Add(time.Duration(i) * time.Minute)}))
	}
	// A page of a different task in between must not disturb the listing.
	other := newExec(t, s, titan.StatusQueued, base.Add(150*time.Second))

	f := titan.ExecutionFilter{TaskID: task.ID, PageOptions: titan.PageOptions{PageSize: 3}}
	var got [][]string
	for len(got) < 10 {
		page, err := s.ListExecutions(t.Context(), f)
		if err != nil {
			t.Fatalf("ListExecutions after %d pages: %v", len(got), err)
		}
		got = append(got, ids(page.Items))
		if len(got) == 1 {
			// Executions created after the first page, newer and older than all.
			mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, CreatedAt: base.Add(time.Hour)})
			es = slices.Insert(es, 0, mustCreateExec(t, s, &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, CreatedAt: base.Add(-time.Hour)}))
		}
		if page.NextPageToken == "" {
			break
		}
		f.PageToken = page.NextPageToken
	}
	want := [][]string{
		{es[7].ID, es[6].ID, es[5].ID},
		{es[4].ID, es[3].ID, es[2].ID},
		{es[1].ID, es[0].ID},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages %q, want %q", got, want)
	}

	all, err := s.ListExecutions(t.Context(), titan.ExecutionFilter{PageOptions: titan.PageOptions{PageSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Items) != 10 || all.NextPageToken != "" || !slices.Contains(ids(all.Items), other.ID) {
		t.Errorf("all: %d items, token %q; want the 10 executions and no token", len(all.Items), all.NextPageToken)
	}
}

func testListExecutionsInvalidPageToken(t *testing.T, s titan.Store) {
	newExec(t, s, titan.StatusQueued, base)
	for _, token := range []string{"not a token!", "bm9wZQ", "%%%"} {
		page, err := s.ListExecutions(t.Context(), titan.ExecutionFilter{PageOptions: titan.PageOptions{PageToken: token}})
		if err == nil {
			t.Errorf("ListExecutions with page token %q: %d items and no error", token, len(page.Items))
		}
	}
}

func testCheckpointSeq(t *testing.T, s titan.Store) {
	e := newExec(t, s, titan.StatusRunning, base)
	first := makeRecords("list", 1, 3)
	mustCheckpoint(t, s, e, first)
	mustCheckpoint(t, s, e, nil)
	mustCheckpoint(t, s, e, []titan.Record{})
	second := makeRecords("detail", 4, 2)
	mustCheckpoint(t, s, e, second)

	if got := append(seqs(first), seqs(second)...); !slices.Equal(got, []int64{1, 2, 3, 4, 5}) {
		t.Errorf("Seq written back %v, want 1 to 5", got)
	}
	for _, r := range append(first, second...) {
		if r.ExecutionID != e.ID {
			t.Errorf("record %d: ExecutionID written back %q, want %q", r.Seq, r.ExecutionID, e.ID)
		}
	}
	got := mustRecords(t, s, e.ID, 0, 0)
	wantEqual(t, "Records", normRecords(t, got), normRecords(t, append(first, second...)))

	// Another execution numbers its records from 1.
	other := newExec(t, s, titan.StatusRunning, base)
	recs := makeRecords("main", 1, 2)
	mustCheckpoint(t, s, other, recs)
	if got := seqs(recs); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("another execution: Seq %v, want 1, 2", got)
	}
}

func testCheckpointSavesExecution(t *testing.T, s titan.Store) {
	e := newExec(t, s, titan.StatusQueued, base)
	mustTransition(t, e, titan.StatusRunning, "")
	e.Stats.Requests, e.Stats.Pages, e.Stats.Bytes, e.Stats.ValidRecords = 3, 2, 2048, 2
	e.AddError(titan.ExecError{Class: titan.ClassHTTP, Message: "HTTP 500", URL: "https://shop.example/a", Step: "main", Attempt: 1, At: base.Add(time.Second)})
	e.Lease = &titan.Lease{Owner: "worker-1", Until: time.Now().Add(time.Hour)}
	mustCheckpoint(t, s, e, makeRecords("main", 1, 2))
	wantEqual(t, "after a running checkpoint", normExec(t, mustGetExec(t, s, e.ID)), normExec(t, e))

	mustTransition(t, e, titan.StatusCompletedWithErrors, "1 of 3 pages failed")
	e.Stats.ValidRecords = 3
	mustCheckpoint(t, s, e, makeRecords("main", 3, 1))
	got := mustGetExec(t, s, e.ID)
	wantEqual(t, "after the final checkpoint", normExec(t, got), normExec(t, e))
	if got.Lease != nil || got.FinishedAt.IsZero() || got.Reason == "" {
		t.Errorf("final: lease %v, finished %v, reason %q; want no lease, a finish time and a reason", got.Lease, got.FinishedAt, got.Reason)
	}
	if n := len(mustRecords(t, s, e.ID, 0, 0)); n != 3 {
		t.Errorf("%d records, want 3", n)
	}
}

func testCheckpointRecordRoundTrip(t *testing.T, s titan.Store) {
	e := newExec(t, s, titan.StatusRunning, base)
	recs := []titan.Record{
		{
			Step: "detail",
			URL:  "https://shop.example/p/1?ref=a&b=%20",
			Data: map[string]any{
				"title":    "Trail <Runner> \"2\" ü",
				"price":    129.95,
				"stock":    7,
				"on_sale":  false,
				"discount": nil,
				"sizes":    []any{41, 42.5, "XL"},
				"seller":   map[string]any{"name": "ACME", "rating": map[string]any{"stars": 4.5, "count": 1200}},
				"empty":    map[string]any{},
				"none":     []any{},
			},
			Page: &titan.PageContent{
				HTML:     "<html><body><h1>Trail Runner</h1></body></html>",
				Text:     "Trail Runner",
				Markdown: "# Trail Runner",
				Links: []page.Link{
					{URL: "https://shop.example/p/2", Text: "Next"},
					{URL: "https://ads.example/", Text: "Ad", Rel: "nofollow sponsored", NoFollow: true},
				},
				LinksSkipped: 2,
				Metadata: &page.Metadata{
					Title:     "Trail Runner",
					Canonical: "https://shop.example/p/1",
					Language:  "en",
					OpenGraph: map[string]string{"og:title": "Trail Runner", "og:price:amount": "129.95"},
					JSONLD:    []any{map[string]any{"@type": "Product", "offers": []any{map[string]any{"price": 129.95}}}},
					Problems:  []string{"json-ld block 2: invalid JSON"},
				},
			},
		},
		{
			Step:   "detail",
			URL:    "https://shop.example/p/2",
			Data:   map[string]any{"title": ""},
			Errors: []titan.FieldError{{Field: "title", Problem: "is empty"}, {Field: "price", Problem: "is missing"}},
		},
		{Step: "list", Data: map[string]any{}},
	}
	mustCheckpoint(t, s, e, recs)
	got := mustRecords(t, s, e.ID, 0, 10)
	wantEqual(t, "Records", normRecords(t, got), normRecords(t, recs))
	if len(got) == 3 && (!got[0].Valid() || got[1].Valid()) {
		t.Errorf("validity: %v, %v; want true, false", got[0].Valid(), got[1].Valid())
	}
}

func testCheckpointRecordCopyIsolation(t *testing.T, s titan.Store) {
	e := newExec(t, s, titan.StatusRunning, base)
	recs := []titan.Record{{
		Step:   "main",
		URL:    "https://shop.example/a",
		Data:   map[string]any{"title": "a", "nested": map[string]any{"tags": []any{"x", "y"}}},
		Errors: []titan.FieldError{{Field: "price", Problem: "is missing"}},
		Page:   &titan.PageContent{Text: "a"},
	}}
	mustCheckpoint(t, s, e, recs)
	want := normRecords(t, recs)
	mutate := func(r *titan.Record) {
		r.URL = "mutated"
		r.Data["title"] = "mutated"
		r.Data["nested"].(map[string]any)["tags"].([]any)[0] = "mutated"
		r.Errors[0].Problem = "mutated"
		r.Page.Text = "mutated"
	}

	mutate(&recs[0])
	wantEqual(t, "after mutating checkpointed records", normRecords(t, mustRecords(t, s, e.ID, 0, 0)), want)

	got := mustRecords(t, s, e.ID, 0, 0)
	mutate(&got[0])
	wantEqual(t, "after mutating returned records", normRecords(t, mustRecords(t, s, e.ID, 0, 0)), want)
}

func testCheckpointTerminalConflict(t *testing.T, s titan.Store) {
	for _, status := range []titan.ExecutionStatus{titan.StatusCompleted, titan.StatusCompletedWithErrors, titan.StatusFailed, titan.StatusCancelled} {
		t.Run(string(status), func(t *testing.T) {
			e := newExec(t, s, titan.StatusRunning, base)
			mustCheckpoint(t, s, e, makeRecords("main", 1, 2))
			mustTransition(t, e, status, "done")
			mustCheckpoint(t, s, e, makeRecords("main", 3, 1)) // the final checkpoint

			late := makeRecords("main", 4, 2)
			err := s.Checkpoint(t.Context(), e, late)
			wantErrIs(t, "Checkpoint after the final one", err, titan.ErrConflict, e.ID)
			revived := e.Clone()
			revived.Status, revived.Reason, revived.Stats.Pages = titan.StatusRunning, "", 99
			err = s.Checkpoint(t.Context(), revived, nil)
			wantErrIs(t, "Checkpoint reviving a terminal execution", err, titan.ErrConflict, e.ID)

			if n := len(mustRecords(t, s, e.ID, 0, 0)); n != 3 {
				t.Errorf("%d records, want the 3 checkpointed before the conflicts", n)
			}
			wantEqual(t, "stored execution", normExec(t, mustGetExec(t, s, e.ID)), normExec(t, e))
		})
	}
	t.Run("created terminal", func(t *testing.T) {
		e := newExec(t, s, titan.StatusCancelled, base)
		err := s.Checkpoint(t.Context(), e, makeRecords("main", 1, 1))
		wantErrIs(t, "Checkpoint", err, titan.ErrConflict, e.ID)
		if n := len(mustRecords(t, s, e.ID, 0, 0)); n != 0 {
			t.Errorf("%d records, want none", n)
		}
	})
}

func testCheckpointOtherLeaseOwner(t *testing.T, s titan.Store) {
	newExec(t, s, titan.StatusQueued, base)
	claimed, err := s.ClaimExecution(t.Context(), "worker-a", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	imposter := claimed.Clone()
	mustTransition(t, imposter, titan.StatusRunning, "")
	imposter.Lease = &titan.Lease{Owner: "worker-b", Until: time.Now().Add(time.Hour)}
	err = s.Checkpoint(t.Context(), imposter, makeRecords("main", 1, 2))
	wantErrIs(t, "Checkpoint by another lease owner", err, titan.ErrConflict, claimed.ID)
	if n := len(mustRecords(t, s, claimed.ID, 0, 0)); n != 0 {
		t.Errorf("%d records, want none", n)
	}
	wantEqual(t, "stored execution", normExec(t, mustGetExec(t, s, claimed.ID)), normExec(t, claimed))

	mustTransition(t, claimed, titan.StatusRunning, "")
	mustCheckpoint(t, s, claimed, makeRecords("main", 1, 2))
}

func testCheckpointKeepsRenewedLease(t *testing.T, s titan.Store) {
	newExec(t, s, titan.StatusQueued, base)
	claimed, err := s.ClaimExecution(t.Context(), "worker-a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RenewLease(t.Context(), claimed.ID, "worker-a", time.Hour); err != nil {
		t.Fatal(err)
	}
	mustTransition(t, claimed, titan.StatusRunning, "") // claimed.Lease still ends in a minute
	mustCheckpoint(t, s, claimed, makeRecords("main", 1, 1))
	got := mustGetExec(t, s, claimed.ID)
	if got.Status != titan.StatusRunning || got.Lease == nil || got.Lease.Owner != "worker-a" || got.Lease.Until.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("after the checkpoint: status %q, lease %+v; want running, leased to worker-a for about an hour", got.Status, got.Lease)
	}
}

func testRecordsPagesByAfter(t *testing.T, s titan.Store) {
	e := newExec(t, s, titan.StatusRunning, base)
	mustCheckpoint(t, s, e, makeRecords("main", 1, 6))
	mustCheckpoint(t, s, e, makeRecords("main", 7, 4))
	empty := newExec(t, s, titan.StatusRunning, base)
	for _, tc := range []struct {
		id    string
		after int64
		limit int
		want  []int64
	}{
		{e.ID, 0, 4, []int64{1, 2, 3, 4}},
		{e.ID, 4, 4, []int64{5, 6, 7, 8}},
		{e.ID, 8, 4, []int64{9, 10}},
		{e.ID, 10, 4, []int64{}},
		{e.ID, 50, 4, []int64{}},
		{e.ID, 3, 100, []int64{4, 5, 6, 7, 8, 9, 10}},
		{e.ID, 0, 0, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{e.ID, 0, -1, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{e.ID, -5, 2, []int64{1, 2}},
		{empty.ID, 0, 10, []int64{}},
	} {
		t.Run(fmt.Sprintf("after %d limit %d", tc.after, tc.limit), func(t *testing.T) {
			got := mustRecords(t, s, tc.id, tc.after, tc.limit)
			if !slices.Equal(seqs(got), tc.want) {
				t.Errorf("Seq %v, want %v", seqs(got), tc.want)
			}
			for _, r := range got {
				if r.Data["title"] != fmt.Sprint("item ", r.Seq) || r.ExecutionID != tc.id {
					t.Errorf("record %d: title %v, execution %q; want item %d of %q", r.Seq, r.Data["title"], r.ExecutionID, r.Seq, tc.id)
				}
			}
		})
	}
}

package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

// fullTask returns a task with every field set, plan and all.
func fullTask(name string) *titan.Task {
	return &titan.Task{
		Name:      name,
		Objective: "Track prices of running shoes",
		URLs:      []string{"https://shop.example/shoes", "https://shop.example/shoes?page=2"},
		OutputSchema: json.RawMessage(`{
			"type": "object",
			"properties": {
				"title": {"type": "string", "x-selector": "h1"},
				"price": {"type": "number", "x-selector": ".price", "x-transform": "number"}
			},
			"required": ["title"]
		}`),
		ExecutionType:  titan.ExecutionScheduled,
		Schedule:       "CRON_TZ=Europe/Berlin 0 */6 * * *",
		ProxyLocations: []string{"US", "DE"},
		TemplateID:     "tpl_123",
		TemplateSlug:   "price-monitor",
		ActionType:     titan.ActionScrape,
		InputSource:    titan.InputStaticURLs,
		Params: map[string]any{
			"formats": []any{"markdown", "links"},
			"wait_ms": 250,
			"render":  true,
			"nested":  map[string]any{"ratio": 2.5, "tags": []any{"a", nil, 3}},
		},
		Limits: &titan.Limits{
			MaxPages: 10, MaxDepth: 2, MaxResults: 5, MaxItems: 100, TimeoutSeconds: 30,
			MaxRetries: 3, Concurrency: 4, MaxDurationSeconds: 600,
		},
		Payload:       map[string]any{"query": "shoes", "page": 1, "filters": map[string]any{"size": []any{42, 43}}},
		ScriptID:      "scr_9",
		ScriptVersion: "3",
		ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{
				ID:          "list",
				ActionType:  titan.ActionCrawl,
				InputSource: titan.InputStaticURLs,
				Params:      map[string]any{"include": []any{"/shoes/*"}},
				Limits:      &titan.Limits{MaxPages: 25, MaxDepth: 1},
			},
			{
				ID:           "detail",
				ActionType:   titan.ActionScrape,
				InputSource:  titan.InputPreviousStep,
				From:         []string{"list"},
				Payload:      map[string]any{"x": 1.5},
				OutputSchema: json.RawMessage(`{"type":"object","properties":{"sku":{"type":"string","x-selector":"[data-sku]"}}}`),
			},
		}},
		Labels: map[string]string{"team": "growth", "env": "prod"},
	}
}

func mustCreateTask(t *testing.T, s titan.Store, task *titan.Task) *titan.Task {
	t.Helper()
	if err := s.CreateTask(t.Context(), task); err != nil {
		t.Fatalf("CreateTask(%q): %v", task.Name, err)
	}
	return task
}

func mustGetTask(t *testing.T, s titan.Store, id string) *titan.Task {
	t.Helper()
	got, err := s.GetTask(t.Context(), id)
	if err != nil {
		t.Fatalf("GetTask(%q): %v", id, err)
	}
	return got
}

func testCreateTaskRoundTrip(t *testing.T, s titan.Store) {
	before := time.Now().Add(-time.Second)
	task := mustCreateTask(t, s, fullTask("shoes"))
	if task.ID == "" {
		t.Fatal("CreateTask did not write the ID back")
	}
	if task.Version != 1 || task.Status != titan.TaskActive {
		t.Errorf("written back: version %d, status %q; want 1, active", task.Version, task.Status)
	}
	if task.CreatedAt.Before(before) || !task.UpdatedAt.Equal(task.CreatedAt) {
		t.Errorf("written back: created %v, updated %v; want now, twice", task.CreatedAt, task.UpdatedAt)
	}
	got := mustGetTask(t, s, task.ID)
	wantEqual(t, "GetTask", normTask(t, got), normTask(t, task))
}

func testCreateTaskDefaults(t *testing.T, s titan.Store) {
	for _, tc := range []struct {
		name   string
		status titan.TaskStatus
		want   titan.TaskStatus
	}{
		{"empty status becomes active", "", titan.TaskActive},
		{"active kept", titan.TaskActive, titan.TaskActive},
		{"paused kept", titan.TaskPaused, titan.TaskPaused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := mustCreateTask(t, s, &titan.Task{Name: tc.name, Status: tc.status, Version: 7})
			got := mustGetTask(t, s, task.ID)
			if got.Status != tc.want || task.Status != tc.want {
				t.Errorf("status: stored %q, written back %q; want %q", got.Status, task.Status, tc.want)
			}
			if got.Version != 1 || task.Version != 1 {
				t.Errorf("version: stored %d, written back %d; want 1", got.Version, task.Version)
			}
		})
	}
}

func testCreateTaskGivenID(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{ID: "prices-daily", Name: "first"})
	if task.ID != "prices-daily" {
		t.Errorf("ID written back %q, want the given prices-daily", task.ID)
	}
	if got := mustGetTask(t, s, "prices-daily"); got.Name != "first" {
		t.Errorf("GetTask(prices-daily).Name = %q, want first", got.Name)
	}
	err := s.CreateTask(t.Context(), &titan.Task{ID: "prices-daily", Name: "second"})
	wantErrIs(t, "CreateTask with an ID in use", err, titan.ErrConflict, "prices-daily")
	if got := mustGetTask(t, s, "prices-daily"); got.Name != "first" {
		t.Errorf("after the conflict, Name = %q, want first", got.Name)
	}
}

func testCreateTaskUniqueIDs(t *testing.T, s titan.Store) {
	seen := make(map[string]bool)
	for i := range 50 {
		task := mustCreateTask(t, s, &titan.Task{Name: fmt.Sprint("t", i)})
		if seen[task.ID] {
			t.Fatalf("ID %q assigned twice", task.ID)
		}
		seen[task.ID] = true
	}
}

func testTaskCopyIsolation(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, fullTask("shoes"))
	want := normTask(t, task)

	// Mutating the caller's task after CreateTask.
	mutateTask(task)
	wantEqual(t, "after mutating the created task", normTask(t, mustGetTask(t, s, task.ID)), want)

	// Mutating a task GetTask returned.
	mutateTask(mustGetTask(t, s, want.ID))
	wantEqual(t, "after mutating a got task", normTask(t, mustGetTask(t, s, want.ID)), want)

	// Mutating a task ListTasks returned.
	page, err := s.ListTasks(t.Context(), titan.TaskFilter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("ListTasks: %d items, %v; want 1", len(page.Items), err)
	}
	mutateTask(page.Items[0])
	wantEqual(t, "after mutating a listed task", normTask(t, mustGetTask(t, s, want.ID)), want)
}

// mutateTask changes the maps, slices and pointers of a fullTask in place.
func mutateTask(task *titan.Task) {
	task.Name = "mutated"
	task.URLs[0] = "https://evil.example/"
	task.OutputSchema[0] = ' '
	task.Params["render"] = false
	task.Params["nested"].(map[string]any)["ratio"] = 0
	task.Payload["filters"].(map[string]any)["size"].([]any)[0] = 0
	task.Limits.MaxPages = 1
	task.Labels["team"] = "mutated"
	task.ProxyLocations[0] = "XX"
	task.ExecutionPlan.Steps[0].ID = "mutated"
	task.ExecutionPlan.Steps[1].From[0] = "mutated"
	task.ExecutionPlan.Steps[0].Limits.MaxDepth = 9
}

func testTaskNotFound(t *testing.T, s titan.Store) {
	_, err := s.GetTask(t.Context(), "tsk_missing")
	wantErrIs(t, "GetTask", err, titan.ErrNotFound, "tsk_missing")
	err = s.UpdateTask(t.Context(), &titan.Task{ID: "tsk_missing", Name: "x", Version: 1})
	wantErrIs(t, "UpdateTask", err, titan.ErrNotFound, "tsk_missing")
}

func testListTasksFilters(t *testing.T, s titan.Store) {
	for _, task := range []*titan.Task{
		{Name: "Price Monitor", Labels: map[string]string{"team": "growth", "env": "prod"}},
		{Name: "price tracker", ExecutionType: titan.ExecutionScheduled, Schedule: "@hourly", Labels: map[string]string{"team": "growth"}},
		{Name: "News crawl", ExecutionType: titan.ExecutionSingle, Status: titan.TaskPaused, Labels: map[string]string{"team": "news", "env": "prod"}},
		{Name: "Old prices", Labels: map[string]string{"team": "growth"}},
		{Name: "Ünïcode PRÏCES", Status: titan.TaskCompleted},
	} {
		mustCreateTask(t, s, task)
		if task.Name == "Old prices" {
			task.Status = titan.TaskDeleted
			if err := s.UpdateTask(t.Context(), task); err != nil {
				t.Fatalf("UpdateTask(deleted): %v", err)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		filter titan.TaskFilter
		want   []string
	}{
		{"zero filter hides deleted", titan.TaskFilter{}, []string{"Price Monitor", "price tracker", "News crawl", "Ünïcode PRÏCES"}},
		{"name case-insensitive", titan.TaskFilter{Name: "PRICE"}, []string{"Price Monitor", "price tracker"}},
		{"name unicode case-insensitive", titan.TaskFilter{Name: "prïces"}, []string{"Ünïcode PRÏCES"}},
		{"name substring", titan.TaskFilter{Name: "rawl"}, []string{"News crawl"}},
		{"name no match", titan.TaskFilter{Name: "weather"}, nil},
		{"one label", titan.TaskFilter{Labels: map[string]string{"team": "growth"}}, []string{"Price Monitor", "price tracker"}},
		{"all labels must match", titan.TaskFilter{Labels: map[string]string{"team": "growth", "env": "prod"}}, []string{"Price Monitor"}},
		{"label value differs", titan.TaskFilter{Labels: map[string]string{"env": "staging"}}, nil},
		{"status active", titan.TaskFilter{Status: titan.TaskActive}, []string{"Price Monitor", "price tracker"}},
		{"status paused", titan.TaskFilter{Status: titan.TaskPaused}, []string{"News crawl"}},
		{"status deleted", titan.TaskFilter{Status: titan.TaskDeleted}, []string{"Old prices"}},
		{"deleted with name", titan.TaskFilter{Status: titan.TaskDeleted, Name: "OLD"}, []string{"Old prices"}},
		{"single includes empty type", titan.TaskFilter{ExecutionType: titan.ExecutionSingle}, []string{"Price Monitor", "News crawl", "Ünïcode PRÏCES"}},
		{"scheduled", titan.TaskFilter{ExecutionType: titan.ExecutionScheduled}, []string{"price tracker"}},
		{"all together", titan.TaskFilter{Name: "price", Labels: map[string]string{"team": "growth"}, Status: titan.TaskActive, ExecutionType: titan.ExecutionScheduled}, []string{"price tracker"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.ListTasks(t.Context(), tc.filter)
			if err != nil {
				t.Fatalf("ListTasks: %v", err)
			}
			if page.NextPageToken != "" {
				t.Errorf("NextPageToken = %q on the only page", page.NextPageToken)
			}
			var got []string
			for _, task := range page.Items {
				got = append(got, task.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func testListTasksPagination(t *testing.T, s titan.Store) {
	// Ten tasks, three of them deleted: seven to list, in creation order.
	var want []string
	for i := range 10 {
		task := mustCreateTask(t, s, &titan.Task{Name: fmt.Sprint("task ", i)})
		if i%3 == 1 {
			task.Status = titan.TaskDeleted
			if err := s.UpdateTask(t.Context(), task); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, task.ID)
	}
	for _, tc := range []struct {
		size  int
		pages []int
	}{
		{3, []int{3, 3, 1}},
		{7, []int{7}},
		{1, []int{1, 1, 1, 1, 1, 1, 1}},
		{100, []int{7}},
	} {
		t.Run(fmt.Sprint("size ", tc.size), func(t *testing.T) {
			var got []string
			var sizes []int
			f := titan.TaskFilter{PageOptions: titan.PageOptions{PageSize: tc.size}}
			for {
				page, err := s.ListTasks(t.Context(), f)
				if err != nil {
					t.Fatalf("ListTasks after %d pages: %v", len(sizes), err)
				}
				sizes = append(sizes, len(page.Items))
				for _, task := range page.Items {
					got = append(got, task.ID)
				}
				if page.NextPageToken == "" || len(sizes) > 20 {
					break
				}
				f.PageToken = page.NextPageToken
			}
			if !slices.Equal(sizes, tc.pages) {
				t.Errorf("page sizes %v, want %v", sizes, tc.pages)
			}
			if !slices.Equal(got, want) {
				t.Errorf("listed %q, want %q", got, want)
			}
		})
	}

	// A token stays valid when tasks are created after it was issued.
	page, err := s.ListTasks(t.Context(), titan.TaskFilter{PageOptions: titan.PageOptions{PageSize: 6}})
	if err != nil {
		t.Fatal(err)
	}
	late := mustCreateTask(t, s, &titan.Task{Name: "late"})
	page, err = s.ListTasks(t.Context(), titan.TaskFilter{PageOptions: titan.PageOptions{PageSize: 6, PageToken: page.NextPageToken}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, task := range page.Items {
		got = append(got, task.ID)
	}
	if w := []string{want[6], late.ID}; !slices.Equal(got, w) {
		t.Errorf("second page after a creation: %q, want %q", got, w)
	}
}

func testListTasksDefaultPageSize(t *testing.T, s titan.Store) {
	for i := range 53 {
		mustCreateTask(t, s, &titan.Task{Name: fmt.Sprint("task ", i)})
	}
	page, err := s.ListTasks(t.Context(), titan.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 50 || page.NextPageToken == "" {
		t.Errorf("first page: %d items, token %q; want 50 and a token", len(page.Items), page.NextPageToken)
	}
	page, err = s.ListTasks(t.Context(), titan.TaskFilter{PageOptions: titan.PageOptions{PageToken: page.NextPageToken}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.NextPageToken != "" || page.Items[0].Name != "task 50" {
		t.Errorf("second page: %d items, token %q; want task 50 to 52 and no token", len(page.Items), page.NextPageToken)
	}
}

func testListTasksInvalidPageToken(t *testing.T, s titan.Store) {
	mustCreateTask(t, s, &titan.Task{Name: "a"})
	for _, token := range []string{"not a token!", "bm9wZQ", "%%%"} {
		page, err := s.ListTasks(t.Context(), titan.TaskFilter{PageOptions: titan.PageOptions{PageToken: token}})
		if err == nil {
			t.Errorf("ListTasks with page token %q: %d items and no error", token, len(page.Items))
		}
	}
}

func testUpdateTaskBumpsVersion(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, fullTask("shoes"))
	created := task.CreatedAt
	time.Sleep(2 * time.Millisecond) // let UpdatedAt differ from CreatedAt

	task.Name = "boots"
	task.Params = map[string]any{"formats": []any{"html"}}
	task.Labels = nil
	task.CreatedAt = time.Unix(0, 0) // ignored: CreatedAt never changes
	if err := s.UpdateTask(t.Context(), task); err != nil {
		t.Fatalf("UpdateTask: %v", err)
	}
	if task.Version != 2 {
		t.Errorf("written back version %d, want 2", task.Version)
	}
	if !task.UpdatedAt.After(created) {
		t.Errorf("written back UpdatedAt %v, want after CreatedAt %v", task.UpdatedAt, created)
	}
	got := mustGetTask(t, s, task.ID)
	if !sameTime(got.CreatedAt, created) {
		t.Errorf("stored CreatedAt %v, want the original %v", got.CreatedAt, created)
	}
	if !sameTime(got.UpdatedAt, task.UpdatedAt) {
		t.Errorf("stored UpdatedAt %v, want the written-back %v", got.UpdatedAt, task.UpdatedAt)
	}
	want := normTask(t, task)
	want.CreatedAt = normTime(created)
	wantEqual(t, "GetTask after update", normTask(t, got), want)

	if err := s.UpdateTask(t.Context(), got); err != nil {
		t.Fatalf("second UpdateTask: %v", err)
	}
	if got.Version != 3 {
		t.Errorf("second update: version %d, want 3", got.Version)
	}
}

func testUpdateTaskStaleVersion(t *testing.T, s titan.Store) {
	task := mustCreateTask(t, s, &titan.Task{Name: "v1"})
	stale := mustGetTask(t, s, task.ID)

	task.Name = "v2"
	if err := s.UpdateTask(t.Context(), task); err != nil {
		t.Fatalf("UpdateTask: %v", err)
	}
	for _, version := range []int{1, 0, 3, 99} {
		stale.Name = "stale"
		stale.Version = version
		err := s.UpdateTask(t.Context(), stale)
		wantErrIs(t, fmt.Sprintf("UpdateTask with version %d", version), err, titan.ErrConflict, task.ID)
	}
	got := mustGetTask(t, s, task.ID)
	if got.Name != "v2" || got.Version != 2 {
		t.Errorf("after the conflicts: name %q version %d, want v2 and 2", got.Name, got.Version)
	}
}

// testUpdateTaskOneWinnerPerVersion races 8 updates of the same version, round
// after round: exactly one wins each round.
func testUpdateTaskOneWinnerPerVersion(t *testing.T, s titan.Store) {
	const writers, rounds = 8, 5
	task := mustCreateTask(t, s, &titan.Task{Name: "contended"})
	for round := range rounds {
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			mu      sync.Mutex
			winners []int
			others  []error
		)
		for w := range writers {
			c := task.Clone()
			c.Objective = fmt.Sprint("writer ", w)
			wg.Go(func() {
				<-start
				err := s.UpdateTask(t.Context(), c)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					winners = append(winners, w)
				case !errIsConflict(err):
					others = append(others, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(others) > 0 || len(winners) != 1 {
			t.Fatalf("round %d: winners %v, unexpected errors %v; want one winner, the rest ErrConflict", round, winners, others)
		}
		got := mustGetTask(t, s, task.ID)
		if want := fmt.Sprint("writer ", winners[0]); got.Objective != want || got.Version != round+2 {
			t.Fatalf("round %d: stored %q version %d, want %q version %d", round, got.Objective, got.Version, want, round+2)
		}
		task = got
	}
}

// testUpdateTaskNoLostUpdates has 8 writers increment a counter 5 times each,
// retrying on ErrConflict: no increment is lost and every version is won once.
func testUpdateTaskNoLostUpdates(t *testing.T, s titan.Store) {
	const writers, increments = 8, 5
	task := mustCreateTask(t, s, &titan.Task{Name: "counter", Labels: map[string]string{"n": "0"}})
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		versions []int
	)
	for range writers {
		wg.Go(func() {
			for done := 0; done < increments; {
				c, err := s.GetTask(t.Context(), task.ID)
				if err != nil {
					t.Errorf("GetTask: %v", err)
					return
				}
				n, err := strconv.Atoi(c.Labels["n"])
				if err != nil {
					t.Errorf("counter %q: %v", c.Labels["n"], err)
					return
				}
				c.Labels["n"] = strconv.Itoa(n + 1)
				switch err := s.UpdateTask(t.Context(), c); {
				case err == nil:
					done++
					mu.Lock()
					versions = append(versions, c.Version)
					mu.Unlock()
				case !errIsConflict(err):
					t.Errorf("UpdateTask: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	got := mustGetTask(t, s, task.ID)
	if want := strconv.Itoa(writers * increments); got.Labels["n"] != want || got.Version != writers*increments+1 {
		t.Errorf("counter %s version %d, want %s and %d", got.Labels["n"], got.Version, want, writers*increments+1)
	}
	slices.Sort(versions)
	for i, v := range versions {
		if v != i+2 {
			t.Fatalf("winning versions %v, want 2 to %d once each", versions, writers*increments+1)
		}
	}
}

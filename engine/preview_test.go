package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/titantest"
)

func listSite() *titantest.Site {
	pages := map[string]string{}
	body := ""
	for i := 1; i <= 20; i++ {
		u := fmt.Sprintf("https://shop.test/p/%d", i)
		body += fmt.Sprintf(`<a href="/p/%d">p%d</a>`, i, i)
		pages[u] = fmt.Sprintf(page, fmt.Sprintf("Item %d", i), fmt.Sprintf("$%d", i))
	}
	pages["https://shop.test/"] = body
	return titantest.NewSite(pages)
}

func TestPreviewIsCappedAndMarked(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 23, 0, 0, 0, time.UTC)
	eng, err := engine.New(engine.Config{Runner: titantest.NewRunner(t, listSite(), nil), PreviewQuota: 2, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	task, err := eng.CreateTaskFromTemplate(ctx, "crawl-extract", map[string]any{
		"start_url": "https://shop.test/", "extract_paths": []any{"^/p/"},
		"output_schema": map[string]any{"type": "object", "properties": map[string]any{"name": map[string]any{"type": "string", "x-selector": "h1.name"}}},
	}, func(t *titan.Task) { t.Name = "shop preview" })
	if err != nil {
		t.Fatal(err)
	}
	if task.Name != "shop preview" || task.TemplateID != "tpl_crawl_extract" || task.Limits.MaxPages != 100 {
		t.Fatalf("task = %+v", task)
	}
	for range 2 {
		x, err := eng.Preview(ctx, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x.Trigger != titan.TriggerPreview || x.Stats.Pages != 5 || x.Stats.Skipped["max_pages"] == 0 {
			t.Fatalf("preview = %+v", x)
		}
	}
	_, err = eng.Preview(ctx, task.ID)
	var qe *engine.QuotaError
	if !errors.Is(err, engine.ErrQuotaExceeded) || !errors.As(err, &qe) || qe.Limit != 2 || !qe.Reset.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("third preview: %v", err)
	}
	now = now.Add(2 * time.Hour) // the next day
	if _, err := eng.Preview(ctx, task.ID); err != nil {
		t.Fatalf("preview on the next day: %v", err)
	}
}

func TestPreviewTemplateKeepsNoTask(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, listSite(), nil)
	x, err := eng.PreviewTemplate(ctx, "crawl-extract", map[string]any{
		"start_url": "https://shop.test/", "extract_paths": []any{"^/p/"},
		"output_schema": map[string]any{"type": "object", "properties": map[string]any{"name": map[string]any{"type": "string", "x-selector": "h1.name"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCompleted || x.Stats.ValidRecords != 4 {
		t.Fatalf("preview = %s %s %+v", x.Status, x.Reason, x.Stats)
	}
	tasks, err := eng.ListTasks(ctx, titan.TaskFilter{})
	if err != nil || len(tasks.Items) != 0 {
		t.Fatalf("tasks left: %+v %v", tasks.Items, err)
	}
	if _, err := eng.CreateTaskFromTemplate(ctx, "no-such", nil, nil); err == nil {
		t.Fatal("unknown template accepted")
	}
}

func TestPreviewOfScrapeCapsItsURLs(t *testing.T) {
	ctx := context.Background()
	eng := titantest.NewEngine(t, listSite(), nil)
	var urls []string
	for i := 1; i <= 20; i++ {
		urls = append(urls, fmt.Sprintf("https://shop.test/p/%d", i))
	}
	task, err := eng.CreateTask(ctx, newTask(urls...))
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Preview(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x.Stats.Pages != 5 || x.Stats.Skipped["max_pages"] != 15 {
		t.Fatalf("preview: %s %s %+v", x.Status, x.Reason, x.Stats)
	}
}

package engine_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/titantest"
)

// TestURLInventoryAccumulatesAcrossRuns: a crawl step adds the product URLs it
// maps to the task's inventory; a scrape step reads the inventory as it was when
// the execution started, so the second run scrapes what the first one found.
func TestURLInventoryAccumulatesAcrossRuns(t *testing.T) {
	ctx := context.Background()
	site := titantest.NewSite(map[string]string{
		"https://shop.test/":    `<a href="/p/1">1</a><a href="/p/2">2</a>`,
		"https://shop.test/p/1": `<h1 class="name">Desk</h1><span class="price">$10</span>`,
		"https://shop.test/p/2": `<h1 class="name">Lamp</h1><span class="price">$20</span>`,
	})
	eng := titantest.NewEngine(t, site, nil)
	task, err := eng.CreateTask(ctx, &titan.Task{Name: "inventory", URLs: []string{"https://shop.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
		{ID: "discover", ActionType: titan.ActionCrawl, Params: map[string]any{"mode": "map", "include_paths": []any{"^/p/"}}, AddToInventory: true},
		{ID: "products", ActionType: titan.ActionScrape, InputSource: titan.InputURLInventory, OutputSchema: json.RawMessage(schemaJSON)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != titan.StatusCompleted || first.Stats.Steps["discover"].ValidRecords != 2 || first.Stats.Steps["products"].ValidRecords != 0 {
		t.Fatalf("first run: %s %s %+v", first.Status, first.Reason, first.Stats)
	}
	second, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	if second.Stats.Steps["products"].ValidRecords != 2 {
		t.Fatalf("second run: %s %s %+v", second.Status, second.Reason, second.Stats)
	}
	inv, err := eng.Store().(titan.Inventory).Inventory(ctx, task.ID)
	if err != nil || len(inv) != 2 || inv[0] != "https://shop.test/p/1" && inv[1] != "https://shop.test/p/1" {
		t.Fatalf("inventory = %v, %v", inv, err)
	}
}

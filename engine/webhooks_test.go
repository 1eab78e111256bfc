package engine_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/titantest"
)

// TestMonitorAndWebhooks runs a task twice while prices change in between: the
// second run's change set marks each product, and the webhooks receive signed
// finished and changes deliveries, the first attempt of one failing with a 503.
func TestMonitorAndWebhooks(t *testing.T) {
	ctx := context.Background()
	site := titantest.NewSite(map[string]string{
		"https://shop.test/p/1": `<h1 class="name">Desk</h1><span class="price">$10</span>`,
		"https://shop.test/p/2": `<h1 class="name">Lamp</h1><span class="price">$20</span>`,
		"https://shop.test/p/3": `<h1 class="name">Chair</h1><span class="price">$30</span>`,
	})
	var mu sync.Mutex
	type got struct {
		event string
		body  map[string]any
	}
	var deliveries []got
	failures := 1
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := titan.VerifyWebhook("hook-secret", r.Header.Get(titan.SignatureHeader), body, time.Minute, time.Now()); err != nil {
			t.Errorf("signature: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var m map[string]any
		json.Unmarshal(body, &m)
		deliveries = append(deliveries, got{r.Header.Get("Titan-Event"), m})
	}))
	defer hook.Close()
	store := memory.New() // kept open after Close, to read the deliveries
	eng, err := engine.New(engine.Config{Store: store, Runner: titantest.NewRunner(t, site, nil), WebhookBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name: "monitor", URLs: []string{"https://shop.test/p/1", "https://shop.test/p/2", "https://shop.test/p/3"},
		OutputSchema: json.RawMessage(`{"type":"object","x-key":"name","properties":{
			"name":{"type":"string","x-selector":"h1.name"},"price":{"type":"number","x-selector":".price"}}}`),
		Webhooks: []titan.Webhook{{URL: hook.URL, Events: []string{titan.WebhookFinished, titan.WebhookChanges}, Secret: "hook-secret"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	first, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	site.Set("https://shop.test/p/2", titantest.Page{Body: `<h1 class="name">Lamp</h1><span class="price">$18</span>`})
	site.Set("https://shop.test/p/3", titantest.Page{Status: 404, Body: "gone"})
	second, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		t.Fatal(err)
	}
	changes, had, err := eng.Changes(ctx, second.ID)
	if err != nil || !had {
		t.Fatalf("changes: %v, had %v", err, had)
	}
	kinds := map[string]titan.ChangeKind{}
	for _, c := range changes {
		kinds[c.Key] = c.Kind
	}
	want := map[string]titan.ChangeKind{"main Desk": titan.ChangeSame, "main Lamp": titan.ChangeChanged, "main Chair": titan.ChangeRemoved}
	if len(kinds) != 3 || kinds["main Desk"] != want["main Desk"] || kinds["main Lamp"] != want["main Lamp"] || kinds["main Chair"] != want["main Chair"] {
		t.Fatalf("changes = %+v", changes)
	}
	if err := eng.Close(ctx); err != nil { // waits for the deliveries
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var events []string
	for _, d := range deliveries {
		events = append(events, d.event+" "+d.body["execution"].(map[string]any)["id"].(string))
	}
	wantEvents := map[string]bool{"finished " + first.ID: true, "finished " + second.ID: true, "changes " + second.ID: true}
	if len(events) != 3 {
		t.Fatalf("deliveries = %v", events)
	}
	for _, e := range events {
		if !wantEvents[e] {
			t.Fatalf("unexpected delivery %s in %v", e, events)
		}
	}
	// The first request the hook saw failed with a 503 and was retried: one
	// delivery has two attempts, the others one.
	a1, err := eng.Deliveries(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := eng.Deliveries(ctx, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	attempts := append(a1, a2...)
	byID := map[string][]engine.Delivery{}
	for _, a := range attempts {
		byID[a.ID] = append(byID[a.ID], a)
	}
	retried := 0
	for _, as := range byID {
		switch {
		case len(as) == 2 && as[0].StatusCode == 503 && !as[0].OK() && as[1].OK() && as[1].Attempt == 2:
			retried++
		case len(as) == 1 && as[0].OK():
		default:
			t.Fatalf("attempts = %+v", as)
		}
	}
	if len(byID) != 3 || retried != 1 {
		t.Fatalf("attempts = %+v", attempts)
	}
	for _, d := range deliveries {
		if d.event == titan.WebhookChanges {
			counts := d.body["changes"].(map[string]any)["counts"].(map[string]any)
			if counts["changed"] != 1.0 || counts["removed"] != 1.0 || counts["same"] != 1.0 {
				t.Fatalf("changes delivery counts = %v", counts)
			}
		}
	}
}

package runner_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const productPage = `<!doctype html><html lang="en"><head><title>Oak Desk | Shop</title>
<meta name="description" content="A solid oak desk."></head>
<body><div class="product"><h1 class="product-title"> Oak  Desk </h1>
<span class="price">$1,234.50</span><p class="stock">In stock</p>
<ul class="tags"><li>wood<li>office</ul></div></body></html>`

const productSchema = `{"type":"object","required":["name","price"],"properties":{
 "name":{"type":"string","x-selector":"h1.product-title"},
 "price":{"type":"number","x-selector":"span.price","minimum":0},
 "in_stock":{"type":"boolean","x-selector":".stock"},
 "tags":{"type":"array","items":{"type":"string"},"x-selector":"ul.tags li"}}}`

func newRunner(t *testing.T, cfg runner.Config) *runner.Runner {
	t.Helper()
	cfg.RatePerHost = -1
	r, err := runner.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestScrapeExtractsWithSchemaOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/p/1":
			fmt.Fprint(w, productPage)
		case "/p/2":
			fmt.Fprint(w, strings.Replace(productPage, "$1,234.50", "call us", 1))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	task := &titan.Task{Name: "desks", URLs: []string{srv.URL + "/p/1", srv.URL + "/p/2", srv.URL + "/p/3"}, OutputSchema: json.RawMessage(productSchema)}
	res := titantest.Run(context.Background(), newRunner(t, runner.Config{}), task)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Records) != 2 {
		t.Fatalf("records = %+v", res.Records)
	}
	byURL := map[string]titan.Record{}
	for _, r := range res.Records {
		byURL[r.URL] = r
	}
	good := byURL[srv.URL+"/p/1"]
	want := map[string]any{"name": "Oak Desk", "price": 1234.5, "in_stock": true, "tags": []any{"wood", "office"}}
	if !reflect.DeepEqual(good.Data, want) || !good.Valid() || good.Step != titan.MainStep || good.ExecutionID != "test" {
		t.Fatalf("record = %+v\nwant data %v", good, want)
	}
	bad := byURL[srv.URL+"/p/2"]
	if bad.Valid() || bad.Data["name"] != "Oak Desk" {
		t.Fatalf("invalid record not kept with its errors: %+v", bad)
	}
	if len(res.Errors) != 1 || res.Errors[0].Class != titan.ClassHTTP || res.Errors[0].URL != srv.URL+"/p/3" || res.Errors[0].Step != "main" {
		t.Fatalf("errors = %+v", res.Errors)
	}
	s := res.Stats
	if s.Pages != 2 || s.ValidRecords != 1 || s.InvalidRecords != 1 || s.Errors != 1 || s.ErrorsByClass[titan.ClassHTTP] != 1 || s.Requests < 3 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestScrapeFormats(t *testing.T) {
	site := titantest.NewSite(map[string]string{"https://shop.test/p/1": productPage})
	task := &titan.Task{Name: "f", URLs: []string{"https://shop.test/p/1"}, Params: map[string]any{"formats": []any{"text", "metadata", "links"}}}
	res := titantest.Run(context.Background(), titantest.NewRunner(t, site, nil), task)
	if res.Err != nil || len(res.Records) != 1 {
		t.Fatalf("err %v, records %+v, errors %+v", res.Err, res.Records, res.Errors)
	}
	p := res.Records[0].Page
	if p == nil || p.Metadata == nil || p.Metadata.Title != "Oak Desk | Shop" || p.Metadata.Description != "A solid oak desk." {
		t.Fatalf("page = %+v", p)
	}
	if p.Text != "Oak Desk\n\n$1,234.50\n\nIn stock\n\nwood\noffice" || p.Markdown != "" || p.HTML != "" {
		t.Fatalf("text = %q, markdown %q", p.Text, p.Markdown)
	}
}

func TestScrapeRejectsUnknownFormat(t *testing.T) {
	r := newRunner(t, runner.Config{})
	task := &titan.Task{Name: "f", URLs: []string{"https://shop.test/"}, Params: map[string]any{"formats": []any{"text", "pdf"}, "zoom": 2}}
	err := r.Validate(task)
	var ve *titan.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"params.formats[1]: unknown format pdf", "params.zoom: unknown scrape param"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestCustomActionPanicBecomesError(t *testing.T) {
	var calls atomic.Int32
	boom := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		if calls.Add(1) == 2 {
			panic("kaboom")
		}
		return out.Emit(ctx, titan.Record{Data: map[string]any{"n": in.Item.URL}})
	})
	r := newRunner(t, runner.Config{Concurrency: 1, Actions: map[titan.ActionType]titan.Action{"boom": boom}})
	task := &titan.Task{Name: "p", ActionType: "boom", URLs: []string{"https://a.test/1", "https://a.test/2", "https://a.test/3"}}
	res := titantest.Run(context.Background(), r, task)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Records) != 2 || len(res.Errors) != 1 || res.Errors[0].Class != titan.ClassPanic || !strings.Contains(res.Errors[0].Message, "kaboom") {
		t.Fatalf("records %+v errors %+v", res.Records, res.Errors)
	}
}

func TestCustomActionRecordsAreValidated(t *testing.T) {
	act := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		return out.Emit(ctx, titan.Record{Data: map[string]any{"price": -3.0}})
	})
	r := newRunner(t, runner.Config{Actions: map[titan.ActionType]titan.Action{"prices": act}})
	task := &titan.Task{Name: "v", ActionType: "prices", URLs: []string{"https://a.test/"},
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"price":{"type":"number","minimum":0}}}`)}
	res := titantest.Run(context.Background(), r, task)
	if len(res.Records) != 1 || res.Records[0].Valid() || res.Records[0].Errors[0].Field != "price" || res.Stats.InvalidRecords != 1 {
		t.Fatalf("records %+v stats %+v", res.Records, res.Stats)
	}
}

func TestUnknownActionIsInvalid(t *testing.T) {
	r := newRunner(t, runner.Config{})
	task := &titan.Task{Name: "u", ActionType: "teleport", URLs: []string{"https://a.test/"}}
	res := titantest.Run(context.Background(), r, task)
	if res.Err == nil || !strings.Contains(res.Err.Error(), `action_type: unknown action type "teleport"`) {
		t.Fatalf("got %v", res.Err)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	act := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		return nil
	})
	r := newRunner(t, runner.Config{Concurrency: 3, Actions: map[titan.ActionType]titan.Action{"slow": act}})
	urls := make([]string, 20)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://a.test/%d", i)
	}
	done := make(chan *titantest.Result)
	go func() {
		done <- titantest.Run(context.Background(), r, &titan.Task{Name: "c", ActionType: "slow", URLs: urls})
	}()
	close(release)
	res := <-done
	if res.Err != nil || peak.Load() > 3 {
		t.Fatalf("err %v, peak %d", res.Err, peak.Load())
	}
}

func TestCancelStopsFeeding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	act := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		if calls.Add(1) == 2 {
			cancel()
		}
		return nil
	})
	r := newRunner(t, runner.Config{Concurrency: 1, Actions: map[titan.ActionType]titan.Action{"a": act}})
	urls := make([]string, 50)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://a.test/%d", i)
	}
	res := titantest.Run(ctx, r, &titan.Task{Name: "c", ActionType: "a", URLs: urls})
	if !errors.Is(res.Err, context.Canceled) || calls.Load() > 3 {
		t.Fatalf("err %v after %d calls", res.Err, calls.Load())
	}
}

func TestMaxItemsIsExactUnderConcurrency(t *testing.T) {
	one := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		return out.Emit(ctx, titan.Record{Data: map[string]any{"u": in.Item.URL}})
	})
	r := newRunner(t, runner.Config{Concurrency: 8, Actions: map[titan.ActionType]titan.Action{"one": one}})
	urls := make([]string, 200)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://a.test/%d", i)
	}
	for range 5 {
		res := titantest.Run(context.Background(), r, &titan.Task{Name: "m", ActionType: "one", URLs: urls, Limits: &titan.Limits{MaxItems: 3}})
		if res.Err != nil || len(res.Records) != 3 || res.Stats.Skipped[runner.SkipMaxItems] < 1 {
			t.Fatalf("err %v, %d records, skipped %v", res.Err, len(res.Records), res.Stats.Skipped)
		}
	}
}

// failingSink cannot keep records.
type failingSink struct{ discard }

func (failingSink) Record(context.Context, string, titan.Record) error {
	return errors.New("disk full")
}

func TestSinkFailureStopsTheExecution(t *testing.T) {
	var calls atomic.Int32
	one := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		calls.Add(1)
		return out.Emit(ctx, titan.Record{Data: map[string]any{"u": in.Item.URL}})
	})
	r := newRunner(t, runner.Config{Concurrency: 2, Actions: map[titan.ActionType]titan.Action{"one": one}})
	urls := make([]string, 100)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://a.test/%d", i)
	}
	_, err := r.Execute(context.Background(), &titan.Job{ExecutionID: "f", Task: &titan.Task{Name: "f", ActionType: "one", URLs: urls}}, failingSink{})
	if err == nil || !strings.Contains(err.Error(), "disk full") || calls.Load() > 4 {
		t.Fatalf("err %v after %d calls", err, calls.Load())
	}
}

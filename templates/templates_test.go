package templates_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/templates"
)

const schema = `{"type":"object","properties":{"name":{"type":"string","x-selector":"h1"}}}`

func TestCrawlExtractInstantiates(t *testing.T) {
	reg, err := templates.New(templates.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := reg.Get("crawl-extract")
	if err != nil {
		t.Fatal(err)
	}
	var sch map[string]any
	json.Unmarshal([]byte(schema), &sch)
	task, err := tp.Instantiate(map[string]any{
		"start_url": "https://shop.test/", "output_schema": sch,
		"extract_paths": []string{"^/p/"}, "max_pages": 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := task.Validate(); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(task)
	want := `{"name":"crawl https://shop.test/","objective":"Extract records from the pages of a site","urls":["https://shop.test/"],` +
		`"output_schema":{"properties":{"name":{"type":"string","x-selector":"h1"}},"type":"object"},"template_id":"tpl_crawl_extract",` +
		`"action_type":"crawl","params":{"extract_paths":["^/p/"],"include_paths":[]},"limits":{"max_pages":40,"max_depth":3}}`
	if string(got) != want {
		t.Fatalf("task:\n%s\nwant:\n%s", got, want)
	}
}

func TestInstantiateReportsEveryParamProblem(t *testing.T) {
	tp := templates.Builtins()[0]
	_, err := tp.Instantiate(map[string]any{"start_url": "ftp://x", "max_pages": 2.5, "colour": "red"})
	var ve *titan.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		`params.start_url: invalid URL "ftp://x": scheme must be http or https`,
		"params.output_schema: is required",
		"params.max_pages: want type integer, got float64",
		"params.colour: template crawl-extract has no such parameter",
	}
	if len(ve.Problems) != len(want) {
		t.Fatalf("problems: %v", err)
	}
	for i, p := range ve.Problems {
		if p.Error() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, p.Error(), want[i])
		}
	}
}

func TestRegistryVersionsAndRefs(t *testing.T) {
	v1 := templates.Builtins()[0]
	v2 := templates.Builtins()[0]
	v2.Version, v2.Name = 2, "Crawl v2"
	reg, err := templates.New(v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]int{"crawl-extract": 2, "tpl_crawl_extract": 2, "crawl-extract@1": 1} {
		tp, err := reg.Get(ref)
		if err != nil || tp.Version != want {
			t.Errorf("Get(%q) = %v, %v; want version %d", ref, tp, err, want)
		}
	}
	for _, ref := range []string{"nope", "crawl-extract@3", "crawl-extract@x"} {
		if _, err := reg.Get(ref); err == nil {
			t.Errorf("Get(%q) found something", ref)
		}
	}
	if err := reg.Add(v1); err == nil || !strings.Contains(err.Error(), "already has version 2") {
		t.Errorf("re-adding v1: %v", err)
	}
	if n := len(reg.List()); n != 1 {
		t.Errorf("List has %d templates", n)
	}
}

func TestAddRejectsBrokenTemplates(t *testing.T) {
	reg, _ := templates.New()
	bad := &titan.Template{ID: "t1", Slug: "Bad Slug", Version: 0,
		Parameters: []titan.TemplateParam{{Name: "u", Type: "colour"}, {Name: "u", Type: titan.ParamURL}, {Name: "n", Type: titan.ParamInteger, Default: "ten"}},
		Task:       json.RawMessage(`{"name":"x","urls":["{{u}}"]}`)}
	err := reg.Add(bad)
	for _, want := range []string{"slug:", "version: must be at least 1", `parameters[0].type: unknown parameter type "colour"`, `parameters[1].name: "u" is declared twice`, "parameters[2].default: want type integer, got string"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	undeclared := &titan.Template{ID: "t2", Slug: "undeclared", Version: 1, Task: json.RawMessage(`{"name":"{{who}}","urls":["https://x.test/"]}`)}
	if err := reg.Add(undeclared); err == nil || !strings.Contains(err.Error(), "undeclared parameters: who") {
		t.Errorf("undeclared placeholder: %v", err)
	}
	invalid := &titan.Template{ID: "t3", Slug: "invalid", Version: 1, Task: json.RawMessage(`{"name":"x","urls":["https://x.test/"],"action_type":"teleport"}`)}
	if err := reg.Add(invalid); err == nil || !strings.Contains(err.Error(), "task.action_type: unknown action type") {
		t.Errorf("invalid skeleton: %v", err)
	}
}

func ExampleRegistry_Get() {
	reg, _ := templates.New(templates.Builtins()...)
	tp, _ := reg.Get("crawl-extract")
	task, _ := tp.Instantiate(map[string]any{
		"start_url":     "https://shop.example/",
		"output_schema": map[string]any{"type": "object"},
	})
	fmt.Println(task.Name, task.ActionType, task.Limits.MaxPages, task.TemplateID)
	// Output: crawl https://shop.example/ crawl 100 tpl_crawl_extract
}

func TestBuiltinsMakeValidTasks(t *testing.T) {
	reg, err := templates.New(templates.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	sch := map[string]any{"type": "object", "properties": map[string]any{"name": map[string]any{"type": "string", "x-selector": "h1"}}}
	for slug, params := range map[string]map[string]any{
		"crawl-extract": {"start_url": "https://shop.test/", "output_schema": sch},
		"search-scrape": {"query": "oak desk", "max_results": 3},
		"api-detail":    {"api_url": "https://api.test/v1/items", "records_path": "data", "output_schema": sch},
	} {
		tp, err := reg.Get(slug)
		if err != nil {
			t.Fatal(err)
		}
		task, err := tp.Instantiate(params)
		if err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		if err := task.Validate(); err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		if slug == "search-scrape" {
			steps := task.Steps()
			if steps[0].Params["query"] != "oak desk" || steps[0].Limits.MaxResults != 3 || steps[1].From[0] != "search" || len(steps[1].OutputSchema) == 0 {
				t.Fatalf("search-scrape task = %+v", steps)
			}
		}
	}
}

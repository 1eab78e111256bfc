package titan_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/titanscrape/titan"
)

func TestLoadTaskYAMLAndJSONAgree(t *testing.T) {
	y, err := titan.LoadTask("testdata/task.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := y.Validate(); err != nil {
		t.Fatalf("valid task rejected: %v", err)
	}
	b, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "task.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := titan.LoadTask(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y, j) {
		t.Fatalf("YAML and JSON forms differ:\n%+v\n%+v", y, j)
	}
	if y.Name != "shop prices" || y.Labels["team"] != "pricing" || y.Limits.Concurrency != 2 || len(y.URLs) != 2 {
		t.Fatalf("fields not loaded: %+v", y)
	}
	var sch map[string]any
	if err := json.Unmarshal(y.OutputSchema, &sch); err != nil {
		t.Fatal(err)
	}
	if sch["required"].([]any)[1] != "price" {
		t.Fatalf("output_schema = %s", y.OutputSchema)
	}
}

func TestValidateReportsEveryProblemWithItsPath(t *testing.T) {
	task, err := titan.LoadTask("testdata/invalid_task.json")
	if err != nil {
		t.Fatal(err)
	}
	err = task.Validate()
	var ve *titan.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	got := map[string]string{}
	for _, p := range ve.Problems {
		got[p.Field] = p.Problem
	}
	want := []string{
		"name",
		"schedule",
		"urls[1]",
		"urls[2]",
		"proxy_locations[0]",
		"execution_plan.steps[1].id",
		"execution_plan.steps[1].action_type",
		"execution_plan.steps[2].from[0]",
		"execution_plan.steps[2].limits.max_pages",
		"execution_plan.steps[2].output_schema.properties.name.x-selector",
		"execution_plan.steps[2].output_schema.properties.price.type",
	}
	for _, f := range want {
		if _, ok := got[f]; !ok {
			t.Errorf("no problem reported for %s", f)
		}
	}
	if len(ve.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(ve.Problems), len(want), err)
	}
	for _, s := range []string{`unknown action type "teleport"`, `"find" is already the id of steps[0]`, `unknown step "ghost"`, "scheme must be http or https"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%v", s, err)
		}
	}
}

func TestValidateTaskShapes(t *testing.T) {
	schemaJSON := json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`)
	tests := []struct {
		name    string
		task    titan.Task
		problem string // empty: valid
	}{
		{"classic", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, OutputSchema: schemaJSON}, ""},
		{"scheduled with seconds", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, ExecutionType: titan.ExecutionScheduled, Schedule: "*/30 * * * * *"}, ""},
		{"scheduled every", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, ExecutionType: titan.ExecutionScheduled, Schedule: "@every 10m"}, ""},
		{"scheduled without schedule", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, ExecutionType: titan.ExecutionScheduled}, `schedule: is required when execution_type is "scheduled"`},
		{"schedule on single", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, Schedule: "@hourly"}, `schedule: is set but execution_type is not "scheduled"`},
		{"unknown execution type", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, ExecutionType: "sometimes"}, `execution_type: unknown execution type "sometimes"`},
		{"scrape without urls", titan.Task{Name: "a"}, `urls: scrape with input_source "static_urls" needs at least one URL`},
		{"unknown input source", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, InputSource: "inbox"}, `input_source: unknown input source "inbox"`},
		{"previous_step without plan", titan.Task{Name: "a", InputSource: titan.InputPreviousStep}, `input_source: "previous_step" needs an execution_plan`},
		{"plan and action", titan.Task{Name: "a", ActionType: titan.ActionScrape, ExecutionPlan: &titan.Plan{Steps: []titan.Step{{ID: "s", ActionType: titan.ActionSearch}}}}, "action_type: not allowed with execution_plan"},
		{"empty plan", titan.Task{Name: "a", ExecutionPlan: &titan.Plan{}}, "execution_plan.steps: needs at least one step"},
		{"cycle", titan.Task{Name: "a", ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			{ID: "a", ActionType: titan.ActionSearch, InputSource: titan.InputPreviousStep, From: []string{"b"}},
			{ID: "b", ActionType: titan.ActionScrape, From: []string{"a"}},
		}}}, "execution_plan.steps: steps form a cycle: a → b → a"},
		{"first step reads nothing", titan.Task{Name: "a", ExecutionPlan: &titan.Plan{Steps: []titan.Step{{ID: "a", ActionType: titan.ActionScrape, InputSource: titan.InputPreviousStep}}}}, "execution_plan.steps[0].input_source: the first step has no previous step"},
		{"template both", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, TemplateID: "t1", TemplateSlug: "shop"}, "template_slug: set template_id or template_slug, not both"},
		{"invalid schema JSON", titan.Task{Name: "a", URLs: []string{"https://x.test/"}, OutputSchema: json.RawMessage(`{"type":`)}, "output_schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.task.Validate()
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Fatalf("error %v\nwant it to contain %q", err, tt.problem)
			}
		})
	}
}

func TestParseTaskRejectsUnknownFieldsAndBadTypes(t *testing.T) {
	tests := map[string]string{
		`{"name":"a","urlz":["https://x.test"]}`:    `unknown field "urlz"`,
		`{"name":"a","urls":"https://x.test"}`:      "urls: cannot use a JSON string as []string",
		"{\"name\":\"a\",\n\"urls\": [,]}":          "line 2",
		"":                                          "task file is empty",
		"name: a\nurls: [https://x.test\n":          "task YAML",
		`{"name":"a"} {"name":"b"}`:                 "data after the task object",
		`{"name":"a","limits":{"max_pagez":3}}`:     `unknown field "max_pagez"`,
		`{"name":"a","execution_plan":{"steps":1}}`: "execution_plan.steps: cannot use a JSON number",
	}
	for in, want := range tests {
		_, err := titan.ParseTask([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTask(%q) = %v, want error containing %q", in, err, want)
		}
	}
}

func TestLoadTaskRejectsOtherExtensions(t *testing.T) {
	if _, err := titan.LoadTask("task.txt"); err == nil || !strings.Contains(err.Error(), "want a .json, .yaml or .yml file") {
		t.Fatalf("got %v", err)
	}
}

func TestTaskStepsOfClassicTask(t *testing.T) {
	task := &titan.Task{Name: "a", URLs: []string{"https://x.test/"}}
	steps := task.Steps()
	if len(steps) != 1 || steps[0].ID != titan.MainStep || steps[0].ActionType != titan.ActionScrape || steps[0].InputSource != titan.InputStaticURLs {
		t.Fatalf("steps = %+v", steps)
	}
}

func TestCloneIsDeep(t *testing.T) {
	task := &titan.Task{Name: "a", Labels: map[string]string{"k": "v"}, Params: map[string]any{"formats": []any{"text"}}}
	c := task.Clone()
	c.Labels["k"] = "changed"
	c.Params["formats"].([]any)[0] = "html"
	if task.Labels["k"] != "v" || task.Params["formats"].([]any)[0] != "text" {
		t.Fatal("clone shares state with the original")
	}
}

func TestValidatePlanStepsReadURLs(t *testing.T) {
	noURL := json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","x-selector":"h1"}}}`)
	withURL := json.RawMessage(`{"type":"object","properties":{"url":{"type":"string","x-selector":"a@href","format":"uri"}}}`)
	plan := func(first titan.Step) *titan.Task {
		first.ID = "first"
		return &titan.Task{Name: "p", URLs: []string{"https://x.test/"}, ExecutionPlan: &titan.Plan{Steps: []titan.Step{
			first, {ID: "second", ActionType: titan.ActionScrape},
		}}}
	}
	for name, tt := range map[string]struct {
		first   titan.Step
		problem string
	}{
		"search":             {titan.Step{ActionType: titan.ActionSearch}, ""},
		"crawl map":          {titan.Step{ActionType: titan.ActionCrawl, Params: map[string]any{"mode": "map"}}, ""},
		"scrape with url":    {titan.Step{ActionType: titan.ActionScrape, OutputSchema: withURL}, ""},
		"scrape no url":      {titan.Step{ActionType: titan.ActionScrape, OutputSchema: noURL}, `execution_plan.steps[1].from[0]: step "first" emits no URLs for scrape to read: its output_schema has no top-level "url" property`},
		"scrape formats":     {titan.Step{ActionType: titan.ActionScrape}, "its records hold page formats, not URLs"},
		"api without schema": {titan.Step{ActionType: titan.ActionAPICall}, ""},
	} {
		err := plan(tt.first).Validate()
		switch {
		case tt.problem == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
			t.Errorf("%s: %v, want %q", name, err, tt.problem)
		}
	}
}

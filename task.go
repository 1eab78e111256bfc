package titan

import (
	"bytes"
	"cmp"
	"encoding/json"
	"time"
)

// ExecutionType says whether a task runs once on demand or on a cron schedule.
type ExecutionType string

// The execution types of a task.
const (
	// ExecutionSingle tasks run when asked to (the default).
	ExecutionSingle ExecutionType = "single"
	// ExecutionScheduled tasks run on their Schedule; they can be run manually too.
	ExecutionScheduled ExecutionType = "scheduled"
)

// ActionType names an action: one of the built-ins below, or a custom action that a
// user registers with the Runner.
type ActionType string

// The built-in action types.
const (
	ActionSearch  ActionType = "search"
	ActionCrawl   ActionType = "crawl"
	ActionScrape  ActionType = "scrape"
	ActionAPICall ActionType = "api_call"
)

// BuiltinActions lists the action types every Runner knows.
func BuiltinActions() []ActionType {
	return []ActionType{ActionSearch, ActionCrawl, ActionScrape, ActionAPICall}
}

// InputSource says where an action or step takes its inputs from.
type InputSource string

// The input sources.
const (
	// InputStaticURLs feeds the task's URLs (the default).
	InputStaticURLs InputSource = "static_urls"
	// InputPreviousStep feeds the URLs or records emitted by earlier plan steps.
	InputPreviousStep InputSource = "previous_step"
	// InputURLInventory feeds the task's URL inventory, which persists across executions.
	InputURLInventory InputSource = "task_url_inventory"
)

// TaskStatus is the lifecycle status of a task:
// active → paused ↔ active; active → completed | failed | deleted.
type TaskStatus string

// The task lifecycle statuses.
const (
	TaskActive    TaskStatus = "active"
	TaskPaused    TaskStatus = "paused"
	TaskCompleted TaskStatus = "completed"
	TaskFailed    TaskStatus = "failed"
	TaskDeleted   TaskStatus = "deleted"
)

// Task is the durable definition of work: targets, intent, output shape and the
// action or plan that produces it. A task is defined once and run many times; each
// run is an Execution.
//
// JSON field names are those of Titan's Task Service API, so task files move between
// titan and the hosted platform. Three shapes are accepted:
//
//   - Classic extraction: URLs and an OutputSchema; it runs as a scrape.
//   - Modular: ActionType, InputSource, Params, Limits and Payload on the task.
//   - Multi-step: an ExecutionPlan whose steps replace the top-level action fields.
type Task struct {
	// ID is assigned by the store when the task is created.
	ID string `json:"id,omitempty"`
	// Name is required; it need not be unique.
	Name string `json:"name"`
	// Objective says in plain language what success means.
	Objective string `json:"objective,omitempty"`
	// URLs are the targets: the input of the static_urls source.
	URLs []string `json:"urls,omitempty"`
	// OutputSchema is the JSON Schema of one record, with x-selector and x-transform
	// keywords saying where each field is on a page (see package schema).
	OutputSchema json.RawMessage `json:"output_schema,omitempty"`
	// ExecutionType defaults to single.
	ExecutionType ExecutionType `json:"execution_type,omitempty"`
	// Schedule is a cron spec (5 fields, 6 with seconds, or descriptors such as
	// @hourly and @every 10m); required when ExecutionType is scheduled.
	Schedule string `json:"schedule,omitempty"`
	// ScheduleOptions tune a scheduled task: time zone, jitter, overlap and
	// catch-up policies, start and end dates. titan extension.
	ScheduleOptions *ScheduleOptions `json:"schedule_options,omitempty"`
	// ProxyLocations lists country codes such as "US" or "DE" for proxied fetches.
	ProxyLocations []string `json:"proxy_locations,omitempty"`
	// TemplateID and TemplateSlug name the template the task was created from.
	TemplateID   string `json:"template_id,omitempty"`
	TemplateSlug string `json:"template_slug,omitempty"`

	// ActionType selects the action of a modular task; a classic task (URLs and an
	// output schema, no action) runs as scrape.
	ActionType ActionType `json:"action_type,omitempty"`
	// InputSource defaults to static_urls.
	InputSource InputSource `json:"input_source,omitempty"`
	// Params configure the action, e.g. {"formats": ["markdown", "links"]} for scrape.
	// titan extension: the platform has no params field.
	Params map[string]any `json:"params,omitempty"`
	// Limits bound the work of the action.
	Limits *Limits `json:"limits,omitempty"`
	// Payload is action data, e.g. the JSON body of an api_call.
	Payload map[string]any `json:"payload,omitempty"`
	// ScriptID and ScriptVersion name a platform script; kept for portability.
	ScriptID      string `json:"script_id,omitempty"`
	ScriptVersion string `json:"script_version,omitempty"`

	// ExecutionPlan makes a multi-step task; it replaces the top-level action fields.
	ExecutionPlan *Plan `json:"execution_plan,omitempty"`

	// Webhooks are notified of the task's execution events.
	Webhooks []Webhook `json:"webhooks,omitempty"`

	// Labels are free-form key/value pairs for filtering.
	Labels map[string]string `json:"labels,omitempty"`
	// Status is the lifecycle status; the store sets active on creation.
	Status TaskStatus `json:"status,omitempty"`
	// Version starts at 1 and grows by one on every update.
	Version   int       `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// ScheduleOptions tune how a scheduled task fires.
type ScheduleOptions struct {
	// TimeZone is the IANA zone the schedule's fields are read in, e.g.
	// "Europe/Berlin"; default UTC (or the spec's CRON_TZ= prefix).
	TimeZone string `json:"time_zone,omitempty"`
	// JitterSeconds delays each run by a random time below it.
	JitterSeconds int `json:"jitter_seconds,omitempty"`
	// Overlap says what a tick does while the previous run still runs: "skip"
	// (default; the tick is recorded as skipped), "queue" (at most one waits) or
	// "allow" (runs at once).
	Overlap string `json:"overlap,omitempty"`
	// CatchUp says what happens to ticks missed while the process was down:
	// "skip" (default), "run_once" (one run for all) or "run_all" (each, at most
	// CatchUpMax of the latest).
	CatchUp    string `json:"catch_up,omitempty"`
	CatchUpMax int    `json:"catch_up_max,omitempty"`
	// StartAt and EndAt bound the ticks.
	StartAt time.Time `json:"start_at,omitzero"`
	EndAt   time.Time `json:"end_at,omitzero"`
}

// Limits bound the work of an action or step. Zero means the action's default.
type Limits struct {
	// MaxPages caps the pages a crawl fetches (default 25), counted after filtering.
	MaxPages int `json:"max_pages,omitempty"`
	// MaxDepth caps crawl depth from the seeds (default 1).
	MaxDepth int `json:"max_depth,omitempty"`
	// MaxResults caps search results (default 10).
	MaxResults int `json:"max_results,omitempty"`
	// MaxItems caps the records an action emits.
	MaxItems int `json:"max_items,omitempty"`
	// TimeoutSeconds bounds one api_call request, its retries included.
	TimeoutSeconds int `json:"timeout_seconds,omitempty"`
	// MaxRetries caps retries of one request.
	MaxRetries int `json:"max_retries,omitempty"`
	// Concurrency caps the inputs processed at once (default: the Runner's).
	Concurrency int `json:"concurrency,omitempty"`
	// MaxDurationSeconds bounds the execution: past it, the execution ends failed,
	// reason timeout, with the records it has kept. With several steps, the
	// largest of their values applies.
	MaxDurationSeconds int `json:"max_duration_seconds,omitempty"`
}

// Plan is a multi-step execution plan: a DAG of steps wired by their input sources.
// Steps run in dependency order; a previous_step input fans out, each item of the
// upstream step becoming one input of the downstream step.
type Plan struct {
	Steps []Step `json:"steps"`
}

// Step is one action of a Plan.
type Step struct {
	// ID names the step; unique in the plan. Records carry it.
	ID         string     `json:"id"`
	ActionType ActionType `json:"action_type"`
	// InputSource defaults to static_urls for the first step and previous_step for
	// the others.
	InputSource InputSource `json:"input_source,omitempty"`
	// From lists the step IDs a previous_step source reads; empty means the step
	// just before this one.
	From         []string        `json:"from,omitempty"`
	Params       map[string]any  `json:"params,omitempty"`
	Limits       *Limits         `json:"limits,omitempty"`
	Payload      map[string]any  `json:"payload,omitempty"`
	OutputSchema json.RawMessage `json:"output_schema,omitempty"`
	// AddToInventory adds the URL of each valid record of the step (its "url"
	// field, else its source URL) to the task's URL inventory.
	AddToInventory bool `json:"add_to_inventory,omitempty"`
}

// Steps returns the steps the task runs: its plan's steps, or one step named "main"
// built from the top-level action fields. A classic task yields a scrape step.
func (t *Task) Steps() []Step {
	if t.ExecutionPlan != nil {
		return t.ExecutionPlan.Steps
	}
	return []Step{{
		ID:           MainStep,
		ActionType:   cmp.Or(t.ActionType, ActionScrape),
		InputSource:  cmp.Or(t.InputSource, InputStaticURLs),
		Params:       t.Params,
		Limits:       t.Limits,
		Payload:      t.Payload,
		OutputSchema: t.OutputSchema,
	}}
}

// MainStep is the step ID of a task without an execution plan.
const MainStep = "main"

// Clone returns a deep copy of the task, so stores and callers never share maps,
// slices or schemas. Params and Payload are copied through JSON, as they would be
// by a store: numbers become float64. A task whose params or payload cannot be
// represented in JSON fails Validate; Clone panics on it.
func (t *Task) Clone() *Task {
	if t == nil {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep selectors such as "ul > li" as they are
	if err := enc.Encode(t); err != nil {
		panic("titan: task cannot be copied: " + err.Error())
	}
	var c Task
	if err := json.Unmarshal(buf.Bytes(), &c); err != nil {
		panic("titan: task cannot be copied: " + err.Error())
	}
	return &c
}

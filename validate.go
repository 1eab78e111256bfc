package titan

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/titanscrape/titan/schema"
)

// cronParser parses task schedules: five fields, an optional leading seconds field,
// and descriptors such as @hourly or @every 10m. A CRON_TZ= or TZ= prefix selects
// an IANA time zone.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a cron spec as task schedules accept it: five fields, an
// optional leading seconds field, descriptors such as @hourly or @every 10m, and an
// optional CRON_TZ=Area/City prefix.
func ParseSchedule(spec string) (cron.Schedule, error) {
	s, err := parseCron(spec)
	if err != nil {
		return nil, fmt.Errorf("titan: schedule %q: %w", spec, err)
	}
	return s, nil
}

// parseCron calls the cron parser, turning its panics (it slices out of range on
// specs such as "TZ=") into errors.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("malformed spec: %v", v)
		}
	}()
	return cronParser.Parse(spec)
}

// StepValidator is implemented by actions that check a step's params, limits and
// payload before anything runs. Paths in the returned errors are relative to the
// step, e.g. "params.formats[1]".
type StepValidator interface {
	ValidateStep(step *Step) []FieldError
}

// Validate checks the task against the built-in action types and returns a
// *ValidationError listing every problem with its field path, or nil.
func (t *Task) Validate() error {
	return t.ValidateWith(func(a ActionType) bool { return slices.Contains(BuiltinActions(), a) })
}

// ValidateWith is Validate with the set of known action types given by known, so
// tasks may use custom actions. Runners call it with their registry.
func (t *Task) ValidateWith(known func(ActionType) bool) error {
	v := validator{known: known}
	v.task(t)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{What: fmt.Sprintf("task %q", t.Name), Problems: v.problems}
}

type validator struct {
	known    func(ActionType) bool
	problems []FieldError
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	if field == "" {
		return prefix
	}
	return prefix + "." + field
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

func (v *validator) task(t *Task) {
	if strings.TrimSpace(t.Name) == "" {
		v.add("name", "is required")
	}
	switch t.ExecutionType {
	case "", ExecutionSingle:
		if t.Schedule != "" {
			v.add("schedule", "is set but execution_type is not %q", ExecutionScheduled)
		}
	case ExecutionScheduled:
		if t.Schedule == "" {
			v.add("schedule", "is required when execution_type is %q", ExecutionScheduled)
		} else if _, err := parseCron(t.Schedule); err != nil {
			v.add("schedule", "invalid cron spec %q: %v", t.Schedule, err)
		}
	default:
		v.add("execution_type", "unknown execution type %q (want %q or %q)", t.ExecutionType, ExecutionSingle, ExecutionScheduled)
	}
	if o := t.ScheduleOptions; o != nil {
		if t.ExecutionType != ExecutionScheduled {
			v.add("schedule_options", "set, but execution_type is not %q", ExecutionScheduled)
		}
		if o.TimeZone != "" {
			if _, err := time.LoadLocation(o.TimeZone); err != nil {
				v.add("schedule_options.time_zone", "unknown time zone %q", o.TimeZone)
			}
		}
		if o.JitterSeconds < 0 {
			v.add("schedule_options.jitter_seconds", "must not be negative, got %d", o.JitterSeconds)
		}
		switch o.Overlap {
		case "", "skip", "queue", "allow":
		default:
			v.add("schedule_options.overlap", "unknown overlap policy %q (want skip, queue or allow)", o.Overlap)
		}
		switch o.CatchUp {
		case "", "skip", "run_once", "run_all":
		default:
			v.add("schedule_options.catch_up", "unknown catch-up policy %q (want skip, run_once or run_all)", o.CatchUp)
		}
		if o.CatchUpMax < 0 || o.CatchUpMax > 10000 {
			v.add("schedule_options.catch_up_max", "must be between 0 and 10000, got %d", o.CatchUpMax)
		}
		if !o.StartAt.IsZero() && !o.EndAt.IsZero() && !o.EndAt.After(o.StartAt) {
			v.add("schedule_options.end_at", "must be after start_at")
		}
	}
	switch t.Status {
	case "", TaskActive, TaskPaused, TaskCompleted, TaskFailed, TaskDeleted:
	default:
		v.add("status", "unknown task status %q", t.Status)
	}
	for i, u := range t.URLs {
		if err := CheckURL(u); err != nil {
			v.add(fmt.Sprintf("urls[%d]", i), "%v", err)
		}
	}
	for i, c := range t.ProxyLocations {
		if !countryCode.MatchString(c) {
			v.add(fmt.Sprintf("proxy_locations[%d]", i), "%q is not a two-letter country code such as \"US\"", c)
		}
	}
	for i, w := range t.Webhooks {
		path := fmt.Sprintf("webhooks[%d]", i)
		if err := CheckURL(w.URL); err != nil {
			v.add(path+".url", "%v", err)
		}
		if w.Secret == "" {
			v.add(path+".secret", "is required: deliveries are signed with it")
		}
		for j, ev := range w.Events {
			if ev != WebhookFinished && ev != WebhookChanges {
				v.add(fmt.Sprintf("%s.events[%d]", path, j), "unknown event %q (want %q or %q)", ev, WebhookFinished, WebhookChanges)
			}
		}
	}
	if t.TemplateID != "" && t.TemplateSlug != "" {
		v.add("template_slug", "set template_id or template_slug, not both")
	}

	if t.ExecutionPlan == nil {
		main := t.Steps()[0]
		v.step("", &main, len(t.URLs) > 0)
		if main.InputSource == InputPreviousStep {
			v.add("input_source", "%q needs an execution_plan", InputPreviousStep)
		}
		return
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"action_type", t.ActionType != ""}, {"input_source", t.InputSource != ""},
		{"params", t.Params != nil}, {"limits", t.Limits != nil}, {"payload", t.Payload != nil},
	} {
		if f.set {
			v.add(f.name, "not allowed with execution_plan: set it on the steps")
		}
	}
	v.plan(t.ExecutionPlan, len(t.URLs) > 0)
}

var stepID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

func (v *validator) plan(p *Plan, haveURLs bool) {
	if len(p.Steps) == 0 {
		v.add("execution_plan.steps", "needs at least one step")
		return
	}
	index := make(map[string]int, len(p.Steps))
	for i, s := range p.Steps {
		path := fmt.Sprintf("execution_plan.steps[%d]", i)
		switch {
		case s.ID == "":
			v.add(path+".id", "is required")
		case !stepID.MatchString(s.ID):
			v.add(path+".id", "%q: use letters, digits, '-' and '_'", s.ID)
		default:
			if j, dup := index[s.ID]; dup {
				v.add(path+".id", "%q is already the id of steps[%d]", s.ID, j)
			} else {
				index[s.ID] = i
			}
		}
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		path := fmt.Sprintf("execution_plan.steps[%d]", i)
		v.step(path, s, haveURLs)
		if s.InputSource != InputPreviousStep && s.InputSource != "" && len(s.From) > 0 {
			v.add(path+".from", "only a %q input reads other steps", InputPreviousStep)
		}
		if i == 0 && s.InputSource == InputPreviousStep && len(s.From) == 0 {
			v.add(path+".input_source", "the first step has no previous step; name the steps it reads in from")
		}
		for k, from := range s.From {
			if _, ok := index[from]; !ok {
				v.add(fmt.Sprintf("%s.from[%d]", path, k), "unknown step %q", from)
			} else if from == s.ID {
				v.add(fmt.Sprintf("%s.from[%d]", path, k), "a step cannot read itself")
			}
		}
	}
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.ActionType != ActionScrape && s.ActionType != ActionCrawl {
			continue
		}
		for k, from := range p.Inputs(i) {
			j, ok := index[from]
			if !ok {
				continue
			}
			if why := emitsNoURLs(&p.Steps[j]); why != "" {
				v.add(fmt.Sprintf("execution_plan.steps[%d].from[%d]", i, k), "step %q emits no URLs for %s to read: %s", from, s.ActionType, why)
			}
		}
	}
	if cycle := findCycle(p, index); cycle != nil {
		v.add("execution_plan.steps", "steps form a cycle: %s", strings.Join(cycle, " → "))
	}
}

// emitsNoURLs says why a step's records cannot feed a step that reads URLs, or ""
// when they can (or may). Searches and crawls in map mode emit a "url" field; a
// step with an output schema does when the schema has a top-level "url" property.
func emitsNoURLs(s *Step) string {
	if s.ActionType == ActionSearch || s.ActionType == ActionCrawl && s.Params["mode"] == "map" {
		return ""
	}
	if len(s.OutputSchema) == 0 {
		if s.ActionType == ActionScrape || s.ActionType == ActionCrawl {
			return "its records hold page formats, not URLs"
		}
		return "" // unknown: custom actions and APIs may emit a url field
	}
	var top struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(s.OutputSchema, &top) != nil {
		return "" // reported with the schema
	}
	if _, ok := top.Properties["url"]; !ok {
		return `its output_schema has no top-level "url" property`
	}
	return ""
}

// Inputs returns the IDs of the steps that step i of p reads.
func (p *Plan) Inputs(i int) []string {
	s := p.Steps[i]
	src := s.InputSource
	if src == "" && i > 0 {
		src = InputPreviousStep
	}
	switch {
	case src != InputPreviousStep:
		return nil
	case len(s.From) > 0:
		return s.From
	case i > 0:
		return []string{p.Steps[i-1].ID}
	}
	return nil
}

// findCycle returns the step IDs of one dependency cycle, or nil.
func findCycle(p *Plan, index map[string]int) []string {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(p.Steps))
	var path []string
	var visit func(i int) []string
	visit = func(i int) []string {
		state[i] = onPath
		path = append(path, p.Steps[i].ID)
		for _, dep := range p.Inputs(i) {
			j, ok := index[dep]
			if !ok || j == i {
				continue // reported elsewhere
			}
			switch state[j] {
			case onPath:
				start := slices.Index(path, dep)
				return append(slices.Clone(path[start:]), dep)
			case unseen:
				if c := visit(j); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[i] = done
		return nil
	}
	for i := range p.Steps {
		if state[i] == unseen {
			if c := visit(i); c != nil {
				return c
			}
		}
	}
	return nil
}

func (v *validator) step(path string, s *Step, haveURLs bool) {
	switch {
	case s.ActionType == "":
		v.add(join(path, "action_type"), "is required")
	case !v.known(s.ActionType):
		v.add(join(path, "action_type"), "unknown action type %q", s.ActionType)
	}
	switch s.InputSource {
	case "", InputPreviousStep, InputURLInventory:
	case InputStaticURLs:
		if !haveURLs && (s.ActionType == ActionScrape || s.ActionType == ActionCrawl) {
			v.add("urls", "%s with input_source %q needs at least one URL", s.ActionType, InputStaticURLs)
		}
	default:
		v.add(join(path, "input_source"), "unknown input source %q (want %q, %q or %q)",
			s.InputSource, InputStaticURLs, InputPreviousStep, InputURLInventory)
	}
	if s.Limits != nil {
		v.limits(join(path, "limits"), s.Limits)
	}
	if _, err := json.Marshal(s.Params); err != nil {
		v.add(join(path, "params"), "not representable as JSON: %v", err)
	}
	if _, err := json.Marshal(s.Payload); err != nil {
		v.add(join(path, "payload"), "not representable as JSON: %v", err)
	}
	if len(s.OutputSchema) > 0 {
		if _, err := schema.Compile(s.OutputSchema); err != nil {
			var ce *schema.CompileError
			if !errors.As(err, &ce) {
				v.add(join(path, "output_schema"), "%v", err)
			}
			for _, p := range ce.Problems {
				v.add(join(join(path, "output_schema"), p.Field), "%s", p.Problem)
			}
		}
	}
}

func (v *validator) limits(path string, l *Limits) {
	for _, f := range []struct {
		name string
		n    int
	}{
		{"max_pages", l.MaxPages}, {"max_depth", l.MaxDepth}, {"max_results", l.MaxResults},
		{"max_items", l.MaxItems}, {"timeout_seconds", l.TimeoutSeconds}, {"max_retries", l.MaxRetries},
		{"concurrency", l.Concurrency}, {"max_duration_seconds", l.MaxDurationSeconds},
	} {
		if f.n < 0 {
			v.add(path+"."+f.name, "must not be negative, got %d", f.n)
		}
	}
}

// CheckURL reports whether raw is an absolute http or https URL with a host.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("invalid URL %q: %v", raw, errors.Unwrap(err))
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("invalid URL %q: scheme must be http or https", raw)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("invalid URL %q: no host", raw)
	}
	return nil
}

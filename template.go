package titan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Template is a named, versioned task pattern: a task skeleton whose strings may
// hold {{param}} placeholders, and the typed parameters that fill them. A task
// created from a template is the user's own object; it remembers the template in
// TemplateID and TemplateSlug.
type Template struct {
	ID          string          `json:"id"`
	Slug        string          `json:"slug"`
	Version     int             `json:"version"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  []TemplateParam `json:"parameters,omitempty"`
	// Task is the skeleton: a task in its JSON form. A string that is exactly
	// "{{name}}" becomes the parameter's value with its type (a list stays a list,
	// a number a number); "{{name}}" inside a longer string is replaced by the
	// value's text.
	Task json.RawMessage `json:"task"`
}

// ParamType is the type of a template parameter.
type ParamType string

// The parameter types.
const (
	ParamString  ParamType = "string"
	ParamInteger ParamType = "integer"
	ParamNumber  ParamType = "number"
	ParamBoolean ParamType = "boolean"
	ParamURL     ParamType = "url"
	ParamURLList ParamType = "url_list"
	ParamList    ParamType = "string_list"
	ParamObject  ParamType = "object" // a JSON object, e.g. an output schema
)

// TemplateParam is one typed parameter of a template.
type TemplateParam struct {
	Name        string    `json:"name"`
	Type        ParamType `json:"type"`
	Description string    `json:"description,omitempty"`
	// Default is used when the parameter is not given; a parameter without a
	// default is required.
	Default any `json:"default,omitempty"`
}

var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// Instantiate returns a new task from the template: params are checked against
// their types, defaults fill the missing ones, and the placeholders are replaced.
// Every problem is reported at once in a *ValidationError with paths such as
// "params.max_pages". The task is not validated; Engine.CreateTask does that.
func (tp *Template) Instantiate(params map[string]any) (*Task, error) {
	var problems []FieldError
	values := make(map[string]any, len(tp.Parameters))
	for _, p := range tp.Parameters {
		v, ok := params[p.Name]
		if !ok {
			if p.Default == nil {
				problems = append(problems, FieldError{Field: "params." + p.Name, Problem: "is required"})
				continue
			}
			v = p.Default
		}
		cv, err := coerceParam(p.Type, v)
		if err != nil {
			problems = append(problems, FieldError{Field: "params." + p.Name, Problem: err.Error()})
			continue
		}
		values[p.Name] = cv
	}
	for _, name := range sortedKeys(params) {
		if !slices.ContainsFunc(tp.Parameters, func(p TemplateParam) bool { return p.Name == name }) {
			problems = append(problems, FieldError{Field: "params." + name, Problem: fmt.Sprintf("template %s has no such parameter", tp.Slug)})
		}
	}
	if len(problems) > 0 {
		return nil, &ValidationError{What: "params of template " + tp.Slug, Problems: problems}
	}
	var skeleton any
	if err := json.Unmarshal(tp.Task, &skeleton); err != nil {
		return nil, fmt.Errorf("titan: template %s: %w", tp.Slug, err)
	}
	filled, missing := fill(skeleton, values)
	if len(missing) > 0 {
		return nil, fmt.Errorf("titan: template %s uses undeclared parameters: %s", tp.Slug, strings.Join(missing, ", "))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(filled); err != nil {
		return nil, fmt.Errorf("titan: template %s: %w", tp.Slug, err)
	}
	t, err := ParseTask(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("titan: template %s: %w", tp.Slug, err)
	}
	t.ID, t.Version, t.Status = "", 0, ""
	t.TemplateID, t.TemplateSlug = tp.ID, ""
	return t, nil
}

// fill replaces placeholders in v, returning the names it could not fill.
func fill(v any, values map[string]any) (any, []string) {
	var missing []string
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case string:
			if m := placeholder.FindStringSubmatch(v); m != nil && m[0] == v {
				if val, ok := values[m[1]]; ok {
					return val
				}
				missing = append(missing, m[1])
				return v
			}
			return placeholder.ReplaceAllStringFunc(v, func(s string) string {
				name := placeholder.FindStringSubmatch(s)[1]
				val, ok := values[name]
				if !ok {
					missing = append(missing, name)
					return s
				}
				if str, ok := val.(string); ok {
					return str
				}
				b, _ := json.Marshal(val)
				return string(b)
			})
		case []any:
			for i := range v {
				v[i] = walk(v[i])
			}
		case map[string]any:
			for k := range v {
				v[k] = walk(v[k])
			}
		}
		return v
	}
	out := walk(v)
	slices.Sort(missing)
	return out, slices.Compact(missing)
}

// Coerce checks v against the parameter's type and returns it in its JSON form
// (numbers as float64, lists as []any).
func (p TemplateParam) Coerce(v any) (any, error) { return coerceParam(p.Type, v) }

// coerceParam checks v against t and returns it in its JSON form.
func coerceParam(t ParamType, v any) (any, error) {
	switch t {
	case ParamString:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case ParamInteger:
		switch n := v.(type) {
		case int:
			return float64(n), nil
		case int64:
			return float64(n), nil
		case float64:
			if n == float64(int64(n)) {
				return n, nil
			}
		}
	case ParamNumber:
		switch n := v.(type) {
		case int:
			return float64(n), nil
		case int64:
			return float64(n), nil
		case float64:
			return n, nil
		}
	case ParamBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case ParamURL:
		if s, ok := v.(string); ok {
			if err := CheckURL(s); err != nil {
				return nil, err
			}
			return s, nil
		}
	case ParamURLList, ParamList:
		list, ok := stringList(v)
		if !ok {
			break
		}
		out := make([]any, len(list))
		for i, s := range list {
			if t == ParamURLList {
				if err := CheckURL(s); err != nil {
					return nil, fmt.Errorf("[%d]: %v", i, err)
				}
			}
			out[i] = s
		}
		return out, nil
	case ParamObject:
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
		if raw, ok := v.(json.RawMessage); ok {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err == nil {
				return m, nil
			}
		}
	default:
		return nil, fmt.Errorf("unknown parameter type %q", t)
	}
	return nil, fmt.Errorf("want type %s, got %T", t, v)
}

func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case []string:
		return v, true
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

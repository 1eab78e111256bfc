package actions

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/titanscrape/titan"
)

// unknownParams reports, with their field paths, the keys of raw that the struct
// v has no JSON field for, looking into nested objects of struct fields, e.g.
// "params.pagination.cursor_pth".
func unknownParams(prefix string, raw map[string]any, v any) []titan.FieldError {
	return unknownKeys(prefix, raw, reflect.TypeOf(v))
}

func unknownKeys(prefix string, raw map[string]any, t reflect.Type) []titan.FieldError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fields[name] = f.Type
		names = append(names, name)
	}
	var problems []titan.FieldError
	for _, k := range sortedKeys(raw) {
		ft, ok := fields[k]
		if !ok {
			problems = append(problems, titan.FieldError{
				Field:   prefix + "." + k,
				Problem: "unknown param (known: " + strings.Join(names, ", ") + ")",
			})
			continue
		}
		if sub, ok := raw[k].(map[string]any); ok {
			problems = append(problems, unknownKeys(prefix+"."+k, sub, ft)...)
		}
	}
	return problems
}

// paramsError describes an error of decodeParams with the field it is about.
func paramsError(err error) titan.FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return titan.FieldError{Field: "params." + te.Field, Problem: fmt.Sprintf("want a %s, got a JSON %s", jsonKind(te.Type), te.Value)}
	}
	return titan.FieldError{Field: "params", Problem: err.Error()}
}

// jsonKind names the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// checkPagination checks params.pagination.
func checkPagination(pg *APIPagination) []titan.FieldError {
	var problems []titan.FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, titan.FieldError{Field: "params.pagination." + field, Problem: fmt.Sprintf(format, args...)})
	}
	only := func(field string, set bool, types ...string) {
		if set && !slices.Contains(types, pg.Type) {
			add(field, "only used with pagination type %s", strings.Join(types, " or "))
		}
	}
	switch pg.Type {
	case PageNumber, PageOffset, PageLink, PageNext:
	case PageCursor:
		if pg.CursorPath == "" {
			add("cursor_path", "is required for cursor pagination: the gjson path of the next cursor, e.g. meta.next_cursor")
		}
	case "":
		add("type", "is required (page, offset, cursor, link_header or next_url)")
	default:
		add("type", "unknown pagination type %q (want page, offset, cursor, link_header or next_url)", pg.Type)
	}
	if pg.Type == PageNext && pg.NextURLPath == "" {
		add("next_url_path", "is required for next_url pagination: the gjson path of the next page's URL, e.g. links.next")
	}
	only("param", pg.Param != "", PageNumber, PageOffset)
	only("start", pg.Start != nil, PageNumber, PageOffset)
	only("size_param", pg.SizeParam != "", PageNumber, PageOffset, PageCursor)
	only("size", pg.Size != 0, PageNumber, PageOffset, PageCursor)
	only("cursor_path", pg.CursorPath != "", PageCursor)
	only("cursor_param", pg.CursorParam != "", PageCursor)
	only("next_url_path", pg.NextURLPath != "", PageNext)
	if pg.Start != nil && *pg.Start < 0 {
		add("start", "must not be negative, got %d", *pg.Start)
	}
	switch {
	case pg.Size < 0:
		add("size", "must not be negative, got %d", pg.Size)
	case (pg.Size > 0) != (pg.SizeParam != ""):
		add("size_param", "size_param and size go together")
	}
	if pg.StopWhenEmpty != nil && !*pg.StopWhenEmpty && (pg.Type == PageNumber || pg.Type == PageOffset) {
		add("stop_when_empty", "cannot be false with %s pagination: an empty page is its only end", pg.Type)
	}
	for _, f := range []struct{ name, path string }{{"cursor_path", pg.CursorPath}, {"next_url_path", pg.NextURLPath}} {
		if strings.HasPrefix(f.path, "/") || strings.HasPrefix(f.path, "$") {
			add(f.name, "%q: write a gjson path such as meta.next, not a JSON Pointer or JSONPath", f.path)
		}
	}
	return problems
}

package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
)

// For derives the output schema of T, a struct (or pointer to one), with
// github.com/invopop/jsonschema:
//
//   - everything is inlined: no $defs, $ref, $id or $schema;
//   - properties keep the struct's field order, named by their json tags;
//   - a field without omitempty/omitzero is required;
//   - additionalProperties is false, as invopop generates it;
//   - jsonschema tags work as in invopop, e.g. `jsonschema:"format=media,minimum=0"`;
//   - the tags `selector:"..."` and `transform:"..."` become x-selector and
//     x-transform, with the very same syntax.
//
// The result is checked with Compile, so a bad selector is reported here, as
// a *CompileError wrapped with the name of T. Recursive types are rejected:
// an inlined schema for them would be infinite.
func For[T any]() (json.RawMessage, error) {
	t := reflect.TypeFor[T]()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("schema: For[%s]: want a struct type", t)
	}
	if path := recursion(t, nil); path != "" {
		return nil, fmt.Errorf("schema: For[%s]: recursive type %s cannot be inlined", t, path)
	}
	b, err := reflectStruct(t)
	if err != nil {
		return nil, fmt.Errorf("schema: For[%s]: %w", t, err)
	}
	if _, err := Compile(b); err != nil {
		return nil, fmt.Errorf("schema: For[%s]: %w", t, err)
	}
	return b, nil
}

// reflectStruct runs the invopop reflector on t, turning a panic into an
// error.
func reflectStruct(t reflect.Type) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("reflect: %v", r)
		}
	}()
	r := &jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, Anonymous: true}
	s := r.ReflectFromType(t)
	s.Version = ""
	copyTags(t, s)
	if b, err = json.Marshal(s); err != nil {
		return nil, err
	}
	return unescapeHTML(b), nil
}

// MustFor is like For but panics on error. Use it for package-level
// variables and tests.
func MustFor[T any]() json.RawMessage {
	raw, err := For[T]()
	if err != nil {
		panic(err)
	}
	return raw
}

// Decode converts a record (Item.Data, or any map decoded from JSON) into T
// with a JSON round trip, so T's json tags apply.
func Decode[T any](data map[string]any) (T, error) {
	var v T
	b, err := json.Marshal(data)
	if err != nil {
		return v, fmt.Errorf("schema: decode into %s: %w", reflect.TypeFor[T](), err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("schema: decode into %s: %w", reflect.TypeFor[T](), err)
	}
	return v, nil
}

var (
	timeType = reflect.TypeFor[time.Time]()
	urlType  = reflect.TypeFor[url.URL]()
)

// recursion returns a description of the first type cycle reachable from
// t, or "".
func recursion(t reflect.Type, stack []reflect.Type) string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || t == urlType {
		return ""
	}
	for i, s := range stack {
		if s == t {
			names := make([]string, 0, len(stack)-i+1)
			for _, x := range stack[i:] {
				names = append(names, x.String())
			}
			return strings.Join(append(names, t.String()), " -> ")
		}
	}
	stack = append(stack, t)
	for i := 0; i < t.NumField(); i++ {
		if p := recursion(t.Field(i).Type, stack); p != "" {
			return p
		}
	}
	return ""
}

// copyTags walks t alongside its reflected schema and copies the selector
// and transform tags into x-selector and x-transform. It follows the field
// naming rules of invopop (json tag name, "-" skips, embedded structs
// without a name are flattened).
func copyTags(t reflect.Type, s *jsonschema.Schema) {
	if s == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() != reflect.Uint8 {
			copyTags(t.Elem(), s.Items)
		}
		return
	case reflect.Struct:
		if t == timeType || t == urlType || s.Properties == nil {
			return
		}
	default:
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		jsonTag := strings.Split(f.Tag.Get("json"), ",")
		if jsonTag[0] == "-" || strings.Split(f.Tag.Get("jsonschema"), ",")[0] == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && jsonTag[0] == "" && ft.Kind() == reflect.Struct || hasOption(jsonTag, "inline") {
			copyTags(ft, s) // embedded: its fields belong to s
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if jsonTag[0] != "" {
			name = jsonTag[0]
		}
		prop, ok := s.Properties.Get(name)
		if !ok || prop == nil {
			continue
		}
		inner := prop
		if prop.Type == "" && len(prop.OneOf) == 2 { // jsonschema:"nullable"
			inner = prop.OneOf[0]
		}
		if v, ok := f.Tag.Lookup("selector"); ok {
			setExtra(prop, "x-selector", v)
		}
		if v, ok := f.Tag.Lookup("transform"); ok {
			setExtra(prop, "x-transform", v)
		}
		copyTags(f.Type, inner)
	}
}

func setExtra(s *jsonschema.Schema, key, val string) {
	if s.Extras == nil {
		s.Extras = map[string]any{}
	}
	s.Extras[key] = val
}

func hasOption(tag []string, opt string) bool {
	for _, o := range tag[1:] {
		if o == opt {
			return true
		}
	}
	return false
}

// unescapeHTML undoes encoding/json's escaping of <, > and & so selectors
// such as "ul > li" stay readable in the stored schema.
func unescapeHTML(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u00`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) {
			switch string(b[i+2 : i+6]) {
			case "003c":
				out = append(out, '<')
				i += 5
				continue
			case "003e":
				out = append(out, '>')
				i += 5
				continue
			case "0026":
				out = append(out, '&')
				i += 5
				continue
			}
		}
		out = append(out, b[i], b[i+1]) // keep any other escape pair whole
		i++
	}
	return out
}

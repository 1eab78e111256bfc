package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strconv"
	"strings"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v6"
	jskind "github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// resourceURL names the schema inside the validator. It never leaves the
// process: the loader refuses every other URL, so a schema cannot make the
// validator read files or the network.
const resourceURL = "mem:///output_schema.json"

var printer = message.NewPrinter(language.English)

// noLoader refuses to load any schema resource that is not the schema itself.
type noLoader struct{}

func (noLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("cannot load %q: only references within the schema are supported", u)
}

// compileValidator compiles doc (a plain JSON value) with draft 2020-12 as
// the default, formats asserted, and "media" registered as a URI-like format
// that accepts any string.
func compileValidator(doc any) (sch *jsonschema.Schema, problems []FieldError) {
	defer func() {
		if r := recover(); r != nil {
			sch, problems = nil, []FieldError{{Problem: fmt.Sprintf("validator failed: %v", r)}}
		}
	}()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "media", Validate: func(any) error { return nil }})
	c.UseLoader(noLoader{})
	if err := c.AddResource(resourceURL, doc); err != nil {
		return nil, []FieldError{{Problem: cleanMessage(err.Error())}}
	}
	sch, err := c.Compile(resourceURL)
	if err != nil {
		return nil, compileProblems(err, doc)
	}
	return sch, nil
}

// compileProblems turns a validator compile error into located problems.
func compileProblems(err error, doc any) []FieldError {
	var (
		sve *jsonschema.SchemaValidationError
		ire *jsonschema.InvalidRegexError
		pnf *jsonschema.JSONPointerNotFoundError
		lue *jsonschema.LoadURLError
	)
	switch {
	case errors.As(err, &sve):
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			var out []FieldError
			flatten(ve, doc, &out)
			if len(out) > 0 {
				return out
			}
		}
	case errors.As(err, &ire):
		return []FieldError{{
			Field:   fragmentPath(ire.URL, doc),
			Problem: fmt.Sprintf("invalid regular expression %q: %v", ire.Regex, ire.Err),
		}}
	case errors.As(err, &pnf):
		_, frag, _ := strings.Cut(pnf.URL, "#")
		field, _ := findRef(doc, pnf.URL)
		return []FieldError{{Field: field, Problem: fmt.Sprintf("$ref target %q does not exist", "#"+frag)}}
	case errors.As(err, &lue):
		if m, ok := doc.(map[string]any); ok && m["$schema"] == lue.URL {
			return []FieldError{{Field: "$schema", Problem: fmt.Sprintf("unsupported meta-schema %q", lue.URL)}}
		}
		field, ref := findRef(doc, lue.URL)
		if ref == "" {
			ref = lue.URL
		}
		return []FieldError{{Field: field, Problem: fmt.Sprintf("cannot load %q: only references within the schema are supported", ref)}}
	}
	return []FieldError{{Problem: cleanMessage(err.Error())}}
}

// findRef returns the location and value of the first "$ref" in doc that
// resolves to target, or "" when there is none (e.g. a base changed by $id).
func findRef(doc any, target string) (field, ref string) {
	base, _ := url.Parse(resourceURL)
	var walk func(v any, toks []string) string
	walk = func(v any, toks []string) string {
		switch t := v.(type) {
		case map[string]any:
			if r, ok := t["$ref"].(string); ok {
				if u, err := url.Parse(r); err == nil && base.ResolveReference(u).String() == target {
					ref = r
					return renderPath(append(toks, "$ref"), doc)
				}
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if p := walk(t[k], append(toks[:len(toks):len(toks)], k)); p != "" {
					return p
				}
			}
		case []any:
			for i, e := range t {
				if p := walk(e, append(toks[:len(toks):len(toks)], strconv.Itoa(i))); p != "" {
					return p
				}
			}
		}
		return ""
	}
	return walk(doc, nil), ref
}

// cleanMessage removes the internal resource URL from a library message.
func cleanMessage(msg string) string {
	msg = strings.ReplaceAll(msg, resourceURL+"#", "#")
	return strings.ReplaceAll(msg, resourceURL, "schema")
}

// fragmentPath turns "mem:///output_schema.json#/properties/a/pattern" into
// "properties.a.pattern".
func fragmentPath(u string, doc any) string {
	_, frag, ok := strings.Cut(u, "#")
	if !ok || frag == "" {
		return ""
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return renderPath(toks, doc)
}

// Validate checks a record that did not come from Extract (an API response,
// a custom action) against the schema. data is usually a map[string]any;
// values that are not plain JSON (structs, typed maps and slices) are first
// converted with a JSON round trip. It returns nil when data is valid.
func (s *Schema) Validate(data any) []FieldError {
	if !isPlainJSON(data, 0) {
		b, err := json.Marshal(data)
		if err != nil {
			return []FieldError{{Problem: fmt.Sprintf("cannot encode %T as JSON: %v", data, err)}}
		}
		var plainData any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&plainData); err != nil {
			return []FieldError{{Problem: fmt.Sprintf("cannot decode %T from JSON: %v", data, err)}}
		}
		data = plainData
	}
	return s.validate(data)
}

// validate runs the compiled validator on a plain JSON value.
func (s *Schema) validate(data any) (out []FieldError) {
	if s.validator == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			out = []FieldError{{Problem: fmt.Sprintf("validator failed: %v", r)}}
		}
	}()
	err := s.validator.Validate(data)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []FieldError{{Problem: err.Error()}}
	}
	flatten(ve, data, &out)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Problem < out[j].Problem
	})
	return out
}

// isPlainJSON reports whether v holds only the types the validator accepts.
func isPlainJSON(v any, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch t := v.(type) {
	case nil, bool, string, float64, int64, int, json.Number:
		return true
	case []any:
		for _, e := range t {
			if !isPlainJSON(e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range t {
			if !isPlainJSON(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// flatten turns a validation error tree into one FieldError per failed
// leaf. For anyOf/oneOf it follows the one branch that failed for a reason
// other than its type (the branch the value was meant for); when there is no
// such single branch it reports the anyOf/oneOf failure itself.
func flatten(e *jsonschema.ValidationError, inst any, out *[]FieldError) {
	if len(e.Causes) > 0 {
		switch e.ErrorKind.(type) {
		case *jskind.AnyOf, *jskind.OneOf:
			var meant *jsonschema.ValidationError
			n := 0
			for _, c := range e.Causes {
				if !typeMismatch(c) {
					meant = c
					n++
				}
			}
			switch n {
			case 1:
				flatten(meant, inst, out)
				return
			case 0: // every branch failed on type: say which types were wanted
				*out = append(*out, FieldError{
					Field:   renderPath(e.InstanceLocation, inst),
					Problem: "must be " + strings.Join(wantedTypes(e.Causes), " or "),
				})
				return
			}
			// Several plausible branches: report the anyOf/oneOf failure.
		default:
			for _, c := range e.Causes {
				flatten(c, inst, out)
			}
			return
		}
	}
	field := renderPath(e.InstanceLocation, inst)
	switch k := e.ErrorKind.(type) {
	case *jskind.Required:
		for _, m := range k.Missing {
			*out = append(*out, FieldError{Field: renderPath(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], m), inst), Problem: "is required"})
		}
		return
	case *jskind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, FieldError{Field: renderPath(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], p), inst), Problem: "is not allowed by the schema"})
		}
		return
	}
	*out = append(*out, FieldError{Field: field, Problem: problemText(e.ErrorKind)})
}

// typeMismatch reports whether a branch failed only because of its type.
func typeMismatch(e *jsonschema.ValidationError) bool {
	if _, ok := e.ErrorKind.(*jskind.Type); ok {
		return true
	}
	if len(e.Causes) == 1 {
		return typeMismatch(e.Causes[0])
	}
	return false
}

func wantedTypes(causes []*jsonschema.ValidationError) []string {
	var want []string
	for _, c := range causes {
		for len(c.Causes) == 1 {
			c = c.Causes[0]
		}
		if k, ok := c.ErrorKind.(*jskind.Type); ok {
			want = append(want, k.Want...)
		}
	}
	return want
}

// problemText words the common failures plainly and falls back to the
// validator's own message.
func problemText(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *jskind.Type:
		return fmt.Sprintf("must be %s, got %s", strings.Join(k.Want, " or "), k.Got)
	case *jskind.Minimum:
		return fmt.Sprintf("must be at least %s, got %s", ratString(k.Want), ratString(k.Got))
	case *jskind.Maximum:
		return fmt.Sprintf("must be at most %s, got %s", ratString(k.Want), ratString(k.Got))
	case *jskind.ExclusiveMinimum:
		return fmt.Sprintf("must be greater than %s, got %s", ratString(k.Want), ratString(k.Got))
	case *jskind.ExclusiveMaximum:
		return fmt.Sprintf("must be less than %s, got %s", ratString(k.Want), ratString(k.Got))
	case *jskind.MinLength:
		return fmt.Sprintf("must be at least %d characters long, got %d", k.Want, k.Got)
	case *jskind.MaxLength:
		return fmt.Sprintf("must be at most %d characters long, got %d", k.Want, k.Got)
	case *jskind.Pattern:
		return fmt.Sprintf("must match the pattern %s, got %q", k.Want, k.Got)
	case *jskind.MinItems:
		return fmt.Sprintf("must have at least %d items, got %d", k.Want, k.Got)
	case *jskind.MaxItems:
		return fmt.Sprintf("must have at most %d items, got %d", k.Want, k.Got)
	}
	return k.LocalizedString(printer)
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return fmt.Sprint(f)
}

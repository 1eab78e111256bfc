package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FieldError is one problem with one field of a record or a schema. Field is a
// path such as "price", "variants[2].price" or, for a schema,
// "properties.price.x-selector"; it is empty for a problem with the whole value.
type FieldError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// Error returns "field: problem", or just the problem when Field is empty.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// CompileError lists every problem [Compile] found in a schema. Each problem
// carries its location relative to the schema root as a dotted path, e.g.
// "properties.price.x-selector" or
// "properties.variants.items.properties.sku.x-transform". Problems are sorted
// by location, so the list is stable for a given schema.
type CompileError struct {
	Problems []FieldError
}

// Error lists every problem on one line.
func (e *CompileError) Error() string {
	var b strings.Builder
	b.WriteString("schema: invalid schema")
	if len(e.Problems) == 1 {
		b.WriteString(": ")
	} else {
		fmt.Fprintf(&b, " (%d problems): ", len(e.Problems))
	}
	for i := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Problems[i].Error())
	}
	return b.String()
}

// sortProblems orders problems by field, then problem, and removes duplicates.
func sortProblems(ps []FieldError) []FieldError {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Field != ps[j].Field {
			return ps[i].Field < ps[j].Field
		}
		return ps[i].Problem < ps[j].Problem
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// renderPath turns JSON-pointer tokens into the dotted/bracket form used by
// FieldError, e.g. ["variants", "2", "price"] becomes "variants[2].price".
// The instance is walked alongside the tokens, so a token is rendered as an
// index only where the value at that point really is an array.
func renderPath(tokens []string, instance any) string {
	var b strings.Builder
	cur := instance
	for _, tok := range tokens {
		switch v := cur.(type) {
		case []any:
			b.WriteByte('[')
			b.WriteString(tok)
			b.WriteByte(']')
			cur = nil
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v) {
				cur = v[i]
			}
			continue
		case map[string]any:
			cur = v[tok]
		default:
			cur = nil
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

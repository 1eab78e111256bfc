package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a compiled output schema: a validator for records and, when the
// schema carries x-selector keywords, an extractor for HTML pages. It is
// immutable and safe for concurrent use.
type Schema struct {
	raw       json.RawMessage
	columns   []string
	root      *node // nil when nothing is extracted
	validator *jsonschema.Schema
}

// kind is the JSON type a node's value is coerced to.
type kind uint8

const (
	kindString kind = iota
	kindNumber
	kindInteger
	kindBoolean
	kindObject
	kindArray
)

// format is the string format that changes coercion.
type format uint8

const (
	formatNone     format = iota
	formatDate            // "2006-01-02"
	formatDateTime        // RFC 3339
	formatURI             // uri, uri-reference, iri, iri-reference, media: resolved against the page
)

// node is one compiled property (or the root, or array items) of the
// extraction tree. Properties that extract nothing are left out of props.
type node struct {
	name       string
	kind       kind
	format     format
	sel        *selector
	transforms []transform
	props      []*node // kindObject: extracted properties in declared order
	item       *node   // kindArray: the items
	keys       []string
	extracts   bool
}

// composite reports whether n holds other values rather than one scalar.
func (n *node) composite() bool { return n.kind == kindObject || n.kind == kindArray }

// Compile checks a JSON Schema (draft 2020-12 unless "$schema" says
// otherwise) and compiles its extraction keywords. Every problem is reported
// at once in a *CompileError: invalid JSON, a schema the meta-schema rejects,
// a selector, transform or regular expression that does not compile.
func Compile(raw json.RawMessage) (*Schema, error) {
	doc, err := parseOrdered(raw)
	if err != nil {
		return nil, &CompileError{Problems: []FieldError{{Problem: "invalid JSON: " + err.Error()}}}
	}
	switch doc.(type) {
	case *object, bool:
	default:
		return nil, &CompileError{Problems: []FieldError{{Problem: "a schema must be a JSON object or a boolean"}}}
	}

	validator, problems := compileValidator(plain(doc))

	c := &compiler{doc: doc}
	root := c.node(doc, "")
	problems = append(problems, c.problems...)
	if c.extracts {
		problems = append(problems, c.cycles...)
	}
	if root != nil && root.extracts {
		if root.kind != kindObject {
			problems = append(problems, FieldError{Problem: "extraction needs an object schema at the root"})
		}
	} else {
		root = nil
	}
	if len(problems) > 0 {
		return nil, &CompileError{Problems: sortProblems(problems)}
	}
	s := &Schema{raw: slices.Clone(raw), root: root, validator: validator}
	if root != nil {
		s.columns = root.keys
	} else if n := c.shapeOnly(doc); n != nil {
		s.columns = n.keys
	}
	return s, nil
}

// Raw returns a copy of the schema as it was given to Compile.
func (s *Schema) Raw() json.RawMessage { return slices.Clone(s.raw) }

// Extracts reports whether the schema has at least one x-selector, i.e.
// whether Extract can produce records.
func (s *Schema) Extracts() bool { return s.root != nil }

// Columns returns the names of the top-level properties in the order the
// schema declares them.
func (s *Schema) Columns() []string { return slices.Clone(s.columns) }

// compiler walks the ordered schema document and builds the extraction tree.
type compiler struct {
	doc      any
	problems []FieldError
	cycles   []FieldError // reported only if the schema extracts
	path     []string     // locations of the schema objects being walked
	nodes    int          // nodes built so far, bounded by maxNodes
	extracts bool
}

// maxNodes bounds the extraction tree. $ref lets a small schema describe a
// huge tree (every definition used twice by the next one doubles it); a
// schema that large is refused rather than compiled for minutes.
const maxNodes = 10000

func (c *compiler) problem(loc, key, msg string) {
	c.problems = append(c.problems, FieldError{Field: joinKey(loc, key), Problem: msg})
}

// layer is one schema object contributing to a node, with its location. A
// node is made of the object itself, the targets of its local $ref chain, and
// for a type-less union the first non-null anyOf/oneOf branch.
type layer struct {
	obj *object
	loc string
}

// layers expands v and pushes the layer locations on c.path; the caller pops
// them with the returned count.
func (c *compiler) layers(v any, loc string) ([]layer, int) {
	var ls []layer
	pushed := 0
	for len(ls) < maxDepth {
		o, ok := v.(*object)
		if !ok {
			break
		}
		ls = append(ls, layer{o, loc})
		c.path = append(c.path, loc)
		pushed++
		if ref, ok := o.vals["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
			frag, err := url.PathUnescape(ref[1:])
			if err != nil {
				break
			}
			target, tloc, ok := resolvePointer(c.doc, frag)
			if !ok {
				break // the validator reports the missing target
			}
			if slices.Contains(c.path, tloc) {
				c.cycles = append(c.cycles, FieldError{Field: joinKey(loc, "$ref"), Problem: "a recursive $ref cannot be extracted"})
				break
			}
			v, loc = target, tloc
			continue
		}
		if b, bloc, ok := unionBranch(ls, o, loc); ok {
			v, loc = b, bloc
			continue
		}
		break
	}
	return ls, pushed
}

// unionBranch returns the first anyOf/oneOf branch that is not just
// {"type": "null"}, when the layers so far say nothing about the shape.
func unionBranch(ls []layer, o *object, loc string) (any, string, bool) {
	for _, l := range ls {
		for _, k := range []string{"type", "properties", "items"} {
			if _, ok := l.obj.vals[k]; ok {
				return nil, "", false
			}
		}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		branches, _ := o.vals[key].([]any)
		for i, b := range branches {
			bo, ok := b.(*object)
			if !ok {
				continue
			}
			if t, _ := bo.vals["type"].(string); t == "null" {
				continue
			}
			return b, fmt.Sprintf("%s[%d]", joinKey(loc, key), i), true
		}
	}
	return nil, "", false
}

// get returns the first value of key among the layers, and where it is.
func get(ls []layer, key string) (any, string, bool) {
	for _, l := range ls {
		if v, ok := l.obj.vals[key]; ok {
			return v, l.loc, true
		}
	}
	return nil, "", false
}

// errValueScope is the problem of an object (or the items of an array of
// objects) whose selector yields a value where an element is needed.
const errValueScope = "must select elements to read the fields from, not a value (an @attribute or an XPath string, number or boolean)"

// node compiles the schema v found at loc. It returns nil when v is not a
// schema object (a boolean schema, or garbage the validator reports).
func (c *compiler) node(v any, loc string) *node {
	if c.nodes++; c.nodes == maxNodes+1 || len(c.path) > maxDepth {
		c.problems = append(c.problems, FieldError{Field: loc, Problem: fmt.Sprintf(
			"schema too large to extract: more than %d fields or %d levels after expanding $ref", maxNodes, maxDepth)})
		return nil
	} else if c.nodes > maxNodes {
		return nil
	}
	ls, pushed := c.layers(v, loc)
	defer func() { c.path = c.path[:len(c.path)-pushed] }()
	if len(ls) == 0 {
		return nil
	}
	n := &node{kind: shapeKind(ls), format: shapeFormat(ls)}

	selLoc := ""
	if sv, sloc, ok := get(ls, "x-selector"); ok {
		c.extracts = true
		selLoc = sloc
		if src, ok := sv.(string); !ok {
			c.problem(sloc, "x-selector", "must be a string")
		} else if sel, err := compileSelector(src); err != nil {
			c.problem(sloc, "x-selector", err.Error())
		} else {
			n.sel = sel
		}
	}
	trLoc := ""
	if tv, tloc, ok := get(ls, "x-transform"); ok {
		trLoc = tloc
		if src, ok := tv.(string); !ok {
			c.problem(tloc, "x-transform", "must be a string")
		} else {
			ts, errs := compileTransforms(src)
			for _, e := range errs {
				c.problem(tloc, "x-transform", e)
			}
			n.transforms = ts
		}
	}

	switch n.kind {
	case kindObject:
		if pv, ploc, ok := get(ls, "properties"); ok {
			if props, ok := pv.(*object); ok {
				n.keys = props.keys
				for _, k := range props.keys {
					child := c.node(props.vals[k], joinKey(joinKey(ploc, "properties"), k))
					if child != nil && child.extracts {
						child.name = k
						n.props = append(n.props, child)
					}
				}
			}
		}
		if n.sel != nil && n.sel.yieldsValue() {
			c.problem(selLoc, "x-selector", errValueScope)
		}
		if len(n.transforms) > 0 {
			c.problem(trLoc, "x-transform", "transforms apply to scalar values, not to an object")
		}
		n.extracts = n.sel != nil || len(n.props) > 0
	case kindArray:
		var item *node
		if iv, iloc, ok := get(ls, "items"); ok {
			item = c.node(iv, joinKey(iloc, "items"))
		}
		if item == nil {
			item = &node{kind: kindString}
		}
		if n.sel == nil && item.sel != nil {
			n.sel, item.sel = item.sel, nil // the items' selector finds the items
		}
		if item.composite() {
			if n.sel != nil && n.sel.yieldsValue() {
				c.problem(selLoc, "x-selector", errValueScope)
			}
			if len(n.transforms) > 0 {
				c.problem(trLoc, "x-transform", "transforms apply to scalar values, not to an array of objects")
			}
		} else if len(n.transforms) > 0 {
			item.transforms = append(slices.Clip(n.transforms), item.transforms...)
			n.transforms = nil
		}
		n.item = item
		n.extracts = n.sel != nil
	default:
		n.extracts = n.sel != nil
	}
	return n
}

// shapeOnly returns the root layers' property names for a schema that does
// not extract, so Columns works for validation-only schemas.
func (c *compiler) shapeOnly(doc any) *node {
	ls, pushed := c.layers(doc, "")
	c.path = c.path[:len(c.path)-pushed]
	pv, _, ok := get(ls, "properties")
	if !ok {
		return nil
	}
	props, ok := pv.(*object)
	if !ok {
		return nil
	}
	return &node{keys: props.keys}
}

// shapeKind reads "type" (a string, or a list whose first non-null entry
// wins) and falls back to object when there are properties, array when
// there are items, and string otherwise.
func shapeKind(ls []layer) kind {
	name := ""
	if tv, _, ok := get(ls, "type"); ok {
		switch t := tv.(type) {
		case string:
			name = t
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok && s != "null" {
					name = s
					break
				}
			}
		}
	}
	switch name {
	case "object":
		return kindObject
	case "array":
		return kindArray
	case "number":
		return kindNumber
	case "integer":
		return kindInteger
	case "boolean":
		return kindBoolean
	case "string":
		return kindString
	}
	if _, _, ok := get(ls, "properties"); ok {
		return kindObject
	}
	if _, _, ok := get(ls, "items"); ok {
		return kindArray
	}
	return kindString
}

func shapeFormat(ls []layer) format {
	fv, _, _ := get(ls, "format")
	switch fv {
	case "date":
		return formatDate
	case "date-time":
		return formatDateTime
	case "uri", "uri-reference", "iri", "iri-reference", "media":
		return formatURI
	}
	return formatNone
}

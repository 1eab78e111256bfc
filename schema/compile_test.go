package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		want   []FieldError
	}{
		{"invalid JSON", `{"type": "object",}`,
			[]FieldError{{Problem: "invalid JSON: invalid character '}' looking for beginning of object key string"}}},
		{"trailing data", `{} {}`,
			[]FieldError{{Problem: "invalid JSON: unexpected data after the top-level value"}}},
		{"empty input", ``,
			[]FieldError{{Problem: "invalid JSON: unexpected end of JSON input"}}},
		{"not an object", `[1, 2]`,
			[]FieldError{{Problem: "a schema must be a JSON object or a boolean"}}},
		{"type is a number", `{"type": 12}`,
			[]FieldError{{Field: "type", Problem: "value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'"}}},
		{"minimum is a string", `{"properties": {"price": {"type": "number", "minimum": "x"}}}`,
			[]FieldError{{Field: "properties.price.minimum", Problem: "must be number, got string"}}},
		{"bad pattern", `{"properties": {"sku": {"type": "string", "pattern": "(["}}}`,
			[]FieldError{{Field: "properties.sku.pattern", Problem: "'([' is not valid regex: error parsing regexp: missing closing ]: `[`"}}},
		{"missing $ref target", `{"properties": {"a": {"$ref": "#/$defs/nope"}}}`,
			[]FieldError{{Field: "properties.a.$ref", Problem: `$ref target "#/$defs/nope" does not exist`}}},
		{"remote $ref", `{"properties": {"a": {"$ref": "https://example.com/a.json"}}}`,
			[]FieldError{{Field: "properties.a.$ref", Problem: `cannot load "https://example.com/a.json": only references within the schema are supported`}}},
		{"file $ref", `{"items": {"$ref": "file:///etc/passwd"}}`,
			[]FieldError{{Field: "items.$ref", Problem: `cannot load "file:///etc/passwd": only references within the schema are supported`}}},
		{"unknown meta-schema", `{"$schema": "https://example.com/schema"}`,
			[]FieldError{{Field: "$schema", Problem: `unsupported meta-schema "https://example.com/schema"`}}},
		{"bad CSS selector", `{"properties": {"price": {"type": "number", "x-selector": "div.price >"}}}`,
			[]FieldError{{Field: "properties.price.x-selector", Problem: `invalid CSS selector "div.price >": expected selector, found EOF instead`}}},
		{"bad XPath selector", `{"properties": {"price": {"type": "number", "x-selector": "xpath://span[@class='price'"}}}`,
			[]FieldError{{Field: "properties.price.x-selector", Problem: `invalid XPath expression "//span[@class='price'": //span[@class='price' has an invalid token`}}},
		{"bad attribute name", `{"properties": {"img": {"type": "string", "x-selector": "img@"}}}`,
			[]FieldError{{Field: "properties.img.x-selector", Problem: `invalid attribute name "" after @ in CSS selector "img@"`}}},
		{"empty selector", `{"properties": {"a": {"type": "string", "x-selector": " "}}}`,
			[]FieldError{{Field: "properties.a.x-selector", Problem: "must not be empty"}}},
		{"selector not a string", `{"properties": {"a": {"type": "string", "x-selector": ["h1"]}}}`,
			[]FieldError{{Field: "properties.a.x-selector", Problem: "must be a string"}}},
		{"every problem at once", `{
		  "type": "object",
		  "properties": {
		    "name": {"type": "string", "x-selector": "h1", "x-transform": "trim; titlecase"},
		    "variants": {
		      "type": "array",
		      "x-selector": "li.variant",
		      "items": {
		        "type": "object",
		        "properties": {
		          "sku":   {"type": "string", "x-selector": "xpath:self::*[@data-sku", "x-transform": "regex:SKU-(\\d+"},
		          "price": {"type": "number", "x-selector": ".price", "x-transform": "replace:€"}
		        }
		      }
		    },
		    "stock": {"type": "integer", "minimum": "none"}
		  }
		}`, []FieldError{
			{Field: "properties.name.x-transform", Problem: `unknown transform "titlecase" (want trim, lower, upper, regex:PATTERN or replace:OLD=>NEW)`},
			{Field: "properties.stock.minimum", Problem: "must be number, got string"},
			{Field: "properties.variants.items.properties.price.x-transform", Problem: `transform "replace:€": want replace:OLD=>NEW with a non-empty OLD`},
			{Field: "properties.variants.items.properties.sku.x-selector", Problem: `invalid XPath expression "self::*[@data-sku": self::*[@data-sku has an invalid token`},
			{Field: "properties.variants.items.properties.sku.x-transform", Problem: "transform \"regex:SKU-(\\\\d+\": invalid regular expression: error parsing regexp: missing closing ): `SKU-(\\d+`"},
		}},
		{"attribute on an object", `{"properties": {"seller": {"type": "object", "x-selector": ".seller@href", "properties": {"name": {"type": "string", "x-selector": "b"}}}}}`,
			[]FieldError{{Field: "properties.seller.x-selector", Problem: errValueScope}}},
		{"XPath value as a record", `{"x-selector": "xpath:string(//h1)", "properties": {"name": {"type": "string", "x-selector": "b"}}}`,
			[]FieldError{{Field: "x-selector", Problem: errValueScope}}},
		{"transform on an object", `{"properties": {"seller": {"type": "object", "x-transform": "trim", "properties": {"name": {"type": "string", "x-selector": "b"}}}}}`,
			[]FieldError{{Field: "properties.seller.x-transform", Problem: "transforms apply to scalar values, not to an object"}}},
		{"attribute on an array of objects", `{"properties": {"v": {"type": "array", "x-selector": "li@id", "items": {"type": "object"}}}}`,
			[]FieldError{{Field: "properties.v.x-selector", Problem: errValueScope}}},
		{"root not an object", `{"type": "array", "x-selector": "li"}`,
			[]FieldError{{Problem: "extraction needs an object schema at the root"}}},
		{"recursive $ref", `{"type": "object", "properties": {
		    "name": {"type": "string", "x-selector": "h1"},
		    "children": {"type": "array", "x-selector": "ul > li", "items": {"$ref": "#"}}}}`,
			[]FieldError{{Field: "properties.children.items.$ref", Problem: "a recursive $ref cannot be extracted"}}},
		{"problem in $defs is reported where it is", `{"properties": {"a": {"$ref": "#/$defs/price"}, "b": {"$ref": "#/$defs/price"}},
		    "$defs": {"price": {"type": "number", "x-selector": "span["}}}`,
			[]FieldError{{Field: "$defs.price.x-selector", Problem: `invalid CSS selector "span[": expected identifier, found EOF instead`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile(json.RawMessage(tt.schema))
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile = %v, %v; want a *CompileError", s, err)
			}
			if !reflect.DeepEqual(ce.Problems, tt.want) {
				t.Errorf("problems:\n got  %#v\n want %#v", ce.Problems, tt.want)
			}
		})
	}
}

func TestCompileErrorMessage(t *testing.T) {
	one := &CompileError{Problems: []FieldError{{Field: "properties.a.x-selector", Problem: "must be a string"}}}
	if got, want := one.Error(), "schema: invalid schema: properties.a.x-selector: must be a string"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	two := &CompileError{Problems: []FieldError{{Problem: "invalid JSON: x"}, {Field: "type", Problem: "bad"}}}
	if got, want := two.Error(), "schema: invalid schema (2 problems): invalid JSON: x; type: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCompileAccepts(t *testing.T) {
	tests := []struct {
		name     string
		schema   string
		extracts bool
		columns  []string
	}{
		{"boolean schema", `true`, false, nil},
		{"empty object", `{}`, false, nil},
		{"validation only keeps declared order", `{"type":"object","properties":{"zeta":{},"alpha":{},"mid":{}}}`, false, []string{"zeta", "alpha", "mid"}},
		{"extraction keeps declared order", `{"properties":{"price":{"type":"number","x-selector":".p"},"name":{"type":"string"},"brand":{"x-selector":"b"}}}`, true, []string{"price", "name", "brand"}},
		{"unknown x- keywords", `{"x-owner":"team-a","properties":{"a":{"type":"string","x-note":1,"x-selector":"h1"}}}`, true, []string{"a"}},
		{"draft-07", `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"p":{"type":"number"}},"properties":{"p":{"$ref":"#/definitions/p","x-selector":".p"}}}`, true, []string{"p"}},
		{"root $ref", `{"$ref":"#/$defs/product","$defs":{"product":{"type":"object","properties":{"b":{"x-selector":"b"},"a":{}}}}}`, true, []string{"b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile(json.RawMessage(tt.schema))
			if err != nil {
				t.Fatal(err)
			}
			if s.Extracts() != tt.extracts {
				t.Errorf("Extracts() = %v, want %v", s.Extracts(), tt.extracts)
			}
			if got := s.Columns(); !reflect.DeepEqual(got, tt.columns) {
				t.Errorf("Columns() = %q, want %q", got, tt.columns)
			}
			if string(s.Raw()) != tt.schema {
				t.Errorf("Raw() = %s, want the input", s.Raw())
			}
		})
	}
}

func TestRawIsACopy(t *testing.T) {
	in := json.RawMessage(`{"properties":{"a":{"x-selector":"h1"}}}`)
	s, err := Compile(in)
	if err != nil {
		t.Fatal(err)
	}
	in[2] = 'X'
	raw := s.Raw()
	raw[3] = 'Y'
	if got := string(s.Raw()); got != `{"properties":{"a":{"x-selector":"h1"}}}` {
		t.Errorf("Raw() = %s after changing the input and a returned copy", got)
	}
}

func TestExtractThroughRefAndUnion(t *testing.T) {
	s, err := Compile(json.RawMessage(`{
	  "type": "object",
	  "$defs": {
	    "money": {"type": "number", "minimum": 0},
	    "offer": {"type": "object", "properties": {"price": {"$ref": "#/$defs/money", "x-selector": ".price"}}}
	  },
	  "properties": {
	    "offer":  {"$ref": "#/$defs/offer", "x-selector": ".offer"},
	    "note":   {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 5}], "x-selector": ".note"},
	    "rating": {"oneOf": [{"type": "integer"}, {"type": "null"}], "x-selector": ".rating"}
	  }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	page := `<div class="offer"><span class="price">€-4,50</span></div><p class="note">Limited edition</p><b class="rating">4 stars</b>`
	items := s.Extract(mustParse(t, page), nil)
	want := []Item{{
		Data: map[string]any{"offer": map[string]any{"price": -4.5}, "note": "Limited edition", "rating": int64(4)},
		Errors: []FieldError{
			{Field: "note", Problem: "must be at most 5 characters long, got 15"},
			{Field: "offer.price", Problem: "must be at least 0, got -4.5"},
		},
	}}
	assertJSONEqual(t, "items", items, want)
}

func TestCompileRefExplosion(t *testing.T) {
	// Each definition uses the next one twice: 2^40 fields once expanded.
	var b strings.Builder
	b.WriteString(`{"properties": {"root": {"$ref": "#/$defs/d0"}}, "$defs": {`)
	for i := range 40 {
		fmt.Fprintf(&b, `"d%d": {"type": "object", "properties": {"a": {"$ref": "#/$defs/d%d"}, "b": {"$ref": "#/$defs/d%d"}}},`, i, i+1, i+1)
	}
	b.WriteString(`"d40": {"type": "string", "x-selector": "h1"}}}`)
	_, err := Compile(json.RawMessage(b.String()))
	var ce *CompileError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 ||
		ce.Problems[0].Problem != "schema too large to extract: more than 10000 fields or 256 levels after expanding $ref" {
		t.Fatalf("Compile = %v, want one 'schema too large' problem", err)
	}
}

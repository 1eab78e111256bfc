package schema

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// fuzzSchema uses every kind of selector, transform and coercion, so the
// fuzzer reaches all of the extraction code.
const fuzzSchema = `{
  "type": "object",
  "x-selector": "div, body",
  "required": ["name"],
  "properties": {
    "name":   {"type": "string", "minLength": 1, "x-selector": "h1, h2", "x-transform": "trim; lower; replace:a=>b"},
    "price":  {"type": "number", "x-selector": ".price, span"},
    "count":  {"type": "integer", "x-selector": "xpath:count(.//li)"},
    "qty":    {"type": "integer", "x-selector": "xpath:.//li[1]/text()"},
    "ok":     {"type": "boolean", "x-selector": "xpath:.//*[@data-ok]/@data-ok"},
    "date":   {"type": "string", "format": "date", "x-selector": "time@datetime"},
    "when":   {"type": "string", "format": "date-time", "x-selector": "time"},
    "link":   {"type": "string", "format": "uri", "x-selector": "a@href"},
    "img":    {"type": "string", "format": "media", "x-selector": "xpath:.//img/@src | .//source/@src"},
    "code":   {"type": "string", "x-selector": "@id", "x-transform": "regex:(\\d+)"},
    "tags":   {"type": "array", "items": {"type": "string"}, "x-selector": "li"},
    "nums":   {"type": "array", "items": {"type": "number"}, "x-selector": "xpath:.//td | .//th"},
    "rows":   {"type": "array", "x-selector": "tr", "items": {"type": "object", "properties": {
                "cells": {"type": "array", "items": {"type": "string"}, "x-selector": "td"},
                "first": {"type": "integer", "x-selector": "td"}}}},
    "inner":  {"type": "object", "x-selector": "section", "properties": {"p": {"type": "string", "x-selector": "p"}}},
    "group":  {"type": "object", "properties": {"b": {"type": ["boolean", "null"], "x-selector": "b"}}}
  }
}`

func FuzzExtract(f *testing.F) {
	f.Add(productPage(2 << 10))
	f.Add(listingPage(3))
	f.Add(`<div id="x12"><h1>A</h1><span class=price>1,5</span><ul><li>3<li>b</ul><time datetime="2024-01-02">Jan 2, 2024</time></div>`)
	f.Add(`<table><tr><td>1<td>x</tr><tr><th>2</table></div></div></span><img src=%zz>`)
	f.Add(`<a href="http://[::1">x</a><b data-ok=maybe>yes</b><section><p>p`)
	f.Add("<svg><foreignObject><math><mi>1</mi></math></foreignObject></svg><template><h1>t</h1></template>")
	s, err := Compile(json.RawMessage(fuzzSchema))
	if err != nil {
		f.Fatal(err)
	}
	u, _ := url.Parse("https://example.com/a/b?c=d")
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return
		}
		for _, it := range s.Extract(doc, u) {
			if it.Data == nil {
				t.Fatal("item with nil Data")
			}
			if _, err := json.Marshal(it); err != nil {
				t.Fatalf("item does not encode as JSON: %v", err)
			}
		}
	})
}

func FuzzCompile(f *testing.F) {
	f.Add(productSchema)
	f.Add(fuzzSchema)
	f.Add(offerSchema)
	f.Add(`{"type": 12}`)
	f.Add(`{"properties": {"a": {"$ref": "#/properties/a"}}}`)
	f.Add(`{"$defs": {"x": {"x-selector": "xpath:count(//a) + "}}, "properties": {"a": {"$ref": "#/$defs/x"}}}`)
	f.Add(`{"properties": {"a": {"type": "array", "items": {"type": "array", "items": {"x-selector": "b@x"}}, "x-selector": "li"}}}`)
	f.Add(`{"anyOf": [{"type": "null"}, {"properties": {"a": {"x-selector": "@id", "x-transform": "regex:(?P<x>a)|b; replace:a=>"}}}]}`)
	f.Add(`true`)
	doc, err := html.Parse(strings.NewReader(productPage(2 << 10)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := Compile(json.RawMessage(raw))
		if err != nil {
			var ce *CompileError
			if !asCompileError(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("Compile error %T %v is not a *CompileError with problems", err, err)
			}
			return
		}
		s.Columns()
		s.Validate(map[string]any{"name": "x", "price": 1.5, "tags": []any{"a"}})
		for _, it := range s.Extract(doc, nil) {
			if it.Data == nil {
				t.Fatal("item with nil Data")
			}
		}
	})
}

func asCompileError(err error, target **CompileError) bool {
	ce, ok := err.(*CompileError)
	*target = ce
	return ok
}

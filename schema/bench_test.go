package schema

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The extraction budget: BenchmarkParseExtract may cost at most 10% more
// than BenchmarkParse, the html.Parse of the same ~50 KB product page.

func BenchmarkParse(b *testing.B) {
	page := productPage(50 << 10)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseExtract(b *testing.B) {
	page := productPage(50 << 10)
	s, err := Compile(json.RawMessage(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://gear.example/p/trailblazer-45")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		items := s.Extract(doc, u)
		if len(items) != 1 || len(items[0].Errors) != 0 {
			b.Fatalf("items = %+v", items)
		}
	}
}

// BenchmarkExtract measures extraction alone on a parsed page.
func BenchmarkExtract(b *testing.B) {
	doc := mustParse(b, productPage(50<<10))
	s, err := Compile(json.RawMessage(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://gear.example/p/trailblazer-45")
	b.ReportAllocs()
	for b.Loop() {
		if items := s.Extract(doc, u); len(items) != 1 || len(items[0].Errors) != 0 {
			b.Fatalf("items = %+v", items)
		}
	}
}

// BenchmarkExtractListing extracts 100 records from a parsed listing page.
func BenchmarkExtractListing(b *testing.B) {
	doc := mustParse(b, listingPage(100))
	s, err := Compile(json.RawMessage(`{
	  "type": "object", "x-selector": "li.product", "required": ["id", "name", "price"],
	  "properties": {
	    "id":    {"type": "integer", "x-selector": "@data-id"},
	    "name":  {"type": "string", "x-selector": "h2"},
	    "url":   {"type": "string", "format": "uri", "x-selector": "a@href"},
	    "price": {"type": "number", "x-selector": ".price"}
	  }
	}`))
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://gear.example/c/backpacks")
	b.ReportAllocs()
	for b.Loop() {
		if items := s.Extract(doc, u); len(items) != 100 {
			b.Fatalf("got %d items", len(items))
		}
	}
}

// BenchmarkCompile compiles the product schema: selectors, transforms and
// the validator.
func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(json.RawMessage(productSchema)); err != nil {
			b.Fatal(err)
		}
	}
}

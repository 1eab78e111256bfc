package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
)

func TestExtractListingPage(t *testing.T) {
	s, err := Compile(json.RawMessage(`{
	  "type": "object",
	  "x-selector": "ul.grid > li.product",
	  "required": ["id", "name", "price"],
	  "properties": {
	    "id":    {"type": "integer", "x-selector": "@data-id"},
	    "name":  {"type": "string", "x-selector": "h2"},
	    "url":   {"type": "string", "format": "uri", "x-selector": "a@href"},
	    "image": {"type": "string", "format": "media", "x-selector": "xpath:.//img/@src"},
	    "price": {"type": "number", "x-selector": ".price"},
	    "sale":  {"type": "boolean", "x-selector": "xpath:boolean(.//span[@class='badge'])"}
	  }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://gear.example/c/backpacks?sort=price")
	items := s.Extract(mustParse(t, listingPage(40)), u)
	if len(items) != 40 {
		t.Fatalf("got %d items, want 40", len(items))
	}
	tests := []struct {
		index int
		want  Item
	}{
		{0, Item{Data: map[string]any{
			"id": int64(1), "name": "Pack 1", "url": "https://gear.example/shop/p/1",
			"image": "https://gear.example/shop/img/1.jpg", "price": 41.01, "sale": false,
		}}},
		{4, Item{Data: map[string]any{
			"id": int64(5), "name": "Pack 5", "url": "https://gear.example/shop/p/5",
			"image": "https://gear.example/shop/img/5.jpg", "price": 45.05, "sale": true,
		}}},
		{6, Item{
			Data: map[string]any{
				"id": int64(7), "name": "Pack 7", "url": "https://gear.example/shop/p/7",
				"image": "https://gear.example/shop/img/7.jpg", "sale": false,
			},
			Errors: []FieldError{{Field: "price", Problem: "is required"}},
		}},
		{39, Item{Data: map[string]any{
			"id": int64(40), "name": "Pack 40", "url": "https://gear.example/shop/p/40",
			"image": "https://gear.example/shop/img/40.jpg", "price": 80.4, "sale": true,
		}}},
	}
	for _, tt := range tests {
		assertJSONEqual(t, fmt.Sprintf("item %d", tt.index), items[tt.index], tt.want)
	}
	invalid := 0
	for _, it := range items {
		if len(it.Errors) > 0 {
			invalid++
		}
	}
	if invalid != 5 { // 7, 14, 21, 28, 35
		t.Errorf("%d invalid items, want 5", invalid)
	}
}

func TestExtractRootSelectorWithoutMatch(t *testing.T) {
	s, err := Compile(json.RawMessage(`{"type":"object","x-selector":".product","properties":{"name":{"type":"string","x-selector":"h2"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if items := s.Extract(mustParse(t, `<p>No products match your filters.</p>`), nil); len(items) != 0 {
		t.Errorf("items = %+v, want none", items)
	}
}

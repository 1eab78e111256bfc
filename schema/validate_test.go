package schema

import (
	"encoding/json"
	"reflect"
	"testing"
)

const offerSchema = `{
  "type": "object",
  "required": ["name", "price"],
  "additionalProperties": false,
  "properties": {
    "name":  {"type": "string", "minLength": 2, "x-selector": "h1"},
    "price": {"type": "number", "exclusiveMinimum": 0, "x-selector": ".price"},
    "stock": {"type": "integer", "minimum": 0, "maximum": 999, "x-selector": ".stock"},
    "tags":  {"type": "array", "maxItems": 2, "items": {"type": "string", "enum": ["new", "sale", "eco"]}, "x-selector": ".tag"},
    "variants": {
      "type": "array",
      "x-selector": ".variant",
      "items": {
        "type": "object",
        "required": ["sku"],
        "properties": {
          "sku":   {"type": "string", "pattern": "^[A-Z]+-\\d+$", "x-selector": "@data-sku"},
          "price": {"type": "number", "minimum": 1, "x-selector": ".price"}
        }
      }
    },
    "updated": {"type": "string", "format": "date-time"}
  }
}`

func TestExtractInvalidRecordIsKept(t *testing.T) {
	s, err := Compile(json.RawMessage(offerSchema))
	if err != nil {
		t.Fatal(err)
	}
	page := `<div class="product"><h2>No h1 on this page</h2><span class="price">0.00</span>
	<span class="stock">-3 left</span><span class="tag">new</span><span class="tag">hot</span><span class="tag">eco</span>
	<ul><li class="variant" data-sku="PK-1"><span class="price">10</span>
	<li class="variant" data-sku="pk2"><span class="price">12</span>
	<li class="variant" data-sku="PK-3"><span class="price">0.5</span>
	<li class="variant"><span class="price">n/a</span></ul></div>`
	items := s.Extract(mustParse(t, page), nil)
	want := []Item{{
		Data: map[string]any{
			"price": 0.0,
			"stock": int64(-3),
			"tags":  []any{"new", "hot", "eco"},
			"variants": []any{
				map[string]any{"sku": "PK-1", "price": 10.0},
				map[string]any{"sku": "pk2", "price": 12.0},
				map[string]any{"sku": "PK-3", "price": 0.5},
				map[string]any{},
			},
		},
		Errors: []FieldError{
			{Field: "variants[3].price", Problem: `no number in "n/a"`},
			{Field: "name", Problem: "is required"},
			{Field: "price", Problem: "must be greater than 0, got 0"},
			{Field: "stock", Problem: "must be at least 0, got -3"},
			{Field: "tags", Problem: "must have at most 2 items, got 3"},
			{Field: "tags[1]", Problem: `value must be one of 'new', 'sale', 'eco'`},
			{Field: "variants[1].sku", Problem: `must match the pattern ^[A-Z]+-\d+$, got "pk2"`},
			{Field: "variants[2].price", Problem: "must be at least 1, got 0.5"},
			{Field: "variants[3].sku", Problem: "is required"},
		},
	}}
	assertJSONEqual(t, "items", items, want)
}

type offer struct {
	Name    string   `json:"name"`
	Price   float64  `json:"price"`
	Tags    []string `json:"tags,omitempty"`
	Updated string   `json:"updated,omitempty"`
}

func TestValidate(t *testing.T) {
	s, err := Compile(json.RawMessage(offerSchema))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON := func(doc string) any {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		data any
		want []FieldError
	}{
		{"valid API record", fromJSON(`{"name": "Pack", "price": 19.5, "updated": "2024-03-05T10:00:00Z"}`), nil},
		{"int64 and float64 values", map[string]any{"name": "Pack", "price": 19.5, "stock": int64(3)}, nil},
		{"json.Number values", map[string]any{"name": "Pack", "price": json.Number("19.5")}, nil},
		{"struct", offer{Name: "Pack", Price: 12, Tags: []string{"sale"}}, nil},
		{"invalid struct", offer{Name: "P", Price: -1, Updated: "yesterday"}, []FieldError{
			{Field: "name", Problem: "must be at least 2 characters long, got 1"},
			{Field: "price", Problem: "must be greater than 0, got -1"},
			{Field: "updated", Problem: "'yesterday' is not valid date-time: less than 20 characters long"},
		}},
		{"wrong types and extra field", fromJSON(`{"name": 7, "price": "12", "colour": "red", "variants": [{"sku": "A-1"}, {"sku": 5}]}`), []FieldError{
			{Field: "colour", Problem: "is not allowed by the schema"},
			{Field: "name", Problem: "must be string, got number"},
			{Field: "price", Problem: "must be number, got string"},
			{Field: "variants[1].sku", Problem: "must be string, got number"},
		}},
		{"not an object", fromJSON(`[1]`), []FieldError{{Field: "", Problem: "must be object, got array"}}},
		{"not JSON", map[string]any{"name": make(chan int)}, []FieldError{{Problem: "cannot encode map[string]interface {} as JSON: json: unsupported type: chan int"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Validate(tt.data); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate:\n got  %#v\n want %#v", got, tt.want)
			}
		})
	}
}

func TestFieldErrorString(t *testing.T) {
	tests := []struct {
		e    FieldError
		want string
	}{
		{FieldError{Field: "variants[2].price", Problem: "must be at least 1, got 0.5"}, "variants[2].price: must be at least 1, got 0.5"},
		{FieldError{Problem: "must be object, got array"}, "must be object, got array"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

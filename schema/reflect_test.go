package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

type specs struct {
	VolumeL  int    `json:"volume_l" selector:"xpath:.//tr[th='Volume']/td"`
	Material string `json:"material,omitempty" selector:"tr:nth-child(3) td"`
}

type variant struct {
	SKU   string   `json:"sku" selector:"@data-sku"`
	Color string   `json:"color,omitempty" selector:".color"`
	Price *float64 `json:"price,omitempty" selector:".vprice" jsonschema:"minimum=0"`
}

type product struct {
	Name     string     `json:"name" selector:"h1.product-title" jsonschema:"minLength=1"`
	Price    float64    `json:"price" selector:".summary > .price-box > .price" jsonschema:"minimum=0"`
	SKU      string     `json:"sku" selector:"css:p.sku" transform:"regex:SKU:\\s*(\\S+)"`
	Image    string     `json:"image" selector:"img.main@src" jsonschema:"format=media"`
	InStock  bool       `json:"in_stock" selector:".stock"`
	Released *time.Time `json:"released,omitempty" selector:".released" transform:"regex:on (.+)"`
	Features []string   `json:"features,omitempty" selector:"ul.features > li" transform:"lower"`
	Specs    specs      `json:"specs" selector:"table.specs"`
	Variants []variant  `json:"variants" selector:"li.variant"`
	Reviews  int        `json:"reviews,omitempty"`
	Internal string     `json:"-"`
	secret   string
}

const productGolden = `{
  "properties": {
    "name": {
      "type": "string",
      "minLength": 1,
      "x-selector": "h1.product-title"
    },
    "price": {
      "type": "number",
      "minimum": 0,
      "x-selector": ".summary > .price-box > .price"
    },
    "sku": {
      "type": "string",
      "x-selector": "css:p.sku",
      "x-transform": "regex:SKU:\\s*(\\S+)"
    },
    "image": {
      "type": "string",
      "format": "media",
      "x-selector": "img.main@src"
    },
    "in_stock": {
      "type": "boolean",
      "x-selector": ".stock"
    },
    "released": {
      "type": "string",
      "format": "date-time",
      "x-selector": ".released",
      "x-transform": "regex:on (.+)"
    },
    "features": {
      "items": {
        "type": "string"
      },
      "type": "array",
      "x-selector": "ul.features > li",
      "x-transform": "lower"
    },
    "specs": {
      "properties": {
        "volume_l": {
          "type": "integer",
          "x-selector": "xpath:.//tr[th='Volume']/td"
        },
        "material": {
          "type": "string",
          "x-selector": "tr:nth-child(3) td"
        }
      },
      "additionalProperties": false,
      "type": "object",
      "required": [
        "volume_l"
      ],
      "x-selector": "table.specs"
    },
    "variants": {
      "items": {
        "properties": {
          "sku": {
            "type": "string",
            "x-selector": "@data-sku"
          },
          "color": {
            "type": "string",
            "x-selector": ".color"
          },
          "price": {
            "type": "number",
            "minimum": 0,
            "x-selector": ".vprice"
          }
        },
        "additionalProperties": false,
        "type": "object",
        "required": [
          "sku"
        ]
      },
      "type": "array",
      "x-selector": "li.variant"
    },
    "reviews": {
      "type": "integer"
    }
  },
  "additionalProperties": false,
  "type": "object",
  "required": [
    "name",
    "price",
    "sku",
    "image",
    "in_stock",
    "specs",
    "variants"
  ]
}`

func TestForGolden(t *testing.T) {
	raw, err := For[product]()
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := json.Indent(&got, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	if got.String() != productGolden {
		t.Errorf("For[product]() =\n%s\nwant\n%s", got.String(), productGolden)
	}
	if strings.Contains(string(raw), `\u003e`) {
		t.Errorf("For escaped > in selectors: %s", raw)
	}
	if ptr, err := For[*product](); err != nil || !bytes.Equal(ptr, raw) {
		t.Errorf("For[*product]() = %s, %v; want the same as For[product]", ptr, err)
	}
}

func TestForExtractDecode(t *testing.T) {
	s, err := Compile(MustFor[product]())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://gear.example/p/trailblazer-45")
	items := s.Extract(mustParse(t, productPage(4<<10)), u)
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	wantErrs := []FieldError{{Field: "variants[2].price", Problem: `no number in "call us"`}}
	if !reflect.DeepEqual(items[0].Errors, wantErrs) {
		t.Errorf("errors = %#v, want %#v", items[0].Errors, wantErrs)
	}
	got, err := Decode[product](items[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	released := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	p1299, p1249 := 1299.0, 1249.0
	want := product{
		Name:     "Trailblazer 45L Hiking Backpack",
		Price:    1299,
		SKU:      "TB-45-GRN",
		Image:    "https://gear.example/img/trailblazer-45-green.jpg",
		InStock:  true,
		Released: &released,
		Features: []string{"volume: 45 litres", "weight: 1.35 kg", "back length: 42–52 cm", "warranty: 5 years"},
		Specs:    specs{VolumeL: 45, Material: "Recycled nylon"},
		Variants: []variant{
			{SKU: "TB-45-GRN", Color: "Forest green", Price: &p1299},
			{SKU: "TB-45-BLK", Color: "Black", Price: &p1249},
			{SKU: "TB-45-ORG", Color: "Orange"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", got, want)
	}
}

func TestForErrors(t *testing.T) {
	type node struct {
		Name     string  `json:"name"`
		Children []*node `json:"children"`
	}
	type badSelector struct {
		Price float64 `json:"price" selector:"xpath://span["`
	}
	type badTransform struct {
		Name string `json:"name" selector:"h1" transform:"capitalize"`
	}
	tests := []struct {
		name    string
		forFn   func() (json.RawMessage, error)
		want    string
		problem *FieldError
	}{
		{"not a struct", For[[]string], "schema: For[[]string]: want a struct type", nil},
		{"recursive", For[node], "schema: For[schema.node]: recursive type schema.node -> schema.node cannot be inlined", nil},
		{"bad selector", For[badSelector],
			`schema: For[schema.badSelector]: schema: invalid schema: properties.price.x-selector: invalid XPath expression "//span[": expression must evaluate to a node-set`,
			&FieldError{Field: "properties.price.x-selector", Problem: `invalid XPath expression "//span[": expression must evaluate to a node-set`}},
		{"bad transform", For[badTransform],
			`schema: For[schema.badTransform]: schema: invalid schema: properties.name.x-transform: unknown transform "capitalize" (want trim, lower, upper, regex:PATTERN or replace:OLD=>NEW)`,
			&FieldError{Field: "properties.name.x-transform", Problem: `unknown transform "capitalize" (want trim, lower, upper, regex:PATTERN or replace:OLD=>NEW)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := tt.forFn()
			if err == nil || err.Error() != tt.want {
				t.Fatalf("For = %s, %v; want error %q", raw, err, tt.want)
			}
			var ce *CompileError
			if tt.problem != nil && (!errors.As(err, &ce) || !reflect.DeepEqual(ce.Problems, []FieldError{*tt.problem})) {
				t.Errorf("errors.As(*CompileError) problems = %+v, want %+v", ce, *tt.problem)
			}
		})
	}
}

func TestMustForPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustFor[int] did not panic")
		}
	}()
	MustFor[int]()
}

func TestDecode(t *testing.T) {
	type row struct {
		Name  string   `json:"name"`
		Price float64  `json:"price"`
		Qty   int      `json:"qty"`
		Tags  []string `json:"tags"`
	}
	got, err := Decode[row](map[string]any{"name": "Pack", "price": 12.5, "qty": int64(3), "tags": []any{"a"}, "extra": true})
	if err != nil {
		t.Fatal(err)
	}
	if want := (row{Name: "Pack", Price: 12.5, Qty: 3, Tags: []string{"a"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %+v, want %+v", got, want)
	}
	_, err = Decode[row](map[string]any{"qty": "three"})
	want := "schema: decode into schema.row: json: cannot unmarshal string into Go struct field row.qty of type int"
	if err == nil || err.Error() != want {
		t.Errorf("Decode error = %v, want %q", err, want)
	}
}

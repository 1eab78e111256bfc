package schema

import (
	"encoding/json"
	"net/url"
	"reflect"
	"sync"
	"testing"
)

// productSchema exercises most of the syntax on productPage.
const productSchema = `{
  "type": "object",
  "required": ["name", "price", "sku"],
  "properties": {
    "name":         {"type": "string", "x-selector": "h1.product-title"},
    "price":        {"type": "number", "minimum": 0, "x-selector": ".summary .price"},
    "was_price":    {"type": "number", "x-selector": "xpath://span[@class='was-price']"},
    "og_price":     {"type": "number", "x-selector": "meta[property=\"product:price:amount\"]@content"},
    "currency":     {"type": "string", "x-selector": "meta[property='product:price:currency']@content", "x-transform": "lower"},
    "sku":          {"type": "string", "x-selector": "css:p.sku", "x-transform": "regex:SKU:\\s*(\\S+)"},
    "product_id":   {"type": "integer", "x-selector": "button.add-to-cart@data-product-id"},
    "image":        {"type": "string", "format": "media", "x-selector": "img.main@src"},
    "gallery":      {"type": "array", "items": {"type": "string", "format": "media"}, "x-selector": "xpath://img[@class='thumb']/@src"},
    "manual":       {"type": "string", "format": "uri-reference", "x-selector": "a.manual@href"},
    "in_stock":     {"type": "boolean", "x-selector": ".stock"},
    "rating":       {"type": "number", "x-selector": "xpath:substring-before(//div[@class='rating']/@title, ' ')"},
    "review_count": {"type": "integer", "x-selector": ".rating a"},
    "reviews_on_page": {"type": "integer", "x-selector": "xpath:count(//article[@class='review'])"},
    "released":     {"type": "string", "format": "date", "x-selector": ".released", "x-transform": "regex:on (.+)"},
    "features":     {"type": "array", "items": {"type": "string"}, "x-selector": "ul.features li"},
    "breadcrumb":   {"type": "array", "items": {"type": "string", "x-transform": "upper"}, "x-selector": "xpath://ol[@class='breadcrumb']/li/text() | //ol[@class='breadcrumb']/li/a"},
    "specs": {
      "type": "object",
      "x-selector": "table.specs",
      "properties": {
        "volume_l": {"type": "integer", "x-selector": "xpath:.//tr[th='Volume']/td"},
        "weight_g": {"type": "integer", "x-selector": "xpath:.//tr[th='Weight']/td"},
        "material": {"type": "string", "x-selector": "tr:nth-child(3) td"}
      }
    },
    "variants": {
      "type": "array",
      "x-selector": "li.variant",
      "items": {
        "type": "object",
        "required": ["sku", "price"],
        "properties": {
          "sku":   {"type": "string", "x-selector": "@data-sku"},
          "color": {"type": "string", "x-selector": ".color"},
          "price": {"type": ["number", "null"], "x-selector": ".vprice"}
        }
      }
    },
    "description": {"type": "string"},
    "seller":       {"type": "string", "x-selector": ".seller-name"}
  }
}`

func TestExtractProductPage(t *testing.T) {
	s, err := Compile(json.RawMessage(productSchema))
	if err != nil {
		t.Fatal(err)
	}
	doc := mustParse(t, productPage(50<<10))
	u, _ := url.Parse("https://gear.example/p/trailblazer-45")
	items := s.Extract(doc, u)
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	want := map[string]any{
		"name":            "Trailblazer 45L Hiking Backpack",
		"price":           1299.0,
		"was_price":       1499.0,
		"og_price":        1299.0,
		"currency":        "eur",
		"sku":             "TB-45-GRN",
		"product_id":      int64(98231),
		"image":           "https://gear.example/img/trailblazer-45-green.jpg",
		"gallery":         []any{"https://gear.example/img/trailblazer-45-side.jpg", "https://gear.example/img/trailblazer-45-back.jpg", "https://gear.example/img/trailblazer-45-open.jpg"},
		"manual":          "https://gear.example/p/docs/trailblazer-45-manual.pdf",
		"in_stock":        true,
		"rating":          4.6,
		"review_count":    int64(1287),
		"reviews_on_page": int64(0),
		"released":        "2024-03-05",
		"features":        []any{"Volume: 45 litres", "Weight: 1.35 kg", "Back length: 42–52 cm", "Warranty: 5 years"},
		"breadcrumb":      []any{"HOME", "BACKPACKS", "TRAILBLAZER 45L"},
		"specs":           map[string]any{"volume_l": int64(45), "weight_g": int64(1350), "material": "Recycled nylon"},
		"variants": []any{
			map[string]any{"sku": "TB-45-GRN", "color": "Forest green", "price": 1299.0},
			map[string]any{"sku": "TB-45-BLK", "color": "Black", "price": 1249.0},
			map[string]any{"sku": "TB-45-ORG", "color": "Orange"},
		},
	}
	got := items[0]
	reviews := got.Data["reviews_on_page"]
	if n, ok := reviews.(int64); !ok || n < 50 {
		t.Errorf("reviews_on_page = %v, want an int64 of at least 50", reviews)
	}
	want["reviews_on_page"] = reviews
	assertJSONEqual(t, "data", got.Data, want)
	// The variant's price is required too, but a field that failed coercion
	// is reported once, not again as missing.
	wantErrs := []FieldError{{Field: "variants[2].price", Problem: `no number in "call us"`}}
	if !reflect.DeepEqual(got.Errors, wantErrs) {
		t.Errorf("errors = %#v, want %#v", got.Errors, wantErrs)
	}
}

// assertJSONEqual compares with reflect.DeepEqual (so int64 and float64 are
// told apart) and prints both sides as JSON on failure.
func assertJSONEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	t.Errorf("%s mismatch\ngot:  %s\nwant: %s", what, g, w)
}

func TestExtractNestedObjects(t *testing.T) {
	s, err := Compile(json.RawMessage(`{
	  "type": "object",
	  "properties": {
	    "seller": {
	      "type": "object",
	      "x-selector": ".seller",
	      "properties": {
	        "name":    {"type": "string", "x-selector": ".name"},
	        "rating":  {"type": "number", "x-selector": ".rating"},
	        "address": {
	          "type": "object",
	          "x-selector": "address",
	          "properties": {
	            "city":    {"type": "string", "x-selector": ".city"},
	            "country": {"type": "string", "x-selector": ".country", "x-transform": "upper"}
	          }
	        }
	      }
	    },
	    "shipping": {
	      "type": "object",
	      "properties": {
	        "cost": {"type": "number", "x-selector": ".shipping-cost"},
	        "days": {"type": "integer", "x-selector": ".shipping-days"}
	      }
	    },
	    "warranty": {
	      "type": "object",
	      "properties": {"years": {"type": "integer", "x-selector": ".warranty"}}
	    },
	    "brand": {"type": "object", "x-selector": ".brand", "properties": {"name": {"type": "string", "x-selector": "b"}}}
	  }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	page := `<div class="rating">1.0</div>
	<div class="seller"><span class="name">Alpine Outfitters</span> <span class="rating">4,8</span>
	  <address><span class="city">Innsbruck</span>, <span class="country">at</span></address></div>
	<p>Shipping: <span class="shipping-cost">€4.95</span> in <span class="shipping-days">2-3</span> days`
	items := s.Extract(mustParse(t, page), nil)
	want := []Item{{Data: map[string]any{
		"seller": map[string]any{
			"name":    "Alpine Outfitters",
			"rating":  4.8,
			"address": map[string]any{"city": "Innsbruck", "country": "AT"},
		},
		// An object without x-selector groups fields found in the
		// enclosing scope; it is absent when none of them is found.
		"shipping": map[string]any{"cost": 4.95, "days": int64(2)},
	}}}
	assertJSONEqual(t, "items", items, want)
}

func TestExtractArrays(t *testing.T) {
	page := `<ul class="sizes"><li>S<li>M<li>L<li>XL</ul>
	<div class="review"><b>Great</b><span class="stars">5</span><span class="tag">light</span><span class="tag">roomy</span></div>
	<div class="review"><b>Too small</b><span class="stars">2</span></div>
	<div class="review"><span class="stars">four</span></div>
	<p class="ids">IDs: <i>12</i> <i>x</i> <i>14</i></p>`
	tests := []struct {
		name     string
		property string
		want     any // nil: absent
		errs     []FieldError
	}{
		{"scalar items", `{"type":"array","items":{"type":"string"},"x-selector":"ul.sizes li"}`,
			[]any{"S", "M", "L", "XL"}, nil},
		{"selector on the items", `{"type":"array","items":{"type":"string","x-selector":"ul.sizes li","x-transform":"lower"}}`,
			[]any{"s", "m", "l", "xl"}, nil},
		{"no match is empty", `{"type":"array","items":{"type":"string"},"x-selector":".colors li"}`,
			[]any{}, nil},
		{"failed items are left out", `{"type":"array","items":{"type":"integer"},"x-selector":"p.ids i"}`,
			[]any{int64(12), int64(14)}, []FieldError{{Field: "x[1]", Problem: `no number in "x"`}}},
		{"objects", `{"type":"array","x-selector":".review","items":{"type":"object","properties":{
			"title":{"type":"string","x-selector":"b"},
			"stars":{"type":"integer","x-selector":".stars"},
			"tags":{"type":"array","items":{"type":"string"},"x-selector":".tag"}}}}`,
			[]any{
				map[string]any{"title": "Great", "stars": int64(5), "tags": []any{"light", "roomy"}},
				map[string]any{"title": "Too small", "stars": int64(2), "tags": []any{}},
				map[string]any{"tags": []any{}},
			},
			[]FieldError{{Field: "x[2].stars", Problem: `no number in "four"`}}},
		{"scalar items relative to each match", `{"type":"array","x-selector":".review","items":{"type":"integer","x-selector":".stars"}}`,
			[]any{int64(5), int64(2)}, []FieldError{{Field: "x[2]", Problem: `no number in "four"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile(json.RawMessage(`{"type":"object","properties":{"x":` + tt.property + `}}`))
			if err != nil {
				t.Fatal(err)
			}
			items := s.Extract(mustParse(t, page), nil)
			want := Item{Data: map[string]any{}, Errors: tt.errs}
			if tt.want != nil {
				want.Data["x"] = tt.want
			}
			assertJSONEqual(t, "item", items, []Item{want})
		})
	}
}

func TestExtractSelectors(t *testing.T) {
	page := `<html><head><meta name="description" content="  A  light,
	  roomy pack "></head><body>
	<h1 id="title">Trailblazer <small>45L</small></h1>
	<a class="brand" href="/brands/gear-co" title="Gear Co.">Gear Co.</a>
	<p class="note">Ships in <b>2</b> days<br>Free returns</p>
	<ul><li>one</li><li>two</li><li>three</li></ul>
	<script>var price = 10;</script>
	<div class="desc">Intro<script>track()</script><style>p{}</style><p>Body</p>Outro</div>
	<a href="mailto:help@gear.example">Mail us</a>
	</body></html>`
	tests := []struct {
		name, selector string
		typ            string
		want           any // nil: absent
	}{
		{"css text of nested elements", "h1", "string", "Trailblazer 45L"},
		{"css prefix", "css:#title small", "string", "45L"},
		{"css attribute", "a.brand@title", "string", "Gear Co."},
		{"css attribute is collapsed", `meta[name="description"]@content`, "string", "A light, roomy pack"},
		{"css @ inside quotes is not an attribute", `a[href^="mailto:help@"]`, "string", "Mail us"},
		{"css @ inside quotes then attribute", `a[href^="mailto:help@"]@href`, "string", "mailto:help@gear.example"},
		{"css missing attribute means no match", "h1@data-nothing", "string", nil},
		{"css no match", ".nothing", "string", nil},
		{"br separates words", "p.note", "string", "Ships in 2 days Free returns"},
		{"script and style text is skipped", ".desc", "string", "Intro Body Outro"},
		{"script selected directly keeps its text", "script", "string", "var price = 10;"},
		{"xpath element", "xpath://ul/li[2]", "string", "two"},
		{"xpath attribute", "xpath://a[@class='brand']/@href", "string", "/brands/gear-co"},
		{"xpath text node", "xpath://p[@class='note']/text()", "string", "Ships in"},
		{"xpath string function", "xpath:normalize-space(//h1)", "string", "Trailblazer 45L"},
		{"xpath string function without match", "xpath:normalize-space(//h2)", "string", nil},
		{"xpath number", "xpath:count(//li)", "integer", int64(3)},
		{"xpath boolean", "xpath:boolean(//script)", "boolean", true},
		{"xpath no match", "xpath://table", "string", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, _ := json.Marshal(tt.selector)
			s, err := Compile(json.RawMessage(`{"properties":{"x":{"type":"` + tt.typ + `","x-selector":` + string(sel) + `}}}`))
			if err != nil {
				t.Fatal(err)
			}
			items := s.Extract(mustParse(t, page), nil)
			want := Item{Data: map[string]any{}}
			if tt.want != nil {
				want.Data["x"] = tt.want
			}
			assertJSONEqual(t, "item", items, []Item{want})
		})
	}
}

func TestExtractTransforms(t *testing.T) {
	page := `<span class="code">  Item  code: sku-00451 (EU)  </span><span class="size">Größe: M</span>`
	tests := []struct {
		name, transform string
		typ             string
		want            any
		problem         string
	}{
		{"none", "", "string", "Item code: sku-00451 (EU)", ""},
		{"lower", "lower", "string", "item code: sku-00451 (eu)", ""},
		{"upper then replace", "upper; replace:SKU-=>", "string", "ITEM CODE: 00451 (EU)", ""},
		{"regex first group", `regex:sku-(\d+)`, "string", "00451", ""},
		{"regex whole match", `regex:\(\w+\)`, "string", "(EU)", ""},
		{"regex then integer", `regex:sku-(\d+)`, "integer", int64(451), ""},
		{"regex then trim", `regex:code:(.*)\(; trim`, "string", "sku-00451", ""},
		{"replace with empty NEW", "replace:Item =>", "string", "code: sku-00451 (EU)", ""},
		{"escaped semicolon", `replace:(EU)=>\;EU; upper`, "string", "ITEM CODE: SKU-00451 ;EU", ""},
		{"empty steps ignored", " ; trim ;; ", "string", "Item code: sku-00451 (EU)", ""},
		{"regex no match", `regex:ean-(\d+)`, "string", nil, `regex "ean-(\\d+)" does not match "Item code: sku-00451 (EU)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, _ := json.Marshal(tt.transform)
			s, err := Compile(json.RawMessage(`{"properties":{"x":{"type":"` + tt.typ + `","x-selector":".code","x-transform":` + string(tr) + `}}}`))
			if err != nil {
				t.Fatal(err)
			}
			items := s.Extract(mustParse(t, page), nil)
			want := Item{Data: map[string]any{}}
			if tt.want != nil {
				want.Data["x"] = tt.want
			}
			if tt.problem != "" {
				want.Errors = []FieldError{{Field: "x", Problem: tt.problem}}
			}
			assertJSONEqual(t, "item", items, []Item{want})
		})
	}
}

func TestExtractURLs(t *testing.T) {
	const schemaJSON = `{"properties":{
	  "link":  {"type":"string","format":"uri","x-selector":"a@href"},
	  "image": {"type":"string","format":"media","x-selector":"img@src"},
	  "abs":   {"type":"string","format":"uri-reference","x-selector":"link@href"},
	  "text":  {"type":"string","x-selector":"img@src"}
	}}`
	s, err := Compile(json.RawMessage(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	page := `<link href="https://cdn.example/x.css"><a href="../spec.html#dims">Specs</a><img src="//img.example/a.jpg?w=200">`
	tests := []struct {
		name, page, pageURL string
		want                map[string]any
		errs                []FieldError
	}{
		{"resolved against the page URL", page, "https://gear.example/p/pack/overview", map[string]any{
			"link": "https://gear.example/p/spec.html#dims", "image": "https://img.example/a.jpg?w=200",
			"abs": "https://cdn.example/x.css", "text": "//img.example/a.jpg?w=200",
		}, nil},
		{"base element wins", `<head><base href="/archive/2023/"></head>` + page, "https://gear.example/p/pack", map[string]any{
			"link": "https://gear.example/archive/spec.html#dims", "image": "https://img.example/a.jpg?w=200",
			"abs": "https://cdn.example/x.css", "text": "//img.example/a.jpg?w=200",
		}, nil},
		{"no page URL keeps references", page, "", map[string]any{
			"link": "../spec.html#dims", "image": "//img.example/a.jpg?w=200",
			"abs": "https://cdn.example/x.css", "text": "//img.example/a.jpg?w=200",
		}, []FieldError{{Field: "link", Problem: `'../spec.html#dims' is not valid uri: relative url`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u *url.URL
			if tt.pageURL != "" {
				u, _ = url.Parse(tt.pageURL)
			}
			items := s.Extract(mustParse(t, tt.page), u)
			assertJSONEqual(t, "items", items, []Item{{Data: tt.want, Errors: tt.errs}})
		})
	}
}

func TestExtractMalformedHTML(t *testing.T) {
	s, err := Compile(json.RawMessage(benchSchema))
	if err != nil {
		t.Fatal(err)
	}
	page := `<div class="summary"></div></div></span><h1 class=product-title>Broken <b>markup</h1>
	<p class="sku">SKU: BRK-1<table><tr><td><span class="price">12,5</td></tr></span>
	<div class=stock>out of stock<img class="main" src=a.png></p></div></div>`
	items := s.Extract(mustParse(t, page), nil)
	want := []Item{{Data: map[string]any{
		"name": "Broken markup", "image": "a.png", "in_stock": false, "sku": "BRK-1",
	}, Errors: []FieldError{{Field: "price", Problem: "is required"}}}}
	assertJSONEqual(t, "items", items, want)
}

func TestExtractNilInputs(t *testing.T) {
	s, err := Compile(json.RawMessage(benchSchema))
	if err != nil {
		t.Fatal(err)
	}
	if items := s.Extract(nil, nil); items != nil {
		t.Errorf("Extract(nil) = %+v, want nil", items)
	}
	noSel, err := Compile(json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if items := noSel.Extract(mustParse(t, "<h1>x</h1>"), nil); items != nil {
		t.Errorf("Extract without selectors = %+v, want nil", items)
	}
}

func TestExtractConcurrent(t *testing.T) {
	s, err := Compile(json.RawMessage(productSchema))
	if err != nil {
		t.Fatal(err)
	}
	doc := mustParse(t, productPage(8<<10))
	u, _ := url.Parse("https://gear.example/p/trailblazer-45")
	want := s.Extract(doc, u)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := s.Extract(doc, u); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent Extract differs: %+v", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

package page

import (
	"reflect"
	"testing"
)

func TestExtractMetadata(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		pageURL string
		want    Metadata
	}{
		{
			name:    "realistic product page",
			src:     shopPage,
			pageURL: "https://shop.example/product/42",
			want: Metadata{
				Title:       "Nordwind ProBook 14 – Demo Shop",
				Description: "A light 14-inch laptop with a 20-hour battery.",
				Canonical:   "https://shop.example/product/42-nordwind-probook-14?ref=feed#reviews",
				Language:    "en-US",
				Robots:      "index, follow",
				OpenGraph: map[string]string{
					"og:title":        "Nordwind ProBook 14",
					"og:image":        "https://shop.example/img/42.jpg",
					"og:price:amount": "1234.50",
				},
				JSONLD: []any{
					map[string]any{
						"@context": "https://schema.org",
						"@type":    "Product",
						"name":     "Nordwind ProBook 14",
						"sku":      "SKU-00042",
						"offers":   map[string]any{"@type": "Offer", "price": "1234.50", "priceCurrency": "USD"},
					},
					[]any{map[string]any{"@type": "Organization", "name": "Demo Shop"}},
				},
				Problems: []string{"json-ld block 2: invalid JSON: unexpected end of JSON input"},
			},
		},
		{
			name: "no metadata",
			src:  "<p>plain</p>",
		},
		{
			name:    "first of each wins",
			pageURL: "https://a.example/",
			src: `<html lang=" fr "><head><title>One</title><title>Two</title>` +
				`<meta name="Description" content="first"><meta name="description" content="second">` +
				`<link rel="Canonical" href="/c1"><link rel="canonical" href="/c2">` +
				`<meta property="OG:Title" content="og one"><meta property="og:title" content="og two">` +
				`</head></html>`,
			want: Metadata{
				Title:       "One",
				Description: "first",
				Canonical:   "https://a.example/c1",
				Language:    "fr",
				OpenGraph:   map[string]string{"og:Title": "og one", "og:title": "og two"},
			},
		},
		{
			name:    "canonical honours base href",
			pageURL: "https://a.example/x/y",
			src:     `<base href="https://b.example/root/"><link rel="alternate canonical" href="page">`,
			want:    Metadata{Canonical: "https://b.example/root/page"},
		},
		{
			name:    "unusable canonical is a problem",
			pageURL: "https://a.example/",
			src:     `<link rel="canonical" href="javascript:alert(1)">`,
			want:    Metadata{Problems: []string{`canonical "javascript:alert(1)": not an absolute http or https URL`}},
		},
		{
			name:    "unparsable canonical is a problem",
			pageURL: "https://a.example/",
			src:     `<link rel="canonical" href="http://[::1">`,
			want:    Metadata{Problems: []string{`canonical "http://[::1": missing ']' in host`}},
		},
		{
			name: "relative canonical without page URL is a problem",
			src:  `<link rel="canonical" href="/c">`,
			want: Metadata{Problems: []string{`canonical "/c": not an absolute http or https URL`}},
		},
		{
			name: "json-ld blocks",
			src: `<script type="application/ld+json">{"a":1}</script>` +
				`<script type="Application/LD+JSON; charset=utf-8">[1,"two",null]</script>` +
				`<script type="application/ld+json">   </script>` +
				`<script type="application/ld+json">{"a":1} trailing</script>` +
				`<script type="application/json">{"not":"ld"}</script>` +
				`<script>{"no":"type"}</script>` +
				`<body><p>text</p><script type="application/ld+json">"in body"</script></body>`,
			want: Metadata{
				JSONLD: []any{map[string]any{"a": float64(1)}, []any{float64(1), "two", nil}, "in body"},
				Problems: []string{
					"json-ld block 3: empty",
					"json-ld block 4: invalid JSON: invalid character 't' after top-level value",
				},
			},
		},
		{
			name: "svg title and template meta are ignored",
			src: `<body><svg><title>icon</title></svg><template><meta name="description" content="tpl"></template>` +
				`<title>Late title</title></body>`,
			want: Metadata{Title: "Late title"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parse(t, tt.src)
			before := render(t, doc)
			got := ExtractMetadata(doc, mustURL(t, tt.pageURL))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ExtractMetadata() =\n%#v\nwant\n%#v", got, tt.want)
			}
			if after := render(t, doc); after != before {
				t.Errorf("ExtractMetadata modified the document")
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		pageURL string
		want    string // "" for nil
	}{
		{"no base", `<p>x</p>`, "https://a.example/d/p", "https://a.example/d/p"},
		{"absolute base", `<base href="https://b.example/x/">`, "https://a.example/d/p", "https://b.example/x/"},
		{"relative base", `<base href="../up/">`, "https://a.example/d/e/p", "https://a.example/d/up/"},
		{"first base with href wins", `<base target="_blank"><base href="/one/"><base href="/two/">`, "https://a.example/", "https://a.example/one/"},
		{"base in body", `<body><p>x</p><base href="/late/"></body>`, "https://a.example/", "https://a.example/late/"},
		{"unparsable base falls back", `<base href="http://[::1">`, "https://a.example/p", "https://a.example/p"},
		{"empty base is the page", `<base href="">`, "https://a.example/p", "https://a.example/p"},
		{"nil page with absolute base", `<base href="https://b.example/">`, "", "https://b.example/"},
		{"nil page with relative base", `<base href="/x/">`, "", ""},
		{"nil page without base", `<p>x</p>`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BaseURL(parse(t, tt.src), mustURL(t, tt.pageURL))
			gotS := ""
			if got != nil {
				gotS = got.String()
			}
			if gotS != tt.want {
				t.Errorf("BaseURL() = %q, want %q", gotS, tt.want)
			}
		})
	}
}

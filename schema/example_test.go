package schema_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/titanscrape/titan/schema"
	"golang.org/x/net/html"
)

func ExampleCompile() {
	s, err := schema.Compile(json.RawMessage(`{
	  "type": "object",
	  "x-selector": "li.product",
	  "required": ["name", "price"],
	  "properties": {
	    "name":  {"type": "string", "x-selector": "h2"},
	    "price": {"type": "number", "minimum": 0, "x-selector": ".price"},
	    "url":   {"type": "string", "format": "uri", "x-selector": "a@href"},
	    "sku":   {"type": "string", "x-selector": "xpath:./@data-sku", "x-transform": "regex:SKU-(\\d+)"}
	  }
	}`))
	if err != nil {
		panic(err)
	}
	doc, err := html.Parse(strings.NewReader(`<ul>
	  <li class="product" data-sku="SKU-1001"><a href="/p/1001"><h2>Summit 30L</h2></a><span class="price">€89,95</span>
	  <li class="product" data-sku="SKU-1002"><a href="/p/1002"><h2>Ridge 60L</h2></a><span class="price">Sold out</span>
	</ul>`))
	if err != nil {
		panic(err)
	}
	page, _ := url.Parse("https://gear.example/c/backpacks")
	fmt.Println(s.Columns())
	for _, item := range s.Extract(doc, page) {
		data, _ := json.Marshal(item.Data)
		fmt.Println(string(data))
		for _, e := range item.Errors {
			fmt.Println("  error:", e.Error())
		}
	}
	// Output:
	// [name price url sku]
	// {"name":"Summit 30L","price":89.95,"sku":"1001","url":"https://gear.example/p/1001"}
	// {"name":"Ridge 60L","sku":"1002","url":"https://gear.example/p/1002"}
	//   error: price: no number in "Sold out"
}

func ExampleFor() {
	type Review struct {
		Author string `json:"author" selector:".author"`
		Stars  int    `json:"stars" selector:".stars" jsonschema:"minimum=1,maximum=5"`
	}
	type Product struct {
		Name    string   `json:"name" selector:"h1" transform:"trim; upper"`
		Image   string   `json:"image,omitempty" selector:"img.main@src" jsonschema:"format=media"`
		Reviews []Review `json:"reviews" selector:"article.review"`
	}
	raw, err := schema.For[Product]()
	if err != nil {
		panic(err)
	}
	s, err := schema.Compile(raw)
	if err != nil {
		panic(err)
	}
	doc, _ := html.Parse(strings.NewReader(`<h1>Trail runner</h1><img class="main" src="/img/tr.jpg">
	<article class="review"><b class="author">Ana</b> <span class="stars">5 stars</span></article>
	<article class="review"><b class="author">Bo</b> <span class="stars">4 stars</span></article>`))
	page, _ := url.Parse("https://shoes.example/p/trail-runner")
	item := s.Extract(doc, page)[0]
	p, err := schema.Decode[Product](item.Data)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %s %+v %d\n", p.Name, p.Image, p.Reviews, len(item.Errors))
	// Output:
	// TRAIL RUNNER https://shoes.example/img/tr.jpg [{Author:Ana Stars:5} {Author:Bo Stars:4}] 0
}

package page_test

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/titanscrape/titan/page"
)

func Example() {
	const src = `<html lang="en"><head><title>Shop</title>
<link rel="canonical" href="/home">
<script type="application/ld+json">{"@type":"WebSite"}</script></head>
<body><h1>Welcome</h1><p>Fresh <b>deals</b> every day.</p>
<a href="/deals#top">Deals</a> <a href="mailto:hi@shop.example">Mail us</a></body></html>`
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		panic(err)
	}
	pageURL, _ := url.Parse("https://shop.example/index.html")

	fmt.Printf("%q\n", page.Text(doc))

	links, skipped := page.Links(doc, pageURL)
	fmt.Println(links, skipped)

	md := page.ExtractMetadata(doc, pageURL)
	fmt.Println(md.Title, md.Canonical, md.Language, md.JSONLD)

	markdown, err := page.Markdown(doc, pageURL)
	if err != nil {
		panic(err)
	}
	fmt.Println(markdown)
	// Output:
	// "Welcome\n\nFresh deals every day.\n\nDeals Mail us"
	// [{https://shop.example/deals Deals  false}] 1
	// Shop https://shop.example/home en [map[@type:WebSite]]
	// # Welcome
	//
	// Fresh **deals** every day.
	//
	// [Deals](https://shop.example/deals#top) [Mail us](mailto:hi@shop.example)
}

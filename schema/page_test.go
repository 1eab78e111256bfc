package schema

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// productPage returns a realistic product page of at least minSize bytes:
// head metadata, navigation, the product block, a long description, a spec
// table and as many customer reviews as it takes to reach the size. The
// markup is sloppy on purpose, as real pages are: unclosed <p> and <li>, a
// stray </div>, attributes without quotes.
func productPage(minSize int) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Trailblazer 45L Hiking Backpack – Outdoor Gear Co.</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="Trailblazer 45L Hiking Backpack">
<meta property="og:image" content="https://cdn.gear.example/img/trailblazer-45-og.jpg">
<meta property="product:price:amount" content="1299.00">
<meta property="product:price:currency" content="EUR">
<link rel="canonical" href="https://gear.example/p/trailblazer-45">
<link rel="stylesheet" href="/static/site.css">
<style>.price{font-weight:bold} .hidden{display:none}</style>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"page":"product","sku":"TB-45-GRN"});</script>
</head>
<body class="product-page">
<header class="site-header">
  <a class="logo" href="/">Outdoor Gear Co.</a>
  <nav class="main-nav"><ul>
    <li><a href="/c/backpacks">Backpacks</a>
    <li><a href="/c/tents">Tents</a>
    <li><a href="/c/sleeping-bags">Sleeping bags</a>
    <li><a href="/c/footwear">Footwear</a>
    <li><a href="/sale">Sale</a>
  </ul></nav>
  <form class="search" action="/search"><input name=q placeholder="Search"><button>Go</button></form>
</header>
<ol class="breadcrumb"><li><a href="/">Home</a><li><a href="/c/backpacks">Backpacks</a><li>Trailblazer 45L</ol>
<main>
<div class="product" itemscope itemtype="https://schema.org/Product" data-sku="TB-45-GRN">
  <div class="gallery">
    <img class="main" src="/img/trailblazer-45-green.jpg" alt="Trailblazer 45L in forest green">
    <img class="thumb" src="/img/trailblazer-45-side.jpg" alt="Side view">
    <img class="thumb" src="/img/trailblazer-45-back.jpg" alt="Back panel">
    <img class="thumb" src="/img/trailblazer-45-open.jpg" alt="Main compartment">
  </div>
  <div class="summary">
    <h1 class="product-title" itemprop="name">
        Trailblazer 45L
        Hiking Backpack
    </h1>
    <p class="sku">SKU: TB-45-GRN
    <div class="rating" title="4.6 out of 5"><span class="stars">★★★★★</span> <a href="#reviews">1,287 reviews</a></div>
    <div class="price-box">
      <span class="price" itemprop="price">€1.299,00</span>
      <span class="was-price">€1.499,00</span>
    </div>
    <div class="stock in-stock">In stock</div>
    <p class="released">Released on March 5th, 2024
    <ul class="variants">
      <li class="variant" data-sku="TB-45-GRN"><span class="color">Forest green</span> <span class="vprice">€1.299,00</span></li>
      <li class="variant" data-sku="TB-45-BLK"><span class="color">Black</span> <span class="vprice">€1.249,00</span></li>
      <li class="variant" data-sku="TB-45-ORG"><span class="color">Orange</span> <span class="vprice">call us</span></li>
    </ul>
    <a class="manual" href="docs/trailblazer-45-manual.pdf">Owner's manual (PDF)</a>
    <button class="add-to-cart" data-product-id=98231>Add to cart</button>
  </div>
</div></div>
<section class="description">
  <h2>Description</h2>
  <p>The Trailblazer 45L is built for multi-day hikes where every gram counts. Its adjustable
  torso length, ventilated back panel and load lifters keep the weight on your hips, not your
  shoulders.
  <p>Made from recycled 210D ripstop nylon with a PFC-free water-repellent finish. Includes a
  detachable rain cover, hydration sleeve (up to 3&nbsp;L) and two hip-belt pockets.
  <ul class="features"><li>Volume: 45 litres<li>Weight: 1.35&nbsp;kg<li>Back length: 42–52 cm<li>Warranty: 5 years</ul>
</section>
<table class="specs">
  <tr><th>Volume<td>45 L
  <tr><th>Weight<td>1,350 g
  <tr><th>Material<td>Recycled nylon
  <tr><th>Colour<td>Forest green
</table>
<section id="reviews" class="reviews">
<h2>Customer reviews</h2>
`)
	names := []string{"Anna K.", "Marco R.", "Jules T.", "Priya S.", "Tom H.", "Lena M.", "Sam O.", "Chen W."}
	texts := []string{
		"Carried it for five days on the GR20 and it was comfortable the whole way. The hip belt pockets fit a phone and snacks.",
		"Great pack for the price. The rain cover saved my sleeping bag during a storm in the Highlands.",
		"The torso adjustment takes a while to get right, but once it is set the fit is excellent.",
		"Zips feel sturdy and the fabric has not torn despite a lot of scrambling over granite.",
		"A bit heavier than my old ultralight pack, but much more comfortable with 12 kg of gear.",
	}
	for i := 0; b.Len() < minSize-1200; i++ {
		fmt.Fprintf(&b, `<article class="review" id="r%d">
  <div class="review-head"><span class="author">%s</span> <span class="review-rating">%d/5</span>
  <time datetime="2024-0%d-1%d">%d %s 2024</time></div>
  <p class="review-text">%s
  <div class="helpful">Was this helpful? <button>Yes (%d)</button> <button>No</button></div>
</article>
`, i, names[i%len(names)], 3+i%3, 1+i%9, i%10, 10+i%18, []string{"January", "February", "March", "April"}[i%4], texts[i%len(texts)], i*7%31)
	}
	b.WriteString(`</section>
<aside class="related"><h2>You may also like</h2>
  <div class="card"><a href="/p/summit-30">Summit 30L Daypack</a><span class="price">€89,95</span></div>
  <div class="card"><a href="/p/ridge-60">Ridge 60L Trekking Pack</a><span class="price">€189,00</span></div>
</aside>
</main>
<footer class="site-footer"><p>&copy; 2024 Outdoor Gear Co. <a href="/imprint">Imprint</a> · <a href="/privacy">Privacy</a></footer>
<script src="/static/app.js"></script>
</body>
</html>
`)
	return b.String()
}

// listingPage renders n product cards; every seventh has no price and
// every fifth is on sale.
func listingPage(n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Backpacks</title><base href="https://gear.example/shop/"></head><body>
<div class="filters"><span class="price">€0 – €500</span></div>
<ul class="grid">`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<li class="product" data-id="%d"><a href="p/%d"><img src="img/%d.jpg"><h2> Pack  %d </h2></a>`, i, i, i, i)
		if i%7 != 0 {
			fmt.Fprintf(&b, `<span class="price">€%d,%02d</span>`, 40+i, i%100)
		}
		if i%5 == 0 {
			b.WriteString(`<span class="badge">Sale</span>`)
		}
		b.WriteString("\n") // no </li>: the parser closes it at the next <li>
	}
	b.WriteString(`</ul><div class="pager"><a href="?page=2">Next</a></div></body></html>`)
	return b.String()
}

// benchSchema extracts five fields from productPage.
const benchSchema = `{
  "type": "object",
  "required": ["name", "price"],
  "properties": {
    "name":     {"type": "string",  "x-selector": "h1.product-title"},
    "price":    {"type": "number",  "minimum": 0, "x-selector": ".summary .price"},
    "image":    {"type": "string",  "format": "media", "x-selector": "img.main@src"},
    "in_stock": {"type": "boolean", "x-selector": ".stock"},
    "sku":      {"type": "string",  "x-selector": "css:p.sku", "x-transform": "regex:SKU:\\s*(\\S+)"}
  }
}`

func mustParse(tb testing.TB, page string) *html.Node {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		tb.Fatalf("parse page: %v", err)
	}
	return doc
}

package page

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// parse parses src as a whole document, failing the test on error.
func parse(tb testing.TB, src string) *html.Node {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		tb.Fatalf("html.Parse: %v", err)
	}
	return doc
}

// mustURL parses an absolute URL, failing the test on error; "" gives nil.
func mustURL(tb testing.TB, s string) *url.URL {
	tb.Helper()
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatalf("url.Parse(%q): %v", s, err)
	}
	return u
}

// render returns the HTML serialisation of doc, to check it was not modified.
func render(tb testing.TB, doc *html.Node) string {
	tb.Helper()
	var b strings.Builder
	if err := html.Render(&b, doc); err != nil {
		tb.Fatalf("html.Render: %v", err)
	}
	return b.String()
}

// shopPage is a realistic product page: head metadata, navigation, inline
// script and style, breadcrumbs, a product block, a table, a footer, and a
// few pieces of malformed markup (an unclosed <p>, stray end tags).
const shopPage = `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>Nordwind ProBook 14 &ndash; Demo Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="  A light 14-inch laptop with a 20-hour battery.  ">
<meta name="robots" content="index, follow">
<link rel="stylesheet" href="/static/site.css">
<link rel="canonical" href="/product/42-nordwind-probook-14?ref=feed#reviews">
<meta property="og:title" content="Nordwind ProBook 14">
<meta property="og:image" content="https://shop.example/img/42.jpg">
<meta property="og:image" content="https://shop.example/img/42-2.jpg">
<meta name="og:price:amount" content="1234.50">
<meta name="twitter:card" content="summary">
<style>.price{color:red}</style>
<script>window.dataLayer = [{"page":"product"}]; if (a < b) { track("<p>not text</p>"); }</script>
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"Product","name":"Nordwind ProBook 14","sku":"SKU-00042",
 "offers":{"@type":"Offer","price":"1234.50","priceCurrency":"USD"}}
</script>
<script type="application/ld+json">{"@type":"BreadcrumbList",</script>
<script type="application/ld+json"> [{"@type":"Organization","name":"Demo Shop"}] </script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/"><img src="/logo.png" alt="Demo Shop"></a>
  <nav><ul>
    <li><a href="/category/laptops">Laptops</a>
    <li><a href="/category/cameras">Cameras</a>
    <li><a href="/cart" rel="nofollow">Cart (0)</a>
  </ul></nav>
</header>
<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/category/laptops">Laptops</a> &rsaquo; <span>Nordwind ProBook 14</span></nav>
<main>
<h1 class="product-title">Nordwind   ProBook
 14</h1>
<p class="price"><span class="price" data-price="1234.50">$1,234.50</span>&nbsp;<del>$1,399.00</del>
<p class="availability">In stock</span></div>
<p>Light, <em>fast</em> and quiet.<br>Ships in 24&nbsp;hours.
<table class="specs">
<tr><th>Weight</th><td>1.2 kg</td></tr>
<tr><th>Battery</th><td>20 h</td></tr>
</table>
<noscript><p>Enable JavaScript for reviews.</p></noscript>
<template><p>Template text</p></template>
<!-- a comment -->
<svg width="10" height="10"><title>star icon</title><text>SVG text</text></svg>
</main>
<footer><p>&copy; 2024 Demo Shop. <a href="mailto:help@shop.example">Contact</a> <a href="tel:+15550100">Call</a></p></footer>
</body>
</html>`

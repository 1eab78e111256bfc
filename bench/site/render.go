package site

import (
	"bytes"
	"html"
	"math/rand/v2"
	"strconv"
	"strings"
)

// nPads is the number of padding variants; product id uses variant id%nPads.
const nPads = 8

// fragments is the markup shared by pages, rendered once by New.
type fragments struct {
	style  string // <style> block
	header string // site header and navigation
	footer string // site footer, script and document end
	pads   [nPads]string
}

var sentences = [...]string{
	"Every unit is inspected before it leaves our warehouse, and orders placed before 3 pm ship the same day.",
	"The finish resists fingerprints and scratches, so it still looks new after months of daily use.",
	"Setup takes minutes: unpack it, follow the quick-start card, and you are ready to go.",
	"We tested it side by side with models that cost twice as much and were impressed by how well it holds up.",
	"All materials are responsibly sourced, and the packaging is fully recyclable.",
	"Controls are placed where your hands expect them, and every button has a reassuring click.",
	"It is quiet enough for a shared office and sturdy enough for a busy household.",
	"Replacement parts and accessories remain available in our shop for at least seven years.",
	"Independent reviewers praised its balance of performance, price and build quality.",
	"If it is not right for you, return it within 30 days for a full refund; return shipping is on us.",
}

var reviewSentences = [...]string{
	"Works exactly as described.", "Arrived a day early and very well packed.",
	"A little heavier than I expected, but it feels solid.", "Customer service replaced a faulty part without any fuss.",
	"I have used it every day for three months now.", "The instructions could be clearer.",
	"Great value for the price.", "Build quality is excellent for this price range.",
}

var reviewers = [...]string{"Maria K.", "James O.", "Aiko T.", "Lena S.", "Tom B.", "Priya R.", "Jonas W.", "Omar F."}

func newFragments(pageBytes int) fragments {
	var f fragments
	var b strings.Builder
	b.WriteString("<style>\n")
	for i := range 60 {
		b.WriteString(".c" + strconv.Itoa(i) + "{margin:0 auto;padding:4px 8px;font:14px/1.4 system-ui,sans-serif;color:#222;border-bottom:1px solid #eee}\n")
	}
	b.WriteString("</style>\n")
	f.style = b.String()

	b.Reset()
	b.WriteString("<header class=\"site-header\"><a class=\"logo\" href=\"/\">Bench Shop</a>\n<nav class=\"main-nav\"><ul>\n")
	for _, c := range Categories {
		b.WriteString("<li><a href=\"/category/" + strings.ToLower(c) + "\">" + c + "</a></li>\n")
	}
	b.WriteString("</ul></nav>\n<form class=\"search\" action=\"/search\" method=\"get\"><input type=\"search\" name=\"q\" placeholder=\"Search\"><button>Search</button></form>\n" +
		"<a class=\"account\" href=\"/account/login\">Sign in</a> <a class=\"cart\" href=\"/cart\">Cart (0)</a></header>\n")
	f.header = b.String()

	b.Reset()
	b.WriteString("<footer class=\"site-footer\"><div class=\"cols\">\n")
	for _, l := range []string{"about", "shipping", "returns", "privacy", "terms", "contact", "careers", "press"} {
		b.WriteString("<a href=\"/info/" + l + "\">" + strings.ToUpper(l[:1]) + l[1:] + "</a>\n")
	}
	b.WriteString("<a href=\"https://social.example.net/benchshop\" rel=\"noopener\">Follow us</a></div>\n<p class=\"copyright\">&copy; 2026 Bench Shop</p></footer>\n" +
		"<script>\nwindow.dataLayer = window.dataLayer || [];\nfunction track(){ dataLayer.push(arguments); }\ntrack(\"page_view\");\n</script>\n</body>\n</html>\n")
	f.footer = b.String()

	// What a product page holds besides the padding, roughly: head, header,
	// summary, related cards, footer.
	fixed := len(f.style) + len(f.header) + len(f.footer) + 5500
	for v := range f.pads {
		f.pads[v] = padding(v, max(pageBytes-fixed, 0))
	}
	return f
}

// padding returns n bytes or a little more of description, specifications and
// reviews: the bulk of a product page, which a crawler parses but extracts
// nothing from.
func padding(variant, n int) string {
	r := rand.New(rand.NewPCG(uint64(variant), 7))
	var b strings.Builder
	b.Grow(n + 2048)
	b.WriteString("<section class=\"description\"><h2>Description</h2>\n")
	for b.Len() < n*4/10 {
		b.WriteString("<p>")
		for range 4 {
			b.WriteString(sentences[r.IntN(len(sentences))] + " ")
		}
		b.WriteString("</p>\n")
	}
	b.WriteString("</section>\n<section class=\"specifications\"><h2>Specifications</h2><table class=\"specs\"><tbody>\n")
	for i := range 12 {
		b.WriteString("<tr><th>Property " + strconv.Itoa(i+1) + "</th><td>" + strconv.Itoa(r.IntN(500)) + " units</td></tr>\n")
	}
	b.WriteString("</tbody></table></section>\n<section id=\"reviews\" class=\"reviews\"><h2>Customer reviews</h2>\n")
	for i := 0; b.Len() < n; i++ {
		stars := 1 + r.IntN(5)
		b.WriteString("<article class=\"review\" data-review-id=\"" + strconv.Itoa(variant*1000+i) + "\"><header><span class=\"stars\" title=\"" +
			strconv.Itoa(stars) + " out of 5\">" + strings.Repeat("★", stars) + strings.Repeat("☆", 5-stars) +
			"</span> <strong class=\"review-title\">Review " + strconv.Itoa(i+1) + "</strong></header>\n<p class=\"review-meta\">By <span class=\"author\">" +
			reviewers[r.IntN(len(reviewers))] + "</span> on <time datetime=\"2025-0" + strconv.Itoa(1+r.IntN(9)) + "-1" + strconv.Itoa(r.IntN(10)) + "\">" +
			"a while ago</time></p>\n<div class=\"review-body\"><p>")
		for range 3 {
			b.WriteString(reviewSentences[r.IntN(len(reviewSentences))] + " ")
		}
		b.WriteString("</p></div>\n<footer><button class=\"helpful\">Helpful (" + strconv.Itoa(r.IntN(40)) + ")</button> <a rel=\"nofollow\" href=\"/reviews/report?id=" +
			strconv.Itoa(variant*1000+i) + "\">Report</a></footer></article>\n")
	}
	b.WriteString("</section>\n")
	return b.String()
}

// head writes the document start up to and including the header.
func (s *Site) head(w *bytes.Buffer, title, canonical, extra string) {
	w.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
	w.WriteString(html.EscapeString(title))
	w.WriteString(" | Bench Shop</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<link rel=\"canonical\" href=\"")
	w.WriteString(canonical)
	w.WriteString("\">\n")
	w.WriteString(extra)
	w.WriteString(s.frags.style)
	w.WriteString("</head>\n<body>\n")
	w.WriteString(s.frags.header)
}

// card writes a product card as listings and related products show it.
func card(w *bytes.Buffer, p *Product) {
	path := p.Path()
	name := html.EscapeString(p.Name)
	w.WriteString("<div class=\"product-card\" data-product-id=\"" + strconv.Itoa(p.ID) + "\">\n<a class=\"card-image\" href=\"" + path +
		"\"><img src=\"" + p.Image + "\" alt=\"" + name + "\" width=\"300\" height=\"300\" loading=\"lazy\"></a>\n" +
		"<h2 class=\"product-name\"><a class=\"product-link\" href=\"" + path + "\">" + name + "</a></h2>\n" +
		"<span class=\"price\">" + p.PriceText() + "</span> <span class=\"stock\">" + p.AvailabilityText() + "</span>\n</div>\n")
}

// renderListing writes page n (1-based) of the product listing.
func (s *Site) renderListing(w *bytes.Buffer, origin string, n int) {
	pages := s.Pages()
	extra := ""
	if n > 1 {
		extra += "<link rel=\"prev\" href=\"" + listingPath(n-1) + "\">\n"
	}
	if n < pages {
		extra += "<link rel=\"next\" href=\"" + listingPath(n+1) + "\">\n"
	}
	s.head(w, "All products, page "+strconv.Itoa(n), origin+listingPath(n), extra)
	w.WriteString("<nav class=\"breadcrumbs\"><a href=\"/\">Home</a> / All products</nav>\n<main id=\"content\">\n<h1>All products</h1>\n" +
		"<div class=\"sort\"><a rel=\"nofollow\" href=\"/products?sort=price\">Price</a> <a rel=\"nofollow\" href=\"/products?sort=name\">Name</a></div>\n" +
		"<div class=\"product-grid\">\n")
	first := (n-1)*s.cfg.PerPage + 1
	for id := first; id < first+s.cfg.PerPage && id <= s.cfg.Products; id++ {
		p := ProductOf(id)
		card(w, &p)
	}
	w.WriteString("</div>\n<nav class=\"pagination\">\n")
	if n > 1 {
		w.WriteString("<a rel=\"prev\" href=\"" + listingPath(n-1) + "\">Previous</a>\n")
	}
	for k := max(1, n-3); k <= min(pages, n+3); k++ {
		if k == n {
			w.WriteString("<span class=\"current\">" + strconv.Itoa(k) + "</span>\n")
			continue
		}
		w.WriteString("<a href=\"" + listingPath(k) + "\">" + strconv.Itoa(k) + "</a>\n")
	}
	if n < pages {
		w.WriteString("<a rel=\"next\" href=\"" + listingPath(n+1) + "\">Next</a>\n")
	}
	w.WriteString("</nav>\n</main>\n")
	w.WriteString(s.frags.footer)
}

// listingPath is the path of listing page n: page 1 is plain /products.
func listingPath(n int) string {
	if n == 1 {
		return "/products"
	}
	return "/products?page=" + strconv.Itoa(n)
}

// renderProduct writes the page of p.
func (s *Site) renderProduct(w *bytes.Buffer, origin string, p *Product) {
	name := html.EscapeString(p.Name)
	cat := Categories[p.Category]
	catPath := "/category/" + strings.ToLower(cat)
	s.head(w, p.Name, origin+p.Path(), "<meta property=\"og:type\" content=\"product\">\n<meta property=\"og:title\" content=\""+name+
		"\">\n<meta property=\"og:image\" content=\""+origin+p.Image+"\">\n<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Product\",\"name\":\""+
		name+"\",\"sku\":\""+p.SKU+"\",\"offers\":{\"@type\":\"Offer\",\"price\":\""+strconv.FormatFloat(p.Price, 'f', 2, 64)+"\",\"priceCurrency\":\"USD\"}}</script>\n")
	w.WriteString("<nav class=\"breadcrumbs\"><a href=\"/\">Home</a> / <a href=\"" + catPath + "\">" + cat + "</a> / " + name + "</nav>\n" +
		"<main id=\"content\">\n<div class=\"product\" data-product-id=\"" + strconv.Itoa(p.ID) + "\">\n" +
		"<div class=\"gallery\"><img class=\"main\" src=\"" + p.Image + "\" alt=\"" + name + "\" width=\"600\" height=\"600\"></div>\n" +
		"<div class=\"summary\">\n<h1 class=\"product-title\">" + name + "</h1>\n" +
		"<div class=\"rating\"><span class=\"stars\">★★★★☆</span> <a class=\"review-count\" href=\"#reviews\">(24 reviews)</a></div>\n" +
		"<p class=\"price-box\"><span class=\"price\">" + p.PriceText() + "</span> <span class=\"currency\">USD</span></p>\n")
	if p.InStock {
		w.WriteString("<p class=\"availability in-stock\">In stock</p>\n")
	} else {
		w.WriteString("<p class=\"availability out-of-stock\">Out of stock</p>\n")
	}
	w.WriteString("<p class=\"sku-line\">SKU: <span class=\"sku\">" + p.SKU + "</span></p>\n" +
		"<form class=\"add-to-cart\" action=\"/cart\" method=\"post\"><input type=\"hidden\" name=\"id\" value=\"" + strconv.Itoa(p.ID) +
		"\"><button type=\"submit\">Add to cart</button></form>\n</div>\n</div>\n")
	w.WriteString(s.frags.pads[p.ID%nPads])
	w.WriteString("<section class=\"related\"><h2>Related products</h2>\n<div class=\"product-grid\">\n")
	for k := 1; k <= 4; k++ {
		r := ProductOf(1 + (p.ID*31+k*977)%s.cfg.Products)
		card(w, &r)
	}
	w.WriteString("</div>\n</section>\n</main>\n")
	w.WriteString(s.frags.footer)
}

// renderOther writes a small page for anything else the shop serves: category,
// info and account pages. A restricted crawl never asks for them.
func (s *Site) renderOther(w *bytes.Buffer, origin, path string) {
	s.head(w, path, origin+path, "")
	w.WriteString("<main id=\"content\"><h1>" + html.EscapeString(path) + "</h1><p>" + sentences[0] + "</p>\n" +
		"<p><a href=\"/products\">All products</a></p></main>\n")
	w.WriteString(s.frags.footer)
}

package demosite

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// fragments is the markup shared by all pages, rendered once by New.
type fragments struct {
	style      string   // <style> block
	header     string   // skip link, site header with navigation
	footer     string   // site footer
	paragraphs []string // description paragraphs for padding, each a <p>
	reviews    []string // review articles for padding
}

const siteName = "Titan Demo Shop"

var (
	sentences = [...]string{
		"Every unit is inspected before it leaves our warehouse, and orders placed before 3 pm ship the same day.",
		"The finish resists fingerprints and scratches, so it still looks new after months of daily use.",
		"Setup takes minutes: unpack it, follow the quick-start card, and you are ready to go.",
		"We tested it side by side with models that cost twice as much and were impressed by how well it holds up.",
		"All materials are responsibly sourced, and the packaging is fully recyclable.",
		"Firmware and software updates arrive automatically and add features over the life of the product.",
		"Customers often tell us it is the best purchase they made this year.",
		"The two-year warranty covers parts and labour, and our support team answers within one business day.",
		"Controls are placed where your hands expect them, and every button has a reassuring click.",
		"It is quiet enough for a shared office and sturdy enough for a busy household.",
		"Replacement parts and accessories remain available in our shop for at least seven years.",
		"Independent reviewers praised its balance of performance, price and build quality.",
		"A detailed manual in twelve languages is included, along with a printed safety leaflet.",
		"If it is not right for you, return it within 30 days for a full refund; return shipping is on us.",
		"Its energy-saving mode switches off unused components after ten minutes of inactivity.",
		"The design team spent two years refining the details, from the hinge to the packaging.",
	}
	reviewTitles = [...]string{
		"Great value", "Exactly what I needed", "Solid, with one flaw", "Better than expected",
		"Would buy again", "Not bad at all", "Impressive quality", "Does the job", "Five stars & then some",
		"Good, but check the size first",
	}
	reviewSentences = [...]string{
		"Works exactly as described.", "Arrived a day early and very well packed.",
		"Battery life is better than advertised.", "A little heavier than I expected, but it feels solid.",
		"Customer service replaced a faulty cable without any fuss.", "I have used it every day for three months now.",
		"Would buy again without hesitation.", "The instructions could be clearer.",
		"Great value for the price.", "My partner likes it even more than I do.",
		"It replaced a model that cost twice as much.", "Setup took less than five minutes.",
		"The colour is slightly darker than in the photos.", "Build quality is excellent for this price range.",
	}
	reviewers = [...]string{
		"Maria K.", "James O.", "Aiko T.", "Lena S.", "Tom B.", "Priya R.", "Jonas W.", "Chloé D.",
		"Omar F.", "Sofia L.", "Ben H.", "Nadia P.", "Lucas M.", "Grace E.", "Mateo G.", "Ingrid N.",
	}
)

const styleBlock = `<style>
:root{--brand:#1f4f8b;--accent:#e4572e;--text:#1d1d1f;--muted:#6b6b70;--border:#e3e3e8;--radius:8px}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:#fafafa}
a{color:var(--brand);text-decoration:none}a:hover{text-decoration:underline}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.topbar{background:var(--brand);color:#fff;font-size:.85rem;text-align:center;padding:.25rem}
.topbar p{margin:0}
.header-main{display:flex;align-items:center;gap:1.5rem;max-width:1200px;margin:0 auto;padding:1rem}
.logo{font-weight:700;font-size:1.4rem;color:var(--text)}.logo-mark{color:var(--accent)}
.search{flex:1;display:flex}.search input{flex:1;padding:.5rem;border:1px solid var(--border);border-radius:var(--radius) 0 0 var(--radius)}
.search button{padding:.5rem 1rem;border:0;background:var(--brand);color:#fff;border-radius:0 var(--radius) var(--radius) 0}
.main-nav ul{display:flex;gap:1rem;list-style:none;margin:0 auto;padding:.5rem 1rem;max-width:1200px;overflow-x:auto}
.breadcrumbs ol{display:flex;flex-wrap:wrap;list-style:none;margin:0 auto;padding:.5rem 1rem;max-width:1200px;font-size:.9rem}
.breadcrumbs li+li::before{content:"\203A";padding:0 .5rem;color:var(--muted)}
main{max-width:1200px;margin:0 auto;padding:1rem}
.product-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:1rem}
.product-card{background:#fff;border:1px solid var(--border);border-radius:var(--radius);padding:1rem}
.product-card img{width:100%;height:auto;aspect-ratio:1}
.product-card .product-name{font-size:1rem;margin:.5rem 0}
.price{font-weight:700;font-size:1.1rem}.price-box .price{font-size:1.6rem;color:var(--accent)}
.in-stock{color:#1b7f3b}.out-of-stock{color:#b00020}
.product{display:grid;grid-template-columns:1fr 1fr;gap:2rem}@media (max-width:800px){.product{grid-template-columns:1fr}}
.gallery img.main{width:100%;height:auto;border-radius:var(--radius);background:#fff}
.rating .stars,.review-stars{color:#f5a623;letter-spacing:2px}
.tags{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}.tags li{background:#eef2f8;border-radius:999px;padding:.1rem .75rem;font-size:.85rem}
.add-to-cart button{background:var(--accent);color:#fff;border:0;border-radius:var(--radius);padding:.75rem 2rem;font-size:1rem}
.add-to-cart button[disabled]{background:#bbb}
table.specs{border-collapse:collapse;width:100%}table.specs th,table.specs td{border-bottom:1px solid var(--border);padding:.5rem;text-align:left}
.review{border-top:1px solid var(--border);padding:1rem 0}.review header{display:flex;gap:1rem;align-items:baseline}
.review-title{font-size:1rem;margin:.25rem 0}.review-helpful{color:var(--muted);font-size:.85rem}
.pagination{display:flex;gap:.5rem;justify-content:center;margin:2rem 0}.pagination .current{font-weight:700}
.site-footer{background:#1d1d1f;color:#ccc;margin-top:3rem;padding:2rem 1rem}.site-footer a{color:#fff}
.footer-cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:2rem;max-width:1200px;margin:0 auto}
.footer-cols ul{list-style:none;padding:0}.copyright{text-align:center;font-size:.8rem}
</style>
`

// newFragments renders the shared markup; the padding pools are drawn from
// seed.
func newFragments(seed int64, cats []category) fragments {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6672_6167_0000_0002))
	f := fragments{style: styleBlock}

	var b bytes.Buffer
	w := &b
	w.WriteString(`<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
<div class="topbar"><p>Free shipping on orders over $50 &middot; 30-day returns &middot; 2-year warranty</p></div>
<div class="header-main">
<a class="logo" href="/"><span class="logo-mark">&#9670;</span> ` + siteName + `</a>
<form class="search" action="/search" method="get" role="search"><label for="q" class="visually-hidden">Search</label><input id="q" type="search" name="q" placeholder="Search products"><button type="submit">Search</button></form>
<a class="cart-link" href="/cart" rel="nofollow">Cart (0)</a>
</div>
<nav class="main-nav" aria-label="Categories"><ul>
<li><a href="/products">All products</a></li>
`)
	for _, c := range cats {
		w.WriteString(`<li><a href="/category/` + c.Slug + `">`)
		escape(w, c.Name)
		w.WriteString("</a></li>\n")
	}
	w.WriteString("</ul></nav>\n</header>\n")
	f.header = b.String()

	b.Reset()
	w.WriteString(`<footer class="site-footer">
<div class="footer-cols">
<section><h2>Shop</h2><ul>
<li><a href="/products">All products</a></li>
`)
	for _, c := range cats {
		w.WriteString(`<li><a href="/category/` + c.Slug + `">`)
		escape(w, c.Name)
		w.WriteString("</a></li>\n")
	}
	w.WriteString(`</ul></section>
<section><h2>Help</h2><ul>
<li><a href="/info/shipping">Shipping</a></li>
<li><a href="/info/returns">Returns &amp; refunds</a></li>
<li><a href="/info/contact">Contact us</a></li>
</ul></section>
<section><h2>Company</h2><ul>
<li><a href="/info/about">About us</a></li>
<li><a href="/info/privacy">Privacy policy</a></li>
<li><a href="/sitemap.xml">Sitemap</a></li>
</ul></section>
</div>
<p class="contact">Questions? <a href="mailto:help@demo-shop.example">help@demo-shop.example</a> &middot; <a href="tel:+15550100">+1 555 0100</a></p>
<p class="copyright">&copy; 2024 ` + siteName + `. All prices in USD, including VAT.</p>
</footer>
`)
	f.footer = b.String()

	f.paragraphs = make([]string, 48)
	for i := range f.paragraphs {
		b.Reset()
		w.WriteString("<p>")
		for j, n := 0, 3+r.IntN(4); j < n; j++ {
			if j > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(sentences[r.IntN(len(sentences))])
		}
		w.WriteString("</p>\n")
		f.paragraphs[i] = b.String()
	}

	start := time.Date(2023, time.January, 1, 0, 0, 0, 0, time.UTC)
	f.reviews = make([]string, 64)
	for i := range f.reviews {
		b.Reset()
		rating := 1 + r.IntN(5)
		if r.IntN(3) > 0 {
			rating = max(rating, 4) // reviews skew positive, as they do
		}
		day := start.AddDate(0, 0, r.IntN(900))
		w.WriteString(`<article class="review" data-rating="` + strconv.Itoa(rating) + `">
<header><span class="review-author">`)
		escape(w, reviewers[r.IntN(len(reviewers))])
		w.WriteString(`</span> <span class="review-stars" aria-label="` + strconv.Itoa(rating) + ` out of 5 stars">` +
			strings.Repeat("★", rating) + strings.Repeat("☆", 5-rating) + `</span> <time datetime="` +
			day.Format(time.DateOnly) + `">` + day.Format("January 2, 2006") + "</time></header>\n<h3 class=\"review-title\">")
		escape(w, reviewTitles[r.IntN(len(reviewTitles))])
		w.WriteString("</h3>\n<p>")
		for j, n := 0, 2+r.IntN(4); j < n; j++ {
			if j > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(reviewSentences[r.IntN(len(reviewSentences))])
		}
		helpful := r.IntN(40)
		w.WriteString("</p>\n<footer class=\"review-helpful\">" + strconv.Itoa(helpful) + " people found this helpful</footer>\n</article>\n")
		f.reviews[i] = b.String()
	}
	return f
}

// escape writes s to w with the characters special in HTML text and
// attribute values escaped.
func escape(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

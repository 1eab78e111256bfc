package demosite

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
)

// crumb is one breadcrumb: a link, or the current page when href is "".
type crumb struct{ name, href string }

// head writes the document start up to and including <body>: title,
// description, canonical URL (absolute), extra head markup, the style block.
func (s *Shop) head(w *bytes.Buffer, title, description, canonical, extra, bodyClass string) {
	w.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	escape(w, title)
	w.WriteString(" | " + siteName + "</title>\n<meta name=\"description\" content=\"")
	escape(w, description)
	w.WriteString("\">\n<link rel=\"canonical\" href=\"")
	escape(w, canonical)
	w.WriteString("\">\n")
	w.WriteString(extra)
	w.WriteString(s.frags.style)
	w.WriteString("</head>\n<body class=\"" + bodyClass + "\">\n")
	w.WriteString(s.frags.header)
}

// crumbs writes the breadcrumb navigation.
func crumbs(w *bytes.Buffer, cs ...crumb) {
	w.WriteString("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>\n")
	for _, c := range cs {
		if c.href == "" {
			w.WriteString("<li aria-current=\"page\">")
			escape(w, c.name)
			w.WriteString("</li>\n")
			continue
		}
		w.WriteString("<li><a href=\"")
		escape(w, c.href)
		w.WriteString("\">")
		escape(w, c.name)
		w.WriteString("</a></li>\n")
	}
	w.WriteString("</ol></nav>\n")
}

// foot writes the footer, an inline analytics script and the document end.
func (s *Shop) foot(w *bytes.Buffer, pageType string) {
	w.WriteString(s.frags.footer)
	w.WriteString(`<script>
window.dataLayer = window.dataLayer || [];
function track(){ dataLayer.push(arguments); }
track("page_view", {"page_type": "` + pageType + `"});
document.querySelectorAll(".product-card").forEach(function (card) {
  card.addEventListener("click", function () { track("select_item", {"id": card.dataset.productId}); });
});
var badge = '<span class="badge">' + (window.cartCount || 0) + '<\/span>';
</script>
</body>
</html>
`)
}

// card writes a product card of a listing: the name link has the classes
// product-link and name, the price is a span.price with data-price.
func card(w *bytes.Buffer, p *Product) {
	id := strconv.Itoa(p.ID)
	w.WriteString("<div class=\"product-card\" data-product-id=\"" + id + "\">\n<a class=\"card-image\" href=\"" + p.URL +
		"\"><img src=\"" + p.Image + "\" alt=\"")
	escape(w, p.Name)
	w.WriteString("\" width=\"300\" height=\"300\" loading=\"lazy\"></a>\n<h2 class=\"product-name\"><a class=\"product-link name\" href=\"" + p.URL + "\">")
	escape(w, p.Name)
	w.WriteString("</a></h2>\n<div class=\"card-rating\" title=\"" + strconv.FormatFloat(p.Rating, 'f', 1, 64) + " out of 5\">" +
		stars(p.Rating) + " <span>(" + strconv.Itoa(p.Reviews) + ")</span></div>\n<span class=\"price\" data-price=\"" +
		priceAttr(p.Price) + "\">" + formatPrice(p.Price) + "</span>\n")
	if p.InStock {
		w.WriteString("<span class=\"stock in-stock\">In stock</span>\n")
	} else {
		w.WriteString("<span class=\"stock out-of-stock\">Out of stock</span>\n")
	}
	w.WriteString("</div>\n")
}

// jsonLD writes v as a JSON-LD script block.
func jsonLD(w *bytes.Buffer, v any) {
	w.WriteString("<script type=\"application/ld+json\">\n")
	// json.Marshal escapes <, > and &, so the block cannot end the script
	// early. Marshalling these types cannot fail.
	b, _ := json.Marshal(v)
	w.Write(b)
	w.WriteString("\n</script>\n")
}

type ldProduct struct {
	Context     string    `json:"@context"`
	Type        string    `json:"@type"`
	Name        string    `json:"name"`
	SKU         string    `json:"sku"`
	Image       string    `json:"image"`
	Description string    `json:"description"`
	Brand       ldThing   `json:"brand"`
	Category    string    `json:"category"`
	Rating      *ldRating `json:"aggregateRating,omitempty"`
	Offers      ldOffer   `json:"offers"`
}

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldRating struct {
	Type        string  `json:"@type"`
	RatingValue float64 `json:"ratingValue"`
	ReviewCount int     `json:"reviewCount"`
}

type ldOffer struct {
	Type          string `json:"@type"`
	URL           string `json:"url"`
	Price         string `json:"price"`
	PriceCurrency string `json:"priceCurrency"`
	Availability  string `json:"availability"`
}

type ldBreadcrumbs struct {
	Context string   `json:"@context"`
	Type    string   `json:"@type"`
	Items   []ldItem `json:"itemListElement"`
}

type ldItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// renderProduct writes the page of product p, padded to about PageBytes.
func (s *Shop) renderProduct(w *bytes.Buffer, p *Product, ps []Product, origin string) {
	abs := origin + p.URL
	c := s.category(p.CategorySlug)

	// Head: Open Graph, JSON-LD.
	var extra bytes.Buffer
	extra.Grow(2048)
	extra.WriteString("<meta property=\"og:type\" content=\"product\">\n<meta property=\"og:site_name\" content=\"" + siteName +
		"\">\n<meta property=\"og:title\" content=\"")
	escape(&extra, p.Name)
	extra.WriteString("\">\n<meta property=\"og:description\" content=\"")
	escape(&extra, p.Description)
	extra.WriteString("\">\n<meta property=\"og:url\" content=\"")
	escape(&extra, abs)
	extra.WriteString("\">\n<meta property=\"og:image\" content=\"")
	escape(&extra, origin+p.Image)
	extra.WriteString("\">\n<meta property=\"og:price:amount\" content=\"" + priceAttr(p.Price) +
		"\">\n<meta property=\"og:price:currency\" content=\"" + p.Currency +
		"\">\n<meta name=\"twitter:card\" content=\"summary_large_image\">\n")
	availability := "https://schema.org/OutOfStock"
	if p.InStock {
		availability = "https://schema.org/InStock"
	}
	ld := ldProduct{
		Context: "https://schema.org", Type: "Product", Name: p.Name, SKU: p.SKU, Image: origin + p.Image,
		Description: p.Description, Brand: ldThing{"Brand", p.Brand}, Category: p.Category,
		Offers: ldOffer{"Offer", abs, priceAttr(p.Price), p.Currency, availability},
	}
	if p.Reviews > 0 {
		ld.Rating = &ldRating{"AggregateRating", p.Rating, p.Reviews}
	}
	jsonLD(&extra, ld)
	jsonLD(&extra, ldBreadcrumbs{Context: "https://schema.org", Type: "BreadcrumbList", Items: []ldItem{
		{"ListItem", 1, "Home", origin + "/"},
		{"ListItem", 2, p.Category, origin + "/category/" + p.CategorySlug},
		{"ListItem", 3, p.Name, ""},
	}})

	s.head(w, p.Name, p.Description, abs, extra.String(), "product-page")
	crumbs(w, crumb{"Home", "/"}, crumb{p.Category, "/category/" + p.CategorySlug}, crumb{p.Name, ""})

	id := strconv.Itoa(p.ID)
	w.WriteString("<main id=\"content\">\n<div class=\"product\" data-product-id=\"" + id + "\">\n<div class=\"gallery\"><img class=\"main\" src=\"" +
		p.Image + "\" alt=\"")
	escape(w, p.Name)
	w.WriteString("\" width=\"600\" height=\"600\"></div>\n<div class=\"summary\">\n<h1 class=\"product-title\">")
	escape(w, p.Name)
	w.WriteString("</h1>\n<p class=\"brand\">Brand: <span class=\"brand-name\">")
	escape(w, p.Brand)
	w.WriteString("</span></p>\n<div class=\"rating\" data-rating=\"" + strconv.FormatFloat(p.Rating, 'f', 1, 64) +
		"\"><span class=\"stars\" aria-hidden=\"true\">" + stars(p.Rating) + "</span> <span class=\"rating-value\">" +
		strconv.FormatFloat(p.Rating, 'f', 1, 64) + "</span> out of 5 <a class=\"review-count\" href=\"#reviews\">(" + reviewsText(p.Reviews) +
		")</a></div>\n<p class=\"price-box\"><span class=\"price\" data-price=\"" + priceAttr(p.Price) + "\">" + formatPrice(p.Price) +
		"</span> <span class=\"currency\">" + p.Currency + "</span></p>\n")
	disabled := ""
	if p.InStock {
		w.WriteString("<p class=\"availability in-stock\">In stock</p>\n")
	} else {
		w.WriteString("<p class=\"availability out-of-stock\">Out of stock</p>\n")
		disabled = " disabled"
	}
	w.WriteString("<p class=\"sku-line\">SKU: <span class=\"sku\">" + p.SKU + "</span></p>\n<ul class=\"tags\">")
	for _, t := range p.Tags {
		w.WriteString("<li>")
		escape(w, t)
		w.WriteString("</li>")
	}
	w.WriteString("</ul>\n<form class=\"add-to-cart\" action=\"/cart\" method=\"post\"><input type=\"hidden\" name=\"id\" value=\"" + id +
		"\"><label>Quantity <input type=\"number\" name=\"qty\" value=\"1\" min=\"1\" max=\"10\"></label> <button type=\"submit\"" +
		disabled + ">Add to cart</button></form>\n</div>\n</div>\n")

	// The specifications, related products and footer follow the padded
	// sections; render them first to know how much padding is needed.
	tail := s.getBuf()
	defer s.putBuf(tail)
	r := rand.New(rand.NewPCG(uint64(s.cfg.Seed), uint64(p.ID)))
	tail.WriteString("<section class=\"specifications\">\n<h2>Specifications</h2>\n<table class=\"specs\">\n<tbody>\n<tr><th>Brand</th><td>")
	escape(tail, p.Brand)
	tail.WriteString("</td></tr>\n<tr><th>Model</th><td>")
	escape(tail, p.Name)
	tail.WriteString("</td></tr>\n<tr><th>SKU</th><td>" + p.SKU + "</td></tr>\n<tr><th>Category</th><td>")
	escape(tail, p.Category)
	tail.WriteString("</td></tr>\n")
	for _, sp := range c.Specs {
		tail.WriteString("<tr><th>" + sp.Label + "</th><td>" + sp.Values[r.IntN(len(sp.Values))] + "</td></tr>\n")
	}
	warranty := [...]string{"1 year", "2 years", "3 years"}[r.IntN(3)]
	tail.WriteString("<tr><th>Colour</th><td>" + colours[r.IntN(len(colours))] + "</td></tr>\n<tr><th>Warranty</th><td>" +
		warranty + "</td></tr>\n</tbody>\n</table>\n</section>\n")
	specsLen := tail.Len()
	s.related(tail, p, c, ps)
	s.foot(tail, "product")

	// Padding: reviews take up to 60% of what is missing, description
	// paragraphs the rest.
	const overhead = 200 // section headings and the review summary
	budget := s.cfg.PageBytes - w.Len() - tail.Len() - overhead - len(p.Description)
	var reviews []int
	reviewBytes := 0
	for reviewBytes < budget*6/10 && len(reviews) < p.Reviews {
		i := r.IntN(len(s.frags.reviews))
		reviews = append(reviews, i)
		reviewBytes += len(s.frags.reviews[i])
	}
	w.WriteString("<section class=\"description\">\n<h2>Description</h2>\n<p class=\"lead\">")
	escape(w, p.Description)
	w.WriteString("</p>\n")
	for n := 0; n < budget-reviewBytes; {
		para := s.frags.paragraphs[r.IntN(len(s.frags.paragraphs))]
		w.WriteString(para)
		n += len(para)
	}
	w.WriteString("</section>\n")
	w.Write(tail.Bytes()[:specsLen])
	w.WriteString("<section id=\"reviews\" class=\"reviews\">\n<h2>Customer reviews</h2>\n")
	if p.Reviews == 0 {
		w.WriteString("<p class=\"review-summary\">No reviews yet.</p>\n")
	} else {
		w.WriteString("<p class=\"review-summary\">Showing " + strconv.Itoa(len(reviews)) + " of " + reviewsText(p.Reviews) + "</p>\n")
	}
	for _, i := range reviews {
		w.WriteString(s.frags.reviews[i])
	}
	w.WriteString("</section>\n")
	w.Write(tail.Bytes()[specsLen:])
}

// related writes up to four other products of p's category (or of the shop,
// when the category has no other) and closes <main>.
func (s *Shop) related(w *bytes.Buffer, p *Product, c *category, ps []Product) {
	ids := c.ids
	if len(ids) < 2 {
		ids = nil
		for i := range ps {
			ids = append(ids, i+1)
			if len(ids) == 5 {
				break
			}
		}
	}
	w.WriteString("<section class=\"related\">\n<h2>Related products</h2>\n<div class=\"product-grid\">\n")
	// Start after p's position, wrapping around.
	start := 0
	for i, id := range ids {
		if id == p.ID {
			start = i + 1
		}
	}
	shown := 0
	for k := 0; k < len(ids) && shown < 4; k++ {
		id := ids[(start+k)%len(ids)]
		if id == p.ID {
			continue
		}
		card(w, &ps[id-1])
		shown++
	}
	w.WriteString("</div>\n</section>\n</main>\n")
}

// reviewsText returns "128 reviews", "1 review" or "0 reviews".
func reviewsText(n int) string {
	if n == 1 {
		return "1 review"
	}
	return strconv.Itoa(n) + " reviews"
}

// category returns the category with the given slug, or nil.
func (s *Shop) category(slug string) *category {
	for i := range s.categories {
		if s.categories[i].Slug == slug {
			return &s.categories[i]
		}
	}
	return nil
}

// listing describes one listing page.
type listing struct {
	title, heading, description string
	path                        string // page 1's path, e.g. "/products"
	page, pages                 int
	ids                         []int // the products of this page
	total, first                int   // product count of the whole listing, 1-based index of ids[0]
	crumbs                      []crumb
}

// pageURL returns the path of page n of the listing.
func (l *listing) pageURL(n int) string {
	if n == 1 {
		return l.path
	}
	return l.path + "?page=" + strconv.Itoa(n)
}

// renderListing writes a listing page with product cards and pagination.
func (s *Shop) renderListing(w *bytes.Buffer, l *listing, ps []Product, origin string) {
	var extra bytes.Buffer
	if l.page > 1 {
		extra.WriteString("<link rel=\"prev\" href=\"" + l.pageURL(l.page-1) + "\">\n")
	}
	if l.page < l.pages {
		extra.WriteString("<link rel=\"next\" href=\"" + l.pageURL(l.page+1) + "\">\n")
	}
	title := l.title
	if l.pages > 1 {
		title += " – page " + strconv.Itoa(l.page) + " of " + strconv.Itoa(l.pages)
	}
	s.head(w, title, l.description, origin+l.pageURL(l.page), extra.String(), "listing-page")
	crumbs(w, l.crumbs...)
	w.WriteString("<main id=\"content\">\n<h1>")
	escape(w, l.heading)
	w.WriteString("</h1>\n")
	if l.total == 0 {
		w.WriteString("<p class=\"result-count\">No products found.</p>\n")
	} else {
		w.WriteString("<p class=\"result-count\">Showing " + strconv.Itoa(l.first) + "–" + strconv.Itoa(l.first+len(l.ids)-1) +
			" of " + strconv.Itoa(l.total) + " products</p>\n")
	}
	w.WriteString("<div class=\"product-grid\">\n")
	for _, id := range l.ids {
		card(w, &ps[id-1])
	}
	w.WriteString("</div>\n")
	if l.pages > 1 {
		w.WriteString("<nav class=\"pagination\" aria-label=\"Pagination\">\n")
		if l.page > 1 {
			w.WriteString("<a rel=\"prev\" href=\"" + l.pageURL(l.page-1) + "\">&laquo; Previous</a>\n")
		}
		gap := false
		for n := 1; n <= l.pages; n++ {
			if n != 1 && n != l.pages && (n < l.page-2 || n > l.page+2) {
				if !gap {
					w.WriteString("<span class=\"gap\">&hellip;</span>\n")
				}
				gap = true
				continue
			}
			gap = false
			if n == l.page {
				w.WriteString("<span class=\"current\" aria-current=\"page\">" + strconv.Itoa(n) + "</span>\n")
			} else {
				w.WriteString("<a href=\"" + l.pageURL(n) + "\">" + strconv.Itoa(n) + "</a>\n")
			}
		}
		if l.page < l.pages {
			w.WriteString("<a rel=\"next\" href=\"" + l.pageURL(l.page+1) + "\">Next &raquo;</a>\n")
		}
		w.WriteString("</nav>\n")
	}
	w.WriteString("</main>\n")
	s.foot(w, "listing")
}

// renderHome writes the home page.
func (s *Shop) renderHome(w *bytes.Buffer, ps []Product, origin string) {
	s.head(w, "Home", "Laptops, cameras, coffee machines and more at the "+siteName+": free shipping over $50 and 30-day returns.",
		origin+"/", "<meta property=\"og:type\" content=\"website\">\n<meta property=\"og:title\" content=\""+siteName+"\">\n", "home-page")
	w.WriteString("<main id=\"content\">\n<section class=\"hero\">\n<h1>Welcome to the " + siteName + "</h1>\n" +
		"<p>Hand-picked products, honest prices and fast delivery. <a href=\"/products\">Browse all " + strconv.Itoa(len(ps)) +
		" products</a>.</p>\n</section>\n<section class=\"categories\">\n<h2>Shop by category</h2>\n<ul class=\"category-list\">\n")
	for _, c := range s.categories {
		w.WriteString("<li><a href=\"/category/" + c.Slug + "\">")
		escape(w, c.Name)
		w.WriteString("</a> <span class=\"count\">(" + strconv.Itoa(len(c.ids)) + ")</span></li>\n")
	}
	w.WriteString("</ul>\n</section>\n<section class=\"featured\">\n<h2>Featured products</h2>\n<div class=\"product-grid\">\n")
	for i := range min(8, len(ps)) {
		card(w, &ps[i])
	}
	w.WriteString("</div>\n</section>\n</main>\n")
	s.foot(w, "home")
}

// infoPage returns the title and body of the static page /info/{slug}.
func infoPage(slug string) (title, body string, ok bool) {
	switch slug {
	case "about":
		return "About us", "<p>The " + siteName + " has sold carefully chosen electronics, kitchen gear, bicycles and books since 2009.</p>\n" +
			"<p>We are a team of 40 people who test everything we sell.</p>\n", true
	case "shipping":
		return "Shipping", "<p>Orders over $50 ship free. Standard delivery takes 2&ndash;4 business days; express delivery arrives the next business day.</p>\n" +
			"<table class=\"specs\"><tr><th>Standard</th><td>$4.95</td></tr><tr><th>Express</th><td>$12.95</td></tr></table>\n", true
	case "returns":
		return "Returns & refunds", "<p>Return any product within 30 days for a full refund. Return shipping is free.</p>\n", true
	case "privacy":
		return "Privacy policy", "<p>We store only what we need to deliver your order and never sell your data.</p>\n", true
	case "contact":
		return "Contact us", "<p>Write to <a href=\"mailto:help@demo-shop.example\">help@demo-shop.example</a> or call " +
			"<a href=\"tel:+15550100\">+1 555 0100</a>, Monday to Friday, 9 am to 5 pm.</p>\n", true
	}
	return "", "", false
}

// renderInfo writes a static page.
func (s *Shop) renderInfo(w *bytes.Buffer, slug, title, body, origin string) {
	s.head(w, title, title+" at the "+siteName+".", origin+"/info/"+slug, "", "info-page")
	crumbs(w, crumb{"Home", "/"}, crumb{title, ""})
	w.WriteString("<main id=\"content\">\n<article>\n<h1>")
	escape(w, title)
	w.WriteString("</h1>\n" + body + "</article>\n</main>\n")
	s.foot(w, "info")
}

// renderCart writes the (always empty) cart page.
func (s *Shop) renderCart(w *bytes.Buffer, origin string) {
	s.head(w, "Your cart", "Your shopping cart.", origin+"/cart", "<meta name=\"robots\" content=\"noindex, nofollow\">\n", "cart-page")
	w.WriteString("<main id=\"content\">\n<h1>Your cart</h1>\n<p>Your cart is empty. <a href=\"/products\">Continue shopping</a>.</p>\n</main>\n")
	s.foot(w, "cart")
}

// renderNotFound writes the 404 page.
func (s *Shop) renderNotFound(w *bytes.Buffer, origin string) {
	s.head(w, "Page not found", "The page you asked for does not exist.", origin+"/", "<meta name=\"robots\" content=\"noindex\">\n", "error-page")
	w.WriteString("<main id=\"content\">\n<h1>Page not found</h1>\n<p>Sorry, we could not find that page. <a href=\"/\">Back to the home page</a>.</p>\n</main>\n")
	s.foot(w, "not_found")
}

// renderSitemap writes the sitemap: every product URL, absolute.
func (s *Shop) renderSitemap(w *bytes.Buffer, ps []Product, origin string) {
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for i := range ps {
		w.WriteString("<url><loc>")
		escape(w, origin+ps[i].URL)
		w.WriteString("</loc></url>\n")
	}
	w.WriteString("</urlset>\n")
}

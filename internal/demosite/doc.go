// Package demosite is a realistic, deterministic online shop served by an
// http.Handler, for the quickstart, tests and benchmarks of titan. It needs no
// network: serve it with httptest.NewServer.
//
// # Data
//
// New generates a catalogue from Config.Seed with a local math/rand/v2
// generator: products with names, brands, categories, prices (some above
// 1,000 so that thousands separators appear), stock, ratings, reviews and
// tags. Two shops with the same Config serve byte-identical pages. Shop.Product
// returns the ground truth that scrapers are checked against.
//
// SetEpoch moves the shop to another point in time: a deterministic subset of
// products changes price or stock, as a price monitor would see on a later
// visit. Epoch 0 is the initial catalogue.
//
// # Routes
//
//	/                          home: categories, featured products, link to /products
//	/products?page=N           listing, Config.PerPage product cards per page, rel=next/prev
//	/category/{slug}?page=N    listing of one category
//	/product/{id}-{slug}       product page (a wrong or missing slug redirects, 301)
//	/img/{id}.jpg              a tiny JPEG, its colour depending on the product
//	/info/{about,shipping,returns,privacy,contact}
//	/cart                      disallowed by the default robots.txt
//	/sitemap.xml               every product URL, absolute
//	/robots.txt                Config.Robots
//
// Any other path is a 404 page; a method other than GET or HEAD is a 405. Page
// 1 of a listing is the bare path; ?page=1 serves it too. All links stay on the
// shop's own host (plus mailto: and tel: links), so a crawl never leaves it.
//
// # Markup
//
// Pages carry what real shops carry, so parsers do real work: a header with
// navigation and a search form, breadcrumbs, inline <style> and <script>
// blocks, Open Graph tags, a canonical link, JSON-LD Product and
// BreadcrumbList blocks, a specifications table, reviews, related products and
// a footer. Product pages are padded with description paragraphs and reviews
// to about Config.PageBytes. Product names may hold "&" (brand "Hart & Vale"),
// so extractors must decode entities.
//
// Where the data is, as CSS selectors:
//
//	product page   h1.product-title, .price-box span.price (text "$1,234.50",
//	               data-price="1234.50"), span.sku, p.availability ("In stock"
//	               or "Out of stock"), .rating .rating-value, .rating .review-count
//	               ("(128 reviews)", "(1 review)"), img.main@src, ul.tags li,
//	               .brand-name, meta description, link canonical, og:title,
//	               og:image, og:price:amount, og:price:currency, JSON-LD Product
//	listing        div.product-card[data-product-id], .product-card .name (also
//	               a.product-link, to the product), span.price, img@src, .stock;
//	               a[rel=next], a[rel=prev], and link[rel=next], link[rel=prev]
//	               in <head>
//
// The related products at the end of a product page are product cards too,
// with their own span.price: the product's price is the first span.price of
// the page.
//
// # Performance
//
// Pages are rendered on each request from pre-rendered fragments into pooled
// buffers, without caching whole pages, so memory stays flat however many
// products a benchmark asks for; BenchmarkServeProduct measures it.
package demosite

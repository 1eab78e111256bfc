package crawl_test

import (
	"fmt"
	"strings"

	"github.com/titanscrape/titan/internal/crawl"
)

func ExampleParseSitemap() {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://example.com/ </loc><lastmod>2024-05-01</lastmod></url>
  <url><loc>https://example.com/products?id=1&amp;color=red</loc></url>
  <url><loc>/relative/page</loc></url>
</urlset>`
	sm, err := crawl.ParseSitemap(strings.NewReader(doc), 10<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("index:", sm.IsIndex)
	for _, e := range sm.Entries {
		fmt.Printf("page %s lastmod=%q\n", e.Loc, e.LastMod)
	}
	for _, s := range sm.Skipped {
		fmt.Printf("skipped %s (line %d): %s\n", s.Loc, s.Line, s.Reason)
	}

	_, err = crawl.ParseSitemap(strings.NewReader("<html><body>Not found</body></html>"), 0)
	fmt.Println(err)
	// Output:
	// index: false
	// page https://example.com/ lastmod="2024-05-01"
	// page https://example.com/products?id=1&color=red lastmod=""
	// skipped /relative/page (line 5): not an absolute http(s) URL
	// crawl: sitemap: line 1, column 7: crawl: not a sitemap: root element <html>, want <urlset> or <sitemapindex>
}

func ExampleSitemapsFromRobots() {
	robots := []byte(`User-agent: *
Disallow: /admin/
Sitemap: https://example.com/sitemap_index.xml
sitemap: https://example.com/news.xml.gz # news
`)
	for _, s := range crawl.SitemapsFromRobots(robots) {
		fmt.Println(s)
	}
	// Output:
	// https://example.com/sitemap_index.xml
	// https://example.com/news.xml.gz
}

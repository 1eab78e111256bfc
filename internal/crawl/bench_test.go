package crawl

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// benchURLs are links as a crawler meets them: most already normal, some not.
var benchURLs = []struct{ name, raw string }{
	{"normal", "https://example.com/products/12?color=red&size=m"},
	{"messy", "HTTPS://Example.COM:443/a/./b/../products/%7e12?size=m&utm_source=news&color=red#reviews"},
	{"unicode", "https://bücher.example/café/menü?q=é"},
}

func BenchmarkNormalize(b *testing.B) {
	opts := DefaultNormalizeOptions()
	for _, bu := range benchURLs {
		u := mustParse(b, bu.raw)
		b.Run(bu.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Normalize(u, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkKey(b *testing.B) {
	for _, bu := range benchURLs {
		u := mustParse(b, bu.raw)
		b.Run(bu.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Key(u)
			}
		})
	}
}

func BenchmarkScopeAllow(b *testing.B) {
	seeds := []*url.URL{mustParse(b, "https://www.example.co.uk/")}
	u := mustParse(b, "https://shop.example.co.uk/products/12?color=red")
	for _, cfg := range []ScopeConfig{
		{Kind: ScopeSameHost},
		{Kind: ScopeSameDomain},
		{Kind: ScopeSubdomains},
		{Kind: ScopeSameDomain, IncludePaths: []string{`^/products/`}, ExcludePaths: []string{`[?&]sort=`, `\.pdf$`}},
	} {
		s, err := NewScope(seeds, cfg)
		if err != nil {
			b.Fatal(err)
		}
		name := string(cfg.Kind)
		if len(cfg.IncludePaths) > 0 {
			name += "+patterns"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Allow(u)
			}
		})
	}
}

func BenchmarkParseSitemap(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range 10000 {
		fmt.Fprintf(&doc, "<url><loc>https://example.com/products/%d</loc><lastmod>2024-05-01</lastmod></url>\n", i)
	}
	doc.WriteString("</urlset>")
	data := []byte(doc.String())
	b.Run("10k-urls", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseSitemap(bytes.NewReader(data), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	gz := gzipBytes(b, data)
	b.Run("10k-urls-gzip", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseSitemap(bytes.NewReader(gz), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package page

import (
	"strings"
	"testing"
)

// benchPage is a ~60 KB page: the product page with its main content repeated.
func benchPage(b *testing.B) string {
	b.Helper()
	head, body, ok := strings.Cut(shopPage, "<main>")
	if !ok {
		b.Fatal("shopPage has no <main>")
	}
	main, tail, _ := strings.Cut(body, "</main>")
	return head + "<main>" + strings.Repeat(main, 40) + "</main>" + tail
}

func BenchmarkText(b *testing.B) {
	doc := parse(b, benchPage(b))
	b.ReportAllocs()
	for b.Loop() {
		Text(doc)
	}
}

func BenchmarkLinks(b *testing.B) {
	doc := parse(b, benchPage(b))
	u := mustURL(b, "https://shop.example/product/42")
	b.ReportAllocs()
	for b.Loop() {
		Links(doc, u)
	}
}

func BenchmarkExtractMetadata(b *testing.B) {
	doc := parse(b, benchPage(b))
	u := mustURL(b, "https://shop.example/product/42")
	b.ReportAllocs()
	for b.Loop() {
		ExtractMetadata(doc, u)
	}
}

func BenchmarkMarkdown(b *testing.B) {
	doc := parse(b, benchPage(b))
	u := mustURL(b, "https://shop.example/product/42")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Markdown(doc, u); err != nil {
			b.Fatal(err)
		}
	}
}

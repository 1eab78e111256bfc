package crawl_test

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/titanscrape/titan/internal/crawl"
)

func ExampleNormalize() {
	for _, raw := range []string{
		"HTTP://Example.COM:80/a/../b?b=2&a=1#x",
		"https://Bücher.example./caf%c3%a9/%7Euser/?utm_source=news&id=7",
		"http://[0:0::1]:8080",
		"ftp://example.com/file",
	} {
		u, _ := url.Parse(raw)
		n, err := crawl.Normalize(u, crawl.DefaultNormalizeOptions())
		if errors.Is(err, crawl.ErrUnsupportedScheme) {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(n)
	}

	// Own parameters to drop, and keep the query order.
	u, _ := url.Parse("https://example.com/list?sid=42&page=2&ref_a=1&ref_b=2")
	n, _ := crawl.Normalize(u, crawl.NormalizeOptions{StripTracking: true, StripParams: []string{"sid", "ref_*"}})
	fmt.Println(n)
	// Output:
	// http://example.com/b?a=1&b=2
	// https://xn--bcher-kva.example/caf%C3%A9/~user/?id=7
	// http://[::1]:8080/
	// error: crawl: unsupported URL scheme: "ftp://example.com/file"
	// https://example.com/list?page=2
}

func ExampleKey() {
	seen := map[string]bool{}
	for _, raw := range []string{
		"https://example.com/products?id=1&color=red",
		"https://EXAMPLE.com:443/products?color=red&id=1#reviews",
		"https://example.com/./products?color=red&id=1&gclid=abc",
		"https://example.com/products?color=blue&id=1",
	} {
		u, _ := url.Parse(raw)
		k := crawl.Key(u)
		fmt.Println(!seen[k], k)
		seen[k] = true
	}
	// Output:
	// true https://example.com/products?color=red&id=1
	// false https://example.com/products?color=red&id=1
	// false https://example.com/products?color=red&id=1
	// true https://example.com/products?color=blue&id=1
}

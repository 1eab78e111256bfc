package crawl_test

import (
	"fmt"
	"net/url"

	"github.com/titanscrape/titan/internal/crawl"
)

func ExampleNewScope() {
	seed, _ := url.Parse("https://www.example.co.uk/shop/")
	scope, err := crawl.NewScope([]*url.URL{seed}, crawl.ScopeConfig{
		Kind:         crawl.ScopeSameDomain,
		IncludePaths: []string{`^/shop/`, `^/products/\d+$`},
		ExcludePaths: []string{`[?&]sort=`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rejected := map[string]int{}
	for _, raw := range []string{
		"https://www.example.co.uk/shop/shoes",
		"http://blog.example.co.uk/products/12",
		"https://www.example.co.uk/shop/shoes?page=2&sort=price",
		"https://www.example.co.uk/about",
		"https://other.co.uk/shop/",
		"mailto:sales@example.co.uk",
	} {
		u, _ := url.Parse(raw)
		if n, err := crawl.Normalize(u, crawl.DefaultNormalizeOptions()); err == nil {
			u = n
		}
		ok, reason := scope.Allow(u)
		if ok {
			fmt.Println("follow", raw)
			continue
		}
		fmt.Println("reject", raw, "-", reason)
		rejected[reason]++
	}
	fmt.Println(len(rejected), "reasons")

	_, err = crawl.NewScope([]*url.URL{seed}, crawl.ScopeConfig{IncludePaths: []string{`^/a`, `(`}})
	fmt.Println(err)
	// Output:
	// follow https://www.example.co.uk/shop/shoes
	// follow http://blog.example.co.uk/products/12
	// reject https://www.example.co.uk/shop/shoes?page=2&sort=price - excluded by exclude_paths[0]
	// reject https://www.example.co.uk/about - not matched by include_paths
	// reject https://other.co.uk/shop/ - out of scope (same_domain)
	// reject mailto:sales@example.co.uk - unsupported scheme
	// 4 reasons
	// include_paths[1]: error parsing regexp: missing closing ): `(`
}

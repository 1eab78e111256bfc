package demosite_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/titanscrape/titan/internal/demosite"
)

func Example() {
	shop := demosite.New(demosite.Config{Products: 20})
	srv := httptest.NewServer(shop.Handler())
	defer srv.Close()

	p := shop.Product(6) // the ground truth to check a scraper against
	resp, err := http.Get(srv.URL + p.URL)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	fmt.Println(resp.StatusCode, p.SKU, p.Name, p.Price, p.InStock, len(body) > 45_000)
	fmt.Println(shop.RequestsFor(p.URL), shop.Requests())
	// Output:
	// 200 SKU-00006 Fjell Neo Curved Monitor S86 1238.99 true true
	// 1 1
}

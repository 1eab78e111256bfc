package titantest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// A Site is an http.RoundTripper, so any runner can fetch from it. In tests, use
// titantest.NewRunner(t, site, nil) instead.
func ExampleSite() {
	site := titantest.NewSite(map[string]string{
		"https://shop.test/lamp": `<h1>Arc lamp</h1><p class="price">€89,90</p>`,
	})
	r, err := runner.New(runner.Config{HTTPClient: &http.Client{Transport: site}})
	if err != nil {
		panic(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name: "lamp",
		URLs: []string{"https://shop.test/lamp", "https://shop.test/gone"},
		OutputSchema: json.RawMessage(`{"type":"object","properties":{
			"name":{"type":"string","x-selector":"h1"},
			"price":{"type":"number","x-selector":".price"}}}`),
	})
	for _, rec := range res.Records {
		fmt.Println(rec.URL, rec.Data["name"], rec.Data["price"])
	}
	for _, e := range res.Errors {
		fmt.Println(e.URL, e.Class)
	}
	// Output:
	// https://shop.test/lamp Arc lamp 89.9
	// https://shop.test/gone http
}

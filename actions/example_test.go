package actions_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/actions"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// Without an output schema, a scrape returns the page formats asked for.
func ExampleScrape() {
	site := titantest.NewSite(map[string]string{
		"https://blog.test/post": `<html lang="en"><head><title>Hello</title>
<meta name="description" content="A first post."></head>
<body><h1>Hello</h1><p>See <a href="/about">about</a> or <a href="mailto:me@blog.test">mail</a>.</p></body></html>`,
	})
	r, err := runner.New(runner.Config{HTTPClient: &http.Client{Transport: site}})
	if err != nil {
		panic(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name:   "post",
		URLs:   []string{"https://blog.test/post"},
		Params: map[string]any{"formats": []string{actions.FormatMarkdown, actions.FormatLinks, actions.FormatMetadata}},
	})
	p := res.Records[0].Page
	fmt.Println(p.Metadata.Title, "|", p.Metadata.Description, "|", p.Metadata.Language)
	fmt.Println(p.Links[0].URL, p.LinksSkipped)
	fmt.Println(p.Markdown)
	// Output:
	// Hello | A first post. | en
	// https://blog.test/about 1
	// # Hello
	//
	// See [about](https://blog.test/about) or [mail](mailto:me@blog.test).
}

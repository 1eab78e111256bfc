// Package page extracts the page formats of the scrape action from an HTML
// document that the caller has parsed once with golang.org/x/net/html: readable
// text, Markdown, hyperlinks and the metadata a page declares about itself.
//
// # Parsing once
//
// Every function takes the *html.Node returned by html.Parse and never parses
// again. Text, Links, ExtractMetadata and BaseURL each walk the tree once,
// iteratively (no recursion, so hostile nesting depth cannot exhaust the stack),
// and none of them modifies the tree. Markdown works on a private copy of the
// tree because the converter rewrites the nodes it is given. All functions are
// therefore safe to call concurrently on the same document.
//
// # URLs
//
// Functions that return URLs take the URL the page was fetched from and honour
// the page's <base href> (see BaseURL), so relative references are resolved the
// way a browser resolves them. A nil page URL is allowed: relative references
// then cannot be resolved and are treated as unresolvable.
//
// # Nothing dropped silently
//
// Links that cannot be fetched over HTTP are counted in the second result of
// Links, and metadata that cannot be used (an invalid JSON-LD block, a canonical
// URL that cannot be resolved) is reported in Metadata.Problems.
//
// # Hostile input
//
// No function panics on any tree produced by html.Parse; FuzzPage checks this.
package page

package page

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzPage runs all page functions on fuzzed HTML: none may panic, modify the
// document, or break the invariants of its output.
func FuzzPage(f *testing.F) {
	for _, seed := range []string{
		"",
		shopPage,
		article,
		`<base href="//x"><a href="../a">a</a><a href="javascript:x">j</a><a href="#f">f</a>`,
		`<pre>a\n\n\nb</pre><table><tr><td>c<td>d</table><svg><a href="/s"><title>t</title></a></svg>`,
		`<script type="application/ld+json">{"a":[1,{"b":null}]}</script><script type="application/ld+json">[</script>`,
		`<link rel=canonical href="http://[::1"><meta property="og:x" content=y><html lang=de>`,
		`<template><a href=/t>t</a></template><p><a href=/1>1<div>2</div></a></span></p></div>`,
		"<ul><li>a<ol><li>b<table><tr><th>h</th></tr><tr><td><pre>x</pre></td></tr></table></ol></ul>",
	} {
		f.Add(seed)
	}
	pageURL, err := url.Parse("https://site.example/dir/page?x=1")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			return // html.Parse rejects some inputs, e.g. too deep nesting
		}
		var before strings.Builder
		renderErr := html.Render(&before, doc)

		text := Text(doc)
		if strings.TrimSpace(text) != text || strings.Contains(text, "\n\n\n") {
			t.Errorf("Text() = %q: not trimmed or more than one blank line in a row", text)
		}
		links, skipped := Links(doc, pageURL)
		if skipped < 0 {
			t.Errorf("skipped = %d", skipped)
		}
		seen := make(map[string]bool)
		for _, l := range links {
			u, err := url.Parse(l.URL)
			if err != nil || !isHTTP(u) || u.Fragment != "" || seen[l.URL] {
				t.Errorf("Links() returned %q: not a unique absolute http URL without fragment", l.URL)
			}
			seen[l.URL] = true
		}
		md := ExtractMetadata(doc, pageURL)
		if md.Canonical != "" {
			if u, err := url.Parse(md.Canonical); err != nil || !isHTTP(u) {
				t.Errorf("Canonical = %q: not an absolute http URL", md.Canonical)
			}
		}
		if BaseURL(doc, pageURL) == nil {
			t.Errorf("BaseURL() = nil for a non-nil page URL")
		}
		BaseURL(doc, nil)
		Links(doc, nil)
		ExtractMetadata(doc, nil)
		if _, err := Markdown(doc, pageURL); err != nil {
			t.Errorf("Markdown: %v", err)
		}

		var after strings.Builder
		if renderErr == nil && (html.Render(&after, doc) != nil || after.String() != before.String()) {
			t.Errorf("the document was modified")
		}
	})
}

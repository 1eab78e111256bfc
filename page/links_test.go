package page

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLinks(t *testing.T) {
	const pageURL = "https://shop.example/dir/page.html?x=1"
	tests := []struct {
		name        string
		src         string
		pageURL     string
		want        []Link
		wantSkipped int
	}{
		{
			name:    "relative and odd references",
			pageURL: pageURL,
			src: `<a href="../a">up</a><a href="//cdn.example/x">scheme-relative</a>` +
				`<a href="?q=1">query</a><a href="#frag">fragment only</a><a href="b#sec">with fragment</a>` +
				`<a href="">empty</a><a href="  /spaced  ">spaced</a><a href="/tab` + "\t\n" + `bed">tabbed</a>` +
				`<a href="javascript:void(0)">js</a><a href="mailto:help@shop.example">mail</a>` +
				`<a href="tel:+15550100">tel</a><a href="data:text/html,hi">data</a><a href="ftp://ftp.example/f">ftp</a>` +
				`<a href="http://[::1">bad host</a><a href="HTTPS://Other.Example/Path">upper</a><a name="anchor">no href</a>`,
			want: []Link{
				{URL: "https://shop.example/a", Text: "up"},
				{URL: "https://cdn.example/x", Text: "scheme-relative"},
				{URL: "https://shop.example/dir/page.html?q=1", Text: "query"},
				{URL: "https://shop.example/dir/b", Text: "with fragment"},
				{URL: "https://shop.example/spaced", Text: "spaced"},
				{URL: "https://shop.example/tabbed", Text: "tabbed"},
				{URL: "https://Other.Example/Path", Text: "upper"},
			},
			// #frag, "", javascript:, mailto:, tel:, data:, ftp:, bad host.
			wantSkipped: 8,
		},
		{
			name:    "base href is honoured wherever it is",
			pageURL: pageURL,
			src:     `<a href="p1">one</a><base href="https://cdn.example/assets/"><base href="/ignored/"><a href="p2">two</a>`,
			want: []Link{
				{URL: "https://cdn.example/assets/p1", Text: "one"},
				{URL: "https://cdn.example/assets/p2", Text: "two"},
			},
		},
		{
			name:    "relative base href resolves against the page",
			pageURL: pageURL,
			src:     `<head><base href="/blog/"></head><a href="post">post</a>`,
			want:    []Link{{URL: "https://shop.example/blog/post", Text: "post"}},
		},
		{
			name:    "deduplicated by URL, first text and rel win",
			pageURL: pageURL,
			src:     `<a href="/x#a" rel="nofollow">first</a><a href="/x#b">second</a><a href="https://shop.example/x">third</a>`,
			want:    []Link{{URL: "https://shop.example/x", Text: "first", Rel: "nofollow", NoFollow: true}},
		},
		{
			name:    "rel is normalised",
			pageURL: pageURL,
			src:     `<a href="/s" rel=" Sponsored   NOFOLLOW ">ad</a><a href="/n" rel="noopener">n</a><a href="/f" rel="nofollowing">f</a>`,
			want: []Link{
				{URL: "https://shop.example/s", Text: "ad", Rel: "sponsored nofollow", NoFollow: true},
				{URL: "https://shop.example/n", Text: "n", Rel: "noopener"},
				{URL: "https://shop.example/f", Text: "f", Rel: "nofollowing"},
			},
		},
		{
			name:    "text fallbacks",
			pageURL: pageURL,
			src: `<a href="/1" aria-label="Label" title="Title"><img alt="Alt"></a>` +
				`<a href="/2" title="Title"><img src="x.png"><img alt=" Alt  two "></a>` +
				`<a href="/3" title=" Only   title "></a>` +
				`<a href="/4" aria-label="Label">  Visible <b>text</b> </a>` +
				`<a href="/5"><script>x()</script><style>a{}</style></a>` +
				`<map><area href="/6" alt="Region"></map>`,
			want: []Link{
				{URL: "https://shop.example/1", Text: "Label"},
				{URL: "https://shop.example/2", Text: "Alt two"},
				{URL: "https://shop.example/3", Text: "Only title"},
				{URL: "https://shop.example/4", Text: "Visible text"},
				{URL: "https://shop.example/5", Text: ""},
				{URL: "https://shop.example/6", Text: "Region"},
			},
		},
		{
			// The parser closes the <p> at <div> and reopens the <a> inside the
			// div, so "block" belongs to a second link to /one.
			name:    "malformed markup",
			pageURL: pageURL,
			src:     `<p><a href="/one">one <div>block</div></a></span><a href="/two">two<a href="/three">three</a></p></a>`,
			want: []Link{
				{URL: "https://shop.example/one", Text: "one"},
				{URL: "https://shop.example/two", Text: "two"},
				{URL: "https://shop.example/three", Text: "three"},
			},
		},
		{
			name:    "links in templates and svg are not hyperlinks of the page",
			pageURL: pageURL,
			src:     `<template><a href="/tpl">tpl</a></template><svg><a href="/svg"><text>svg</text></a></svg><a href="/real">real</a>`,
			want:    []Link{{URL: "https://shop.example/real", Text: "real"}},
		},
		{
			name:        "nil page URL keeps only absolute links",
			src:         `<a href="/rel">rel</a><a href="https://abs.example/">abs</a>`,
			want:        []Link{{URL: "https://abs.example/", Text: "abs"}},
			wantSkipped: 1,
		},
		{
			name: "nil page URL with an absolute base",
			src:  `<base href="https://base.example/d/"><a href="rel">rel</a>`,
			want: []Link{{URL: "https://base.example/d/rel", Text: "rel"}},
		},
		{
			name:    "no links",
			pageURL: pageURL,
			src:     `<p>nothing</p>`,
		},
		{
			name:    "realistic product page",
			pageURL: "https://shop.example/product/42-nordwind-probook-14",
			src:     shopPage,
			want: []Link{
				{URL: "https://shop.example/", Text: "Demo Shop"},
				{URL: "https://shop.example/category/laptops", Text: "Laptops"},
				{URL: "https://shop.example/category/cameras", Text: "Cameras"},
				{URL: "https://shop.example/cart", Text: "Cart (0)", Rel: "nofollow", NoFollow: true},
			},
			wantSkipped: 2, // mailto: and tel:
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parse(t, tt.src)
			before := render(t, doc)
			got, skipped := Links(doc, mustURL(t, tt.pageURL))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Links() =\n%#v\nwant\n%#v", got, tt.want)
			}
			if skipped != tt.wantSkipped {
				t.Errorf("skipped = %d, want %d", skipped, tt.wantSkipped)
			}
			if after := render(t, doc); after != before {
				t.Errorf("Links modified the document")
			}
		})
	}
}

func TestLinksNil(t *testing.T) {
	links, skipped := Links(nil, nil)
	if links != nil || skipped != 0 {
		t.Errorf("Links(nil, nil) = %v, %d; want nil, 0", links, skipped)
	}
}

func TestHrefsMatchesLinks(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<html><head><base href="/docs/"></head><body>
<a href="a">A</a><a href="../b#frag" rel="NoFollow ugc">B</a><a href="a">again</a>
<a href="javascript:void(0)">js</a><a href="#top">top</a><a>no href</a>
<template><a href="/hidden">hidden</a></template><area href="//cdn.test/x" alt="x"></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	pageURL, _ := url.Parse("https://site.test/page")
	var got []string
	skipped := Hrefs(doc, BaseURL(doc, pageURL), func(u *url.URL, nofollow bool) {
		got = append(got, fmt.Sprintf("%s %v", u, nofollow))
	})
	want := []string{"https://site.test/docs/a false", "https://site.test/b true", "https://site.test/docs/a false", "https://cdn.test/x false"}
	if !reflect.DeepEqual(got, want) || skipped != 2 {
		t.Fatalf("got %v, skipped %d", got, skipped)
	}
	links, lskipped := Links(doc, pageURL)
	if len(links) != 3 || lskipped != skipped {
		t.Fatalf("Links: %d links, %d skipped", len(links), lskipped)
	}
}

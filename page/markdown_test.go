package page

import (
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const article = `<!DOCTYPE html>
<html><head><title>Brewing guide</title><style>h1{}</style><script>var x = "<b>no</b>";</script></head>
<body>
<nav><a href="/">Home</a></nav>
<article>
<h1>How to brew <em>better</em> coffee</h1>
<p>Start with <strong>fresh</strong> beans and a <a href="../tools/grinder?model=2#specs">burr grinder</a>.</p>
<h2>You need</h2>
<ul><li>Beans<li>Water at 94&nbsp;°C</li></ul>
<ol><li>Grind</li><li>Pour</li></ol>
<blockquote>Coffee is a language in itself.</blockquote>
<p><img src="img/cup.jpg" alt="A cup"> <code>ratio = 1:16</code></p>
<pre><code class="language-sh">brew --ratio 16
</code></pre>
<table><thead><tr><th>Grind</th><th>Time</th></tr></thead><tbody><tr><td>Fine</td><td>2 min</td></tr></tbody></table>
<p>Prices: <del>$20</del> $15</p>
</article>
</body></html>`

func TestMarkdown(t *testing.T) {
	doc := parse(t, article)
	before := render(t, doc)
	got, err := Markdown(doc, mustURL(t, "https://blog.example/guides/brew.html"))
	if err != nil {
		t.Fatalf("Markdown: %v", err)
	}
	want := "[Home](https://blog.example/)\n" +
		"\n" +
		"# How to brew *better* coffee\n" +
		"\n" +
		"Start with **fresh** beans and a [burr grinder](https://blog.example/tools/grinder?model=2#specs).\n" +
		"\n" +
		"## You need\n" +
		"\n" +
		"- Beans\n" +
		"- Water at 94\u00a0°C\n" +
		"\n" +
		"<!--THE END-->\n" + // keeps the two adjacent lists apart
		"\n" +
		"1. Grind\n" +
		"2. Pour\n" +
		"\n" +
		"> Coffee is a language in itself.\n" +
		"\n" +
		"![A cup](https://blog.example/guides/img/cup.jpg) `ratio = 1:16`\n" +
		"\n" +
		"```sh\n" +
		"brew --ratio 16\n" +
		"```\n" +
		"\n" +
		"| Grind | Time  |\n" +
		"|-------|-------|\n" +
		"| Fine  | 2 min |\n" +
		"\n" +
		"Prices: ~~$20~~ $15"
	if got != want {
		t.Errorf("Markdown() =\n%s\nwant\n%s\n(quoted: %q)", got, want, got)
	}
	if after := render(t, doc); after != before {
		t.Errorf("Markdown modified the document")
	}
}

func TestMarkdownURLs(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		pageURL string
		want    string
	}{
		{
			name:    "base href",
			src:     `<base href="https://cdn.example/a/"><p><a href="b">link</a> <img src="c.png" alt="img"></p>`,
			pageURL: "https://site.example/x",
			want:    "[link](https://cdn.example/a/b) ![img](https://cdn.example/a/c.png)",
		},
		{
			name:    "scheme-relative and query",
			src:     `<a href="//other.example/p">o</a> <a href="?page=2">q</a>`,
			pageURL: "https://site.example/list?page=1",
			want:    "[o](https://other.example/p) [q](https://site.example/list?page=2)",
		},
		{
			name: "nil page URL keeps relative links",
			src:  `<a href="/rel">r</a>`,
			want: "[r](/rel)",
		},
		{
			name: "empty document",
			src:  ``,
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Markdown(parse(t, tt.src), mustURL(t, tt.pageURL))
			if err != nil {
				t.Fatalf("Markdown: %v", err)
			}
			if got != tt.want {
				t.Errorf("Markdown() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarkdownNil(t *testing.T) {
	got, err := Markdown(nil, nil)
	if got != "" || err != nil {
		t.Errorf("Markdown(nil, nil) = %q, %v; want \"\", nil", got, err)
	}
}

// TestMarkdownDeepNesting checks that a tree nested deeper than html.Parse
// allows (a caller may build one by hand) neither exhausts the converter's
// stack nor loses text: content below the depth limit is kept in order.
func TestMarkdownDeepNesting(t *testing.T) {
	doc := &html.Node{Type: html.DocumentNode}
	parent := doc
	for range 20_000 {
		div := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
		parent.AppendChild(div)
		parent = div
	}
	parent.AppendChild(&html.Node{Type: html.TextNode, Data: "deep "})
	b := &html.Node{Type: html.ElementNode, DataAtom: atom.B, Data: "b"}
	b.AppendChild(&html.Node{Type: html.TextNode, Data: "text"})
	parent.AppendChild(b)
	p := &html.Node{Type: html.ElementNode, DataAtom: atom.P, Data: "p"}
	p.AppendChild(&html.Node{Type: html.TextNode, Data: "after"})
	doc.AppendChild(p)

	got, err := Markdown(doc, nil)
	if err != nil {
		t.Fatalf("Markdown: %v", err)
	}
	// Below the limit the <b> is flattened too: its text stays, its emphasis goes.
	if want := "deep text\n\nafter"; got != want {
		t.Errorf("Markdown() = %q, want %q", got, want)
	}
	if got, want := Text(doc), "deep text\n\nafter"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

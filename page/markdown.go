package page

import (
	"fmt"
	"net/url"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxMarkdownDepth bounds the nesting depth of the tree handed to the
// converter, which recurses once per level. Like Blink's HTML parser (which
// caps the DOM depth at 512), deeper elements are attached to their ancestor at
// the limit instead, keeping all content in document order.
const maxMarkdownDepth = 512

// Markdown converts the whole document to Markdown with html-to-markdown v2
// and its base, commonmark, table and strikethrough plugins (GitHub-flavoured
// tables and ~~strikethrough~~). The converter drops head, script, style,
// noscript, iframe, form inputs and comments. Relative link and image URLs are
// made absolute against the page's base URL (see BaseURL, so <base href> is
// honoured); with a nil pageURL and no absolute <base href> they stay relative.
//
// Markdown does not modify doc: the converter rewrites the tree it is given,
// so it works on a copy. html.Parse never nests deeper than 512 elements; in a
// tree built otherwise, nodes nested deeper than 512 levels are converted as
// children of their ancestor at that depth (their text is kept, the formatting
// of elements below the limit is not).
func Markdown(doc *html.Node, pageURL *url.URL) (string, error) {
	if doc == nil {
		return "", nil
	}
	cp, baseRef, hasBase := copyTree(doc, maxMarkdownDepth)
	b := pageURL
	if hasBase {
		b = resolveBase(pageURL, baseRef)
	}
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
	var opts []converter.ConvertOptionFunc
	if b != nil {
		opts = append(opts, converter.WithDomain(b.String()))
	}
	out, err := conv.ConvertNode(cp, opts...)
	if err != nil {
		return "", fmt.Errorf("page: convert to markdown: %w", err)
	}
	return string(out), nil
}

// copyTree returns a deep copy of the tree rooted at root in which nodes deeper
// than maxDepth are attached to their ancestor at maxDepth, and the href of the
// first <base> element that has one. Its walk is iterative, so the depth of
// the original tree does not matter.
func copyTree(root *html.Node, maxDepth int) (cp *html.Node, baseRef string, hasBase bool) {
	// parents[i] is the copy that receives the children of the original node
	// at depth i; beyond maxDepth it repeats the copy at maxDepth.
	var parents []*html.Node
	walk(root, func(n *html.Node) bool {
		c := &html.Node{
			Type:      n.Type,
			DataAtom:  n.DataAtom,
			Data:      n.Data,
			Namespace: n.Namespace,
			Attr:      append([]html.Attribute(nil), n.Attr...),
		}
		if !hasBase && isHTML(n) && n.DataAtom == atom.Base {
			baseRef, hasBase = attr(n, "href")
		}
		if len(parents) == 0 {
			cp = c
			parents = append(parents, c)
			return true
		}
		parent := parents[len(parents)-1]
		parent.AppendChild(c)
		if len(parents) <= maxDepth {
			parent = c
		}
		parents = append(parents, parent)
		return true
	}, func(*html.Node) {
		parents = parents[:len(parents)-1]
	})
	return cp, baseRef, hasBase
}

package page

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// walk visits the subtree rooted at root in document order. enter is called
// when a node is reached; when it returns true the node's children are visited
// and leave (if non-nil) is called after them. The walk follows the tree's own
// pointers, so it needs no recursion and no allocation whatever the depth.
func walk(root *html.Node, enter func(*html.Node) bool, leave func(*html.Node)) {
	if root == nil {
		return
	}
	n := root
	for {
		descend := enter(n)
		if descend && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		if descend && leave != nil {
			leave(n)
		}
		for {
			if n == root {
				return
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
			if n == nil {
				return // root was not an ancestor: a detached subtree
			}
			if leave != nil {
				leave(n)
			}
		}
	}
}

// attr returns the value of the first attribute named key (in no namespace)
// and whether it is present.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// isHTML reports whether n is an element in the HTML namespace (not SVG or
// MathML, whose <title>, <a> or <script> elements mean something else).
func isHTML(n *html.Node) bool {
	return n.Type == html.ElementNode && n.Namespace == ""
}

// hasToken reports whether the space-separated list s holds tok, ignoring
// ASCII case (as rel attribute values are compared).
func hasToken(s, tok string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// collapser joins text pieces into one line: every run of white space becomes
// one space and the result carries no leading or trailing space.
type collapser struct {
	b     strings.Builder
	space bool // white space seen since the last word
}

func (c *collapser) write(s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) {
			c.space = true
			s = s[size:]
			continue
		}
		end := wordEnd(s)
		if c.space && c.b.Len() > 0 {
			c.b.WriteByte(' ')
		}
		c.space = false
		c.b.WriteString(s[:end])
		s = s[end:]
	}
}

func (c *collapser) String() string { return c.b.String() }

// wordEnd returns the length of the prefix of s that holds no white space.
func wordEnd(s string) int {
	for i, r := range s {
		if unicode.IsSpace(r) {
			return i
		}
	}
	return len(s)
}

// collapse returns s with runs of white space replaced by one space, trimmed.
func collapse(s string) string {
	var c collapser
	c.write(s)
	return c.String()
}

// resolve resolves the attribute value raw against base the way a browser
// does for an HTTP document: leading and trailing C0 controls and spaces are
// stripped and tabs and newlines inside are removed before parsing. With a nil
// base only absolute references resolve.
func resolve(base *url.URL, raw string) (*url.URL, error) {
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(raw, "\t\n\r") {
		raw = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u, nil
}

// isHTTP reports whether u is an absolute http or https URL with a host.
func isHTTP(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Opaque == ""
}

package page

import (
	"net/url"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// BaseURL returns the URL that relative references in doc resolve against:
// the href of the first <base> element that has one (in tree order, wherever
// it is, as browsers do), resolved against pageURL; or pageURL itself when the
// page has no such element or its href is not a valid absolute or resolvable
// URL. The result may be nil only when pageURL is nil.
func BaseURL(doc *html.Node, pageURL *url.URL) *url.URL {
	var href string
	found := false
	walk(doc, func(n *html.Node) bool {
		if found {
			return false
		}
		if isHTML(n) && n.DataAtom == atom.Base {
			href, found = attr(n, "href")
		}
		return true
	}, nil)
	if !found {
		return pageURL
	}
	return resolveBase(pageURL, href)
}

// resolveBase resolves a <base href> value against pageURL, falling back to
// pageURL when the result is not an absolute URL.
func resolveBase(pageURL *url.URL, href string) *url.URL {
	u, err := resolve(pageURL, href)
	if err != nil || !u.IsAbs() {
		return pageURL
	}
	return u
}

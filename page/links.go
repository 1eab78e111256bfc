package page

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Link is one hyperlink of the page.
type Link struct {
	// URL is the absolute http or https URL the link points to, without
	// fragment.
	URL string `json:"url"`
	// Text is the link's text with white space collapsed. When the element
	// has no text it is, in this order, its aria-label, the alt text of the
	// first image inside it with one, or its title; for <area> it is alt.
	Text string `json:"text"`
	// Rel is the rel attribute, lower-cased, its tokens separated by one space.
	Rel string `json:"rel,omitempty"`
	// NoFollow reports whether Rel holds the token "nofollow". A page-wide
	// <meta name="robots" content="nofollow"> is reported in Metadata.Robots,
	// not here.
	NoFollow bool `json:"nofollow,omitempty"`
}

// Links returns the page's hyperlinks: the a and area elements with an href
// attribute, outside <template> and in the HTML namespace, in document order.
//
// Each href is resolved against the page's base URL (see BaseURL, so <base
// href> is honoured) and its fragment removed. Links are deduplicated by the
// resulting URL; the first occurrence wins, with its text and rel.
//
// Links that cannot be fetched over HTTP are not returned but counted in
// skipped: hrefs that are empty or only a fragment (references to the page
// itself), that do not parse, that do not resolve to an absolute http or https
// URL with a host (javascript:, mailto:, tel:, data:, ftp:, ...), or that are
// relative while pageURL is nil.
func Links(doc *html.Node, pageURL *url.URL) (links []Link, skipped int) {
	type rawLink struct {
		href, rel string
		text      collapser
		// Used in this order when text is empty.
		label, imgAlt, title string
	}
	var (
		raws    []*rawLink
		open    []*rawLink // links being walked, innermost last
		baseRef string
		hasBase bool
	)
	walk(doc, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for _, l := range open {
				l.text.write(n.Data)
			}
			return false
		case html.ElementNode:
			if !isHTML(n) {
				return true // links inside <svg> are SVG links; their descendants are walked
			}
			switch n.DataAtom {
			case atom.Template, atom.Script, atom.Style:
				return false
			case atom.Base:
				if !hasBase {
					baseRef, hasBase = attr(n, "href")
				}
			case atom.Img:
				for _, l := range open {
					if l.imgAlt == "" {
						l.imgAlt, _ = attr(n, "alt")
					}
				}
			case atom.A, atom.Area:
				href, ok := attr(n, "href")
				if !ok {
					return true
				}
				l := &rawLink{href: href}
				l.rel, _ = attr(n, "rel")
				if n.DataAtom == atom.Area {
					l.label, _ = attr(n, "alt")
				} else {
					l.label, _ = attr(n, "aria-label")
					l.title, _ = attr(n, "title")
				}
				raws = append(raws, l)
				open = append(open, l)
			}
			return true
		case html.DocumentNode:
			return true
		}
		return false
	}, func(n *html.Node) {
		if len(open) > 0 && n.Type == html.ElementNode && (n.DataAtom == atom.A || n.DataAtom == atom.Area) && isHTML(n) {
			if _, ok := attr(n, "href"); ok {
				open = open[:len(open)-1]
			}
		}
	})

	base := pageURL
	if hasBase {
		base = resolveBase(pageURL, baseRef)
	}
	seen := make(map[string]bool, len(raws))
	for _, r := range raws {
		href := strings.TrimSpace(r.href)
		if href == "" || href[0] == '#' {
			skipped++
			continue
		}
		u, err := resolve(base, href)
		if err != nil || !isHTTP(u) {
			skipped++
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		s := u.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		text := r.text.String()
		for _, alt := range [...]string{r.label, r.imgAlt, r.title} {
			if text != "" {
				break
			}
			text = collapse(alt)
		}
		links = append(links, Link{
			URL:      s,
			Text:     text,
			Rel:      strings.ToLower(collapse(r.rel)),
			NoFollow: hasToken(r.rel, "nofollow"),
		})
	}
	return links, skipped
}

// Hrefs is Links for crawlers, which need no link text: it calls fn with the
// resolved URL (fragment removed) and the nofollow mark of every a and area
// element with an href under root, in document order and without deduplication,
// and returns how many hrefs it skipped, by the rules of Links. base is the URL
// relative hrefs resolve against: BaseURL of the page. fn owns u.
func Hrefs(root *html.Node, base *url.URL, fn func(u *url.URL, nofollow bool)) (skipped int) {
	walk(root, func(n *html.Node) bool {
		switch n.Type {
		case html.ElementNode:
			if !isHTML(n) {
				return true
			}
			switch n.DataAtom {
			case atom.Template, atom.Script, atom.Style:
				return false
			case atom.A, atom.Area:
				var href, rel string
				hasHref := false
				for _, a := range n.Attr {
					if a.Namespace != "" {
						continue
					}
					switch a.Key {
					case "href":
						if !hasHref {
							href, hasHref = a.Val, true
						}
					case "rel":
						rel = a.Val
					}
				}
				if !hasHref {
					return true
				}
				href = strings.TrimSpace(href)
				if href == "" || href[0] == '#' {
					skipped++
					return true
				}
				u, err := resolve(base, href)
				if err != nil || !isHTTP(u) {
					skipped++
					return true
				}
				u.Fragment, u.RawFragment = "", ""
				fn(u, rel != "" && hasToken(rel, "nofollow"))
			}
			return true
		case html.DocumentNode:
			return true
		}
		return false
	}, nil)
	return skipped
}

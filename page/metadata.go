package page

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Metadata is what the page says about itself.
type Metadata struct {
	// Title is the text of the first <title> element, white space collapsed.
	Title string `json:"title,omitempty"`
	// Description is the content of the first <meta name="description">.
	Description string `json:"description,omitempty"`
	// Canonical is the href of the first <link rel="canonical">, resolved to
	// an absolute URL against the page's base URL (see BaseURL). It is empty
	// when the page has none or it cannot be resolved to an http or https
	// URL; the latter is reported in Problems.
	Canonical string `json:"canonical,omitempty"`
	// Language is the lang attribute of the <html> element, trimmed.
	Language string `json:"language,omitempty"`
	// Robots is the content of the first <meta name="robots">, such as
	// "noindex, nofollow".
	Robots string `json:"robots,omitempty"`
	// OpenGraph maps the Open Graph properties of <meta property="og:...">
	// (or name="og:...") elements to their content. Keys keep the "og:"
	// prefix, lower-cased, and the rest as written ("og:title",
	// "og:price:amount"); other vocabularies such as twitter:* are not
	// collected. When a property repeats (several og:image), the first one
	// wins. OpenGraph is nil when the page has no og:* property.
	OpenGraph map[string]string `json:"open_graph,omitempty"`
	// JSONLD holds each <script type="application/ld+json"> block as parsed
	// by encoding/json (maps, slices, float64, string, bool, nil), one element
	// per valid block in document order. A block holding an array is one
	// element, the array, not spread.
	JSONLD []any `json:"json_ld,omitempty"`
	// Problems describes metadata that the page declares but that could not
	// be used, e.g. `json-ld block 2: invalid JSON: unexpected end of JSON
	// input`. Blocks are numbered from 1 among all JSON-LD blocks.
	Problems []string `json:"problems,omitempty"`
}

// ExtractMetadata returns the metadata of the page in one walk of doc.
// pageURL is the URL the page was fetched from; it may be nil, in which case
// only an absolute canonical URL is kept.
func ExtractMetadata(doc *html.Node, pageURL *url.URL) Metadata {
	var (
		md           Metadata
		hasTitle     bool
		hasDesc      bool
		hasRobots    bool
		hasLang      bool
		canonical    string
		hasCanonical bool
		baseRef      string
		hasBase      bool
		jsonBlocks   int
	)
	walk(doc, func(n *html.Node) bool {
		switch n.Type {
		case html.DocumentNode:
			return true
		case html.ElementNode:
		default:
			return false
		}
		if !isHTML(n) {
			return false
		}
		switch n.DataAtom {
		case atom.Html:
			if !hasLang {
				md.Language, hasLang = attr(n, "lang")
				md.Language = strings.TrimSpace(md.Language)
			}
		case atom.Title:
			if !hasTitle {
				hasTitle = true
				md.Title = collapse(childText(n))
			}
			return false
		case atom.Base:
			if !hasBase {
				baseRef, hasBase = attr(n, "href")
			}
		case atom.Meta:
			content, _ := attr(n, "content")
			name, _ := attr(n, "name")
			name = strings.ToLower(strings.TrimSpace(name))
			switch {
			case name == "description" && !hasDesc:
				hasDesc = true
				md.Description = strings.TrimSpace(content)
			case name == "robots" && !hasRobots:
				hasRobots = true
				md.Robots = strings.TrimSpace(content)
			}
			prop, ok := attr(n, "property")
			if !ok {
				prop = name
			}
			prop = strings.TrimSpace(prop)
			if len(prop) > 3 && strings.EqualFold(prop[:3], "og:") {
				prop = "og:" + prop[3:]
				if md.OpenGraph == nil {
					md.OpenGraph = make(map[string]string)
				}
				if _, dup := md.OpenGraph[prop]; !dup {
					md.OpenGraph[prop] = strings.TrimSpace(content)
				}
			}
		case atom.Link:
			if rel, _ := attr(n, "rel"); !hasCanonical && hasToken(rel, "canonical") {
				canonical, hasCanonical = attr(n, "href")
			}
		case atom.Script:
			typ, _ := attr(n, "type")
			if mt, _, err := mime.ParseMediaType(typ); err != nil || mt != "application/ld+json" {
				return false
			}
			jsonBlocks++
			src := strings.TrimSpace(childText(n))
			if src == "" {
				md.Problems = append(md.Problems, fmt.Sprintf("json-ld block %d: empty", jsonBlocks))
				return false
			}
			var v any
			if err := json.Unmarshal([]byte(src), &v); err != nil {
				md.Problems = append(md.Problems, fmt.Sprintf("json-ld block %d: invalid JSON: %v", jsonBlocks, err))
				return false
			}
			md.JSONLD = append(md.JSONLD, v)
			return false
		case atom.Style, atom.Template:
			return false
		}
		return true
	}, nil)

	if hasCanonical {
		base := pageURL
		if hasBase {
			base = resolveBase(pageURL, baseRef)
		}
		u, err := resolve(base, canonical)
		switch {
		case err != nil:
			if ue := (*url.Error)(nil); errors.As(err, &ue) {
				err = ue.Err // the url.Error repeats the href
			}
			md.Problems = append(md.Problems, fmt.Sprintf("canonical %q: %v", canonical, err))
		case !isHTTP(u):
			md.Problems = append(md.Problems, fmt.Sprintf("canonical %q: not an absolute http or https URL", canonical))
		default:
			md.Canonical = u.String()
		}
	}
	return md
}

// childText returns the concatenated text children of n: the source of a
// raw-text element such as <script>, or the text of <title>.
func childText(n *html.Node) string {
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		return c.Data // the common case, without copying
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

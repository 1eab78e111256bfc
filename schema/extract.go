package schema

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Item is one extracted record.
type Item struct {
	// Data maps property names to values: string, float64 (number), int64
	// (integer), bool, []any and map[string]any. A property whose element
	// was not found, or whose text could not be coerced, is absent.
	Data map[string]any `json:"data"`
	// Errors lists coercion and schema validation problems, coercion
	// problems first. Empty means the record is valid.
	Errors []FieldError `json:"errors,omitempty"`
}

// Extract runs the schema's selectors on a parsed page and returns the
// records found, in document order. pageURL (may be nil) resolves relative
// URLs in uri, uri-reference and media fields; a <base href> in the page
// takes precedence, as in a browser.
//
// Without a root x-selector the page is one record. With one, every element
// it matches is a record, and a page with no match yields no records.
// Invalid records are returned with their Errors, never dropped. Extract
// returns nil when the schema has no x-selector (see Extracts) or doc is nil.
func (s *Schema) Extract(doc *html.Node, pageURL *url.URL) []Item {
	if s.root == nil || doc == nil {
		return nil
	}
	e := &extractor{base: baseURL(doc, pageURL)}
	if s.root.sel == nil {
		return []Item{s.record(e, doc)}
	}
	scopes, err := s.root.sel.all(doc, nil)
	if err != nil {
		return []Item{{Data: map[string]any{}, Errors: []FieldError{{Problem: err.Error()}}}}
	}
	items := make([]Item, 0, len(scopes))
	for _, m := range scopes {
		el, ok := element(m)
		if !ok {
			items = append(items, Item{Data: map[string]any{}, Errors: []FieldError{{Problem: errNotElement.Error()}}})
			continue
		}
		items = append(items, s.record(e, el))
	}
	return items
}

var errNotElement = errors.New("selector matched a value, not an element to read fields from")

// record extracts and validates one record scoped to el.
func (s *Schema) record(e *extractor, el *html.Node) (it Item) {
	e.errs, e.stack = nil, e.stack[:0]
	defer func() {
		if r := recover(); r != nil {
			if it.Data == nil {
				it.Data = map[string]any{}
			}
			it.Errors = append(it.Errors, FieldError{Problem: fmt.Sprintf("extraction failed: %v", r)})
		}
	}()
	it.Data = e.object(el, s.root)
	it.Errors = e.errs
	for _, v := range s.validate(it.Data) {
		if !hasField(e.errs, v.Field) { // a field that failed coercion is reported once
			it.Errors = append(it.Errors, v)
		}
	}
	return it
}

func hasField(errs []FieldError, field string) bool {
	for i := range errs {
		if errs[i].Field == field {
			return true
		}
	}
	return false
}

// extractor holds the state of one Extract call.
type extractor struct {
	base  *url.URL
	errs  []FieldError
	stack []step    // path of the field being extracted, rendered only on error
	buf   []byte    // reused text buffer
	ms    [][]match // reused match slices, one per array nesting level
}

// step is one element of a field path: a property name or an array index.
type step struct {
	name  string
	index int // -1 for a property
}

func (e *extractor) fail(err error) {
	var b strings.Builder
	for _, s := range e.stack {
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	e.errs = append(e.errs, FieldError{Field: b.String(), Problem: err.Error()})
}

// object extracts n's properties within scope.
func (e *extractor) object(scope *html.Node, n *node) map[string]any {
	m := make(map[string]any, len(n.props))
	for _, p := range n.props {
		e.stack = append(e.stack, step{name: p.name, index: -1})
		if v, ok := e.value(scope, p); ok {
			m[p.name] = v
		}
		e.stack = e.stack[:len(e.stack)-1]
	}
	return m
}

// value extracts one property within scope; ok is false when it is absent.
func (e *extractor) value(scope *html.Node, n *node) (any, bool) {
	switch n.kind {
	case kindObject:
		if n.sel != nil {
			m, found, err := n.sel.first(scope)
			if err != nil {
				e.fail(err)
				return nil, false
			}
			if !found {
				return nil, false
			}
			el, ok := element(m)
			if !ok {
				e.fail(errNotElement)
				return nil, false
			}
			return e.object(el, n), true
		}
		obj := e.object(scope, n)
		if len(obj) == 0 {
			return nil, false
		}
		return obj, true
	case kindArray:
		if n.sel == nil {
			return nil, false
		}
		depth := len(e.stack)
		for len(e.ms) <= depth {
			e.ms = append(e.ms, nil)
		}
		ms, err := n.sel.all(scope, e.ms[depth][:0])
		e.ms[depth] = ms
		if err != nil {
			e.fail(err)
			return nil, false
		}
		arr := make([]any, 0, len(ms))
		for i, m := range ms {
			e.stack = append(e.stack, step{index: i})
			if v, ok := e.item(m, n.item); ok {
				arr = append(arr, v)
			}
			e.stack = e.stack[:len(e.stack)-1]
		}
		return arr, true
	default:
		if n.sel == nil {
			return nil, false
		}
		m, found, err := n.sel.first(scope)
		if err != nil {
			e.fail(err)
			return nil, false
		}
		if !found {
			return nil, false
		}
		return e.scalar(m, n)
	}
}

// item turns one match of an array's selector into an element.
func (e *extractor) item(m match, n *node) (any, bool) {
	if !n.composite() && n.sel == nil {
		return e.scalar(m, n) // the match itself is the element
	}
	el, ok := element(m)
	if !ok {
		e.fail(errNotElement)
		return nil, false
	}
	if n.kind == kindObject && n.sel == nil {
		return e.object(el, n), true // each match is one item, even if empty
	}
	return e.value(el, n)
}

// scalar reads, transforms and coerces the value of one match.
func (e *extractor) scalar(m match, n *node) (any, bool) {
	var text string
	if m.hasText {
		text = collapse(m.text)
	} else {
		text = e.textOf(m.node)
	}
	text, err := applyTransforms(n.transforms, text)
	if err != nil {
		e.fail(err)
		return nil, false
	}
	v, err := coerce(n, text, e.base)
	if err != nil {
		e.fail(err)
		return nil, false
	}
	return v, true
}

// element returns the element a match stands for, if it is one.
func element(m match) (*html.Node, bool) {
	if m.hasText || m.node == nil || m.node.Type != html.ElementNode && m.node.Type != html.DocumentNode {
		return nil, false
	}
	return m.node, true
}

// textOf returns the text content of n, whitespace-collapsed and trimmed.
// Text inside script, style and template descendants is skipped, and block
// elements and <br> separate words, so <li>A</li><li>B</li> reads "A B".
func (e *extractor) textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode || n.Type == html.CommentNode {
		return collapse(n.Data)
	}
	if c := n.FirstChild; c != nil && c == n.LastChild && c.Type == html.TextNode {
		return collapse(c.Data)
	}
	w := textWriter{buf: e.buf[:0]}
	w.node(n)
	e.buf = w.buf
	return string(w.buf)
}

// textWriter appends text with runs of white space collapsed to one space,
// and no leading or trailing space.
type textWriter struct {
	buf     []byte
	pending bool // a space is due before the next word
}

func (w *textWriter) write(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		space := false
		if c < utf8.RuneSelf {
			space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			w.pending = len(w.buf) > 0
		} else {
			if w.pending {
				w.buf = append(w.buf, ' ')
				w.pending = false
			}
			w.buf = append(w.buf, s[i:i+size]...)
		}
		i += size
	}
}

func (w *textWriter) node(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.write(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template:
				continue
			}
			block := isBlock(c.DataAtom)
			if block {
				w.pending = len(w.buf) > 0
			}
			w.node(c)
			if block {
				w.pending = len(w.buf) > 0
			}
		}
	}
}

// isBlock reports elements whose boundaries separate words.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Br, atom.Dd, atom.Div,
		atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Li,
		atom.Main, atom.Nav, atom.Ol, atom.Option, atom.P, atom.Pre, atom.Section, atom.Table,
		atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Ul:
		return true
	}
	return false
}

// collapse collapses white space in s, returning s itself when it is
// already collapsed (the common case: no allocation).
func collapse(s string) string {
	if isCollapsed(s) {
		return s
	}
	w := textWriter{buf: make([]byte, 0, len(s))}
	w.write(s)
	return string(w.buf)
}

func isCollapsed(s string) bool {
	prevSpace := true // a leading space is not collapsed
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case '\n', '\t', '\r', '\f', '\v':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// baseURL returns the URL relative references resolve against: the page's
// <base href> resolved against pageURL, else pageURL.
func baseURL(doc *html.Node, pageURL *url.URL) *url.URL {
	href, ok := baseHref(doc)
	if !ok {
		return pageURL
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return pageURL
	}
	if pageURL != nil {
		return pageURL.ResolveReference(u)
	}
	if u.IsAbs() {
		return u
	}
	return nil
}

// baseHref finds <html><head><base href> without walking the body.
func baseHref(doc *html.Node) (string, bool) {
	for h := doc.FirstChild; h != nil; h = h.NextSibling {
		if h.Type != html.ElementNode || h.DataAtom != atom.Html {
			continue
		}
		for head := h.FirstChild; head != nil; head = head.NextSibling {
			if head.Type != html.ElementNode || head.DataAtom != atom.Head {
				continue
			}
			for b := head.FirstChild; b != nil; b = b.NextSibling {
				if b.Type == html.ElementNode && b.DataAtom == atom.Base {
					if v, ok := attrValue(b, "href"); ok {
						return v, true
					}
				}
			}
		}
	}
	return "", false
}

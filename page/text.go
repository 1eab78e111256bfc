package page

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Break strengths requested by elements: a line break, or a blank line.
const (
	lineBreak      = 1
	paragraphBreak = 2
)

// breakAround returns the break that an HTML element puts before and after
// its content. Paragraph-like and sectioning elements are set off by a blank
// line; other block elements start a new line; inline elements give none.
func breakAround(a atom.Atom) int {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Dl, atom.Menu,
		atom.Table, atom.Hr, atom.Figure, atom.Section, atom.Article,
		atom.Aside, atom.Header, atom.Footer, atom.Nav, atom.Main, atom.Form,
		atom.Fieldset, atom.Address, atom.Details, atom.Hgroup:
		return paragraphBreak
	case atom.Html, atom.Body, atom.Div, atom.Li, atom.Dt, atom.Dd, atom.Tr,
		atom.Thead, atom.Tbody, atom.Tfoot, atom.Caption, atom.Figcaption,
		atom.Summary, atom.Legend, atom.Option, atom.Center, atom.Dialog,
		atom.Search:
		return lineBreak
	}
	return 0
}

// skipText reports whether the content of an HTML element is not readable
// text.
func skipText(a atom.Atom) bool {
	switch a {
	case atom.Head, atom.Title, atom.Script, atom.Style, atom.Noscript,
		atom.Template, atom.Iframe, atom.Object, atom.Canvas:
		return true
	}
	return false
}

// Text returns the readable text of the page.
//
// The content of head, title, script, style, noscript, template, iframe,
// object and canvas elements, comments, and SVG and MathML elements is
// skipped. Runs of white space (as unicode.IsSpace defines it, so including
// no-break spaces) collapse to one space; inside <pre> line breaks are kept.
// Paragraph-like and sectioning elements (p, h1-h6, blockquote, pre, ul, ol,
// dl, table, hr, figure, section, article, aside, header, footer, nav, main,
// form, ...) are set off by a blank line; other block elements (div, li, tr,
// dt, dd, caption, option, ...) and <br> start a new line; table cells are
// separated by a space. The result is trimmed and never holds more than one
// blank line in a row. Text of a nil doc is "".
func Text(doc *html.Node) string {
	var w textWriter
	pre := 0 // depth of <pre> elements around the current node
	walk(doc, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			if pre > 0 {
				w.writePre(n.Data)
			} else {
				w.write(n.Data)
			}
			return false
		case html.ElementNode:
			if n.Namespace != "" {
				return false // svg, math
			}
			if skipText(n.DataAtom) {
				return false
			}
			switch n.DataAtom {
			case atom.Br:
				w.newline()
				return false
			case atom.Td, atom.Th:
				w.space = true
			case atom.Pre:
				pre++
			}
			w.request(breakAround(n.DataAtom))
			return true
		case html.DocumentNode:
			return true
		default: // comments, doctypes
			return false
		}
	}, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.Td, atom.Th:
			w.space = true
		case atom.Pre:
			pre--
		}
		w.request(breakAround(n.DataAtom))
	})
	return w.b.String()
}

// textWriter assembles Text's output. Separators are held back until the next
// word so that the output needs no trimming and breaks never pile up.
type textWriter struct {
	b     strings.Builder
	brk   int  // strongest break requested since the last word
	space bool // white space seen since the last word
}

// request asks for a break of the given strength before the next word.
func (w *textWriter) request(strength int) {
	w.brk = max(w.brk, strength)
}

// newline adds a line break before the next word, as <br> does: two in a
// row give a blank line.
func (w *textWriter) newline() {
	w.brk = min(w.brk+1, paragraphBreak)
}

// write appends collapsible text.
func (w *textWriter) write(s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) {
			w.space = true
			s = s[size:]
			continue
		}
		end := wordEnd(s)
		w.word(s[:end])
		s = s[end:]
	}
}

// writePre appends text of a <pre> element: its line breaks are kept.
func (w *textWriter) writePre(s string) {
	for {
		line, rest, found := strings.Cut(s, "\n")
		w.write(line)
		if !found {
			return
		}
		w.newline()
		s = rest
	}
}

func (w *textWriter) word(s string) {
	if w.b.Len() > 0 {
		switch {
		case w.brk > 0:
			w.b.WriteString("\n\n"[:w.brk])
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	w.brk, w.space = 0, false
	w.b.WriteString(s)
}

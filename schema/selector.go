package schema

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xpath"
	"golang.org/x/net/html"
)

// selector is one compiled x-selector. It is immutable after compileSelector
// and safe for concurrent use.
type selector struct {
	src string

	// CSS: css matches elements; attr, when set, takes that attribute instead
	// of the text and skips elements that lack it. self means the selector was
	// just "@attr": the attribute of the scope element itself.
	css  cascadia.Selector
	attr string
	self bool

	// XPath: nodes selects a node set. Expressions that yield a string, number
	// or boolean go through scalar instead: xpath.Expr.Evaluate mutates the
	// expression, so each goroutine borrows its own copy from the pool.
	nodes  *xpath.Expr
	scalar *sync.Pool
	union  bool // the XPath may contain "|": results are sorted into document order
}

// match is one node or value found by a selector. When hasText is set, text
// is the value (an attribute or the result of a scalar XPath); otherwise the
// value is the text content of node.
type match struct {
	node    *html.Node
	text    string
	hasText bool
}

// yieldsValue reports whether the selector yields values (a CSS @attribute,
// or an XPath string, number or boolean) rather than elements.
func (s *selector) yieldsValue() bool { return s.attr != "" || s.scalar != nil }

// compileSelector parses and compiles the x-selector grammar:
//
//	[css:|xpath:]selector
//
// with an optional trailing "@attr" for CSS.
func compileSelector(src string) (sel *selector, err error) {
	defer func() {
		if r := recover(); r != nil {
			sel, err = nil, fmt.Errorf("selector %q: %v", src, r)
		}
	}()
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("must not be empty")
	}
	switch {
	case strings.HasPrefix(src, "xpath:"):
		return compileXPath(src, strings.TrimSpace(src[len("xpath:"):]))
	case strings.HasPrefix(src, "css:"):
		return compileCSS(src, strings.TrimSpace(src[len("css:"):]))
	default:
		return compileCSS(src, strings.TrimSpace(src))
	}
}

func compileCSS(src, expr string) (*selector, error) {
	s := &selector{src: src}
	if at := attrSplit(expr); at >= 0 {
		name := strings.TrimSpace(expr[at+1:])
		if !validAttrName(name) {
			return nil, fmt.Errorf("invalid attribute name %q after @ in CSS selector %q", name, expr)
		}
		s.attr = strings.ToLower(name)
		expr = strings.TrimSpace(expr[:at])
		if expr == "" {
			s.self = true
			return s, nil
		}
	}
	if expr == "" {
		return nil, errors.New("empty CSS selector")
	}
	c, err := cascadia.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid CSS selector %q: %v", expr, err)
	}
	s.css = c
	return s, nil
}

// attrSplit returns the index of the "@" that starts a trailing attribute
// name, or -1. An "@" inside quotes or brackets (e.g. a[href^="mailto:a@b"])
// belongs to the selector.
func attrSplit(expr string) int {
	var quote byte
	depth := 0
	at := -1
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '\\':
			i++
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case c == '@' && depth == 0:
			at = i
		}
	}
	return at
}

func validAttrName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

func compileXPath(src, expr string) (*selector, error) {
	if expr == "" {
		return nil, errors.New("empty XPath expression")
	}
	probe, err := xpath.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid XPath expression %q: %v", expr, err)
	}
	// XPath 1.0 types are static: evaluating once on an empty document tells
	// whether the expression yields nodes or a scalar.
	res, err := evaluate(probe, &html.Node{Type: html.DocumentNode})
	if err != nil {
		return nil, fmt.Errorf("invalid XPath expression %q: %v", expr, err)
	}
	s := &selector{src: src}
	if _, ok := res.(*xpath.NodeIterator); ok {
		s.union = strings.Contains(expr, "|")
		s.nodes, err = xpath.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("invalid XPath expression %q: %v", expr, err)
		}
		return s, nil
	}
	s.scalar = &sync.Pool{New: func() any {
		e, err := xpath.Compile(expr)
		if err != nil { // compiled once already; cannot happen
			return nil
		}
		return e
	}}
	return s, nil
}

// evaluate runs a scalar XPath expression, turning a panic in the library
// into an error.
func evaluate(e *xpath.Expr, scope *html.Node) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("xpath: %v", r)
		}
	}()
	return e.Evaluate(htmlquery.CreateXPathNavigator(scope)), nil
}

// first returns the first match under scope.
func (s *selector) first(scope *html.Node) (match, bool, error) {
	switch {
	case s.self:
		if v, ok := attrValue(scope, s.attr); ok {
			return match{node: scope, text: v, hasText: true}, true, nil
		}
		return match{}, false, nil
	case s.css != nil:
		n := s.firstCSS(scope)
		if n == nil {
			return match{}, false, nil
		}
		if s.attr != "" {
			v, _ := attrValue(n, s.attr)
			return match{node: n, text: v, hasText: true}, true, nil
		}
		return match{node: n}, true, nil
	case s.nodes != nil && s.union:
		ms, err := s.all(scope, nil)
		if err != nil || len(ms) == 0 {
			return match{}, false, err
		}
		return ms[0], true, nil
	case s.nodes != nil:
		var m match
		found := false
		err := s.selectNodes(scope, func(x match) bool {
			m, found = x, true
			return false
		})
		return m, found, err
	default:
		return s.evalScalar(scope)
	}
}

// all appends every match under scope, in document order, to dst.
func (s *selector) all(scope *html.Node, dst []match) ([]match, error) {
	switch {
	case s.self:
		if v, ok := attrValue(scope, s.attr); ok {
			dst = append(dst, match{node: scope, text: v, hasText: true})
		}
		return dst, nil
	case s.css != nil:
		s.allCSS(scope, func(n *html.Node) {
			if s.attr != "" {
				v, _ := attrValue(n, s.attr)
				dst = append(dst, match{node: n, text: v, hasText: true})
				return
			}
			dst = append(dst, match{node: n})
		})
		return dst, nil
	case s.nodes != nil:
		start := len(dst)
		err := s.selectNodes(scope, func(x match) bool {
			dst = append(dst, x)
			return true
		})
		if s.union && len(dst)-start > 1 {
			sortDocumentOrder(dst[start:], scope)
		}
		return dst, err
	default:
		m, ok, err := s.evalScalar(scope)
		if ok {
			dst = append(dst, m)
		}
		return dst, err
	}
}

// matches reports whether element n is matched by the CSS part of s.
func (s *selector) matches(n *html.Node) bool {
	if n.Type != html.ElementNode || !s.css.Match(n) {
		return false
	}
	if s.attr != "" {
		_, ok := attrValue(n, s.attr)
		return ok
	}
	return true
}

// firstCSS walks the descendants of scope (not scope itself) in document order.
func (s *selector) firstCSS(scope *html.Node) *html.Node {
	for c := scope.FirstChild; c != nil; c = c.NextSibling {
		if s.matches(c) {
			return c
		}
		if n := s.firstCSS(c); n != nil {
			return n
		}
	}
	return nil
}

func (s *selector) allCSS(scope *html.Node, fn func(*html.Node)) {
	for c := scope.FirstChild; c != nil; c = c.NextSibling {
		if s.matches(c) {
			fn(c)
		}
		s.allCSS(c, fn)
	}
}

// selectNodes runs a node-set XPath. Expr.Select clones the compiled query,
// so it is safe for concurrent use. fn returns false to stop.
func (s *selector) selectNodes(scope *html.Node, fn func(match) bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("xpath %q: %v", s.nodes.String(), r)
		}
	}()
	it := s.nodes.Select(htmlquery.CreateXPathNavigator(scope))
	for it.MoveNext() {
		nav, ok := it.Current().(*htmlquery.NodeNavigator)
		if !ok {
			continue
		}
		var m match
		switch nav.NodeType() {
		case xpath.AttributeNode, xpath.CommentNode:
			m = match{node: nav.Current(), text: nav.Value(), hasText: true}
		default:
			m = match{node: nav.Current()}
		}
		if !fn(m) {
			return nil
		}
	}
	return nil
}

// evalScalar runs an XPath that yields a string, number or boolean. An empty
// string counts as no match, so normalize-space(//h1) on a page without an
// h1 leaves the field absent.
func (s *selector) evalScalar(scope *html.Node) (match, bool, error) {
	e, _ := s.scalar.Get().(*xpath.Expr)
	if e == nil {
		return match{}, false, fmt.Errorf("xpath %q: cannot compile", s.src)
	}
	res, err := evaluate(e, scope)
	s.scalar.Put(e)
	if err != nil {
		return match{}, false, err
	}
	var text string
	switch v := res.(type) {
	case string:
		text = v
	case float64:
		text = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		text = strconv.FormatBool(v)
	default:
		return match{}, false, fmt.Errorf("xpath %q: unexpected result %T", s.src, res)
	}
	if text == "" {
		return match{}, false, nil
	}
	return match{text: text, hasText: true}, true, nil
}

// sortDocumentOrder sorts matches into document order. antchfx/xpath
// returns a union (a | b) as all of a, then all of b; users expect the order
// of the page.
func sortDocumentOrder(ms []match, scope *html.Node) {
	top := scope
	for top.Parent != nil {
		top = top.Parent
	}
	order := make(map[*html.Node]int, 64)
	want := make(map[*html.Node]bool, len(ms))
	for _, m := range ms {
		want[m.node] = true
	}
	i := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if want[n] {
			order[n] = i
		}
		i++
		for c := n.FirstChild; c != nil && len(order) < len(want); c = c.NextSibling {
			walk(c)
		}
	}
	walk(top)
	sort.SliceStable(ms, func(a, b int) bool { return order[ms[a].node] < order[ms[b].node] })
}

// attrValue returns the value of attribute key (lower case) on element n.
func attrValue(n *html.Node, key string) (string, bool) {
	if n == nil || n.Type != html.ElementNode {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

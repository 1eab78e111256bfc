package actions

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/titanscrape/titan"
)

// A template is a string with placeholders filled from an input item, as the url,
// headers and query of an api_call and the query of a search take them:
//
//   - {url} is the item's URL;
//   - {name} and {data.name} are the field name of the item's Data (an upstream
//     record); dots reach into nested objects and arrays, e.g. {owner.login} or
//     {data.tags.0}. Use the data. prefix for a field called url: {data.url}.
//   - {{ and }} stand for a literal { and }.
//
// A placeholder's value must be a string, a number or a boolean; a missing or null
// field, an object or an array fails the item with a *titan.InputError naming the
// placeholder.
type template struct {
	raw   string
	parts []tmplPart
}

// tmplPart is a literal or a placeholder.
type tmplPart struct {
	lit  string   // the literal text, when !ph
	ph   bool     // a placeholder
	name string   // the placeholder as written, e.g. "data.owner.login"
	path []string // the field path in the item's Data; nil for {url}
	ctx  urlPart  // where the placeholder sits in a URL template
}

// urlPart says where a placeholder sits in a URL template, which decides how its
// value is escaped.
type urlPart int

const (
	inText     urlPart = iota // not a URL: inserted as is
	inWhole                   // the template starts with it: a whole URL, as is
	inHost                    // in scheme://host: a host name, checked
	inPath                    // one path segment: path-escaped ("/" too)
	inQuery                   // in the query: query-escaped
	inFragment                // in the fragment: path-escaped
)

// placeholderSegment is one dot-separated segment of a placeholder name.
func placeholderSegment(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// parseTemplate parses s. The error says what is wrong and at which byte offset.
func parseTemplate(s string) (*template, error) {
	t := &template{raw: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, tmplPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '{' && strings.HasPrefix(s[i:], "{{"):
			lit.WriteByte('{')
			i += 2
		case c == '}' && strings.HasPrefix(s[i:], "}}"):
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return nil, fmt.Errorf("unmatched } at offset %d (write }} for a literal brace)", i)
		case c == '{':
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed { at offset %d (write {{ for a literal brace)", i)
			}
			name := s[i+1 : i+1+end]
			segs := strings.Split(name, ".")
			for _, seg := range segs {
				if !placeholderSegment(seg) {
					return nil, fmt.Errorf("invalid placeholder {%s} at offset %d: use field names of letters, digits, _ and -, joined by dots", name, i)
				}
			}
			flush()
			p := tmplPart{ph: true, name: name}
			switch {
			case name == "url":
			case segs[0] == "data" && len(segs) > 1:
				p.path = segs[1:]
			default:
				p.path = segs
			}
			t.parts = append(t.parts, p)
			i += end + 2
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	return t, nil
}

// String returns the template in its source form; parsing it again yields the
// same parts.
func (t *template) String() string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.ph {
			b.WriteString("{" + p.name + "}")
			continue
		}
		b.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(p.lit))
	}
	return b.String()
}

// placeholders reports whether the template has any.
func (t *template) placeholders() bool {
	for _, p := range t.parts {
		if p.ph {
			return true
		}
	}
	return false
}

// parseURLTemplate parses a URL template and marks where each placeholder sits. A
// placeholder after some text but before scheme:// is an error.
func parseURLTemplate(s string) (*template, error) {
	t, err := parseTemplate(s)
	if err != nil {
		return nil, err
	}
	const (
		start = iota
		scheme
		host
		path
		query
		fragment
	)
	state := start
	var head strings.Builder // literal text while in the scheme
	for i := range t.parts {
		p := &t.parts[i]
		if p.ph {
			switch state {
			case start:
				p.ctx, state = inWhole, path
			case scheme:
				return nil, fmt.Errorf("placeholder {%s} comes before scheme://host: a URL template starts with scheme://host, or with a placeholder holding a whole URL", p.name)
			case host:
				p.ctx = inHost
			case path:
				p.ctx = inPath
			case query:
				p.ctx = inQuery
			case fragment:
				p.ctx = inFragment
			}
			continue
		}
		lit := p.lit
		if state == start || state == scheme {
			head.WriteString(lit)
			j := strings.Index(head.String(), "://")
			if j < 0 {
				state = scheme
				continue
			}
			state = host
			lit = head.String()[j+3:]
		}
		for _, c := range lit {
			switch {
			case c == '#':
				state = fragment
			case c == '?' && state < query:
				state = query
			case c == '/' && state == host:
				state = path
			}
		}
	}
	return t, nil
}

// checkURLTemplate reports whether the static parts of t form an absolute http(s)
// URL, filling every placeholder with a sample value.
func checkURLTemplate(t *template) error {
	var b strings.Builder
	for _, p := range t.parts {
		switch {
		case !p.ph:
			b.WriteString(p.lit)
		case p.ctx == inWhole:
			b.WriteString("https://placeholder.invalid")
		default:
			b.WriteString("x")
		}
	}
	return titan.CheckURL(b.String())
}

// hostValue matches what a placeholder in the host may hold.
var hostValue = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$`)

// expand fills t's placeholders from it, escaping each value for its place in a
// URL template.
func (t *template) expand(it titan.Item) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if !p.ph {
			b.WriteString(p.lit)
			continue
		}
		v, err := p.value(it)
		if err != nil {
			return "", err
		}
		switch p.ctx {
		case inText, inWhole:
			b.WriteString(v)
		case inHost:
			if !hostValue.MatchString(v) {
				return "", &titan.InputError{Input: "{" + p.name + "}", Problem: fmt.Sprintf("value %q is not a host name", v)}
			}
			b.WriteString(v)
		case inPath, inFragment:
			b.WriteString(url.PathEscape(v))
		case inQuery:
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String(), nil
}

// value returns the placeholder's value in it, as text.
func (p tmplPart) value(it titan.Item) (string, error) {
	fail := func(format string, args ...any) error {
		return &titan.InputError{Input: "{" + p.name + "}", Problem: fmt.Sprintf(format, args...)}
	}
	if p.path == nil {
		if it.URL == "" {
			return "", fail("the item has no URL")
		}
		return it.URL, nil
	}
	var cur any = it.Data
	for i, seg := range p.path {
		field := strings.Join(p.path[:i+1], ".")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg]
			if !ok {
				return "", fail("the item's data has no field %q", field)
			}
			cur = next
		case []any:
			n, err := strconv.Atoi(seg)
			if err != nil || n < 0 || n >= len(v) {
				return "", fail("the item's data has no field %q", field)
			}
			cur = v[n]
		default:
			return "", fail("the item's data has no field %q", field)
		}
	}
	switch v := cur.(type) {
	case nil:
		return "", fail("field is null")
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int32:
		return strconv.FormatInt(int64(v), 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case json.Number:
		return v.String(), nil
	case map[string]any:
		return "", fail("field is an object, not a string, number or boolean")
	case []any:
		return "", fail("field is an array, not a string, number or boolean")
	}
	return "", fail("field has unsupported type %T", cur)
}

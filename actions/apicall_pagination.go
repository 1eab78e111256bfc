package actions

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/titanscrape/titan"
)

// pager computes the next page of one item's pagination.
type pager struct {
	pg       *APIPagination
	base     *url.URL // the first request's URL
	page     int      // pages fetched
	received int      // records received
	cursors  map[string]bool
	urls     map[string]bool
}

func newPager(pg *APIPagination, first string) *pager {
	base, _ := url.Parse(first)
	return &pager{pg: pg, base: base, cursors: map[string]bool{}, urls: map[string]bool{first: true}}
}

// next returns the URL of the page after resp, which held n records, or "" when
// the pagination ends; skip is the reason to count when it ends early.
func (p *pager) next(resp *titan.Response, n int) (next, skip string, err error) {
	pg := p.pg
	p.page++
	p.received += n
	if pg == nil {
		return "", "", nil
	}
	if n == 0 && (pg.StopWhenEmpty == nil || *pg.StopWhenEmpty) {
		return "", "", nil
	}
	switch pg.Type {
	case PageNumber:
		return p.with(cmp.Or(pg.Param, "page"), fmt.Sprint(pageStart(pg, 1)+p.page)), "", nil
	case PageOffset:
		return p.with(cmp.Or(pg.Param, "offset"), fmt.Sprint(pageStart(pg, 0)+p.received)), "", nil
	case PageCursor:
		r := gjson.GetBytes(resp.Body, pg.CursorPath)
		if !r.Exists() || r.Type == gjson.Null || r.Type == gjson.False || r.String() == "" {
			return "", "", nil
		}
		if r.IsObject() || r.IsArray() {
			return "", "", fmt.Errorf("cursor_path %q holds %s, not a string or number", pg.CursorPath, r.Raw)
		}
		c := r.String()
		if p.cursors[c] {
			return "", SkipRepeatedCursor, nil
		}
		p.cursors[c] = true
		return p.with(cmp.Or(pg.CursorParam, "cursor"), c), "", nil
	case PageLink:
		return p.follow(resp, nextLink(resp.Header.Values("Link")))
	case PageNext:
		r := gjson.GetBytes(resp.Body, pg.NextURLPath)
		if !r.Exists() || r.Type == gjson.Null || r.Type == gjson.False || r.String() == "" {
			return "", "", nil
		}
		if r.Type != gjson.String {
			return "", "", fmt.Errorf("next_url_path %q holds %s, not a URL", pg.NextURLPath, r.Raw)
		}
		return p.follow(resp, r.String())
	}
	return "", "", nil
}

// with returns the first request's URL with the query parameter name set to v.
func (p *pager) with(name, v string) string {
	u := *p.base
	q := u.Query()
	q.Set(name, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// follow resolves a next-page reference against the response's URL.
func (p *pager) follow(resp *titan.Response, ref string) (string, string, error) {
	if ref == "" {
		return "", "", nil
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		base = p.base
	}
	u, err := base.Parse(ref)
	if err != nil {
		return "", "", fmt.Errorf("next page URL %q does not parse", ref)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("next page URL %q is not an http(s) URL", ref)
	}
	u.Fragment = ""
	s := u.String()
	if p.urls[s] {
		return "", SkipRepeatedNextURL, nil
	}
	p.urls[s] = true
	return s, "", nil
}

// nextLink returns the target of the first rel="next" link in Link header values
// (RFC 8288), or "".
func nextLink(values []string) string {
	for _, v := range values {
		for v != "" {
			v = strings.TrimLeft(v, " \t,")
			if !strings.HasPrefix(v, "<") {
				// Not a link-value: skip to the next comma.
				if i := strings.IndexByte(v, ','); i >= 0 {
					v = v[i+1:]
					continue
				}
				break
			}
			end := strings.IndexByte(v, '>')
			if end < 0 {
				break
			}
			target := v[1:end]
			v = v[end+1:]
			// Parameters run to the next comma outside a quoted string.
			i, inQuote := 0, false
		scan:
			for ; i < len(v); i++ {
				switch c := v[i]; {
				case c == '"':
					inQuote = !inQuote
				case c == '\\' && inQuote:
					i++
				case c == ',' && !inQuote:
					break scan
				}
			}
			i = min(i, len(v))
			params := v[:i]
			v = v[i:]
			for _, param := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				val = strings.Trim(strings.TrimSpace(val), `"`)
				for _, rel := range strings.Fields(val) {
					if strings.EqualFold(rel, "next") {
						return target
					}
				}
			}
		}
	}
	return ""
}

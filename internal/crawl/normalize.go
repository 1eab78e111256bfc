package crawl

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// NormalizeOptions selects the optional rules of Normalize. The zero value
// applies only the rules that always hold (see Normalize); most callers want
// DefaultNormalizeOptions.
type NormalizeOptions struct {
	// SortQuery sorts query parameters by name, bytewise on the normalised
	// name, keeping parameters with equal names in their original order
	// ("b=2&a=1&a=0" becomes "a=1&a=0&b=2"). Default (DefaultNormalizeOptions):
	// true.
	SortQuery bool

	// StripTracking removes the query parameters that TrackingParams lists.
	// Default (DefaultNormalizeOptions): true.
	StripTracking bool

	// StripParams names more query parameters to remove, such as session ids
	// ("sessionid", "sid"). An entry ending in "*" removes every parameter
	// whose name starts with the rest ("ref_*"). Names are compared ASCII
	// case-insensitively with the parameter name as it appears in the
	// normalised query (percent-encoded except for unreserved characters).
	// Default: none.
	StripParams []string
}

// DefaultNormalizeOptions returns the options Key uses and crawls should
// start from: SortQuery and StripTracking on, no StripParams.
func DefaultNormalizeOptions() NormalizeOptions {
	return NormalizeOptions{SortQuery: true, StripTracking: true}
}

// trackingParamList is the source of TrackingParams and of the StripTracking
// rule, in the syntax of NormalizeOptions.StripParams.
const trackingParamList = "utm_* gclid gclsrc dclid gbraid wbraid fbclid msclkid " +
	"mc_cid mc_eid _ga _gl yclid igshid ref_src ttclid twclid li_fat_id mkt_tok _hsenc _hsmi"

// TrackingParams returns the query parameters that NormalizeOptions.StripTracking
// removes, in the syntax of NormalizeOptions.StripParams (a trailing "*" is a
// prefix match; names compare ASCII case-insensitively): utm_*, gclid, gclsrc,
// dclid, gbraid, wbraid, fbclid, msclkid, mc_cid, mc_eid, _ga, _gl, yclid,
// igshid, ref_src, ttclid, twclid, li_fat_id, mkt_tok, _hsenc and _hsmi. Each
// call returns a new slice.
func TrackingParams() []string { return strings.Fields(trackingParamList) }

// Normalize returns the canonical form of u, a new URL (u is not modified),
// or a *URLError wrapping ErrUnsupportedScheme, ErrNoHost or ErrInvalidHost.
// Two URLs that name the same resource under the rules below have the same
// normalised form, and Normalize is idempotent: normalising its result, or the
// result of parsing its result's String, gives the same URL again.
//
// The rules, applied to u as the caller built or parsed it (resolve relative
// and scheme-relative references such as "//host/a" with url.URL.ResolveReference
// first):
//
//   - Scheme: only http and https are accepted, in any case; the result's is
//     lowercase.
//   - Host: required (an opaque URL like "http:a" has none). ASCII hosts are
//     lowercased; a host with non-ASCII characters is converted to ASCII with
//     IDNA (idna.Lookup: "Bücher.example" becomes "xn--bcher-kva.example").
//     One trailing dot is removed ("example.com." becomes "example.com").
//     The result must consist of non-empty labels of a-z, 0-9, '-' and '_'.
//     IPv6 literals are written in their canonical RFC 5952 form
//     ("[0:0::1]" becomes "[::1]"); a zone ("[fe80::1%25eth0]") is kept and
//     may use only unreserved characters.
//   - Port: leading zeros are dropped, the default port (80 for http, 443 for
//     https) and an empty port ("host:") are removed; a port above 65535 is an
//     error.
//   - User info is kept as is, except that an empty one ("http://@host/") is
//     removed.
//   - Fragment: removed.
//   - Path: percent-encoding is normalised (an escape of an unreserved
//     character, A-Z a-z 0-9 - . _ ~, is decoded: "%7E" becomes "~"; other
//     escapes get uppercase hex: "%2f" becomes "%2F"; characters that may not
//     appear raw in a path, such as space, '"', '[', '<' or non-ASCII bytes,
//     are escaped; a '%' that does not start an escape becomes "%25"), then
//     dot segments are resolved per RFC 3986 section 5.2.4 ("/a/./b/../c"
//     becomes "/a/c", "/a/.." becomes "/"), and an empty path becomes "/".
//     Escapes of reserved characters ("%2F", "%3B") stay escaped, raw
//     sub-delimiters (such as '!', '(', ';', '=') stay raw, and "//" and a
//     trailing slash are kept, since servers may tell those apart.
//   - Query: split on '&'; empty parameters ("a=1&&b=2") are dropped; each
//     parameter's percent-encoding is normalised as in the path ('+' and "%20"
//     are kept distinct); the parameters that StripTracking and StripParams
//     name are removed; the rest are sorted by name when SortQuery; a query
//     left empty, including a bare "?", is removed.
//
// Normalize does not decode numeric IPv4 forms ("http://2130706433/"), strip
// "www.", "index.html" or session ids in the path, or change the case of the
// path: those are not safe for every site.
func Normalize(u *url.URL, opts NormalizeOptions) (*url.URL, error) {
	var p parts
	if err := p.normalize(u, &opts); err != nil {
		return nil, err
	}
	return p.url(), nil
}

// Key returns the deduplication key of u: the String of Normalize(u,
// DefaultNormalizeOptions()), built without allocating a url.URL. Two URLs
// have the same key exactly when they normalise to the same URL. When
// Normalize rejects u (another scheme, no host, an invalid host), Key returns
// u.String() unchanged, which for a URL from url.Parse never equals the key
// of an accepted URL. Crawls
// with their own NormalizeOptions should key on Normalize(u, opts).String().
func Key(u *url.URL) string {
	opts := NormalizeOptions{SortQuery: true, StripTracking: true}
	var p parts
	if err := p.normalize(u, &opts); err != nil {
		return u.String()
	}
	return p.String()
}

// parts is a normalised URL in pieces.
type parts struct {
	scheme string        // "http" or "https"
	user   *url.Userinfo // nil or non-empty
	host   string        // canonical host, with ":port" when not the default
	path   string        // escaped, normalised, starts with "/"
	query  string        // raw, normalised, without "?"
}

// normalize fills p from u per the rules documented on Normalize.
func (p *parts) normalize(u *url.URL, o *NormalizeOptions) error {
	if u == nil {
		return &URLError{URL: "", Err: ErrNoHost}
	}
	switch {
	case strings.EqualFold(u.Scheme, "http"):
		p.scheme = "http"
	case strings.EqualFold(u.Scheme, "https"):
		p.scheme = "https"
	default:
		return &URLError{URL: u.Redacted(), Err: ErrUnsupportedScheme}
	}
	if u.Opaque != "" || u.Host == "" {
		return &URLError{URL: u.Redacted(), Err: ErrNoHost}
	}
	host, err := canonHostPort(u.Host, p.scheme)
	if err != nil {
		return &URLError{URL: u.Redacted(), Err: err}
	}
	p.host = host
	p.user = nil
	if u.User != nil && u.User.String() != "" {
		p.user = u.User
	}
	p.path = normPath(u.EscapedPath())
	p.query = normQuery(u.RawQuery, o)
	return nil
}

// url returns p as a *url.URL whose String equals p.String().
func (p *parts) url() *url.URL {
	path, err := url.PathUnescape(p.path)
	if err != nil { // unreachable: normPath leaves only valid escapes
		path = p.path
	}
	return &url.URL{Scheme: p.scheme, User: p.user, Host: p.host, Path: path, RawPath: p.path, RawQuery: p.query}
}

// String returns the URL p describes, exactly as url.URL.String would.
func (p *parts) String() string {
	if p.user != nil || strings.IndexByte(p.host, '%') >= 0 {
		// url.URL.String escapes user info and IPv6 zones; let it.
		return p.url().String()
	}
	n := len(p.scheme) + len("://") + len(p.host) + len(p.path)
	if p.query != "" {
		n += 1 + len(p.query)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(p.scheme)
	b.WriteString("://")
	b.WriteString(p.host)
	b.WriteString(p.path)
	if p.query != "" {
		b.WriteByte('?')
		b.WriteString(p.query)
	}
	return b.String()
}

// canonHostPort returns the canonical "host[:port]" of hostport for scheme,
// or ErrInvalidHost (possibly wrapped with detail) or ErrNoHost.
func canonHostPort(hostport, scheme string) (string, error) {
	host, port, err := splitHostPort(hostport)
	if err != nil {
		return "", err
	}
	port, err = canonPort(port)
	if err != nil {
		return "", err
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	bracketed := strings.HasPrefix(hostport, "[")
	host, err = canonHostname(host, bracketed)
	if err != nil {
		return "", err
	}
	if bracketed {
		host = "[" + host + "]"
	}
	if port == "" {
		return host, nil
	}
	return host + ":" + port, nil
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port"; the port
// may be empty. It does not check the characters of either part.
func splitHostPort(hostport string) (host, port string, err error) {
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", "", fmt.Errorf("%w: missing ']' in IPv6 literal", ErrInvalidHost)
		}
		host, rest := hostport[1:end], hostport[end+1:]
		if rest == "" {
			return host, "", nil
		}
		if rest[0] != ':' {
			return "", "", fmt.Errorf("%w: %q after IPv6 literal", ErrInvalidHost, rest)
		}
		return host, rest[1:], nil
	}
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 {
		return hostport, "", nil
	}
	host, port = hostport[:i], hostport[i+1:]
	if strings.IndexByte(host, ':') >= 0 {
		return "", "", fmt.Errorf("%w: IPv6 literal without brackets", ErrInvalidHost)
	}
	return host, port, nil
}

// canonPort returns port without leading zeros ("" stays ""), or an error for
// a port that is not a decimal number up to 65535.
func canonPort(port string) (string, error) {
	if port == "" {
		return "", nil
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", fmt.Errorf("%w: port %q", ErrInvalidHost, port)
		}
	}
	trimmed := strings.TrimLeft(port, "0")
	if trimmed == "" {
		return "0", nil
	}
	if len(trimmed) > 5 {
		return "", fmt.Errorf("%w: port %q out of range", ErrInvalidHost, port)
	}
	if n, _ := strconv.Atoi(trimmed); n > 65535 {
		return "", fmt.Errorf("%w: port %q out of range", ErrInvalidHost, port)
	}
	return trimmed, nil
}

// canonHostname returns the canonical form of a host name without port or
// brackets, per the Host rule of Normalize. bracketed says the name was an IP
// literal in brackets, which must then be an IPv6 address.
func canonHostname(host string, bracketed bool) (string, error) {
	if bracketed {
		addr, err := netip.ParseAddr(host)
		if err != nil || !addr.Is6() {
			return "", fmt.Errorf("%w: bad IPv6 literal %q", ErrInvalidHost, host)
		}
		zone := addr.Zone()
		for i := 0; i < len(zone); i++ {
			if !inSet(zone[i], unreservedLo, unreservedHi) {
				return "", fmt.Errorf("%w: character %q in IPv6 zone %q", ErrInvalidHost, zone[i], zone)
			}
		}
		return addr.String(), nil
	}
	if host == "" {
		return "", ErrNoHost
	}
	if !isASCII(host) {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrInvalidHost, err)
		}
		host = a
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", ErrNoHost
	}
	for i := 0; i < len(host); i++ {
		if 'A' <= host[i] && host[i] <= 'Z' {
			host = strings.ToLower(host)
			break
		}
	}
	prev := byte('.')
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !inSet(c, hostCharLo, hostCharHi) {
			return "", fmt.Errorf("%w: character %q in %q", ErrInvalidHost, c, host)
		}
		if c == '.' && prev == '.' {
			return "", fmt.Errorf("%w: empty label in %q", ErrInvalidHost, host)
		}
		prev = c
	}
	if prev == '.' {
		return "", fmt.Errorf("%w: empty label in %q", ErrInvalidHost, host)
	}
	return host, nil
}

// isASCII reports whether s has only bytes below 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Byte sets as 128-bit masks (bit c of lo for c < 64, bit c-64 of hi for
// c < 128); bytes from 0x80 are in no set. TestByteSets checks them against
// their definitions.
const (
	// unreserved: A-Z a-z 0-9 - . _ ~ (RFC 3986 section 2.3).
	unreservedLo = 0x03ff600000000000
	unreservedHi = 0x47fffffe87fffffe
	// pathRaw: unreserved, sub-delims !$&'()*+,;= and : @ /.
	pathRawLo = 0x2fffffd200000000
	pathRawHi = 0x47fffffe87ffffff
	// queryRaw: unreserved, sub-delims except &, and : @ / ?.
	queryRawLo = 0xafffff9200000000
	queryRawHi = 0x47fffffe87ffffff
	// hostChar: a-z 0-9 - _ . (after lowercasing and IDNA).
	hostCharLo = 0x03ff600000000000
	hostCharHi = 0x07fffffe80000000
)

// inSet reports whether c is in the byte set (lo, hi).
func inSet(c byte, lo, hi uint64) bool {
	if c < 64 {
		return lo&(1<<c) != 0
	}
	if c < 128 {
		return hi&(1<<(c-64)) != 0
	}
	return false
}

// unhex returns the value of the hex digit c and whether it is one.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// escapeAt reports whether s[i] starts a valid escape "%XY" and returns the
// byte it encodes.
func escapeAt(s string, i int) (byte, bool) {
	if i+2 >= len(s) {
		return 0, false
	}
	h, ok1 := unhex(s[i+1])
	l, ok2 := unhex(s[i+2])
	return h<<4 | l, ok1 && ok2
}

// escapesNormal reports whether s needs no change from normEscapes with the
// raw set (lo, hi).
func escapesNormal(s string, lo, hi uint64) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			b, ok := escapeAt(s, i)
			if !ok || inSet(b, unreservedLo, unreservedHi) ||
				('a' <= s[i+1] && s[i+1] <= 'f') || ('a' <= s[i+2] && s[i+2] <= 'f') {
				return false
			}
			i += 2
			continue
		}
		if !inSet(c, lo, hi) {
			return false
		}
	}
	return true
}

// normEscapes normalises the percent-encoding of s, a path or a query
// parameter: escapes of unreserved characters are decoded, other escapes get
// uppercase hex, and bytes outside the raw set (lo, hi), including a '%' that
// starts no escape, are escaped.
func normEscapes(s string, lo, hi uint64) string {
	if escapesNormal(s, lo, hi) {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if v, ok := escapeAt(s, i); ok {
				if inSet(v, unreservedLo, unreservedHi) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(hexDigits[v>>4])
					b.WriteByte(hexDigits[v&15])
				}
				i += 2
				continue
			}
		} else if inSet(c, lo, hi) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// normPath normalises an escaped path per the Path rule of Normalize.
func normPath(p string) string {
	p = normEscapes(p, pathRawLo, pathRawHi)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return removeDotSegments(p)
}

// removeDotSegments resolves "." and ".." segments of p, which starts with
// "/", per RFC 3986 section 5.2.4.
func removeDotSegments(p string) string {
	if !hasDotSegment(p) {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := segs[:0]
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "") // "/a/." and "/a/b/.." end in a slash
		}
	}
	return "/" + strings.Join(out, "/")
}

// hasDotSegment reports whether a segment of p, which starts with "/", is "."
// or "..".
func hasDotSegment(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		seg := p[i+1:]
		if j := strings.IndexByte(seg, '/'); j >= 0 {
			seg = seg[:j]
		}
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// paramName returns the name of a query parameter "name=value" or "name".
func paramName(param string) string {
	if i := strings.IndexByte(param, '='); i >= 0 {
		return param[:i]
	}
	return param
}

// normQuery normalises a raw query per the Query rule of Normalize.
func normQuery(q string, o *NormalizeOptions) string {
	if q == "" || queryNormal(q, o) {
		return q
	}
	var stack [16]string
	params := stack[:0]
	for rest := q; rest != ""; {
		var param string
		param, rest, _ = strings.Cut(rest, "&")
		if param == "" {
			continue
		}
		param = normEscapes(param, queryRawLo, queryRawHi)
		if stripParam(paramName(param), o) {
			continue
		}
		params = append(params, param)
	}
	if o.SortQuery {
		slices.SortStableFunc(params, func(a, b string) int {
			return strings.Compare(paramName(a), paramName(b))
		})
	}
	return strings.Join(params, "&")
}

// queryNormal reports whether q, which is not empty, is already normal: no
// empty parameter, no escape to change, nothing to strip, and sorted when
// o.SortQuery.
func queryNormal(q string, o *NormalizeOptions) bool {
	prev := ""
	for rest := q; ; {
		param, after, more := strings.Cut(rest, "&")
		if param == "" || !escapesNormal(param, queryRawLo, queryRawHi) {
			return false
		}
		name := paramName(param)
		if stripParam(name, o) || (o.SortQuery && name < prev) {
			return false
		}
		prev = name
		if !more {
			return true
		}
		rest = after
	}
}

// stripParam reports whether the parameter called name is removed under o.
func stripParam(name string, o *NormalizeOptions) bool {
	if o.StripTracking && isTrackingParam(name) {
		return true
	}
	for _, pattern := range o.StripParams {
		if nameMatches(pattern, name) {
			return true
		}
	}
	return false
}

// isTrackingParam reports whether name matches trackingParamList, without
// allocating. TestTrackingParams checks that the two agree.
func isTrackingParam(name string) bool {
	const longest = len("li_fat_id")
	if len(name) < len("_ga") {
		return false
	}
	if strings.EqualFold(name[:3], "utm") && len(name) > 3 && name[3] == '_' {
		return true
	}
	if len(name) > longest {
		return false
	}
	var buf [longest]byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(name)]) {
	case "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid",
		"mc_cid", "mc_eid", "_ga", "_gl", "yclid", "igshid", "ref_src", "ttclid",
		"twclid", "li_fat_id", "mkt_tok", "_hsenc", "_hsmi":
		return true
	}
	return false
}

// nameMatches reports whether name matches pattern, an exact name or a prefix
// ending in "*", ASCII case-insensitively.
func nameMatches(pattern, name string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix)
	}
	return len(name) == len(pattern) && strings.EqualFold(name, pattern)
}

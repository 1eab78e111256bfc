package crawl

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// ScopeKind names which hosts a crawl may follow links to, relative to its
// seeds. Hosts are compared after canonicalisation (lowercase, IDNA to ASCII,
// no trailing dot), ignoring scheme and port.
type ScopeKind string

// The scope kinds.
const (
	// ScopeSameHost allows URLs whose host equals a seed's host:
	// seed https://www.example.com/ allows http://www.example.com:8080/a but
	// not https://example.com/ or https://blog.www.example.com/. It is the
	// default.
	ScopeSameHost ScopeKind = "same_host"

	// ScopeSameDomain allows URLs whose registrable domain (the public suffix
	// plus one label, per the Public Suffix List, private section included)
	// equals a seed's: seed https://www.example.co.uk/ allows
	// https://shop.example.co.uk/ but not https://other.co.uk/; seed
	// https://alice.github.io/ allows https://docs.alice.github.io/ but not
	// https://bob.github.io/. An IP address, or a host that is itself a
	// public suffix (such as "localhost"), is its own registrable domain.
	ScopeSameDomain ScopeKind = "same_domain"

	// ScopeSubdomains allows a seed's host and every host under it: seed
	// https://example.com/ allows https://a.b.example.com/, and seed
	// https://www.example.com/ allows https://cdn.www.example.com/ but not
	// https://example.com/. An IP address allows only itself.
	ScopeSubdomains ScopeKind = "subdomains"

	// ScopeAll allows every http and https URL.
	ScopeAll ScopeKind = "all"
)

// ScopeConfig configures NewScope.
type ScopeConfig struct {
	// Kind selects the host rule. Default (""): ScopeSameHost.
	Kind ScopeKind `json:"kind,omitempty"`

	// IncludePaths are RE2 regular expressions (package regexp syntax); when
	// any are given, a URL must match at least one of them. Default: none,
	// every URL in the host scope is included.
	IncludePaths []string `json:"include_paths,omitempty"`

	// ExcludePaths are RE2 regular expressions; a URL matching any of them is
	// rejected, even when it also matches IncludePaths. Default: none.
	ExcludePaths []string `json:"exclude_paths,omitempty"`

	// MatchFullURL makes the patterns match the whole URL, u.String() (for
	// example "https://example.com/products/12?color=red"), instead of the
	// path and query ("/products/12?color=red"). Default: false.
	MatchFullURL bool `json:"match_full_url,omitempty"`
}

// Scope decides which discovered URLs a crawl may follow. It is built by
// NewScope, immutable, and safe for concurrent use.
//
// Allow applies, in order:
//
//  1. the scheme must be http or https ("unsupported scheme");
//  2. the URL must have a valid host ("invalid host", also for "http:a",
//     which has none) in the host scope of at least one seed under Kind
//     ("out of scope (same_host)" and so on);
//  3. the URL must match no ExcludePaths pattern ("excluded by
//     exclude_paths[i]", naming the first that matches);
//  4. when IncludePaths are given, it must match one of them ("not matched by
//     include_paths").
//
// Patterns are unanchored RE2 expressions, searched for anywhere in the
// subject, so anchor them with ^ and $ where needed. The subject is the
// escaped path, then, when the query is not empty, "?" and the raw query:
// "/products/12?color=red" for https://example.com/products/12?color=red, and
// "/" for https://example.com. With MatchFullURL it is u.String(). Patterns
// see the URL exactly as passed, so pass the result of Normalize: the path is
// then percent-encoded in one canonical way (non-ASCII as uppercase escapes,
// "/caf%C3%A9"), dot segments are gone and the query is sorted, and a pattern
// written against that form matches every spelling of the URL. Examples:
//
//	^/blog/           /blog/x but not /en/blog/x
//	/blog/            /blog/x and /en/blog/x
//	^/products/\d+$   /products/12, not /products/12?color=red or /products/12/
//	[?&]page=\d+      /list?page=2 and /list?a=1&page=2
//	\.pdf$            /files/a.pdf, not /files/a.pdf?download=1
type Scope struct {
	kind         ScopeKind
	hosts        map[string]struct{} // canonical seed hosts (same_host, subdomains)
	roots        map[string]struct{} // seed hosts that are not IP addresses (subdomains)
	domains      map[string]struct{} // registrable seed domains (same_domain)
	include      []*regexp.Regexp
	exclude      []*regexp.Regexp
	excludeWhy   []string // "excluded by exclude_paths[i]"
	outOfScope   string   // "out of scope (kind)"
	matchFullURL bool
}

// The reasons Allow gives besides the per-pattern and per-kind ones.
const (
	reasonScheme     = "unsupported scheme"
	reasonHost       = "invalid host"
	reasonNoInclude  = "not matched by include_paths"
	reasonNilURL     = "nil URL"
	reasonOutOfScope = "out of scope ("
)

// NewScope compiles cfg for the given seeds. A URL is in scope when it is in
// the host scope of any seed. Seeds must be absolute http or https URLs with a
// valid host; at least one is required unless cfg.Kind is ScopeAll. Errors are
// *ConfigError values naming the field: "kind", "seeds[i]",
// "include_paths[i]" or "exclude_paths[i]".
func NewScope(seeds []*url.URL, cfg ScopeConfig) (*Scope, error) {
	kind := cfg.Kind
	if kind == "" {
		kind = ScopeSameHost
	}
	switch kind {
	case ScopeSameHost, ScopeSameDomain, ScopeSubdomains, ScopeAll:
	default:
		return nil, &ConfigError{Field: "kind", Err: fmt.Errorf(
			"unknown scope kind %q (want %s, %s, %s or %s)", cfg.Kind, ScopeSameHost, ScopeSameDomain, ScopeSubdomains, ScopeAll)}
	}
	s := &Scope{
		kind:         kind,
		hosts:        make(map[string]struct{}),
		roots:        make(map[string]struct{}),
		domains:      make(map[string]struct{}),
		outOfScope:   reasonOutOfScope + string(kind) + ")",
		matchFullURL: cfg.MatchFullURL,
	}
	if len(seeds) == 0 && kind != ScopeAll {
		return nil, &ConfigError{Field: "seeds", Err: errors.New("at least one seed is required")}
	}
	for i, seed := range seeds {
		field := "seeds[" + strconv.Itoa(i) + "]"
		host, err := urlHost(seed)
		if err != nil {
			return nil, &ConfigError{Field: field, Err: err}
		}
		s.hosts[host] = struct{}{}
		if !isIP(host) {
			s.roots[host] = struct{}{}
		}
		s.domains[registrableDomain(host)] = struct{}{}
	}
	var err error
	if s.include, err = compileAll("include_paths", cfg.IncludePaths); err != nil {
		return nil, err
	}
	if s.exclude, err = compileAll("exclude_paths", cfg.ExcludePaths); err != nil {
		return nil, err
	}
	for i := range s.exclude {
		s.excludeWhy = append(s.excludeWhy, "excluded by exclude_paths["+strconv.Itoa(i)+"]")
	}
	return s, nil
}

// compileAll compiles patterns, naming field[i] in the error of a bad one.
func compileAll(field string, patterns []string) ([]*regexp.Regexp, error) {
	var res []*regexp.Regexp
	for i, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, &ConfigError{Field: field + "[" + strconv.Itoa(i) + "]", Err: err}
		}
		res = append(res, re)
	}
	return res, nil
}

// Kind returns the scope's kind, ScopeSameHost when the config left it empty.
func (s *Scope) Kind() ScopeKind { return s.kind }

// Allow reports whether a crawl may follow u and, when it may not, why: one of
// "nil URL", "unsupported scheme", "invalid host", "out of scope (<kind>)",
// "excluded by exclude_paths[i]" or "not matched by include_paths". The reason
// is "" when ok. The reasons are a small fixed set per Scope, so they can key
// a counter of rejected URLs. See Scope for the rules and what patterns match.
func (s *Scope) Allow(u *url.URL) (ok bool, reason string) {
	if u == nil {
		return false, reasonNilURL
	}
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return false, reasonScheme
	}
	host, err := urlHost(u)
	if err != nil {
		return false, reasonHost
	}
	if !s.hostInScope(host) {
		return false, s.outOfScope
	}
	if len(s.include) == 0 && len(s.exclude) == 0 {
		return true, ""
	}
	subject := s.subject(u)
	for i, re := range s.exclude {
		if re.MatchString(subject) {
			return false, s.excludeWhy[i]
		}
	}
	if len(s.include) == 0 {
		return true, ""
	}
	for _, re := range s.include {
		if re.MatchString(subject) {
			return true, ""
		}
	}
	return false, reasonNoInclude
}

// subject returns the string the patterns of s match for u.
func (s *Scope) subject(u *url.URL) string {
	if s.matchFullURL {
		return u.String()
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery == "" {
		return p
	}
	return p + "?" + u.RawQuery
}

// hostInScope reports whether the canonical host is in the host scope of a
// seed.
func (s *Scope) hostInScope(host string) bool {
	switch s.kind {
	case ScopeAll:
		return true
	case ScopeSameHost:
		_, ok := s.hosts[host]
		return ok
	case ScopeSameDomain:
		_, ok := s.domains[registrableDomain(host)]
		return ok
	case ScopeSubdomains:
		if _, ok := s.hosts[host]; ok {
			return true
		}
		if isIP(host) {
			return false
		}
		for h := host; ; {
			i := strings.IndexByte(h, '.')
			if i < 0 {
				return false
			}
			h = h[i+1:]
			if _, ok := s.roots[h]; ok {
				return true
			}
		}
	}
	return false
}

// urlHost returns the canonical host name of u, without port or brackets,
// or an error when u is not an absolute http(s) URL with a valid host.
func urlHost(u *url.URL) (string, error) {
	if u == nil {
		return "", ErrNoHost
	}
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return "", fmt.Errorf("%w %q", ErrUnsupportedScheme, u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return "", ErrNoHost
	}
	host, port, err := splitHostPort(u.Host)
	if err != nil {
		return "", err
	}
	if _, err := canonPort(port); err != nil {
		return "", err
	}
	return canonHostname(host, strings.HasPrefix(u.Host, "["))
}

// isIP reports whether the canonical host is an IP address. Only IPv6
// literals contain ':' and only IPv4 addresses are all digits and dots, so
// names are told apart without calling (and allocating in) netip.ParseAddr.
func isIP(host string) bool {
	if strings.IndexByte(host, ':') >= 0 {
		return true
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// registrableDomain returns the registrable domain (eTLD+1) of the canonical
// host, or the host itself when it is an IP address or has none.
func registrableDomain(host string) string {
	if isIP(host) {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

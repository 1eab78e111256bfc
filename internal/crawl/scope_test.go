package crawl

import (
	"errors"
	"net/url"
	"regexp/syntax"
	"sync"
	"testing"
)

func mustScope(t *testing.T, seeds []string, cfg ScopeConfig) *Scope {
	t.Helper()
	var us []*url.URL
	for _, s := range seeds {
		us = append(us, mustParse(t, s))
	}
	s, err := NewScope(us, cfg)
	if err != nil {
		t.Fatalf("NewScope(%q, %+v): %v", seeds, cfg, err)
	}
	return s
}

type allowCase struct {
	url    string
	ok     bool
	reason string
}

func checkAllow(t *testing.T, s *Scope, cases []allowCase) {
	t.Helper()
	for _, c := range cases {
		ok, reason := s.Allow(mustParse(t, c.url))
		if ok != c.ok || reason != c.reason {
			t.Errorf("Allow(%q) = %v, %q; want %v, %q", c.url, ok, reason, c.ok, c.reason)
		}
	}
}

func TestScopeKinds(t *testing.T) {
	const (
		outHost      = "out of scope (same_host)"
		outDomain    = "out of scope (same_domain)"
		outSubdomain = "out of scope (subdomains)"
	)
	tests := []struct {
		name  string
		seeds []string
		kind  ScopeKind
		cases []allowCase
	}{
		{
			name: "same_host", seeds: []string{"https://www.example.com/start"}, kind: ScopeSameHost,
			cases: []allowCase{
				{"https://www.example.com/a", true, ""},
				{"http://www.example.com/a", true, ""},            // scheme ignored
				{"https://www.example.com:8443/a", true, ""},      // port ignored
				{"https://WWW.Example.com./a", true, ""},          // canonical host
				{"https://example.com/", false, outHost},          // parent
				{"https://blog.www.example.com/", false, outHost}, // child
				{"https://www.example.org/", false, outHost},
				{"https://www.example.com.evil.test/", false, outHost},
			},
		},
		{
			name: "default kind is same_host", seeds: []string{"https://www.example.com/"}, kind: "",
			cases: []allowCase{
				{"https://www.example.com/a", true, ""},
				{"https://example.com/", false, outHost},
			},
		},
		{
			name: "same_domain com", seeds: []string{"https://www.example.com/"}, kind: ScopeSameDomain,
			cases: []allowCase{
				{"https://example.com/", true, ""},
				{"https://a.b.example.com/", true, ""},
				{"http://shop.example.com:8080/", true, ""},
				{"https://example.org/", false, outDomain},
				{"https://notexample.com/", false, outDomain},
				{"https://example.com.evil.test/", false, outDomain},
			},
		},
		{
			name: "same_domain co.uk", seeds: []string{"https://www.example.co.uk/"}, kind: ScopeSameDomain,
			cases: []allowCase{
				{"https://shop.example.co.uk/", true, ""},
				{"https://example.co.uk/", true, ""},
				{"https://other.co.uk/", false, outDomain},
				{"https://co.uk/", false, outDomain},
			},
		},
		{
			name: "same_domain github.io", seeds: []string{"https://alice.github.io/blog/"}, kind: ScopeSameDomain,
			cases: []allowCase{
				{"https://alice.github.io/other", true, ""},
				{"https://docs.alice.github.io/", true, ""},
				{"https://bob.github.io/", false, outDomain},
				{"https://github.io/", false, outDomain},
				{"https://github.com/alice", false, outDomain},
			},
		},
		{
			name: "same_domain ip and localhost", seeds: []string{"http://127.0.0.1:8080/", "http://localhost/"}, kind: ScopeSameDomain,
			cases: []allowCase{
				{"http://127.0.0.1:9090/", true, ""},
				{"http://127.0.0.2/", false, outDomain}, // not "0.1" as a domain
				{"http://10.0.0.1/", false, outDomain},
				{"http://localhost:3000/", true, ""},
				{"http://app.localhost/", false, outDomain},
			},
		},
		{
			name: "subdomains", seeds: []string{"https://example.com/"}, kind: ScopeSubdomains,
			cases: []allowCase{
				{"https://example.com/a", true, ""},
				{"http://www.example.com/", true, ""},
				{"https://a.b.example.com/", true, ""},
				{"https://notexample.com/", false, outSubdomain},
				{"https://example.com.evil.test/", false, outSubdomain},
				{"https://com/", false, outSubdomain},
			},
		},
		{
			name: "subdomains of www", seeds: []string{"https://www.example.com/"}, kind: ScopeSubdomains,
			cases: []allowCase{
				{"https://cdn.www.example.com/", true, ""},
				{"https://example.com/", false, outSubdomain},
				{"https://api.example.com/", false, outSubdomain},
			},
		},
		{
			name: "subdomains of an ip", seeds: []string{"http://10.0.0.1/"}, kind: ScopeSubdomains,
			cases: []allowCase{
				{"http://10.0.0.1:81/", true, ""},
				{"http://x.10.0.0.1/", false, outSubdomain},
			},
		},
		{
			name: "all", seeds: nil, kind: ScopeAll,
			cases: []allowCase{
				{"https://anything.test/", true, ""},
				{"http://[::1]/", true, ""},
				{"ftp://anything.test/", false, "unsupported scheme"},
			},
		},
		{
			name: "several seeds", seeds: []string{"https://a.example/", "https://b.example/"}, kind: ScopeSameHost,
			cases: []allowCase{
				{"https://a.example/x", true, ""},
				{"https://b.example/x", true, ""},
				{"https://c.example/x", false, outHost},
			},
		},
		{
			name: "ipv6 same_host", seeds: []string{"http://[::1]:8080/"}, kind: ScopeSameHost,
			cases: []allowCase{
				{"http://[0:0::1]:9090/", true, ""},
				{"http://[::2]:8080/", false, outHost},
			},
		},
		{
			name: "idna same_host", seeds: []string{"https://bücher.example/"}, kind: ScopeSameHost,
			cases: []allowCase{
				{"https://xn--bcher-kva.example/", true, ""},
				{"https://BÜCHER.example/", true, ""},
			},
		},
		{
			name: "invalid urls", seeds: []string{"https://example.com/"}, kind: ScopeSameHost,
			cases: []allowCase{
				{"mailto:a@example.com", false, "unsupported scheme"},
				{"/relative", false, "unsupported scheme"},
				{"http:opaque", false, "invalid host"},
				{"http://example.com:99999/", false, "invalid host"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustScope(t, tt.seeds, ScopeConfig{Kind: tt.kind})
			checkAllow(t, s, tt.cases)
		})
	}
}

func TestScopeNilURL(t *testing.T) {
	s := mustScope(t, nil, ScopeConfig{Kind: ScopeAll})
	if ok, reason := s.Allow(nil); ok || reason != "nil URL" {
		t.Errorf("Allow(nil) = %v, %q", ok, reason)
	}
}

func TestScopePatterns(t *testing.T) {
	seeds := []string{"https://example.com/"}
	tests := []struct {
		name  string
		cfg   ScopeConfig
		cases []allowCase
	}{
		{
			name: "include",
			cfg:  ScopeConfig{IncludePaths: []string{`^/blog/`, `^/news/`}},
			cases: []allowCase{
				{"https://example.com/blog/post", true, ""},
				{"https://example.com/news/1", true, ""},
				{"https://example.com/en/blog/post", false, "not matched by include_paths"},
				{"https://example.com/", false, "not matched by include_paths"},
			},
		},
		{
			name: "unanchored",
			cfg:  ScopeConfig{IncludePaths: []string{`/blog/`}},
			cases: []allowCase{
				{"https://example.com/blog/post", true, ""},
				{"https://example.com/en/blog/post", true, ""},
				{"https://example.com/?next=/blog/", true, ""}, // the query is part of the subject
			},
		},
		{
			name: "exclude",
			cfg:  ScopeConfig{ExcludePaths: []string{`^/admin`, `\.pdf$`}},
			cases: []allowCase{
				{"https://example.com/admin/users", false, "excluded by exclude_paths[0]"},
				{"https://example.com/files/a.pdf", false, "excluded by exclude_paths[1]"},
				{"https://example.com/files/a.pdf?download=1", true, ""},
				{"https://example.com/docs", true, ""},
			},
		},
		{
			name: "exclude wins over include",
			cfg:  ScopeConfig{IncludePaths: []string{`^/products/`}, ExcludePaths: []string{`^/products/archive/`}},
			cases: []allowCase{
				{"https://example.com/products/1", true, ""},
				{"https://example.com/products/archive/1", false, "excluded by exclude_paths[0]"},
				{"https://example.com/about", false, "not matched by include_paths"},
			},
		},
		{
			name: "first matching exclude is named",
			cfg:  ScopeConfig{ExcludePaths: []string{`^/a`, `^/ab`}},
			cases: []allowCase{
				{"https://example.com/abc", false, "excluded by exclude_paths[0]"},
			},
		},
		{
			name: "query matching",
			cfg:  ScopeConfig{IncludePaths: []string{`^/products/\d+$`, `[?&]page=\d+`}, ExcludePaths: []string{`[?&]color=`}},
			cases: []allowCase{
				{"https://example.com/products/12", true, ""},
				{"https://example.com/products/12?color=red", false, "excluded by exclude_paths[0]"},
				{"https://example.com/products/12?size=m", false, "not matched by include_paths"},
				{"https://example.com/list?page=2", true, ""},
				{"https://example.com/list?a=1&page=2", true, ""},
				{"https://example.com/list?subpage=2", false, "not matched by include_paths"},
			},
		},
		{
			name: "subject of an empty path is /",
			cfg:  ScopeConfig{IncludePaths: []string{`^/$`}},
			cases: []allowCase{
				{"https://example.com", true, ""},
				{"https://example.com/", true, ""},
				{"https://example.com/?", true, ""}, // empty query: no "?" in the subject
				{"https://example.com/?a=1", false, "not matched by include_paths"},
			},
		},
		{
			name: "escaped path is matched",
			cfg:  ScopeConfig{IncludePaths: []string{`^/caf%C3%A9/`, `^/a%2Fb$`}},
			cases: []allowCase{
				{"https://example.com/caf%C3%A9/menu", true, ""},
				{"https://example.com/a%2Fb", true, ""},
				{"https://example.com/a/b", false, "not matched by include_paths"},
			},
		},
		{
			name: "path patterns do not see the host",
			cfg:  ScopeConfig{Kind: ScopeSubdomains, ExcludePaths: []string{`shop`}},
			cases: []allowCase{
				{"https://shop.example.com/cart", true, ""},
				{"https://example.com/shop", false, "excluded by exclude_paths[0]"},
			},
		},
		{
			name: "match full url",
			cfg:  ScopeConfig{Kind: ScopeSubdomains, MatchFullURL: true, IncludePaths: []string{`^https://shop\.example\.com/`}, ExcludePaths: []string{`^http://`}},
			cases: []allowCase{
				{"https://shop.example.com/cart?x=1", true, ""},
				{"http://shop.example.com/cart", false, "excluded by exclude_paths[0]"},
				{"https://example.com/shop", false, "not matched by include_paths"},
			},
		},
		{
			name: "host scope before patterns",
			cfg:  ScopeConfig{ExcludePaths: []string{`.`}},
			cases: []allowCase{
				{"https://other.example/", false, "out of scope (same_host)"},
				{"https://example.com/", false, "excluded by exclude_paths[0]"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAllow(t, mustScope(t, seeds, tt.cfg), tt.cases)
		})
	}
}

func TestNewScopeErrors(t *testing.T) {
	good := []*url.URL{mustParse(t, "https://example.com/")}
	tests := []struct {
		name    string
		seeds   []*url.URL
		cfg     ScopeConfig
		field   string
		wantMsg string
	}{
		{"bad include", good, ScopeConfig{IncludePaths: []string{`^/a`, `(`}}, "include_paths[1]",
			"include_paths[1]: error parsing regexp: missing closing ): `(`"},
		{"bad exclude", good, ScopeConfig{ExcludePaths: []string{`[z-a]`}}, "exclude_paths[0]",
			"exclude_paths[0]: error parsing regexp: invalid character class range: `z-a`"},
		{"bad kind", good, ScopeConfig{Kind: "same_site"}, "kind",
			`kind: unknown scope kind "same_site" (want same_host, same_domain, subdomains or all)`},
		{"no seeds", nil, ScopeConfig{}, "seeds", "seeds: at least one seed is required"},
		{"nil seed", []*url.URL{nil}, ScopeConfig{}, "seeds[0]", "seeds[0]: crawl: URL has no host"},
		{"relative seed", []*url.URL{good[0], mustParse(t, "/a")}, ScopeConfig{}, "seeds[1]",
			`seeds[1]: crawl: unsupported URL scheme ""`},
		{"ftp seed", []*url.URL{mustParse(t, "ftp://example.com/")}, ScopeConfig{Kind: ScopeAll}, "seeds[0]",
			`seeds[0]: crawl: unsupported URL scheme "ftp"`},
		{"bad host seed", []*url.URL{{Scheme: "http", Host: "a..b"}}, ScopeConfig{}, "seeds[0]",
			`seeds[0]: crawl: invalid host: empty label in "a..b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewScope(tt.seeds, tt.cfg)
			if s != nil {
				t.Error("NewScope returned a scope with the error")
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v (%T), want *ConfigError", err, err)
			}
			if ce.Field != tt.field {
				t.Errorf("Field = %q, want %q", ce.Field, tt.field)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("error = %s\nwant    %s", err, tt.wantMsg)
			}
		})
	}
	_, err := NewScope(good, ScopeConfig{IncludePaths: []string{`(`}})
	var se *syntax.Error
	if !errors.As(err, &se) || se.Code != syntax.ErrMissingParen {
		t.Errorf("error = %v, want one wrapping the *syntax.Error", err)
	}
}

func TestScopeKind(t *testing.T) {
	if k := mustScope(t, []string{"https://example.com/"}, ScopeConfig{}).Kind(); k != ScopeSameHost {
		t.Errorf("Kind() = %q, want %q", k, ScopeSameHost)
	}
}

func TestScopeConcurrent(t *testing.T) {
	s := mustScope(t, []string{"https://example.com/"}, ScopeConfig{
		Kind: ScopeSameDomain, IncludePaths: []string{`^/p/`}, ExcludePaths: []string{`x`},
	})
	urls := []*url.URL{
		mustParse(t, "https://a.example.com/p/1"),
		mustParse(t, "https://example.com/p/x"),
		mustParse(t, "https://example.org/p/1"),
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				for _, u := range urls {
					s.Allow(u)
				}
			}
		})
	}
	wg.Wait()
}

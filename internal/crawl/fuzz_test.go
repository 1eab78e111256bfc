package crawl

import (
	"bytes"
	"net/url"
	"testing"
)

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"HTTP://Example.COM:80/a/../b?b=2&a=1#x",
		"http://[::1]:8080/",
		"http://[fe80::1%25en0]:80/a",
		"https://bücher.example./café?q=é&utm_source=x",
		"http://example.com/%7e%2f%zz/./../a b?&a=%zz&&b=+",
		"http://user:pass@example.com:0443/",
		"http://example.com/a[b]?f[a]=1#frag",
		"https://xn--bcher-kva.example/",
		"http://a/..//../b/.",
		"http:opaque",
		"ftp://example.com/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		for _, opts := range []NormalizeOptions{DefaultNormalizeOptions(), {}, {SortQuery: true, StripParams: []string{"a*", "B"}}} {
			n, err := Normalize(u, opts)
			key := Key(u)
			if err != nil {
				if n != nil {
					t.Fatalf("Normalize(%q) = %q with error %v", raw, n, err)
				}
				if opts.SortQuery && opts.StripTracking && key != u.String() {
					t.Fatalf("Key(%q) = %q, want u.String() %q for a rejected URL", raw, key, u.String())
				}
				continue
			}
			s := n.String()
			if opts.SortQuery && opts.StripTracking && opts.StripParams == nil && key != s {
				t.Fatalf("Key(%q) = %q, Normalize = %q", raw, key, s)
			}
			// Idempotent on the URL itself.
			n2, err := Normalize(n, opts)
			if err != nil {
				t.Fatalf("Normalize(Normalize(%q) = %q): %v", raw, s, err)
			}
			if n2.String() != s {
				t.Fatalf("not idempotent: %q -> %q -> %q", raw, s, n2.String())
			}
			// Idempotent through the string form, which is what a frontier stores.
			p, err := url.Parse(s)
			if err != nil {
				t.Fatalf("url.Parse(Normalize(%q) = %q): %v", raw, s, err)
			}
			n3, err := Normalize(p, opts)
			if err != nil {
				t.Fatalf("Normalize(url.Parse(%q)): %v", s, err)
			}
			if n3.String() != s {
				t.Fatalf("not stable through String: %q -> %q -> %q", raw, s, n3.String())
			}
			if n.Fragment != "" || n.Opaque != "" || n.ForceQuery {
				t.Fatalf("Normalize(%q) = %#v has a fragment, opaque part or bare '?'", raw, n)
			}
		}
	})
}

func FuzzScopeAllow(f *testing.F) {
	f.Add("https://www.example.co.uk/a?b=1", "https://shop.example.co.uk/products/1?color=red")
	f.Add("http://[::1]:8080/", "http://[0::1]/x")
	f.Add("https://alice.github.io/", "https://x.alice.github.io/p")
	f.Fuzz(func(t *testing.T, seed, link string) {
		su, err1 := url.Parse(seed)
		lu, err2 := url.Parse(link)
		if err1 != nil || err2 != nil {
			return
		}
		for _, kind := range []ScopeKind{ScopeSameHost, ScopeSameDomain, ScopeSubdomains, ScopeAll} {
			s, err := NewScope([]*url.URL{su}, ScopeConfig{Kind: kind, IncludePaths: []string{`^/`}, ExcludePaths: []string{`x$`}})
			if err != nil {
				return
			}
			ok, reason := s.Allow(lu)
			if ok != (reason == "") {
				t.Fatalf("Allow(%q) = %v, %q", link, ok, reason)
			}
			// A seed is always in its own host scope.
			if ok, reason := s.Allow(su); !ok && reason == s.outOfScope {
				t.Fatalf("seed %q is out of its own %s scope", seed, kind)
			}
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(urlsetDoc))
	f.Add([]byte(indexDoc))
	f.Add(gzipBytes(f, []byte(indexDoc)))
	f.Add([]byte("\xef\xbb\xbf<sm:urlset xmlns:sm=\"x\"><sm:url><sm:loc> /a </sm:loc></sm:url></sm:urlset>"))
	f.Add([]byte("<urlset><url><loc>http://a/?a=1&b</url><sitemap><loc>x</loc></sitemap>"))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><sitemapindex/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := ParseSitemap(bytes.NewReader(data), 64<<10)
		if err != nil {
			if sm != nil {
				t.Fatalf("ParseSitemap returned %+v with error %v", sm, err)
			}
			return
		}
		for _, e := range sm.Entries {
			if !isAbsoluteHTTP(e.Loc) {
				t.Fatalf("entry %q is not an absolute http(s) URL", e.Loc)
			}
		}
		for _, s := range sm.Skipped {
			if s.Reason == "" || s.Line < 1 {
				t.Fatalf("skipped entry %+v lacks a reason or line", s)
			}
		}
	})
}

func FuzzSitemapsFromRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nSitemap: https://example.com/s.xml # c\r\nsitemap:/x"))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, s := range SitemapsFromRobots(body) {
			if s == "" || bytes.ContainsAny([]byte(s), "\r\n#") {
				t.Fatalf("bad value %q", s)
			}
		}
	})
}

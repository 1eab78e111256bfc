package crawl

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func mustParse(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", raw, err)
	}
	return u
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// The example of the brief: every default rule at once.
		{"combined", "HTTP://Example.COM:80/a/../b?b=2&a=1#x", "http://example.com/b?a=1&b=2"},

		// Scheme and host case.
		{"scheme lowercase", "HtTpS://example.com/", "https://example.com/"},
		{"host lowercase", "http://WWW.Example.COM/", "http://www.example.com/"},
		{"path case kept", "http://example.com/A/B", "http://example.com/A/B"},

		// Ports.
		{"http default port", "http://example.com:80/", "http://example.com/"},
		{"https default port", "https://example.com:443/", "https://example.com/"},
		{"http on 443 kept", "http://example.com:443/", "http://example.com:443/"},
		{"https on 80 kept", "https://example.com:80/", "https://example.com:80/"},
		{"other port kept", "http://example.com:8080/", "http://example.com:8080/"},
		{"empty port", "http://example.com:/", "http://example.com/"},
		{"leading zeros", "http://example.com:0080/", "http://example.com/"},
		{"leading zeros other", "http://example.com:08080/", "http://example.com:8080/"},
		{"port zero", "http://example.com:000/", "http://example.com:0/"},

		// Hosts.
		{"trailing dot", "http://example.com./", "http://example.com/"},
		{"trailing dot and port", "http://Example.COM.:8080/", "http://example.com:8080/"},
		{"idna", "http://Bücher.example/", "http://xn--bcher-kva.example/"},
		{"idna trailing dot", "http://Bücher.example./", "http://xn--bcher-kva.example/"},
		{"idna escaped", "http://b%C3%BCcher.example/", "http://xn--bcher-kva.example/"},
		{"idna fullwidth", "http://ｅｘａｍｐｌｅ.com/", "http://example.com/"},
		{"punycode uppercase", "http://XN--BCHER-KVA.example/", "http://xn--bcher-kva.example/"},
		{"underscore", "http://my_host.example.com/", "http://my_host.example.com/"},
		{"ipv4", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/"},
		{"ipv6 loopback", "http://[::1]:8080/", "http://[::1]:8080/"},
		{"ipv6 default port", "http://[::1]:80/", "http://[::1]/"},
		{"ipv6 canonical", "http://[0:0:0:0:0:0:0:1]/", "http://[::1]/"},
		{"ipv6 uppercase", "http://[2001:DB8::A]/", "http://[2001:db8::a]/"},
		{"ipv6 zone", "http://[fe80::1%25en0]/", "http://[fe80::1%25en0]/"},

		// User info.
		{"userinfo kept", "http://user:pa%20ss@example.com/", "http://user:pa%20ss@example.com/"},
		{"empty userinfo", "http://@example.com/", "http://example.com/"},

		// Fragment.
		{"fragment", "http://example.com/a#section", "http://example.com/a"},
		{"empty fragment", "http://example.com/a#", "http://example.com/a"},

		// Path.
		{"empty path", "http://example.com", "http://example.com/"},
		{"empty path with query", "http://example.com?a=1", "http://example.com/?a=1"},
		{"dot segments", "http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"dot dot at end", "http://example.com/a/b/..", "http://example.com/a/"},
		{"dot at end", "http://example.com/a/.", "http://example.com/a/"},
		{"dot dot above root", "http://example.com/../../a", "http://example.com/a"},
		{"only dot dot", "http://example.com/..", "http://example.com/"},
		{"escaped dots", "http://example.com/a/%2E%2e/b", "http://example.com/b"},
		{"dots in names kept", "http://example.com/a.../..b/.c", "http://example.com/a.../..b/.c"},
		{"double slash kept", "http://example.com//a//b", "http://example.com//a//b"},
		{"trailing slash kept", "http://example.com/a/", "http://example.com/a/"},
		{"unreserved decoded", "http://example.com/%7Euser/%41%2d%5F", "http://example.com/~user/A-_"},
		{"hex uppercased", "http://example.com/a%2fb%3a", "http://example.com/a%2Fb%3A"},
		{"reserved escapes kept", "http://example.com/a%2Fb%3Bc%3D", "http://example.com/a%2Fb%3Bc%3D"},
		{"sub-delims kept raw", "http://example.com/a;b=c,d!e$f'g(h)i*j+k&l:m@n", "http://example.com/a;b=c,d!e$f'g(h)i*j+k&l:m@n"},
		{"space escaped", "http://example.com/a b", "http://example.com/a%20b"},
		{"unicode path", "http://example.com/café/ü", "http://example.com/caf%C3%A9/%C3%BC"},
		{"unicode path escaped lowercase", "http://example.com/caf%c3%a9", "http://example.com/caf%C3%A9"},
		{"brackets escaped", "http://example.com/a[b]", "http://example.com/a%5Bb%5D"},
		{"escaped brackets kept", "http://example.com/a%5bb%5d", "http://example.com/a%5Bb%5D"},

		// Query.
		{"query sorted", "http://example.com/?c=3&a=1&b=2", "http://example.com/?a=1&b=2&c=3"},
		{"query sort stable", "http://example.com/?b=1&a=2&b=0&a=1", "http://example.com/?a=2&a=1&b=1&b=0"},
		{"empty query", "http://example.com/?", "http://example.com/"},
		{"empty params dropped", "http://example.com/?&a=1&&b=2&", "http://example.com/?a=1&b=2"},
		{"only ampersands", "http://example.com/?&&", "http://example.com/"},
		{"param without value", "http://example.com/?b&a=", "http://example.com/?a=&b"},
		{"plus and %20 distinct", "http://example.com/?q=a+b&r=a%20b", "http://example.com/?q=a+b&r=a%20b"},
		{"query unreserved decoded", "http://example.com/?%61=%7e", "http://example.com/?a=~"},
		{"query hex uppercased", "http://example.com/?a=%2f%c3%a9", "http://example.com/?a=%2F%C3%A9"},
		{"query bad percent", "http://example.com/?a=%zz&b=%", "http://example.com/?a=%25zz&b=%25"},
		{"query raw space", "http://example.com/?a=x y", "http://example.com/?a=x%20y"},
		{"query brackets", "http://example.com/?f[a]=1", "http://example.com/?f%5Ba%5D=1"},
		{"query raw question and slash", "http://example.com/?next=/a?b", "http://example.com/?next=/a?b"},
		{"query equals in value", "http://example.com/?a==b=", "http://example.com/?a==b="},
		{"query unicode", "http://example.com/?q=é", "http://example.com/?q=%C3%A9"},

		// Tracking parameters.
		{"utm", "http://example.com/p?utm_source=x&utm_medium=y&id=1", "http://example.com/p?id=1"},
		{"utm case", "http://example.com/p?UTM_Source=x&id=1", "http://example.com/p?id=1"},
		{"utm escaped", "http://example.com/p?%75tm_source=x&id=1", "http://example.com/p?id=1"},
		{"click ids", "http://example.com/?gclid=a&fbclid=b&msclkid=c&yclid=d&igshid=e&ref_src=f&x=1", "http://example.com/?x=1"},
		{"mailchimp and ga", "http://example.com/?mc_cid=a&mc_eid=b&_ga=c&x=1", "http://example.com/?x=1"},
		{"all tracking", "http://example.com/a?utm_campaign=x", "http://example.com/a"},
		{"utm prefix only", "http://example.com/?xutm_source=1&utm=2", "http://example.com/?utm=2&xutm_source=1"},
		{"gclid needs exact name", "http://example.com/?gclid2=1", "http://example.com/?gclid2=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustParse(t, tt.in)
			before := in.String()
			got, err := Normalize(in, DefaultNormalizeOptions())
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if k := Key(in); k != tt.want {
				t.Errorf("Key(%q) = %q, want %q", tt.in, k, tt.want)
			}
			if in.String() != before {
				t.Errorf("Normalize modified its input: %q, was %q", in, before)
			}
			again, err := Normalize(got, DefaultNormalizeOptions())
			if err != nil || again.String() != tt.want {
				t.Errorf("Normalize(Normalize(%q)) = %v, %v; want %q", tt.in, again, err, tt.want)
			}
			reparsed := mustParse(t, got.String())
			if reparsed.Path != got.Path || reparsed.EscapedPath() != got.EscapedPath() ||
				reparsed.Host != got.Host || reparsed.RawQuery != got.RawQuery {
				t.Errorf("url.Parse(%q) = %#v, want %#v", got, reparsed, got)
			}
		})
	}
}

func TestNormalizeOptions(t *testing.T) {
	tests := []struct {
		name string
		opts NormalizeOptions
		in   string
		want string
	}{
		{"zero options keep order and tracking", NormalizeOptions{}, "http://example.com/?utm_source=x&b=2&a=1", "http://example.com/?utm_source=x&b=2&a=1"},
		{"zero options still drop empty params", NormalizeOptions{}, "http://example.com/?b=2&&a=1", "http://example.com/?b=2&a=1"},
		{"zero options still normalise escapes", NormalizeOptions{}, "http://example.com/?b=%7e&a=%2f", "http://example.com/?b=~&a=%2F"},
		{"sort only", NormalizeOptions{SortQuery: true}, "http://example.com/?utm_source=x&b=2&a=1", "http://example.com/?a=1&b=2&utm_source=x"},
		{"strip only", NormalizeOptions{StripTracking: true}, "http://example.com/?utm_source=x&b=2&a=1", "http://example.com/?b=2&a=1"},
		{"strip params exact", NormalizeOptions{StripParams: []string{"sessionid", "sid"}}, "http://example.com/?SessionID=1&sid=2&side=3", "http://example.com/?side=3"},
		{"strip params prefix", NormalizeOptions{StripParams: []string{"ref_*"}}, "http://example.com/?ref_a=1&REF_b=2&ref=3", "http://example.com/?ref=3"},
		{"strip params and tracking", NormalizeOptions{SortQuery: true, StripTracking: true, StripParams: []string{"page"}}, "http://example.com/?page=2&gclid=x&q=a", "http://example.com/?q=a"},
		{"strip everything", NormalizeOptions{StripParams: []string{"*"}}, "http://example.com/?a=1&b=2", "http://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(mustParse(t, tt.in), tt.opts)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Normalize(%q, %+v) = %q, want %q", tt.in, tt.opts, got, tt.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name    string
		u       *url.URL
		wantErr error
		wantMsg string
	}{
		{"ftp", &url.URL{Scheme: "ftp", Host: "example.com", Path: "/f"}, ErrUnsupportedScheme, `crawl: unsupported URL scheme: "ftp://example.com/f"`},
		{"mailto", &url.URL{Scheme: "mailto", Opaque: "a@example.com"}, ErrUnsupportedScheme, `crawl: unsupported URL scheme: "mailto:a@example.com"`},
		{"relative", &url.URL{Path: "/a"}, ErrUnsupportedScheme, `crawl: unsupported URL scheme: "/a"`},
		{"scheme relative", &url.URL{Host: "example.com", Path: "/a"}, ErrUnsupportedScheme, `crawl: unsupported URL scheme: "//example.com/a"`},
		{"password redacted", &url.URL{Scheme: "ftp", User: url.UserPassword("u", "secret"), Host: "h"}, ErrUnsupportedScheme, `crawl: unsupported URL scheme: "ftp://u:xxxxx@h"`},
		{"no host", &url.URL{Scheme: "http", Path: "/a"}, ErrNoHost, `crawl: URL has no host: "http:///a"`},
		{"opaque", &url.URL{Scheme: "http", Opaque: "a"}, ErrNoHost, `crawl: URL has no host: "http:a"`},
		{"port only", &url.URL{Scheme: "http", Host: ":80"}, ErrNoHost, `crawl: URL has no host: "http://:80"`},
		{"dot only", &url.URL{Scheme: "http", Host: "."}, ErrNoHost, `crawl: URL has no host: "http://."`},
		{"nil", nil, ErrNoHost, `crawl: URL has no host: ""`},
		{"port too big", &url.URL{Scheme: "http", Host: "example.com:65536"}, ErrInvalidHost, `crawl: invalid host: port "65536" out of range: "http://example.com:65536"`},
		{"port not a number", &url.URL{Scheme: "http", Host: "example.com:8x"}, ErrInvalidHost, `crawl: invalid host: port "8x": "http://example.com:8x"`},
		{"host char", &url.URL{Scheme: "http", Host: "a<b"}, ErrInvalidHost, `crawl: invalid host: character '<' in "a<b": "http://a<b"`},
		{"empty label", &url.URL{Scheme: "http", Host: "a..b"}, ErrInvalidHost, `crawl: invalid host: empty label in "a..b": "http://a..b"`},
		{"two trailing dots", &url.URL{Scheme: "http", Host: "a.b.."}, ErrInvalidHost, `crawl: invalid host: empty label in "a.b.": "http://a.b.."`},
		{"leading dot", &url.URL{Scheme: "http", Host: ".a"}, ErrInvalidHost, `crawl: invalid host: empty label in ".a": "http://.a"`},
		{"ipv4 in brackets", &url.URL{Scheme: "http", Host: "[127.0.0.1]"}, ErrInvalidHost, `crawl: invalid host: bad IPv6 literal "127.0.0.1": "http://[127.0.0.1]"`},
		{"unclosed bracket", &url.URL{Scheme: "http", Host: "[::1"}, ErrInvalidHost, `crawl: invalid host: missing ']' in IPv6 literal: "http://[::1"`},
		{"ipv6 without brackets", &url.URL{Scheme: "http", Host: "::1"}, ErrInvalidHost, `crawl: invalid host: IPv6 literal without brackets: "http://::1"`},
		{"bad zone", &url.URL{Scheme: "http", Host: "[fe80::1%a/b]"}, ErrInvalidHost, `crawl: invalid host: character '/' in IPv6 zone "a/b": "http://[fe80::1%25a%2Fb]"`},
		{"junk after bracket", &url.URL{Scheme: "http", Host: "[::1]x"}, ErrInvalidHost, `crawl: invalid host: "x" after IPv6 literal: "http://[::1]x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.u, DefaultNormalizeOptions())
			if got != nil {
				t.Errorf("Normalize returned %q with the error", got)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want one wrapping %v", err, tt.wantErr)
			}
			var ue *URLError
			if !errors.As(err, &ue) {
				t.Fatalf("error = %T, want *URLError", err)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("error = %s\nwant    %s", err, tt.wantMsg)
			}
		})
	}
}

func TestNormalizeInvalidIDNA(t *testing.T) {
	// A host that IDNA rejects (a label starting with a combining mark).
	u := &url.URL{Scheme: "http", Host: "\u0301a.example", Path: "/"}
	_, err := Normalize(u, DefaultNormalizeOptions())
	if !errors.Is(err, ErrInvalidHost) {
		t.Fatalf("error = %v, want ErrInvalidHost", err)
	}
	if !strings.Contains(err.Error(), "idna") {
		t.Errorf("error %q does not give the IDNA reason", err)
	}
}

func TestKeyEquivalent(t *testing.T) {
	groups := [][]string{
		{
			"http://example.com/b?a=1&b=2",
			"HTTP://EXAMPLE.COM/b?b=2&a=1",
			"http://example.com:80/a/../b?a=1&b=2#frag",
			"http://example.com./b?&a=1&&b=2&utm_source=news",
			"http://example.com/%62?%61=1&b=2",
			"http://example.com/./b?a=1&b=2&fbclid=xyz",
		},
		{
			"https://xn--bcher-kva.example/caf%C3%A9",
			"https://BÜCHER.example:443/café",
			"https://bücher.example/caf%c3%a9#x",
		},
		{
			"http://[::1]:8080/",
			"http://[0::1]:08080",
		},
	}
	var keys []string
	for _, g := range groups {
		want := Key(mustParse(t, g[0]))
		for _, raw := range g[1:] {
			if got := Key(mustParse(t, raw)); got != want {
				t.Errorf("Key(%q) = %q, want %q (the key of %q)", raw, got, want, g[0])
			}
		}
		keys = append(keys, want)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(groups) {
		t.Errorf("keys of different groups collide: %q", keys)
	}
}

func TestKeyDistinct(t *testing.T) {
	// Spellings that may name different resources keep different keys.
	pairs := [][2]string{
		{"http://example.com/a", "https://example.com/a"},
		{"http://example.com/a", "http://example.com/a/"},
		{"http://example.com/a", "http://example.com/A"},
		{"http://example.com/a/b", "http://example.com/a%2Fb"},
		{"http://example.com//a", "http://example.com/a"},
		{"http://example.com/?q=a+b", "http://example.com/?q=a%20b"},
		{"http://example.com/?a", "http://example.com/?a="},
		{"http://example.com/?a=1&a=2", "http://example.com/?a=2&a=1"},
		{"http://example.com:8080/", "http://example.com/"},
		{"http://www.example.com/", "http://example.com/"},
		{"http://user@example.com/", "http://example.com/"},
	}
	for _, p := range pairs {
		a, b := Key(mustParse(t, p[0])), Key(mustParse(t, p[1]))
		if a == b {
			t.Errorf("Key(%q) == Key(%q) == %q, want them distinct", p[0], p[1], a)
		}
	}
}

func TestKeyRejected(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"ftp://Example.com/a#b", "ftp://Example.com/a#b"},
	}
	for _, tt := range tests {
		if got := Key(mustParse(t, tt.in)); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTrackingParams(t *testing.T) {
	got := TrackingParams()
	for _, want := range []string{"utm_*", "gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga", "yclid", "igshid", "ref_src"} {
		if !slices.Contains(got, want) {
			t.Errorf("TrackingParams() = %q, missing %q", got, want)
		}
	}
	got[0] = "changed"
	if TrackingParams()[0] == "changed" {
		t.Error("TrackingParams returns shared state")
	}
	opts := NormalizeOptions{StripTracking: true}
	for _, p := range TrackingParams() {
		name := strings.TrimSuffix(p, "*") + "x"
		if !strings.HasSuffix(p, "*") {
			name = p
		}
		if !stripParam(name, &opts) || !stripParam(strings.ToUpper(name), &opts) {
			t.Errorf("StripTracking keeps %q", name)
		}
	}
	// isTrackingParam agrees with the list on names near the listed ones.
	var candidates []string
	for _, p := range TrackingParams() {
		base := strings.TrimSuffix(p, "*")
		candidates = append(candidates, base, base+"x", "x"+base, base[:len(base)-1], strings.ToUpper(base))
	}
	candidates = append(candidates, "", "u", "ut", "utm", "utm_", "UTM_x", "utmx", "utm-source", "_g", "li_fat_idx", "page", "id")
	for _, name := range candidates {
		want := false
		for _, p := range TrackingParams() {
			want = want || nameMatches(p, name)
		}
		if got := isTrackingParam(name); got != want {
			t.Errorf("isTrackingParam(%q) = %v, want %v per TrackingParams", name, got, want)
		}
	}
}

func TestByteSets(t *testing.T) {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	const unreserved = alnum + "-._~"
	sets := []struct {
		name   string
		lo, hi uint64
		chars  string
	}{
		{"unreserved", unreservedLo, unreservedHi, unreserved},
		{"pathRaw", pathRawLo, pathRawHi, unreserved + "!$&'()*+,;=:@/"},
		{"queryRaw", queryRawLo, queryRawHi, unreserved + "!$'()*+,;=:@/?"},
		{"hostChar", hostCharLo, hostCharHi, "abcdefghijklmnopqrstuvwxyz0123456789-_."},
	}
	for _, s := range sets {
		for c := range 256 {
			want := c < 128 && strings.IndexByte(s.chars, byte(c)) >= 0
			if got := inSet(byte(c), s.lo, s.hi); got != want {
				t.Errorf("%s: inSet(%q) = %v, want %v", s.name, byte(c), got, want)
			}
		}
	}
}

package crawl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const urlsetDoc = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://example.com/</loc>
    <lastmod>2024-05-01</lastmod>
    <changefreq>daily</changefreq>
    <priority>1.0</priority>
  </url>
  <url>
    <loc>
      https://example.com/products?id=1&amp;color=red
    </loc>
    <image:image><image:loc>https://cdn.example.com/1.jpg</image:loc></image:image>
  </url>
  <url><loc><![CDATA[https://example.com/a&b]]></loc><lastmod> 2024-05-02T10:00:00+00:00 </lastmod></url>
</urlset>
`

var urlsetWant = &Sitemap{
	Entries: []SitemapEntry{
		{Loc: "https://example.com/", LastMod: "2024-05-01"},
		{Loc: "https://example.com/products?id=1&color=red"},
		{Loc: "https://example.com/a&b", LastMod: "2024-05-02T10:00:00+00:00"},
	},
}

const indexDoc = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://example.com/sitemap-1.xml.gz</loc>
    <lastmod>2024-05-01T00:00:00Z</lastmod>
  </sitemap>
  <sitemap>
    <loc>https://example.com/sitemap-2.xml</loc>
  </sitemap>
</sitemapindex>`

var indexWant = &Sitemap{
	IsIndex: true,
	Entries: []SitemapEntry{
		{Loc: "https://example.com/sitemap-1.xml.gz", LastMod: "2024-05-01T00:00:00Z"},
		{Loc: "https://example.com/sitemap-2.xml"},
	},
}

func TestParseSitemap(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want *Sitemap
	}{
		{"urlset", []byte(urlsetDoc), urlsetWant},
		{"index", []byte(indexDoc), indexWant},
		{"gzipped urlset", gzipBytes(t, []byte(urlsetDoc)), urlsetWant},
		{"gzipped index", gzipBytes(t, []byte(indexDoc)), indexWant},
		{"bom", []byte("\xef\xbb\xbf" + urlsetDoc), urlsetWant},
		{"gzipped bom", gzipBytes(t, []byte("\xef\xbb\xbf"+indexDoc)), indexWant},
		{
			"no namespace",
			[]byte(`<urlset><url><loc>http://example.com/a</loc></url></urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a"}}},
		},
		{
			"prefixed namespace",
			[]byte(`<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>http://example.com/a</sm:loc><sm:lastmod>2024</sm:lastmod></sm:url></sm:urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a", LastMod: "2024"}}},
		},
		{
			"other default namespace",
			[]byte(`<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc>http://example.com/a</loc></url></urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a"}}},
		},
		{
			"empty urlset",
			[]byte(`<urlset/>`),
			&Sitemap{},
		},
		{
			"tolerant: raw ampersand and html entity",
			[]byte(`<urlset><url><loc>http://example.com/?a=1&b=2&nbsp;</loc></url></urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/?a=1&b=2"}}}, // the trailing U+00A0 is trimmed as white space
		},
		{
			"tolerant: missing end tag inside the root",
			[]byte(`<urlset><url><loc>http://example.com/a</url><url><loc>http://example.com/b</loc></url></urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a"}, {Loc: "http://example.com/b"}}},
		},
		{
			"latin-1 declared",
			[]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://example.com/caf\xe9</loc></url></urlset>"),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/café"}}},
		},
		{
			"stops at the root's end",
			[]byte(`<urlset><url><loc>http://example.com/a</loc></url></urlset><<<garbage`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a"}}},
		},
		{
			"elements outside entries ignored",
			[]byte(`<urlset><loc>http://example.com/stray</loc><url><x><loc>http://example.com/deep</loc></x><loc>http://example.com/a</loc></url></urlset>`),
			&Sitemap{Entries: []SitemapEntry{{Loc: "http://example.com/a"}}},
		},
		{
			"skipped entries",
			[]byte(`<urlset>
<url><loc>/relative</loc></url>
<url><lastmod>2024</lastmod></url>
<url><loc>mailto:a@example.com</loc></url>
<url><loc>http://example.com/ok</loc></url>
<url><loc>http:opaque</loc></url>
<url><loc>http://example.com/first</loc><loc>http://example.com/second</loc></url>
<sitemap><loc>http://example.com/child.xml</loc></sitemap>
<url><loc>http://[bad/</loc></url>
<url><loc></loc></url>
</urlset>`),
			&Sitemap{
				Entries: []SitemapEntry{{Loc: "http://example.com/ok"}, {Loc: "http://example.com/first"}},
				Skipped: []SkippedEntry{
					{Loc: "/relative", Line: 2, Reason: "not an absolute http(s) URL"},
					{Loc: "", Line: 3, Reason: "missing <loc>"},
					{Loc: "mailto:a@example.com", Line: 4, Reason: "not an absolute http(s) URL"},
					{Loc: "http:opaque", Line: 6, Reason: "not an absolute http(s) URL"},
					{Loc: "http://example.com/second", Line: 7, Reason: "extra <loc> in one entry"},
					{Loc: "http://example.com/child.xml", Line: 8, Reason: "<sitemap> in a <urlset>"},
					{Loc: "http://[bad/", Line: 9, Reason: "not an absolute http(s) URL"},
					{Loc: "", Line: 10, Reason: "not an absolute http(s) URL"},
				},
			},
		},
		{
			"url in an index",
			[]byte("<sitemapindex>\n<url><loc>http://example.com/page</loc></url></sitemapindex>"),
			&Sitemap{IsIndex: true, Skipped: []SkippedEntry{{Loc: "http://example.com/page", Line: 2, Reason: "<url> in a <sitemapindex>"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap(bytes.NewReader(tt.in), 1<<20)
			if err != nil {
				t.Fatalf("ParseSitemap: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSitemap =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseSitemapOneByteReads(t *testing.T) {
	for _, in := range [][]byte{[]byte(urlsetDoc), gzipBytes(t, []byte(urlsetDoc))} {
		got, err := ParseSitemap(iotest.OneByteReader(bytes.NewReader(in)), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, urlsetWant) {
			t.Errorf("ParseSitemap = %+v, want %+v", got, urlsetWant)
		}
	}
}

// spaceReader is an endless stream of spaces, which XML allows before the
// root element.
type spaceReader struct{}

func (spaceReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestParseSitemapTooLarge(t *testing.T) {
	// A gzip bomb: a valid document padded with 64 MiB of spaces, as 66 gzip
	// members (which readers concatenate), a few tens of KiB in all.
	var bomb bytes.Buffer
	bomb.Write(gzipBytes(t, []byte("<urlset><url><loc>http://example.com/a</loc></url>")))
	spaces := gzipBytes(t, bytes.Repeat([]byte(" "), 1<<20))
	for range 64 {
		bomb.Write(spaces)
	}
	bomb.Write(gzipBytes(t, []byte("</urlset>")))
	if bomb.Len() > 128<<10 {
		t.Fatalf("bomb is %d bytes compressed", bomb.Len())
	}
	zr, err := gzip.NewReader(bytes.NewReader(bomb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n < 64<<20 {
		t.Fatalf("bomb decompresses to %d bytes, %v", n, err)
	}

	exact := []byte(`<urlset><url><loc>http://example.com/a</loc></url></urlset>`)
	tests := []struct {
		name  string
		in    io.Reader
		limit int64
	}{
		{"gzip bomb", bytes.NewReader(bomb.Bytes()), 1 << 20},
		{"plain over by one", bytes.NewReader(exact), int64(len(exact)) - 1},
		{"gzipped over by one", bytes.NewReader(gzipBytes(t, exact)), int64(len(exact)) - 1},
		{"endless stream", spaceReader{}, 64 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap(tt.in, tt.limit)
			if got != nil {
				t.Errorf("ParseSitemap returned %+v with the error", got)
			}
			var tl *SitemapTooLargeError
			if !errors.As(err, &tl) || tl.Limit != tt.limit {
				t.Fatalf("error = %v (%T), want *SitemapTooLargeError{Limit: %d}", err, err, tt.limit)
			}
			if want := "crawl: sitemap larger than " + itoa(tt.limit) + " bytes (decompressed)"; err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
		})
	}

	// Exactly at the cap is fine, compressed or not.
	for _, in := range [][]byte{exact, gzipBytes(t, exact)} {
		if _, err := ParseSitemap(bytes.NewReader(in), int64(len(exact))); err != nil {
			t.Errorf("ParseSitemap at the cap: %v", err)
		}
	}
}

func itoa(n int64) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

func TestParseSitemapDefaultCap(t *testing.T) {
	doc := []byte(`<urlset><url><loc>http://example.com/a</loc></url></urlset>`)
	if _, err := ParseSitemap(bytes.NewReader(doc), 0); err != nil {
		t.Fatalf("ParseSitemap with cap 0: %v", err)
	}
	for _, in := range []int64{0, -1, math.MinInt64} {
		if got := sitemapCap(in); got != DefaultSitemapMaxBytes {
			t.Errorf("sitemapCap(%d) = %d, want %d", in, got, DefaultSitemapMaxBytes)
		}
	}
	if got := sitemapCap(7); got != 7 {
		t.Errorf("sitemapCap(7) = %d", got)
	}
}

func TestParseSitemapErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		wantIs   error
		wantMsg  string
		wantLine int
	}{
		{"empty", nil, nil, "crawl: sitemap: line 1, column 1: empty document: no root element", 1},
		{"only white space", []byte("\n\n  "), nil, "crawl: sitemap: line 3, column 3: empty document: no root element", 3},
		{"not xml", []byte("hello"), nil, "crawl: sitemap: line 1, column 6: empty document: no root element", 1},
		{"html", []byte("<!DOCTYPE html>\n<html><body>hi</body></html>"), ErrNotSitemap,
			"crawl: sitemap: line 2, column 7: crawl: not a sitemap: root element <html>, want <urlset> or <sitemapindex>", 2},
		{"rss", []byte(`<rss version="2.0"><channel/></rss>`), ErrNotSitemap,
			"crawl: sitemap: line 1, column 20: crawl: not a sitemap: root element <rss>, want <urlset> or <sitemapindex>", 1},
		{"truncated", []byte("<urlset>\n<url><loc>http://example.com/a</loc></url>\n<url><lo"), nil,
			"crawl: sitemap: line 3, column 9: XML syntax error on line 3: unexpected EOF", 3},
		{"root not closed", []byte("<urlset>\n<url><loc>http://example.com/a</loc></url>\n"), nil,
			"crawl: sitemap: line 3, column 1: XML syntax error on line 3: unexpected EOF", 3},
		{"bad token", []byte("<urlset>\n  <url><loc>http://example.com/a</loc></url>\n  <<url/>\n</urlset>"), nil,
			"crawl: sitemap: line 3, column 4: XML syntax error on line 3: expected element name after <", 3},
		{"unknown charset", []byte(`<?xml version="1.0" encoding="x-klingon"?><urlset/>`), nil,
			`crawl: sitemap: line 1, column 43: xml: opening charset "x-klingon": unsupported charset: "x-klingon"`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap(bytes.NewReader(tt.in), 1<<20)
			if got != nil {
				t.Errorf("ParseSitemap returned %+v with the error", got)
			}
			var se *SitemapError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v (%T), want *SitemapError", err, err)
			}
			if se.Line != tt.wantLine {
				t.Errorf("Line = %d, want %d", se.Line, tt.wantLine)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error = %v, want one wrapping %v", err, tt.wantIs)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("error = %s\nwant    %s", err, tt.wantMsg)
			}
		})
	}
}

func TestParseSitemapBadGzip(t *testing.T) {
	gz := gzipBytes(t, []byte(urlsetDoc))
	tests := []struct {
		name    string
		in      []byte
		wantMsg string
	}{
		{"bad header", []byte{0x1f, 0x8b, 0, 0}, "crawl: sitemap: unexpected EOF"},
		{"truncated stream", gz[:len(gz)/2], "unexpected EOF"},
		{"corrupt checksum", append(gz[:len(gz)-8:len(gz)-8], 0, 0, 0, 0, 0, 0, 0, 0), "gzip: invalid checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSitemap(bytes.NewReader(tt.in), 1<<20)
			var se *SitemapError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v (%T), want *SitemapError", err, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

// failReader fails after its data.
type failReader struct {
	data []byte
	err  error
}

func (f *failReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestParseSitemapReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := ParseSitemap(&failReader{data: []byte("<urlset><url>"), err: boom}, 1<<20)
	var se *SitemapError
	if !errors.As(err, &se) || !errors.Is(err, boom) {
		t.Fatalf("error = %v, want a *SitemapError wrapping the read error", err)
	}
}

func TestSitemapsFromRobots(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"none", "User-agent: *\nDisallow: /admin\n", nil},
		{"empty", "", nil},
		{
			"several in order",
			"User-agent: *\nDisallow: /x\nSitemap: https://example.com/s1.xml\n\nsitemap: https://example.com/s2.xml.gz\nSITEMAP:https://cdn.example.com/s3.xml\n",
			[]string{"https://example.com/s1.xml", "https://example.com/s2.xml.gz", "https://cdn.example.com/s3.xml"},
		},
		{
			"spacing, comments and line ends",
			"\xef\xbb\xbf  Sitemap  :   https://example.com/a.xml   # main\r\nSitemap: https://example.com/b.xml\rSitemap: https://example.com/c.xml",
			[]string{"https://example.com/a.xml", "https://example.com/b.xml", "https://example.com/c.xml"},
		},
		{"duplicates kept", "Sitemap: /s.xml\nSitemap: /s.xml\n", []string{"/s.xml", "/s.xml"}},
		{"empty value and commented line", "Sitemap:\nSitemap:   # nothing\n# Sitemap: https://example.com/x.xml\n", nil},
		{"other keys", "Sitemaps: https://a/\nXSitemap: https://b/\nSite-map: https://c/\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SitemapsFromRobots([]byte(tt.body)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SitemapsFromRobots = %q, want %q", got, tt.want)
			}
		})
	}
}

package crawl

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// DefaultSitemapMaxBytes is the cap ParseSitemap applies when given a cap of
// zero or less: 50 MiB, the decompressed limit of the sitemaps.org protocol.
const DefaultSitemapMaxBytes = 50 << 20

// Sitemap is a parsed sitemap: a <urlset> of pages or a <sitemapindex> of
// child sitemaps.
type Sitemap struct {
	// IsIndex is true for a <sitemapindex>, whose Entries are child sitemaps,
	// and false for a <urlset>, whose Entries are pages.
	IsIndex bool

	// Entries are the usable entries, in document order: those whose <loc>
	// is an absolute http or https URL.
	Entries []SitemapEntry

	// Skipped are the entries that are not in Entries, in document order,
	// each with the reason, so that no entry disappears unseen.
	Skipped []SkippedEntry
}

// SitemapEntry is one <url> of a urlset or one <sitemap> of an index.
type SitemapEntry struct {
	// Loc is the text of <loc> with surrounding white space removed and XML
	// entities decoded; an absolute http or https URL, not normalised.
	Loc string
	// LastMod is the text of <lastmod> with surrounding white space removed,
	// unparsed (the protocol asks for W3C Datetime); "" when absent.
	LastMod string
}

// SkippedEntry is an entry ParseSitemap could not use.
type SkippedEntry struct {
	// Loc is the trimmed text of <loc>, "" when it had none.
	Loc string
	// Line is the line of the entry's start tag in the decompressed document.
	Line int
	// Reason says why: "missing <loc>", "not an absolute http(s) URL",
	// "extra <loc> in one entry" (an entry's second and later <loc>),
	// "<sitemap> in a <urlset>" or "<url> in a <sitemapindex>".
	Reason string
}

// The reasons of SkippedEntry.
const (
	skipNoLoc           = "missing <loc>"
	skipNotAbsolute     = "not an absolute http(s) URL"
	skipExtraLoc        = "extra <loc> in one entry"
	skipSitemapInURLSet = "<sitemap> in a <urlset>"
	skipURLInIndex      = "<url> in a <sitemapindex>"
)

// ParseSitemap reads one sitemap from r: a <urlset> (pages) or a
// <sitemapindex> (child sitemaps), per https://www.sitemaps.org/protocol.html.
//
// Input starting with the gzip magic bytes 1f 8b is decompressed, whatever the
// file was called. maxBytes caps the decompressed document (or the document,
// when not compressed); DefaultSitemapMaxBytes when maxBytes <= 0. A larger
// document fails with a *SitemapTooLargeError: it is never truncated, and a
// gzip bomb costs at most maxBytes of decompression.
//
// The document is read as a stream of XML tokens. Element names match on their
// local part, whatever their namespace or prefix, so the sitemaps.org
// namespace, no namespace and a prefixed root (<sm:urlset>) all work; only
// <loc> and <lastmod> directly inside a <url> or <sitemap> directly inside the
// root count, so extension elements such as <image:image><image:loc> are
// ignored. A byte order mark and white space around <loc> are accepted, and
// the declared encoding is honoured. Like browsers, the parser tolerates the
// common mistakes of hand-made sitemaps: a raw '&' in a URL, HTML entities
// such as &nbsp;, and a missing end tag inside the root. Reading stops at the
// root's end tag, except that the rest of a gzip stream is read (within the
// cap) so that its checksum is verified.
//
// An entry whose <loc> is missing or is not an absolute http or https URL
// (such as a relative "/page") goes to Skipped with its line and the reason.
//
// Errors: a *SitemapTooLargeError; a *SitemapError with the line and column
// for invalid XML (including a document cut short before the root's end tag),
// for an empty document, and for a root other than <urlset> or <sitemapindex>
// (wrapping ErrNotSitemap); a *SitemapError for a corrupt gzip stream or a
// read error, at the position reached (no position for a bad gzip header).
func ParseSitemap(r io.Reader, maxBytes int64) (*Sitemap, error) {
	maxBytes = sitemapCap(maxBytes)
	in := bufio.NewReader(r)
	magic, _ := in.Peek(2)
	gzipped := len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, &SitemapError{Err: err}
		}
		defer zr.Close()
		in = bufio.NewReader(&capReader{r: zr, left: maxBytes, limit: maxBytes})
	} else {
		in = bufio.NewReader(&capReader{r: in, left: maxBytes, limit: maxBytes})
	}
	if bom, _ := in.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = in.Discard(3)
	}

	dec := xml.NewDecoder(in)
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charset.NewReaderLabel
	p := sitemapParser{dec: dec, sm: &Sitemap{}}
	if err := p.run(); err != nil {
		return nil, err
	}
	if gzipped {
		// Read to the end of the stream so that gzip verifies its checksum.
		if _, err := io.Copy(io.Discard, in); err != nil {
			return nil, p.errorAt(err)
		}
	}
	return p.sm, nil
}

// sitemapCap returns the cap ParseSitemap applies for maxBytes.
func sitemapCap(maxBytes int64) int64 {
	if maxBytes <= 0 {
		return DefaultSitemapMaxBytes
	}
	return maxBytes
}

// sitemapParser holds the state of one ParseSitemap.
type sitemapParser struct {
	dec   *xml.Decoder
	sm    *Sitemap
	depth int // of the element whose content is being read; 0 outside the root

	// The current entry (depth >= 2), if any.
	inEntry   bool
	entryLine int
	wrongKind string // "" or the reason to skip the current entry as a whole
	locs      int    // <loc> elements seen in the current entry
	loc       string
	lastMod   string

	// The <loc> or <lastmod> being read (depth 3), if any.
	inField    bool
	fieldIsLoc bool
	text       strings.Builder
}

// run reads tokens until the root element ends.
func (p *sitemapParser) run() error {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = errors.New("empty document: no root element")
				if p.depth > 0 {
					err = io.ErrUnexpectedEOF
				}
			}
			return p.errorAt(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.depth++
			if err := p.start(t.Name.Local); err != nil {
				return err
			}
		case xml.EndElement:
			p.end()
			p.depth--
			if p.depth == 0 {
				return nil
			}
		case xml.CharData:
			if p.inField && p.depth == 3 {
				p.text.Write(t)
			}
		}
	}
}

// start handles the start tag of an element called name at p.depth.
func (p *sitemapParser) start(name string) error {
	switch p.depth {
	case 1:
		switch name {
		case "urlset":
		case "sitemapindex":
			p.sm.IsIndex = true
		default:
			return p.errorAt(notSitemapError(name))
		}
	case 2:
		entry, other := "url", "sitemap"
		if p.sm.IsIndex {
			entry, other = other, entry
		}
		if name != entry && name != other {
			return nil
		}
		p.inEntry, p.locs, p.loc, p.lastMod, p.wrongKind = true, 0, "", "", ""
		p.entryLine, _ = p.dec.InputPos()
		if name == other {
			p.wrongKind = skipSitemapInURLSet
			if p.sm.IsIndex {
				p.wrongKind = skipURLInIndex
			}
		}
	case 3:
		if !p.inEntry || (name != "loc" && name != "lastmod") {
			return nil
		}
		p.text.Reset()
		p.inField, p.fieldIsLoc = true, name == "loc"
		if p.fieldIsLoc {
			p.locs++
		}
	}
	return nil
}

// end handles the end tag of the element at p.depth.
func (p *sitemapParser) end() {
	switch {
	case p.depth == 3 && p.inField:
		value := strings.TrimSpace(p.text.String())
		p.inField = false
		if p.fieldIsLoc {
			if p.locs == 1 {
				p.loc = value
			} else {
				p.sm.Skipped = append(p.sm.Skipped, SkippedEntry{Loc: value, Line: p.entryLine, Reason: skipExtraLoc})
			}
		} else if p.lastMod == "" {
			p.lastMod = value
		}
	case p.depth == 2 && p.inEntry:
		p.inEntry = false
		switch {
		case p.wrongKind != "":
			p.skip(p.wrongKind)
		case p.locs == 0:
			p.skip(skipNoLoc)
		case !isAbsoluteHTTP(p.loc):
			p.skip(skipNotAbsolute)
		default:
			p.sm.Entries = append(p.sm.Entries, SitemapEntry{Loc: p.loc, LastMod: p.lastMod})
		}
	}
}

// skip records the current entry in Skipped.
func (p *sitemapParser) skip(reason string) {
	p.sm.Skipped = append(p.sm.Skipped, SkippedEntry{Loc: p.loc, Line: p.entryLine, Reason: reason})
}

// errorAt wraps err in a *SitemapError at the decoder's position, or returns
// a *SitemapTooLargeError as is.
func (p *sitemapParser) errorAt(err error) error {
	var tooLarge *SitemapTooLargeError
	if errors.As(err, &tooLarge) {
		return tooLarge
	}
	line, col := p.dec.InputPos()
	return &SitemapError{Line: line, Column: col, Err: err}
}

// notSitemapError reports a root element called name.
func notSitemapError(name string) error {
	return &notSitemap{root: name}
}

// notSitemap is ErrNotSitemap naming the root element found.
type notSitemap struct{ root string }

// Error names the root element found.
func (e *notSitemap) Error() string {
	return ErrNotSitemap.Error() + ": root element <" + e.root + ">, want <urlset> or <sitemapindex>"
}

// Unwrap returns ErrNotSitemap.
func (e *notSitemap) Unwrap() error { return ErrNotSitemap }

// isAbsoluteHTTP reports whether s parses as an absolute http or https URL
// with a host.
func isAbsoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")
}

// capReader reads at most limit bytes from r and then fails with a
// *SitemapTooLargeError if r has more.
type capReader struct {
	r     io.Reader
	left  int64
	limit int64
}

// Read reads from r within the cap.
func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		for range 100 {
			n, err := c.r.Read(probe[:])
			if n > 0 {
				return 0, &SitemapTooLargeError{Limit: c.limit}
			}
			if err != nil {
				return 0, err
			}
		}
		return 0, io.ErrNoProgress
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// SitemapsFromRobots returns the values of the Sitemap lines of a robots.txt
// body, in order, duplicates included, or nil when there are none. The key is
// matched case-insensitively with white space around it and the value
// allowed; comments (from '#' to the end of the line) are removed; lines end
// at CR, LF or CRLF; a leading byte order mark is ignored; empty values are
// left out. Values are returned as written: the protocol asks for absolute
// URLs, so resolve them against the robots.txt URL before use and check them
// with Normalize.
func SitemapsFromRobots(body []byte) []string {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var out []string
	for len(body) > 0 {
		line := body
		if i := bytes.IndexAny(body, "\r\n"); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !bytes.EqualFold(bytes.TrimSpace(key), []byte("sitemap")) {
			continue
		}
		if value = bytes.TrimSpace(value); len(value) > 0 {
			out = append(out, string(value))
		}
	}
	return out
}

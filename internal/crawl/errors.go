package crawl

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrUnsupportedScheme reports a URL whose scheme is neither http nor https.
var ErrUnsupportedScheme = errors.New("crawl: unsupported URL scheme")

// ErrNoHost reports a URL without a host, such as "http:///a" or the opaque
// "http:a".
var ErrNoHost = errors.New("crawl: URL has no host")

// ErrInvalidHost reports a host or port that cannot name a web server: a
// character outside letters, digits, '-', '_' and '.', an empty label, an
// internationalised name that IDNA rejects, a malformed IPv6 literal, or a
// port above 65535.
var ErrInvalidHost = errors.New("crawl: invalid host")

// ErrNotSitemap reports an XML document whose root element is neither
// <urlset> nor <sitemapindex>.
var ErrNotSitemap = errors.New("crawl: not a sitemap")

// URLError is the error of Normalize: it names the URL (with any password
// redacted) and wraps ErrUnsupportedScheme, ErrNoHost or ErrInvalidHost.
type URLError struct {
	// URL is the rejected URL, as u.Redacted() spells it.
	URL string
	// Err is the reason, matched with errors.Is.
	Err error
}

// Error returns the reason followed by the quoted URL.
func (e *URLError) Error() string {
	return e.Err.Error() + ": " + strconv.Quote(e.URL)
}

// Unwrap returns e.Err.
func (e *URLError) Unwrap() error { return e.Err }

// ConfigError reports an invalid field of a ScopeConfig or seed list passed to
// NewScope. Its message starts with the field path, e.g.
// `include_paths[1]: error parsing regexp: missing closing ): "(a"`.
type ConfigError struct {
	// Field is the path of the offending field: "kind", "seeds[2]",
	// "include_paths[1]" or "exclude_paths[0]".
	Field string
	// Err is the problem.
	Err error
}

// Error returns the field path followed by the problem.
func (e *ConfigError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *ConfigError) Unwrap() error { return e.Err }

// SitemapError reports a sitemap that cannot be read: invalid XML, a root
// element other than <urlset> or <sitemapindex> (wrapping ErrNotSitemap), a
// corrupt gzip stream or a read error. Line and Column locate the problem in
// the decompressed document (1-based; 0 when unknown, as for gzip errors).
type SitemapError struct {
	// Line is the 1-based line of the problem, 0 when unknown.
	Line int
	// Column is the 1-based column of the problem, 0 when unknown.
	Column int
	// Err is the underlying error (an *xml.SyntaxError, ErrNotSitemap, a
	// gzip error or the reader's error).
	Err error
}

// Error returns "crawl: sitemap" with the position, if known, and the problem.
func (e *SitemapError) Error() string {
	if e.Line == 0 {
		return "crawl: sitemap: " + e.Err.Error()
	}
	return fmt.Sprintf("crawl: sitemap: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns e.Err.
func (e *SitemapError) Unwrap() error { return e.Err }

// SitemapTooLargeError reports a sitemap whose decompressed size exceeds the
// cap given to ParseSitemap. The document is rejected whole, never truncated.
type SitemapTooLargeError struct {
	// Limit is the cap in decompressed bytes.
	Limit int64
}

// Error names the cap.
func (e *SitemapTooLargeError) Error() string {
	return "crawl: sitemap larger than " + strconv.FormatInt(e.Limit, 10) + " bytes (decompressed)"
}

// Package crawl holds the pure building blocks of titan's crawl action: URL
// normalisation and deduplication keys, crawl scope, and sitemap and
// robots.txt Sitemap parsing. It does no I/O of its own, imports no other
// titan package, keeps no global state, and everything in it is safe for
// concurrent use.
//
// # Normalisation and keys
//
// Normalize rewrites an absolute http or https URL into one canonical form, so
// that the many spellings of one page are fetched once:
//
//	HTTP://Example.COM:80/a/../b?b=2&a=1&utm_source=x#top
//	http://example.com/b?a=1&b=2
//
// It lowercases the scheme and host, converts internationalised hosts to ASCII
// (IDNA), drops a trailing dot in the host, the default port, an empty user
// info and the fragment, normalises percent-encoding (decoding unreserved
// characters, uppercasing hex, escaping what may not appear raw), resolves dot
// segments, turns an empty path into "/", drops empty query parameters and
// tracking parameters (TrackingParams) and sorts the rest by name. Other
// schemes, URLs without a host and invalid hosts are rejected with a
// *URLError. The rules are listed exactly on Normalize; Normalize is
// idempotent, which a fuzz test checks.
//
// Key returns the normalised URL as a string under DefaultNormalizeOptions,
// the deduplication key of a frontier. It allocates once for a URL that is
// already normal (see BenchmarkKey).
//
// # Scope
//
// A Scope, built once by NewScope from the seeds and a ScopeConfig, decides
// which discovered URLs a crawl follows. Its Allow method returns a reason for
// every rejection, from a small fixed set, so rejected URLs can be counted by
// reason:
//
//	same_host    the seed's host only (ignoring scheme and port; the default)
//	same_domain  hosts with the seed's registrable domain (Public Suffix List)
//	subdomains   the seed's host and every host under it
//	all          every http(s) URL
//
// Then ExcludePaths and IncludePaths, RE2 regular expressions, filter what is
// left: a URL matching any exclude pattern is rejected, even when an include
// pattern matches too; when include patterns are given, a URL must match one.
// Patterns are unanchored and match the escaped path plus, when there is a
// query, "?" and the query ("/products/12?color=red"), or the whole URL with
// MatchFullURL. Pass normalised URLs to Allow so that patterns see one
// spelling. The Scope type documents the rules with examples.
//
// # Sitemaps
//
// ParseSitemap reads a <urlset> or a <sitemapindex>, gzipped or not, as a
// stream of XML tokens under a byte cap that fails rather than truncates.
// Entries whose <loc> is not an absolute http(s) URL are returned in
// Sitemap.Skipped with their line and a reason, never dropped silently.
// SitemapsFromRobots lists the Sitemap lines of a robots.txt body.
package crawl

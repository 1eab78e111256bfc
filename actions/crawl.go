package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/internal/crawl"
	"github.com/titanscrape/titan/page"
)

// Crawl modes.
const (
	// ModeCrawl fetches pages, follows their links and extracts records with the
	// output schema from the pages that match extract_paths.
	ModeCrawl = "crawl"
	// ModeMap lists the URLs a crawl discovers, one record {"url", "depth"} each,
	// without extracting anything: the seeds that the scope allows, then every
	// URL accepted. Pages at max_depth are listed, not fetched.
	ModeMap = "map"
)

// Sitemap policies.
const (
	SitemapSkip    = "skip"    // ignore sitemaps (the default)
	SitemapInclude = "include" // follow links and the sitemaps' URLs
	SitemapOnly    = "only"    // fetch only the sitemaps' URLs, follow no link
)

// Item kinds of a crawl besides pages.
const (
	kindRobots  = "robots"
	kindSitemap = "sitemap"
)

// Reasons a crawl leaves a URL out, counted in titan.Stats.Skipped.
const (
	SkipNoFollow         = "nofollow"
	SkipBadURL           = "bad_url"
	SkipNotFetchable     = "not_fetchable" // javascript:, mailto:, tel:, data:, #fragment links
	SkipNotHTML          = "not_html"
	SkipRedirectOutScope = "redirect_out_of_scope"
	SkipRedirectSeen     = "redirect_duplicate"
	SkipNonCanonical     = "non_canonical"
	SkipNoRecords        = "no_records"
	SkipSitemapEntry     = "sitemap_bad_entry"
	SkipMaxSitemaps      = "max_sitemaps"
)

// maxSitemapBytes caps one decompressed sitemap document (the protocol's limit is
// 50 MB uncompressed); maxSitemaps caps the sitemap documents one crawl reads.
const (
	maxSitemapBytes = 50 << 20
	maxSitemaps     = 1000
)

// xmlEncodingDecl matches the encoding declaration of an XML prolog.
var xmlEncodingDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']`)

// CrawlParams are the params of a crawl step.
type CrawlParams struct {
	// Mode is "crawl" (default) or "map".
	Mode string `json:"mode,omitempty"`
	// Scope is "same_host" (default), "same_domain", "subdomains" or "all",
	// relative to the seed URLs.
	Scope string `json:"scope,omitempty"`
	// IncludePaths and ExcludePaths are RE2 regular expressions matched against
	// the path plus "?" plus the query of each normalised URL (e.g.
	// "/products/12?color=red"), or against the whole normalised URL when
	// MatchFullURL. A URL is followed when it matches some include (if any is
	// given) and no exclude. Seeds are always fetched.
	IncludePaths []string `json:"include_paths,omitempty"`
	ExcludePaths []string `json:"exclude_paths,omitempty"`
	MatchFullURL bool     `json:"match_full_url,omitempty"`
	// ExtractPaths are RE2 regular expressions, matched like IncludePaths: in
	// mode crawl, records are extracted only from pages that match one; in mode
	// map, only matching URLs are listed. Default: every page.
	ExtractPaths []string `json:"extract_paths,omitempty"`
	// LinkSelector is a CSS selector restricting which links are followed: links
	// inside matching elements, or matching elements that are links themselves
	// (e.g. "a.next, .product-card a"). Default: every a[href] and area[href].
	// <link rel=next> in the head is always followed.
	LinkSelector string `json:"link_selector,omitempty"`
	// Sitemap is "skip" (default), "include" or "only". Sitemaps come from the
	// seed hosts' robots.txt, or /sitemap.xml when it lists none; sitemap index
	// files and gzipped sitemaps are followed.
	Sitemap string `json:"sitemap,omitempty"`
	// FollowNofollow follows links marked rel=nofollow, which are skipped by
	// default.
	FollowNofollow bool `json:"follow_nofollow,omitempty"`
	// StripParams lists query parameters to remove from URLs besides the tracking
	// parameters (utm_*, gclid, fbclid, ...); a trailing "*" matches a prefix.
	StripParams []string `json:"strip_params,omitempty"`
	// KeepTracking keeps the tracking parameters in URLs.
	KeepTracking bool `json:"keep_tracking,omitempty"`
}

// Crawl discovers pages from the seed URLs by following links, within a scope,
// up to limits.max_depth (default 1) and limits.max_pages (default 25, counted after
// filtering), and extracts records from them with the output schema. URLs are
// normalised (scheme and host case, default ports, fragments, dot segments,
// query order, tracking parameters) and each is fetched at most once. Every URL
// left out is counted in the execution's skipped stats by reason.
type Crawl struct{}

// DefaultLimits are the platform's crawl defaults: max_depth 1, max_pages 25.
func (Crawl) DefaultLimits() titan.Limits { return titan.Limits{MaxDepth: 1, MaxPages: 25} }

// ValidateStep checks the crawl's params.
func (Crawl) ValidateStep(s *titan.Step) []titan.FieldError {
	// The seeds only shape the scope's hosts; any valid one checks the params.
	c, problems := compileCrawl([]string{"https://seed.invalid/"}, s)
	if c != nil && c.params.Mode != ModeMap && !bytes.Contains(s.OutputSchema, []byte(`"x-selector"`)) {
		problems = append(problems, titan.FieldError{Field: "output_schema",
			Problem: `a crawl in mode "crawl" extracts records with x-selector keywords; give it a schema with selectors, or use mode "map" to list URLs`})
	}
	return problems
}

// Prepare compiles the crawl's params for one execution. The scope is relative to
// the task's URLs when the step reads them, and to each item it is given at depth
// 0 (the records of an earlier step, or the URL inventory) as they come.
func (Crawl) Prepare(t *titan.Task, s *titan.Step) (titan.Action, error) {
	var seeds []string
	if readsTaskURLs(t, s) {
		seeds = t.URLs
	}
	c, problems := compileCrawl(seeds, s)
	if len(problems) > 0 {
		return nil, &titan.ValidationError{What: "crawl params", Problems: problems}
	}
	return c, nil
}

// Run is not called: the runner runs the action Prepare returns.
func (Crawl) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	c, err := Crawl{}.Prepare(in.Task, in.Step)
	if err != nil {
		return err
	}
	return c.Run(ctx, in, out)
}

// readsTaskURLs reports whether step s of t takes the task's URLs as input.
func readsTaskURLs(t *titan.Task, s *titan.Step) bool {
	if t.ExecutionPlan == nil {
		return s.InputSource == "" || s.InputSource == titan.InputStaticURLs
	}
	for i := range t.ExecutionPlan.Steps {
		if t.ExecutionPlan.Steps[i].ID == s.ID {
			return s.InputSource == titan.InputStaticURLs || len(t.ExecutionPlan.Inputs(i)) == 0 && s.InputSource != titan.InputURLInventory
		}
	}
	return false
}

// crawler is a Crawl prepared for one execution.
type crawler struct {
	params   CrawlParams
	norm     crawl.NormalizeOptions
	scope    atomic.Pointer[crawl.Scope]
	sitemaps atomic.Int64 // sitemap documents read
	cfg      crawl.ScopeConfig
	mu       sync.Mutex
	seeds    []*url.URL // the hosts the scope is relative to
	extract  []*regexp.Regexp
	links    cascadia.Sel
}

func compileCrawl(seeds []string, s *titan.Step) (*crawler, []titan.FieldError) {
	var p CrawlParams
	var problems []titan.FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, titan.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if err := decodeParams(s.Params, &p); err != nil {
		add("params", "%v", err)
		return nil, problems
	}
	switch p.Mode {
	case "", ModeCrawl, ModeMap:
	default:
		add("params.mode", "unknown mode %q (want crawl or map)", p.Mode)
	}
	switch p.Sitemap {
	case "", SitemapSkip, SitemapInclude, SitemapOnly:
	default:
		add("params.sitemap", "unknown sitemap policy %q (want skip, include or only)", p.Sitemap)
	}
	c := &crawler{params: p, norm: crawl.NormalizeOptions{SortQuery: true, StripTracking: !p.KeepTracking, StripParams: p.StripParams}}
	var seedURLs []*url.URL
	for _, raw := range seeds {
		if u, err := url.Parse(raw); err == nil {
			seedURLs = append(seedURLs, u)
		}
	}
	switch crawl.ScopeKind(p.Scope) {
	case "", crawl.ScopeSameHost, crawl.ScopeSameDomain, crawl.ScopeSubdomains, crawl.ScopeAll:
	default:
		add("params.scope", "unknown scope %q (want same_host, same_domain, subdomains or all)", p.Scope)
	}
	for _, list := range []struct {
		name     string
		patterns []string
	}{{"include_paths", p.IncludePaths}, {"exclude_paths", p.ExcludePaths}} {
		for i, e := range list.patterns {
			if _, err := regexp.Compile(e); err != nil {
				add(fmt.Sprintf("params.%s[%d]", list.name, i), "%v", err)
			}
		}
	}
	c.cfg = crawl.ScopeConfig{Kind: crawl.ScopeKind(p.Scope), IncludePaths: p.IncludePaths, ExcludePaths: p.ExcludePaths, MatchFullURL: p.MatchFullURL}
	if len(problems) == 0 && len(seedURLs) > 0 {
		scope, err := crawl.NewScope(seedURLs, c.cfg)
		if err != nil {
			add("params", "%v", err)
		}
		c.scope.Store(scope)
		c.seeds = seedURLs
	}
	for i, e := range p.ExtractPaths {
		re, err := regexp.Compile(e)
		if err != nil {
			add(fmt.Sprintf("params.extract_paths[%d]", i), "%v", err)
			continue
		}
		c.extract = append(c.extract, re)
	}
	if p.LinkSelector != "" {
		sel, err := cascadia.Parse(p.LinkSelector)
		if err != nil {
			add("params.link_selector", "invalid CSS selector %q: %v", p.LinkSelector, err)
		}
		c.links = sel
	}
	return c, problems
}

// decodeParams decodes params into v, rejecting unknown fields.
func decodeParams(params map[string]any, v any) error {
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Key is the deduplication key: the item's kind and normalised URL. Seeds come
// from the task as written and are normalised here; items the crawl follows are
// normalised already.
func (c *crawler) Key(it titan.Item) string {
	if it.Depth > 0 || it.Kind != "" {
		return it.Kind + " " + it.URL
	}
	if n, err := c.normalize(it.URL); err == nil {
		return " " + n.String()
	}
	return " " + it.URL
}

func (c *crawler) normalize(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	return crawl.Normalize(u, c.norm)
}

func (c *crawler) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	switch in.Item.Kind {
	case kindRobots:
		return c.robots(ctx, in, out)
	case kindSitemap:
		return c.sitemap(ctx, in, out)
	}
	it := in.Item
	if it.Depth == 0 {
		if err := c.addSeed(it.URL); err != nil {
			return err
		}
		if c.params.Mode == ModeMap {
			// A seed is always fetched, but listed only when the scope allows it.
			if u, err := c.normalize(it.URL); err == nil {
				if ok, _ := c.scope.Load().Allow(u); ok && c.extracts(u) {
					if err := out.Emit(ctx, mapRecord(u.String(), 0)); err != nil {
						return err
					}
				}
			}
		}
		if c.params.Sitemap == SitemapInclude || c.params.Sitemap == SitemapOnly {
			if u, err := url.Parse(it.URL); err == nil {
				if _, err := out.Follow(ctx, titan.Item{URL: u.Scheme + "://" + u.Host + "/robots.txt", Kind: kindRobots}); err != nil {
					return err
				}
			}
		}
		if c.params.Sitemap == SitemapOnly {
			return nil
		}
	}
	leaf := in.Limits.MaxDepth > 0 && it.Depth >= in.Limits.MaxDepth
	if c.params.Mode == ModeMap && leaf {
		return nil // listed when discovered; nothing more to learn from it
	}
	resp, err := in.Fetcher.Fetch(ctx, &titan.Request{URL: it.URL, CheckRedirect: c.redirects(ctx, it, out)})
	var rs *redirectSkip
	if errors.As(err, &rs) {
		out.Skip(rs.reason, 1)
		in.Logger.Debug("redirect not followed", "url", it.URL, "reason", rs.reason)
		return nil
	}
	if err != nil {
		return err
	}
	pageURL, err := url.Parse(resp.URL)
	if err != nil {
		return &titan.InputError{Input: resp.URL, Problem: "final URL does not parse"}
	}
	if !isHTML(resp) {
		out.Skip(SkipNotHTML, 1)
		return nil
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return fmt.Errorf("crawl %s: parse HTML: %w", resp.URL, err)
	}
	out.Fetched()
	head := readHead(doc, pageURL)
	base := head.base
	if c.params.Sitemap != SitemapOnly && !leaf {
		if err := c.follow(ctx, doc, base, head, it.Depth+1, out); err != nil {
			return err
		}
	}
	if c.params.Mode == ModeMap || in.Schema == nil || !in.Schema.Extracts() || !c.extracts(pageURL) {
		return nil
	}
	if head.canonical != "" {
		if cu, err := c.normalize(head.canonical); err == nil && cu.String() != c.keyOf(pageURL) {
			if ok, _ := c.scope.Load().Allow(cu); ok {
				// The canonical page is extracted instead: followed now, or seen
				// already. (A canonical that redirects back to this page loses
				// it: such sites are rare and the skip is counted.)
				out.Skip(SkipNonCanonical, 1)
				_, err := out.Follow(ctx, titan.Item{URL: cu.String(), Depth: it.Depth})
				return err
			}
		}
	}
	items := in.Schema.Extract(doc, pageURL)
	if len(items) == 0 {
		out.Skip(SkipNoRecords, 1)
	}
	for _, item := range items {
		if err := out.Emit(ctx, titan.Record{URL: resp.URL, Data: item.Data, Errors: item.Errors}); err != nil {
			return err
		}
	}
	return nil
}

// addSeed makes the scope relative to a seed's host too: a crawl fed by an
// earlier step gets its seeds as items, not from the task's URLs.
func (c *crawler) addSeed(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return &titan.InputError{Input: raw, Problem: "does not parse"}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if sc := c.scope.Load(); sc != nil {
		if ok, _ := sc.Allow(u); ok {
			return nil
		}
		for _, s := range c.seeds {
			if strings.EqualFold(s.Host, u.Host) {
				return nil // in the host scope: include or exclude refused it
			}
		}
	}
	seeds := append(slices.Clone(c.seeds), u)
	sc, err := crawl.NewScope(seeds, c.cfg)
	if err != nil {
		return &titan.InputError{Input: raw, Problem: err.Error()}
	}
	c.seeds = seeds
	c.scope.Store(sc)
	return nil
}

// redirectSkip stops a redirect the crawl does not follow.
type redirectSkip struct{ reason string }

func (e *redirectSkip) Error() string { return "not followed: " + e.reason }

// redirects returns the CheckRedirect of a page fetch: a redirect is followed only
// to an in-scope URL that no other item has claimed, so no page is fetched twice
// and none out of scope is fetched at all.
//
// The check remembers what this fetch claimed, starting with the item's own URL:
// a redirect back to the page itself (a cookie wall) and the same chain followed
// again by a retry are the fetch's own, not duplicates.
func (c *crawler) redirects(ctx context.Context, it titan.Item, out titan.Emitter) func(*url.URL) error {
	var mu sync.Mutex
	mine := map[string]bool{strings.TrimPrefix(c.Key(it), " "): true}
	return func(to *url.URL) error {
		n, err := crawl.Normalize(to, c.norm)
		if err != nil {
			return &redirectSkip{SkipBadURL}
		}
		if ok, _ := c.scope.Load().Allow(n); !ok {
			return &redirectSkip{SkipRedirectOutScope}
		}
		s := n.String()
		mu.Lock()
		defer mu.Unlock()
		if mine[s] {
			return nil
		}
		fresh, err := out.Claim(ctx, titan.Item{URL: s, Depth: it.Depth})
		if err != nil {
			return err
		}
		if !fresh {
			return &redirectSkip{SkipRedirectSeen}
		}
		mine[s] = true
		return nil
	}
}

func (c *crawler) keyOf(u *url.URL) string {
	if n, err := crawl.Normalize(u, c.norm); err == nil {
		return n.String()
	}
	return u.String()
}

// extracts reports whether records are extracted from the page at u.
func (c *crawler) extracts(u *url.URL) bool {
	if len(c.extract) == 0 {
		return true
	}
	target := c.matchTarget(u)
	for _, re := range c.extract {
		if re.MatchString(target) {
			return true
		}
	}
	return false
}

// matchTarget is what include, exclude and extract patterns match.
func (c *crawler) matchTarget(u *url.URL) string {
	n, err := crawl.Normalize(u, c.norm)
	if err != nil {
		n = u
	}
	if c.params.MatchFullURL {
		return n.String()
	}
	if n.RawQuery == "" {
		return n.EscapedPath()
	}
	return n.EscapedPath() + "?" + n.RawQuery
}

// follow offers the page's links at depth.
func (c *crawler) follow(ctx context.Context, doc *html.Node, base *url.URL, head headInfo, depth int, out titan.Emitter) error {
	type link struct {
		u        *url.URL
		nofollow bool
	}
	var links []link
	collect := func(u *url.URL, nofollow bool) { links = append(links, link{u, nofollow}) }
	skipped := 0
	if c.links == nil {
		skipped = page.Hrefs(doc, base, collect)
	} else {
		for _, n := range cascadia.QueryAll(doc, c.links) {
			skipped += page.Hrefs(n, base, collect)
		}
	}
	if skipped > 0 {
		out.Skip(SkipNotFetchable, skipped)
	}
	for _, next := range head.next {
		links = append(links, link{u: next})
	}
	nofollow := 0
	seen := make(map[string]struct{}, len(links)) // a page links to a URL once
	for _, l := range links {
		if l.nofollow && !c.params.FollowNofollow {
			nofollow++
			continue
		}
		u, err := crawl.Normalize(l.u, c.norm)
		if err != nil {
			out.Skip(SkipBadURL, 1)
			continue
		}
		s := u.String()
		if _, dup := seen[s]; dup {
			continue
		}
		seen[s] = struct{}{}
		if ok, why := c.scope.Load().Allow(u); !ok {
			out.Skip(skipReason(why), 1)
			continue
		}
		accepted, err := out.Follow(ctx, titan.Item{URL: s, Depth: depth})
		if err != nil {
			return err
		}
		if accepted && c.params.Mode == ModeMap && c.extracts(u) {
			if err := out.Emit(ctx, mapRecord(s, depth)); err != nil {
				return err
			}
		}
	}
	if nofollow > 0 {
		out.Skip(SkipNoFollow, nofollow)
	}
	return nil
}

// skipReason turns a Scope refusal into a stats key: its first words, e.g.
// "out of scope (same_host)" → "out_of_scope".
func skipReason(why string) string {
	if i := strings.IndexAny(why, "([:"); i > 0 {
		why = why[:i]
	}
	return strings.ReplaceAll(strings.TrimSpace(why), " ", "_")
}

func mapRecord(u string, depth int) titan.Record {
	return titan.Record{URL: u, Data: map[string]any{"url": u, "depth": int64(depth)}}
}

// headInfo is what a crawl reads from a page's head.
type headInfo struct {
	base      *url.URL // what relative links resolve against
	canonical string
	next      []*url.URL
}

// readHead walks the page outside <body> for <base href>, <link rel=canonical>
// and <link rel=next>: one cheap walk instead of one over the whole page. (A
// <base> inside <body>, which is invalid HTML, is not honoured.)
func readHead(doc *html.Node, pageURL *url.URL) headInfo {
	h := headInfo{base: pageURL}
	type link struct{ rel, href string }
	var links []link
	baseSeen := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Body {
				continue
			}
			switch c.DataAtom {
			case atom.Base:
				if href, ok := attrValue(c, "href"); ok && !baseSeen {
					baseSeen = true
					if b, err := pageURL.Parse(strings.TrimSpace(href)); err == nil {
						h.base = b
					}
				}
			case atom.Link:
				rel, _ := attrValue(c, "rel")
				href, _ := attrValue(c, "href")
				if href = strings.TrimSpace(href); href != "" {
					links = append(links, link{strings.ToLower(rel), href})
				}
			}
			walk(c)
		}
	}
	walk(doc)
	for _, l := range links {
		u, err := h.base.Parse(l.href)
		if err != nil {
			continue
		}
		for _, r := range strings.Fields(l.rel) {
			switch r {
			case "canonical":
				if h.canonical == "" {
					h.canonical = u.String()
				}
			case "next":
				n := *u
				n.Fragment, n.RawFragment = "", ""
				h.next = append(h.next, &n)
			}
		}
	}
	return h
}

// attrValue returns the value of n's attribute key, if it has one.
func attrValue(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// robots reads a seed host's robots.txt for its Sitemap lines, or falls back to
// /sitemap.xml.
func (c *crawler) robots(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	u, err := url.Parse(in.Item.URL)
	if err != nil {
		return &titan.InputError{Input: in.Item.URL, Problem: "does not parse"}
	}
	var sitemaps []string
	resp, err := in.Fetcher.Fetch(ctx, &titan.Request{URL: in.Item.URL})
	if err == nil {
		sitemaps = crawl.SitemapsFromRobots(resp.Body)
	}
	if len(sitemaps) == 0 {
		sitemaps = []string{u.Scheme + "://" + u.Host + "/sitemap.xml"}
	}
	for _, s := range sitemaps {
		if _, err := out.Follow(ctx, titan.Item{URL: s, Kind: kindSitemap}); err != nil {
			return err
		}
	}
	return nil
}

// sitemap reads one sitemap or sitemap index and follows what it lists.
func (c *crawler) sitemap(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	if c.sitemaps.Add(1) > maxSitemaps {
		out.Skip(SkipMaxSitemaps, 1) // a sitemap index that never ends
		return nil
	}
	resp, err := in.Fetcher.Fetch(ctx, &titan.Request{URL: in.Item.URL})
	if err != nil {
		return err
	}
	body := resp.Body
	if resp.ContentType != "application/gzip" && resp.ContentType != "application/x-gzip" {
		// The fetcher decoded the XML to UTF-8 already: its declared encoding
		// no longer holds.
		body = xmlEncodingDecl.ReplaceAll(body, []byte("$1"))
	}
	sm, err := crawl.ParseSitemap(bytes.NewReader(body), maxSitemapBytes)
	if err != nil {
		return fmt.Errorf("sitemap %s: %w", resp.URL, err)
	}
	if len(sm.Skipped) > 0 {
		out.Skip(SkipSitemapEntry, len(sm.Skipped))
		in.Logger.Debug("sitemap entries skipped", "url", resp.URL, "first", sm.Skipped[0].Reason)
	}
	for _, e := range sm.Entries {
		if sm.IsIndex {
			if _, err := out.Follow(ctx, titan.Item{URL: e.Loc, Kind: kindSitemap}); err != nil {
				return err
			}
			continue
		}
		u, err := c.normalize(e.Loc)
		if err != nil {
			out.Skip(SkipSitemapEntry, 1)
			continue
		}
		if ok, why := c.scope.Load().Allow(u); !ok {
			out.Skip(skipReason(why), 1)
			continue
		}
		s := u.String()
		accepted, err := out.Follow(ctx, titan.Item{URL: s, Depth: 1})
		if err != nil {
			return err
		}
		if accepted && c.params.Mode == ModeMap && c.extracts(u) {
			if err := out.Emit(ctx, mapRecord(s, 1)); err != nil {
				return err
			}
		}
	}
	return nil
}

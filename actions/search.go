package actions

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/titanscrape/titan"
)

// The names of the built-in search providers.
const (
	ProviderDuckDuckGo = "duckduckgo"
	ProviderBrave      = "brave"
	ProviderBing       = "bing"
	ProviderGoogle     = "google"
	ProviderSearXNG    = "searxng"
)

// The time ranges of a search, in params.time_range.
const (
	TimeDay   = "day"
	TimeWeek  = "week"
	TimeMonth = "month"
	TimeYear  = "year"
)

// Reasons a search leaves a result out, counted in titan.Stats.Skipped.
const (
	// SkipExcludedDomain counts results outside include_domains or inside
	// exclude_domains.
	SkipExcludedDomain = "excluded_domain"
	// SkipMaxResults counts results beyond limits.max_results.
	SkipMaxResults = "max_results"
	// SkipDuplicateResult counts results whose URL an earlier result of the same
	// search had.
	SkipDuplicateResult = "duplicate_result"
)

// defaultMaxResults is a search's limits.max_results when unset.
const defaultMaxResults = 10

// A SearchProvider runs a web search through some engine. Implementations fetch
// through f, so the runner's politeness, retries and body caps apply, and take API
// keys from q.Secrets by name, never from their own fields.
//
// Search returns the results in the engine's order, ranked from 1, with Provider
// set to Name(). It may return fewer results than q.MaxResults, or more (a whole
// last page): the Search action truncates and counts the rest. It should push
// q.IncludeDomains and q.ExcludeDomains to the engine where it can (e.g. site:
// operators); the action filters them again either way.
type SearchProvider interface {
	Name() string
	Search(ctx context.Context, f titan.Fetcher, q SearchQuery) ([]SearchResult, error)
}

// SearchQuery is one search, as the Search action hands it to a provider.
type SearchQuery struct {
	Query      string
	MaxResults int
	// Language is an ISO 639-1 code such as "en"; Region an ISO 3166-1 alpha-2
	// country code such as "US". Both may be empty.
	Language, Region string
	// TimeRange is "", day, week, month or year: results from that past period.
	TimeRange string
	// IncludeDomains and ExcludeDomains are lowercased domain names; a domain
	// includes its subdomains.
	IncludeDomains, ExcludeDomains []string
	// Secrets are the run's secrets, where providers find their API keys.
	Secrets titan.Secrets
}

// SearchResult is one result of a search.
type SearchResult struct {
	Title   string
	URL     string
	Snippet string
	// Rank is the position in the provider's results, from 1.
	Rank     int
	Provider string
}

// SearchParams are the params of a search step.
type SearchParams struct {
	// Query is the search query, a template whose placeholders come from the
	// input item like an api_call's url: {field} or {data.field} from its data,
	// {url} its URL. Default: the "query" field of the item's data, for a step
	// fed by an upstream step's records.
	Query string `json:"query,omitempty"`
	// Provider names the search provider; default duckduckgo, which needs no key.
	Provider string `json:"provider,omitempty"`
	// Language is an ISO 639-1 code such as "en"; Region an ISO 3166-1 alpha-2
	// country code such as "US".
	Language string `json:"language,omitempty"`
	Region   string `json:"region,omitempty"`
	// TimeRange limits results to the past day, week, month or year.
	TimeRange string `json:"time_range,omitempty"`
	// IncludeDomains keeps only results on these domains (and their subdomains);
	// ExcludeDomains leaves out results on these. Both are sent to the provider as
	// site: operators where it supports them, and applied to the results again.
	IncludeDomains []string `json:"include_domains,omitempty"`
	ExcludeDomains []string `json:"exclude_domains,omitempty"`
	// Endpoint replaces the built-in provider's endpoint, e.g. the URL of a
	// self-hosted SearXNG instance, which searxng requires.
	Endpoint string `json:"endpoint,omitempty"`
}

// Search runs a web search per input item and emits one record per result:
//
//	{"title", "url", "snippet", "rank", "provider", "query"}
//
// rank counts from 1 in the order of the records, after filtering, and the record's
// URL is the result's URL, so that a next step fed by previous_step fetches it.
// At most limits.max_results records (default 10) are emitted per search; results
// beyond it, outside the domains asked for, or repeating an earlier URL are counted
// in the execution's skipped stats ("max_results", "excluded_domain",
// "duplicate_result"). Each page of results a provider fetches counts as a page.
//
// A search needs no input URL: a task without urls runs it once (see
// titan.InputlessAction); a task with urls runs it once per URL, where the query
// may use {url}. A step fed by an upstream step runs it once per record.
//
// The zero value offers the built-in providers (DefaultSearchProviders) with
// duckduckgo as the default. Set Providers to offer others, and register the Search
// with the runner under titan.ActionSearch.
type Search struct {
	// Providers are the providers by name; nil means DefaultSearchProviders().
	Providers map[string]SearchProvider
	// Default names the provider used when params.provider is not set; default
	// duckduckgo, or the only provider when there is one.
	Default string
}

// DefaultSearchProviders returns the built-in providers under their names, with
// their public endpoints and default key secret names. searxng has no endpoint:
// a search with it sets params.endpoint.
func DefaultSearchProviders() map[string]SearchProvider {
	return map[string]SearchProvider{
		ProviderDuckDuckGo: DuckDuckGo{},
		ProviderBrave:      Brave{},
		ProviderBing:       Bing{},
		ProviderGoogle:     Google{},
		ProviderSearXNG:    SearXNG{},
	}
}

// NeedsNoInput reports true: a search runs without an input URL.
func (Search) NeedsNoInput() bool { return true }

// DefaultLimits sets max_results to 10 and nothing else.
func (Search) DefaultLimits() titan.Limits { return titan.Limits{MaxResults: defaultMaxResults} }

// ValidateStep checks the search's params.
func (s Search) ValidateStep(step *titan.Step) []titan.FieldError {
	_, problems := s.compile(step)
	return problems
}

// Prepare compiles the search's params for one execution. A task's step that has
// no upstream step needs params.query.
func (s Search) Prepare(t *titan.Task, step *titan.Step) (titan.Action, error) {
	c, problems := s.compile(step)
	if c != nil && c.params.Query == "" && !readsRecords(t, step) {
		problems = append(problems, titan.FieldError{Field: "params.query", Problem: "is required when the step reads no upstream records"})
	}
	if len(problems) > 0 {
		return nil, &titan.ValidationError{What: "search params", Problems: problems}
	}
	return c, nil
}

// Run is not called by the runner, which runs the action Prepare returns.
func (s Search) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	c, err := s.Prepare(in.Task, in.Step)
	if err != nil {
		return err
	}
	return c.Run(ctx, in, out)
}

// readsRecords reports whether step reads the records of upstream steps.
func readsRecords(t *titan.Task, step *titan.Step) bool {
	if t.ExecutionPlan == nil {
		return false
	}
	for i, s := range t.ExecutionPlan.Steps {
		if s.ID == step.ID {
			return len(t.ExecutionPlan.Inputs(i)) > 0
		}
	}
	return step.InputSource == titan.InputPreviousStep
}

// searcher is a Search prepared for one execution.
type searcher struct {
	provider SearchProvider
	query    *template // nil: the item's "query" field
	params   SearchParams
}

var (
	languageCode = regexp.MustCompile(`^[A-Za-z]{2,3}$`)
	regionCode   = regexp.MustCompile(`^[A-Za-z]{2}$`)
)

// endpointSetter is a built-in provider whose endpoint params.endpoint replaces.
type endpointSetter interface {
	withEndpoint(endpoint string) SearchProvider
}

// endpointRequirer is a provider that has no endpoint of its own.
type endpointRequirer interface {
	endpointMissing() bool
}

func (s Search) compile(step *titan.Step) (*searcher, []titan.FieldError) {
	var problems []titan.FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, titan.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	var p SearchParams
	if unknown := unknownParams("params", step.Params, p); len(unknown) > 0 {
		return nil, unknown
	}
	if err := decodeParams(step.Params, &p); err != nil {
		return nil, []titan.FieldError{paramsError(err)}
	}
	c := &searcher{}
	if p.Query != "" {
		t, err := parseTemplate(p.Query)
		if err != nil {
			add("params.query", "invalid template %q: %v", p.Query, err)
		}
		c.query = t
	} else if step.InputSource == titan.InputStaticURLs || step.InputSource == titan.InputURLInventory {
		add("params.query", "is required with input_source %q", step.InputSource)
	}
	providers := s.Providers
	if providers == nil {
		providers = DefaultSearchProviders()
	}
	name := p.Provider
	if name == "" {
		name = s.Default
		if name == "" && len(providers) == 1 {
			for n := range providers {
				name = n
			}
		}
		name = cmp.Or(name, ProviderDuckDuckGo)
	}
	prov, ok := providers[name]
	switch {
	case !ok || prov == nil:
		field := "params.provider"
		if p.Provider == "" {
			field = "params"
		}
		add(field, "unknown search provider %q (known: %s)", name, strings.Join(sortedKeys(providers), ", "))
	case p.Endpoint != "":
		es, ok := prov.(endpointSetter)
		if !ok {
			add("params.endpoint", "provider %q takes no endpoint", name)
			break
		}
		if err := titan.CheckURL(p.Endpoint); err != nil {
			add("params.endpoint", "%v", err)
			break
		}
		prov = es.withEndpoint(p.Endpoint)
	default:
		if er, ok := prov.(endpointRequirer); ok && er.endpointMissing() {
			add("params.endpoint", "is required for provider %s: the URL of a SearXNG instance with the JSON format enabled", name)
		}
	}
	c.provider = prov
	if p.Language != "" && !languageCode.MatchString(p.Language) {
		add("params.language", "%q is not a language code such as \"en\"", p.Language)
	}
	if p.Region != "" && !regionCode.MatchString(p.Region) {
		add("params.region", "%q is not a two-letter country code such as \"US\"", p.Region)
	}
	p.Language, p.Region = strings.ToLower(p.Language), strings.ToUpper(p.Region)
	switch p.TimeRange {
	case "", TimeDay, TimeWeek, TimeMonth, TimeYear:
	default:
		add("params.time_range", "unknown time range %q (want day, week, month or year)", p.TimeRange)
	}
	for _, list := range []struct {
		name    string
		domains []string
	}{{"include_domains", p.IncludeDomains}, {"exclude_domains", p.ExcludeDomains}} {
		for i, d := range list.domains {
			n, err := normDomain(d)
			if err != nil {
				add(fmt.Sprintf("params.%s[%d]", list.name, i), "%v", err)
			}
			list.domains[i] = n
		}
	}
	c.params = p
	return c, problems
}

// normDomain lowercases a domain name of include_domains or exclude_domains.
func normDomain(d string) (string, error) {
	n := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "*."), ".")
	if !hostValue.MatchString(n) {
		return "", fmt.Errorf("%q is not a domain name such as example.com", d)
	}
	return n, nil
}

// NeedsNoInput reports true: a search runs without an input URL.
func (c *searcher) NeedsNoInput() bool { return true }

// Run searches for one item.
func (c *searcher) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	log := in.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q, err := c.queryFor(in.Item)
	if err != nil {
		return err
	}
	p := c.params
	max := cmp.Or(in.Limits.MaxResults, defaultMaxResults)
	name := c.provider.Name()
	results, err := c.provider.Search(ctx, pageCounter{in.Fetcher, out}, SearchQuery{
		Query:          q,
		MaxResults:     max,
		Language:       p.Language,
		Region:         p.Region,
		TimeRange:      p.TimeRange,
		IncludeDomains: p.IncludeDomains,
		ExcludeDomains: p.ExcludeDomains,
		Secrets:        in.Secrets,
	})
	if err != nil {
		return scrub(fmt.Errorf("search %s %q: %w", name, q, err), in.Secrets)
	}
	var kept []SearchResult
	seen := map[string]bool{}
	var excluded, dups, bad int
	for _, r := range results {
		u, err := url.Parse(r.URL)
		switch {
		case err != nil || titan.CheckURL(r.URL) != nil:
			bad++
		case !domainAllowed(strings.ToLower(u.Hostname()), p.IncludeDomains, p.ExcludeDomains):
			excluded++
		case seen[r.URL]:
			dups++
		default:
			seen[r.URL] = true
			kept = append(kept, r)
		}
	}
	for reason, n := range map[string]int{SkipBadURL: bad, SkipExcludedDomain: excluded, SkipDuplicateResult: dups, SkipMaxResults: len(kept) - max} {
		if n > 0 {
			out.Skip(reason, n)
		}
	}
	kept = kept[:min(len(kept), max)]
	log.Debug("search done", "provider", name, "results", len(results), "kept", len(kept))
	for i, r := range kept {
		rec := titan.Record{URL: r.URL, Data: map[string]any{
			"title":    r.Title,
			"url":      r.URL,
			"snippet":  r.Snippet,
			"rank":     int64(i + 1),
			"provider": cmp.Or(r.Provider, name),
			"query":    q,
		}}
		if err := out.Emit(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

// queryFor returns the query of one item.
func (c *searcher) queryFor(it titan.Item) (string, error) {
	var q string
	if c.query != nil {
		var err error
		if q, err = c.query.expand(it); err != nil {
			return "", err
		}
	} else {
		v, ok := it.Data["query"].(string)
		if !ok {
			return "", &titan.InputError{Input: it.URL, Problem: "no query: set params.query or feed records with a \"query\" string field"}
		}
		q = v
	}
	if q = strings.TrimSpace(q); q == "" {
		return "", &titan.InputError{Input: it.URL, Problem: "the search query is empty"}
	}
	return q, nil
}

// domainAllowed reports whether host passes include_domains and exclude_domains.
func domainAllowed(host string, include, exclude []string) bool {
	in := func(list []string) bool {
		return slices.ContainsFunc(list, func(d string) bool { return host == d || strings.HasSuffix(host, "."+d) })
	}
	return (len(include) == 0 || in(include)) && !in(exclude)
}

// siteOperators returns q's query with site: operators for its domains, for
// providers whose syntax has them.
func siteOperators(q SearchQuery) string {
	s := q.Query
	switch len(q.IncludeDomains) {
	case 0:
	case 1:
		s += " site:" + q.IncludeDomains[0]
	default:
		s += " (site:" + strings.Join(q.IncludeDomains, " OR site:") + ")"
	}
	for _, d := range q.ExcludeDomains {
		s += " -site:" + d
	}
	return s
}

// pageCounter is a Fetcher that counts each successful fetch as a page.
type pageCounter struct {
	f   titan.Fetcher
	out titan.Emitter
}

func (p pageCounter) Fetch(ctx context.Context, req *titan.Request) (*titan.Response, error) {
	resp, err := p.f.Fetch(ctx, req)
	if err == nil {
		p.out.Fetched()
	}
	return resp, err
}

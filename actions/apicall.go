package actions

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/titanscrape/titan"
)

// Pagination types of an api_call.
const (
	PageNumber = "page"        // a page number in a query parameter
	PageOffset = "offset"      // a record offset in a query parameter
	PageCursor = "cursor"      // a cursor read from the response, sent back in a query parameter
	PageLink   = "link_header" // the rel="next" URL of the Link header (RFC 8288)
	PageNext   = "next_url"    // a next-page URL read from the response
)

// Auth types of an api_call.
const (
	AuthBearer = "bearer"  // Authorization: Bearer <secret>
	AuthBasic  = "basic"   // Authorization: Basic base64(<username_secret>:<secret>)
	AuthAPIKey = "api_key" // <header>: <secret>
)

// Reasons an api_call stops paginating early, counted in titan.Stats.Skipped.
const (
	// SkipPaginationLimit counts items whose pagination stopped at limits.max_pages
	// while the API offered another page.
	SkipPaginationLimit = "pagination_limit"
	// SkipRepeatedCursor counts paginations that stopped because the API returned a
	// cursor it had returned before, which would loop forever.
	SkipRepeatedCursor = "repeated_cursor"
	// SkipRepeatedNextURL counts paginations that stopped because a next-page URL
	// (link_header, next_url) pointed to a page already fetched.
	SkipRepeatedNextURL = "repeated_next_url"
)

// defaultAPIMaxPages is the pages an api_call fetches per item when limits.max_pages
// is not set.
const defaultAPIMaxPages = 10

// excerptLen is how much of a response body an error quotes, like *titan.HTTPError.
const excerptLen = 512

// ErrNotJSON reports a successful response whose body is not JSON.
var ErrNotJSON = errors.New("response is not JSON")

// APICallParams are the params of an api_call step.
type APICallParams struct {
	// Method is GET (default), POST, PUT, PATCH or DELETE.
	Method string `json:"method,omitempty"`
	// URL is the request URL, a template whose placeholders come from the input
	// item: {url} is the item's URL, {field} or {data.field.sub} a field of the
	// item's data (an upstream record). A value is path-escaped in the path (one
	// segment: a "/" in it is escaped too) and query-escaped in the query; a
	// placeholder that starts the template holds a whole URL and is kept as is.
	// Default: the item's URL, which a task's urls provide.
	URL string `json:"url,omitempty"`
	// Headers are sent with every request; values are templates. Accept defaults
	// to application/json, and Content-Type to application/json with a payload.
	// Credentials do not go here but in Auth: validation rejects headers and
	// query parameters named like credentials (Authorization, Cookie, X-Api-Key,
	// key, token, access_token, client_secret, password, ...).
	Headers map[string]string `json:"headers,omitempty"`
	// Query parameters are added to the URL (replacing any of the same name);
	// values are templates.
	Query map[string]string `json:"query,omitempty"`
	// Auth names the run's secrets that authenticate the requests.
	Auth *APIAuth `json:"auth,omitempty"`
	// RecordsPath is a gjson path (https://github.com/tidwall/gjson, e.g.
	// "data.items") to the array of records in the response. Default: the
	// whole body when it is an array, else the body as one record. A path that
	// selects an object yields it as one record; null yields none; a path absent
	// from the response fails the item.
	RecordsPath string `json:"records_path,omitempty"`
	// Pagination, when set, fetches the next pages, up to limits.max_pages pages
	// per item (default 10).
	Pagination *APIPagination `json:"pagination,omitempty"`
}

// APIAuth authenticates an api_call with secrets of the run (its secret_payload),
// given by name: params never hold a credential, and the values never appear in
// records, errors or logs. Credentials are sent only in headers (a key in a query
// string would show in URLs, which are logged) and only to the host of the first
// request: a redirect or next page on another host fails the item.
type APIAuth struct {
	// Type is bearer, basic or api_key.
	Type string `json:"type"`
	// Secret names the secret holding the token (bearer), the password (basic,
	// optional: empty when unset) or the key (api_key).
	Secret string `json:"secret,omitempty"`
	// UsernameSecret names the secret holding the user name (basic).
	UsernameSecret string `json:"username_secret,omitempty"`
	// Header is the header carrying an api_key; default X-Api-Key.
	Header string `json:"header,omitempty"`
}

// APIPagination says how an api_call reaches the next page of a response. Every
// type stops at limits.max_pages pages (counted as skipped "pagination_limit" when
// the API offered more), and, unless StopWhenEmpty is false, at a page without
// records.
type APIPagination struct {
	// Type is page, offset, cursor, link_header or next_url:
	//   - page sets Param (default "page") to Start (default 1), then Start+1, ...
	//   - offset sets Param (default "offset") to Start (default 0) plus the
	//     records received so far.
	//   - cursor reads CursorPath from each response and sends it back in
	//     CursorParam (default "cursor"); it stops when the cursor is missing,
	//     null or empty, or repeats one seen before (skipped "repeated_cursor").
	//   - link_header follows the rel="next" URL of the Link header; it stops
	//     when there is none.
	//   - next_url follows the URL at NextURLPath; it stops when it is missing,
	//     null or empty.
	// link_header and next_url stop at a URL already fetched (skipped
	// "repeated_next_url"); the URLs they follow are used as they are, without
	// the params' query.
	Type string `json:"type"`
	// Param is the query parameter of the page number or offset.
	Param string `json:"param,omitempty"`
	// Start is the first page number or offset.
	Start *int `json:"start,omitempty"`
	// SizeParam and Size set a page size query parameter on every request of
	// page, offset and cursor pagination, e.g. "limit" and 100.
	SizeParam string `json:"size_param,omitempty"`
	Size      int    `json:"size,omitempty"`
	// CursorPath is the gjson path of the next cursor in a response (cursor).
	CursorPath string `json:"cursor_path,omitempty"`
	// CursorParam is the query parameter carrying the cursor.
	CursorParam string `json:"cursor_param,omitempty"`
	// NextURLPath is the gjson path of the next page's URL in a response
	// (next_url); a relative URL is resolved against the response's URL.
	NextURLPath string `json:"next_url_path,omitempty"`
	// StopWhenEmpty stops at a page without records; default true. Only cursor,
	// link_header and next_url accept false, for APIs that may return an empty
	// page before the end.
	StopWhenEmpty *bool `json:"stop_when_empty,omitempty"`
}

// APICall calls an HTTP JSON API once per input item and emits the records of the
// response, following its pagination (see APICallParams). The step's payload is
// the JSON body of a POST, PUT or PATCH.
//
// Each element of the records array becomes one record whose URL is the request's
// URL; an element that is not an object becomes {"value": element}. Numbers keep
// their precision: integers that fit in 64 bits become int64, other numbers
// float64. Each response counts as one page fetched.
//
// limits.timeout_seconds bounds each request, its retries included. Retries of a
// 408, 429 or 5xx response and of network errors are the fetcher's (its runner's
// MaxAttempts); limits.max_retries is not applied per step by this version.
// limits.max_pages caps the pages fetched per item (default 10); limits.max_items
// caps the records of the step.
//
// A non-2xx response or one whose body is not JSON fails the item with an
// *APICallError naming the request, the page and the status, and quoting the
// start of the body.
type APICall struct{}

// ValidateStep checks the api_call's params and payload.
func (APICall) ValidateStep(s *titan.Step) []titan.FieldError {
	_, problems := compileAPICall(s)
	return problems
}

// Prepare compiles the api_call's params for one execution. Without params.url,
// a task's step that reads its urls needs some.
func (APICall) Prepare(t *titan.Task, s *titan.Step) (titan.Action, error) {
	c, problems := compileAPICall(s)
	if c != nil && c.rawURL == "" && len(t.URLs) == 0 &&
		(s.InputSource == titan.InputStaticURLs || s.InputSource == "" && t.ExecutionPlan == nil) {
		problems = append(problems, titan.FieldError{Field: "params.url", Problem: "is required when the task has no urls"})
	}
	if len(problems) > 0 {
		return nil, &titan.ValidationError{What: "api_call params", Problems: problems}
	}
	return c, nil
}

// Run is not called by the runner, which runs the action Prepare returns.
func (APICall) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	c, err := APICall{}.Prepare(in.Task, in.Step)
	if err != nil {
		return err
	}
	return c.Run(ctx, in, out)
}

// apiCaller is an APICall prepared for one execution.
type apiCaller struct {
	rawURL  string
	method  string
	url     *template // nil: the item's URL
	headers []namedTemplate
	query   []namedTemplate
	body    []byte
	auth    *APIAuth
	records string
	pages   *APIPagination
}

type namedTemplate struct {
	name string
	tmpl *template
}

func compileAPICall(s *titan.Step) (*apiCaller, []titan.FieldError) {
	var problems []titan.FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, titan.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	var p APICallParams
	if unknown := unknownParams("params", s.Params, p); len(unknown) > 0 {
		return nil, unknown
	}
	if err := decodeParams(s.Params, &p); err != nil {
		return nil, []titan.FieldError{paramsError(err)}
	}
	c := &apiCaller{rawURL: p.URL, method: strings.ToUpper(cmp.Or(p.Method, http.MethodGet)), records: p.RecordsPath, auth: p.Auth}
	switch c.method {
	case http.MethodGet, http.MethodDelete:
		if len(s.Payload) > 0 {
			add("payload", "payload needs method POST, PUT or PATCH, not %s", c.method)
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if s.Payload != nil {
			b, err := json.Marshal(s.Payload)
			if err != nil {
				add("payload", "not representable as JSON: %v", err)
			}
			c.body = b
		}
	default:
		add("params.method", "unknown method %q (want GET, POST, PUT, PATCH or DELETE)", p.Method)
	}
	if p.URL != "" {
		t, err := parseURLTemplate(p.URL)
		switch {
		case err != nil:
			add("params.url", "invalid template %q: %v", p.URL, err)
		case checkURLTemplate(t) != nil:
			add("params.url", "%v", checkURLTemplate(t))
		default:
			c.url = t
			if u, err := url.Parse(p.URL); err == nil {
				for name := range u.Query() {
					if sensitive(name) {
						add("params.url", "query parameter %q looks like a credential: put it in the run's secrets and use params.auth", name)
					}
				}
			}
		}
	}
	for _, name := range sortedKeys(p.Headers) {
		field := "params.headers." + name
		switch {
		case !httpguts.ValidHeaderFieldName(name):
			add(field, "invalid header name")
			continue
		case sensitive(name):
			add(field, "looks like a credential: put it in the run's secrets and use params.auth")
			continue
		}
		t, err := parseTemplate(p.Headers[name])
		if err != nil {
			add(field, "invalid template: %v", err)
			continue
		}
		c.headers = append(c.headers, namedTemplate{http.CanonicalHeaderKey(name), t})
	}
	for _, name := range sortedKeys(p.Query) {
		field := "params.query." + name
		if sensitive(name) {
			add(field, "looks like a credential: put it in the run's secrets and use params.auth")
			continue
		}
		t, err := parseTemplate(p.Query[name])
		if err != nil {
			add(field, "invalid template: %v", err)
			continue
		}
		c.query = append(c.query, namedTemplate{name, t})
	}
	if a := p.Auth; a != nil {
		checkName := func(field, name string, required bool) {
			switch {
			case name == "" && required:
				add(field, "is required for auth type %s: the name of a secret of the run", a.Type)
			case name != "" && !validSecretName(name):
				add(field, "%s", "is not a secret name (letters, digits, '_', '-' and '.'): give the name under which the run's secrets hold the credential, never the credential")
			}
		}
		switch a.Type {
		case AuthBearer, AuthAPIKey:
			checkName("params.auth.secret", a.Secret, true)
			if a.UsernameSecret != "" {
				add("params.auth.username_secret", "only used with auth type %s", AuthBasic)
			}
		case AuthBasic:
			checkName("params.auth.username_secret", a.UsernameSecret, true)
			checkName("params.auth.secret", a.Secret, false)
		default:
			add("params.auth.type", "unknown auth type %q (want bearer, basic or api_key)", a.Type)
		}
		if a.Header != "" {
			switch {
			case a.Type != AuthAPIKey:
				add("params.auth.header", "only used with auth type %s", AuthAPIKey)
			case !httpguts.ValidHeaderFieldName(a.Header):
				add("params.auth.header", "invalid header name %q", a.Header)
			}
		}
	}
	if r := p.RecordsPath; strings.HasPrefix(r, "/") || strings.HasPrefix(r, "$") {
		add("params.records_path", "%q: write a gjson path such as data.items, not a JSON Pointer or JSONPath", r)
	}
	if p.Pagination != nil {
		problems = append(problems, checkPagination(p.Pagination)...)
		c.pages = p.Pagination
	}
	return c, problems
}

// NeedsNoInput reports whether the step runs without input items: when params.url
// is set, a task without urls calls it once.
func (c *apiCaller) NeedsNoInput() bool { return c.url != nil }

// Run calls the API for one item and follows its pagination. The run's secrets
// are redacted from its errors.
func (c *apiCaller) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	return scrub(c.run(ctx, in, out), in.Secrets)
}

func (c *apiCaller) run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	log := in.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	first, err := c.firstURL(in.Item)
	if err != nil {
		return err
	}
	header, secrets, err := c.header(in)
	if err != nil {
		return err
	}
	u, _ := url.Parse(first) // firstURL checked it
	host := u.Host
	pg := newPager(c.pages, first)
	maxPages := cmp.Or(in.Limits.MaxPages, defaultAPIMaxPages)
	reqURL := first
	for page := 1; ; page++ {
		resp, err := c.fetch(ctx, in, reqURL, page, header, host, secrets)
		if err != nil {
			return err
		}
		out.Fetched()
		fail := func(err error) error {
			return &APICallError{Method: c.method, URL: reqURL, Page: page, Status: resp.StatusCode,
				Body: secrets.redact(excerpt(resp.Body)), Err: err}
		}
		recs, err := records(resp.Body, c.records)
		if err != nil {
			return fail(err)
		}
		log.Debug("api_call page", "url", reqURL, "page", page, "records", len(recs))
		for _, r := range recs {
			if err := out.Emit(ctx, titan.Record{URL: reqURL, Data: r}); err != nil {
				return err
			}
		}
		next, skip, err := pg.next(resp, len(recs))
		if err != nil {
			return fail(err)
		}
		if skip != "" {
			out.Skip(skip, 1)
			log.Debug("api_call pagination stopped", "url", reqURL, "page", page, "reason", skip)
		}
		if next == "" {
			return nil
		}
		if page >= maxPages {
			out.Skip(SkipPaginationLimit, 1)
			log.Debug("api_call pagination stopped", "url", reqURL, "page", page, "reason", SkipPaginationLimit)
			return nil
		}
		if c.auth != nil {
			if nu, err := url.Parse(next); err != nil || nu.Host != host {
				return fail(fmt.Errorf("next page %s is on another host than %s: credentials are not sent there", next, host))
			}
		}
		reqURL = next
	}
}

// firstURL builds the URL of the first request for it.
func (c *apiCaller) firstURL(it titan.Item) (string, error) {
	raw := it.URL
	if c.url != nil {
		var err error
		if raw, err = c.url.expand(it); err != nil {
			return "", err
		}
	}
	if raw == "" {
		return "", &titan.InputError{Input: "", Problem: "the item has no URL and params.url is not set"}
	}
	if err := titan.CheckURL(raw); err != nil {
		return "", &titan.InputError{Input: raw, Problem: err.Error()}
	}
	u, _ := url.Parse(raw)
	set := map[string]string{}
	for _, q := range c.query {
		v, err := q.tmpl.expand(it)
		if err != nil {
			return "", err
		}
		set[q.name] = v
	}
	if pg := c.pages; pg != nil {
		switch pg.Type {
		case PageNumber:
			set[cmp.Or(pg.Param, "page")] = fmt.Sprint(pageStart(pg, 1))
		case PageOffset:
			set[cmp.Or(pg.Param, "offset")] = fmt.Sprint(pageStart(pg, 0))
		}
		if pg.SizeParam != "" {
			set[pg.SizeParam] = fmt.Sprint(pg.Size)
		}
	}
	if len(set) == 0 {
		return raw, nil
	}
	q := u.Query()
	for k, v := range set {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func pageStart(pg *APIPagination, def int) int {
	if pg.Start != nil {
		return *pg.Start
	}
	return def
}

// header builds the request headers for in, and lists the secret values they hold.
func (c *apiCaller) header(in *titan.Input) (http.Header, secretValues, error) {
	h := http.Header{"Accept": {"application/json"}}
	if c.body != nil {
		h.Set("Content-Type", "application/json")
	}
	for _, nt := range c.headers {
		v, err := nt.tmpl.expand(in.Item)
		if err != nil {
			return nil, nil, err
		}
		if !httpguts.ValidHeaderFieldValue(v) {
			return nil, nil, &titan.InputError{Input: "params.headers." + nt.name, Problem: fmt.Sprintf("value %q is not a valid header value", v)}
		}
		h.Set(nt.name, v)
	}
	secrets := allSecrets(in.Secrets)
	a := c.auth
	if a == nil {
		return h, secrets, nil
	}
	get := func(name string) (string, error) { return lookupSecret(in.Secrets, name) }
	switch a.Type {
	case AuthBearer:
		tok, err := get(a.Secret)
		if err != nil {
			return nil, nil, err
		}
		h.Set("Authorization", "Bearer "+tok)
	case AuthBasic:
		user, err := get(a.UsernameSecret)
		if err != nil {
			return nil, nil, err
		}
		var pass string
		if a.Secret != "" {
			if pass, err = get(a.Secret); err != nil {
				return nil, nil, err
			}
		}
		tok := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
		secrets = append(secretValues{tok}, secrets...)
		h.Set("Authorization", "Basic "+tok)
	case AuthAPIKey:
		key, err := get(a.Secret)
		if err != nil {
			return nil, nil, err
		}
		h.Set(cmp.Or(a.Header, "X-Api-Key"), key)
	}
	return h, secrets, nil
}

// fetch requests one page. With auth, a redirect to another host is refused, so
// the credentials never leave the API's host.
func (c *apiCaller) fetch(ctx context.Context, in *titan.Input, reqURL string, page int, header http.Header, host string, secrets secretValues) (*titan.Response, error) {
	if t := in.Limits.TimeoutSeconds; t > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(t)*time.Second)
		defer cancel()
	}
	req := &titan.Request{Method: c.method, URL: reqURL, Header: header.Clone(), Body: c.body}
	if c.auth != nil {
		req.CheckRedirect = func(to *url.URL) error {
			if to.Host != host {
				return fmt.Errorf("redirect to another host than %s refused: it would carry the credentials", host)
			}
			return nil
		}
	}
	resp, err := in.Fetcher.Fetch(ctx, req)
	if err == nil {
		return resp, nil
	}
	e := &APICallError{Method: c.method, URL: reqURL, Page: page, Err: err}
	var he *titan.HTTPError
	if errors.As(err, &he) {
		he.Body = secrets.redact(he.Body) // the fetcher handed the error over: scrub it
		e.Status, e.Body = he.StatusCode, he.Body
	}
	return nil, e
}

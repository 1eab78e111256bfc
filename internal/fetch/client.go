package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/time/rate"
)

// ErrTooManyRedirects reports an attempt that was redirected more than
// MaxRedirects times. The error that wraps it names the URL where it stopped.
var ErrTooManyRedirects = errors.New("fetch: too many redirects")

// Client holds what all executions of a Runner share: the HTTP transport, the
// per-host rate limiters and concurrency slots, and the robots.txt cache. Create it
// with New and get one Session per execution. A Client is safe for concurrent use.
//
// A Client keeps the state of every host it has seen for its whole life; use one
// Client per Runner, not one per process forever.
type Client struct {
	cfg   Config
	agent string // robots.txt product token
	base  http.Client

	// robotsHTTP fetches robots.txt files: no cookie jar, redirects limited but
	// not checked against robots.txt.
	robotsHTTP *resty.Client

	mu    sync.Mutex
	hosts map[string]*hostState

	// Injected for tests; production values come from New.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration
	now    func() time.Time
}

// hostState is the politeness state of one scheme://host:port.
type hostState struct {
	limiter *rate.Limiter
	slots   chan struct{} // a buffered channel used as a counting semaphore

	mu     sync.Mutex
	robots *robotsEntry // nil until the first robots.txt lookup
	hold   time.Time    // a Retry-After from the host: no request before it
}

// holdUntil makes every request to the host wait until t, as a server's
// Retry-After asks of the client, not only of the request that got it.
func (h *hostState) holdUntil(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.hold) {
		h.hold = t
	}
}

// waitHold waits out the host's Retry-After hold, if any.
func (h *hostState) waitHold(ctx context.Context, c *Client) error {
	h.mu.Lock()
	d := h.hold.Sub(c.now())
	h.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return c.sleep(ctx, d)
}

// New returns a Client for cfg, after filling its defaults. It fails if a field of
// cfg makes no sense, e.g. a negative MaxAttempts.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:    cfg,
		agent:  robotsAgent(cfg.UserAgent),
		base:   *cfg.Client,
		hosts:  make(map[string]*hostState),
		sleep:  sleepCtx,
		jitter: fullJitter,
		now:    time.Now,
	}
	if c.base.Transport == nil {
		// Make the choice explicit so that resty does not build a new transport
		// (and a new connection pool) for every session.
		c.base.Transport = http.DefaultTransport
	}
	c.base.Jar = nil
	robotsHC := c.base
	robotsHC.CheckRedirect = c.redirectPolicy(false)
	c.robotsHTTP = c.newResty(&robotsHC)
	return c, nil
}

// Session returns a new Session: a titan.Fetcher with its own cookie jar and its
// own stats, sharing the Client's politeness state. Use one per execution.
func (c *Client) Session() *Session {
	// cookiejar.New documents no failure and always returns a nil error.
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	hc := c.base
	hc.Jar = jar
	hc.CheckRedirect = c.redirectPolicy(!c.cfg.IgnoreRobots)
	return &Session{c: c, http: c.newResty(&hc)}
}

// CloseIdleConnections closes the idle keep-alive connections of the Client's
// transport. Call it when the Client is no longer used.
func (c *Client) CloseIdleConnections() {
	c.base.CloseIdleConnections()
}

// newResty wraps hc in a resty client that does no retries, no rate limiting and
// no body parsing: the fetcher does all three itself.
func (c *Client) newResty(hc *http.Client) *resty.Client {
	return resty.NewWithClient(hc).
		SetRetryCount(0).
		SetDoNotParseResponse(true).
		SetAllowGetMethodPayload(true).
		SetLogger(restyLogger{c.cfg.Logger})
}

// redirectCheckKey is the context key of a request's titan.Request.CheckRedirect.
type redirectCheckKey struct{}

// redirectPolicy returns the CheckRedirect of the fetcher's http.Clients: at most
// MaxRedirects redirects, then the injected client's own policy if it has one.
// With robots set, every redirect target is checked against its host's robots.txt.
func (c *Client) redirectPolicy(robots bool) func(*http.Request, []*http.Request) error {
	user := c.base.CheckRedirect
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return fmt.Errorf("%w: stopped after %d redirects at %s", ErrTooManyRedirects, MaxRedirects, req.URL)
		}
		if check, ok := req.Context().Value(redirectCheckKey{}).(func(*url.URL) error); ok {
			if err := check(req.URL); err != nil {
				return fmt.Errorf("redirect to %s: %w", req.URL, err)
			}
		}
		if robots {
			if err := c.checkRobots(req.Context(), req.URL); err != nil {
				return fmt.Errorf("redirect to %s: %w", req.URL, err)
			}
		}
		if user != nil {
			return user(req, via)
		}
		return nil
	}
}

// host returns the politeness state of the host with this key (see hostKey),
// creating it on first use.
func (c *Client) host(key string) *hostState {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[key]
	if h == nil {
		h = &hostState{
			limiter: rate.NewLimiter(c.baseLimit(), c.cfg.Burst),
			slots:   make(chan struct{}, c.cfg.MaxConnsPerHost),
		}
		c.hosts[key] = h
	}
	return h
}

// baseLimit is the configured per-host rate as a rate.Limit.
func (c *Client) baseLimit() rate.Limit {
	if c.cfg.RatePerHost < 0 {
		return rate.Inf
	}
	return rate.Limit(c.cfg.RatePerHost)
}

// acquire takes one of the host's concurrency slots, waiting until one is free or
// ctx is done. The returned func gives the slot back.
func (h *hostState) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hostKey returns the key of the host of u: scheme://host:port, lowercased, with
// the default port filled in. Limits, slots and robots.txt are per key (RFC 9309
// scopes robots.txt to scheme, host and port).
func hostKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port
}

// restyLogger sends resty's own log lines to the configured slog.Logger.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Error("resty: " + fmt.Sprintf(format, v...))
}

func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Warn("resty: " + fmt.Sprintf(format, v...))
}

func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty: " + fmt.Sprintf(format, v...))
}

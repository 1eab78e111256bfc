package fetch

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"time"
)

// Defaults applied by New to the zero fields of a Config.
const (
	DefaultUserAgent       = "titan/0.1 (+https://github.com/titanscrape/titan)"
	DefaultRatePerHost     = 4.0
	DefaultBurst           = 1
	DefaultMaxConnsPerHost = 4
	DefaultMaxAttempts     = 4
	DefaultBaseBackoff     = 250 * time.Millisecond
	DefaultMaxBackoff      = 10 * time.Second
	DefaultMaxRetryAfter   = 60 * time.Second
	DefaultMaxBodyBytes    = 10 << 20
	DefaultTimeout         = 30 * time.Second
	// MaxRedirects is how many redirects one attempt follows before it fails with
	// ErrTooManyRedirects.
	MaxRedirects = 10
)

// Config configures a Client. The zero value is ready to use: every zero field gets
// the default named in its comment. A Config is read once by New; changing it later
// has no effect.
type Config struct {
	// Client is the HTTP client requests go through. Default: a new client with its
	// own tuned *http.Transport (keep-alives, HTTP/2, idle pool sized to
	// MaxConnsPerHost, no proxy). A client whose Transport is nil uses
	// http.DefaultTransport. Its Jar is ignored: every Session has its own cookie
	// jar. Its CheckRedirect, if any, runs after the fetcher's own redirect policy
	// (at most MaxRedirects redirects, robots.txt checked on every hop). Its Timeout,
	// if any, applies on top of Config.Timeout. New does not modify it.
	Client *http.Client

	// UserAgent is the User-Agent header of every request unless Request.Header
	// sets one. Default DefaultUserAgent. It also selects the robots.txt group: the
	// product token of the agent (the text before the first "/" or space,
	// lowercased: "titan" for the default) is matched against the User-agent
	// lines of robots.txt.
	UserAgent string

	// RatePerHost is the steady request rate per host in requests per second.
	// Default 4. A negative value means unlimited. A robots.txt Crawl-delay slower
	// than this rate lowers it for that host.
	RatePerHost float64

	// Burst is how many requests to one host may start back to back before the
	// rate applies. Default 1.
	Burst int

	// MaxConnsPerHost is the most requests in flight to one host at a time.
	// Default 4.
	MaxConnsPerHost int

	// MaxAttempts is the total number of attempts for one Fetch, the first
	// included. Default 4; 1 disables retries.
	MaxAttempts int

	// BaseBackoff is the ceiling of the first retry delay. The ceiling doubles on
	// every retry up to MaxBackoff, and each delay is drawn uniformly from
	// [0, ceiling] ("full jitter"). Default 250ms.
	BaseBackoff time.Duration

	// MaxBackoff caps the backoff ceiling. Default 10s.
	MaxBackoff time.Duration

	// MaxRetryAfter is the longest Retry-After (on 429 and 503) that is honoured.
	// A longer one ends the fetch at once with the *titan.HTTPError. Default 60s.
	MaxRetryAfter time.Duration

	// MaxBodyBytes caps the response body, measured after content decoding
	// (gzip, deflate, br). A longer body fails the fetch with a
	// *titan.BodyTooLargeError; it is never truncated. Default 10 MiB; -1 means
	// no cap.
	MaxBodyBytes int64

	// Timeout bounds one attempt: connecting, sending, and reading the whole
	// body. Default 30s; a negative value means no per-attempt timeout.
	Timeout time.Duration

	// IgnoreRobots turns robots.txt off: no robots.txt is fetched, every URL is
	// allowed and Crawl-delay is not applied. Default false: robots.txt is obeyed.
	IgnoreRobots bool

	// Logger receives attempts at Debug level and given-up fetches at Info and
	// Warn. Default: a logger that discards everything.
	Logger *slog.Logger
}

// withDefaults returns a copy of cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	cfg.UserAgent = cmp.Or(cfg.UserAgent, DefaultUserAgent)
	cfg.RatePerHost = cmp.Or(cfg.RatePerHost, DefaultRatePerHost)
	cfg.Burst = cmp.Or(cfg.Burst, DefaultBurst)
	cfg.MaxConnsPerHost = cmp.Or(cfg.MaxConnsPerHost, DefaultMaxConnsPerHost)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.BaseBackoff = cmp.Or(cfg.BaseBackoff, DefaultBaseBackoff)
	cfg.MaxBackoff = cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff)
	cfg.MaxRetryAfter = cmp.Or(cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	cfg.MaxBodyBytes = cmp.Or(cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Transport: newTransport(cfg.MaxConnsPerHost)}
	}
	return cfg
}

// validate reports every nonsensical field of a Config that has had its defaults
// applied.
func (cfg Config) validate() error {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	if strings.ContainsAny(cfg.UserAgent, "\r\n") {
		bad("UserAgent %q contains a line break", cfg.UserAgent)
	}
	if math.IsNaN(cfg.RatePerHost) {
		bad("RatePerHost is NaN")
	}
	if cfg.Burst < 0 {
		bad("Burst %d is negative", cfg.Burst)
	}
	if cfg.MaxConnsPerHost < 0 {
		bad("MaxConnsPerHost %d is negative", cfg.MaxConnsPerHost)
	}
	if cfg.MaxAttempts < 0 {
		bad("MaxAttempts %d is negative", cfg.MaxAttempts)
	}
	if cfg.BaseBackoff < 0 {
		bad("BaseBackoff %s is negative", cfg.BaseBackoff)
	}
	if cfg.MaxBackoff < 0 {
		bad("MaxBackoff %s is negative", cfg.MaxBackoff)
	}
	if cfg.BaseBackoff > 0 && cfg.MaxBackoff > 0 && cfg.BaseBackoff > cfg.MaxBackoff {
		bad("BaseBackoff %s exceeds MaxBackoff %s", cfg.BaseBackoff, cfg.MaxBackoff)
	}
	if cfg.MaxRetryAfter < 0 {
		bad("MaxRetryAfter %s is negative", cfg.MaxRetryAfter)
	}
	if cfg.MaxBodyBytes < -1 {
		bad("MaxBodyBytes %d is below -1 (use -1 for no cap)", cfg.MaxBodyBytes)
	}
	if len(problems) > 0 {
		return errors.New("fetch: invalid config: " + strings.Join(problems, "; "))
	}
	return nil
}

// newTransport returns the transport of the default client.
func newTransport(connsPerHost int) *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   max(connsPerHost, 2),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// robotsAgent returns the product token of a User-Agent, lowercased: "titan" for
// "titan/0.1 (+https://...)". robots.txt groups are matched against it.
func robotsAgent(userAgent string) string {
	token := userAgent
	if i := strings.IndexAny(token, "/ "); i >= 0 {
		token = token[:i]
	}
	return strings.ToLower(cmp.Or(strings.TrimSpace(token), userAgent))
}

package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"

	"github.com/titanscrape/titan"
)

const (
	// robotsTTL is how long a fetched robots.txt is used (RFC 9309 §2.4: the
	// cache should not be used for more than 24 hours).
	robotsTTL = 24 * time.Hour
	// robotsUnreachableTTL is how long a host whose robots.txt was unreachable
	// stays fully disallowed before robots.txt is fetched again.
	robotsUnreachableTTL = time.Minute
	// robotsMaxBytes is how much of a robots.txt is parsed (RFC 9309 §2.5 asks
	// for at least 500 KiB); the rest is ignored.
	robotsMaxBytes = 512 << 10
)

// robotsEntry is the robots.txt verdict for one host. The goroutine that creates
// it fetches robots.txt and fills it in; others wait for done.
type robotsEntry struct {
	done chan struct{} // closed once the fields below are set

	group       *robotstxt.Group // rules for our agent; nil allows all
	disallowAll bool             // robots.txt was unreachable
	cause       error            // why it was unreachable
	expires     time.Time
	// abort is why the fetch did not happen (the fetching caller's ctx ended or
	// its deadline was too close); the entry is then not cached.
	abort error
}

// finished reports whether the entry's fetch is over.
func (e *robotsEntry) finished() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// checkRobots returns nil if u may be fetched, an error wrapping
// titan.ErrRobotsDisallowed if its host's robots.txt forbids it, or ctx.Err().
//
// The policy follows RFC 9309: a robots.txt answered with 2xx is obeyed (the
// group of the most specific matching User-agent, else "*"); a 4xx other than
// 429, a final 3xx, or too many redirects means there are no rules; a 429, a 5xx
// or a network error means the host is unreachable and everything on it is
// disallowed, for robotsUnreachableTTL, after which robots.txt is fetched again.
// The error then also names the cause. /robots.txt itself is always allowed.
func (c *Client) checkRobots(ctx context.Context, u *url.URL) error {
	if u.EscapedPath() == "/robots.txt" {
		return nil
	}
	e, err := c.robotsFor(ctx, u)
	if err != nil {
		return err
	}
	switch {
	case e.disallowAll:
		// The cause is kept as text, not wrapped: the class of this error is
		// robots.txt, whatever made robots.txt unreachable.
		return fmt.Errorf("%w (robots.txt unreachable: %v)", titan.ErrRobotsDisallowed, e.cause)
	case e.group != nil && !e.group.Test(u.RequestURI()):
		return titan.ErrRobotsDisallowed
	}
	return nil
}

// robotsFor returns the robots.txt verdict for the host of u, fetching robots.txt
// once for all concurrent callers. If the fetching caller's ctx ends first,
// another waiting caller takes over the fetch.
func (c *Client) robotsFor(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	h := c.host(hostKey(u))
	for {
		h.mu.Lock()
		e := h.robots
		if e != nil && e.finished() && !c.now().Before(e.expires) {
			e = nil // expired
		}
		leader := e == nil
		if leader {
			e = &robotsEntry{done: make(chan struct{})}
			h.robots = e
		}
		h.mu.Unlock()

		if leader {
			c.fetchRobots(ctx, u, h, e)
			if e.abort != nil {
				return nil, e.abort
			}
			return e, nil
		}
		select {
		case <-e.done:
			if e.abort == nil {
				return e, nil
			}
			// The fetching caller gave up; try again, perhaps as the fetcher.
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// fetchRobots fetches the robots.txt of u's host into e and closes e.done.
func (c *Client) fetchRobots(ctx context.Context, u *url.URL, h *hostState, e *robotsEntry) {
	defer close(e.done)
	robotsURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
	log := c.cfg.Logger.With("url", robotsURL)

	abort := func(err error) {
		h.mu.Lock()
		if h.robots == e {
			h.robots = nil
		}
		e.abort = err
		h.mu.Unlock()
	}
	if err := h.limiter.Wait(ctx); err != nil {
		if ctx.Err() == nil {
			// Wait fails early when the wait would outlast ctx's deadline.
			err = fmt.Errorf("robots.txt: rate limit: %w: %v", context.DeadlineExceeded, err)
		}
		abort(cmpErr(ctx.Err(), err))
		return
	}
	status, body, err := c.getRobots(ctx, robotsURL)
	if ctx.Err() != nil {
		abort(ctx.Err())
		return
	}

	e.expires = c.now().Add(robotsTTL)
	switch {
	case errors.Is(err, ErrTooManyRedirects):
		log.Info("robots.txt: too many redirects; no rules apply", "error", err)
	case err != nil:
		e.disallowAll, e.cause = true, err
	case status == http.StatusTooManyRequests || status >= 500:
		e.disallowAll, e.cause = true, &titan.HTTPError{URL: robotsURL, StatusCode: status}
	case status >= 200 && status <= 299:
		data, perr := robotstxt.FromBytes(sanitizeRobots(body))
		if perr != nil {
			log.Warn("robots.txt unparsable; no rules apply", "error", perr)
			break
		}
		e.group = data.FindGroup(c.agent)
		c.applyCrawlDelay(h, e.group.CrawlDelay)
		log.Debug("robots.txt loaded", "status", status, "crawl_delay", e.group.CrawlDelay)
	default: // 4xx, or a 1xx/3xx the client did not follow
		log.Debug("robots.txt unavailable; no rules apply", "status", status)
	}
	if e.disallowAll {
		e.expires = c.now().Add(robotsUnreachableTTL)
		log.Warn("robots.txt unreachable; host disallowed", "status", status, "error", e.cause,
			"retry_in", robotsUnreachableTTL)
	}
}

// getRobots GETs robotsURL and returns its status and at most robotsMaxBytes
// of its decoded body, cut at a line end.
func (c *Client) getRobots(ctx context.Context, robotsURL string) (int, []byte, error) {
	// The page fetch that led here may carry its caller's redirect check; it is
	// not robots.txt's.
	ctx = context.WithValue(ctx, redirectCheckKey{}, nil)
	actx, cancel := c.attemptContext(ctx)
	defer cancel()
	resp, err := c.robotsHTTP.R().SetContext(actx).
		SetHeader("User-Agent", c.cfg.UserAgent).
		SetHeader("Accept-Encoding", acceptEncoding).
		Get(robotsURL)
	if err != nil {
		if resp != nil && resp.RawResponse != nil && resp.RawResponse.Body != nil {
			resp.RawResponse.Body.Close()
		}
		return 0, nil, err
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	if raw.StatusCode < 200 || raw.StatusCode > 299 {
		return raw.StatusCode, nil, nil
	}
	r, err := decodeContent(raw.Body, contentEncodings(raw.Header))
	if err != nil {
		return raw.StatusCode, nil, err
	}
	body, err := io.ReadAll(io.LimitReader(r, robotsMaxBytes+1))
	if err != nil {
		return raw.StatusCode, nil, fmt.Errorf("reading body: %w", err)
	}
	if len(body) > robotsMaxBytes {
		body = body[:robotsMaxBytes]
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
		c.cfg.Logger.Warn("robots.txt longer than the parse limit; the rest is ignored",
			"url", robotsURL, "limit", robotsMaxBytes)
	}
	return raw.StatusCode, body, nil
}

// applyCrawlDelay sets the host's limiter to the configured rate, or to one
// request per delay with no burst when that is slower.
func (c *Client) applyCrawlDelay(h *hostState, delay time.Duration) {
	limit, burst := c.baseLimit(), c.cfg.Burst
	if delay > 0 {
		if l := rate.Every(delay); l < limit {
			limit, burst = l, 1
		}
	}
	h.limiter.SetLimit(limit)
	h.limiter.SetBurst(burst)
}

// cmpErr returns the first non-nil error.
func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sanitizeRobots drops the lines of a robots.txt that would make
// robotstxt.FromBytes reject the whole file: rules before the first User-agent
// line and Crawl-delay lines with an invalid value. RFC 9309 §2.2 asks crawlers to
// use the parseable rules and ignore the rest.
func sanitizeRobots(body []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(body))
	inGroup := false
	for line := range bytes.Lines(body) {
		text, _, _ := strings.Cut(string(line), "#")
		key, value, found := strings.Cut(text, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if found {
			switch key {
			case "user-agent", "useragent":
				inGroup = true
			case "allow", "disallow":
				if !inGroup {
					continue
				}
			case "crawl-delay", "crawldelay":
				if d, err := strconv.ParseFloat(value, 64); !inGroup || err != nil || !(d >= 0 && d <= 1e9) {
					continue
				}
			}
		}
		out.Write(line)
	}
	return out.Bytes()
}

package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/titanscrape/titan"
)

// acceptEncoding is the Accept-Encoding of every request unless Request.Header
// sets one; the fetcher decodes all three itself.
const acceptEncoding = "gzip, deflate, br"

// Session is the titan.Fetcher of one execution: its own cookie jar and its own
// stats, on top of the politeness state of the Client it came from. A Session is
// safe for concurrent use.
type Session struct {
	c    *Client
	http *resty.Client

	requests atomic.Int64
	bytes    atomic.Int64
	retries  atomic.Int64
}

var _ titan.Fetcher = (*Session)(nil)

// Stats returns the session's counters so far:
//
//   - Requests: page requests sent, one per attempt, retries included. The
//     robots.txt fetches are shared by all sessions of the Client and are not
//     counted.
//   - Bytes: response body bytes read, after content decoding (gzip, deflate, br)
//     and before charset conversion, over all attempts, error responses included.
//   - Retries: attempts after the first.
func (s *Session) Stats() titan.FetchStats {
	return titan.FetchStats{
		Requests: s.requests.Load(),
		Bytes:    s.bytes.Load(),
		Retries:  s.retries.Load(),
	}
}

// Fetch performs req, politely, and returns the decoded response of a 2xx status.
//
// Before the first attempt it checks the URL against its host's robots.txt (unless
// Config.IgnoreRobots). Every attempt takes one of the host's concurrency slots,
// then waits for the host's rate limiter, then sends the request with a timeout of
// Config.Timeout and reads the whole body. A failed attempt is retried, up to
// Config.MaxAttempts attempts in all, when it is a 408, 429, 500, 502, 503 or 504
// status, a connection error (refused, reset, EOF) or a timeout; for POST, PATCH
// and other non-idempotent methods only a 408, 429, 503 or a failure to connect is
// retried, since the server may have acted on the request. Between attempts the
// slot is released and the session waits for the Retry-After of a 429 or 503 or
// else an exponential backoff with full jitter.
//
// Errors name the URL and the attempt ("fetch URL: attempt 2/4: ...") and wrap
// the cause: a *titan.HTTPError for a non-2xx final status, a
// *titan.BodyTooLargeError, titan.ErrRobotsDisallowed, ErrTooManyRedirects, the
// network error of the last attempt, or ctx.Err() when ctx ends first.
func (s *Session) Fetch(ctx context.Context, req *titan.Request) (*titan.Response, error) {
	if req == nil {
		return nil, errors.New("fetch: nil request")
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", req.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an absolute http or https URL", req.URL)
	}
	method := cmp.Or(req.Method, http.MethodGet)
	c := s.c
	// name is the URL for errors and logs, without a password in it.
	name := req.URL
	if _, hasPassword := u.User.Password(); hasPassword {
		name = u.Redacted()
	}
	log := c.cfg.Logger.With("url", name)

	if !c.cfg.IgnoreRobots {
		if err := c.checkRobots(ctx, u); err != nil {
			if ctx.Err() == nil {
				log.Info("fetch refused by robots.txt", "error", err)
			}
			return nil, fmt.Errorf("fetch %s: %w", name, err)
		}
	}

	if req.CheckRedirect != nil {
		ctx = context.WithValue(ctx, redirectCheckKey{}, req.CheckRedirect)
	}
	h := c.host(hostKey(u))
	maxAttempts := c.cfg.MaxAttempts
	for attempt := 1; ; attempt++ {
		if attempt == 1 { // a retry has just waited its own backoff or Retry-After
			if err := h.waitHold(ctx, c); err != nil {
				return nil, &titan.FetchError{URL: name, Attempt: attempt, MaxAttempts: maxAttempts, Err: err}
			}
		}
		out := s.attempt(ctx, h, method, req)
		if out.err == nil {
			out.resp.Attempts = attempt
			log.Debug("fetch attempt", "attempt", attempt, "status", out.resp.StatusCode)
			return out.resp, nil
		}
		if ctx.Err() != nil {
			return nil, &titan.FetchError{URL: name, Attempt: attempt, MaxAttempts: maxAttempts, Err: ctx.Err()}
		}
		log.Debug("fetch attempt", "attempt", attempt, "status", out.status, "error", out.err)
		failed := &titan.FetchError{URL: name, Attempt: attempt, MaxAttempts: maxAttempts, Err: out.err}
		if !out.retryable {
			log.Info("fetch failed", "attempt", attempt, "status", out.status, "error", out.err)
			return nil, failed
		}
		if attempt >= maxAttempts {
			log.Warn("fetch gave up", "attempt", attempt, "status", out.status, "error", out.err)
			return nil, failed
		}
		delay := c.backoff(attempt)
		if out.retryAfter >= 0 {
			if out.retryAfter > c.cfg.MaxRetryAfter {
				log.Warn("fetch gave up: Retry-After too long", "attempt", attempt, "status", out.status,
					"retry_after", out.retryAfter)
				return nil, &titan.FetchError{URL: name, Attempt: attempt, MaxAttempts: maxAttempts,
					Err: fmt.Errorf("Retry-After %s exceeds the %s limit: %w", out.retryAfter, c.cfg.MaxRetryAfter, out.err)}
			}
			delay = out.retryAfter
			h.holdUntil(c.now().Add(delay))
		}
		log.Debug("fetch retry", "attempt", attempt, "status", out.status, "delay", delay)
		if err := c.sleep(ctx, delay); err != nil {
			return nil, &titan.FetchError{URL: name, Attempt: attempt, MaxAttempts: maxAttempts,
				Err: fmt.Errorf("waiting %s to retry after %v: %w", delay, out.err, err)}
		}
		s.retries.Add(1)
	}
}

// outcome is the result of one attempt.
type outcome struct {
	resp       *titan.Response // set on success
	err        error
	status     int           // HTTP status, 0 when no response arrived
	retryable  bool          // whether another attempt may succeed
	retryAfter time.Duration // from Retry-After; -1 when absent
}

// attempt makes one attempt at req: slot, rate limiter, request, body.
func (s *Session) attempt(ctx context.Context, h *hostState, method string, req *titan.Request) outcome {
	c := s.c
	release, err := h.acquire(ctx)
	if err != nil {
		return outcome{err: err, retryAfter: -1}
	}
	defer release()
	if err := h.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return outcome{err: ctx.Err(), retryAfter: -1}
		}
		// Wait fails early when the wait would outlast ctx's deadline.
		return outcome{err: fmt.Errorf("rate limit: %w: %v", context.DeadlineExceeded, err), retryAfter: -1}
	}

	actx, cancel := c.attemptContext(ctx)
	defer cancel()
	r := s.http.R().SetContext(actx).
		SetHeader("User-Agent", c.cfg.UserAgent).
		SetHeader("Accept-Encoding", acceptEncoding)
	for k, v := range req.Header {
		r.Header[http.CanonicalHeaderKey(k)] = slices.Clone(v)
	}
	if len(req.Body) > 0 {
		r.SetBody(req.Body)
	}
	s.requests.Add(1)
	resp, err := r.Execute(method, req.URL)
	if err != nil {
		if resp != nil && resp.RawResponse != nil && resp.RawResponse.Body != nil {
			resp.RawResponse.Body.Close()
		}
		return c.failure(ctx, actx, method, err)
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	finalURL := raw.Request.URL.String()
	errURL := raw.Request.URL.Redacted() // for errors: no password

	if raw.StatusCode < 200 || raw.StatusCode > 299 {
		out := outcome{
			err: &titan.HTTPError{
				URL:        errURL,
				StatusCode: raw.StatusCode,
				Body:       errorBody(raw, s.bytes.Add),
			},
			status:     raw.StatusCode,
			retryable:  retryableStatus(raw.StatusCode, method),
			retryAfter: -1,
		}
		if raw.StatusCode == http.StatusTooManyRequests || raw.StatusCode == http.StatusServiceUnavailable {
			if d, ok := parseRetryAfter(raw.Header.Get("Retry-After"), c.now()); ok {
				out.retryAfter = d
			}
		}
		return out
	}

	body, err := readBody(raw, c.cfg.MaxBodyBytes, errURL, s.bytes.Add)
	if err != nil {
		out := c.failure(ctx, actx, method, err)
		out.status = raw.StatusCode
		return out
	}
	header := raw.Header.Clone()
	if len(contentEncodings(header)) > 0 {
		// The body is decoded: like net/http's transparent gzip, drop the headers
		// that describe the encoded form.
		header.Del("Content-Encoding")
		header.Del("Content-Length")
	}
	contentType := header.Get("Content-Type")
	media := mediaType(contentType, body)
	body, err = toUTF8(body, media, contentType)
	if err != nil {
		return outcome{err: err, status: raw.StatusCode, retryAfter: -1}
	}
	return outcome{
		resp: &titan.Response{
			URL:         finalURL,
			StatusCode:  raw.StatusCode,
			Header:      header,
			ContentType: media,
			Body:        body,
		},
		status:     raw.StatusCode,
		retryAfter: -1,
	}
}

// attemptContext derives the context of one attempt from ctx.
func (c *Client) attemptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.cfg.Timeout < 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.cfg.Timeout)
}

// failure classifies the error of an attempt that got no usable response.
func (c *Client) failure(ctx, actx context.Context, method string, err error) outcome {
	out := outcome{err: err, retryAfter: -1}
	switch {
	case ctx.Err() != nil:
		// The caller gave up: not retried, and Fetch reports ctx.Err().
	case actx.Err() != nil:
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		out.err = fmt.Errorf("attempt timed out after %s: %w", c.cfg.Timeout, err)
		out.retryable = idempotent(method)
	default:
		out.retryable = retryableError(err, idempotent(method))
	}
	return out
}

package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/titanscrape/titan"
)

// retryableStatus reports whether a response status is worth another attempt.
// 501 Not Implemented and every other 4xx are final.
func retryableStatus(status int, method string) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// The server did not act on the request.
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		// The server may have acted on the request.
		return idempotent(method)
	}
	return false
}

// idempotent reports whether repeating a request with this method is safe
// (RFC 9110 §9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryableError reports whether a transport or body-read error is worth another
// attempt. Connection failures (refused, reset, aborted, broken pipe, EOF),
// timeouts and temporary DNS failures are; certificate errors, unknown hosts,
// redirect and robots.txt refusals, oversized or undecodable bodies are not. When
// the method is not idempotent only a failure to connect is retried.
func retryableError(err error, idempotent bool) bool {
	var (
		tooLarge  *titan.BodyTooLargeError
		certErr   *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		hostname  x509.HostnameError
		dnsErr    *net.DNSError
		opErr     *net.OpError
		netErr    net.Error
	)
	switch {
	case errors.Is(err, ErrTooManyRedirects),
		errors.Is(err, titan.ErrRobotsDisallowed),
		errors.Is(err, errUnsupportedEncoding),
		errors.As(err, &tooLarge),
		errors.As(err, &certErr),
		errors.As(err, &unknownCA),
		errors.As(err, &invalid),
		errors.As(err, &hostname):
		return false
	case errors.As(err, &dnsErr):
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	case errors.As(err, &opErr) && opErr.Op == "dial",
		errors.Is(err, syscall.ECONNREFUSED):
		// Nothing reached the server.
		return true
	case !idempotent:
		return false
	case errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &netErr) && netErr.Timeout(),
		errors.As(err, &opErr):
		return true
	}
	return false
}

// backoff returns the delay before attempt+1, after attempt failed: full jitter
// over an exponential ceiling, BaseBackoff·2^(attempt-1) capped at MaxBackoff.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.BaseBackoff
	for i := 1; i < attempt && ceiling < c.cfg.MaxBackoff; i++ {
		if ceiling > c.cfg.MaxBackoff/2 {
			ceiling = c.cfg.MaxBackoff
			break
		}
		ceiling *= 2
	}
	return c.jitter(min(ceiling, c.cfg.MaxBackoff))
}

// fullJitter returns a uniformly random duration in [0, ceiling].
func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	if ceiling == math.MaxInt64 {
		return rand.N(ceiling)
	}
	return rand.N(ceiling + 1)
}

// sleepCtx waits for d or until ctx is done, whichever comes first, and returns
// ctx.Err() in the second case.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// maxRetryAfterSeconds is the largest delay-seconds that fits a time.Duration.
const maxRetryAfterSeconds = math.MaxInt64 / int64(time.Second)

// parseRetryAfter parses a Retry-After header value (RFC 9110 §10.2.3): either
// delay-seconds, a non-negative decimal integer, or an HTTP-date, taken relative
// to now. A date in the past means no delay. Delays too long for a time.Duration
// saturate at its maximum. ok is false for an empty or malformed value.
func parseRetryAfter(value string, now time.Time) (d time.Duration, ok bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if allDigits(value) {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n > maxRetryAfterSeconds {
			// Only overflow can fail here: the value is all digits.
			return math.MaxInt64, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

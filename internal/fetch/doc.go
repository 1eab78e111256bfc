// Package fetch is titan's HTTP fetcher: the titan.Fetcher that actions use, with
// the politeness, retries, body caps and decoding that actions never do themselves.
//
// A Runner creates one Client (New) and gives every execution its own Session
// (Client.Session). The Client holds what executions share: the transport, the
// per-host rate limiters and concurrency slots, and the robots.txt cache. The
// Session holds what is private to one execution: its cookie jar and its stats.
//
//	c, err := fetch.New(fetch.Config{RatePerHost: 2})
//	if err != nil { ... }
//	s := c.Session()
//	resp, err := s.Fetch(ctx, &titan.Request{URL: "https://example.com/"})
//
// # Politeness
//
// Hosts are keyed by scheme, host and port. Each host has a token bucket
// (Config.RatePerHost, Config.Burst) and at most Config.MaxConnsPerHost requests in
// flight. An attempt takes a slot, then waits for a token, and gives the slot back
// when its body is read; a slot is never held while waiting to retry. Every wait
// ends when the caller's context does.
//
// # robots.txt
//
// Unless Config.IgnoreRobots, the robots.txt of a host is fetched once, before its
// first page, by one caller while concurrent callers for the same host wait, and
// cached for 24 hours. Rules are those of the group whose User-agent matches the
// product token of Config.UserAgent ("titan" by default), else "*". Following RFC
// 9309: a 4xx (other than 429) means no rules; a 429, a 5xx or a network error
// means the host is unreachable and all of it is disallowed, for one minute, after
// which robots.txt is fetched again. A Crawl-delay slower than RatePerHost lowers
// that host's rate to one request per delay. Redirect targets are checked too. A
// refused URL fails with an error wrapping titan.ErrRobotsDisallowed, and no
// request is sent for it. robots.txt fetches use the host's rate limiter but not
// its concurrency slots, and are not counted in Session.Stats.
//
// # Retries
//
// A 408, 429, 500, 502, 503 or 504, a connection error or a timeout is retried,
// up to Config.MaxAttempts attempts in all, after the Retry-After of a 429 or 503
// (when it is at most Config.MaxRetryAfter) or else an exponential backoff with
// full jitter. Other statuses, certificate errors, unknown hosts and context
// cancellation are final. Non-idempotent methods (POST, PATCH) are retried only
// when the server cannot have acted on the request (408, 429, 503, or no
// connection). The error after the last attempt names the URL and the attempt
// count and wraps the last *titan.HTTPError or network error.
//
// # Bodies
//
// Requests ask for gzip, deflate and br and the fetcher decodes them itself, so
// that Config.MaxBodyBytes caps the decoded size: a body over the cap (a
// decompression bomb included) fails with a *titan.BodyTooLargeError and is never
// truncated. Text bodies (text/*, HTML, XML, JSON) are converted to UTF-8 from the
// charset of the Content-Type header, a byte order mark, an XML declaration or an
// HTML <meta> tag.
package fetch

package titan

import (
	"context"
	"net/http"
	"net/url"
)

// A Fetcher performs HTTP requests for actions. The Runner gives every execution its
// own Fetcher (one cookie jar per execution) on top of shared per-host politeness:
// rate limits, concurrency limits, robots.txt, retries and body caps are the
// Fetcher's job, never the action's.
//
// Fetch returns a *Response for any 2xx status after following redirects. A non-2xx
// final status is an *HTTPError; a body over the cap is a *BodyTooLargeError; a URL
// that robots.txt forbids is ErrRobotsDisallowed. Errors name the URL.
type Fetcher interface {
	Fetch(ctx context.Context, req *Request) (*Response, error)
}

// Request is one HTTP request. Method defaults to GET.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// CheckRedirect, when set, is called before each redirect is followed, with
	// the target. An error stops the fetch, which fails with an error wrapping it:
	// a crawl uses it to leave out-of-scope or already-seen targets unfetched.
	CheckRedirect func(to *url.URL) error
}

// Response is a fetched resource.
type Response struct {
	// URL is the final URL, after redirects.
	URL        string
	StatusCode int
	Header     http.Header
	// ContentType is the media type without parameters, e.g. "text/html".
	ContentType string
	// Body is the decompressed body. Text bodies (text/*, HTML, XML, JSON) are
	// converted to UTF-8 from the charset the server declared or the page sniffed.
	Body []byte
	// Attempts is how many requests it took, including retries.
	Attempts int
}

// FetchStats counts the network work of one Fetcher.
type FetchStats struct {
	Requests int64 `json:"requests"`
	Bytes    int64 `json:"bytes"`
	Retries  int64 `json:"retries"`
}

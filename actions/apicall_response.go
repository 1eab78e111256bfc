package actions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/titanscrape/titan"
)

// APICallError is a failed request of an api_call: the request, the page of its
// pagination (from 1), and why. Status and Body are set when the server answered:
// Body is the start of the response body (at most 512 bytes) with the run's
// secrets redacted. Err is the cause: often a *titan.FetchError wrapping a
// *titan.HTTPError, or ErrNotJSON.
type APICallError struct {
	Method string
	URL    string
	Page   int
	Status int
	Body   string
	Err    error
}

// Error implements the error interface.
func (e *APICallError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "api_call %s %s (page %d): ", e.Method, e.URL, e.Page)
	var he *titan.HTTPError
	switch {
	case errors.As(e.Err, &he):
		fmt.Fprintf(&b, "HTTP %d", he.StatusCode)
	case e.Status != 0:
		fmt.Fprintf(&b, "HTTP %d: %v", e.Status, e.Err)
	default:
		b.WriteString(e.Err.Error())
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ", body %q", e.Body)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *APICallError) Unwrap() error { return e.Err }

// records returns the records of a response body.
func records(body []byte, path string) ([]map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil // e.g. 204 No Content
	}
	if !gjson.ValidBytes(body) {
		return nil, ErrNotJSON
	}
	raw := body
	if path != "" {
		r := gjson.GetBytes(body, path)
		switch {
		case !r.Exists():
			return nil, fmt.Errorf("records_path %q is not in the response", path)
		case r.Type == gjson.Null:
			return nil, nil
		}
		raw = []byte(r.Raw)
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	recs := make([]map[string]any, len(list))
	for i, el := range list {
		if m, ok := el.(map[string]any); ok {
			recs[i] = m
		} else {
			recs[i] = map[string]any{"value": el}
		}
	}
	return recs, nil
}

// decodeJSON decodes one JSON value with numbers as int64 when they are integers
// that fit, else float64.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return numbers(v), nil
}

func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64() // a JSON number always parses; huge ones saturate to ±Inf
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = numbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = numbers(e)
		}
	}
	return v
}

// excerpt returns the start of body for an error, cut at a rune boundary.
func excerpt(body []byte) string {
	if len(body) <= excerptLen {
		return string(body)
	}
	n := excerptLen
	for n > 0 && !utf8RuneStart(body[n]) {
		n--
	}
	return string(body[:n])
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

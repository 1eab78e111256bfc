package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/titanscrape/titan"
)

// errorBodyLen is how much of a non-2xx body a *titan.HTTPError keeps.
const errorBodyLen = 512

// errorDrainLen is how much more of a non-2xx body is read and discarded so that
// the connection can be reused.
const errorDrainLen = 64 << 10

// errUnsupportedEncoding reports a Content-Encoding the fetcher cannot decode.
var errUnsupportedEncoding = errors.New("unsupported Content-Encoding")

// readBody reads the whole body of resp, decoded per its Content-Encoding, and
// fails with a *titan.BodyTooLargeError when the decoded body is longer than
// limit bytes (no cap when limit is negative). count receives the number of
// decoded bytes read.
func readBody(resp *http.Response, limit int64, finalURL string, count func(int64) int64) ([]byte, error) {
	encodings := contentEncodings(resp.Header)
	tooLarge := &titan.BodyTooLargeError{URL: finalURL, Limit: limit}
	// Fail fast on a declared length over the cap. A compressed body can grow,
	// so only the identity length is conclusive; a HEAD has no body at all.
	if limit >= 0 && len(encodings) == 0 && resp.ContentLength > limit && resp.Request.Method != http.MethodHead {
		return nil, tooLarge
	}
	r, err := decodeContent(resp.Body, encodings)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if len(encodings) == 0 && resp.ContentLength > 0 && (limit < 0 || resp.ContentLength <= limit) {
		buf.Grow(int(min(resp.ContentLength, 64<<20)))
	}
	if limit >= 0 {
		r = io.LimitReader(r, limit+1)
	}
	n, err := buf.ReadFrom(r)
	count(n)
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if limit >= 0 && n > limit {
		return nil, tooLarge
	}
	return buf.Bytes(), nil
}

// errorBody returns the start of a non-2xx body for a *titan.HTTPError: at most
// errorBodyLen bytes, decoded and converted to UTF-8 like a successful body. Read
// errors only shorten it: the status is the error that matters.
func errorBody(resp *http.Response, count func(int64) int64) string {
	defer io.CopyN(io.Discard, resp.Body, errorDrainLen) //nolint:errcheck // best effort, for connection reuse
	r, err := decodeContent(resp.Body, contentEncodings(resp.Header))
	if err != nil {
		return ""
	}
	body, _ := io.ReadAll(io.LimitReader(r, errorBodyLen))
	count(int64(len(body)))
	contentType := resp.Header.Get("Content-Type")
	if text, err := toUTF8(body, mediaType(contentType, body), contentType); err == nil {
		body = text
	}
	return truncateUTF8(string(body), errorBodyLen)
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// contentEncodings returns the codings of a Content-Encoding header in the order
// they were applied, lowercased, without "identity".
func contentEncodings(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Content-Encoding") {
		for e := range strings.SplitSeq(v, ",") {
			e = strings.ToLower(strings.TrimSpace(e))
			if e != "" && e != "identity" {
				out = append(out, e)
			}
		}
	}
	return out
}

// decodeContent wraps body in decoders that undo encodings, last applied first.
// An empty body decodes to an empty body whatever its declared encoding.
func decodeContent(body io.Reader, encodings []string) (io.Reader, error) {
	if len(encodings) == 0 {
		return body, nil
	}
	br := bufio.NewReader(body)
	if _, err := br.Peek(1); err == io.EOF {
		return br, nil
	}
	var r io.Reader = br
	for i := len(encodings) - 1; i >= 0; i-- {
		var err error
		switch encodings[i] {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("decoding gzip body: %w", err)
			}
		case "deflate":
			r, err = newDeflateReader(r)
			if err != nil {
				return nil, fmt.Errorf("decoding deflate body: %w", err)
			}
		case "br":
			r = brotli.NewReader(r)
		default:
			return nil, fmt.Errorf("%w %q", errUnsupportedEncoding, encodings[i])
		}
	}
	return r, nil
}

// newDeflateReader decodes "deflate", which RFC 9110 defines as zlib (RFC 1950)
// but which some servers send as raw DEFLATE (RFC 1951): the zlib header decides.
func newDeflateReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	cmf, flg := head[0], head[1]
	if cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// mediaType returns the media type of a Content-Type header, lowercased and
// without parameters; with no header it sniffs body (http.DetectContentType).
func mediaType(contentType string, body []byte) string {
	if strings.TrimSpace(contentType) == "" {
		contentType = http.DetectContentType(body)
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// isText reports whether a body of this media type is text to convert to UTF-8.
func isText(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"), isHTML(mt), isXML(mt),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/javascript", mt == "application/x-javascript",
		mt == "application/ecmascript":
		return true
	}
	return false
}

func isHTML(mt string) bool { return mt == "text/html" || mt == "application/xhtml+xml" }

func isXML(mt string) bool {
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

// toUTF8 converts a text body to UTF-8 and returns other bodies unchanged. The
// charset comes, in order of precedence, from a byte order mark, the charset
// parameter of contentType, or else from the body itself: valid UTF-8 is taken as
// UTF-8; otherwise the encoding of an XML declaration, an HTML <meta> charset, or
// windows-1252 (the WHATWG default, a superset of ISO-8859-1). Invalid UTF-8 in a
// UTF-8 body becomes U+FFFD; a leading byte order mark is dropped.
func toUTF8(body []byte, mt, contentType string) ([]byte, error) {
	if !isText(mt) || len(body) == 0 {
		return body, nil
	}
	enc, name := detectCharset(body, mt, contentType)
	var out []byte
	if name == "utf-8" {
		out = body
		if !utf8.Valid(out) {
			out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
	} else {
		var err error
		if out, err = enc.NewDecoder().Bytes(body); err != nil {
			return nil, fmt.Errorf("converting %s body to UTF-8: %w", name, err)
		}
	}
	return bytes.TrimPrefix(out, []byte("\uFEFF")), nil
}

// detectCharset picks the encoding of a text body; see toUTF8.
func detectCharset(body []byte, mt, contentType string) (encoding.Encoding, string) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if certain {
		return enc, name
	}
	if utf8.Valid(body) {
		return nil, "utf-8"
	}
	if isXML(mt) {
		if label := xmlDeclEncoding(body); label != "" {
			if enc, name := charset.Lookup(label); enc != nil {
				return enc, name
			}
		}
	}
	if isHTML(mt) {
		// The <meta> prescan, else UTF-8 if the first 1 KiB is (the rest then has
		// stray bytes), else windows-1252.
		return enc, name
	}
	return charmap.Windows1252, "windows-1252"
}

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// xmlDeclEncoding returns the encoding label of an XML declaration, or "".
func xmlDeclEncoding(body []byte) string {
	if len(body) > 1024 {
		body = body[:1024]
	}
	if m := xmlDecl.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/andybalholm/brotli"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/titanscrape/titan"
)

const (
	fiftyMB  = 50 << 20
	tenMiB   = 10 << 20
	chunkLen = 1 << 20
)

// writeZeros writes n zero bytes to w in chunks, stopping at the first error
// (the client hung up).
func writeZeros(w io.Writer, n int) {
	chunk := make([]byte, chunkLen)
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.Write(chunk[:k]); err != nil {
			return
		}
		n -= k
	}
}

func wantTooLarge(t *testing.T, err error, url string, limit int64) {
	t.Helper()
	var tl *titan.BodyTooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("error = %v, want a *titan.BodyTooLargeError", err)
	}
	if tl.URL != url || tl.Limit != limit {
		t.Fatalf("BodyTooLargeError = {%q, %d}, want {%q, %d}", tl.URL, tl.Limit, url, limit)
	}
}

func TestBodyTooLargeWithContentLength(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(fiftyMB))
		writeZeros(w, fiftyMB)
	}))
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/big"})
	wantTooLarge(t, err, srv.URL+"/big", tenMiB)
	wantErrContains(t, err, "fetch "+srv.URL+"/big: attempt 1/4: ")
	// The declared length fails the fetch before any byte is read.
	wantStats(t, s, titan.FetchStats{Requests: 1})
	wantSleeps(t, rec)
}

func TestBodyTooLargeWithoutContentLength(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(http.StatusOK) // chunked: no Content-Length
		writeZeros(w, fiftyMB)
	}))
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/stream"})
	wantTooLarge(t, err, srv.URL+"/stream", tenMiB)
	// Exactly one byte past the cap is read, and no more.
	wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: tenMiB + 1})
	wantSleeps(t, rec)
}

func TestBodyAtCapIsAccepted(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(http.StatusOK)
		writeZeros(w, 1000)
	}))
	cfg := testConfig()
	cfg.MaxBodyBytes = 1000
	c, _ := newTestClient(t, cfg)
	resp, err := get(t, c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, make([]byte, 1000)) {
		t.Fatalf("body has %d bytes, want 1000 zeros", len(resp.Body))
	}
}

func TestGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, fiftyMB/chunkLen)
	if len(bomb) > 100<<10 {
		t.Fatalf("bomb is %d bytes; want a tiny body", len(bomb))
	}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		w.Write(bomb)
	}))
	c, rec := newTestClient(t, testConfig())
	s := c.Session()
	_, err := s.Fetch(t.Context(), &titan.Request{URL: srv.URL + "/bomb"})
	wantTooLarge(t, err, srv.URL+"/bomb", tenMiB)
	wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: tenMiB + 1})
	wantSleeps(t, rec)
}

// gzipBomb returns one gzip member that decompresses to mib MiB of zeros, built
// without compressing them all: after a sync flush, the deflate blocks for one
// more MiB of zeros only refer back to zeros, so they can be repeated.
func gzipBomb(t *testing.T, mib int) []byte {
	t.Helper()
	zeros := make([]byte, chunkLen)
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(zeros)
	zw.Flush()
	first := b.Len()
	zw.Write(zeros)
	zw.Flush()
	segment := bytes.Clone(b.Bytes()[first:])
	crc := crc32.Update(crc32.Update(0, crc32.IEEETable, zeros), crc32.IEEETable, zeros)
	for range mib - 2 {
		b.Write(segment)
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	// A final empty stored block, then the trailer: CRC-32 and size mod 2^32.
	b.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff})
	b.Write(binary.LittleEndian.AppendUint32(nil, crc))
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(mib*chunkLen)))
	return b.Bytes()
}

func TestGzipBombIsValid(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(gzipBomb(t, 5)))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil || n != 5*chunkLen {
		t.Fatalf("bomb decompressed to %d bytes (err %v), want %d", n, err, 5*chunkLen)
	}
}

func TestContentEncodings(t *testing.T) {
	const page = "<html><body>héllo, wörld</body></html>"
	compress := func(f func(io.Writer) io.WriteCloser) []byte {
		var b bytes.Buffer
		w := f(&b)
		io.WriteString(w, page)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name, encoding string
		body           []byte
	}{
		{"brotli", "br", compress(func(w io.Writer) io.WriteCloser { return brotli.NewWriter(w) })},
		{"deflate zlib", "deflate", compress(func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })},
		{"deflate raw", "deflate", compress(func(w io.Writer) io.WriteCloser {
			fw, _ := flate.NewWriter(w, flate.BestCompression)
			return fw
		})},
		{"gzip", "gzip", compress(func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })},
		{"identity", "identity", []byte(page)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var acceptEncoding string
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				acceptEncoding = r.Header.Get("Accept-Encoding")
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Header().Set("Content-Encoding", tt.encoding)
				w.Write(tt.body)
			}))
			c, _ := newTestClient(t, testConfig())
			s := c.Session()
			resp := mustGet(t, s, srv.URL)
			if string(resp.Body) != page {
				t.Errorf("body = %q, want %q", resp.Body, page)
			}
			if acceptEncoding != "gzip, deflate, br" {
				t.Errorf("Accept-Encoding = %q, want %q", acceptEncoding, "gzip, deflate, br")
			}
			if tt.encoding != "identity" && resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("Content-Encoding header kept on a decoded body: %q", resp.Header.Get("Content-Encoding"))
			}
			if resp.ContentType != "text/html" {
				t.Errorf("ContentType = %q, want text/html", resp.ContentType)
			}
			wantStats(t, s, titan.FetchStats{Requests: 1, Bytes: int64(len(page))})
		})
	}
}

func TestUnsupportedContentEncoding(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "zstd")
		w.Write([]byte("whatever"))
	}))
	c, rec := newTestClient(t, testConfig())
	_, err := get(t, c, srv.URL)
	wantErrContains(t, err, `attempt 1/4: unsupported Content-Encoding "zstd"`)
	wantSleeps(t, rec)
}

func mustEncode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCharsets(t *testing.T) {
	const (
		jaPage    = "<html><head><title>日本語</title></head><body>こんにちは、世界</body></html>"
		frText    = "café crème brûlée"
		metaLatin = `<html><head><meta charset="iso-8859-1"><title>Grüße</title></head><body>Fußgänger</body></html>`
		metaJa    = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>東京都</body></html>`
		xmlLatin  = `<?xml version="1.0" encoding="ISO-8859-1"?><menu><item>crêpe</item></menu>`
		jsonText  = `{"name":"Zoë","city":"Åre"}`
	)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string
		wantType    string
	}{
		{"Shift_JIS in Content-Type", "text/html; charset=Shift_JIS",
			mustEncode(t, japanese.ShiftJIS, jaPage), jaPage, "text/html"},
		{"ISO-8859-1 in Content-Type", "text/plain; charset=ISO-8859-1",
			mustEncode(t, charmap.ISO8859_1, frText), frText, "text/plain"},
		{"ISO-8859-1 in meta charset only", "text/html",
			mustEncode(t, charmap.ISO8859_1, metaLatin), metaLatin, "text/html"},
		{"Shift_JIS in meta http-equiv only", "text/html",
			mustEncode(t, japanese.ShiftJIS, metaJa), metaJa, "text/html"},
		{"ISO-8859-1 in XML declaration", "application/xml",
			mustEncode(t, charmap.ISO8859_1, xmlLatin), xmlLatin, "application/xml"},
		{"JSON without charset is UTF-8", "application/json", []byte(jsonText), jsonText, "application/json"},
		{"no Content-Type: sniffed", "", []byte("<!DOCTYPE html><p>naïve</p>"),
			"<!DOCTYPE html><p>naïve</p>", "text/html"},
		{"UTF-8 byte order mark dropped", "text/plain", []byte("\uFEFFsmörgåsbord"), "smörgåsbord", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // no sniffing by the server
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Write(tt.body)
			}))
			c, _ := newTestClient(t, testConfig())
			resp, err := get(t, c, srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != tt.want {
				t.Errorf("body = %q, want %q", resp.Body, tt.want)
			}
			if resp.ContentType != tt.wantType {
				t.Errorf("ContentType = %q, want %q", resp.ContentType, tt.wantType)
			}
		})
	}
}

func TestBinaryBodyUnchanged(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	c, _ := newTestClient(t, testConfig())
	resp, err := get(t, c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, png) || resp.ContentType != "image/png" {
		t.Fatalf("got %q (%s), want the PNG bytes unchanged", resp.Body, resp.ContentType)
	}
}

func TestErrorBodyDecodedAndCut(t *testing.T) {
	long := bytes.Repeat([]byte("é"), 400) // 800 bytes in UTF-8
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(mustEncode(t, charmap.ISO8859_1, string(long)))
	zw.Close()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusForbidden)
		w.Write(gz.Bytes())
	}))
	c, _ := newTestClient(t, testConfig())
	_, err := get(t, c, srv.URL)
	// 400 Latin-1 bytes become 800 UTF-8 bytes, cut to 512: 256 é.
	wantHTTPError(t, err, http.StatusForbidden, string(bytes.Repeat([]byte("é"), 256)))
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},
		{"aé", 3, "aé"},
		{"日本", 4, "日"},
		{"日本", 0, ""},
	}
	for _, tt := range tests {
		if got := truncateUTF8(tt.in, tt.n); got != tt.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

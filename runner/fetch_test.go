package runner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

const titleSchema = `{"type":"object","required":["title"],"properties":{"title":{"type":"string","x-selector":"h1"}}}`

// TestScrapeThroughHostilePages runs one scrape over a site whose pages exercise
// the fetcher end to end; every page's fate is asserted.
func TestScrapeThroughHostilePages(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	chunk := make([]byte, 1<<20)
	for range 50 {
		zw.Write(chunk)
	}
	zw.Close()
	sjis, _, err := transform.String(japanese.ShiftJIS.NewEncoder(), "<html><body><h1>東京の机</h1></body></html>")
	if err != nil {
		t.Fatal(err)
	}
	var flaky atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
		case "/private/page":
			t.Error("robots.txt disallowed page was fetched")
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write(bytes.Repeat([]byte("<p>ok</p>"), 50<<20/9))
		case "/bomb":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		case "/sjis":
			w.Header().Set("Content-Type", "text/html; charset=Shift_JIS")
			fmt.Fprint(w, sjis)
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			w.Write([]byte("<html><body><h1>Caf\xe9 cr\xe8me</h1></body></html>"))
		case "/flaky":
			if flaky.Add(1) <= 3 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "<h1>finally")
		case "/malformed":
			fmt.Fprint(w, "<html><body><div><h1>Broken <b>markup</div></span><p>never closed")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	r, err := runner.New(runner.Config{RatePerHost: -1, MaxBodyBytes: 10 << 20})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/private/page", "/big", "/bomb", "/sjis", "/latin1", "/flaky", "/malformed"}
	task := &titan.Task{Name: "hostile", OutputSchema: json.RawMessage(titleSchema)}
	for _, p := range paths {
		task.URLs = append(task.URLs, srv.URL+p)
	}
	res := titantest.Run(context.Background(), r, task)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	titles := map[string]string{}
	for _, rec := range res.Records {
		titles[strings.TrimPrefix(rec.URL, srv.URL)] = rec.Data["title"].(string)
	}
	want := map[string]string{"/sjis": "東京の机", "/latin1": "Café crème", "/flaky": "finally", "/malformed": "Broken markup"}
	if fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Errorf("titles = %v\nwant %v", titles, want)
	}
	classes := map[string]titan.ErrorClass{}
	for _, e := range res.Errors {
		classes[strings.TrimPrefix(e.URL, srv.URL)] = e.Class
	}
	wantClasses := map[string]titan.ErrorClass{"/private/page": titan.ClassRobots, "/big": titan.ClassBodyTooLarge, "/bomb": titan.ClassBodyTooLarge}
	if fmt.Sprint(classes) != fmt.Sprint(wantClasses) {
		t.Errorf("error classes = %v\nwant %v", classes, wantClasses)
	}
	if res.Stats.Retries != 3 || res.Stats.Pages != 4 || res.Stats.Errors != 3 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

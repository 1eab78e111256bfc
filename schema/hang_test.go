package schema

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestHang(t *testing.T) {
	for _, f := range []string{os.Getenv("HANGFILE")} {
		b, _ := os.ReadFile(f)
		st := time.Now()
		doc, err := html.Parse(strings.NewReader(string(b)))
		t.Logf("parse %v %v", time.Since(st), err)
		s, _ := Compile(json.RawMessage(fuzzSchema))
		st = time.Now()
		done := make(chan bool)
		go func() { s.Extract(doc, nil); close(done) }()
		select {
		case <-done:
			t.Logf("extract %v", time.Since(st))
		case <-time.After(5 * time.Second):
			panic("hang")
		}
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"
)

// TestMain lets the test binary play the children the orchestrator starts.
func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		os.Exit(child(role, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// TestQuickRun runs the whole benchmark, children included, on a small shop:
// every crawler must extract every product and fetch nothing out of scope, and
// titan must fetch no URL twice, in every configuration. Speed goals are not
// checked: they are figures to report, not to assert.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 19 processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o, err := parseFlags([]string{"-products", "300", "-page-bytes", "20000", "-c", "4,16", "-latency", "5ms", "-frontier", "20000"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep, err := bench(ctx, o, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.configs) != 3 {
		t.Fatalf("configs %v, want c=4, c=16 and c=16 +5ms", rep.configs)
	}
	for _, cfg := range rep.configs {
		for _, name := range o.crawlers {
			s := summarize(rep.results[cfg][name])
			records := s.records
			if name == "colly" {
				// colly may fetch a product twice under concurrency (colly#796)
				// and extract it twice: count each product once for it.
				records = s.distinct
			}
			if s.pages != 315 || records != 300 || s.distinct != 300 || s.wrong != 0 || s.errors != 0 || s.offScope != 0 {
				t.Errorf("%s %s: %d pages, %d records, %d distinct, %d wrong, %d errors, %d off-scope; want 315, 300, 300, 0, 0, 0",
					cfg, name, s.pages, s.records, s.distinct, s.wrong, s.errors, s.offScope)
			}
			if name == "titan" && s.dups != 0 {
				t.Errorf("%s titan: %d duplicate fetches", cfg, s.dups)
			}
			if cfg.latency > 0 && name != "colly" && s.inFlight != int64(cfg.c) {
				t.Errorf("%s %s: peak in-flight %d, want %d", cfg, name, s.inFlight, cfg.c)
			}
		}
	}
	if f := rep.frontier; f == nil || f.Seen != 20000 || f.Drained != 20000 {
		t.Errorf("frontier report %+v, want 20000 seen and drained", f)
	}
}

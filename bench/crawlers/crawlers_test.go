package crawlers_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/titanscrape/titan/bench/crawlers"
	"github.com/titanscrape/titan/bench/site"
)

// TestCrawlersExtractEveryProduct runs each crawler on a small site and checks
// that it extracts every product with the right fields and fetches nothing out
// of scope; titan and the baseline must fetch no URL twice.
func TestCrawlersExtractEveryProduct(t *testing.T) {
	const products = 300
	s, err := site.New(site.Config{Products: products, PageBytes: 20_000, Latency: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, name := range crawlers.Names() {
		t.Run(name, func(t *testing.T) {
			s.Reset()
			crawl, err := crawlers.ByName(name)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := crawl(ctx, crawlers.Options{Base: srv.URL, Concurrency: 8, Products: products})
			if err != nil {
				t.Fatal(err)
			}
			if res.Records != products || res.Distinct != products || res.Wrong != 0 || res.Errors != 0 {
				t.Fatalf("%d records, %d distinct, %d wrong, %d errors, want %d, %d, 0, 0; problems: %v",
					res.Records, res.Distinct, res.Wrong, res.Errors, products, products, res.Problems)
			}
			wantPages := int64(s.URLs() - 1) // robots.txt is not a page
			st := s.Stats()
			if st.OffScope != 0 {
				t.Errorf("%d requests out of scope", st.OffScope)
			}
			if st.Distinct != int64(s.URLs()) {
				t.Errorf("%d distinct URLs fetched, want %d", st.Distinct, s.URLs())
			}
			if name == "colly" {
				t.Logf("colly: %d duplicate fetches, %d pages", st.Duplicates, res.Pages)
				return
			}
			if st.Duplicates != 0 || res.Pages != wantPages {
				t.Errorf("%d duplicate fetches, %d pages, want 0 and %d", st.Duplicates, res.Pages, wantPages)
			}
		})
	}
}

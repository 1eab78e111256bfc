package scheduler_test

import (
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

// FuzzParse feeds arbitrary specs to Parse: it must never panic, and a spec it
// accepts must give due times that move forward and are consistent.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"* * * * *", "*/15 * * * * *", "0 30 2 * * *", "@hourly", "@every 90s", "@every 1h30m",
		"CRON_TZ=America/New_York 30 2 * * *", "TZ=Europe/Berlin 0 0 1 1 *", "TZ=", "CRON_TZ=",
		"TZ=UTC", "0 0 30 2 *", "5-10/2 1,2 * jan-mar mon-fri", "@every 500ms", "61 * * * *", "?",
	} {
		f.Add(seed)
	}
	from := time.Date(2026, 3, 8, 5, 59, 59, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := scheduler.Parse(spec, "")
		if err != nil {
			return
		}
		if s.String() != spec {
			t.Errorf("String() = %q, want %q", s.String(), spec)
		}
		t1 := s.Next(from)
		if t1.IsZero() {
			return
		}
		if !t1.After(from) {
			t.Fatalf("Next(%v) = %v, not after", from, t1)
		}
		t2 := s.Next(t1)
		if !t2.IsZero() && !t2.After(t1) {
			t.Fatalf("Next(%v) = %v, not after", t1, t2)
		}
		if s.Interval() == 0 {
			if back := s.Next(t1.Add(-time.Nanosecond)); !back.Equal(t1) {
				t.Fatalf("Next(%v) = %v but Next(just before) = %v", from, t1, back)
			}
		}
	})
}

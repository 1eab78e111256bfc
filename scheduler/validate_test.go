package scheduler_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

func TestAddRejectsInvalidEntries(t *testing.T) {
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		entry scheduler.Entry
		field string
		want  string // substring of the error message
	}{
		{"no id", scheduler.Entry{Spec: "@hourly"}, "id", `entry "": the id is required`},
		{"TZ= alone", scheduler.Entry{ID: "a", Spec: "TZ="}, "spec", `entry "a": cron spec "TZ=": empty time zone`},
		{"zone without fields", scheduler.Entry{ID: "a", Spec: "TZ=UTC"}, "spec", `entry "a": cron spec "TZ=UTC": empty spec string`},
		{"garbage", scheduler.Entry{ID: "a", Spec: "bogus"}, "spec", `entry "a": cron spec "bogus": expected 5 to 6 fields`},
		{"empty", scheduler.Entry{ID: "a", Spec: ""}, "spec", `entry "a": cron spec "": empty spec string`},
		{"minute out of range", scheduler.Entry{ID: "a", Spec: "61 * * * *"}, "spec", `cron spec "61 * * * *": end of range (61) above maximum (59)`},
		{"seven fields", scheduler.Entry{ID: "a", Spec: "0 0 0 * * * *"}, "spec", `expected 5 to 6 fields, found 7`},
		{"unknown descriptor", scheduler.Entry{ID: "a", Spec: "@fortnightly"}, "spec", `unrecognized descriptor`},
		{"every without interval", scheduler.Entry{ID: "a", Spec: "@every"}, "spec", `@every: time: invalid duration ""`},
		{"every under a second", scheduler.Entry{ID: "a", Spec: "@every 500ms"}, "spec", `at least one second`},
		{"every fractional seconds", scheduler.Entry{ID: "a", Spec: "@every 1500ms"}, "spec", `whole seconds`},
		{"unknown zone prefix", scheduler.Entry{ID: "a", Spec: "CRON_TZ=Mars/Olympus * * * * *"}, "spec", `unknown time zone Mars/Olympus`},
		{"two zone prefixes", scheduler.Entry{ID: "a", Spec: "TZ=UTC TZ=UTC * * * * *"}, "spec", `more than one time zone prefix`},
		{"prefix and field differ", scheduler.Entry{ID: "a", Spec: "CRON_TZ=Europe/Berlin 0 * * * *", TimeZone: "America/New_York"}, "spec",
			`the spec names time zone "Europe/Berlin", the entry "America/New_York"`},
		{"unknown zone", scheduler.Entry{ID: "a", Spec: "@hourly", TimeZone: "Mars/Olympus"}, "time_zone", `in time zone "Mars/Olympus": unknown time zone Mars/Olympus`},
		{"Local zone", scheduler.Entry{ID: "a", Spec: "@hourly", TimeZone: "Local"}, "time_zone", `"Local" depends on the host`},
		{"end before start", scheduler.Entry{ID: "a", Spec: "@hourly", Start: start, End: start.Add(-time.Second)}, "end",
			"end 2026-01-31T23:59:59Z is before start 2026-02-01T00:00:00Z"},
		{"negative jitter", scheduler.Entry{ID: "a", Spec: "@hourly", Jitter: -time.Second}, "jitter", "jitter -1s is negative"},
		{"unknown overlap", scheduler.Entry{ID: "a", Spec: "@hourly", Overlap: "sometimes"}, "overlap", `unknown overlap policy "sometimes"`},
		{"unknown catch-up", scheduler.Entry{ID: "a", Spec: "@hourly", CatchUp: "later"}, "catch_up", `unknown catch-up policy "later"`},
		{"negative catch-up max", scheduler.Entry{ID: "a", Spec: "@hourly", CatchUpMax: -1}, "catch_up_max", "catch_up_max -1 is out of range [0, 10000]"},
		{"huge catch-up max", scheduler.Entry{ID: "a", Spec: "@hourly", CatchUpMax: 1 << 40}, "catch_up_max", "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScheduler(t)
			err := s.Add(tc.entry)
			var ee *scheduler.EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("Add = %v, want an *EntryError", err)
			}
			if ee.ID != tc.entry.ID || ee.Field != tc.field {
				t.Errorf("ID, Field = %q, %q; want %q, %q", ee.ID, ee.Field, tc.entry.ID, tc.field)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "scheduler: entry ") {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if tc.field == "spec" || tc.field == "time_zone" {
				var se *scheduler.SpecError
				if !errors.As(err, &se) || se.Spec != tc.entry.Spec {
					t.Errorf("error %v: no *SpecError with the spec", err)
				}
			}
			if len(s.Entries()) != 0 {
				t.Error("the rejected entry was added")
			}
		})
	}
}

func TestAddAcceptsEdgeCases(t *testing.T) {
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	s := newScheduler(t)
	for _, e := range []scheduler.Entry{
		{ID: "a", Spec: "TZ=UTC * * * * *"},
		{ID: "b", Spec: "  CRON_TZ=Europe/Berlin   0 3 * * *  ", TimeZone: "Europe/Berlin"},
		{ID: "c", Spec: "@hourly", Start: start, End: start}, // a single instant
		{ID: "d", Spec: "@every 1h30m"},
		{ID: "e", Spec: "0 0 30 2 *"}, // never due: accepted, with no next due time
		{ID: "f", Spec: "@daily", TimeZone: "Asia/Kolkata"},
	} {
		if err := s.Add(e); err != nil {
			t.Errorf("Add(%q): %v", e.Spec, err)
		}
	}
	if _, ok := s.Next("e"); ok {
		t.Error(`Next("0 0 30 2 *") = true`)
	}
	if err := s.Add(scheduler.Entry{ID: "a", Spec: "@hourly"}); !errors.Is(err, scheduler.ErrDuplicateID) {
		t.Errorf("duplicate Add = %v, want ErrDuplicateID", err)
	}
	if err := s.Pause("nope"); !errors.Is(err, scheduler.ErrNotFound) {
		t.Errorf("Pause(nope) = %v, want ErrNotFound", err)
	}
	if err := s.Resume("nope"); !errors.Is(err, scheduler.ErrNotFound) {
		t.Errorf("Resume(nope) = %v, want ErrNotFound", err)
	}
}

func TestParseNeverPanics(t *testing.T) {
	for _, spec := range []string{"TZ=", "CRON_TZ=", "TZ=x", "TZ= ", "TZ=\t* * * * *", "@every -1s", "@every 0s", "0-", "*/0 * * * *", "1-0 * * * *", "@"} {
		if _, err := scheduler.Parse(spec, ""); err == nil {
			t.Errorf("Parse(%q): no error", spec)
		}
	}
}

func newScheduler(t *testing.T) *scheduler.Scheduler {
	t.Helper()
	s, err := scheduler.New(scheduler.Config{Run: func(context.Context, scheduler.Tick) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

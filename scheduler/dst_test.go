package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

// In 2026, America/New_York springs forward on March 8 (02:00 EST becomes 03:00
// EDT at 07:00Z) and falls back on November 1 (02:00 EDT becomes 01:00 EST at
// 06:00Z); Europe/Berlin springs forward on March 29 (02:00 CET becomes 03:00
// CEST at 01:00Z) and falls back on October 25 (03:00 CEST becomes 02:00 CET at
// 01:00Z).
func TestScheduleAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		name, zone, spec, from string
		want                   []string // due times in UTC, then local
	}{
		{
			name: "New York spring forward: 02:30 fires at 03:00 EDT",
			zone: "America/New_York", spec: "30 2 * * *", from: "2026-03-06T12:00:00Z",
			want: []string{"2026-03-07T07:30:00Z 02:30 EST", "2026-03-08T07:00:00Z 03:00 EDT", "2026-03-09T06:30:00Z 02:30 EDT"},
		},
		{
			name: "New York spring forward: 02:00 fires at 03:00 EDT",
			zone: "America/New_York", spec: "0 2 * * *", from: "2026-03-07T12:00:00Z",
			want: []string{"2026-03-08T07:00:00Z 03:00 EDT", "2026-03-09T06:00:00Z 02:00 EDT"},
		},
		{
			name: "New York spring forward: skipped and real times stay in order",
			zone: "America/New_York", spec: "15 2,3 * * *", from: "2026-03-08T05:00:00Z",
			want: []string{"2026-03-08T07:00:00Z 03:00 EDT", "2026-03-08T07:15:00Z 03:15 EDT", "2026-03-09T06:15:00Z 02:15 EDT"},
		},
		{
			name: "New York spring forward: hourly specs fold the gap into 03:00",
			zone: "America/New_York", spec: "*/30 * * * *", from: "2026-03-08T06:15:00Z",
			want: []string{"2026-03-08T06:30:00Z 01:30 EST", "2026-03-08T07:00:00Z 03:00 EDT", "2026-03-08T07:30:00Z 03:30 EDT"},
		},
		{
			name: "New York fall back: 01:30 fires once, at its first occurrence",
			zone: "America/New_York", spec: "30 1 * * *", from: "2026-10-31T12:00:00Z",
			want: []string{"2026-11-01T05:30:00Z 01:30 EDT", "2026-11-02T06:30:00Z 01:30 EST"},
		},
		{
			name: "New York fall back: from inside the repeated hour, 01:30 is done for the day",
			zone: "America/New_York", spec: "30 1 * * *", from: "2026-11-01T06:10:00Z",
			want: []string{"2026-11-02T06:30:00Z 01:30 EST"},
		},
		{
			name: "New York fall back: 02:30 happens once",
			zone: "America/New_York", spec: "30 2 * * *", from: "2026-10-31T12:00:00Z",
			want: []string{"2026-11-01T07:30:00Z 02:30 EST", "2026-11-02T07:30:00Z 02:30 EST"},
		},
		{
			name: "New York fall back: hourly specs fire in both passes",
			zone: "America/New_York", spec: "*/30 * * * *", from: "2026-11-01T04:45:00Z",
			want: []string{
				"2026-11-01T05:00:00Z 01:00 EDT", "2026-11-01T05:30:00Z 01:30 EDT",
				"2026-11-01T06:00:00Z 01:00 EST", "2026-11-01T06:30:00Z 01:30 EST",
				"2026-11-01T07:00:00Z 02:00 EST",
			},
		},
		{
			name: "New York fall back: hourly spec from inside the first pass",
			zone: "America/New_York", spec: "0 * * * *", from: "2026-11-01T05:10:00Z",
			want: []string{"2026-11-01T06:00:00Z 01:00 EST", "2026-11-01T07:00:00Z 02:00 EST"},
		},
		{
			name: "New York fall back: hourly spec from inside the second pass",
			zone: "America/New_York", spec: "*/30 * * * *", from: "2026-11-01T06:10:00Z",
			want: []string{"2026-11-01T06:30:00Z 01:30 EST", "2026-11-01T07:00:00Z 02:00 EST"},
		},
		{
			name: "Berlin spring forward: 02:30 fires at 03:00 CEST",
			zone: "Europe/Berlin", spec: "30 2 * * *", from: "2026-03-28T12:00:00Z",
			want: []string{"2026-03-29T01:00:00Z 03:00 CEST", "2026-03-30T00:30:00Z 02:30 CEST"},
		},
		{
			name: "Berlin fall back: 02:30 fires once, at its first occurrence",
			zone: "Europe/Berlin", spec: "30 2 * * *", from: "2026-10-24T12:00:00Z",
			want: []string{"2026-10-25T00:30:00Z 02:30 CEST", "2026-10-26T01:30:00Z 02:30 CET"},
		},
		{
			name: "Berlin fall back: hourly specs fire in both passes",
			zone: "Europe/Berlin", spec: "*/30 * * * *", from: "2026-10-25T00:15:00Z",
			want: []string{
				"2026-10-25T00:30:00Z 02:30 CEST", "2026-10-25T01:00:00Z 02:00 CET",
				"2026-10-25T01:30:00Z 02:30 CET", "2026-10-25T02:00:00Z 03:00 CET",
			},
		},
		{
			name: "Berlin fall back: 01:30 is not ambiguous",
			zone: "Europe/Berlin", spec: "30 1 * * *", from: "2026-10-24T12:00:00Z",
			want: []string{"2026-10-24T23:30:00Z 01:30 CEST", "2026-10-26T00:30:00Z 01:30 CET"},
		},
		{
			name: "seconds field through the Berlin gap",
			zone: "Europe/Berlin", spec: "30 59 1 * * *", from: "2026-03-28T12:00:00Z",
			want: []string{"2026-03-29T00:59:30Z 01:59:30 CET", "2026-03-29T23:59:30Z 01:59:30 CEST"},
		},
		{
			name: "zone without transitions",
			zone: "Asia/Kolkata", spec: "30 2 * * *", from: "2026-03-07T12:00:00Z",
			want: []string{"2026-03-07T21:00:00Z 02:30 IST", "2026-03-08T21:00:00Z 02:30 IST"},
		},
		{
			name: "Sydney fall back: 02:30 fires once",
			zone: "Australia/Sydney", spec: "30 2 * * *", from: "2026-04-04T00:00:00Z",
			want: []string{"2026-04-04T15:30:00Z 02:30 AEDT", "2026-04-05T16:30:00Z 02:30 AEST"},
		},
		{
			name: "interval specs ignore the wall clock",
			zone: "America/New_York", spec: "@every 45m", from: "2026-03-08T06:30:00Z",
			want: []string{"2026-03-08T07:15:00Z 03:15 EDT", "2026-03-08T08:00:00Z 04:00 EDT"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scheduler.Parse(tc.spec, tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			from := mustTime(t, tc.from)
			got := make([]string, len(tc.want))
			for i := range got {
				from = s.Next(from)
				got[i] = formatLocal(from, s.Location(), strings.Count(tc.want[i], ":") == 4)
			}
			equal(t, "due times", got, tc.want)
		})
	}
}

func formatLocal(t time.Time, loc *time.Location, seconds bool) string {
	layout := "15:04 MST"
	if seconds {
		layout = "15:04:05 MST"
	}
	return t.UTC().Format(time.RFC3339) + " " + t.In(loc).Format(layout)
}

// TestScheduleNextIsConsistent checks, through whole DST days, that Next(t) is
// the first due time after t: there is none in (t, Next(t)), so Next of any time
// in between is the same.
func TestScheduleNextIsConsistent(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"} {
		for _, spec := range []string{"30 2 * * *", "30 1 * * *", "*/7 * * * *", "0 * * * *", "15 2,3 * * *", "0 30 1-3 * * *"} {
			s, err := scheduler.Parse(spec, zone)
			if err != nil {
				t.Fatal(err)
			}
			for _, day := range []string{"2026-03-07T00:00:00Z", "2026-03-28T00:00:00Z", "2026-10-24T00:00:00Z", "2026-10-31T00:00:00Z", "2026-04-04T00:00:00Z", "2026-10-03T00:00:00Z"} {
				start := mustTime(t, day)
				for c := start; c.Before(start.Add(72 * time.Hour)); c = c.Add(7 * time.Minute) {
					n := s.Next(c)
					if !n.After(c) {
						t.Fatalf("%s %q: Next(%v) = %v, not after", zone, spec, c, n)
					}
					if mid := c.Add(n.Sub(c) / 2); !s.Next(mid).Equal(n) {
						t.Fatalf("%s %q: Next(%v) = %v but Next(%v) = %v", zone, spec, c, n, mid, s.Next(mid))
					}
					if m := s.Next(n.Add(-time.Nanosecond)); !m.Equal(n) {
						t.Fatalf("%s %q: Next(%v) = %v but Next(just before it) = %v", zone, spec, c, n, m)
					}
				}
			}
		}
	}
}

// TestSchedulerFiresAcrossDST drives a daily 02:30 New York entry through both
// transitions of 2026 on the fake clock.
func TestSchedulerFiresAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		name, from, zone, spec string
		want                   []string
	}{
		{"New York spring forward", "2026-03-07T12:00:00Z", "America/New_York", "30 2 * * *",
			[]string{"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"}},
		{"New York fall back", "2026-10-31T12:00:00Z", "America/New_York", "30 1 * * *",
			[]string{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z"}},
		{"Berlin spring forward", "2026-03-28T12:00:00Z", "Europe/Berlin", "30 2 * * *",
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"}},
		{"Berlin fall back", "2026-10-24T12:00:00Z", "Europe/Berlin", "30 2 * * *",
			[]string{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, mustTime(t, tc.from))
			h.add(scheduler.Entry{ID: "e", Spec: tc.spec, TimeZone: tc.zone})
			h.start()
			for range tc.want {
				next, ok := h.s.Next("e")
				if !ok {
					t.Fatal("no next due time")
				}
				h.clock.Set(next)
				h.sync()
			}
			var got []string
			for _, ev := range h.rec.Of(scheduler.EventFired) {
				if !ev.Tick.Fired.Equal(ev.Tick.Due) {
					t.Errorf("fired at %v, due %v", ev.Tick.Fired, ev.Tick.Due)
				}
				got = append(got, ev.Tick.Due.UTC().Format(time.RFC3339))
			}
			equal(t, "fired", got, tc.want)
		})
	}
}

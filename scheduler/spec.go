package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"
)

// cronParser accepts the same specs as titan.ParseSchedule: five fields, an
// optional leading seconds field, and descriptors such as @hourly or @every 10m.
// It is a value and never changes, so sharing it is safe.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// allHours is the bit set of an hour field that matches every hour (0–23).
const allHours = 1<<24 - 1

// Schedule is a parsed cron spec bound to a time zone: the due times of an
// entry. It is immutable and safe for concurrent use. Parse makes one.
//
// Wall-clock specs (five or six fields, and descriptors such as @daily) are
// matched against the wall clock of the time zone. Where daylight saving time
// moves that clock, a Schedule behaves like Vixie cron, not like robfig/cron's
// own Next (which drops a daily 02:30 on the spring-forward day and runs a daily
// 01:30 twice on the fall-back day):
//
//   - Spring forward: a wall-clock time that does not exist that day (02:30 in
//     America/New_York on 2026-03-08) is due at the first instant after the
//     gap, 03:00 local. Several skipped times fold into that one instant.
//   - Fall back: a wall-clock time that happens twice (01:30 in New York on
//     2026-11-01) is due once, at its first occurrence, unless the spec's hour
//     field matches every hour ("*/15 * * * *", "@hourly"): such specs are due
//     at both occurrences, so they keep firing through the repeated hour.
//
// Interval specs ("@every 90s") ignore the wall clock: their due times are
// exactly the interval apart.
type Schedule struct {
	spec  string
	loc   *time.Location
	every time.Duration      // > 0 for @every specs
	civil *cron.SpecSchedule // wall-clock fields, matched against civil times in UTC
	// hourly is set when the hour field matches every hour; such specs fire in
	// both passes through a repeated hour.
	hourly bool
}

// Parse parses a cron spec: five fields (minute hour day-of-month month
// day-of-week), an optional leading seconds field, or a descriptor (@yearly,
// @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>). A spec may
// start with a CRON_TZ=Area/City or TZ=Area/City prefix naming the IANA time
// zone its wall-clock fields are read in; otherwise timeZone names it, and an
// empty timeZone means UTC. A prefix and a non-empty timeZone that differ are an
// error, as are "Local" (it depends on the host), an unknown zone, an @every
// interval under one second or not in whole seconds, and anything the cron
// parser rejects. The error is a *SpecError.
//
// Zones are loaded with time.LoadLocation, which needs the system's tz database
// or an import of time/tzdata.
func Parse(spec, timeZone string) (*Schedule, error) {
	return parse(spec, timeZone, time.LoadLocation)
}

func parse(spec, timeZone string, load func(string) (*time.Location, error)) (*Schedule, error) {
	fail := func(err error) (*Schedule, error) {
		return nil, &SpecError{Spec: spec, TimeZone: timeZone, Err: err}
	}
	rest := strings.TrimSpace(spec)
	zone := timeZone
	if name, after, ok := cutZonePrefix(rest); ok {
		switch {
		case name == "":
			return fail(errors.New("empty time zone after the TZ= prefix"))
		case timeZone != "" && name != timeZone:
			return fail(fmt.Errorf("the spec names time zone %q, the entry %q", name, timeZone))
		}
		if _, _, again := cutZonePrefix(after); again {
			return fail(errors.New("more than one time zone prefix"))
		}
		zone, rest = name, after
	}
	loc := time.UTC
	if zone != "" {
		if zone == "Local" {
			return fail(errors.New(`time zone "Local" depends on the host: name an IANA zone such as "Europe/Berlin"`))
		}
		l, err := load(zone)
		if err != nil {
			return fail(err)
		}
		loc = l
	}
	if d, ok := strings.CutPrefix(rest, "@every"); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		switch {
		case err != nil:
			return fail(fmt.Errorf("@every: %w", err))
		case every < time.Second:
			return fail(fmt.Errorf("@every %v: the interval must be at least one second", every))
		case every%time.Second != 0:
			return fail(fmt.Errorf("@every %v: the interval must be whole seconds", every))
		}
	}
	sched, err := parseCron(rest)
	if err != nil {
		return fail(err)
	}
	s := &Schedule{spec: spec, loc: loc}
	switch c := sched.(type) {
	case cron.ConstantDelaySchedule:
		s.every = c.Delay
	case *cron.SpecSchedule:
		civil := *c
		civil.Location = time.UTC
		s.civil = &civil
		s.hourly = civil.Hour&allHours == allHours
	default:
		return fail(fmt.Errorf("unsupported schedule type %T", sched))
	}
	return s, nil
}

// cutZonePrefix splits "CRON_TZ=name rest" or "TZ=name rest" into name and rest.
func cutZonePrefix(spec string) (name, rest string, ok bool) {
	after, ok := strings.CutPrefix(spec, "CRON_TZ=")
	if !ok {
		if after, ok = strings.CutPrefix(spec, "TZ="); !ok {
			return "", "", false
		}
	}
	i := strings.IndexFunc(after, unicode.IsSpace)
	if i < 0 {
		return after, "", true
	}
	return after[:i], strings.TrimSpace(after[i:]), true
}

// parseCron calls the cron parser, turning its panics (it slices out of range on
// specs such as "TZ=") into errors.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("malformed spec: %v", v)
		}
	}()
	return cronParser.Parse(spec)
}

// String returns the spec as given to Parse.
func (s *Schedule) String() string { return s.spec }

// Location returns the time zone the spec's wall-clock fields are read in.
func (s *Schedule) Location() *time.Location { return s.loc }

// Interval returns the interval of an @every spec, or zero for a wall-clock spec.
func (s *Schedule) Interval() time.Duration { return s.every }

// Next returns the first due time strictly after t, or the zero time if there is
// none within five years (e.g. "0 0 30 2 *"). For an @every spec it is t plus
// the interval. Wall-clock specs are due on whole seconds; see Schedule for how
// daylight saving time moves them.
func (s *Schedule) Next(t time.Time) time.Time {
	switch {
	case s.every > 0:
		return t.Add(s.every)
	case s.loc == time.UTC:
		return s.civil.Next(t.UTC())
	}
	return s.nextInZone(t)
}

// maxFallBack bounds how far back a zone transition may set the wall clock.
// Only a transition less than this long before t is checked for repeating
// t's wall clock, which spares two zone lookups in the common case.
const maxFallBack = 48 * time.Hour

// nextInZone finds the next due time in a zone that may have transitions. The
// spec's fields are matched on civil (wall-clock) times, computed in UTC where
// there are no transitions; each civil match is then mapped to instants:
// normally one, the end of the gap for a civil time skipped by a spring-forward
// transition, and for hourly specs also the second occurrence of a civil time
// repeated by a fall-back transition. The mapping to first occurrences is
// monotonic, so the smallest match after t's civil time is the candidate, and
// second occurrences only matter in the one repeated range next to t.
//
// Zone lookups dominate the cost (each is a rule evaluation for dates past the
// tz database's last listed transition), so the common case, a match within
// t's own zone period, is computed from t's offset with two lookups.
func (s *Schedule) nextInZone(t time.Time) time.Time {
	lt := t.In(s.loc)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	offset := time.Duration(off) * time.Second
	from := t.UTC().Add(offset) // t's wall clock, as a civil time
	// Instants in [lo, end) read at offset have first-occurrence wall clocks.
	lo := start
	var best time.Time
	consider := func(c time.Time) {
		if !c.IsZero() && c.After(t) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !start.IsZero() && t.Sub(start) < maxFallBack {
		if d := s.fallBack(start); d > 0 {
			lo = start.Add(d)
			if t.Before(lo) {
				// t is in the second pass through the repeated civil
				// range [w, w+d).
				w := start.UTC().Add(offset)
				if s.hourly {
					if c := s.civil.Next(from); !c.IsZero() && c.Before(w.Add(d)) {
						consider(start.Add(c.Sub(w)))
					}
				}
				// First occurrences in the range are all before t.
				from = w.Add(d - time.Nanosecond)
			}
		}
	}
	if c := s.civil.Next(from); !c.IsZero() {
		if i := c.Add(-offset); !i.Before(lo) && (end.IsZero() || i.Before(end)) {
			consider(i) // in t's zone period, after any repeated range
		} else {
			consider(s.firstInstant(c))
		}
	}
	if s.hourly && !end.IsZero() && (best.IsZero() || !best.Before(end)) {
		if d := s.fallBack(end); d > 0 {
			// The transition at end repeats the civil range [w, w+d).
			w := civil(end.In(s.loc))
			if c := s.civil.Next(w.Add(-time.Nanosecond)); !c.IsZero() && c.Before(w.Add(d)) {
				consider(end.Add(c.Sub(w)))
			}
		}
	}
	if best.IsZero() {
		return best
	}
	return best.In(s.loc)
}

// firstInstant maps civil time c to the first instant whose wall clock in the
// schedule's zone reads c; if no instant does (c is in a spring-forward gap), to
// the first instant after the gap.
func (s *Schedule) firstInstant(c time.Time) time.Time {
	i := time.Date(c.Year(), c.Month(), c.Day(), c.Hour(), c.Minute(), c.Second(), 0, s.loc)
	if ic := civil(i); !ic.Equal(c) {
		// time.Date normalised c out of the gap, backwards or forwards
		// depending on the zone's offsets; the gap ends at a zone boundary.
		start, end := i.ZoneBounds()
		if ic.Before(c) {
			return end
		}
		return start
	}
	start, _ := i.ZoneBounds()
	if d := s.fallBack(start); d > 0 && i.Sub(start) < d {
		return i.Add(-d) // time.Date chose the second occurrence
	}
	return i
}

// fallBack returns how far the wall clock goes back at the zone transition at
// instant at, or zero if at is not a backward transition.
func (s *Schedule) fallBack(at time.Time) time.Duration {
	if at.IsZero() {
		return 0
	}
	_, before := at.Add(-time.Nanosecond).In(s.loc).Zone()
	_, after := at.In(s.loc).Zone()
	return time.Duration(before-after) * time.Second
}

// civil returns t's wall clock as a time in UTC.
func civil(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	return time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.UTC)
}

// scanLimit bounds how many due times of a wall-clock spec scan enumerates one by
// one. Beyond it (a per-second spec missed for twelve days) the count is
// reported as a lower bound and the latest due times are found by bisection.
const scanLimit = 1 << 20

// span describes the due times from a first one up to a limit.
type span struct {
	count int         // how many; a lower bound when !exact
	exact bool        // whether count is exact
	tail  []time.Time // the latest due times, ascending, at most keep of them
}

// scan describes the due times from first (a due time) to limit inclusive,
// keeping the latest keep (at least one). first is always counted, even if it
// is after limit.
func (s *Schedule) scan(first, limit time.Time, keep int) span {
	keep = max(keep, 1)
	if !limit.After(first) {
		return span{count: 1, exact: true, tail: []time.Time{first}}
	}
	if s.every > 0 {
		n := int(limit.Sub(first)/s.every) + 1
		sp := span{count: n, exact: true}
		for i := max(0, n-keep); i < n; i++ {
			sp.tail = append(sp.tail, first.Add(time.Duration(i)*s.every))
		}
		return sp
	}
	var ring []time.Time // the latest due times seen, at most keep of them
	n, last, d := 0, first, first
	for ; n < scanLimit && !d.IsZero() && !d.After(limit); n++ {
		if len(ring) < keep {
			ring = append(ring, d)
		} else {
			ring[n%keep] = d
		}
		last, d = d, s.Next(d)
	}
	sp := span{count: n, exact: d.IsZero() || d.After(limit)}
	if sp.exact {
		for i := max(0, n-keep); i < n; i++ {
			sp.tail = append(sp.tail, ring[i%keep])
		}
		return sp
	}
	// Too many to enumerate: find the latest ones by bisection.
	sp.tail = make([]time.Time, keep)
	k := keep
	for hi := limit; k > 0 && !last.After(hi); k-- {
		latest := s.latest(last, hi)
		sp.tail[k-1] = latest
		hi = latest.Add(-time.Nanosecond)
	}
	sp.tail = sp.tail[k:]
	return sp
}

// latest returns the latest due time at or before limit, given lo, a due time at
// or before limit. It bisects the range, so it costs O(log(limit-lo)) calls of
// Next. Wall-clock specs only.
func (s *Schedule) latest(lo, limit time.Time) time.Time {
	hi := limit // no due time in (hi, limit]
	for {
		n := s.Next(lo)
		if n.IsZero() || n.After(hi) {
			return lo
		}
		lo = n
		mid := lo.Add(hi.Sub(lo) / 2)
		if m := s.Next(mid); !m.IsZero() && !m.After(hi) {
			lo = m
		} else {
			hi = mid
		}
	}
}

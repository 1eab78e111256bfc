package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/titanscrape/titan"
)

// progress reports an execution's progress: a line redrawn in place on a terminal,
// a plain line every few seconds otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	quiet    bool
	start    time.Time
	lastLine time.Time
	drawn    bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) line(x *titan.Execution) string {
	s := x.Stats
	secs := time.Since(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Pages) / secs
	}
	return fmt.Sprintf("%s  pages %d  records %d  errors %d  %.1f pages/s", x.Status, s.Pages, s.Records(), s.Errors, rate)
}

func (p *progress) update(x *titan.Execution) {
	if p.quiet {
		return
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line(x))
		p.drawn = true
		return
	}
	if time.Since(p.lastLine) >= 5*time.Second {
		fmt.Fprintln(p.w, p.line(x))
		p.lastLine = time.Now()
	}
}

func (p *progress) summary(x *titan.Execution) {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
	s := x.Stats
	fmt.Fprintf(p.w, "execution %s: %s (%s)\n", x.ID, x.Status, x.Reason)
	fmt.Fprintf(p.w, "  pages %d, records %d valid + %d invalid, requests %d, retries %d, %.1f KiB, %v\n",
		s.Pages, s.ValidRecords, s.InvalidRecords, s.Requests, s.Retries, float64(s.Bytes)/1024,
		x.Duration(time.Now()).Round(time.Millisecond))
	if len(s.Skipped) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(s.Skipped)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Skipped[k]))
		}
		fmt.Fprintf(p.w, "  skipped: %s\n", strings.Join(parts, ", "))
	}
	for _, e := range x.Errors {
		fmt.Fprintf(p.w, "  error %s %s: %s\n", e.Class, e.URL, e.Message)
	}
	if x.ErrorsOmitted > 0 {
		fmt.Fprintf(p.w, "  ... and %d more errors\n", x.ErrorsOmitted)
	}
}

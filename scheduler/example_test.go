package scheduler_test

import (
	"context"
	"fmt"
	"time"

	"github.com/titanscrape/titan/scheduler"
	"github.com/titanscrape/titan/scheduler/schedtest"
)

// A daily 02:30 job in New York, driven by the fake clock across the 2026
// spring-forward day: 02:30 does not exist on March 8, so it runs at 03:00 EDT.
func Example() {
	ctx := context.Background()
	clock := schedtest.NewClock(time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC))
	finished := make(chan scheduler.Tick)
	s, err := scheduler.New(scheduler.Config{
		Clock: clock,
		Run: func(ctx context.Context, t scheduler.Tick) error {
			return nil // fetch and store the daily report here
		},
		OnEvent: func(ev scheduler.Event) {
			if ev.Kind == scheduler.EventFinished {
				finished <- ev.Tick
			}
		},
	})
	if err != nil {
		panic(err)
	}
	if err := s.Add(scheduler.Entry{ID: "report", Spec: "30 2 * * *", TimeZone: "America/New_York"}); err != nil {
		panic(err)
	}
	if err := s.Start(ctx); err != nil {
		panic(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	for range 3 {
		next, _ := s.Next("report")
		clock.Set(next) // the timer fires and Run is called
		t := <-finished // before moving on: a run still going would make the next due time overlap
		fmt.Println(t.EntryID, t.Due.UTC().Format(time.RFC3339), t.Due.In(ny).Format("Mon 15:04 MST"))
	}
	if err := s.Stop(ctx); err != nil {
		panic(err)
	}
	// Output:
	// report 2026-03-07T07:30:00Z Sat 02:30 EST
	// report 2026-03-08T07:00:00Z Sun 03:00 EDT
	// report 2026-03-09T06:30:00Z Mon 02:30 EDT
}

package scheduler_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/titanscrape/titan/scheduler"
)

func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, t0)
	h.add(scheduler.Entry{ID: "steady", Spec: "*/10 * * * * *", Overlap: scheduler.OverlapQueue})
	h.start()
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range 300 {
				id := fmt.Sprintf("g%d-%d", g, i%7)
				var err error
				switch i % 6 {
				case 0:
					err = h.s.Add(scheduler.Entry{ID: id, Spec: "* * * * * *", Jitter: time.Second, Overlap: scheduler.OverlapAllow})
				case 1:
					err = h.s.Update(scheduler.Entry{ID: id, Spec: "*/2 * * * * *", CatchUp: scheduler.CatchUpRunAll})
				case 2:
					err = h.s.Pause(id)
				case 3:
					err = h.s.Resume(id)
				case 4:
					err = h.s.Remove(id)
				case 5:
					_ = h.s.Entries()
					_, _ = h.s.Next(id)
					_ = h.s.Stats()
				}
				if err != nil && !errors.Is(err, scheduler.ErrNotFound) && !errors.Is(err, scheduler.ErrDuplicateID) {
					t.Errorf("%s: %v", id, err)
				}
			}
		})
	}
	wg.Go(func() {
		for range 100 {
			h.clock.Advance(time.Second)
		}
	})
	wg.Wait()
	h.sync()
	st := h.s.Stats()
	if st.Fired == 0 || st.Fired != st.Finished || st.Running != 0 || st.Waiting != 0 {
		t.Errorf("Stats = %+v", st)
	}
	if next, ok := h.s.Next("steady"); !ok || !next.After(h.clock.Now()) {
		t.Errorf("Next(steady) = %v, %v; now %v", next, ok, h.clock.Now())
	}
}

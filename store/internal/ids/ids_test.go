package ids

import (
	"strings"
	"testing"
	"time"
)

func TestNewSortsByTime(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	a, b := New("tsk_", t0), New("tsk_", t0.Add(time.Millisecond))
	if !strings.HasPrefix(a, "tsk_") || len(a) != 4+24 || a >= b || a == New("tsk_", t0) {
		t.Fatalf("ids %s %s", a, b)
	}
}

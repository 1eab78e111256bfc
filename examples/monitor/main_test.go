package main

import (
	"context"
	"path/filepath"
	"testing"
)

// TestRun keeps the example working: two scheduled runs, two seconds apart.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for two scheduled runs")
	}
	if err := run(context.Background(), filepath.Join(t.TempDir(), "monitor.db"), 2); err != nil {
		t.Fatal(err)
	}
}

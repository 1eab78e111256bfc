package main

import (
	"context"
	"testing"
)

// TestRun keeps the example working against its fake SearXNG.
func TestRun(t *testing.T) {
	if err := run(context.Background(), "monitor", "", 3); err != nil {
		t.Fatal(err)
	}
}

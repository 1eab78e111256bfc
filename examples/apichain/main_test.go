package main

import (
	"context"
	"testing"
)

// TestRun keeps the example working.
func TestRun(t *testing.T) {
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

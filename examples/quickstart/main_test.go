package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemo runs the README's quickstart and checks the records it writes.
func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.jsonl")
	if err := demo(context.Background(), 2, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d records, want 24", len(lines))
	}
	for _, l := range lines {
		var rec struct {
			Data   Product
			Errors []any
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.Errors) != 0 || rec.Data.SKU == "" || rec.Data.Price <= 0 || !strings.HasPrefix(rec.Data.Image, "http://127.0.0.1:") {
			t.Fatalf("record %s", l)
		}
	}
}

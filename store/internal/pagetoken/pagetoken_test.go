package pagetoken

import (
	"errors"
	"testing"

	"github.com/titanscrape/titan"
)

func TestRoundTrip(t *testing.T) {
	tok := Encode(Task, "tsk_1")
	if id, err := Decode(Task, tok); err != nil || id != "tsk_1" {
		t.Fatalf("Decode = %q, %v", id, err)
	}
	for _, bad := range []string{Encode(Execution, "exe_1"), "!!", Encode(Task, ""), ""} {
		if _, err := Decode(Task, bad); !errors.Is(err, titan.ErrInvalidPageToken) {
			t.Errorf("Decode(%q) = %v", bad, err)
		}
	}
}

package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
	"github.com/titanscrape/titan/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) titan.Store { return openTemp(t) })
}

// openTemp opens a store in a fresh file of t's temporary directory, which
// t's cleanup closes.
func openTemp(t *testing.T, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "titan.db"), opts...)
}

// openAt opens the store at path, which t's cleanup closes.
func openAt(t *testing.T, path string, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

package storetest_test

import (
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/memory"
	"github.com/titanscrape/titan/store/storetest"
)

// A Store implementation runs the suite from a test of its own package, handing
// it a fresh, empty store per subtest. (Run needs the *testing.T of a real test,
// so this example is compiled but not run.)
func ExampleRun() {
	testConformance := func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) titan.Store { return memory.New() })
	}
	_ = testConformance // func TestConformance(t *testing.T) in the store's _test.go
}

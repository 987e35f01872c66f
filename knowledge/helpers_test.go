package knowledge_test

import (
	"sync"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// loadEmbedded loads the embedded data once per test binary: the store is
// immutable, so every test can share it.
var loadEmbedded = sync.OnceValues(func() (*knowledge.Store, error) {
	return knowledge.Load(knowledge.Embedded())
})

// store returns the shared store loaded from the embedded data, or stops the
// test if the data does not load.
func store(tb testing.TB) *knowledge.Store {
	tb.Helper()
	s, err := loadEmbedded()
	if err != nil {
		tb.Fatalf("Load(Embedded()) failed: %v", err)
	}
	return s
}

package knowledge_test

import (
	"io/fs"
	"sync"
	"testing"
	"testing/fstest"

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

// embeddedCopy returns the embedded data files as an in-memory file system
// that a test may edit.
func embeddedCopy(tb testing.TB) fstest.MapFS {
	tb.Helper()
	m := fstest.MapFS{}
	entries, err := fs.ReadDir(knowledge.Embedded(), ".")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(knowledge.Embedded(), e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

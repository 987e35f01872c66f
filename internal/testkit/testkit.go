// Package testkit holds the helpers the project's tests share: golden
// files with one -update flag, and a log buffer that goroutines can write
// to while a test reads it. It is imported only by _test.go files; nothing
// in it runs in the bot.
package testkit

import (
	"bytes"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// update is the one -update flag of every package whose tests compare
// with golden files: go test ./bot/... ./cmd/... -update rewrites them all
// (a package whose tests import no testkit has no -update flag).
var update = flag.Bool("update", false, "rewrite the golden files under testdata instead of comparing with them")

// Updating reports whether the run rewrites golden files (-update).
func Updating() bool { return *update }

// Golden compares got with the golden file at path (relative to the test's
// package directory, usually under testdata/), or rewrites it with -update.
// A difference fails the test with the first line that differs and the
// command that accepts the change.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Errorf("%s differs from the golden file at line %d; review with go test -update && git diff\n--- got:\n%s",
		path, firstDiff(string(got), string(want)), got)
}

// firstDiff returns the 1-based number of the first line where a and b
// differ.
func firstDiff(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// LogBuffer collects log output written by many goroutines; tests read it
// with String or Contains while the code under test still logs.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len returns the number of bytes written so far.
func (b *LogBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// Contains reports whether s has been written.
func (b *LogBuffer) Contains(s string) bool { return strings.Contains(b.String(), s) }

// Logger returns a debug-level text logger writing to b.
func (b *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// LoggerAt is Logger with every record's time read from now, a test's
// clock, so that a test can check the times it logs.
func (b *LogBuffer) LoggerAt(now func() time.Time) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Time(slog.TimeKey, now())
			}
			return a
		},
	}))
}

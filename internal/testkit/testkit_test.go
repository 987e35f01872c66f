package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Golden(r, path, []byte("one\ntwo\n"))
	if r.failed {
		t.Errorf("Golden failed on equal content: %s", r.msg)
	}
	r = &recorder{TB: t}
	Golden(r, path, []byte("one\nthree\n"))
	if !r.failed {
		t.Error("Golden passed on different content")
	}
	r = &recorder{TB: t}
	Golden(r, filepath.Join(dir, "missing.txt"), []byte("x"))
	if !r.failed {
		t.Error("Golden passed with no golden file")
	}
}

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"a\nb\nc", "a\nx\nc", 2},
		{"a", "b", 1},
		{"a\nb", "a", 2},
	} {
		if got := firstDiff(tc.a, tc.b); got != tc.want {
			t.Errorf("firstDiff(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLogBufferConcurrent(t *testing.T) {
	var b LogBuffer
	log := b.Logger()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { log.Info("hello", "k", "v") })
	}
	wg.Wait()
	if n := strings.Count(b.String(), "msg=hello"); n != 8 {
		t.Errorf("%d lines, want 8:\n%s", n, b.String())
	}
	if !b.Contains("k=v") || b.Len() == 0 {
		t.Errorf("Contains/Len wrong: %q", b.String())
	}
}

func TestLoggerAt(t *testing.T) {
	var b LogBuffer
	now := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	log := b.LoggerAt(func() time.Time { return now })
	log.Info("one")
	now = now.Add(1500 * time.Millisecond)
	log.With("k", "v").WithGroup("g").Info("two", "time", "an attr, not the record's")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "time=2001-02-03T04:05:06.000Z ") ||
		!strings.HasPrefix(lines[1], "time=2001-02-03T04:05:07.500Z ") || !strings.Contains(lines[1], `g.time="an attr, not the record's"`) {
		t.Errorf("log = %q, want the records at the test's clock", b.String())
	}
}

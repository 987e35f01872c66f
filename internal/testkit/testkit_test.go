package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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

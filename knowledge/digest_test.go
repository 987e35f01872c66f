package knowledge_test

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/agreementbot/agreementbot/knowledge"
)

// digestOf loads fsys and returns its digest, stopping the test if it does
// not load.
func digestOf(t *testing.T, fsys fs.FS) string {
	t.Helper()
	s, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s.Digest()
}

// reversedFS lists its directory in reverse name order; fs.ReadDir takes a
// ReadDirFS's order as it is.
type reversedFS struct{ fstest.MapFS }

func (r reversedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := r.MapFS.ReadDir(name)
	slices.Reverse(entries)
	return entries, err
}

func TestDigestFormat(t *testing.T) {
	d := store(t).Digest()
	if !regexp.MustCompile(`^[0-9a-f]{8}$`).MatchString(d) {
		t.Fatalf("Digest() = %q, want 8 lower-case hex digits", d)
	}
	if again := digestOf(t, knowledge.Embedded()); again != d {
		t.Errorf("a second Load of the embedded data: Digest() = %q, want %q", again, d)
	}
}

// TestDigestSameFiles: the embedded files, the same files in a directory,
// and the same files listed in another order give one digest.
func TestDigestSameFiles(t *testing.T) {
	want := store(t).Digest()
	if got := digestOf(t, os.DirFS("data")); got != want {
		t.Errorf("Load(os.DirFS(data)).Digest() = %q, want the embedded data's %q", got, want)
	}
	rev := reversedFS{embeddedCopy(t)}
	entries, err := fs.ReadDir(rev, ".")
	if err != nil || len(entries) < 2 || entries[0].Name() < entries[len(entries)-1].Name() {
		t.Fatalf("reversedFS does not list in reverse order: %v", err)
	}
	if got := digestOf(t, rev); got != want {
		t.Errorf("Digest() of the files listed in reverse order = %q, want %q", got, want)
	}
}

// TestDigestChangesWithAnyByte: a change to one byte of a data file, or one
// byte more, gives a new digest, different for each file.
func TestDigestChangesWithAnyByte(t *testing.T) {
	orig := store(t).Digest()
	seen := map[string]string{orig: "the embedded data"}
	note := func(what, d string) {
		t.Helper()
		if other, ok := seen[d]; ok {
			t.Errorf("%s: Digest() = %q, the same as for %s", what, d, other)
		}
		seen[d] = what
	}
	for _, name := range []string{"sources.yaml", "nationalities.yaml", "topics.yaml", "ag.yaml", "ug.yaml", "xk.yaml"} {
		m := embeddedCopy(t)
		m[name] = &fstest.MapFile{Data: append(slices.Clone(m[name].Data), "#\n"...)}
		note("a comment added to "+name, digestOf(t, m))
	}
	// One byte changed in place, same length: the summary's "Uganda" becomes "UgandA".
	m := embeddedCopy(t)
	ug := m["ug.yaml"].Data
	i := strings.Index(string(ug), "summary: >-\n  Uganda")
	if i < 0 {
		t.Fatal("ug.yaml: no summary starting with Uganda")
	}
	i += len("summary: >-\n  Uganda") - 1
	changed := slices.Clone(ug)
	changed[i] = 'A'
	m["ug.yaml"] = &fstest.MapFile{Data: changed}
	note("one byte of ug.yaml changed", digestOf(t, m))
}

// TestDigestOnlyDataFiles: files Load does not read (README.md, notes,
// anything not .yaml) do not change the digest.
func TestDigestOnlyDataFiles(t *testing.T) {
	want := store(t).Digest()
	m := embeddedCopy(t)
	if _, ok := m["README.md"]; !ok {
		t.Fatal("the embedded data has no README.md")
	}
	m["README.md"] = &fstest.MapFile{Data: []byte("rewritten\n")}
	m["NOTES.txt"] = &fstest.MapFile{Data: []byte("an editor's notes\n")}
	m["drafts/ug.yaml"] = &fstest.MapFile{Data: []byte("code: UG\n")}
	if got := digestOf(t, m); got != want {
		t.Errorf("Digest() with README.md changed and non-data files added = %q, want %q", got, want)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkDir writes a small valid data directory with editor notes on a
// country and a topic, and returns it.
func checkDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"sources.yaml":       "- id: S1\n  outlet: X\n  date: \"2025-08-19\"\n  urls: [\"https://example.org/1\"]\n",
		"nationalities.yaml": "demonyms: {}\n",
		"topics.yaml": "- id: law\n  title: Law\n  summary: s\n  facts:\n    - text: A fact.\n      sources: [S1]\n" +
			"  editor_notes:\n    - text: Topic note for maintainers.\n",
		"ug.yaml": "code: UG\nname: Uganda\nstatus: agreed\nsummary: s\n" +
			"timeline:\n  - date: \"2025-08-19\"\n    status: agreed\n    text: Reported.\n    sources: [S1]\n" +
			"editor_notes:\n  - text: >-\n      Garble: the translated copy\n      says otherwise.\n    sources: [S1]\n  - text: A second note.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCheckNotes: check --notes prints every editor note with its file and
// line, after the ok line; check without it prints only the ok line.
func TestCheckNotes(t *testing.T) {
	dir := checkDir(t)
	code, out, errs := runIn(t, env(), "", "check", "--notes", dir)
	if code != 0 {
		t.Fatalf("check --notes = %d\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"topics.yaml:8: Topic note for maintainers.",
		"ug.yaml:11: Garble: the translated copy says otherwise.",
		"ug.yaml:15: A second note.",
	}
	if len(lines) != 1+len(want) || !strings.HasPrefix(lines[0], "ok: "+dir) {
		t.Fatalf("check --notes output:\n%s\nwant the ok line, then %d notes", out, len(want))
	}
	for i, w := range want {
		if lines[i+1] != w {
			t.Errorf("note %d = %q, want %q", i, lines[i+1], w)
		}
	}
	// The flag may come after the directory too.
	if code, out2, _ := runIn(t, env(), "", "check", dir, "--notes"); code != 0 || out2 != out {
		t.Errorf("check DIR --notes = %d %q, want %q", code, out2, out)
	}
	// Without --notes: the ok line only.
	code, out, _ = runIn(t, env(), "", "check", dir)
	if code != 0 || strings.Count(out, "\n") != 1 || strings.Contains(out, "Garble") {
		t.Errorf("check = %d %q, want only the ok line", code, out)
	}
	// The embedded data: every note line names a data file and a line.
	code, out, _ = runIn(t, env(), "", "check", "--notes")
	if code != 0 || !strings.HasPrefix(out, "ok: embedded data") {
		t.Fatalf("check --notes (embedded) = %d %q", code, out)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n")[1:] {
		file, rest, ok := strings.Cut(l, ".yaml:")
		if !ok || file == "" || rest == "" || rest[0] < '1' || rest[0] > '9' {
			t.Errorf("check --notes line %q: want FILE.yaml:LINE: text", l)
		}
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{{"check", "--nope"}, {"check", "a", "b"}} {
		code, _, errs := runIn(t, env(), "", args...)
		if code != 2 || !strings.Contains(errs, "usage: agreementbot check [--notes] [DIR]") {
			t.Errorf("%v = %d %q, want 2 and the usage", args, code, errs)
		}
	}
}

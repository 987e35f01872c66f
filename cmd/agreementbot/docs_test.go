package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The documentation's claims, checked against the program and the tree:
// the `ask --json` examples in docs/json.md, the configuration table in
// docs/operations.md, the README's sample answer and length, and every
// relative link in the README and docs/.

var jsonExample = regexp.MustCompile("(?s)`agreementbot ask --json ([^`]+)` \\(arrays and text shortened here\\):\n\n```json\n(.*?)\n```")

// TestJSONExamples keeps docs/json.md's `ask --json` examples true: each is
// the real output with arrays cut to two items and text to 90 runes, and
// every kind has one.
func TestJSONExamples(t *testing.T) {
	b, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := jsonExample.FindAllStringSubmatch(string(b), -1)
	kinds := map[string]bool{}
	for _, ex := range examples {
		query, doc := ex[1], ex[2]
		code, out, errs := runIn(t, env(), "", append([]string{"ask", "--json"}, strings.Fields(query)...)...)
		if code != 0 {
			t.Fatalf("ask --json %s: exit %d: %s", query, code, errs)
		}
		var got, want map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("docs/json.md: the example for %q is not JSON: %v", query, err)
		}
		for _, k := range []string{"results", "sources", "suggestions"} {
			if a, ok := got[k].([]any); ok && len(a) > 2 {
				got[k] = a[:2]
			}
		}
		if r := []rune(got["text"].(string)); len(r) > 90 {
			got["text"] = string(r[:90]) + "…"
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("docs/json.md: the example for %q is out of date:\n got %s\nwant %s", query, g, w)
		}
		kinds[got["kind"].(string)] = true
	}
	for _, k := range []string{"country", "no_agreement", "not_found", "topic", "list", "search", "from", "sources", "latest", "about", "help"} {
		if !kinds[k] {
			t.Errorf("docs/json.md has no ask --json example of kind %s", k)
		}
	}
}

// TestOperationsDocumentsEveryVariable keeps the configuration table in
// docs/operations.md equal to the variables table: the same names in the
// same order, each with its default and whether it is a secret.
func TestOperationsDocumentsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	const header = "| variable | default | secret | what it is |"
	_, table, ok := strings.Cut(string(b), header+"\n")
	if !ok {
		t.Fatalf("docs/operations.md has no table headed %q", header)
	}
	var rows [][]string
	for _, line := range strings.Split(table, "\n")[1:] { // after the |---| line
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	for i, v := range variables {
		if i >= len(rows) {
			t.Errorf("docs/operations.md: no row for %s", v.name)
			continue
		}
		r := rows[i]
		if len(r) != 4 {
			t.Errorf("docs/operations.md: row %d has %d cells, want 4: %q", i+1, len(r), r)
			continue
		}
		wantDef, wantSecret := "", ""
		if v.def != "" {
			wantDef = "`" + v.def + "`"
		}
		if v.secret {
			wantSecret = "yes"
		}
		if r[0] != "`"+v.name+"`" || r[1] != wantDef || r[2] != wantSecret || r[3] == "" {
			t.Errorf("docs/operations.md row %d = %q, want `%s` | %s | %s | a description", i+1, r, v.name, wantDef, wantSecret)
		}
	}
	for _, r := range rows[min(len(rows), len(variables)):] {
		t.Errorf("docs/operations.md documents %s, which the code does not read", r[0])
	}
}

var readmeSample = regexp.MustCompile("(?s)`go run ./cmd/agreementbot ask ([^`]+)`:\n\n```\n(.*?)\n```")

// TestREADMESample keeps the README's sample answer the real output of the
// command it names.
func TestREADMESample(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := readmeSample.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("README.md has no sample answer (`go run ./cmd/agreementbot ask ...`: and a code block)")
	}
	code, out, errs := runIn(t, env(), "", append([]string{"ask"}, strings.Fields(m[1])...)...)
	if code != 0 {
		t.Fatalf("ask %s: exit %d: %s", m[1], code, errs)
	}
	if got := strings.TrimRight(out, "\n"); got != m[2] {
		t.Errorf("README.md: the sample answer to %q is out of date; the command now prints:\n%s", m[1], got)
	}
}

// TestREADMEIsShort keeps the README a page a newcomer reads to the end;
// the rest belongs in docs/.
func TestREADMEIsShort(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n > 250 {
		t.Errorf("README.md has %d lines, want at most 250: move detail to docs/", n)
	}
}

var (
	fencedBlock = regexp.MustCompile("(?ms)^```.*?^```[ \t]*$")
	codeSpan    = regexp.MustCompile("`[^`\n]*`")
	mdLink      = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	mdHeading   = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$`)
)

// TestDocLinks checks every relative link in the README and docs/: the
// file it names exists, and a #fragment names a heading in it.
func TestDocLinks(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "../../README.md", "../../bench/README.md")
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel("../..", doc)
		text := codeSpan.ReplaceAllString(fencedBlock.ReplaceAllString(string(b), ""), "")
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(target, "#")
			file := doc
			if path != "" {
				file = filepath.Join(filepath.Dir(doc), path)
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link %q: no such file", name, target)
					continue
				}
			}
			if frag == "" {
				continue
			}
			if !strings.HasSuffix(file, ".md") {
				t.Errorf("%s: link %q: a fragment in a file that is not markdown", name, target)
				continue
			}
			if !headingSlugs(t, file)[frag] {
				t.Errorf("%s: link %q: no heading with that anchor in %s", name, target, path)
			}
		}
	}
}

// headingSlugs returns the anchors GitHub gives the headings of a markdown
// file: lower case, punctuation dropped, spaces as hyphens, and -1, -2...
// after repeats.
func headingSlugs(t *testing.T, file string) map[string]bool {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[string]bool{}
	seen := map[string]int{}
	for _, m := range mdHeading.FindAllStringSubmatch(fencedBlock.ReplaceAllString(string(b), ""), -1) {
		var s strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				s.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				s.WriteRune(r)
			}
		}
		slug := s.String()
		if n := seen[slug]; n > 0 {
			slugs[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			slugs[slug] = true
		}
		seen[slug]++
	}
	return slugs
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/agreementbot/agreementbot/internal/testkit"
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
	const path = "../../docs/json.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	doc := string(b)
	updated := jsonExample.ReplaceAllStringFunc(doc, func(ex string) string {
		m := jsonExample.FindStringSubmatch(ex)
		query, text := m[1], m[2]
		code, out, errs := runIn(t, env(), "", append([]string{"ask", "--json"}, strings.Fields(query)...)...)
		if code != 0 {
			t.Fatalf("ask --json %s: exit %d: %s", query, code, errs)
		}
		indented, got := shortenExample(t, out)
		kinds[got["kind"].(string)] = true
		if testkit.Updating() {
			return strings.Replace(ex, text, string(indented), 1)
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(text), &want); err != nil {
			t.Fatalf("docs/json.md: the example for %q is not JSON: %v", query, err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("docs/json.md: the example for %q is out of date (go test ./cmd/agreementbot -run JSONExamples -update rewrites it):\n got %s\nwant %s", query, g, w)
		}
		return ex
	})
	if testkit.Updating() && updated != doc {
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"country", "no_agreement", "not_found", "topic", "list", "search", "from", "sources", "latest", "since", "ranking", "totals", "map", "about", "help"} {
		if !kinds[k] {
			t.Errorf("docs/json.md has no ask --json example of kind %s", k)
		}
	}
}

// shortenExample cuts an answer as the examples show it (arrays to two
// items, text to 90 runes), keeping the keys in the order the program
// writes them. It returns the indented JSON and its decoded form.
func shortenExample(t *testing.T, out string) ([]byte, map[string]any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("ask --json output is not an object: %v\n%s", err, out)
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i := 0; dec.More(); i++ {
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		switch key {
		case "results", "sources", "suggestions":
			var a []json.RawMessage
			json.Unmarshal(v, &a)
			if len(a) > 2 {
				v, _ = json.Marshal(a[:2])
			}
		case "text":
			var s string
			json.Unmarshal(v, &s)
			if r := []rune(s); len(r) > 90 {
				v, _ = json.Marshal(string(r[:90]) + "…")
			}
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	var ind bytes.Buffer
	if err := json.Indent(&ind, buf.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	return ind.Bytes(), m
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
	got := strings.TrimRight(out, "\n")
	if testkit.Updating() && got != m[2] {
		if err := os.WriteFile("../../README.md", []byte(strings.Replace(string(b), m[2], got, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != m[2] {
		t.Errorf("README.md: the sample answer to %q is out of date (go test ./cmd/agreementbot -run READMESample -update rewrites it); the command now prints:\n%s", m[1], got)
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

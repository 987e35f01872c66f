package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The documentation's claims about the program, checked against the
// program: the `ask --json` examples in docs/json.md.

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

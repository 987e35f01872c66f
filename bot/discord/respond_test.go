package discord

import (
	"encoding/json"
	"testing"
)

// appendString must encode every string as encoding/json does, as far as
// a decoder can tell.
func checkAppendString(t *testing.T, s string) {
	t.Helper()
	b := appendString(nil, s)
	var got, want string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("appendString(%q) = %s, invalid JSON: %v", s, b, err)
	}
	ref, _ := json.Marshal(s)
	json.Unmarshal(ref, &want)
	if got != want {
		t.Fatalf("appendString(%q) decodes to %q, encoding/json's to %q", s, got, want)
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \\`, "ctl \x00\x1f\n\r\t", "ünïcödé 😀", "bad \xff\xfe utf8", "\u2028\u2029", "<&>"} {
		checkAppendString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("Uganda (signed)")
	f.Add("bad \xff")
	f.Fuzz(checkAppendString)
}

func TestAppendChoices(t *testing.T) {
	got := string(appendChoices(nil, nil))
	if got != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("no choices: %s", got)
	}
}

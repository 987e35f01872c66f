package knowledge_test

import (
	"slices"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// TestStatuses: the vocabulary is the caller's own copy, and Valid and
// Meaning agree with it.
func TestStatuses(t *testing.T) {
	want := []knowledge.Status{knowledge.Received, knowledge.Signed, knowledge.Agreed, knowledge.Announced,
		knowledge.Requested, knowledge.Refused, knowledge.Denied, knowledge.Ended, knowledge.Special}
	got := knowledge.Statuses()
	if !slices.Equal(got, want) {
		t.Fatalf("Statuses() = %v, want %v", got, want)
	}
	got[0] = "mangled"
	_ = append(got[:1], "appended")
	if again := knowledge.Statuses(); !slices.Equal(again, want) {
		t.Fatalf("after a caller changed its copy, Statuses() = %v, want %v", again, want)
	}
	for _, st := range want {
		if !st.Valid() || st.Meaning() == "" {
			t.Errorf("status %q: Valid() = %v, Meaning() = %q; want true and a meaning", st, st.Valid(), st.Meaning())
		}
	}
	for _, st := range []knowledge.Status{"", "mangled", "Signed", "signed ", "disputed"} {
		if st.Valid() {
			t.Errorf("Status(%q).Valid() = true, want false", st)
		}
	}
}

// TestCaveatLabels: every caveat a fact may carry has a label, and the
// reconstructed-wording caveat reads exactly as the bot shows it.
func TestCaveatLabels(t *testing.T) {
	for _, c := range []knowledge.Caveat{knowledge.SingleSource, knowledge.Weak, knowledge.Unconfirmed,
		knowledge.Disputed, knowledge.UnverifiedWording} {
		if c.Label() == "" {
			t.Errorf("Caveat(%q).Label() is empty", c)
		}
	}
	if got := knowledge.UnverifiedWording.Label(); got != "wording not verified" {
		t.Errorf("UnverifiedWording.Label() = %q, want %q", got, "wording not verified")
	}
	if got := knowledge.NoCaveat.Label(); got != "" {
		t.Errorf("NoCaveat.Label() = %q, want empty", got)
	}
}

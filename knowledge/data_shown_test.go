package knowledge_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Tests of what users see: no editors' notes, and reconstructed wording
// never in quotation marks.

// shownText is one text users can see, with where it comes from.
type shownText struct {
	where string // "ug.yaml summary", "topic overview facts", ...
	text  string
}

// shownTexts returns every text of the data that users can see: summaries,
// facts of every section, payments, people and totals, group names and
// notes, order notes, timeline texts and date notes, topic titles. Editor
// notes are the one thing left out.
func shownTexts(s *knowledge.Store) []shownText {
	var out []shownText
	add := func(where, text string) {
		if strings.TrimSpace(text) != "" {
			out = append(out, shownText{where, text})
		}
	}
	facts := func(where string, fs []knowledge.Fact) {
		for _, f := range fs {
			add(where, f.Text)
		}
	}
	events := func(where string, es []knowledge.Event) {
		for _, e := range es {
			add(where+" timeline", e.Text)
			add(where+" timeline date_note", e.Date.Note)
		}
	}
	for _, c := range s.Countries() {
		w := c.File
		add(w+" name", c.Name)
		add(w+" summary", c.Summary)
		add(w+" order_note", c.OrderNote)
		for name, fs := range map[string][]knowledge.Fact{
			"accepts": c.Accepts, "conditions": c.Conditions, "numbers": c.Numbers, "legal_basis": c.LegalBasis,
			"human_rights": c.HumanRights, "conflicts": c.Conflicts, "notes": c.Notes,
		} {
			facts(w+" "+name, fs)
		}
		for _, g := range c.Groups {
			add(w+" groups name", g.Name)
			add(w+" groups note", g.Note)
			add(w+" groups date_note", g.Date.Note)
		}
		for _, a := range c.Received {
			add(w+" received date_note", a.Date.Note)
		}
		for _, p := range c.People {
			add(w+" people", p.Text)
		}
		for _, p := range c.Payments {
			add(w+" payments", p.Text)
			add(w+" payments to", p.To)
		}
		events(w, c.Timeline)
	}
	for _, t := range s.Topics() {
		w := "topic " + t.ID
		add(w+" title", t.Title)
		add(w+" summary", t.Summary)
		facts(w+" facts", t.Facts)
		for _, tot := range t.Totals {
			add(w+" totals", tot.Text)
			add(w+" totals scope", tot.Scope)
		}
		events(w, t.Timeline)
	}
	return out
}

// editorsWords is the vocabulary of notes about how the facts were
// compiled, which belongs in editor_notes.
var editorsWords = regexp.MustCompile(`(?i)machine[- ]translat|translated (article|copy|version)|garble|AI-written|typo|reconstructed|low-reliability site|first (known|seen|reported) only`)

// TestNoEditorsNotesShown: no text users see talks about how the facts were
// compiled (garbles, typos, reconstructed wording, where a fact was first
// seen). Such notes go in editor_notes, which the bot never shows.
func TestNoEditorsNotesShown(t *testing.T) {
	s := store(t)
	for _, st := range shownTexts(s) {
		if m := editorsWords.FindString(st.text); m != "" {
			t.Errorf("%s: %q is an editor's note (%q): move it to editor_notes\n  %s", st.where, m, m, st.text)
		}
	}
	// The check itself: the words it must catch.
	for _, bad := range []string{"Garble: the article", "the machine-translated copy", "Machine translated", "the translated article says",
		"an AI-written summary", "evidently a typo", "wording reconstructed", "on a low-reliability site",
		"first known only from", "first seen only in"} {
		if !editorsWords.MatchString(bad) {
			t.Errorf("editorsWords does not match %q", bad)
		}
	}
}

// openingSingleQuote is a ' that opens a quotation: at the start of the
// text or after a space or bracket, before a letter. Apostrophes inside or
// at the end of words (Eswatini's, countries') are not quotation marks.
var openingSingleQuote = regexp.MustCompile(`(^|[\s(\[])'\pL`)

// TestUnverifiedWordingNotQuoted: a fact whose wording was reconstructed
// (caveat unverified_wording) is a paraphrase, never a quotation.
func TestUnverifiedWordingNotQuoted(t *testing.T) {
	s := store(t)
	check := func(where string, f knowledge.Fact) {
		if f.Caveat != knowledge.UnverifiedWording {
			return
		}
		if strings.ContainsAny(f.Text, "\"“”‘’") || openingSingleQuote.MatchString(f.Text) {
			t.Errorf("%s: a fact with caveat unverified_wording contains a quotation mark; paraphrase it without quotes:\n  %s", where, f.Text)
		}
	}
	for _, c := range s.Countries() {
		for _, fs := range [][]knowledge.Fact{c.Accepts, c.Conditions, c.Numbers, c.LegalBasis, c.HumanRights, c.Conflicts, c.Notes} {
			for _, f := range fs {
				check(c.File, f)
			}
		}
		for _, p := range c.People {
			check(c.File+" people", p.Fact)
		}
		for _, p := range c.Payments {
			check(c.File+" payments", p.Fact)
		}
		for _, e := range c.Timeline {
			check(c.File+" timeline", e.Fact)
		}
	}
	for _, tp := range s.Topics() {
		for _, f := range tp.Facts {
			check("topic "+tp.ID, f)
		}
		for _, tot := range tp.Totals {
			check("topic "+tp.ID+" totals", tot.Fact)
		}
		for _, e := range tp.Timeline {
			check("topic "+tp.ID+" timeline", e.Fact)
		}
	}
	// The check itself.
	for text, quoted := range map[string]bool{
		`She said "fear".`: true, "She said “fear”.": true, "the 'safe third country' rule": true,
		"Eswatini's prison and the countries' deals": false, "a plain paraphrase": false,
	} {
		got := strings.ContainsAny(text, "\"“”‘’") || openingSingleQuote.MatchString(text)
		if got != quoted {
			t.Errorf("quote check on %q = %v, want %v", text, got, quoted)
		}
	}
}

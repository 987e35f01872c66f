package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

// press answers a button's value as an adapter would.
func press(t *testing.T, value string) bot.Reply {
	t.Helper()
	if _, err := bot.ParseButton(value); err != nil {
		t.Fatalf("ParseButton(%q): %v", value, err)
	}
	return testBot().Handle(context.Background(), bot.Query{Button: value, Platform: "test"})
}

func buttonNamed(t *testing.T, r bot.Reply, label string) bot.Button {
	t.Helper()
	for _, b := range r.Buttons {
		if b.Label == label {
			return b
		}
	}
	t.Fatalf("%q (%s) has no %q button: %+v", r.Title, r.Kind, label, r.Buttons)
	return bot.Button{}
}

func TestCountryButtons(t *testing.T) {
	r := ask("uganda")
	if len(r.Buttons) != 3 {
		t.Fatalf("uganda buttons = %+v, want Timeline, Sources, Full card", r.Buttons)
	}
	tl := press(t, buttonNamed(t, r, "Timeline").Value)
	if len(tl.Timeline) == 0 || len(tl.Fields) != 0 || tl.Country == nil || tl.Country.Code != "UG" || tl.Visibility != bot.Private {
		t.Errorf("Timeline = %+v", tl)
	}
	if len(tl.Buttons) != 0 {
		t.Errorf("the Timeline answer has buttons of its own: %+v", tl.Buttons)
	}
	src := press(t, buttonNamed(t, r, "Sources").Value)
	if src.Kind != bot.KindSources || len(src.Sources) != len(r.Sources) {
		t.Errorf("Sources = %s with %d sources, want %d", src.Kind, len(src.Sources), len(r.Sources))
	}
	// Its pages are the sources', not the card's.
	if src.Pages() > 1 {
		if next := press(t, buttonNamed(t, src, "Next page").Value); next.Kind != bot.KindSources || next.PageNumber() != 2 {
			t.Errorf("Next page of the sources = %s page %d", next.Kind, next.PageNumber())
		}
	}
	if all := press(t, buttonNamed(t, src, "Full list").Value); all.Kind != bot.KindSources || !all.Full {
		t.Errorf("Full list of the sources = %s full %v", all.Kind, all.Full)
	}
	full := press(t, buttonNamed(t, r, "Full card").Value)
	if full.Kind != bot.KindCountry || !full.Full || full.Title != "Uganda" {
		t.Errorf("Full card = %s full %v %q", full.Kind, full.Full, full.Title)
	}
	// A focused answer offers the whole card too.
	f := ask("how much did the US pay Eswatini")
	if full := press(t, buttonNamed(t, f, "Full card").Value); !full.Full || full.Aspect != "" || full.Title != "Eswatini" {
		t.Errorf("Full card of a focused answer = %q aspect %q", full.Title, full.Aspect)
	}
}

func TestListButtons(t *testing.T) {
	r := ask("list")
	if r.Pages() < 2 || r.PageNumber() != 1 {
		t.Fatalf("list: %d pages, page %d", r.Pages(), r.PageNumber())
	}
	for _, b := range r.Buttons {
		if b.Label == "Previous page" {
			t.Errorf("page 1 has a Previous page button")
		}
	}
	p2 := press(t, buttonNamed(t, r, "Next page").Value)
	if p2.PageNumber() != 2 || p2.Kind != bot.KindList {
		t.Fatalf("Next page = %s page %d", p2.Kind, p2.PageNumber())
	}
	if p1 := press(t, buttonNamed(t, p2, "Previous page").Value); p1.PageNumber() != 1 {
		t.Errorf("Previous page from 2 = page %d", p1.PageNumber())
	}
	if all := press(t, buttonNamed(t, r, "Full list").Value); !all.Full || len(all.Results) != len(r.Results) {
		t.Errorf("Full list = full %v, %d results", all.Full, len(all.Results))
	}
	// A one-page list still has Full list and nothing else.
	one := ask("list caribbean signed")
	if one.Pages() != 1 || len(one.Buttons) != 1 || one.Buttons[0].Label != "Full list" {
		t.Errorf("one-page list buttons = %+v", one.Buttons)
	}
	// Search and latest page too.
	for _, q := range []string{"search deportees", "latest", "from cuba", "which african countries took deportees", "since 2025-01-01", "sources"} {
		r := ask(q)
		if len(r.Buttons) == 0 {
			t.Errorf("%q has no buttons", q)
		}
		for _, b := range r.Buttons {
			if got := press(t, b.Value); got.Kind != r.Kind {
				t.Errorf("%q: pressing %s gives %s, want %s", q, b.Label, got.Kind, r.Kind)
			}
		}
	}
}

// TestButtonKeys: every answer's buttons are short, fixed keys that parse
// back to themselves, and never carry what was typed.
func TestButtonKeys(t *testing.T) {
	typed := "which african countries took deportees SECRETWORD"
	qs := []string{"list", "from cuba", "search children", "latest", "since 2026-01-01", "court", typed}
	for _, c := range testBot().Store().Countries() {
		qs = append(qs, c.Name, "how much did the US pay "+c.Name)
	}
	for _, q := range qs {
		for _, b := range ask(q).Buttons {
			if len(b.Value) > bot.MaxButtonKey || strings.Contains(b.Value, "SECRETWORD") {
				t.Errorf("%q: button %s value %q", q, b.Label, b.Value)
			}
			a, err := bot.ParseButton(b.Value)
			if err != nil || bot.ButtonKey(a) != b.Value {
				t.Errorf("%q: button %q does not round-trip: %+v %v", q, b.Value, a, err)
			}
		}
	}
	// A search too long for a button key gets no page buttons.
	long := "search " + strings.Repeat("deportees ", 12)
	if r := ask(long); len(r.Buttons) != 0 {
		t.Errorf("a long search has buttons %+v", r.Buttons)
	}
}

func TestTamperedButtons(t *testing.T) {
	d := testBot().Store().Digest()
	for _, v := range []string{"", "v1", "v2:" + d + ":card:c/UG", "v1:XYZ:card:c/UG", "v1:" + d + ":delete:c/UG",
		"v1:" + d + ":page:0:l//", "v1:" + d + ":page:x:l//", "v1:" + d + ":card:c/<script>", "v1:" + d + ":card:zz",
		"v1:" + d + ":page:01:l//", strings.Repeat("v1:", 40)} {
		if _, err := bot.ParseButton(v); err == nil {
			t.Errorf("ParseButton(%q) accepted a value the bot never makes", v)
		}
		if v == "" {
			continue
		}
		r := testBot().Handle(context.Background(), bot.Query{Button: v})
		if r.Kind != bot.KindHelp || r.Notice == "" || r.Visibility != bot.Private {
			t.Errorf("pressing %q: %s %q, want a polite private reply", v, r.Kind, r.Notice)
		}
	}
	// Well formed but about nothing: a polite private reply.
	for _, v := range []string{"v1:" + d + ":card:c/ZZ", "v1:" + d + ":page:2:l/atlantis/", "v1:" + d + ":timeline:l//"} {
		r := press(t, v)
		if r.Kind != bot.KindHelp || r.Notice == "" || r.Visibility != bot.Private {
			t.Errorf("%q: %s %q, want help with a notice, private", v, r.Kind, r.Notice)
		}
	}
	// From older data: answered from the current data, saying so.
	r := press(t, "v1:00000000:card:c/UG")
	if r.Kind != bot.KindCountry || !strings.Contains(r.Notice, "updated") {
		t.Errorf("an old button: %s notice %q", r.Kind, r.Notice)
	}
}

// FuzzParseButton: never panics, and whatever it accepts writes back the
// same.
func FuzzParseButton(f *testing.F) {
	for _, s := range []string{"v1:0db34b73:card:c/UG", "v1:0db34b73:page:2:l/africa/received", "v1:0db34b73:all:s/cecot+prison", "v1:", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := bot.ParseButton(s)
		if err != nil {
			return
		}
		if got := bot.ButtonKey(a); got != s {
			t.Errorf("ParseButton(%q) = %+v, written back as %q", s, a, got)
		}
		testBot().Handle(context.Background(), bot.Query{Button: s})
	})
}

// TestFullListIsTheSameAnswer: a list, from or ranking answer's Full list
// button gives the same rows, whatever filter the question had; a ranking
// narrowed by status kept only its region before.
func TestFullListIsTheSameAnswer(t *testing.T) {
	for _, q := range []string{
		"which country that signed received the most deportees",
		"which african country received the most deportees",
		"which country received the most deportees",
		"which african countries took deportees",
		"list caribbean signed",
		"which countries that signed took people from venezuela",
		"from cuba",
	} {
		r := ask(q)
		all := press(t, buttonNamed(t, r, "Full list").Value)
		if all.Kind != r.Kind || all.Filter != r.Filter || len(all.Results) != len(r.Results) {
			t.Errorf("%q: %s %+v with %d rows; its Full list: %s %+v with %d rows", q, r.Kind, r.Filter, len(r.Results), all.Kind, all.Filter, len(all.Results))
		}
	}
	// A ranking's key from before it kept the status still means the
	// ranking by region alone.
	d := testBot().Store().Digest()
	old := press(t, "v1:"+d+":all:r/africa")
	if old.Kind != bot.KindRanking || old.Filter != (bot.Filter{Region: "africa"}) {
		t.Errorf("an old ranking key: %s %+v", old.Kind, old.Filter)
	}
}

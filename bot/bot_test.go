package bot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

var testBot = sync.OnceValue(func() *bot.Bot {
	s, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		panic(err)
	}
	return bot.New(s, bot.Options{Version: "test"})
})

func ask(text string) bot.Reply {
	return testBot().Handle(context.Background(), bot.Query{Text: text, Platform: "test"})
}

// golden compares got with testdata/golden/name (go test -update rewrites it).
func golden(t *testing.T, name, got string) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", "golden", name), []byte(got))
}

// TestGoldenCountries renders every country card in the store.
func TestGoldenCountries(t *testing.T) {
	for _, c := range testBot().Store().Countries() {
		t.Run(c.Code, func(t *testing.T) {
			r := ask(c.Name)
			if r.Kind != bot.KindCountry || r.Country == nil || r.Country.Code != c.Code {
				t.Fatalf("ask(%q) = kind %s country %+v, want the %s card", c.Name, r.Kind, r.Country, c.Code)
			}
			golden(t, "country-"+strings.ToLower(c.Code)+".txt", r.Text())
		})
	}
}

// TestGoldenCommands renders every command and topic.
func TestGoldenCommands(t *testing.T) {
	cases := []struct {
		name, query string
		kind        bot.Kind
	}{
		{"help", "help", bot.KindHelp},
		{"empty", "", bot.KindHelp},
		{"about", "about", bot.KindAbout},
		{"list", "list", bot.KindList},
		{"list-refused", "list refused", bot.KindList},
		{"list-requested", "list requested", bot.KindList},
		{"list-special", "list special", bot.KindList},
		{"list-paid", "list paid", bot.KindList},
		{"list-bad", "list nonsense", bot.KindHelp},
		{"search-children", "search children", bot.KindSearch},
		{"search-venezuelans", "search Venezuelans", bot.KindSearch},
		{"search-none", "search zebra", bot.KindSearch},
		{"search-empty", "search", bot.KindHelp},
		{"from-cuba", "from cuba", bot.KindFrom},
		{"from-question", "which countries took people from Cuba?", bot.KindFrom},
		{"from-venezuelans", "from venezuelans", bot.KindFrom},
		{"from-nigerians", "from nigerians", bot.KindFrom},
		{"from-mexico", "from mexico", bot.KindFrom}, // Honduras's arrivals are disputed
		{"from-unknown", "from atlantis", bot.KindNotFound},
		{"sources-uganda", "sources uganda", bot.KindSources},
		{"sources-all", "sources", bot.KindSources},
		{"latest", "latest", bot.KindLatest},
		{"new", "new", bot.KindLatest},
		{"latest-eswatini", "latest eswatini", bot.KindLatest},
		{"since", "since 2026-01-01", bot.KindLatest},
		{"since-bad", "since yesterday", bot.KindHelp},
		{"topic-law", "law", bot.KindTopic},
		{"topic-court", "supreme court", bot.KindTopic},
		{"topic-overview", "how many", bot.KindTopic},
		{"topic-money", "money", bot.KindTopic},
		{"no-agreement-france", "France", bot.KindNoAgreement},
		{"not-found", "xyzzy", bot.KindNotFound},
		{"did-you-mean", "congo", bot.KindNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ask(c.query)
			if r.Kind != c.kind {
				t.Fatalf("ask(%q).Kind = %s, want %s", c.query, r.Kind, c.kind)
			}
			golden(t, "cmd-"+c.name+".txt", r.Text())
		})
	}
}

func TestEveryAnswerShowsAsOf(t *testing.T) {
	asOf := testBot().Store().AsOf().ISO()
	for _, q := range []string{"uganda", "list", "from cuba", "search children", "latest", "court", "France", "xyzzy", "help", "about", "sources uganda", "list nonsense"} {
		r := ask(q)
		if r.AsOf != asOf || !strings.Contains(r.Text(), asOf) {
			t.Errorf("ask(%q): as-of %q, text without %s", q, r.AsOf, asOf)
		}
	}
}

func TestVisibility(t *testing.T) {
	for q, want := range map[string]bot.Visibility{
		"uganda": bot.Public, "france": bot.Public, "court": bot.Public, "list": bot.Public,
		"search children": bot.Public, "from cuba": bot.Public, "sources uganda": bot.Public, "latest": bot.Public,
		"help": bot.Private, "about": bot.Private, "xyzzy": bot.Private, "list nonsense": bot.Private,
	} {
		if got := ask(q).Visibility; got != want {
			t.Errorf("ask(%q).Visibility = %v, want %v", q, got, want)
		}
	}
	s := testBot().Store()
	private := bot.New(s, bot.Options{Visibility: bot.Private})
	if got := private.Handle(context.Background(), bot.Query{Text: "uganda"}).Visibility; got != bot.Private {
		t.Errorf("with REPLY_VISIBILITY=private, uganda is %v, want private", got)
	}
}

func TestGrammar(t *testing.T) {
	cases := []struct {
		query string
		kind  bot.Kind
		code  string // country code for country and no_agreement
	}{
		{"/agreement uganda", bot.KindCountry, "UG"},
		{"/AGREEMENT Uganda", bot.KindCountry, "UG"},
		{"@agreementbot uganda", bot.KindCountry, "UG"},
		{"query:uganda", bot.KindCountry, "UG"},
		{"does rwanda take deportees?", bot.KindCountry, "RW"},
		{"which countries took people from Cuba?", bot.KindFrom, ""},
		{"which countries take venezuelans?", bot.KindFrom, ""},
		{"what's new in ghana", bot.KindLatest, ""},
		{"Peru", bot.KindCountry, "PE"},
		{"list received", bot.KindList, ""},
		{"LIST", bot.KindList, ""},
		{"find children", bot.KindSearch, ""},
		{"Swaziland", bot.KindCountry, "SZ"},
		{"South Sudan", bot.KindCountry, "SS"},
		{"Sudan", bot.KindNoAgreement, "SD"},
		{"Nigeria", bot.KindCountry, "NG"},
		{"Niger", bot.KindNoAgreement, "NE"},
		{"Dominica", bot.KindCountry, "DM"},
		{"Dominican Republic", bot.KindNoAgreement, "DO"},
		{"Guinea", bot.KindNoAgreement, "GN"},
		{"Equatorial Guinea", bot.KindCountry, "GQ"},
		{"Guinea-Bissau", bot.KindCountry, "GW"},
		{"safe third country", bot.KindTopic, ""},
		{"INA 208", bot.KindTopic, ""},
		{"D.V.D.", bot.KindTopic, ""},
		{"totals", bot.KindTopic, ""},
		{"payments", bot.KindTopic, ""},
		{"what is the capital of mars", bot.KindNotFound, ""},
	}
	for _, c := range cases {
		r := ask(c.query)
		if r.Kind != c.kind {
			t.Errorf("ask(%q).Kind = %s, want %s", c.query, r.Kind, c.kind)
			continue
		}
		if c.code != "" && (r.Country == nil || r.Country.Code != c.code) {
			t.Errorf("ask(%q).Country = %+v, want %s", c.query, r.Country, c.code)
		}
	}
}

func TestMalformedCommandsStateTheProblemFirst(t *testing.T) {
	for _, q := range []string{"search", "list nonsense", "since", "since 2026-13-01", "from"} {
		r := ask(q)
		if r.Kind != bot.KindHelp || r.Notice == "" || !strings.HasPrefix(r.Text(), r.Notice) {
			t.Errorf("ask(%q) = kind %s notice %q; want help with the problem first", q, r.Kind, r.Notice)
		}
	}
}

func TestHelpListsEveryCommandWord(t *testing.T) {
	text := ask("help").Text()
	for _, w := range []string{"list", "search", "from", "sources", "latest", "since", "about", "help", "law", "court", "overview", "money"} {
		if !strings.Contains(text, w) {
			t.Errorf("help does not mention %q", w)
		}
	}
}

// TestJSONContract checks that every key is present for every kind, that
// arrays are never null and country is null when it does not apply.
func TestJSONContract(t *testing.T) {
	keys := []string{"kind", "query", "country", "results", "suggestions", "sources", "as_of", "text"}
	for _, q := range []string{"uganda", "France", "xyzzy", "court", "list", "search children", "from cuba", "sources uganda", "latest", "about", "help", "since 2026-01-01"} {
		r := ask(q)
		b, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			v, ok := m[k]
			if !ok {
				t.Errorf("ask --json %q: key %q missing", q, k)
				continue
			}
			if k != "country" && string(v) == "null" {
				t.Errorf("ask --json %q: %s is null", q, k)
			}
		}
		wantCountry := r.Kind == bot.KindCountry || r.Kind == bot.KindNoAgreement
		if (string(m["country"]) != "null") != wantCountry {
			t.Errorf("ask --json %q (%s): country = %s", q, r.Kind, m["country"])
		}
		if string(m["query"]) != `"`+q+`"` {
			t.Errorf("ask --json %q: query = %s", q, m["query"])
		}
	}
	var fr struct {
		Country struct{ Code, Name, Status string }
	}
	b, _ := ask("France").JSON()
	if err := json.Unmarshal(b, &fr); err != nil || fr.Country.Status != "none" || fr.Country.Code != "FR" {
		t.Errorf("France JSON country = %+v, want code FR status none", fr.Country)
	}
	var lt struct {
		Results []map[string]string
	}
	b, _ = ask("latest").JSON()
	if err := json.Unmarshal(b, &lt); err != nil || len(lt.Results) != 10 {
		t.Fatalf("latest JSON results = %d (%v), want 10", len(lt.Results), err)
	}
	for _, res := range lt.Results {
		for _, k := range []string{"code", "name", "status", "date", "event"} {
			if _, ok := res[k]; !ok {
				t.Errorf("latest result %v lacks %q", res, k)
			}
		}
	}
}

func TestCompleteOffersCountriesFirst(t *testing.T) {
	b := testBot()
	got := b.Complete(context.Background(), "gu")
	if len(got) == 0 || len(got) > 25 {
		t.Fatalf("Complete(gu) gave %d choices", len(got))
	}
	if !strings.HasPrefix(got[0].Name, "Guatemala") && !strings.HasPrefix(got[0].Name, "Guyana") && !strings.HasPrefix(got[0].Name, "Guinea-Bissau") {
		t.Errorf("Complete(gu)[0] = %+v, want a country on record first", got[0])
	}
	for _, c := range got {
		if len([]rune(c.Name)) > 100 || c.Value == "" {
			t.Errorf("bad choice %+v", c)
		}
	}
	if got := b.Complete(context.Background(), "ugnada"); len(got) == 0 || got[0].Value != "uganda" {
		t.Errorf("Complete(ugnada) = %+v, want uganda first", got)
	}
	if got := b.Complete(context.Background(), "lis"); len(got) == 0 || got[len(got)-1].Value != "list" {
		t.Errorf("Complete(lis) = %+v, want the list command", got)
	}
}

func TestHelpShowsTheAdaptersUsageFirst(t *testing.T) {
	use := []string{"/agreement <query> here", "a second way"}
	r := testBot().Handle(context.Background(), bot.Query{Text: "help", Platform: "x", Usage: use})
	if len(r.Fields) == 0 || r.Fields[0].Name != "How to ask here" || !slices.Equal(r.Fields[0].Items, use) {
		t.Errorf("help fields = %+v, want the usage lines first", r.Fields)
	}
	// Only help shows them.
	r = testBot().Handle(context.Background(), bot.Query{Text: "uganda", Usage: use})
	if strings.Contains(r.Text(), use[0]) {
		t.Errorf("a country card shows the usage lines:\n%s", r.Text())
	}
	// Without usage lines, help starts with the commands.
	r = testBot().Handle(context.Background(), bot.Query{Text: "help"})
	if len(r.Fields) == 0 || r.Fields[0].Name != "Commands" {
		t.Errorf("help without usage: fields = %+v", r.Fields)
	}
}

// FuzzHandle feeds the grammar anything: it must never panic, and every
// reply is a known kind with the as-of date and a non-empty rendering.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"uganda", "/agreement list refused", "from cuba", "search children", "since 2026-01-01",
		"latest ghana", "which countries took people from Cuba?", "query:ugnada", "list", "", "sources", "help", "México", "Суазиленд", "\x00", "from", "since 9999-99-99"} {
		f.Add(s)
	}
	known := map[bot.Kind]bool{}
	for _, k := range []bot.Kind{bot.KindCountry, bot.KindNoAgreement, bot.KindNotFound, bot.KindTopic, bot.KindList, bot.KindSearch,
		bot.KindFrom, bot.KindSources, bot.KindLatest, bot.KindAbout, bot.KindHelp} {
		known[k] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := ask(text)
		if !known[r.Kind] {
			t.Fatalf("ask(%q).Kind = %q", text, r.Kind)
		}
		if r.AsOf == "" || r.Text() == "" {
			t.Fatalf("ask(%q): empty as-of or text", text)
		}
		if _, err := r.JSON(); err != nil {
			t.Fatalf("ask(%q).JSON: %v", text, err)
		}
		if r.Kind == bot.KindCountry {
			// A resolved country's own name resolves to it again.
			again := ask(r.Country.Name)
			if again.Country == nil || again.Country.Code != r.Country.Code {
				t.Fatalf("ask(%q) = %s, but ask(%q) = %+v", text, r.Country.Code, r.Country.Name, again.Country)
			}
		}
	})
}

func TestRecoverTurnsAPanicIntoAnApology(t *testing.T) {
	var got any
	h := bot.Recover(bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { panic("boom") }), func(v any, stack []byte) {
		if len(stack) == 0 {
			t.Error("no stack")
		}
		got = v
	})
	r := h.Handle(context.Background(), bot.Query{Text: "uganda"})
	if r.Kind != bot.KindError || r.Visibility != bot.Private || got != "boom" || strings.Contains(r.Text(), "boom") {
		t.Errorf("reply %+v, reported %v", r, got)
	}
}

// TestReplyEqualCoversEveryField fails when Reply gains a field that Equal
// and Clone do not know about, which would let an adapter's render cache
// serve a stale rendering.
func TestReplyEqualCoversEveryField(t *testing.T) {
	known := map[string]bool{
		"Kind": true, "Query": true, "Visibility": true, "Notice": true, "Title": true, "Status": true,
		"Disputed": true, "Summary": true, "Fields": true, "Timeline": true, "Results": true,
		"Suggestions": true, "Sources": true, "Country": true, "AsOf": true, "More": true,
	}
	rt := reflect.TypeFor[bot.Reply]()
	for i := range rt.NumField() {
		if f := rt.Field(i); f.IsExported() && !known[f.Name] {
			t.Errorf("bot.Reply has a new field %s: compare it in Equal and copy it in Clone", f.Name)
		}
	}
	a := ask("uganda")
	b := a.Clone()
	b.Query = "UGANDA"
	if !a.Equal(&b) {
		t.Error("a clone with another Query is not Equal")
	}
	b.Sources[1].URL = "https://example.org/changed"
	if a.Equal(&b) || a.Sources[1].URL == b.Sources[1].URL {
		t.Error("a changed source URL is Equal, or Clone shares the slice")
	}
	c := a.Clone()
	c.Fields[0].Items[0] = "changed"
	if a.Equal(&c) || a.Fields[0].Items[0] == "changed" {
		t.Error("a changed field item is Equal, or Clone shares the items")
	}
}

func TestOverlongQueriesGetHelp(t *testing.T) {
	r := ask(strings.Repeat("a ", 2000))
	if r.Kind != bot.KindHelp || !strings.Contains(r.Notice, "4000 characters") {
		t.Errorf("overlong query: kind %s notice %q", r.Kind, r.Notice)
	}
	if r := ask(strings.Repeat("x", bot.MaxQuery)); r.Kind == bot.KindHelp && r.Notice != "" {
		t.Errorf("a query of exactly MaxQuery characters was refused")
	}
}

// TestCommandWordsAreAcceptedAndShown: every argument word in the command
// table is accepted by the parser and shown by help, so the two cannot
// drift apart.
func TestCommandWordsAreAcceptedAndShown(t *testing.T) {
	help := ask("help").Text()
	n := 0
	for _, c := range bot.CommandWords() {
		for _, w := range c.Words {
			n++
			q := c.Name + " " + w
			if r := ask(q); r.Kind == bot.KindHelp || r.Notice != "" {
				t.Errorf("%q is in the command table but gets help: %s", q, r.Text())
			}
			if !strings.Contains(help, w) {
				t.Errorf("help does not show %q, an argument of %s", w, c.Name)
			}
		}
	}
	if n == 0 {
		t.Fatal("the command table lists no argument words")
	}
	if r := ask("list nonsense"); r.Kind != bot.KindHelp || r.Notice == "" {
		t.Errorf("list nonsense = %s, want help with the problem", r.Kind)
	}
}

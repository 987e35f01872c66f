package bot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

// testNow is the clock of the test bot: a fixed day, so the facts' age in
// golden files does not change from one day to the next.
func testNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

var testBot = sync.OnceValue(func() *bot.Bot {
	s, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		panic(err)
	}
	return bot.New(s, bot.Options{Version: "test", Now: testNow, CorrectionsURL: "https://example.org/corrections"})
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
		{"since", "since 2026-01-01", bot.KindSince},
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
// arrays are never null, that country is filled exactly when the answer is
// about one country, and the shape of each kind's results.
func TestJSONContract(t *testing.T) {
	keys := []string{"schema_version", "kind", "query", "aspect", "filter", "country", "results", "suggestions", "sources", "as_of", "image", "text"}
	withCountry := map[string]bool{"uganda": true, "France": true, "sources uganda": true, "latest ghana": true, "how much did the US pay Eswatini": true}
	for _, q := range []string{"uganda", "France", "xyzzy", "court", "list", "search children", "from cuba", "sources uganda",
		"sources", "latest", "latest ghana", "about", "help", "since 2026-01-01", "how much did the US pay Eswatini",
		"which african countries took deportees", "which country received the most deportees", "how many people in total", "map africa"} {
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
		var f map[string]string
		if err := json.Unmarshal(m["filter"], &f); err != nil || len(f) != 2 || f["region"] != r.Filter.Region || f["status"] != r.Filter.Status {
			t.Errorf("ask --json %q: filter = %s, want {region, status} of %+v", q, m["filter"], r.Filter)
		}
		if string(m["aspect"]) != `"`+string(r.Aspect)+`"` {
			t.Errorf("ask --json %q: aspect = %s", q, m["aspect"])
		}
		if string(m["schema_version"]) != strconv.Itoa(bot.SchemaVersion) {
			t.Errorf("ask --json %q: schema_version = %s", q, m["schema_version"])
		}
		if (string(m["country"]) != "null") != withCountry[q] {
			t.Errorf("ask --json %q (%s): country = %s", q, r.Kind, m["country"])
		}
		if string(m["query"]) != `"`+q+`"` {
			t.Errorf("ask --json %q: query = %s", q, m["query"])
		}
		var srcs []map[string]any
		json.Unmarshal(m["sources"], &srcs)
		for _, src := range srcs {
			id, _ := src["id"].(string)
			if !strings.HasPrefix(id, "S") || !strings.Contains(r.Text(), id) && r.Kind != bot.KindSources {
				t.Errorf("ask --json %q: source id %q not cited in the text", q, id)
			}
			if rel := src["reliability"]; rel != "normal" && rel != "low" {
				t.Errorf("ask --json %q: source %s reliability %v", q, id, rel)
			}
			if o, _ := src["outlet"].(string); strings.Contains(o, "reliability") {
				t.Errorf("ask --json %q: outlet %q carries the reliability", q, o)
			}
			checkISODate(t, q, src["date"], src["date_text"])
		}
	}
	var c struct {
		Country struct {
			Code, Name, Status string
			Disputed           bool
		}
	}
	b, _ := ask("France").JSON()
	if err := json.Unmarshal(b, &c); err != nil || c.Country.Status != "none" || c.Country.Code != "FR" {
		t.Errorf("France JSON country = %+v, want code FR status none", c.Country)
	}
	b, _ = ask("uganda").JSON()
	if err := json.Unmarshal(b, &c); err != nil || c.Country.Code != "UG" || !c.Country.Disputed {
		t.Errorf("Uganda JSON country = %+v, want UG disputed", c.Country)
	}
	for _, q := range []string{"latest", "since 2026-01-01"} {
		var lt struct {
			Kind    string
			Results []map[string]any
		}
		b, _ = ask(q).JSON()
		if err := json.Unmarshal(b, &lt); err != nil || len(lt.Results) == 0 {
			t.Fatalf("%s JSON results = %d (%v)", q, len(lt.Results), err)
		}
		if want := strings.Fields(q)[0]; lt.Kind != want {
			t.Errorf("%s: kind %q, want %q", q, lt.Kind, want)
		}
		for _, res := range lt.Results {
			if len(res) != 6 {
				t.Errorf("%s result %v: want exactly code, name, status, date, date_text, event", q, res)
			}
			checkISODate(t, q, res["date"], res["date_text"])
		}
	}
	var fr struct {
		Results []struct {
			Code  string
			Stage string
			Count *int
		}
	}
	b, _ = ask("from cuba").JSON()
	if err := json.Unmarshal(b, &fr); err != nil || len(fr.Results) == 0 {
		t.Fatalf("from cuba JSON: %v", err)
	}
	counted := false
	for _, res := range fr.Results {
		if res.Stage != "agreed" && res.Stage != "received" {
			t.Errorf("from cuba %s: stage %q", res.Code, res.Stage)
		}
		if res.Count != nil {
			counted = true
			if res.Stage != "received" || *res.Count <= 0 {
				t.Errorf("from cuba %s: count %d at stage %s", res.Code, *res.Count, res.Stage)
			}
		}
	}
	if !counted {
		t.Error("from cuba: no result carries a count")
	}
}

// checkISODate checks a JSON date: ISO 8601 at its precision (2026,
// 2026-03, 2026-03-11) or "" with the wording saying it is unknown.
func checkISODate(t *testing.T, q string, date, text any) {
	t.Helper()
	d, _ := date.(string)
	dt, _ := text.(string)
	if d == "" {
		if dt != "" && dt != "date unknown" {
			t.Errorf("%s: date \"\" but date_text %q", q, dt)
		}
		return
	}
	if !regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`).MatchString(d) || dt == "" {
		t.Errorf("%s: date %q date_text %q", q, d, dt)
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
		bot.KindFrom, bot.KindSources, bot.KindLatest, bot.KindSince, bot.KindAbout, bot.KindHelp} {
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
	for _, c := range testBot().CommandWords() {
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

// TestFactsAge: every answer states the as-of date and its age from the
// bot's clock; past 90 days it says newer reporting may exist; full cards
// say where to report a wrong fact.
func TestFactsAge(t *testing.T) {
	s := testBot().Store()
	asOf := s.AsOfTime()
	for _, tc := range []struct {
		after time.Duration
		age   string
		stale bool
	}{
		{2 * time.Hour, "today", false},
		{30 * time.Hour, "yesterday", false},
		{5 * 24 * time.Hour, "5 days ago", false},
		{30 * 24 * time.Hour, "4 weeks ago", false},
		{89 * 24 * time.Hour, "2 months ago", false},
		{91 * 24 * time.Hour, "2 months ago", true},
		{264 * 24 * time.Hour, "8 months ago", true},
		{800 * 24 * time.Hour, "2 years ago", true},
	} {
		now := asOf.Add(tc.after)
		b := bot.New(s, bot.Options{Now: func() time.Time { return now }, CorrectionsURL: "https://example.org/fix"})
		for _, q := range []string{"uganda", "list", "from cuba", "court", "help"} {
			r := b.Handle(context.Background(), bot.Query{Text: q})
			text := r.Text()
			if r.Age != tc.age || r.Stale != tc.stale {
				t.Errorf("%v after as-of, %q: age %q stale %v, want %q %v", tc.after, q, r.Age, r.Stale, tc.age, tc.stale)
			}
			if want := "Facts as of " + r.AsOf + ", " + tc.age + "."; !strings.Contains(text, want) {
				t.Errorf("%q: text lacks %q:\n%s", q, want, text)
			}
			if strings.Contains(text, "Newer reporting may exist") != tc.stale {
				t.Errorf("%v after as-of, %q: stale notice shown = %v, want %v", tc.after, q, !tc.stale, tc.stale)
			}
			card := r.Kind == bot.KindCountry || r.Kind == bot.KindTopic
			if strings.Contains(text, "Report a wrong fact: https://example.org/fix") != card {
				t.Errorf("%q (%s): corrections line shown = %v, want %v", q, r.Kind, !card, card)
			}
		}
	}
	if r := testBot().Handle(context.Background(), bot.Query{Text: "about"}); !strings.Contains(r.Text(), "https://example.org/corrections") {
		t.Errorf("about does not say where to report a wrong fact:\n%s", r.Text())
	}
}

func TestAboutShowsTheDataDigest(t *testing.T) {
	d := testBot().Store().Digest()
	if len(d) != 8 || !strings.Contains(ask("about").Text(), "data "+d) {
		t.Errorf("about does not show the data digest %q:\n%s", d, ask("about").Text())
	}
}

// TestNoEditorsNotesInAnswers: what maintainers note about how the facts
// were compiled never reaches a reader: no answer, full or short, contains
// an editor note or the vocabulary of one.
func TestNoEditorsNotesInAnswers(t *testing.T) {
	s := testBot().Store()
	notes := s.EditorNotes()
	if len(notes) == 0 {
		t.Fatal("the data has no editor notes; this test checks nothing")
	}
	vocab := regexp.MustCompile(`(?i)machine[- ]translat|translated (article|copy|version)|garble|AI-written|reconstructed from`)
	var qs []string
	for _, c := range s.Countries() {
		qs = append(qs, c.Name, "sources "+c.Name, "latest "+c.Name)
		for _, a := range []string{"money", "numbers", "people", "dates", "terms", "status", "rights", "law"} {
			qs = append(qs, "how about "+a+" in "+c.Name)
		}
	}
	for _, tp := range s.Topics() {
		qs = append(qs, tp.ID)
	}
	qs = append(qs, "list", "latest", "since 2025-01-01", "from cuba", "overview", "about")
	// Editor notes are not searched either.
	for _, w := range []string{"garble", "machine translated", "AI-written"} {
		if r := ask("search " + w); len(r.Results) != 0 {
			t.Errorf("search %s finds %d facts", w, len(r.Results))
		}
	}
	for _, q := range qs {
		r := ask(q)
		text := r.Text() + strings.Join(r.Highlights, "\n")
		if m := vocab.FindString(text); m != "" {
			t.Errorf("%q shows an editor's word %q", q, m)
		}
		for _, n := range notes {
			if probe := firstWords(n.Text, 8); strings.Contains(text, probe) {
				t.Errorf("%q shows the editor note of %s (%s:%d): %q", q, n.Owner, n.File, n.Line, probe)
			}
		}
	}
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(n, len(w))], " ")
}

func TestHighlightsCutAtSentences(t *testing.T) {
	r := ask("law")
	for _, h := range r.Highlights {
		if strings.HasSuffix(strings.TrimSpace(strings.Split(h, " [")[0]), "U.S.") {
			t.Errorf("law highlight cut at an abbreviation: %q", h)
		}
	}
}

// TestCacheKey: an answer's cache key changes with everything the answer
// depends on, and is empty for answers that must not be reused.
func TestCacheKey(t *testing.T) {
	s := testBot().Store()
	day1 := bot.New(s, bot.Options{Now: testNow})
	day2 := bot.New(s, bot.Options{Now: func() time.Time { return testNow().Add(24 * time.Hour) }})
	private := bot.New(s, bot.Options{Now: testNow, Visibility: bot.Private})
	h := func(b *bot.Bot, q bot.Query) bot.Reply { return b.Handle(context.Background(), q) }
	k := h(day1, bot.Query{Text: "uganda"}).CacheKey
	if k == "" || k != h(day1, bot.Query{Text: " uganda "}).CacheKey || !strings.Contains(k, s.Digest()) {
		t.Errorf("uganda's key %q: empty, unstable or without the data digest", k)
	}
	for what, other := range map[string]string{
		"another day":        h(day2, bot.Query{Text: "uganda"}).CacheKey,
		"private":            h(private, bot.Query{Text: "uganda"}).CacheKey,
		"other words":        h(day1, bot.Query{Text: "Uganda"}).CacheKey,
		"another answer":     h(day1, bot.Query{Text: "ghana"}).CacheKey,
		"a question of it":   h(day1, bot.Query{Text: "how much did the US pay uganda"}).CacheKey,
		"another day's list": h(day2, bot.Query{Text: "list"}).CacheKey,
	} {
		if other == k {
			t.Errorf("%s has uganda's key %q", what, k)
		}
	}
	// A button's answer is kept by its value: a question typed as that
	// value (or with the key's own separators) never shares its key.
	card := h(day1, bot.Query{Text: "uganda"})
	v := card.Buttons[0].Value
	bk := h(day1, bot.Query{Button: v}).CacheKey
	if bk == "" || bk != h(day1, bot.Query{Button: v}).CacheKey || !strings.Contains(bk, s.Digest()) {
		t.Errorf("button %q: key %q empty, unstable or without the data digest", v, bk)
	}
	for what, other := range map[string]string{
		"another button":      h(day1, bot.Query{Button: card.Buttons[1].Value}).CacheKey,
		"another day":         h(day2, bot.Query{Button: v}).CacheKey,
		"the value typed":     h(private, bot.Query{Text: v}).CacheKey,
		"the key's own shape": h(private, bot.Query{Text: "b:" + v}).CacheKey,
		"uganda":              k,
	} {
		if other == bk {
			t.Errorf("%s has the button's key %q", what, bk)
		}
	}
	if key := h(day1, bot.Query{Text: "map"}).CacheKey; key != "" {
		t.Errorf("a map has a cache key %q", key)
	}
}

// TestOneDayOneAnswer: the words of a time ("in january", "this week") are
// read on the same (UTC) day as the cache key's, so two answers with one
// cache key are one answer, whatever the clock's time zone.
func TestOneDayOneAnswer(t *testing.T) {
	s := testBot().Store()
	east := time.FixedZone("UTC-5", -5*3600)
	// The same UTC day, 2027-01-01; the first is still 2026-12-31 in UTC-5.
	late := bot.New(s, bot.Options{Now: func() time.Time { return time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC).In(east) }})
	noon := bot.New(s, bot.Options{Now: func() time.Time { return time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC).In(east) }})
	for _, q := range []string{"what happened in january", "what happened this week", "since january"} {
		a := late.Handle(context.Background(), bot.Query{Text: q})
		b := noon.Handle(context.Background(), bot.Query{Text: q})
		if a.CacheKey != b.CacheKey {
			t.Fatalf("%q: cache keys %q and %q on one UTC day", q, a.CacheKey, b.CacheKey)
		}
		if a.Text() != b.Text() {
			t.Errorf("%q: one cache key, two answers:\n%s\n---\n%s", q, firstWords(a.Text(), 12), firstWords(b.Text(), 12))
		}
	}
}

// TestFromLegendSaysWhatTheBracketsAre: each line of a from answer shows
// the country's headline status in brackets, which may be further on than
// the stage reached for that nationality (Mexico: received, but only
// agreed to take Cubans); the legend must say the brackets are the
// headline status, not the stage.
func TestFromLegendSaysWhatTheBracketsAre(t *testing.T) {
	r := ask("from cuba")
	differ := false
	for _, res := range r.Results {
		if res.Stage != res.Status {
			differ = true
			if !strings.Contains(r.Text(), res.Name+" ("+res.Status+"): ") {
				t.Errorf("%s's line does not show its headline status %q in brackets", res.Name, res.Status)
			}
		}
	}
	if !differ {
		t.Fatal("from cuba: no country whose stage differs from its headline status; pick another nationality")
	}
	if !strings.HasPrefix(r.Summary, "In brackets: each country's headline status") {
		t.Errorf("the legend does not say the brackets are the headline status: %q", r.Summary)
	}
}

// TestMoneyLeadDoesNotContradictItsFacts: a country with no payment on
// record but facts that mention money ("the US paid the costs") must not
// lead with "No payment".
func TestMoneyLeadDoesNotContradictItsFacts(t *testing.T) {
	r := ask("did costa rica get paid")
	if r.Aspect != knowledge.AspectMoney || len(r.Fields) < 2 {
		t.Fatalf("did costa rica get paid: aspect %q, %d fields; want money facts on record", r.Aspect, len(r.Fields))
	}
	if strings.HasPrefix(r.Summary, "No payment") || !strings.HasPrefix(r.Summary, "No amount paid to Costa Rica") {
		t.Errorf("lead %q contradicts the facts below it: %q", r.Summary, r.Fields[0].Items)
	}
	if r := ask("did france get paid"); strings.Contains(r.Summary, "below") {
		t.Errorf("no facts, yet the lead points below: %q", r.Summary)
	}
}

// TestTotalsRowsShowTheirFigures: every row of the totals, the computed sum
// included, states its figure.
func TestTotalsRowsShowTheirFigures(t *testing.T) {
	r := ask("how many people were deported to third countries in total")
	if r.Kind != bot.KindTotals || len(r.Results) < 2 {
		t.Fatalf("kind %q with %d rows, want totals", r.Kind, len(r.Results))
	}
	for _, res := range r.Results {
		if !strings.Contains(strings.ReplaceAll(res.Event, ",", ""), strconv.Itoa(res.Count)) {
			t.Errorf("row %q does not state its figure %d: %q", res.Name, res.Count, res.Event)
		}
	}
}

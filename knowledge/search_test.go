package knowledge_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kljensen/snowball/english"

	"github.com/agreementbot/agreementbot/knowledge"
)

func hitName(h knowledge.SearchHit) string {
	if h.Country != nil {
		return h.Country.Code
	}
	return "topic " + h.Topic.ID
}

func hitNames(hits []knowledge.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, hitName(h))
	}
	return out
}

func sortedHits(hits []knowledge.SearchHit) []string {
	out := hitNames(hits)
	sort.Strings(out)
	return out
}

// refStems stems the words of text with the Snowball English stemmer,
// independently of the package's own tokeniser.
func refStems(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(refFold(text)) {
		out[english.Stem(w, true)] = true
	}
	return out
}

func TestSearchStemming(t *testing.T) {
	s := store(t)
	for _, pair := range [][2]string{
		{"Venezuelans", "Venezuelan"},
		{"deportees", "deportee"},
		{"flights", "flight"},
		{"payments", "payment"},
		{"agreements", "agreement"},
		{"children", "children"},
	} {
		a, b := s.Search(pair[0]), s.Search(pair[1])
		if len(a) == 0 {
			t.Errorf("Search(%q) found nothing", pair[0])
		}
		if !slices.Equal(hitNames(a), hitNames(b)) {
			t.Errorf("Search(%q) = %v, want what Search(%q) finds: %v", pair[0], hitNames(a), pair[1], hitNames(b))
		}
	}
	if got := s.Search("children"); len(got) == 0 || got[0].Country == nil || got[0].Country.Code != "HN" {
		t.Errorf("Search(%q) = %v, want Honduras (families traveling with children) first", "children", hitNames(got))
	}
}

func TestSearchAllWords(t *testing.T) {
	s := store(t)
	for _, q := range [][2]string{
		{"criminal", "uganda"},
		{"paid", "million"},
		{"venezuelans", "prison"},
		{"flight", "february"},
		{"court", "murphy"},
		{"children", "uganda"}, // nothing has both
	} {
		both := sortedHits(s.Search(q[0] + " " + q[1]))
		var want []string
		b := sortedHits(s.Search(q[1]))
		for _, h := range sortedHits(s.Search(q[0])) {
			if slices.Contains(b, h) {
				want = append(want, h)
			}
		}
		if !slices.Equal(both, want) {
			t.Errorf("Search(%q) = %v, want the documents with both words: %v", q[0]+" "+q[1], both, want)
		}
	}
	if got := s.Search("uganda xyzzyqq"); len(got) != 0 {
		t.Errorf("Search(%q) = %v, want nothing: every word is required", "uganda xyzzyqq", hitNames(got))
	}
	for _, q := range []string{"", "   ", "the", "of the and", "?!"} {
		if got := s.Search(q); len(got) != 0 {
			t.Errorf("Search(%q) = %v, want nothing", q, hitNames(got))
		}
	}
}

func TestSearchAccents(t *testing.T) {
	s := store(t)
	for _, pair := range [][2]string{
		{"Panamá", "panama"},
		{"MÉXICO", "mexico"},
		{"simbólico", "simbolico"},
	} {
		a, b := s.Search(pair[0]), s.Search(pair[1])
		if len(a) == 0 || !slices.Equal(hitNames(a), hitNames(b)) {
			t.Errorf("Search(%q) = %v, want %v as for %q", pair[0], hitNames(a), hitNames(b), pair[1])
		}
	}
}

// TestSearchNamesFirst checks that names weigh more than body text: a
// search for a country's name ranks its own card first, and a topic's
// title its topic.
func TestSearchNamesFirst(t *testing.T) {
	s := store(t)
	for _, c := range s.Countries() {
		hits := s.Search(c.Name)
		if len(hits) == 0 || hits[0].Country != c {
			t.Errorf("Search(%q) = %v, want %s first", c.Name, hitNames(hits), c.Code)
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Errorf("Search(%q): scores not in descending order at %d", c.Name, i)
			}
		}
	}
	for _, tp := range s.Topics() {
		hits := s.Search(tp.ID)
		if len(hits) == 0 || hits[0].Topic != tp {
			t.Errorf("Search(%q) = %v, want topic %s first", tp.ID, hitNames(hits), tp.ID)
		}
	}
}

// TestSearchSnippets checks that every hit of many searches shows a
// sentence with at least one of the words searched for, even when only an
// alias matched.
func TestSearchSnippets(t *testing.T) {
	s := store(t)
	queries := []string{
		"children", "Venezuelans", "criminal record", "paid million", "Cubans",
		"Swaziland", "Belau", "Upper Volta", "Kosova", "DRC", "safe third country",
		"flight", "Panamá", "court", "refused", "transit", "INA 208",
	}
	for _, c := range s.Countries() {
		queries = append(queries, c.Name)
		queries = append(queries, c.Aliases...)
	}
	for _, tp := range s.Topics() {
		queries = append(queries, tp.ID, tp.Title)
		queries = append(queries, tp.Aliases...)
	}
	for _, q := range queries {
		want := refStems(q)
		hits := s.Search(q)
		if len(hits) == 0 {
			t.Errorf("Search(%q) found nothing", q)
		}
		for _, h := range hits {
			if h.Snippet == "" {
				t.Errorf("Search(%q): hit %s has no snippet", q, hitName(h))
				continue
			}
			found := false
			for st := range refStems(h.Snippet) {
				if want[st] {
					found = true
				}
			}
			if !found {
				t.Errorf("Search(%q): snippet of %s has none of the words: %q", q, hitName(h), h.Snippet)
			}
		}
	}
}

func TestNationality(t *testing.T) {
	s := store(t)
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"cubans", "CU"}, {"Cuban", "CU"}, {"CUBANS", "CU"}, {"cuba", "CU"}, {"Cuba", "CU"},
		{"venezuelans", "VE"}, {"Venezuelan", "VE"}, {"venezuela", "VE"},
		{"Salvadorans", "SV"}, {"Mexicans", "MX"}, {"Kosovars", "XK"},
		{"Sudanese", "SD"}, {"South Sudanese", "SS"},
		{"Nigerians", "NG"}, {"Nigeriens", "NE"},
		{"Guineans", "GN"}, {"Equatorial Guineans", "GQ"}, {"Bissau-Guineans", "GW"},
		{"Dominicans", "DO"}, {"Dominica", "DM"},
		{"Congolese", "CD"},
		{"Haitians", "HT"}, {"Haiti", "HT"},
		{"ugnada", "UG"},
	} {
		if got, ok := s.Nationality(tt.in); !ok || got != tt.want {
			t.Errorf("Nationality(%q) = %q, %v; want %q, true", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"", "xyzzy", "the", "law"} {
		if got, ok := s.Nationality(in); ok {
			t.Errorf("Nationality(%q) = %q, true; want false", in, got)
		}
	}
	// Demonym takes only words for people, not country names.
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"Cubans", "CU", true}, {"cuban", "CU", true}, {"cuba", "", false}, {"Uganda", "", false},
	} {
		if got, ok := s.Demonym(tt.in); ok != tt.ok || got != tt.want {
			t.Errorf("Demonym(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFrom checks From against a scan of every country's arrivals and
// groups.
func TestFrom(t *testing.T) {
	s := store(t)
	codes := map[string]bool{}
	for _, c := range s.Countries() {
		for _, a := range c.Received {
			codes[a.Code] = true
		}
		for _, g := range c.Groups {
			for _, code := range g.Codes {
				codes[code] = true
			}
		}
	}
	if !codes["CU"] || !codes["VE"] {
		t.Fatalf("no arrivals or groups of Cubans and Venezuelans in the data; the test is not testing")
	}
	for code := range codes {
		want := map[string]bool{} // country -> received
		for _, c := range s.Countries() {
			// A group ("African nationals") may include the country itself,
			// which does not take its own citizens as third-country
			// nationals; an arrival on record is listed as it is.
			for _, g := range c.Groups {
				if slices.Contains(g.Codes, code) && c.Code != code {
					want[c.Code] = false
				}
			}
			for _, a := range c.Received {
				if a.Code == code {
					want[c.Code] = true
				}
			}
		}
		hits := s.From(code)
		gotSet := map[string]bool{}
		for i, h := range hits {
			if _, dup := gotSet[h.Country.Code]; dup {
				t.Errorf("From(%q) lists %s twice", code, h.Country.Code)
			}
			gotSet[h.Country.Code] = h.Received
			if len(h.Sources) == 0 {
				t.Errorf("From(%q): %s has no sources", code, h.Country.Code)
			}
			if i > 0 {
				prev := hits[i-1]
				if !prev.Received && h.Received || prev.Received == h.Received && prev.Country.Name > h.Country.Name {
					t.Errorf("From(%q): %s before %s, want received first, then by name", code, prev.Country.Code, h.Country.Code)
				}
			}
		}
		if len(gotSet) != len(want) {
			t.Errorf("From(%q) = %v, want %v", code, gotSet, want)
			continue
		}
		for c, rec := range want {
			if g, ok := gotSet[c]; !ok || g != rec {
				t.Errorf("From(%q)[%s] = %v, %v; want received = %v", code, c, g, ok, rec)
			}
		}
	}
	cu := s.From("CU")
	if len(cu) == 0 || !cu[0].Received {
		t.Errorf("From(CU) = %v, want countries that received Cubans first", cu)
	}
	if got := s.From("FR"); len(got) != 0 {
		t.Errorf("From(FR) = %v, want nothing", got)
	}
}

// refEvent identifies an event across the API and the reference scan.
type refEvent struct {
	who  string
	date knowledge.Date
	text string
}

func eventOf(h knowledge.EventHit) refEvent {
	who := "topic "
	if h.Country != nil {
		who = h.Country.Code
	} else {
		who += h.Topic.ID
	}
	return refEvent{who, h.Event.Date, h.Event.Text}
}

// allDated is every dated event of every country and topic, newest first
// by earliest possible day, from a plain scan.
func allDated(s *knowledge.Store) []refEvent {
	var out []refEvent
	for _, c := range s.Countries() {
		for _, e := range c.Timeline {
			if e.Date.Known() {
				out = append(out, refEvent{c.Code, e.Date, e.Text})
			}
		}
	}
	for _, tp := range s.Topics() {
		for _, e := range tp.Timeline {
			if e.Date.Known() {
				out = append(out, refEvent{"topic " + tp.ID, e.Date, e.Text})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].date.Earliest().After(out[j].date.Earliest()) })
	return out
}

func checkOrdered(t *testing.T, what string, hits []knowledge.EventHit) {
	t.Helper()
	seen := map[refEvent]bool{}
	for i, h := range hits {
		if !h.Event.Date.Known() {
			t.Errorf("%s[%d] is undated: %q", what, i, h.Event.Text)
		}
		if (h.Country == nil) == (h.Topic == nil) {
			t.Errorf("%s[%d] must have a country or a topic", what, i)
		}
		if i > 0 && h.Event.Date.Earliest().After(hits[i-1].Event.Date.Earliest()) {
			t.Errorf("%s: %s after %s, want newest first", what, h.Event.Date, hits[i-1].Event.Date)
		}
		if seen[eventOf(h)] {
			t.Errorf("%s lists %v twice", what, eventOf(h))
		}
		seen[eventOf(h)] = true
	}
}

func TestLatest(t *testing.T) {
	s := store(t)
	ref := allDated(s)
	if len(ref) < 20 {
		t.Fatalf("only %d dated events", len(ref))
	}
	for _, n := range []int{10, 1, 3, len(ref), len(ref) + 5} {
		got := s.Latest(n)
		checkOrdered(t, "Latest", got)
		if want := min(n, len(ref)); len(got) != want {
			t.Errorf("len(Latest(%d)) = %d, want %d", n, len(got), want)
			continue
		}
		// The same dates as the n newest of the scan; ties may come in any
		// order.
		for i, h := range got {
			if !h.Event.Date.Earliest().Equal(ref[i].date.Earliest()) {
				t.Errorf("Latest(%d)[%d] dated %s, want %s", n, i, h.Event.Date, ref[i].date)
			}
		}
	}
	if got := s.Latest(10); len(got) != 10 {
		t.Errorf("len(Latest(10)) = %d, want 10", len(got))
	}
	for _, n := range []int{0, -1} {
		if got := s.Latest(n); len(got) != 0 {
			t.Errorf("Latest(%d) = %d events, want none", n, len(got))
		}
	}
	// The newest event is on or before the as-of date, and no later than
	// the data says.
	if top := s.Latest(1); len(top) == 1 && top[0].Event.Date.Earliest().After(s.AsOf().Earliest()) {
		t.Errorf("Latest(1) dated %s, after AsOf() = %s", top[0].Event.Date, s.AsOf())
	}
	// What Latest returns is the caller's: appending must not reach into
	// the store.
	three := s.Latest(3)
	fourth := eventOf(s.Latest(4)[3])
	_ = append(three, knowledge.EventHit{Topic: &knowledge.Topic{ID: "intruder"}})
	if got := eventOf(s.Latest(4)[3]); got != fourth {
		t.Errorf("appending to Latest(3) changed Latest(4)[3] from %v to %v", fourth, got)
	}
}

func TestLatestFor(t *testing.T) {
	s := store(t)
	ref := allDated(s)
	for _, c := range s.Countries() {
		var want []refEvent
		for _, e := range ref {
			if e.who == c.Code {
				want = append(want, e)
			}
		}
		for _, n := range []int{3, 100} {
			got := s.LatestFor(c.Code, n)
			checkOrdered(t, "LatestFor("+c.Code+")", got)
			if len(got) != min(n, len(want)) {
				t.Errorf("len(LatestFor(%q, %d)) = %d, want %d", c.Code, n, len(got), min(n, len(want)))
				continue
			}
			for i, h := range got {
				if h.Country != c {
					t.Errorf("LatestFor(%q, %d)[%d] belongs to %v", c.Code, n, i, eventOf(h).who)
				}
				if !h.Event.Date.Earliest().Equal(want[i].date.Earliest()) {
					t.Errorf("LatestFor(%q, %d)[%d] dated %s, want %s", c.Code, n, i, h.Event.Date, want[i].date)
				}
			}
		}
		if got := s.LatestFor(c.Code, 0); len(got) != 0 {
			t.Errorf("LatestFor(%q, 0) = %d events, want none", c.Code, len(got))
		}
	}
	if got := s.LatestFor("FR", 10); len(got) != 0 {
		t.Errorf("LatestFor(FR, 10) = %d events, want none", len(got))
	}
}

func TestSince(t *testing.T) {
	s := store(t)
	ref := allDated(s)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	days := []time.Time{
		s.AsOf().Earliest(),
		s.AsOf().Earliest().AddDate(0, 0, 1),
		day(2026, 3, 1), day(2026, 3, 2), day(2026, 2, 1), day(2025, 8, 1), day(2025, 1, 1),
		day(1990, 1, 1), day(2030, 1, 1),
	}
	partial := false
	for _, d := range days {
		got := s.Since(d)
		checkOrdered(t, "Since("+d.Format(time.DateOnly)+")", got)
		want := map[refEvent]bool{}
		for _, e := range ref {
			if !e.date.Earliest().Before(d) {
				want[e] = true
			}
		}
		if len(got) != len(want) {
			t.Errorf("len(Since(%s)) = %d, want %d", d.Format(time.DateOnly), len(got), len(want))
		}
		for _, h := range got {
			e := eventOf(h)
			if !want[e] {
				t.Errorf("Since(%s) has %v, dated before", d.Format(time.DateOnly), e)
			}
			if e.date.Precision != knowledge.Day {
				partial = true
			}
		}
	}
	if !partial {
		t.Errorf("no partial date among the recent events; the partial-date rule is untested")
	}
	if got := s.Since(day(1990, 1, 1)); len(got) != len(ref) {
		t.Errorf("Since(1990-01-01) = %d events, want all %d dated events", len(got), len(ref))
	}
	if got := s.Since(day(2030, 1, 1)); len(got) != 0 {
		t.Errorf("Since(2030-01-01) = %d events, want none", len(got))
	}
}

// TestSentenceEnd: the one sentence rule that search snippets and the
// bot's highlights share.
func TestSentenceEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		want string // the first sentence
	}{
		{"Sen. Jeanne Shaheen released it. It found more.", "Sen. Jeanne Shaheen released it."},
		{"Under 8 U.S.C. § 1231 the US may. Then more.", "Under 8 U.S.C. § 1231 the US may."},
		{"He flew to St. Lucia on Sept. 3. Then home.", "He flew to St. Lucia on Sept. 3."},
		{"The U.S. Army said so. Then more.", "The U.S. Army said so."},
		{"Was it legal? Nobody knows.", "Was it legal?"},
		{"It was 5.1 million. Then more.", "It was 5.1 million."},
		{"no capital follows. then lower case", "no capital follows. then lower case"},
	} {
		got := c.text
		for i := range len(c.text) {
			if knowledge.SentenceEnd(c.text, i) {
				got = c.text[:i+1]
				break
			}
		}
		if got != c.want {
			t.Errorf("first sentence of %q = %q, want %q", c.text, got, c.want)
		}
	}
}

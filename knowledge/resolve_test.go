package knowledge_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/agreementbot/agreementbot/knowledge"
)

var kindName = map[knowledge.MatchKind]string{
	knowledge.MatchNone:    "MatchNone",
	knowledge.MatchCountry: "MatchCountry",
	knowledge.MatchNoData:  "MatchNoData",
	knowledge.MatchTopic:   "MatchTopic",
}

// got describes a Match compactly for messages.
func got(m knowledge.Match) string {
	switch m.Kind {
	case knowledge.MatchCountry, knowledge.MatchNoData:
		return kindName[m.Kind] + " " + m.Code
	case knowledge.MatchTopic:
		return "MatchTopic " + m.Topic.ID
	}
	var s []string
	for _, sg := range m.Suggestions {
		s = append(s, sg.Code+sg.Topic)
	}
	return "MatchNone [" + strings.Join(s, " ") + "]"
}

// want is an expected outcome: a country code with its kind, or a topic.
type want struct {
	kind  knowledge.MatchKind
	code  string // MatchCountry, MatchNoData
	topic string // MatchTopic
}

func (w want) String() string {
	switch w.kind {
	case knowledge.MatchTopic:
		return "MatchTopic " + w.topic
	case knowledge.MatchNone:
		return "MatchNone"
	}
	return kindName[w.kind] + " " + w.code
}

func onRecord(code string) want { return want{kind: knowledge.MatchCountry, code: code} }
func noData(code string) want   { return want{kind: knowledge.MatchNoData, code: code} }
func topic(id string) want      { return want{kind: knowledge.MatchTopic, topic: id} }
func expect(code string, s *knowledge.Store) want {
	if s.Country(code) != nil {
		return onRecord(code)
	}
	return noData(code)
}

// check compares a Match with an expected outcome, and checks that the
// Match is internally consistent: the three outcomes are never mixed.
func check(t *testing.T, s *knowledge.Store, query string, m knowledge.Match, w want) {
	t.Helper()
	ok := m.Kind == w.kind
	switch w.kind {
	case knowledge.MatchCountry, knowledge.MatchNoData:
		ok = ok && m.Code == w.code
	case knowledge.MatchTopic:
		ok = ok && m.Topic != nil && m.Topic.ID == w.topic
	}
	if !ok {
		t.Errorf("Resolve(%q) = %s, want %v", query, got(m), w)
		return
	}
	consistent(t, s, query, m)
}

func consistent(t *testing.T, s *knowledge.Store, query string, m knowledge.Match) {
	t.Helper()
	switch m.Kind {
	case knowledge.MatchCountry:
		if m.Country == nil || m.Country != s.Country(m.Code) || m.Name != m.Country.Name || m.Topic != nil || len(m.Suggestions) > 0 {
			t.Errorf("Resolve(%q) = %+v: a MatchCountry must carry its country, code and name only", query, m)
		}
	case knowledge.MatchNoData:
		if m.Country != nil || s.Country(m.Code) != nil || m.Name == "" || m.Topic != nil || len(m.Suggestions) > 0 {
			t.Errorf("Resolve(%q) = %+v: a MatchNoData must be a real country without a card", query, m)
		}
	case knowledge.MatchTopic:
		if m.Topic == nil || m.Country != nil || m.Code != "" || m.Name != m.Topic.Title {
			t.Errorf("Resolve(%q) = %+v: a MatchTopic must carry its topic only", query, m)
		}
	case knowledge.MatchNone:
		if m.Country != nil || m.Code != "" || m.Topic != nil || len(m.Suggestions) > 5 {
			t.Errorf("Resolve(%q) = %+v: a MatchNone carries at most five suggestions and nothing else", query, m)
		}
		seen := map[knowledge.Suggestion]bool{}
		for _, sg := range m.Suggestions {
			if seen[sg] || sg.Name == "" || (sg.Code == "") == (sg.Topic == "") {
				t.Errorf("Resolve(%q): bad or repeated suggestion %+v", query, sg)
			}
			seen[sg] = true
		}
	default:
		t.Errorf("Resolve(%q): unknown kind %d", query, m.Kind)
	}
}

func runTable(t *testing.T, s *knowledge.Store, tests []struct {
	in   string
	want want
}) {
	t.Helper()
	for _, tt := range tests {
		check(t, s, tt.in, s.Resolve(tt.in), tt.want)
	}
}

func TestResolveDisplayNames(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"uganda", onRecord("UG")},
		{"Uganda", onRecord("UG")},
		{"UGANDA", onRecord("UG")},
		{"uGaNdA", onRecord("UG")},
		{"  Uganda\t", onRecord("UG")},
		{"Uganda.", onRecord("UG")},
		{"el salvador", onRecord("SV")},
		{"EL SALVADOR", onRecord("SV")},
		{"El  Salvador", onRecord("SV")},
		{"south sudan", onRecord("SS")},
		{"equatorial guinea", onRecord("GQ")},
		{"antigua and barbuda", onRecord("AG")},
		{"Antigua & Barbuda", onRecord("AG")},
		{"guinea-bissau", onRecord("GW")},
		{"Democratic Republic of the Congo", onRecord("CD")},
		{"kosovo", onRecord("XK")},
		{"france", noData("FR")},
		{"FRANCE", noData("FR")},
		{"united kingdom", noData("GB")},
	})
}

func TestResolveAccents(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"Panamá", onRecord("PA")},
		{"PANAMÁ", onRecord("PA")},
		{"panama", onRecord("PA")},
		{"México", onRecord("MX")},
		{"méxico", onRecord("MX")},
		{"Perú", onRecord("PE")},
		{"Ugándá", onRecord("UG")},       // accents where there are none
		{"Camerún", onRecord("CM")},      // Spanish
		{"Guiné-Bissau", onRecord("GW")}, // Portuguese, an alias
		{"Côte d’Ivoire", noData("CI")},
		{"Cote d'Ivoire", noData("CI")},
		{"COTE D IVOIRE", noData("CI")},
		{"Curaçao", noData("CW")},
		{"Curacao", noData("CW")},
		{"São Tomé & Príncipe", noData("ST")},
	})
}

func TestResolveCodes(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"UG", onRecord("UG")},
		{"ug", onRecord("UG")},
		{"UGA", onRecord("UG")},
		{"ugA", onRecord("UG")},
		{"HND", onRecord("HN")},
		{"hnd", onRecord("HN")},
		{"HN", onRecord("HN")},
		{"SLV", onRecord("SV")},
		{"SWZ", onRecord("SZ")},
		{"GNQ", onRecord("GQ")},
		{"GNB", onRecord("GW")},
		{"COD", onRecord("CD")},
		{"XK", onRecord("XK")},
		{"FR", noData("FR")},
		{"FRA", noData("FR")},
		{"COG", noData("CG")},
		{"DOM", noData("DO")},
		{"DMA", onRecord("DM")},
		{"does HND take deportees", onRecord("HN")},
	})
}

func TestResolveFormerNames(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"Swaziland", onRecord("SZ")},
		{"swaziland", onRecord("SZ")},
		{"Kingdom of Eswatini", onRecord("SZ")},
		{"Salvador", onRecord("SV")},
		{"Upper Volta", onRecord("BF")},
		{"Cabo Verde", onRecord("CV")},
		{"Belau", onRecord("PW")},
		{"Kosova", onRecord("XK")},
		{"DRC", onRecord("CD")},
		{"DR Congo", onRecord("CD")},
		{"Congo-Kinshasa", onRecord("CD")},
		{"Myanmar", noData("MM")},
		{"Timor-Leste", noData("TL")},
	})
}

// TestResolveLanguages looks countries up by their CLDR names in the nine
// languages the issue lists. The expected strings come from CLDR itself.
func TestResolveLanguages(t *testing.T) {
	s := store(t)
	langs := []language.Tag{
		language.English, language.Spanish, language.French, language.Portuguese,
		language.German, language.Italian, language.Arabic, language.Russian,
		language.Chinese,
	}
	codes := []string{"UG", "SZ", "SS", "HN", "MX", "GQ", "CV", "CD", "KN", "LC", "XK", "DE", "JP", "EG", "CI", "DO", "SD"}
	for _, lang := range langs {
		names := display.Regions(lang)
		for _, code := range codes {
			name := names.Name(language.MustParseRegion(code))
			if name == "" {
				t.Errorf("CLDR has no %v name for %s", lang, code)
				continue
			}
			check(t, s, name, s.Resolve(name), expect(code, s))
			// Inside a question too.
			q := "what about " + name + "?"
			check(t, s, q, s.Resolve(q), expect(code, s))
		}
	}
	// Spot checks that the test reads what it means to.
	for _, tt := range []struct {
		lang language.Tag
		code string
		name string
	}{
		{language.Spanish, "MX", "México"},
		{language.German, "SZ", "Swasiland"},
		{language.Russian, "UG", "Уганда"},
		{language.Chinese, "UG", "乌干达"},
		{language.Arabic, "UG", "أوغندا"},
	} {
		if got := display.Regions(tt.lang).Name(language.MustParseRegion(tt.code)); got != tt.name {
			t.Errorf("display.Regions(%v).Name(%s) = %q, want %q", tt.lang, tt.code, got, tt.name)
		}
	}
}

func TestResolveTypos(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"ugnada", onRecord("UG")},
		{"guatamala", onRecord("GT")},
		{"gautemala", onRecord("GT")},
		{"hondras", onRecord("HN")},
		{"rwnada", onRecord("RW")},
		{"eswatni", onRecord("SZ")},
		{"swazilnd", onRecord("SZ")},
		{"paragauy", onRecord("PY")},
		{"kosvo", onRecord("XK")},
		{"mexcio", onRecord("MX")},
		{"ecudor", onRecord("EC")},
		{"el salvadro", onRecord("SV")},
		{"camaroon", onRecord("CM")},
		{"libera", onRecord("LR")},
		{"franse", noData("FR")},
		{"germny", noData("DE")},
		{"does guatamala take deportees?", onRecord("GT")},
		{"/agreement ugnada", onRecord("UG")},
	})
	// When two names are equally close, nothing is guessed: both are
	// offered.
	for _, tt := range []struct {
		in    string
		codes []string
	}{
		{"nigera", []string{"NE", "NG"}},   // Niger + a, Nigeria - i
		{"austrlia", []string{"AT", "AU"}}, // Austria + l, Australia - a
	} {
		m := s.Resolve(tt.in)
		consistent(t, s, tt.in, m)
		if m.Kind != knowledge.MatchNone {
			t.Errorf("Resolve(%q) = %s, want MatchNone (no single closest name)", tt.in, got(m))
			continue
		}
		for _, code := range tt.codes {
			if !suggests(m, code) {
				t.Errorf("Resolve(%q) = %s, want %s among the suggestions", tt.in, got(m), code)
			}
		}
	}
}

func suggests(m knowledge.Match, code string) bool {
	return slices.ContainsFunc(m.Suggestions, func(sg knowledge.Suggestion) bool { return sg.Code == code })
}

func TestResolveQuestions(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"does rwanda take deportees?", onRecord("RW")},
		{"Does Rwanda take deportees?", onRecord("RW")},
		{"/agreement uganda", onRecord("UG")},
		{"/agreement Eswatini", onRecord("SZ")},
		{"what is the status of el salvador?", onRecord("SV")},
		{"is there a deal with south sudan?", onRecord("SS")},
		{"tell me about sudan", noData("SD")},
		{"did nigeria agree?", onRecord("NG")},
		{"has niger been asked?", noData("NE")},
		{"has guinea-bissau refused?", onRecord("GW")},
		{"what did equatorial guinea get paid?", onRecord("GQ")},
		{"deals with guinea", noData("GN")},
		{"news on the dominican republic", noData("DO")},
		{"what about dominica?", onRecord("DM")},
		{"deportations to eswatini", onRecord("SZ")},
		{"deportees in Panamá", onRecord("PA")},
		{"which countries took people from Cuba?", noData("CU")},
	})
}

func TestResolveTopics(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"law", topic("law")},
		{"legal basis", topic("law")},
		{"safe third country", topic("law")},
		{"INA 208", topic("law")},
		{"court", topic("court")},
		{"supreme court", topic("court")},
		{"D.V.D.", topic("court")},
		{"overview", topic("overview")},
		{"how many", topic("overview")},
		{"totals", topic("overview")},
		{"money", topic("money")},
		{"payments", topic("money")},
		{"paid", topic("money")},
		{"cost", topic("money")},
	})
}

// TestResolveOutcomes checks the three outcomes: every status on record is
// a country (refused included), a real country without a card is
// MatchNoData, and anything else is MatchNone with at most five
// suggestions.
func TestResolveOutcomes(t *testing.T) {
	s := store(t)
	statuses := map[knowledge.Status]bool{}
	for _, c := range s.Countries() {
		statuses[c.Status] = true
		check(t, s, c.Name, s.Resolve(c.Name), onRecord(c.Code))
	}
	for _, st := range []knowledge.Status{knowledge.Received, knowledge.Signed, knowledge.Agreed, knowledge.Requested, knowledge.Refused, knowledge.Denied, knowledge.Special} {
		if !statuses[st] {
			t.Errorf("no country on record has status %s; the outcome test does not cover it", st)
		}
	}
	for _, name := range []string{"Libya", "Moldova", "Peru", "Angola"} {
		if m := s.Resolve(name); m.Kind != knowledge.MatchCountry || m.Country.Status != knowledge.Refused {
			t.Errorf("Resolve(%q) = %s, want the card of a country that refused", name, got(m))
		}
	}
	for _, tt := range []struct{ in, code string }{
		{"France", "FR"}, {"Germany", "DE"}, {"Japan", "JP"}, {"Brazil", "BR"},
		{"Samoa", "WS"}, {"Haiti", "HT"}, {"Canada", "CA"}, {"United States", "US"},
	} {
		check(t, s, tt.in, s.Resolve(tt.in), noData(tt.code))
	}
	for _, in := range []string{"xyzzy", "qwertyuiop", "asdfghjkl", "zzzz zzzz", "1234", "!!!", "", "   ", "the", "what does it do?", "tell me more please", "Atlantis", "Narnia"} {
		m := s.Resolve(in)
		if m.Kind != knowledge.MatchNone {
			t.Errorf("Resolve(%q) = %s, want MatchNone", in, got(m))
		}
		consistent(t, s, in, m)
	}
}

// TestResolveLookAlikes is the table of names that must not be confused.
func TestResolveLookAlikes(t *testing.T) {
	s := store(t)
	runTable(t, s, []struct {
		in   string
		want want
	}{
		{"Sudan", noData("SD")},
		{"South Sudan", onRecord("SS")},
		{"Sudán del Sur", onRecord("SS")},
		{"Soudan du Sud", onRecord("SS")},
		{"sudn", noData("SD")},

		{"Niger", noData("NE")},
		{"Níger", noData("NE")},
		{"Nigeria", onRecord("NG")},
		{"nigerr", noData("NE")},
		{"nigeriaa", onRecord("NG")},

		{"Guinea", noData("GN")},
		{"Guinée", noData("GN")},
		{"Equatorial Guinea", onRecord("GQ")},
		{"Guinée équatoriale", onRecord("GQ")},
		{"Guinea-Bissau", onRecord("GW")},
		{"Guinea Bissau", onRecord("GW")},
		{"guinea bisau", onRecord("GW")},
		{"Papua New Guinea", noData("PG")},

		{"Dominica", onRecord("DM")},
		{"Dominican Republic", noData("DO")},
		{"the Dominican Republic", noData("DO")},
		{"República Dominicana", noData("DO")},
		{"dominca", onRecord("DM")},

		{"Saint Lucia", onRecord("LC")},
		{"St Lucia", onRecord("LC")},
		{"St. Lucia", onRecord("LC")},
		{"Sainte-Lucie", onRecord("LC")},
		{"St Kitts and Nevis", onRecord("KN")},
		{"Saint Kitts and Nevis", onRecord("KN")},
		{"St. Kitts & Nevis", onRecord("KN")},
		{"St Kitts", onRecord("KN")},
		{"St Vincent and the Grenadines", onRecord("VC")},
		{"Saint Vincent and the Grenadines", onRecord("VC")},
		{"St. Vincent & Grenadines", onRecord("VC")},
		{"Saint Vincent", onRecord("VC")},
		{"St Vincent", onRecord("VC")},
		{"st. vincent", onRecord("VC")},

		{"DR Congo", onRecord("CD")},
		{"Democratic Republic of the Congo", onRecord("CD")},
		{"Congo-Kinshasa", onRecord("CD")},
		{"Congo-Brazzaville", noData("CG")},
		// A misspelt word inside a multi-word name resolves as the rest
		// do: the whole name is within the typo limit of South Sudan, and
		// the match covering more words beats Sudan, near "sudn" alone.
		{"south sudn", onRecord("SS")},
		{"Congo Brazzaville", noData("CG")},
		{"República del Congo", noData("CG")},
	})
	// Ambiguous or partial names are not guessed: each is MatchNone with
	// the countries it could mean first among the suggestions.
	for _, tt := range []struct {
		in    string
		codes []string
	}{
		{"Congo", []string{"CD", "CG"}},
		{"Dominican", []string{"DO", "DM"}},
	} {
		m := s.Resolve(tt.in)
		consistent(t, s, tt.in, m)
		if m.Kind != knowledge.MatchNone {
			t.Errorf("Resolve(%q) = %s, want MatchNone with suggestions %v", tt.in, got(m), tt.codes)
			continue
		}
		if len(m.Suggestions) < len(tt.codes) {
			t.Errorf("Resolve(%q) = %s, want %v first among the suggestions", tt.in, got(m), tt.codes)
			continue
		}
		for _, sg := range m.Suggestions[:len(tt.codes)] {
			if !slices.Contains(tt.codes, sg.Code) {
				t.Errorf("Resolve(%q) = %s, want %v first among the suggestions", tt.in, got(m), tt.codes)
				break
			}
		}
	}
}

// TestResolveLongInput checks that text longer than any name neither
// panics nor matches, and that a name at the end of a long question is
// still found.
func TestResolveLongInput(t *testing.T) {
	s := store(t)
	for _, n := range []int{40, 62, 63, 64, 65, 66, 67, 70, 100, 1000} {
		for _, in := range []string{strings.Repeat("x", n), strings.Repeat("ab ", n/3)} {
			m := s.Resolve(in)
			consistent(t, s, in, m)
			if m.Kind != knowledge.MatchNone {
				t.Errorf("Resolve(%d letters of nonsense) = %s, want MatchNone", len(in), got(m))
			}
		}
	}
	q := "hello, could you please explain in detail everything that is known so far about the arrangement with uganda"
	check(t, s, q, s.Resolve(q), onRecord("UG"))
	// Typos are looked for in questions of up to eight content words.
	q = "hello, could you please explain everything known so far about the arrangement with ugnada"
	check(t, s, q, s.Resolve(q), onRecord("UG"))
}

func TestComplete(t *testing.T) {
	s := store(t)
	for _, tt := range []struct {
		prefix string
		first  string   // code of the first suggestion
		has    []string // codes among the suggestions
	}{
		{"uga", "UG", nil},
		{"Uga", "UG", nil},
		{"kitts", "KN", nil},
		{"eswa", "SZ", nil},
		{"swazi", "SZ", nil},
		{"sai", "", []string{"LC", "KN", "VC"}},
		{"st", "", []string{"LC", "KN"}},
		{"guin", "", []string{"GQ", "GW", "GN"}},
		{"congo", "", []string{"CD", "CG"}},
		{"ugnad", "UG", nil}, // typo, via Resolve
	} {
		sg := s.Complete(tt.prefix, 25)
		if len(sg) == 0 || len(sg) > 25 {
			t.Errorf("Complete(%q, 25) = %d suggestions, want 1 to 25", tt.prefix, len(sg))
			continue
		}
		if tt.first != "" && sg[0].Code != tt.first {
			t.Errorf("Complete(%q, 25)[0] = %+v, want %s", tt.prefix, sg[0], tt.first)
		}
		for _, code := range tt.has {
			if !slices.ContainsFunc(sg, func(x knowledge.Suggestion) bool { return x.Code == code }) {
				t.Errorf("Complete(%q, 25) = %v, want %s among them", tt.prefix, sg, code)
			}
		}
		// Among names that start with the prefix, countries on record come
		// before countries without a card. (Typo suggestions follow.)
		seenNoCard := false
		for _, x := range sg {
			onFile := x.Topic != "" || s.Country(x.Code) != nil
			starts := strings.HasPrefix(refFold(x.Name), refFold(tt.prefix)) || strings.Contains(refFold(x.Name), " "+refFold(tt.prefix))
			if onFile && starts && seenNoCard {
				t.Errorf("Complete(%q, 25) = %v: %s on record after a country without a card", tt.prefix, sg, x.Name)
			}
			seenNoCard = seenNoCard || !onFile
		}
	}
	for _, n := range []int{1, 3, 5} {
		if got := s.Complete("s", n); len(got) != n {
			t.Errorf("len(Complete(%q, %d)) = %d, want %d", "s", n, len(got), n)
		}
	}
	if got := s.Complete("", 5); len(got) != 0 {
		t.Errorf("Complete(%q, 5) = %v, want nothing", "", got)
	}
	if got := s.Complete("uga", 0); len(got) != 0 {
		t.Errorf("Complete(%q, 0) = %v, want nothing", "uga", got)
	}
}

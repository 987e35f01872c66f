package knowledge_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"

	"github.com/agreementbot/agreementbot/knowledge"
)

// isoCodes are the 249 current ISO 3166-1 alpha-2 codes, typed from the
// standard rather than derived from x/text, so they check the loader's own
// notion of a valid code.
const isoCodes = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW`

// validCodes is isoCodes plus XK, which the loader allows for Kosovo.
func validCodes(t *testing.T) []string {
	t.Helper()
	codes := append(strings.Fields(isoCodes), "XK")
	if len(codes) != 250 {
		t.Fatalf("test bug: %d codes, want 249 + XK", len(codes))
	}
	return codes
}

// TestCountryCodes loads a country file for every pair of letters and
// checks that exactly the current ISO codes and XK are accepted.
func TestCountryCodes(t *testing.T) {
	valid := map[string]bool{}
	for _, c := range validCodes(t) {
		valid[c] = true
	}
	fsys := dataFS(nil)
	delete(fsys, "ug.yaml")
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			file := strings.ToLower(code) + ".yaml"
			fsys[file] = &fstest.MapFile{Data: []byte(country(code, "Test country "+code))}
		}
	}
	le := loadErr(t, fsys)
	rejected := map[string]bool{}
	for _, p := range le.Problems {
		code := strings.ToUpper(strings.TrimSuffix(p.File, ".yaml"))
		if !strings.Contains(p.Msg, "ISO 3166-1") {
			t.Errorf("unexpected problem %v", p)
			continue
		}
		if p.Line != 1 {
			t.Errorf("problem %v: want it on line 1, the code", p)
		}
		rejected[code] = true
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if valid[code] == rejected[code] {
				t.Errorf("code %s: rejected = %v, want %v", code, rejected[code], !valid[code])
			}
		}
	}
}

// refFold is a simple reference for the folding that name matching uses:
// decompose, drop combining marks, lower-case, and turn everything that is
// not a letter or digit into single spaces.
func refFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// nameLangs are the languages whose CLDR names the issue requires.
var nameLangs = []language.Tag{
	language.English, language.Spanish, language.French, language.Portuguese,
	language.German, language.Italian, language.Arabic, language.Russian,
	language.Chinese,
}

// Priorities of the oracle, as documented on Resolve: the data's names and
// aliases beat CLDR's English names, which beat CLDR's other languages.
const (
	oracleData = iota
	oracleEnglish
	oracleOther
)

type oracleName struct {
	name   string // as written
	folded string
	code   string // or ""
	topic  string // or ""
	prio   int
	lang   string
}

func (n oracleName) target() string {
	if n.topic != "" {
		return "topic " + n.topic
	}
	return n.code
}

// knownCollisions are folded names that CLDR gives to two different
// countries in two of the nine languages, so that no answer can be right
// for both. Resolve picks one; the oracle skips exactly these. A new
// collision fails the test until it is looked at and listed here.
var knownCollisions = map[string]bool{}

func oracleNames(t *testing.T, s *knowledge.Store) []oracleName {
	var all []oracleName
	for _, c := range s.Countries() {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			all = append(all, oracleName{name: n, folded: refFold(n), code: c.Code, prio: oracleData, lang: "data"})
		}
	}
	for _, tp := range s.Topics() {
		for _, n := range append([]string{tp.ID, tp.Title}, tp.Aliases...) {
			all = append(all, oracleName{name: n, folded: refFold(n), topic: tp.ID, prio: oracleData, lang: "data"})
		}
	}
	for _, code := range validCodes(t) {
		r := language.MustParseRegion(code)
		for i, lang := range nameLangs {
			n := display.Regions(lang).Name(r)
			if n == "" {
				t.Errorf("CLDR has no %v name for %s", lang, code)
				continue
			}
			prio := oracleOther
			if i == 0 {
				prio = oracleEnglish
			}
			all = append(all, oracleName{name: n, folded: refFold(n), code: code, prio: prio, lang: lang.String()})
		}
	}
	return all
}

// TestResolveOracle checks Resolve against a slow linear scan over every
// name the store knows: data names and aliases, topic names, and the CLDR
// names of every valid code in nine languages.
func TestResolveOracle(t *testing.T) {
	s := store(t)
	all := oracleNames(t, s)
	collisions := map[string][]string{}
	checked := 0
	for _, q := range all {
		if q.folded == "" {
			t.Errorf("%s name %q of %s folds to nothing", q.lang, q.name, q.target())
			continue
		}
		// The slow, obvious answer: the best-priority names equal to q.
		best := -1
		targets := map[string]bool{}
		for _, n := range all {
			if n.folded != q.folded {
				continue
			}
			switch {
			case best == -1 || n.prio < best:
				best = n.prio
				targets = map[string]bool{n.target(): true}
			case n.prio == best:
				targets[n.target()] = true
			}
		}
		if len(targets) > 1 {
			var ts []string
			for k := range targets {
				ts = append(ts, k)
			}
			sort.Strings(ts)
			collisions[q.folded] = ts
			continue
		}
		var want string
		for k := range targets {
			want = k
		}
		m := s.Resolve(q.name)
		var gotTarget string
		switch m.Kind {
		case knowledge.MatchCountry, knowledge.MatchNoData:
			gotTarget = m.Code
			if (m.Kind == knowledge.MatchCountry) != (s.Country(m.Code) != nil) {
				t.Errorf("Resolve(%q) = %s, but Country(%s) = %v", q.name, got(m), m.Code, s.Country(m.Code))
			}
		case knowledge.MatchTopic:
			gotTarget = "topic " + m.Topic.ID
		}
		if gotTarget != want {
			t.Errorf("Resolve(%q) (%s name of %s) = %s, want %s", q.name, q.lang, q.target(), got(m), want)
		}
		checked++
	}
	for f, ts := range collisions {
		if !knownCollisions[f] {
			t.Errorf("names folding to %q belong to %v at the same priority: resolve the clash or list it in knownCollisions", f, ts)
		}
	}
	for f := range knownCollisions {
		if collisions[f] == nil {
			t.Errorf("knownCollisions lists %q, which no longer collides: remove it", f)
		}
	}
	if checked < 250*len(nameLangs)/2 {
		t.Errorf("only %d names checked; the oracle is not looking at the data", checked)
	}
	t.Logf("%d names checked against the linear scan, %d collisions skipped", checked, len(collisions))
}

// TestResolveEveryCountry checks that every country on record is found by
// its display name, its alpha-2 and alpha-3 codes in any case, and that
// every valid code without a card is MatchNoData.
func TestResolveEveryCountry(t *testing.T) {
	s := store(t)
	for _, c := range s.Countries() {
		r := language.MustParseRegion(c.Code)
		queries := []string{c.Name, strings.ToUpper(c.Name), strings.ToLower(c.Name), c.Code, strings.ToLower(c.Code)}
		if a3 := r.ISO3(); a3 != "ZZZ" && c.Code != "XK" {
			queries = append(queries, a3, strings.ToLower(a3))
		}
		for _, alias := range c.Aliases {
			queries = append(queries, alias)
		}
		queries = append(queries, fmt.Sprintf("/agreement %s", c.Name), fmt.Sprintf("what about %s?", c.Name))
		for _, q := range queries {
			check(t, s, q, s.Resolve(q), onRecord(c.Code))
		}
	}
	for _, code := range validCodes(t) {
		if s.Country(code) != nil {
			continue
		}
		check(t, s, code, s.Resolve(code), noData(code))
		if a3 := language.MustParseRegion(code).ISO3(); a3 != "ZZZ" {
			check(t, s, a3, s.Resolve(a3), noData(code))
		}
		if got := s.DisplayName(code); got == "" || got == code {
			t.Errorf("DisplayName(%q) = %q, want CLDR's English name", code, got)
		}
	}
}

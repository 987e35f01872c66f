package knowledge_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// mereMentions are countries without a card whose English name appears in
// what users see, but about which nothing is on record as a third-country
// destination: they are named as someone's nationality, in an outlet's
// name, or in passing. Every other card-less country named in the data
// must be tagged in a topic fact's countries, so that asking about it
// shows what is on record instead of "nothing on record".
var mereMentions = map[string]string{
	"US": "the United States itself",
	"FR": "only in the outlet name France 24",
	"CO": "nationality of people sent to Honduras; the sheets found only returns of Colombians (2025–26 flights) and cite no source for a third-country role",
	"NI": "nationality of people sent to Honduras and in Mexico's 2023 arrangement",
	"CU": "nationality of people sent to South Sudan, Eswatini and Mexico",
	"JM": "nationality of a man sent to Eswatini",
	"LA": "nationality of people sent to South Sudan and Eswatini, and on the planned Libya flight",
	"VN": "nationality of people sent to South Sudan and Eswatini, and on the planned Libya flight",
	"YE": "nationality of a man sent to Eswatini",
	"PH": "nationality of people sent to Eswatini and on the planned Libya flight",
	"SD": "nationality of a man sent to Eswatini; Uganda's refugees come from there",
	"IN": "nationality of people sent to Panama; Bhutanese deportees went via Delhi and were expelled to India",
	"NP": "nationality of people sent to Panama; Bhutanese deportees were expelled to Nepal",
	"KZ": "nationality of people on the Uzbek charter and sent to Costa Rica",
	"KG": "nationality of people on the Uzbek charter",
	"GE": "nationality of people sent to Costa Rica and Equatorial Guinea",
	"ER": "nationality of people sent to Equatorial Guinea",
	"ET": "nationality of people sent to Equatorial Guinea and Cameroon",
	"ZW": "nationality of people sent to Cameroon",
	"MA": "nationality of people sent to Cameroon; a deportee was returned via Morocco",
	"ML": "nationality of people sent to Ghana",
	"GN": "nationality of people sent to Ghana",
	"MM": "nationality of people sent to South Sudan",
}

// TestCardlessCountriesTaggedOrListed: a country without a card whose
// English name appears in what users see is either tagged in some topic
// fact's countries (the bot then shows what is on record about it) or
// listed in mereMentions with a reason.
func TestCardlessCountriesTaggedOrListed(t *testing.T) {
	s := store(t)
	tagged := map[string]bool{}
	for _, tp := range s.Topics() {
		for _, f := range tp.Facts {
			for _, code := range f.Countries {
				tagged[code] = true
			}
		}
	}
	// Names of every country, longest first, so that "Guinea" inside
	// "Equatorial Guinea" or "Congo" inside "Democratic Republic of Congo"
	// is not taken for a mention of Guinea or of Congo.
	type name struct{ code, name string }
	var names []name
	for _, code := range validCodes(t) {
		n := s.DisplayName(code)
		names = append(names, name{code, n})
		if c := s.Country(code); c != nil {
			for _, a := range c.Aliases {
				names = append(names, name{code, a})
			}
		}
		for _, v := range nameVariants(n) {
			names = append(names, name{code, v})
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return len(names[i].name) > len(names[j].name) })
	named := map[string][]string{} // code -> where
	for _, st := range shownTexts(s) {
		text := strings.ToLower(st.text) // blanking below keeps byte offsets
		for _, n := range names {
			for {
				i := indexWord(text, n.name)
				if i < 0 {
					break
				}
				if s.Country(n.code) == nil && !slices.Contains(named[n.code], st.where) {
					named[n.code] = append(named[n.code], st.where)
				}
				// Blank it out, so that a shorter name inside it is not found.
				text = text[:i] + strings.Repeat("#", len(n.name)) + text[i+len(n.name):]
			}
		}
	}
	for code, where := range named {
		_, listed := mereMentions[code]
		switch {
		case tagged[code] && listed:
			t.Errorf("%s (%s) is tagged in a topic fact and also listed as a mere mention: drop it from mereMentions", code, s.DisplayName(code))
		case !tagged[code] && !listed:
			t.Errorf("%s (%s) has no card and is named in %v, but no topic fact tags it in countries: tag it where the data says what is on record about it, or list it in mereMentions with a reason",
				code, s.DisplayName(code), where)
		}
	}
	for code, why := range mereMentions {
		if _, ok := named[code]; !ok {
			t.Errorf("mereMentions lists %s (%s: %s), which no shown text names: drop it", code, s.DisplayName(code), why)
		}
	}
	for code := range tagged {
		if s.Country(code) != nil {
			continue
		}
		if len(s.Mentions(code)) == 0 {
			t.Errorf("%s is tagged but Mentions(%s) is empty", code, code)
		}
	}
}

// nameVariants are other spellings of a CLDR English name that the data
// may use: without a bracketed part ("Myanmar (Burma)"), with "and" for
// "&", and "Saint" for "St.".
func nameVariants(n string) []string {
	var out []string
	if i := strings.Index(n, " ("); i > 0 {
		out = append(out, n[:i])
	}
	if strings.Contains(n, "&") {
		out = append(out, strings.ReplaceAll(n, "&", "and"))
	}
	if strings.HasPrefix(n, "St. ") {
		out = append(out, "Saint "+n[4:], "St "+n[4:])
	}
	return out
}

// indexWord finds name in text as whole words, ignoring case, or -1.
func indexWord(text, name string) int {
	lt, ln := strings.ToLower(text), strings.ToLower(name)
	from := 0
	for {
		i := strings.Index(lt[from:], ln)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(ln)
		before := i == 0 || !isWordRune(lastRune(lt[:i]))
		after := end == len(lt) || !isWordRune(firstRune(lt[end:]))
		if before && after {
			return i
		}
		from = i + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}

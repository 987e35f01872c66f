package knowledge_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// numberWords are the ways the data writes small counts in words.
var numberWords = map[int][]string{
	0: {"no one", "no transfers", "none"}, 1: {"one"}, 2: {"two"}, 3: {"three"}, 4: {"four"},
	5: {"five"}, 6: {"six"}, 7: {"seven"}, 8: {"eight"}, 9: {"nine"}, 10: {"ten"},
	12: {"dozen"}, 100: {"one hundred"},
}

// floorWords say that a count is a floor.
var floorWords = regexp.MustCompile(`(?i)\b(at least|more than|over|between)\b`)

// sayCount reports whether text states count n: as digits (with or without
// thousands commas) or, for the few counts in numberWords, in words.
func sayCount(text string, n int) bool {
	lower := strings.ToLower(text)
	digits := strconv.Itoa(n)
	withCommas := digits
	for i := len(digits) - 3; i > 0; i -= 3 {
		withCommas = withCommas[:i] + "," + withCommas[i:]
	}
	for _, form := range []string{digits, withCommas} {
		if regexp.MustCompile(`(^|[^\d,])` + regexp.QuoteMeta(form) + `([^\d,]|,\D|,$|$)`).MatchString(lower) {
			return true
		}
	}
	for _, w := range numberWords[n] {
		if regexp.MustCompile(`\b` + w + `\b`).MatchString(lower) {
			return true
		}
	}
	return false
}

// TestCountsSayTheirNumbers: every structured count (people on a country,
// totals on a topic) says its number in its own text, a floor says it is
// one ("at least", "more than"), and a count is dated at or before the
// data's as-of date. So the number a "how many" answer uses is the number
// its sourced text gives, and nothing else.
func TestCountsSayTheirNumbers(t *testing.T) {
	s := store(t)
	asOf := s.AsOf().Earliest()
	check := func(where string, c knowledge.Count) {
		if !sayCount(c.Text, c.Count) {
			t.Errorf("%s: count %d does not appear in its text %q", where, c.Count, c.Text)
		}
		if c.AtLeast && !floorWords.MatchString(c.Text) {
			t.Errorf("%s: at_least count %d, but the text does not say it is a floor: %q", where, c.Count, c.Text)
		}
		if c.AsOf.Earliest().After(asOf) {
			t.Errorf("%s: as_of %s is after the data's as-of date %s", where, c.AsOf, s.AsOf())
		}
		if editorsWords.MatchString(c.Text) {
			t.Errorf("%s: editor's note in a count's text: %q", where, c.Text)
		}
	}
	people := 0
	for _, c := range s.Countries() {
		for _, p := range c.People {
			check(c.File+" people", p)
			people++
		}
	}
	totals := 0
	for _, tp := range s.Topics() {
		for _, tot := range tp.Totals {
			check("topic "+tp.ID+" totals", tot.Count)
			if strings.TrimSpace(tot.Scope) == "" {
				t.Errorf("topic %s total %d has no scope", tp.ID, tot.Count.Count)
			}
			totals++
		}
	}
	if people == 0 || totals == 0 {
		t.Errorf("%d people counts and %d totals: want some of each", people, totals)
	}
	// The check itself.
	for _, tt := range []struct {
		text string
		n    int
		want bool
	}{
		{"5,446 foreigners", 5446, true}, {"5446 foreigners", 5446, true}, {"15 people", 5, false},
		{"Eight men", 8, true}, {"a dozen", 12, true}, {"42 in all", 42, true}, {"1,420 people", 42, false},
		{"No one had been sent", 0, true}, {"at least 19, by 2026", 19, true},
	} {
		if got := sayCount(tt.text, tt.n); got != tt.want {
			t.Errorf("sayCount(%q, %d) = %v, want %v", tt.text, tt.n, got, tt.want)
		}
	}
}

// TestCountsWhereReported: the countries with people sent there that the
// fact sheets count have a structured count; Uganda's reported first
// flight has no date and stays in numbers only.
func TestCountsWhereReported(t *testing.T) {
	s := store(t)
	for _, code := range []string{"HN", "SV", "SS", "SZ", "GT", "XK", "RW", "MX", "CR", "PA", "GH", "GQ", "CM", "PW", "UZ", "BT", "DJ"} {
		c := s.Country(code)
		if c == nil || len(c.People) == 0 {
			t.Errorf("%s: no people counts; the sheets report how many were sent there", code)
		}
	}
	want := map[string]int{"SZ": 19, "GQ": 29, "GH": 42, "RW": 7, "SS": 8, "XK": 1, "PA": 299, "CR": 135}
	for code, n := range want {
		found := false
		for _, p := range s.Country(code).People {
			if p.Count == n {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no people count of %d", code, n)
		}
	}
}

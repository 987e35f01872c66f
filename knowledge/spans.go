package knowledge

import (
	"slices"
	"strings"
)

// Span is a country named by a run of words of a question: words
// [Start, End) of the folded words given.
type Span struct {
	Start, End int
	Code       string
}

// CountriesIn finds the countries named word for word in a question's
// folded words (see Fold), longest names first and never overlapping, in
// the order they appear. Names count in every language the store knows;
// topics do not. It never finds the United States (the deporting country)
// and never a bare ISO code: a code is a name only as a whole query (see
// Resolve), not inside a sentence, where "es" or "de" are words.
func (s *Store) CountriesIn(words []string) []Span {
	ix := s.nameIndex()
	return spans(words, ix.maxWords, func(run []string) string {
		if len(run) == 1 && stopwords()[run[0]] {
			return ""
		}
		return ix.exact[strings.Join(run, " ")].ent.code
	})
}

// NationalitiesIn finds nationality words ("Cubans", "South Sudanese") in
// a question's folded words, longest first, never overlapping, in order.
// The Span's Code is the nationality's country.
func (s *Store) NationalitiesIn(words []string) []Span {
	const maxWords = 3 // "brazzaville congolese", "american samoans"
	return spans(words, maxWords, func(run []string) string {
		return s.demonymIndex[strings.Join(run, " ")]
	})
}

// spans finds the runs of at most maxWords words that code names a
// country in, longest first and never overlapping, in the order they
// appear; code returns "" for a run that names none. The United States
// is never found.
func spans(words []string, maxWords int, code func(run []string) string) []Span {
	taken := make([]bool, len(words))
	var out []Span
	for n := min(maxWords, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			if slices.Contains(taken[i:i+n], true) {
				continue
			}
			c := code(words[i : i+n])
			if c == "" || c == "US" {
				continue
			}
			for k := i; k < i+n; k++ {
				taken[k] = true
			}
			out = append(out, Span{Start: i, End: i + n, Code: c})
		}
	}
	slices.SortFunc(out, func(a, b Span) int { return a.Start - b.Start })
	return out
}

// Stopword reports whether a folded word is one that is never part of a
// name ("does", "deportees", "the").
func Stopword(w string) bool { return stopwords()[w] }

// TopicNamed returns the topic whose id, title or alias is exactly text
// (folded), or nil: "payments" is the money topic, "how much did we pay"
// is not.
func (s *Store) TopicNamed(text string) *Topic {
	if ne, ok := s.quick[fold(text)]; ok && ne.ent.topic != "" {
		return s.topicByID[ne.ent.topic]
	}
	return nil
}

// Named reports whether text, folded, is exactly the name of a country in
// any language the store knows (no typos, no codes, no words around it):
// "new zealand" is a country even though "new" is also a command word.
func (s *Store) Named(text string) (Match, bool) {
	f := fold(text)
	if ne, ok := s.quick[f]; ok && ne.ent.code != "" {
		return s.match(ne.ent), true
	}
	if ne, ok := s.nameIndex().exact[f]; ok && ne.ent.code != "" {
		return s.match(ne.ent), true
	}
	return Match{}, false
}

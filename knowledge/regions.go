package knowledge

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// notCurrent are region codes that CLDR still counts as countries but that
// are not current ISO 3166-1 alpha-2 assignments: exceptionally or
// transitionally reserved codes (Ascension, Clipperton, Diego Garcia,
// Tristan da Cunha; Netherlands Antilles, Serbia and Montenegro, USSR,
// Yugoslavia, French Southern and Antarctic Territories, Neutral Zone,
// Pacific Islands Trust Territory).
var notCurrent = map[string]bool{
	"AC": true, "CP": true, "DG": true, "TA": true,
	"AN": true, "CS": true, "SU": true, "YU": true, "FQ": true, "NT": true, "PC": true,
}

// validCode reports whether code is a current ISO 3166-1 alpha-2 code, or XK,
// which the loader allows for Kosovo.
func validCode(code string) bool {
	if code == "XK" {
		return true
	}
	if len(code) != 2 || strings.ToUpper(code) != code || notCurrent[code] {
		return false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() || r.String() != code {
		return false
	}
	return r.Canonicalize().String() == code && r.ISO3() != "ZZZ"
}

// allCodes lists every valid code, in order.
func allCodes() []string {
	var out []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if c := string([]rune{a, b}); validCode(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// regionTable holds what CLDR says of every region code, independent of
// the data: English names and alpha-3 codes.
type regionTable struct {
	codes   []string          // every valid alpha-2 code, sorted
	folded  []string          // folded English name, by index in codes
	english map[string]string // alpha-2 -> English name
	lookup  map[string]string // lower-case alpha-2 or alpha-3 -> alpha-2
}

// regionTables is built once per process and shared, read-only, by every
// store (a reload reuses it). Load starts building it in the background
// while the data files are read.
var regionTables = sync.OnceValue(func() *regionTable {
	rt := &regionTable{codes: allCodes()}
	rt.folded = make([]string, len(rt.codes))
	rt.english = make(map[string]string, len(rt.codes))
	rt.lookup = make(map[string]string, 2*len(rt.codes))
	for i, code := range rt.codes {
		name := englishName(code)
		rt.english[code] = name
		rt.folded[i] = fold(name)
		rt.lookup[strings.ToLower(code)] = code
		if a3 := iso3(code); a3 != "" {
			rt.lookup[strings.ToLower(a3)] = code
		}
	}
	return rt
})

// nameLanguages are the languages whose CLDR country names are recognised.
var nameLanguages = []language.Tag{
	language.English, language.Spanish, language.French, language.Portuguese,
	language.German, language.Italian, language.Arabic, language.Russian,
	language.Chinese,
}

// cldrNames returns the CLDR names of a region in every name language.
func cldrNames(code string) []string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range nameLanguages {
		if n := display.Regions(t).Name(r); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// englishName is CLDR's English name for a code (used for countries without
// a data file, e.g. France).
func englishName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return display.Regions(language.English).Name(r)
}

// iso3 returns the alpha-3 code for an alpha-2 code, or "".
func iso3(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return ""
	}
	c := r.ISO3()
	if c == "ZZZ" {
		return ""
	}
	return c
}

// folder pools the stateful, costly-to-build transformers fold needs.
type folder struct {
	strip transform.Transformer
	fold  cases.Caser
}

var folders = sync.Pool{New: func() any {
	return &folder{
		strip: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC),
		fold:  cases.Fold(),
	}
}}

// fold normalises text for matching: Unicode case folding, accents removed,
// punctuation turned into spaces, spaces collapsed. "Panamá" and "PANAMA"
// both fold to "panama"; "Côte d’Ivoire" folds to "cote d ivoire".
func fold(s string) string {
	if ascii(s) {
		return foldASCII(s)
	}
	f := folders.Get().(*folder)
	out, _, err := transform.String(f.strip, s)
	if err != nil {
		out = s
	}
	out = f.fold.String(out)
	folders.Put(f)
	var b strings.Builder
	b.Grow(len(out))
	space := true
	for _, r := range out {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldASCII is fold for ASCII input, without allocation beyond the result:
// it is on the hot path of every query.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}

package knowledge

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// wordsFile holds the words the bot understands in questions. It is
// optional: without it, only names and commands are understood.
const wordsFile = "words.yaml"

// Aspect is what a question about one country asks for.
type Aspect string

// The aspects, a closed vocabulary shared with the `ask --json` contract.
const (
	AspectNone    Aspect = ""
	AspectMoney   Aspect = "money"
	AspectNumbers Aspect = "numbers"
	AspectPeople  Aspect = "people"
	AspectDates   Aspect = "dates"
	AspectTerms   Aspect = "terms"
	AspectStatus  Aspect = "status"
	AspectSources Aspect = "sources"
	AspectRights  Aspect = "rights"
	AspectLaw     Aspect = "law"
)

// Aspects lists every aspect in the order a question's words are weighed:
// when a question has words of several, the first listed wins ("how much"
// beats "paid", "how many" beats "took").
func Aspects() []Aspect {
	return []Aspect{AspectMoney, AspectNumbers, AspectPeople, AspectDates, AspectTerms, AspectRights, AspectLaw, AspectSources, AspectStatus}
}

// Filter words besides the statuses: every country that agreed, signed or
// received; every country with a reported payment.
const (
	FilterAgreed = "agreed"
	FilterPaid   = "paid"
)

// Phrases are words or runs of words, folded (lower case, no accents,
// punctuation as spaces) as Fold folds a question.
type Phrases []string

// Region is a UN M49 region a list or map can be filtered by.
type Region struct {
	Name    string // the filter value: africa, central-america, ...
	M49     string // the UN M49 code, e.g. 002
	Phrases Phrases
	region  language.Region
}

// Lexicon is the words of questions, from words.yaml, in English and
// Spanish together.
type Lexicon struct {
	Aspects  map[Aspect]Phrases
	Statuses map[string]Phrases // a status, FilterAgreed or FilterPaid
	Regions  []Region           // in file order
	Deporter Phrases            // the United States, in any spelling
	People   Phrases            // nouns for the people deported ("deportados")
	Ignore   Phrases            // words with no meaning of their own in a question
	Many     Phrases            // "which countries"
	Most     Phrases            // "the most"
	Total    Phrases            // "in total"
	Topics   map[string]Phrases // topic id -> phrases asking for it
	Since    Phrases
	In       Phrases
	ThisWeek Phrases
	Month    Phrases // this month
	New      Phrases
	Months   [12]Phrases
}

// Words returns the lexicon; it is empty (not nil) without words.yaml.
func (s *Store) Words() *Lexicon { return s.words }

// Region returns a region by its filter name.
func (l *Lexicon) Region(name string) (Region, bool) {
	for _, r := range l.Regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// Contains reports whether the region contains the country, by UN M49
// containment as golang.org/x/text knows it (which puts Kosovo, XK, in
// Southern Europe, although M49 does not list it).
func (r Region) Contains(code string) bool {
	c, err := language.ParseRegion(code)
	return err == nil && r.region.Contains(c)
}

// Fold folds text the way names and words are matched: lower case, accents
// and punctuation removed, spaces collapsed.
func Fold(s string) string { return fold(s) }

// wordList is one entry of words.yaml: its English and Spanish phrases.
type wordList struct {
	EN []str `yaml:"en"`
	ES []str `yaml:"es"`
}

type regionFile struct {
	M49 str   `yaml:"m49"`
	EN  []str `yaml:"en"`
	ES  []str `yaml:"es"`
}

type timeFile struct {
	Since     wordList   `yaml:"since"`
	In        wordList   `yaml:"in"`
	ThisWeek  wordList   `yaml:"this-week"`
	ThisMonth wordList   `yaml:"this-month"`
	New       wordList   `yaml:"new"`
	Months    []wordList `yaml:"months"`
}

type wordsFileData struct {
	Aspects  namedLists  `yaml:"aspects"`
	Statuses namedLists  `yaml:"statuses"`
	Regions  namedRegion `yaml:"regions"`
	Deporter wordList    `yaml:"deporter"`
	People   wordList    `yaml:"people"`
	Ignore   wordList    `yaml:"ignore"`
	Many     wordList    `yaml:"many"`
	Most     wordList    `yaml:"most"`
	Total    wordList    `yaml:"total"`
	Topics   namedLists  `yaml:"topics"`
	Time     timeFile    `yaml:"time"`
}

// named is a mapping of names to entries, decoded in file order with
// lines; an entry may have only the fields its type lists (see fields).
type (
	namedEntry[T any] struct {
		Name  str
		Value T
	}
	namedLists  []namedEntry[wordList]
	namedRegion []namedEntry[regionFile]
)

func (n *namedLists) UnmarshalYAML(node *yaml.Node) error {
	return decodeNamed(node, (*[]namedEntry[wordList])(n), "en", "es")
}

func (n *namedRegion) UnmarshalYAML(node *yaml.Node) error {
	return decodeNamed(node, (*[]namedEntry[regionFile])(n), "m49", "en", "es")
}

// decodeNamed decodes a mapping of names to entries, each strictly.
func decodeNamed[T any](node *yaml.Node, out *[]namedEntry[T], fields ...string) error {
	return eachPair(node, func(k, v *yaml.Node) error {
		e := namedEntry[T]{Name: str{k.Value, k.Line}}
		err := decodeStrict(v, &e.Value, fields...)
		*out = append(*out, e)
		return err
	})
}

// decodeStrict decodes a mapping that may have only the given fields:
// Node.Decode would accept unknown ones, so the keys are checked first.
func decodeStrict(n *yaml.Node, v any, fields ...string) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a mapping with en and es", n.Line)}}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(fields, k.Value) {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s is not a known field of this entry", k.Line, k.Value)}}
		}
	}
	return n.Decode(v)
}

// loadWords validates words.yaml and builds the lexicon. Every list needs
// both languages; names come from closed vocabularies; a phrase may stand
// once in a list.
func (s *Store) loadWords(p *problems, w *wordsFileData) {
	l := &Lexicon{Aspects: map[Aspect]Phrases{}, Statuses: map[string]Phrases{}, Topics: map[string]Phrases{}}
	s.words = l
	if w == nil {
		return
	}
	phrases := func(what string, line int, wl wordList) Phrases {
		if (len(wl.EN) == 0) != (len(wl.ES) == 0) {
			p.add(wordsFile, line, "%s: give both en and es words", what)
		}
		var out Phrases
		seen := map[string]bool{}
		for _, ph := range slices.Concat(wl.EN, wl.ES) {
			f := fold(ph.V)
			switch {
			case f == "":
				p.add(wordsFile, ph.Line, "%s: an empty phrase", what)
			case seen[f]:
				// The same word in both languages ("legal") is fine; keep one.
			default:
				seen[f] = true
				out = append(out, f)
			}
		}
		return out
	}
	aspects := map[Aspect]bool{}
	for _, a := range Aspects() {
		aspects[a] = true
	}
	for _, e := range w.Aspects {
		a := Aspect(e.Name.V)
		if !aspects[a] {
			p.add(wordsFile, e.Name.Line, "aspects: unknown aspect %q (use one of %s)", e.Name.V, aspectList())
			continue
		}
		l.Aspects[a] = phrases("aspects."+e.Name.V, e.Name.Line, e.Value)
	}
	for _, e := range w.Statuses {
		if st := Status(e.Name.V); !st.Valid() && e.Name.V != FilterAgreed && e.Name.V != FilterPaid {
			p.add(wordsFile, e.Name.Line, "statuses: %q is not a status, %s or %s", e.Name.V, FilterAgreed, FilterPaid)
			continue
		}
		l.Statuses[e.Name.V] = phrases("statuses."+e.Name.V, e.Name.Line, e.Value)
	}
	for _, e := range w.Regions {
		r, err := language.ParseRegion(e.Value.M49.V)
		if err != nil || r.IsCountry() || !isDigits(e.Value.M49.V) || r.String() != e.Value.M49.V {
			p.add(wordsFile, e.Value.M49.Line, "regions.%s: %q is not a UN M49 region code", e.Name.V, e.Value.M49.V)
			continue
		}
		l.Regions = append(l.Regions, Region{Name: e.Name.V, M49: e.Value.M49.V, region: r,
			Phrases: phrases("regions."+e.Name.V, e.Name.Line, wordList{EN: e.Value.EN, ES: e.Value.ES})})
	}
	l.Deporter = phrases("deporter", 0, w.Deporter)
	l.People = phrases("people", 0, w.People)
	l.Ignore = phrases("ignore", 0, w.Ignore)
	l.Many = phrases("many", 0, w.Many)
	l.Most = phrases("most", 0, w.Most)
	l.Total = phrases("total", 0, w.Total)
	for _, e := range w.Topics {
		if s.topicByID[e.Name.V] == nil {
			p.add(wordsFile, e.Name.Line, "topics: no topic %q in %s", e.Name.V, topicsFile)
			continue
		}
		l.Topics[e.Name.V] = phrases("topics."+e.Name.V, e.Name.Line, e.Value)
	}
	t := w.Time
	l.Since = phrases("time.since", 0, t.Since)
	l.In = phrases("time.in", 0, t.In)
	l.ThisWeek = phrases("time.this-week", 0, t.ThisWeek)
	l.Month = phrases("time.this-month", 0, t.ThisMonth)
	l.New = phrases("time.new", 0, t.New)
	if len(t.Months) != 0 && len(t.Months) != 12 {
		p.add(wordsFile, 0, "time.months: want the 12 months in order, got %d", len(t.Months))
	}
	for i := range min(len(t.Months), 12) {
		l.Months[i] = phrases(fmt.Sprintf("time.months[%d]", i+1), 0, t.Months[i])
	}
}

func aspectList() string {
	var b []string
	for _, a := range Aspects() {
		b = append(b, string(a))
	}
	return strings.Join(b, ", ")
}

package knowledge

import (
	"context"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

// searchStop are words too common to search for.
var searchStop = sync.OnceValue(func() map[string]bool {
	return wordSet(`a an the and or of to in on at for with by is are was were be been it its as that this from`)
})

// Field weights: a hit in a name counts more than one in a summary, which
// counts more than one in the body.
const (
	weightName    = 4
	weightSummary = 2
	weightBody    = 1
)

// The fields of a document, each weighted and length-normalised on its own
// (BM25F), so that a long card still ranks first for its own name.
const (
	fieldName = iota
	fieldSummary
	fieldBody
	numFields
)

var fieldWeight = [numFields]float64{weightName, weightSummary, weightBody}

type sentence struct {
	text  string
	stems []string // sorted, unique
	bloom uint64   // a bit per stem (stemBit), to skip most sentences fast
}

// stemBit is the bit of a stem in a sentence's bloom filter.
func stemBit(st string) uint64 {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(st); i++ {
		h = (h ^ uint32(st[i])) * 16777619
	}
	return 1 << (h % 64)
}

type searchDoc struct {
	country   *Country
	topic     *Topic
	length    [numFields]float64 // token count of each field
	sentences []sentence
}

type posting struct {
	doc int
	tf  [numFields]float64 // term frequency in each field
}

type searchIndex struct {
	docs     []searchDoc
	postings map[string][]posting
	avgLen   [numFields]float64
}

// SearchHit is one document that matched every word.
type SearchHit struct {
	Country *Country // or nil for a topic
	Topic   *Topic
	Snippet string // the best matching sentence
	Score   float64
}

// tokens folds text and splits it into words.
func tokens(text string) []string { return strings.Fields(fold(text)) }

func stem(w string) string { return english.Stem(w, true) }

// stems memoises stem while an index is built: most words repeat.
type stems map[string]string

func (c stems) of(w string) string {
	s, ok := c[w]
	if !ok {
		s = stem(w)
		c[w] = s
	}
	return s
}

// buildSearch builds the full-text index, unless it is built already. It
// reports false, keeping nothing, if ctx is done first.
func (s *Store) buildSearch(ctx context.Context) bool {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	if s.search != nil {
		return true
	}
	ix := &searchIndex{postings: map[string][]posting{}}
	memo := stems{}
	addDoc := func(d searchDoc, fields [numFields][]string) {
		id := len(ix.docs)
		tf := map[string]*[numFields]float64{}
		for f, texts := range fields {
			for _, text := range texts {
				for _, t := range tokens(text) {
					if searchStop()[t] {
						continue
					}
					st := memo.of(t)
					if tf[st] == nil {
						tf[st] = new([numFields]float64)
					}
					tf[st][f]++
					d.length[f]++
				}
			}
		}
		for st, f := range tf {
			ix.postings[st] = append(ix.postings[st], posting{doc: id, tf: *f})
		}
		ix.docs = append(ix.docs, d)
	}
	for _, c := range s.countries {
		if ctx.Err() != nil {
			return false
		}
		body := c.bodyTexts(s)
		d := searchDoc{country: c, sentences: sentences(memo, append(append([]string{c.Summary}, body...), alsoCalled(c.Name, c.Aliases)))}
		addDoc(d, [numFields][]string{append([]string{c.Name}, c.Aliases...), {c.Summary}, body})
	}
	for _, t := range s.topics {
		if ctx.Err() != nil {
			return false
		}
		var body []string
		for _, f := range t.Facts {
			body = append(body, f.Text)
		}
		for _, tot := range t.Totals {
			body = append(body, tot.Text)
		}
		// Editor notes are for maintainers and are never searched.
		for _, e := range t.Timeline {
			body = append(body, e.Text)
		}
		d := searchDoc{topic: t, sentences: sentences(memo, append(append([]string{t.Summary}, body...), alsoCalled(t.Title, append([]string{t.ID}, t.Aliases...))))}
		addDoc(d, [numFields][]string{append([]string{t.Title, t.ID}, t.Aliases...), {t.Summary}, body})
	}
	for _, d := range ix.docs {
		for f := range numFields {
			ix.avgLen[f] += d.length[f] / float64(len(ix.docs))
		}
	}
	s.search = ix
	return true
}

// searchIndex returns the search index, building it or waiting for a build
// under way.
func (s *Store) searchIndex() *searchIndex {
	s.waitIndexed()
	return s.search
}

// bodyTexts are the searchable texts of a card besides name and summary.
func (c *Country) bodyTexts(s *Store) []string {
	var body []string
	for _, fs := range [][]Fact{c.Accepts, c.Conditions, c.Numbers, c.LegalBasis, c.HumanRights, c.Conflicts, c.Notes} {
		for _, f := range fs {
			body = append(body, f.Text)
		}
	}
	for _, g := range c.Groups {
		body = append(body, g.Name)
		if g.Note != "" {
			body = append(body, g.Note)
		}
	}
	for _, n := range c.People {
		body = append(body, n.Text)
	}
	if c.OrderNote != "" {
		body = append(body, c.OrderNote)
	}
	for _, a := range c.Received {
		// A sentence, since it may be shown as the snippet of a search for
		// "Cubans".
		text := "People sent there include nationals of " + englishName(a.Code)
		if words := s.demonyms[a.Code]; len(words) > 0 {
			text += " (" + strings.Join(words, ", ") + ")"
		}
		body = append(body, text+".")
	}
	for _, p := range c.Payments {
		body = append(body, p.Text)
	}
	for _, e := range c.Timeline {
		body = append(body, e.Text)
	}
	// Editor notes are for maintainers and are never searched.
	return body
}

// alsoCalled is a last sentence for snippets, for a search that matches
// only an alias ("Swaziland"): "Eswatini (also: Swaziland, Kingdom of
// Eswatini)". It is "" when there is no other name.
func alsoCalled(name string, aliases []string) string {
	seen := map[string]bool{fold(name): true}
	var other []string
	for _, a := range aliases {
		if f := fold(a); !seen[f] {
			seen[f] = true
			other = append(other, a)
		}
	}
	if len(other) == 0 {
		return ""
	}
	return name + " (also: " + strings.Join(other, ", ") + ")"
}

// sentences splits texts into sentences and precomputes their stems.
func sentences(memo stems, texts []string) []sentence {
	var out []sentence
	for _, t := range texts {
		for _, st := range splitSentences(t) {
			set := map[string]bool{}
			for _, w := range tokens(st) {
				set[memo.of(w)] = true
			}
			stems := make([]string, 0, len(set))
			for w := range set {
				stems = append(stems, w)
			}
			sort.Strings(stems)
			var bloom uint64
			for _, w := range stems {
				bloom |= stemBit(w)
			}
			out = append(out, sentence{text: st, stems: stems, bloom: bloom})
		}
	}
	return out
}

func splitSentences(t string) []string {
	var out []string
	start := 0
	for i := range len(t) {
		if SentenceEnd(t, i) {
			out = append(out, strings.TrimSpace(t[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(t[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// SentenceEnd reports whether t[i] ends a sentence: a full stop, question
// mark or exclamation mark followed by a space and a capital, after a word
// that is not an abbreviation ("U.S.", "Sen.", "Sept.", "St. Lucia").
func SentenceEnd(t string, i int) bool {
	if i+2 >= len(t) || t[i+1] != ' ' || t[i+2] < 'A' || t[i+2] > 'Z' {
		return false
	}
	switch t[i] {
	case '?', '!':
		return true
	case '.':
		return !abbreviation(t[strings.LastIndexByte(t[:i], ' ')+1 : i])
	}
	return false
}

// abbreviation reports whether a word before a full stop is an
// abbreviation rather than the end of a sentence.
func abbreviation(w string) bool {
	if strings.Contains(w, ".") || len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true // U.S.C, initials
	}
	switch w {
	case "Sen", "Rep", "Gen", "Dr", "Mr", "Mrs", "Ms", "Jr", "St", "No", "Vol", "Gov", "Lt", "Col", "Capt",
		"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "approx":
		return true
	}
	return false
}

// SearchTerms returns the stemmed words of a search query, without stop
// words. An empty result means there is nothing to search for.
func SearchTerms(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tokens(query) {
		if searchStop()[t] {
			continue
		}
		st := stem(t)
		if !seen[st] {
			seen[st] = true
			out = append(out, st)
		}
	}
	return out
}

// Search returns the documents that contain every word of query (after
// folding and stemming), best first by BM25 over weighted fields, each with
// the sentence that matches best.
func (s *Store) Search(query string) []SearchHit {
	terms := SearchTerms(query)
	if len(terms) == 0 {
		return nil
	}
	ix := s.searchIndex()
	const k1, b = 1.2, 0.75
	n := float64(len(ix.docs))
	scores := map[int]float64{}
	for i, t := range terms {
		ps := ix.postings[t]
		if len(ps) == 0 {
			return nil
		}
		idf := math.Log(1 + (n-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
		next := make(map[int]float64, len(ps))
		for _, p := range ps {
			prev, ok := scores[p.doc]
			if i > 0 && !ok {
				continue // require every word
			}
			d := &ix.docs[p.doc]
			tf := 0.0
			for f := range numFields {
				if p.tf[f] > 0 {
					tf += fieldWeight[f] * p.tf[f] / (1 - b + b*d.length[f]/ix.avgLen[f])
				}
			}
			next[p.doc] = prev + idf*tf*(k1+1)/(tf+k1)
		}
		scores = next
	}
	hits := make([]SearchHit, 0, len(scores))
	for id, sc := range scores {
		d := ix.docs[id]
		hits = append(hits, SearchHit{Country: d.country, Topic: d.topic, Score: sc, Snippet: bestSentence(d.sentences, terms)})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].name() < hits[j].name()
	})
	return hits
}

func (h SearchHit) name() string {
	if h.Country != nil {
		return h.Country.Name
	}
	return h.Topic.Title
}

func bestSentence(ss []sentence, terms []string) string {
	var bits [8]uint64
	for i, t := range terms[:min(len(terms), len(bits))] {
		bits[i] = stemBit(t)
	}
	best, bestN := "", 0
	for _, s := range ss {
		n := 0
		for i, t := range terms {
			if i < len(bits) && s.bloom&bits[i] == 0 {
				continue // certainly not in this sentence
			}
			i := sort.SearchStrings(s.stems, t)
			if i < len(s.stems) && s.stems[i] == t {
				n++
			}
		}
		if n > bestN {
			best, bestN = s.text, n
			if n == len(terms) {
				break
			}
		}
	}
	return best
}

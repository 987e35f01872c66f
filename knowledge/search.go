package knowledge

import (
	"math"
	"sort"
	"strings"

	"github.com/kljensen/snowball/english"
)

// searchStop are words too common to search for.
var searchStop = wordSet(`a an the and or of to in on at for with by is are was were be been it its as that this from`)

// Field weights: a hit in a name counts more than one in a summary, which
// counts more than one in the body.
const (
	weightName    = 4
	weightSummary = 2
	weightBody    = 1
)

type sentence struct {
	text  string
	stems []string // sorted, unique
}

type searchDoc struct {
	country   *Country
	topic     *Topic
	length    float64 // weighted token count
	sentences []sentence
}

type posting struct {
	doc int
	tf  float64 // weighted term frequency
}

type searchIndex struct {
	docs     []searchDoc
	postings map[string][]posting
	avgLen   float64
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

func (s *Store) buildSearch() {
	ix := &searchIndex{postings: map[string][]posting{}}
	memo := stems{}
	addDoc := func(d searchDoc, weighted map[string][]string) {
		id := len(ix.docs)
		tf := map[string]float64{}
		for _, w := range []struct {
			key    string
			weight float64
		}{{"name", weightName}, {"summary", weightSummary}, {"body", weightBody}} {
			for _, text := range weighted[w.key] {
				for _, t := range tokens(text) {
					if searchStop[t] {
						continue
					}
					tf[memo.of(t)] += w.weight
					d.length += w.weight
				}
			}
		}
		for st, f := range tf {
			ix.postings[st] = append(ix.postings[st], posting{doc: id, tf: f})
		}
		ix.docs = append(ix.docs, d)
	}
	for _, c := range s.countries {
		body := c.bodyTexts(s)
		d := searchDoc{country: c, sentences: sentences(memo, append([]string{c.Summary}, body...))}
		addDoc(d, map[string][]string{"name": append([]string{c.Name}, c.Aliases...), "summary": {c.Summary}, "body": body})
	}
	for _, t := range s.topics {
		var body []string
		for _, f := range t.Facts {
			body = append(body, f.Text)
		}
		for _, e := range t.Timeline {
			body = append(body, e.Text)
		}
		d := searchDoc{topic: t, sentences: sentences(memo, append([]string{t.Summary}, body...))}
		addDoc(d, map[string][]string{"name": append([]string{t.Title, t.ID}, t.Aliases...), "summary": {t.Summary}, "body": body})
	}
	total := 0.0
	for _, d := range ix.docs {
		total += d.length
	}
	if len(ix.docs) > 0 {
		ix.avgLen = total / float64(len(ix.docs))
	}
	s.search = ix
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
	}
	for _, a := range c.Received {
		if words := s.demonyms[a.Code]; len(words) > 0 {
			body = append(body, strings.Join(words, " ")+" "+englishName(a.Code))
		}
	}
	for _, p := range c.Payments {
		body = append(body, p.Text)
	}
	for _, e := range c.Timeline {
		body = append(body, e.Text)
	}
	return body
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
			out = append(out, sentence{text: st, stems: stems})
		}
	}
	return out
}

func splitSentences(t string) []string {
	var out []string
	start := 0
	for i := 0; i < len(t)-1; i++ {
		if (t[i] == '.' || t[i] == '?' || t[i] == '!') && t[i+1] == ' ' && i+2 < len(t) && t[i+2] >= 'A' && t[i+2] <= 'Z' {
			// "U.S. Army" and "St. Lucia" are not sentence ends.
			if i >= 1 && (t[i-1] >= 'A' && t[i-1] <= 'Z') && (i < 2 || t[i-2] == ' ' || t[i-2] == '.') {
				continue
			}
			if i >= 2 && t[i-2:i] == "St" || i >= 2 && t[i-2:i] == "Mr" || i >= 2 && t[i-2:i] == "Dr" || i >= 2 && t[i-2:i] == "No" {
				continue
			}
			out = append(out, strings.TrimSpace(t[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(t[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// SearchTerms returns the stemmed words of a search query, without stop
// words. An empty result means there is nothing to search for.
func SearchTerms(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tokens(query) {
		if searchStop[t] {
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
	ix := s.search
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
			d := ix.docs[p.doc]
			next[p.doc] = prev + idf*p.tf*(k1+1)/(p.tf+k1*(1-b+b*d.length/ix.avgLen))
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
	best, bestN := "", 0
	for _, s := range ss {
		n := 0
		for _, t := range terms {
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

package knowledge

import (
	"cmp"
	"context"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
)

// MatchKind says what a piece of text resolved to.
type MatchKind int

// The outcomes of resolving a name. They are never confused: a country with
// a data file (whatever its status) is MatchCountry; a real country with no
// data file is MatchNoData; anything else is MatchNone with suggestions.
const (
	MatchNone MatchKind = iota
	MatchCountry
	MatchNoData
	MatchTopic
)

// Match is the result of Resolve.
type Match struct {
	Kind    MatchKind
	Country *Country // MatchCountry
	Code    string   // MatchCountry and MatchNoData: ISO alpha-2
	Name    string   // display name of the country or topic title
	Topic   *Topic   // MatchTopic
	// Typo is set when the match was found by the typo rule rather than
	// word for word, so a caller can let a stronger reading win.
	Typo bool
	// Suggestions are "did you mean" candidates for MatchNone, best first.
	Suggestions []Suggestion
}

// Suggestion is a candidate name.
type Suggestion struct {
	Code  string // "" for a topic
	Topic string // topic id, "" for a country
	Name  string
}

// entity is what a name can refer to.
type entity struct {
	code  string // country code, or ""
	topic string // topic id, or ""
}

// Name priorities: lower wins when two names fold to the same text.
const (
	prioData    = iota // a data file's name or alias, a topic's id, title or alias
	prioEnglish        // CLDR English name
	prioOther          // CLDR name in another language
)

type nameEntry struct {
	name string // folded
	ent  entity
	prio int
	mid  bool // prefix index: starts at a later word of the name
}

type nameIndex struct {
	exact    map[string]nameEntry // folded name -> entity, every language
	fuzzy    []nameEntry          // ASCII names for typo matching, by length
	bags     []letterBag          // bags[i] is the letter bag of fuzzy[i]
	masks    []uint32             // masks[i]: which letters fuzzy[i] has
	byLen    [64]int              // byLen[n] = first index in fuzzy with len >= n
	prefix   []nameEntry          // every word-start suffix of every name, sorted
	maxWords int
}

// stopwords are words of a question that are never part of a name:
// "does rwanda take deportees?" leaves "rwanda".
var stopwords = sync.OnceValue(func() map[string]bool {
	return wordSet(`a an the and or of to in on at for with by about is are was were be been
		do does did doing has have had can could will would should may might which what who whom whose when where
		why how any some this that these those there their they them it its i me my we our you your he she his her
		please tell show give know info information status news update updates
		country countries nation nations government agree agreed agreement agreements deal deals pact accord
		accept accepts accepted accepting take takes took taking receive receives received receiving get gets got
		deportee deportees deport deports deported deportation deportations migrant migrants people person persons
		third third-country from us usa u s united states america american americans trump administration
		agreementbot agreement`)
})

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// buildQuick builds, before Load returns, what validation and the common
// case need: data names and aliases (checked for clashes), topic names,
// CLDR's English names and the ISO codes. Every other language, the typo
// and prefix indexes are built by buildNames in the background.
func (s *Store) buildQuick(p *problems) {
	rt := regionTables()
	s.quick = make(map[string]nameEntry, 3*len(rt.codes))
	s.codes = rt.lookup
	s.english = rt.english
	claimed := make(map[string]string, 4*len(s.countries))  // folded data alias -> code, to catch two countries claiming one alias
	claimedLine := make(map[string]int, 4*len(s.countries)) // folded data alias -> its line in the claiming file
	for _, c := range s.countries {
		e := entity{code: c.Code}
		for i, n := range append([]string{c.Name}, c.Aliases...) {
			line := 0
			if i < len(c.nameLines) {
				line = c.nameLines[i]
			}
			f := fold(n)
			if other, ok := claimed[f]; ok && other != c.Code {
				p.add(fileOf(c), line, "alias %q is also claimed by %s", n, s.byCode[other].File)
				continue
			}
			claimed[f] = c.Code
			claimedLine[f] = line
			addName(s.quick, f, e, prioData)
		}
	}
	for i, code := range rt.codes {
		f := rt.folded[i]
		if other, ok := claimed[f]; ok && other != code {
			// A data alias that is another country's English name is a
			// look-alike trap (e.g. "Guinea" on Equatorial Guinea).
			p.add(s.byCode[other].File, claimedLine[f], "alias %q is the English name of %s", rt.english[code], code)
		}
		addName(s.quick, f, entity{code: code}, prioEnglish)
	}
	for _, t := range s.topics {
		e := entity{topic: t.ID}
		for _, n := range append([]string{t.ID, t.Title}, t.Aliases...) {
			addName(s.quick, fold(n), e, prioData)
		}
	}
}

// addName records a folded name (and its Saint/St twin) unless a name of
// better or equal priority already holds it.
func addName(m map[string]nameEntry, f string, e entity, prio int) {
	// "St." and "Saint" are written both ways: CLDR has "St. Vincent &
	// Grenadines", people type "Saint Vincent and the Grenadines".
	for _, v := range [2]string{f, saintVariant(f)} {
		if v == "" {
			continue
		}
		if old, ok := m[v]; ok && old.prio <= prio {
			continue
		}
		m[v] = nameEntry{name: v, ent: e, prio: prio}
	}
}

// buildNames builds the full name index, unless it is built already: the
// quick names plus CLDR's names in every name language, the typo index and
// the prefix index. It reports false, keeping nothing, if ctx is done first.
func (s *Store) buildNames(ctx context.Context) bool {
	s.namesMu.Lock()
	defer s.namesMu.Unlock()
	if s.names != nil {
		return true
	}
	ix := &nameIndex{exact: make(map[string]nameEntry, 3*len(s.quick))}
	for f, ne := range s.quick {
		ix.exact[f] = ne
	}
	for _, code := range allCodes() {
		if ctx.Err() != nil {
			return false
		}
		e := entity{code: code}
		for i, n := range cldrNames(code) {
			prio := prioOther
			if i == 0 {
				prio = prioEnglish
			}
			addName(ix.exact, fold(n), e, prio)
		}
	}
	for f, ne := range ix.exact {
		if w := strings.Count(f, " ") + 1; w > ix.maxWords {
			ix.maxWords = w
		}
		if ascii(f) && len(f) < len(ix.byLen) {
			ix.fuzzy = append(ix.fuzzy, ne)
		}
		// Every word start, so "kitts" finds "saint kitts and nevis".
		for i := 0; i < len(f); i++ {
			if i == 0 || f[i-1] == ' ' {
				ix.prefix = append(ix.prefix, nameEntry{name: f[i:], ent: ne.ent, prio: ne.prio, mid: i > 0})
			}
		}
	}
	if ctx.Err() != nil {
		return false
	}
	sort.Slice(ix.fuzzy, func(i, j int) bool {
		a, b := ix.fuzzy[i], ix.fuzzy[j]
		if len(a.name) != len(b.name) {
			return len(a.name) < len(b.name)
		}
		return a.name < b.name
	})
	ix.bags = make([]letterBag, len(ix.fuzzy))
	ix.masks = make([]uint32, len(ix.fuzzy))
	for i, ne := range ix.fuzzy {
		ix.bags[i] = bagOf(ne.name)
		ix.masks[i] = ix.bags[i].mask()
	}
	n := 0
	for l := range ix.byLen {
		for n < len(ix.fuzzy) && len(ix.fuzzy[n].name) < l {
			n++
		}
		ix.byLen[l] = n
	}
	sort.Slice(ix.prefix, func(i, j int) bool {
		a, b := ix.prefix[i], ix.prefix[j]
		// A total order: the index must not depend on map iteration.
		return cmp.Or(
			strings.Compare(a.name, b.name),
			cmp.Compare(a.prio, b.prio),
			cmp.Compare(b2i(a.mid), b2i(b.mid)),
			strings.Compare(a.ent.code, b.ent.code),
			strings.Compare(a.ent.topic, b.ent.topic),
		) < 0
	})
	s.names = ix
	return true
}

// nameIndex returns the full name index, building it or waiting for a
// build under way (once; it is read-only afterwards).
func (s *Store) nameIndex() *nameIndex {
	s.waitIndexed()
	return s.names
}

// saintVariant spells a folded name's first "st" as "saint" or its first
// "saint" as "st", or returns "" when it has neither word.
func saintVariant(f string) string {
	w := " " + f + " "
	switch {
	case strings.Contains(w, " st "):
		w = strings.Replace(w, " st ", " saint ", 1)
	case strings.Contains(w, " saint "):
		w = strings.Replace(w, " saint ", " st ", 1)
	default:
		return ""
	}
	return w[1 : len(w)-1]
}

// DisplayName is the name shown for a country code: the data file's name
// when there is one, CLDR's English name otherwise.
func (s *Store) DisplayName(code string) string {
	if c := s.byCode[code]; c != nil {
		return c.Name
	}
	if n, ok := s.english[code]; ok {
		return n
	}
	return englishName(code)
}

func (s *Store) match(e entity) Match {
	if e.topic != "" {
		t := s.topicByID[e.topic]
		return Match{Kind: MatchTopic, Topic: t, Name: t.Title}
	}
	if c := s.byCode[e.code]; c != nil {
		return Match{Kind: MatchCountry, Country: c, Code: c.Code, Name: c.Name}
	}
	return Match{Kind: MatchNoData, Code: e.code, Name: s.DisplayName(e.code)}
}

func (s *Store) suggestion(e entity) Suggestion {
	if e.topic != "" {
		return Suggestion{Topic: e.topic, Name: s.topicByID[e.topic].Title}
	}
	return Suggestion{Code: e.code, Name: s.DisplayName(e.code)}
}

// Resolve finds the country or topic that text names. It accepts display
// names, aliases, CLDR names in nine languages, ISO alpha-2 and alpha-3 codes,
// names inside a question ("does rwanda take deportees?") and typos.
//
// Typo rule: a misspelt name resolves directly only when one candidate is
// clearly closest: within edit distance 1 (2 for names of more than five
// letters, transpositions counting 1), and strictly closer than any
// candidate for something else. Otherwise Resolve returns MatchNone with up
// to five suggestions.
func (s *Store) Resolve(text string) Match { return s.resolve(text, true) }

// resolve is Resolve; without prefixes, a MatchNone has only the typo
// suggestions (Complete finds the prefix matches itself).
func (s *Store) resolve(text string, prefixes bool) Match {
	f := fold(text)
	if f == "" {
		return Match{}
	}
	if ne, ok := s.quick[f]; ok {
		return s.match(ne.ent)
	}
	if code, ok := s.codes[f]; ok {
		return s.match(entity{code: code})
	}
	ix := s.nameIndex()
	if ne, ok := ix.exact[f]; ok {
		return s.match(ne.ent)
	}
	words := strings.Fields(f)
	if e, ok := s.scan(words, text); ok {
		return s.match(e)
	}
	var content []string
	for _, w := range words {
		if !stopwords()[w] {
			content = append(content, w)
		}
	}
	if len(content) == 0 {
		return Match{}
	}
	cands := []string{strings.Join(content, " ")}
	if len(content) > 1 && len(content) <= 8 {
		for i := range content {
			cands = append(cands, content[i])
			if i+1 < len(content) {
				cands = append(cands, content[i]+" "+content[i+1])
			}
		}
	}
	if e, ok := ix.exact[cands[0]]; ok {
		return s.match(e.ent)
	}
	best, sugg := s.fuzzy(cands)
	if best != nil {
		// A correctly spelt word of another country's name is not a typo:
		// "dominican" is one letter from Dominica but a word of the
		// Dominican Republic. Offer both instead of guessing.
		if !s.wordOfOtherName(cands[0], *best) {
			m := s.match(*best)
			m.Typo = true
			return m
		}
		sugg = []Suggestion{s.suggestion(*best)}
	}
	// Names that start with what was typed ("congo" suggests both Congos).
	if prefixes && len(cands[0]) >= 3 {
		pre := s.prefixMatches(cands[0], maxSuggestions)
		for _, sg := range sugg {
			pre = appendNew(pre, sg, maxSuggestions)
		}
		sugg = pre
	}
	return Match{Suggestions: sugg}
}

// scan looks for the longest run of words that is an exact name, and for
// upper-case ISO codes ("does HND take deportees").
func (s *Store) scan(words []string, orig string) (entity, bool) {
	ix := s.nameIndex()
	maxN := min(ix.maxWords, len(words))
	for n := maxN; n >= 1; n-- {
		var found *nameEntry
		for i := 0; i+n <= len(words); i++ {
			if n == 1 && stopwords()[words[i]] {
				continue
			}
			if ne, ok := ix.exact[strings.Join(words[i:i+n], " ")]; ok {
				if found == nil || better(ne, *found, s) {
					ne := ne
					found = &ne
				}
			}
		}
		if found != nil {
			return found.ent, true
		}
	}
	// An upper-case alpha-3 code inside a question ("does HND take
	// deportees"). Never a two-letter one: inside a sentence those are
	// words or parts of one ("EE.UU." is not Estonia); a bare code is a
	// name only as the whole query.
	for _, w := range strings.FieldsFunc(orig, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') }) {
		if len(w) == 3 && strings.ToUpper(w) == w && w != "USA" {
			if code, ok := s.codes[strings.ToLower(w)]; ok {
				return entity{code: code}, true
			}
		}
	}
	return entity{}, false
}

// better prefers names from the data, then countries on record.
func better(a, b nameEntry, s *Store) bool {
	if a.prio != b.prio {
		return a.prio < b.prio
	}
	return s.byCode[a.ent.code] != nil && s.byCode[b.ent.code] == nil
}

// maxSuggestions bounds "did you mean".
const maxSuggestions = 5

func typoLimit(n int) int {
	if n > 5 {
		return 2
	}
	return 1
}

// fuzzy finds the closest names to any candidate text.
func (s *Store) fuzzy(cands []string) (*entity, []Suggestion) {
	ix := s.nameIndex()
	type hit struct {
		ent  entity
		d    int
		prio int
		lim  int // the typo limit of the candidate text that came closest
		// words is how many words of the question the match covers: a
		// misspelt word inside a multi-word name ("south sudn") is closer
		// to that name than to the one its word alone is near (Sudan).
		words int
	}
	bestByEnt := map[entity]hit{}
	for _, c := range cands {
		limit := typoLimit(len(c))
		nw := strings.Count(c, " ") + 1
		maxD := limit + 1 // a little wider, for suggestions
		lo, hi := len(c)-maxD, len(c)+maxD+1
		if lo < 0 {
			lo = 0
		}
		if hi >= len(ix.byLen) {
			hi = len(ix.byLen) - 1
		}
		if lo >= hi {
			continue // longer than any name: nothing can be near it
		}
		cb := bagOf(c)
		cm := cb.mask()
		for k := ix.byLen[lo]; k < ix.byLen[hi]; k++ {
			if bits.OnesCount32(cm^ix.masks[k]) > 2*maxD || bagDiff(&cb, &ix.bags[k]) > 2*maxD {
				continue // too many letters differ for maxD edits
			}
			ne := ix.fuzzy[k]
			d := distance(c, ne.name, maxD)
			if d > maxD {
				continue
			}
			h, ok := bestByEnt[ne.ent]
			switch {
			case !ok || d < h.d:
				bestByEnt[ne.ent] = hit{ne.ent, d, ne.prio, limit, nw}
			case d == h.d:
				h.prio = min(h.prio, ne.prio)
				h.lim = max(h.lim, limit)
				h.words = max(h.words, nw)
				bestByEnt[ne.ent] = h
			}
		}
	}
	hits := make([]hit, 0, len(bestByEnt))
	for _, h := range bestByEnt {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.d != b.d {
			return a.d < b.d
		}
		if a.words != b.words {
			return a.words > b.words
		}
		ra, rb := s.byCode[a.ent.code] != nil || a.ent.topic != "", s.byCode[b.ent.code] != nil || b.ent.topic != ""
		if ra != rb {
			return ra
		}
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		return s.suggestion(a.ent).Name < s.suggestion(b.ent).Name
	})
	if len(hits) > 0 {
		// The limit is that of the text that matched: a short word of a long
		// question ("saint" in "saint vincent") gets no more slack than it
		// would alone, or "saint" would become "spain".
		top := hits[0]
		if top.d <= top.lim && (len(hits) == 1 || hits[1].d > top.d || top.words > 1 && hits[1].words < top.words) {
			return &top.ent, nil
		}
	}
	var sugg []Suggestion
	for _, h := range hits {
		if len(sugg) == maxSuggestions {
			break
		}
		sugg = append(sugg, s.suggestion(h.ent))
	}
	return nil, sugg
}

// letterBag counts the letters a-z of a folded ASCII name, and anything
// else in the last slot. One edit changes the counts by at most 2 in all (a
// substitution takes a letter away and adds another; a transposition none),
// so half the difference of two bags is a lower bound on their edit
// distance: a cheap filter before the real one.
type letterBag [27]uint8

func bagOf(s string) letterBag {
	var b letterBag
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b[c-'a']++
		} else {
			b[26]++
		}
	}
	return b
}

// mask has a bit for each slot that is not zero. One edit changes at most
// two bits, so it is an even cheaper, weaker filter than the bag.
func (b *letterBag) mask() uint32 {
	var m uint32
	for i, n := range b {
		if n > 0 {
			m |= 1 << i
		}
	}
	return m
}

func bagDiff(a, b *letterBag) int {
	d := 0
	for i := range a {
		x := int(a[i]) - int(b[i])
		d += max(x, -x)
	}
	return d
}

// distance is the optimal-string-alignment edit distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions each
// count 1), or max+1 as soon as it must exceed max.
func distance(a, b string, maxD int) int {
	la, lb := len(a), len(b)
	if la-lb > maxD || lb-la > maxD {
		return maxD + 1
	}
	var buf [3][64]int
	if lb >= 63 {
		return maxD + 1
	}
	prev2, prev, cur := buf[0][:lb+1], buf[1][:lb+1], buf[2][:lb+1]
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > maxD {
			return maxD + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[lb] > maxD {
		return maxD + 1
	}
	return prev[lb]
}

// Complete returns up to n countries and topics whose name has a word
// starting with prefix, countries on record first, then other countries.
// Typos are tolerated when few names match.
func (s *Store) Complete(prefix string, n int) []Suggestion {
	f := fold(prefix)
	if f == "" || n <= 0 {
		return nil
	}
	out := s.prefixMatches(f, n)
	if len(out) < n && len(f) >= 3 {
		if m := s.resolve(prefix, false); m.Kind == MatchCountry || m.Kind == MatchNoData || m.Kind == MatchTopic {
			out = appendNew(out, s.suggestion(entity{code: m.Code, topic: topicID(m)}), n)
		} else {
			for _, sg := range m.Suggestions {
				out = appendNew(out, sg, n)
			}
		}
	}
	return out
}

// wordOfOtherName reports whether the folded words f are, word for word,
// part of a name of something other than e.
func (s *Store) wordOfOtherName(f string, e entity) bool {
	ix := s.nameIndex()
	i := sort.Search(len(ix.prefix), func(i int) bool { return ix.prefix[i].name >= f })
	for ; i < len(ix.prefix) && strings.HasPrefix(ix.prefix[i].name, f); i++ {
		ne := ix.prefix[i]
		if ne.ent != e && (len(ne.name) == len(f) || ne.name[len(f)] == ' ') {
			return true
		}
	}
	return false
}

// prefixMatches returns up to n entities with a name, or a word of a name,
// starting with the folded prefix f: countries on record and topics first,
// a name's start before a later word, data and English names before other
// languages, then by name.
func (s *Store) prefixMatches(f string, n int) []Suggestion {
	ix := s.nameIndex()
	i := sort.Search(len(ix.prefix), func(i int) bool { return ix.prefix[i].name >= f })
	type hit struct {
		sg   Suggestion
		rank int
	}
	at := map[entity]int{} // entity -> index in hits
	var hits []hit
	for ; i < len(ix.prefix) && strings.HasPrefix(ix.prefix[i].name, f); i++ {
		ne := ix.prefix[i]
		rank := 4
		if ne.ent.topic != "" || s.byCode[ne.ent.code] != nil {
			rank = 0
		}
		if ne.mid {
			rank++
		}
		if ne.prio == prioOther {
			rank += 2
		}
		if k, ok := at[ne.ent]; ok {
			hits[k].rank = min(hits[k].rank, rank)
			continue
		}
		at[ne.ent] = len(hits)
		hits = append(hits, hit{sg: s.suggestion(ne.ent), rank: rank})
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.sg.Name, b.sg.Name)
	})
	out := make([]Suggestion, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.sg)
	}
	return out
}

func topicID(m Match) string {
	if m.Topic != nil {
		return m.Topic.ID
	}
	return ""
}

func appendNew(out []Suggestion, sg Suggestion, n int) []Suggestion {
	if len(out) >= n {
		return out
	}
	for _, o := range out {
		if o == sg {
			return out
		}
	}
	return append(out, sg)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

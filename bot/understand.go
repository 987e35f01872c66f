package bot

// This file understands a question: which country, aspect, region, status,
// nationality or time it is about, from the words in the store's
// words.yaml. It never guesses: a code inside a sentence is a word, the
// United States is the deporting country, and a misspelt name is taken
// only by the store's typo rule.

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// request is a query once understood.
type request struct {
	cmd         string // cmdHelp for an empty question, else cmdLookup and the fields below
	country     string // the one country asked about (ISO code), if any
	others      []string
	topic       string // topic id, if a topic was asked for
	aspect      knowledge.Aspect
	region      string // a region filter, e.g. africa
	status      string // a status filter: a status, knowledge.FilterAgreed or knowledge.FilterPaid
	nationality string // from: the nationality's country code
	most, total bool   // a ranking; the totals
	many        bool   // asks about countries in the plural
	window      window // a time window, if one was named
	newWords    bool   // "what's new"
	wantsMap    bool   // "show me a map"
	unknown     []string
}

// window is a period of time asked about: [from, until).
type window struct {
	from, until time.Time
	said        string // how to say it: "this week", "since February 2026"
}

func (w window) set() bool { return !w.from.IsZero() }

// Word categories of the phrase matcher.
const (
	catAspect = iota
	catStatus
	catRegion
	catDeporter
	catPeople
	catIgnore
	catMany
	catMost
	catTotal
	catTopic
	catSince
	catIn
	catThisWeek
	catThisMonth
	catNew
	catMonth
)

// phrase is one entry of the matcher: its words and what it means.
type phrase struct {
	words []string
	cat   int
	name  string // aspect, status, region or topic name; month number
}

// lexicon matches a question's folded words against words.yaml. Built once
// per store.
type lexicon struct {
	byFirst map[string][]phrase // by first word, longest first
}

func newLexicon(l *knowledge.Lexicon) *lexicon {
	lx := &lexicon{byFirst: map[string][]phrase{}}
	add := func(cat int, name string, ps knowledge.Phrases) {
		for _, p := range ps {
			w := strings.Fields(p)
			if len(w) > 0 {
				lx.byFirst[w[0]] = append(lx.byFirst[w[0]], phrase{words: w, cat: cat, name: name})
			}
		}
	}
	for a, ps := range l.Aspects {
		add(catAspect, string(a), ps)
	}
	for st, ps := range l.Statuses {
		add(catStatus, st, ps)
	}
	for _, r := range l.Regions {
		add(catRegion, r.Name, r.Phrases)
	}
	add(catDeporter, "", l.Deporter)
	add(catPeople, "", l.People)
	add(catIgnore, "", l.Ignore)
	add(catMany, "", l.Many)
	add(catMost, "", l.Most)
	add(catTotal, "", l.Total)
	for id, ps := range l.Topics {
		add(catTopic, id, ps)
	}
	add(catSince, "", l.Since)
	add(catIn, "", l.In)
	add(catThisWeek, "", l.ThisWeek)
	add(catThisMonth, "", l.Month)
	add(catNew, "", l.New)
	for i, ps := range l.Months {
		add(catMonth, strconv.Itoa(i+1), ps)
	}
	for k, ps := range lx.byFirst {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.words) - len(a.words) })
		lx.byFirst[k] = ps
	}
	return lx
}

// hit is a phrase found in a question: words [start, end) and every
// meaning of that run of words ("paid" is an aspect and a status).
type hit struct {
	start, end int
	means      []phrase
}

func (h hit) has(cat int) (phrase, bool) {
	for _, p := range h.means {
		if p.cat == cat {
			return p, true
		}
	}
	return phrase{}, false
}

// scan finds the longest phrase at each position not taken, left to right.
func (lx *lexicon) scan(words []string, taken []bool) []hit {
	var hits []hit
	for i := 0; i < len(words); {
		if taken[i] {
			i++
			continue
		}
		var best hit
		for _, p := range lx.byFirst[words[i]] {
			n := len(p.words)
			if i+n > len(words) || slices.Contains(taken[i:i+n], true) || !slices.Equal(words[i:i+n], p.words) {
				continue
			}
			if n > best.end-best.start {
				best = hit{start: i, end: i + n, means: []phrase{p}}
			} else if n == best.end-best.start {
				best.means = append(best.means, p)
			}
		}
		if best.end == 0 {
			i++
			continue
		}
		hits = append(hits, best)
		i = best.end
	}
	return hits
}

// understand reads a question that does not start with a command word;
// its words of time are read at now, a UTC time.
func (b *Bot) understand(text string, now time.Time) request {
	rq := request{cmd: cmdLookup}
	words := strings.Fields(knowledge.Fold(text))
	if len(words) == 0 {
		rq.cmd = cmdHelp
		return rq
	}
	for _, w := range words {
		if w == "map" || w == "maps" || w == "mapa" || w == "mapas" {
			rq.wantsMap = true
		}
	}
	taken := make([]bool, len(words))
	mark := func(s, e int) {
		for k := s; k < e; k++ {
			taken[k] = true
		}
	}

	// Regions first, so that "central america" is never America, and
	// "central african republic" (a longer name) is never Africa.
	countries := b.store.CountriesIn(words)
	hits := b.scanAround(words, countries)
	for _, h := range hits {
		mark(h.start, h.end)
	}
	for _, sp := range countries {
		mark(sp.Start, sp.End)
	}
	nats := b.store.NationalitiesIn(maskWords(words, taken))
	for _, sp := range nats {
		mark(sp.Start, sp.End)
	}

	// "from X": a nationality or a country other than the US. "from the
	// US" and "from other countries" are not from questions.
	for i, sp := range countries {
		if isFromTarget(words, hits, sp.Start) {
			rq.nationality = sp.Code
			countries = slices.Delete(countries, i, i+1)
			break
		}
	}
	if rq.nationality == "" && len(nats) > 0 {
		rq.nationality = nats[0].Code
	}

	// What the phrases say.
	for _, h := range hits {
		for _, p := range h.means {
			switch p.cat {
			case catAspect:
				rq.aspect = strongerAspect(rq.aspect, knowledge.Aspect(p.name))
			case catStatus:
				if rq.status == "" {
					rq.status = p.name
				}
			case catRegion:
				if rq.region == "" {
					rq.region = p.name
				}
			case catMany:
				rq.many = true
			case catMost:
				rq.most = true
			case catTotal:
				rq.total = true
			case catTopic:
				if rq.topic == "" {
					rq.topic = p.name
				}
			case catThisWeek:
				rq.window = lastDays(now, 7, "this week")
			case catThisMonth:
				rq.window = lastDays(now, 30, "in the last 30 days")
			case catNew:
				rq.newWords = true
			}
		}
	}
	if w, ok := b.timeWindow(words, hits, taken, now); ok {
		rq.window = w
	}

	// The country asked about: named word for word, or, failing that,
	// the leftover words by the store's typo rule.
	for _, sp := range countries {
		if rq.country == "" {
			rq.country = sp.Code
		} else if sp.Code != rq.country {
			rq.others = append(rq.others, sp.Code)
		}
	}
	var rest []string
	for i, w := range words {
		if !taken[i] && !knowledge.Stopword(w) && w != "de" {
			rest = append(rest, w)
		}
	}
	if rq.country == "" && rq.nationality == "" && len(rest) > 0 && len(rest) <= 3 {
		m := b.store.Resolve(strings.Join(rest, " "))
		if m.Typo && len(strings.Fields(m.Name)) < len(rest) {
			// A typo match must account for every leftover word: "per
			// month" is not Peru.
			m = knowledge.Match{}
		}
		switch m.Kind {
		case knowledge.MatchCountry, knowledge.MatchNoData:
			if m.Code != deporter {
				rq.country = m.Code
				rest = nil
			}
		case knowledge.MatchTopic:
			if rq.topic == "" {
				rq.topic = m.Topic.ID
			}
			rest = nil
		}
	}
	rq.unknown = rest
	return rq
}

// scanAround finds the phrases of a question as if the countries named in
// it were not there, so that "is mexico still taking" has "is still
// taking" and "did ghana agree" has "did agree". Positions are those of
// the question's own words.
func (b *Bot) scanAround(words []string, countries []knowledge.Span) []hit {
	in := spanMask(len(words), countries)
	var rest []string
	var at []int // at[k]: the position in words of rest[k]
	for i, w := range words {
		if !in[i] {
			rest = append(rest, w)
			at = append(at, i)
		}
	}
	hits := b.lex.scan(rest, make([]bool, len(rest)))
	for i := range hits {
		h := &hits[i]
		h.start, h.end = at[h.start], at[h.end-1]+1
	}
	return hits
}

// strongerAspect keeps the aspect listed first in knowledge.Aspects: a
// question with "how much" and "paid" is about money, one with "how many"
// and "took" about numbers.
func strongerAspect(have, next knowledge.Aspect) knowledge.Aspect {
	if have == "" {
		return next
	}
	for _, a := range knowledge.Aspects() {
		if a == have || a == next {
			return a
		}
	}
	return have
}

// isFromTarget reports whether the country named at word i follows "from"
// (or Spanish "de" after a word for the people deported).
func isFromTarget(words []string, hits []hit, i int) bool {
	j := i - 1
	if j >= 0 && (words[j] == "the" || words[j] == "los" || words[j] == "las") {
		j--
	}
	if j < 0 {
		return false
	}
	switch words[j] {
	case "from", "desde":
		return true
	case "de", "del":
		for _, h := range hits {
			if h.end == j {
				_, ok := h.has(catPeople)
				return ok
			}
		}
	}
	return false
}

// spanMask marks the words inside spans.
func spanMask(n int, spans []knowledge.Span) []bool {
	m := make([]bool, n)
	for _, sp := range spans {
		for k := sp.Start; k < sp.End; k++ {
			m[k] = true
		}
	}
	return m
}

// maskWords blanks the taken words, keeping positions.
func maskWords(words []string, taken []bool) []string {
	out := slices.Clone(words)
	for i := range out {
		if taken[i] {
			out[i] = ""
		}
	}
	return out
}

// timeWindow reads "since February 2026", "in January 2026", "since
// 2025", "en enero de 2026": a month or a year counts only right after a
// since or in word, or a month right before a year, so "may" in a sentence
// is not May.
func (b *Bot) timeWindow(words []string, hits []hit, taken []bool, now time.Time) (window, bool) {
	after := func(i int) (open, ok bool) {
		for _, h := range hits {
			if h.end == i {
				if _, s := h.has(catSince); s {
					return true, true
				}
				if _, in := h.has(catIn); in {
					return false, true
				}
			}
		}
		return false, false
	}
	year := func(i int) int {
		if i >= 0 && i < len(words) && len(words[i]) == 4 {
			if y, err := strconv.Atoi(words[i]); err == nil && y >= 2000 && y <= 2100 {
				return y
			}
		}
		return 0
	}
	for _, h := range hits {
		p, ok := h.has(catMonth)
		if !ok {
			continue
		}
		m, _ := strconv.Atoi(p.name)
		open, prep := after(h.start)
		y, next := year(h.end), h.end
		if y == 0 && h.end < len(words) && words[h.end] == "de" { // "enero de 2026"
			y, next = year(h.end+1), h.end+1
		}
		if !prep && y == 0 {
			continue
		}
		if y != 0 {
			taken[next] = true
		}
		return monthWindow(now, y, m, open), true
	}
	for i := range words {
		if y := year(i); y != 0 {
			if open, prep := after(i); prep {
				taken[i] = true
				return monthWindow(now, y, 0, open), true
			}
		}
	}
	return window{}, false
}

// lastDays is the window of the n days up to now, by now's date: UTC's,
// as Handle gives it.
func lastDays(now time.Time, n int, said string) window {
	until := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return window{from: until.AddDate(0, 0, -n), until: until, said: said}
}

// monthWindow is "since February 2026" (open-ended) or "in January 2026"
// (that month, or that year without a month). A month without a year is
// the last such month up to now.
func monthWindow(now time.Time, year, month int, open bool) window {
	if year == 0 {
		year = now.Year()
		if time.Month(month) > now.Month() {
			year--
		}
	}
	var from, until time.Time
	var said string
	if month == 0 {
		from = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		until = from.AddDate(1, 0, 0)
		said = strconv.Itoa(year)
	} else {
		from = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		until = from.AddDate(0, 1, 0)
		said = from.Format("January 2006")
	}
	if open {
		return window{from: from, said: "since " + said}
	}
	return window{from: from, until: until, said: "in " + said}
}

package bot

// This file answers list: the countries on record, grouped by status, or
// narrowed to a region, a status, those paid or those disputed.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Filter words of list besides the statuses and regions.
const (
	filterDisputed = "disputed"
)

// list answers the list command: its words name a region, a status or
// both, in any order ("list caribbean signed").
func (b *Bot) list(arg string, now time.Time) Reply {
	f, bad := b.listFilter(arg)
	if bad != "" {
		// Words around the filter: "list of countries that said no".
		if rq := b.understand(arg, now); (rq.region != "" || rq.status != "") && len(rq.unknown) == 0 && rq.country == "" {
			f, bad = Filter{Region: rq.region, Status: rq.status}, ""
		}
	}
	if bad != "" {
		return b.help(fmt.Sprintf("list takes a status (%s), a region (%s), or one of each; %q is neither.",
			strings.Join(statusWordsOf(), ", "), strings.Join(b.regionNames(), ", "), clip(bad, 40)))
	}
	return b.listAnswer(f, knowledge.AspectNone)
}

// listFilter reads list's words. It returns the first word it does not
// know, if any.
func (b *Bot) listFilter(arg string) (Filter, string) {
	var f Filter
	words := strings.Fields(knowledge.Fold(arg))
	taken := make([]bool, len(words))
	for _, h := range b.lex.scan(words, taken) {
		if r, ok := h.has(catRegion); ok && f.Region == "" {
			f.Region = r.name
		} else if s, ok := h.has(catStatus); ok && f.Status == "" {
			f.Status = s.name
		} else {
			continue
		}
		for k := h.start; k < h.end; k++ {
			taken[k] = true
		}
	}
	for i, w := range words {
		if taken[i] {
			continue
		}
		switch {
		case w == listAll:
		case w == filterDisputed && f.Status == "":
			f.Status = filterDisputed
		case knowledge.Status(w).Valid() && f.Status == "":
			f.Status = w
		case slices.Contains(b.regionNames(), w) && f.Region == "":
			f.Region = w
		default:
			return f, w
		}
	}
	return f, ""
}

// statusWordsOf lists the status filter words list takes.
func statusWordsOf() []string {
	var w []string
	for _, s := range knowledge.Statuses() {
		w = append(w, string(s))
	}
	return append(w, knowledge.FilterPaid, filterDisputed)
}

// regionNames lists the regions, by filter name.
func (b *Bot) regionNames() []string {
	var out []string
	for _, r := range b.store.Words().Regions {
		out = append(out, r.Name)
	}
	return out
}

// regionTitle is how a region is named in a sentence.
func regionTitle(name string) string {
	switch name {
	case "caribbean":
		return "the Caribbean"
	case "latin-america":
		return "Latin America and the Caribbean"
	}
	words := strings.Split(name, "-")
	for i, w := range words {
		words[i] = titleCase(w)
	}
	return strings.Join(words, " ")
}

// matches reports whether a country passes the filter.
func (b *Bot) matches(c *knowledge.Country, f Filter) bool {
	if f.Region != "" {
		r, ok := b.store.Words().Region(f.Region)
		if !ok || !r.Contains(c.Code) {
			return false
		}
	}
	switch f.Status {
	case "":
		return true
	case knowledge.FilterAgreed:
		return c.Status == knowledge.Agreed || c.Status == knowledge.Signed || c.Status == knowledge.Received
	case knowledge.FilterPaid:
		return len(c.Payments) > 0
	case filterDisputed:
		return c.Disputed
	}
	return string(c.Status) == f.Status
}

// statusPhrase says what a status filter keeps, after "Countries that".
func statusPhrase(st string) string {
	switch st {
	case knowledge.FilterAgreed:
		return "agreed, signed or received people"
	case knowledge.FilterPaid:
		return "were reported paid"
	case filterDisputed:
		return "denied or contradicted a report"
	}
	switch knowledge.Status(st) {
	case knowledge.Received:
		return "received people"
	case knowledge.Signed:
		return "signed an agreement"
	case knowledge.Agreed:
		return "agreed, with no known signed text"
	case knowledge.Announced:
		return "announced they would take people"
	case knowledge.Requested:
		return "the US asked, with no known agreement"
	case knowledge.Refused:
		return "refused"
	case knowledge.Denied:
		return "denied being asked"
	case knowledge.Ended:
		return "ended an arrangement"
	case knowledge.Special:
		return "are special cases"
	}
	return "have status " + st
}

// filtered lists the countries passing f, grouped by status unless f names
// one status. With the numbers aspect ("how many countries have agreed"),
// the summary's first sentence gives the count per stage.
func (b *Bot) filtered(f Filter, a knowledge.Aspect) Reply {
	var cs []*knowledge.Country
	for _, c := range b.store.Countries() {
		if b.matches(c, f) {
			cs = append(cs, c)
		}
	}
	r := Reply{Kind: KindList, Filter: f, Aspect: a, Key: keyList(f)}
	r.Title = listTitle(f, len(cs))
	oneStatus := f.Status != "" && f.Status != knowledge.FilterAgreed && f.Status != knowledge.FilterPaid && f.Status != filterDisputed
	counts := map[knowledge.Status]int{}
	for _, c := range cs {
		counts[c.Status]++
	}
	var parts []string
	for _, st := range knowledge.Statuses() {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	switch {
	case len(cs) == 0:
		r.Summary = fmt.Sprintf("None as of %s.", b.asOf)
	case oneStatus:
		st := knowledge.Status(f.Status)
		r.Summary = fmt.Sprintf("%d as of %s. Headline status %s: %s.", len(cs), b.asOf, st, st.Meaning())
	default:
		r.Summary = fmt.Sprintf("%d as of %s: %s. Grouped by headline status, the furthest stage reached.", len(cs), b.asOf, strings.Join(parts, ", "))
	}
	if f.Status == knowledge.FilterPaid {
		r.More = []More{{Label: "the figures", Command: "money"}}
	}
	for _, st := range knowledge.Statuses() {
		heading := ""
		if !oneStatus {
			heading = fmt.Sprintf("%s (%d): %s", titleCase(string(st)), counts[st], st.Meaning())
		}
		for _, c := range cs {
			if c.Status == st {
				res := countryResult(c)
				res.Group = heading
				r.Results = append(r.Results, res)
			}
		}
	}
	return r
}

// listTitle names a filtered list: "Countries in Africa that received
// people (6)".
func listTitle(f Filter, n int) string {
	t := "Countries on record"
	if f.Region != "" {
		t = "Countries in " + regionTitle(f.Region)
		if f.Status == "" {
			t += " on record"
		}
	}
	if f.Status != "" {
		t += " that " + statusPhrase(f.Status)
	}
	if n > 0 {
		t += fmt.Sprintf(" (%d)", n)
	}
	return t
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

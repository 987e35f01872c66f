package bot

// This file answers the questions about all countries at once that need
// arithmetic: which country received the most people, and how many were
// sent in all. Every figure is computed from the structured counts in the
// data, never written by hand, and each keeps its date and source.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// The kinds of these answers.
const (
	KindRanking Kind = "ranking" // countries ranked by the people they received
	KindTotals  Kind = "totals"  // the reported totals, and the sum on record
)

// bestCount is the count a country is ranked by: its largest reported
// count (a floor counts as its number).
func bestCount(c *knowledge.Country) (knowledge.Count, bool) {
	if len(c.People) == 0 {
		return knowledge.Count{}, false
	}
	best := c.People[0]
	for _, n := range c.People[1:] {
		if n.Count > best.Count || n.Count == best.Count && n.AsOf.Earliest().After(best.AsOf.Earliest()) {
			best = n
		}
	}
	return best, true
}

// countResult is a row of a ranking or of the totals.
func (b *Bot) countResult(res Result, n knowledge.Count, ci *cites) Result {
	res.Count, res.HasCount, res.AtLeast = n.Count, true, n.AtLeast
	if n.AsOf.Known() {
		res.Date, res.DateISO = n.AsOf.String(), n.AsOf.ISO()
	}
	res.Event = b.citedCount(n, ci)
	return res
}

// ranking answers "which country received the most deportees", narrowed
// by f.
func (b *Bot) ranking(f Filter) Reply {
	type ranked struct {
		c *knowledge.Country
		n knowledge.Count
	}
	var rs []ranked
	for _, c := range b.store.Countries() {
		if n, ok := bestCount(c); ok && b.matches(c, f) {
			rs = append(rs, ranked{c, n})
		}
	}
	slices.SortStableFunc(rs, func(x, y ranked) int { return y.n.Count - x.n.Count })
	where := ""
	if f.Region != "" {
		where = " in " + regionTitle(f.Region)
	}
	r := Reply{Kind: KindRanking, Filter: f, Aspect: knowledge.AspectNumbers, Key: keyRanking(f),
		Title: fmt.Sprintf("Countries%s by the number of people they received", where)}
	if len(rs) == 0 {
		r.Summary = fmt.Sprintf("No count of people received%s is on record as of %s.", where, b.asOf)
		return r
	}
	ci := newCites(b.store)
	top := rs[0]
	r.Summary = fmt.Sprintf("%s has the largest reported count: %s. Counts are as each source gave them, at different dates; \"at least\" marks a floor.",
		top.c.Name, b.citedCount(top.n, ci))
	for _, x := range rs {
		r.Results = append(r.Results, b.countResult(countryResult(x.c), x.n, ci))
	}
	r.Sources = ci.list
	return r
}

// totals answers "how many people were sent to third countries": each
// reported total of people with its scope and source, then the sum of the
// country counts on record, labelled as agreementbot's own arithmetic.
func (b *Bot) totals() Reply {
	r := Reply{Kind: KindTotals, Aspect: knowledge.AspectNumbers, Title: "How many people were sent to third countries"}
	ci := newCites(b.store)
	totals := b.reportedTotals(knowledge.TotalPeople)
	var parts []string
	for _, t := range totals {
		r.Results = append(r.Results, b.countResult(Result{Name: t.Scope}, t.Count, ci))
		parts = append(parts, withCaveat(number(t.Count.Count, t.AtLeast)+" "+t.Scope+ci.add(t.Sources), t.Caveat))
	}
	sum, floor, n := 0, false, 0
	for _, c := range b.store.Countries() {
		if best, ok := bestCount(c); ok {
			sum += best.Count
			floor = floor || best.AtLeast
			n++
		}
	}
	r.Results = append(r.Results, Result{Name: "Sum of the country counts on record (computed by agreementbot)", Count: sum, HasCount: true, AtLeast: floor,
		Event: fmt.Sprintf("%s, from %d countries", number(sum, floor), n)})
	if len(parts) == 0 {
		r.Summary = "No reported total of people is on record."
	} else {
		r.Summary = "Reported totals count different things: " + strings.Join(parts, "; ") + "."
	}
	r.Fields = []Field{{Name: "Sum on record", Items: []string{fmt.Sprintf(
		"Adding up the largest count on record for each of %d countries gives %s. This is agreementbot's own sum of counts taken at different dates by different sources, some of them per flight, not a reported figure.",
		n, number(sum, floor))}}}
	r.Sources = ci.list
	r.More = []More{{Label: "country by country", Command: "which country received the most deportees"}}
	return r
}

// reportedTotals are the topics' totals of one unit, newest first.
func (b *Bot) reportedTotals(unit string) []knowledge.Total {
	var out []knowledge.Total
	for _, t := range b.store.Topics() {
		for _, x := range t.Totals {
			if x.Of == unit {
				out = append(out, x)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y knowledge.Total) int { return y.AsOf.Earliest().Compare(x.AsOf.Earliest()) })
	return out
}

// number writes a count as people read it: 5,728; "at least 40".
func number(n int, atLeast bool) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if atLeast {
		return "at least " + s
	}
	return s
}

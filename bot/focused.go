package bot

// This file answers one aspect of one country ("how much did the US pay
// Eswatini"): the answer in the first sentence, the few facts that bear on
// it with their caveats and sources, the headline status, and the command
// for the whole card, in about 1,200 characters.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// focusedBudget bounds a focused answer's text, footer aside.
const focusedBudget = 1200

// aspectTitles name each aspect in a focused answer's title.
var aspectTitles = map[knowledge.Aspect]string{
	knowledge.AspectMoney:   "payments",
	knowledge.AspectNumbers: "people received",
	knowledge.AspectPeople:  "who was sent and who is accepted",
	knowledge.AspectDates:   "key dates",
	knowledge.AspectTerms:   "terms and conditions",
	knowledge.AspectStatus:  "status",
	knowledge.AspectSources: "who reported it",
	knowledge.AspectRights:  "human rights",
	knowledge.AspectLaw:     "legal basis",
}

// focused answers one aspect of a country.
func (b *Bot) focused(c *knowledge.Country, a knowledge.Aspect) Reply {
	ci := newCites(b.store)
	var lead string
	var items []string
	switch a {
	case knowledge.AspectMoney:
		lead, items = b.moneyAnswer(c, ci)
	case knowledge.AspectNumbers:
		lead, items = b.numbersAnswer(c, ci)
	case knowledge.AspectPeople:
		lead, items = b.peopleAnswer(c, ci)
	case knowledge.AspectDates:
		lead, items = b.datesAnswer(c, ci)
	case knowledge.AspectTerms:
		lead, items = factsAnswer(ci, slices.Concat(c.Accepts, c.Conditions),
			fmt.Sprintf("No terms of a deal with %s are on record as of %s.", c.Name, b.asOf))
	case knowledge.AspectRights:
		lead, items = factsAnswer(ci, c.HumanRights,
			fmt.Sprintf("Nothing on human rights in %s is on record as of %s.", c.Name, b.asOf))
	case knowledge.AspectLaw:
		lead, items = factsAnswer(ci, c.LegalBasis,
			fmt.Sprintf("No legal basis of an arrangement with %s is on record as of %s; law has the US side.", c.Name, b.asOf))
	case knowledge.AspectSources:
		lead, items = b.sourcesAnswer(c, ci)
	default:
		a = knowledge.AspectStatus
		lead, items = b.statusAnswer(c, ci)
	}
	r := Reply{
		Kind:     KindCountry,
		Aspect:   a,
		Title:    c.Name + ": " + aspectTitles[a],
		Status:   string(c.Status),
		Disputed: c.Disputed,
		Summary:  lead,
		Country:  countryOf(c),
		More:     []More{{Label: "the whole card", Command: strings.ToLower(c.Name)}},
		Key:      keyCard(c.Code),
	}
	status := fmt.Sprintf("%s: %s", c.Status, c.Status.Meaning())
	if c.Disputed {
		status += "; disputed: a government denied or contradicted a report"
	}
	r.Fields = []Field{{Name: "Headline status", Items: []string{status}}}
	// Facts while they fit, each with the sources it cites.
	kept := []string{}
	for _, it := range items {
		try := r
		try.Fields = append([]Field{{Name: "On record", Items: append(slices.Clone(kept), it)}}, r.Fields...)
		try.Sources = ci.sourcesFor(try.Summary, try.Fields)
		if len([]rune(try.render())) > focusedBudget {
			break
		}
		kept = append(kept, it)
	}
	if len(kept) > 0 {
		r.Fields = append([]Field{{Name: "On record", Items: kept}}, r.Fields...)
	}
	r.Sources = ci.sourcesFor(r.Summary, r.Fields)
	return r
}

// factsAnswer leads with the first fact and keeps the rest as items, or
// says that nothing is on record.
func factsAnswer(ci *cites, fs []knowledge.Fact, none string) (string, []string) {
	if len(fs) == 0 {
		return none, nil
	}
	return ci.fact(fs[0]), ci.facts(fs[1:])
}

// money: the payments, with a first sentence that says when reports of the
// amount differ.
func (b *Bot) moneyAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	if len(c.Payments) == 0 {
		var items []string
		for _, f := range countryFacts(c) {
			if mentionsMoney(f.Text) {
				items = append(items, ci.fact(f))
			}
		}
		if len(items) > 0 {
			// "No payment" above "the US paid the costs" would contradict it.
			return fmt.Sprintf("No amount paid to %s is on record as of %s; what the facts say about money is below.", c.Name, b.asOf), items
		}
		return fmt.Sprintf("No payment to %s is on record as of %s.", c.Name, b.asOf), nil
	}
	amounts := map[string]bool{}
	for _, p := range c.Payments {
		amounts[money(p.Amount, p.Currency)] = true
	}
	var items []string
	for _, p := range c.Payments {
		items = append(items, ci.fact(p.Fact))
	}
	if len(amounts) == 1 {
		return items[0], items[1:]
	}
	var parts []string
	for _, p := range c.Payments {
		part := money(p.Amount, p.Currency)
		if p.People > 0 {
			part += fmt.Sprintf(" for %d people", p.People)
		}
		parts = append(parts, part+" ("+b.outletOf(p.Sources)+")"+ci.add(p.Sources))
	}
	return "Reports differ: " + strings.Join(parts, "; ") + ".", items
}

// money writes an amount as people read it: $4.76 million, $7.5 million.
func money(amount float64, currency string) string {
	sym := currency + " "
	if currency == "USD" {
		sym = "$"
	}
	if amount >= 1e6 {
		return sym + strconv.FormatFloat(amount/1e6, 'f', -1, 64) + " million"
	}
	return sym + strconv.FormatFloat(amount, 'f', -1, 64)
}

func mentionsMoney(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"$", "paid", "pay ", "payment", "compensation", "million", "money", "funds", "funding"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// countryFacts is every fact on a country's card, in card order.
func countryFacts(c *knowledge.Country) []knowledge.Fact {
	return slices.Concat(c.Accepts, c.Conditions, c.Numbers, c.LegalBasis, c.HumanRights, c.Conflicts, c.Notes)
}

// numbers: how many people, each count as its source gives it, newest
// first; when the sources differ the first sentence says so.
func (b *Bot) numbersAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	// The largest count first (the running total, where there are also
	// per-flight ones), then newest first; each count's own text below.
	counts := slices.Clone(c.People)
	slices.SortStableFunc(counts, func(x, y knowledge.Count) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return y.AsOf.Earliest().Compare(x.AsOf.Earliest())
	})
	var items []string
	for _, n := range counts {
		items = append(items, ci.fact(n.Fact))
	}
	items = append(items, ci.facts(c.Numbers)...)
	if len(counts) == 0 {
		return fmt.Sprintf("No count of people sent to %s is on record as of %s.", c.Name, b.asOf), items
	}
	var parts []string
	seen := map[int]bool{}
	for _, n := range counts {
		if seen[n.Count] && len(parts) > 0 {
			continue
		}
		seen[n.Count] = true
		parts = append(parts, b.citedCount(n, ci))
	}
	lead := "People sent to " + c.Name + ": " + parts[0]
	if len(parts) > 1 {
		// Counts differ by source, date and what they count (a flight,
		// a running total): each is given as its source counted it.
		lead = "People sent to " + c.Name + ", as each source counted them: " + strings.Join(parts, "; ")
	}
	return lead + ".", items
}

// citedCount says one count with its outlet, caveat and citations, and
// collects its sources in ci: "at least 19 by 2026-03 (AFP) [S4]".
func (b *Bot) citedCount(n knowledge.Count, ci *cites) string {
	s := number(n.Count, n.AtLeast)
	if n.AsOf.Known() {
		s += " by " + n.AsOf.String()
	}
	if outlet := b.outletOf(n.Sources); outlet != "" {
		s += " (" + outlet + ")"
	}
	return withCaveat(s, n.Caveat) + ci.add(n.Sources)
}

// outletOf names the outlet of the first of a fact's sources, as a
// reader would say it: "AFP", not the host it was read on.
func (b *Bot) outletOf(ids []string) string {
	for _, id := range ids {
		if s := b.store.Source(id); s != nil {
			return s.Outlet
		}
	}
	return ""
}

// people: the nationalities of those sent there, and those it agreed to
// take.
func (b *Bot) peopleAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	var sent []string
	for _, a := range c.Received {
		n := b.store.DisplayName(a.Code)
		if a.Count > 0 {
			n += fmt.Sprintf(" (%d)", a.Count)
		}
		sent = append(sent, withCaveat(n, a.Caveat)+ci.add(a.Sources))
	}
	var groups []string
	for _, g := range c.Groups {
		groups = append(groups, g.Name+ci.add(g.Sources))
	}
	var lead string
	switch {
	case len(sent) > 0:
		lead = "People sent to " + c.Name + " were from " + strings.Join(sent, ", ") + "."
		if len(groups) > 0 {
			lead += " It agreed to take: " + strings.Join(groups, "; ") + "."
		}
	case len(groups) > 0:
		lead = "No arrivals by nationality are on record; " + c.Name + " agreed to take: " + strings.Join(groups, "; ") + "."
	default:
		lead = fmt.Sprintf("The nationalities of people sent to %s are not on record as of %s.", c.Name, b.asOf)
		if n, ok := bestCount(c); ok {
			lead += " People sent there: " + b.citedCount(n, ci) + "."
		}
	}
	return lead, ci.facts(c.Accepts)
}

// dates: the stages with their own dates, first the answer.
func (b *Bot) datesAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	var stages, items []string
	seen := map[knowledge.Status]bool{}
	for _, e := range c.Timeline {
		if e.Status == "" || seen[e.Status] {
			continue
		}
		seen[e.Status] = true
		stages = append(stages, string(e.Status)+" "+eventWhen(e)+ci.add(e.Sources))
	}
	for _, e := range c.Timeline {
		if e.Status != "" {
			items = append(items, e.Date.String()+": "+ci.fact(e.Fact))
		}
	}
	if len(stages) == 0 {
		if len(c.Timeline) == 0 {
			return fmt.Sprintf("No dates are on record for %s.", c.Name), nil
		}
		e := c.Timeline[0]
		return fmt.Sprintf("%s is on record from %s: %s", c.Name, e.Date.String(), ci.fact(e.Fact)), nil
	}
	lead := c.Name + ": " + strings.Join(stages, "; ") + "."
	if c.OrderNote != "" {
		lead += " " + c.OrderNote
	}
	return lead, items
}

// eventWhen says an event's date as the event's own or as its report's.
func eventWhen(e knowledge.Event) string {
	if e.Reported {
		return "(" + eventDate(e) + ")"
	}
	if !e.Date.Known() {
		return "(date unknown)"
	}
	return onDate(e.Date)
}

// status: where things stand, and the newest events.
func (b *Bot) statusAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	lead := fmt.Sprintf("%s's headline status is %s: %s.", c.Name, c.Status, c.Status.Meaning())
	if first, _, ok := strings.Cut(c.Summary, ". "); ok {
		lead += " " + first + "."
	} else {
		lead += " " + c.Summary
	}
	var items []string
	for _, h := range b.store.LatestFor(c.Code, 3) {
		items = append(items, h.Event.Date.String()+": "+ci.fact(h.Event.Fact))
	}
	return lead, items
}

// sources: the outlets that reported on the country, most cited first.
func (b *Bot) sourcesAnswer(c *knowledge.Country, ci *cites) (string, []string) {
	count := map[string]int{}
	var order []string
	for _, f := range countryFacts(c) {
		for _, id := range f.Sources {
			if count[id] == 0 {
				order = append(order, id)
			}
			count[id]++
		}
	}
	slices.SortStableFunc(order, func(x, y string) int { return count[y] - count[x] })
	var outlets []string
	for _, id := range order[:min(len(order), 5)] {
		if s := b.store.Source(id); s != nil {
			outlets = append(outlets, s.Outlet+ci.add([]string{id}))
		}
	}
	return fmt.Sprintf("%d sources report on %s; the most cited: %s.", len(order), c.Name, strings.Join(outlets, "; ")), nil
}

// sourcesFor returns the sources cited in a summary and fields, in order
// of first citation.
func (c *cites) sourcesFor(summary string, fields []Field) []Source {
	text := summary
	for _, f := range fields {
		text += " " + strings.Join(f.Items, " ")
	}
	var out []Source
	for _, s := range c.list {
		if strings.Contains(text, s.ID+"]") || strings.Contains(text, s.ID+",") {
			out = append(out, s)
		}
	}
	return out
}

package bot

// This file answers a country: its card.

import (
	"strconv"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Field names of a country card, in display order. Renderers may show the
// first ones as key fields.
const (
	FieldAccepts     = "Accepts"
	FieldConditions  = "Conditions"
	FieldNumbers     = "Numbers"
	FieldKeyDates    = "Key dates"
	FieldPayments    = "Payments"
	FieldSentThere   = "Nationalities sent there"
	FieldLegalBasis  = "Legal basis"
	FieldHumanRights = "Human rights"
	FieldConflicts   = "Sources disagree"
	FieldNotes       = "Notes"
)

func (b *Bot) countryCard(c *knowledge.Country) Reply {
	s := b.store
	ci := newCites(s)
	r := Reply{
		Kind:     KindCountry,
		Title:    c.Name,
		Status:   string(c.Status),
		Disputed: c.Disputed,
		Summary:  c.Summary,
		Country:  countryOf(c),
	}
	accepts := ci.facts(c.Accepts)
	for _, g := range c.Groups {
		line := "Group: " + g.Name
		if g.Date.Known() {
			line += " (" + onDate(g.Date) + ")"
		}
		if g.Note != "" {
			line += "; " + strings.TrimSuffix(g.Note, ".")
		}
		if len(g.Codes) > 0 && len(g.Codes) <= 12 {
			names := make([]string, 0, len(g.Codes))
			for _, code := range g.Codes {
				if code != c.Code {
					names = append(names, s.DisplayName(code))
				}
			}
			line += " (" + strings.Join(names, ", ") + ")"
		}
		accepts = append(accepts, line+ci.add(g.Sources))
	}
	r.Fields = appendField(r.Fields, FieldAccepts, accepts)
	r.Fields = appendField(r.Fields, FieldConditions, ci.facts(c.Conditions))
	var numbers []string
	for _, n := range c.People {
		numbers = append(numbers, "People received: "+b.citedCount(n, ci))
	}
	r.Fields = appendField(r.Fields, FieldNumbers, append(numbers, ci.facts(c.Numbers)...))
	r.Fields = appendField(r.Fields, FieldKeyDates, keyDates(c, ci))
	var pays []string
	for _, p := range c.Payments {
		pays = append(pays, ci.fact(p.Fact))
	}
	r.Fields = appendField(r.Fields, FieldPayments, pays)
	var sent []string
	for _, a := range c.Received {
		line := s.DisplayName(a.Code)
		if a.Count > 0 {
			line += ": " + strconv.Itoa(a.Count)
		}
		sent = append(sent, withCaveat(line+ci.add(a.Sources), a.Caveat))
	}
	r.Fields = appendField(r.Fields, FieldSentThere, sent)
	r.Fields = appendField(r.Fields, FieldLegalBasis, ci.facts(c.LegalBasis))
	r.Fields = appendField(r.Fields, FieldHumanRights, ci.facts(c.HumanRights))
	r.Fields = appendField(r.Fields, FieldConflicts, ci.facts(c.Conflicts))
	r.Fields = appendField(r.Fields, FieldNotes, ci.facts(c.Notes))
	r.Timeline = ci.events(c.Timeline)
	r.Highlights, r.ShortSources = b.highlights(c)
	r.Sources = ci.list
	r.Key = keyCard(c.Code)
	name := strings.ToLower(c.Name)
	r.More = []More{
		{Label: "all sources", Command: "sources " + name},
		{Label: "newest events", Command: "latest " + name},
	}
	return r
}

// keyDates picks the first event of each stage, dated by the event itself
// ("2025-07-29: signed"), or by its report when that is all that is known
// ("reported on 2025-12-12: received"), with the data's note when the
// stages are not in the usual order.
func keyDates(c *knowledge.Country, ci *cites) []string {
	var out []string
	seen := map[knowledge.Status]bool{}
	for _, e := range c.Timeline {
		if e.Status == "" || seen[e.Status] || !e.Date.Known() {
			continue
		}
		seen[e.Status] = true
		out = append(out, eventDate(e)+": "+string(e.Status)+ci.add(e.Sources))
	}
	if c.OrderNote != "" && len(out) > 0 {
		out = append(out, c.OrderNote)
	}
	return out
}

// highlights are the three or four facts of a card that matter most, for
// the short form: what it accepts, the people received with their date,
// the money, and the newest event; with the sources they cite.
func (b *Bot) highlights(c *knowledge.Country) ([]string, []Source) {
	ci := newCites(b.store)
	var hs []string
	if len(c.Accepts) > 0 {
		f := c.Accepts[0]
		hs = append(hs, "Accepts: "+withCaveat(firstSentence(f.Text)+ci.add(f.Sources), f.Caveat))
	}
	if n, ok := bestCount(c); ok {
		hs = append(hs, "People received: "+b.citedCount(n, ci))
	} else if len(c.Received) > 0 {
		var names []string
		var srcs []string
		for _, a := range c.Received {
			names = append(names, b.store.DisplayName(a.Code))
			srcs = append(srcs, a.Sources...)
		}
		hs = append(hs, "People received from: "+strings.Join(names, ", ")+ci.add(dedup(srcs)))
	}
	if len(c.Payments) > 0 {
		p := c.Payments[0]
		line := "Money: " + money(p.Amount, p.Currency)
		if p.People > 0 {
			line += " for " + strconv.Itoa(p.People) + " people"
		}
		if p.Date.Known() {
			line += " (" + p.Date.String() + ")"
		}
		if len(c.Payments) > 1 {
			line += "; more payment reports on the card"
		}
		hs = append(hs, line+ci.add(p.Sources))
	}
	if newest := b.store.LatestFor(c.Code, 1); len(newest) > 0 && len(hs) < 4 {
		e := newest[0].Event
		hs = append(hs, "Latest: "+eventWhen(e)+": "+withCaveat(firstSentence(e.Text)+ci.add(e.Sources), e.Caveat))
	}
	srcs := ci.list
	if len(srcs) > 3 {
		srcs = srcs[:3]
	}
	return hs, srcs
}

// firstSentence is a text's first sentence (see knowledge.SentenceEnd),
// or the text cut at about 200 characters.
func firstSentence(s string) string {
	for i := 0; i < len(s) && i < 240; i++ {
		if knowledge.SentenceEnd(s, i) {
			return s[:i+1]
		}
	}
	if len(s) <= 240 {
		return s
	}
	return clip(s, 220)
}

func dedup(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// countryOf identifies a country on record in an answer.
func countryOf(c *knowledge.Country) *Country {
	return &Country{Code: c.Code, Name: c.Name, Status: string(c.Status), Disputed: c.Disputed}
}

func countryResult(c *knowledge.Country) Result {
	return Result{Code: c.Code, Name: c.Name, Status: string(c.Status), Disputed: c.Disputed}
}

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
	r.Fields = appendField(r.Fields, FieldNumbers, ci.facts(c.Numbers))
	r.Fields = appendField(r.Fields, FieldKeyDates, keyDates(c))
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
	r.Sources = ci.list
	name := strings.ToLower(c.Name)
	r.More = []More{
		{Label: "all sources", Command: "sources " + name},
		{Label: "newest events", Command: "latest " + name},
	}
	return r
}

// keyDates picks the first event of each stage, e.g. "2025-07-29: signed".
func keyDates(c *knowledge.Country) []string {
	var out []string
	seen := map[knowledge.Status]bool{}
	for _, e := range c.Timeline {
		if e.Status == "" || seen[e.Status] || !e.Date.Known() {
			continue
		}
		seen[e.Status] = true
		out = append(out, e.Date.String()+": "+string(e.Status))
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

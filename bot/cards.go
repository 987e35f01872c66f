package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// cites collects the sources an answer cites, in order of first citation.
type cites struct {
	store *knowledge.Store
	seen  map[string]bool
	list  []Source
}

func newCites(s *knowledge.Store) *cites { return &cites{store: s, seen: map[string]bool{}} }

func (c *cites) add(ids []string) string {
	for _, id := range ids {
		if c.seen[id] {
			continue
		}
		c.seen[id] = true
		if src := c.store.Source(id); src != nil {
			c.list = append(c.list, source(src))
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return " [" + strings.Join(ids, ", ") + "]"
}

func source(src *knowledge.Source) Source {
	outlet := src.Outlet
	if src.Via != "" {
		outlet += " (via " + src.Via + ")"
	}
	if src.Low {
		outlet += " (low reliability)"
	}
	s := Source{ID: src.ID, Outlet: outlet, Title: src.Title}
	if src.Date.Known() {
		s.Date = src.Date.String()
	}
	if len(src.URLs) > 0 {
		s.URL = src.URLs[0]
	}
	return s
}

// fact renders one fact with its citations and caveat.
func (c *cites) fact(f knowledge.Fact) string {
	return withCaveat(f.Text+c.add(f.Sources), f.Caveat)
}

// withCaveat appends a caveat's label, if any, in parentheses.
func withCaveat(s string, cv knowledge.Caveat) string {
	if l := cv.Label(); l != "" {
		return s + " (" + l + ")"
	}
	return s
}

func (c *cites) facts(fs []knowledge.Fact) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, c.fact(f))
	}
	return out
}

func (c *cites) events(ev []knowledge.Event) []Event {
	out := make([]Event, 0, len(ev))
	for _, e := range ev {
		out = append(out, Event{Date: e.Date.String(), Text: c.fact(e.Fact)})
	}
	return out
}

func appendField(fs []Field, name string, items []string) []Field {
	if len(items) == 0 {
		return fs
	}
	return append(fs, Field{Name: name, Items: items})
}

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
		Country:  &Country{Code: c.Code, Name: c.Name, Status: string(c.Status)},
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

func (b *Bot) topicCard(t *knowledge.Topic) Reply {
	ci := newCites(b.store)
	r := Reply{Kind: KindTopic, Title: t.Title, Summary: t.Summary}
	r.Fields = appendField(r.Fields, "Key facts", ci.facts(t.Facts))
	if t.ID == "money" {
		var pays []string
		for _, c := range b.store.Paid() {
			for _, p := range c.Payments {
				pays = append(pays, c.Name+": "+ci.fact(p.Fact))
			}
		}
		r.Fields = appendField(r.Fields, "Payments by country", pays)
	}
	r.Timeline = ci.events(t.Timeline)
	r.Sources = ci.list
	r.More = []More{{Label: "all sources", Command: "sources " + t.ID}}
	return r
}

func countryResult(c *knowledge.Country) Result {
	return Result{Code: c.Code, Name: c.Name, Status: string(c.Status), Disputed: c.Disputed}
}

func (b *Bot) list(arg string) Reply {
	arg = strings.ToLower(strings.TrimSpace(arg))
	all := b.store.Countries()
	r := Reply{Kind: KindList}
	switch {
	case arg == "" || arg == "all":
		r.Title = fmt.Sprintf("Countries on record (%d)", len(all))
		r.Summary = "Grouped by headline status: the furthest stage reached."
		for _, st := range knowledge.Statuses() {
			var group []*knowledge.Country
			for _, c := range all {
				if c.Status == st {
					group = append(group, c)
				}
			}
			heading := fmt.Sprintf("%s (%d): %s", titleCase(string(st)), len(group), st.Meaning())
			for _, c := range group {
				res := countryResult(c)
				res.Group = heading
				r.Results = append(r.Results, res)
			}
		}
	case arg == "paid" || arg == "payments" || arg == "payment":
		paid := b.store.Paid()
		r.Title = fmt.Sprintf("Countries with a reported payment (%d)", len(paid))
		r.Summary = "Payments as reported by the sources; see money for the figures."
		for _, c := range paid {
			r.Results = append(r.Results, countryResult(c))
		}
		r.More = []More{{Label: "the figures", Command: "money"}}
	case arg == "disputed":
		r.Title = "Countries where a government denied or contradicted a report"
		for _, c := range all {
			if c.Disputed {
				r.Results = append(r.Results, countryResult(c))
			}
		}
		r.Title += fmt.Sprintf(" (%d)", len(r.Results))
	default:
		st := knowledge.Status(strings.TrimSuffix(arg, ":"))
		if !st.Valid() {
			return b.help(fmt.Sprintf("list takes a status (%s), paid or disputed; %q is none of them.", statusWords(), clip(arg, 40)))
		}
		for _, c := range all {
			if c.Status == st {
				r.Results = append(r.Results, countryResult(c))
			}
		}
		r.Title = fmt.Sprintf("%s (%d)", titleCase(string(st)), len(r.Results))
		r.Summary = "Headline status " + string(st) + ": " + st.Meaning() + "."
	}
	return r
}

func statusWords() string {
	var w []string
	for _, s := range knowledge.Statuses() {
		w = append(w, string(s))
	}
	return strings.Join(w, ", ")
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// maxResults bounds search results shown; the total is always stated.
const maxResults = 10

func (b *Bot) search(arg string) Reply {
	if strings.TrimSpace(arg) == "" {
		return b.help("search needs words to look for, e.g. search children.")
	}
	if len(knowledge.SearchTerms(arg)) == 0 {
		return b.help(fmt.Sprintf("%q has only very common words; search for something more specific.", clip(arg, 60)))
	}
	hits := b.store.Search(arg)
	r := Reply{Kind: KindSearch, Title: fmt.Sprintf("Search: %s (%d found)", clip(arg, 80), len(hits))}
	if len(hits) == 0 {
		r.Summary = "No fact contains all of those words. Try fewer or other words, or a country name."
		return r
	}
	if len(hits) > maxResults {
		r.Summary = fmt.Sprintf("The %d best matches of %d.", maxResults, len(hits))
		hits = hits[:maxResults]
	}
	for _, h := range hits {
		if h.Country != nil {
			res := countryResult(h.Country)
			res.Snippet = h.Snippet
			r.Results = append(r.Results, res)
		} else {
			r.Results = append(r.Results, Result{Name: h.Topic.Title, Snippet: h.Snippet})
		}
	}
	return r
}

func (b *Bot) from(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return b.help("from needs a nationality or a country, e.g. from cuba.")
	}
	code, ok := b.store.Nationality(arg)
	if !ok {
		m := b.store.Resolve(arg)
		r := b.notFound(arg, m.Suggestions)
		r.Summary = fmt.Sprintf("%q is not a nationality or country I know. Try a country name (from cuba) or a nationality (from venezuelans).", clip(arg, 60))
		return r
	}
	name := b.store.DisplayName(code)
	hits := b.store.From(code)
	r := Reply{Kind: KindFrom, Title: fmt.Sprintf("Countries that took, or agreed to take, people from %s (%d)", name, len(hits))}
	if len(hits) == 0 {
		r.Summary = fmt.Sprintf("No country on record is reported to have received, or agreed to take, people from %s as of %s.", name, b.asOf)
		return r
	}
	r.Summary = "received: people of this nationality were actually sent there; agreed: the country agreed to take this nationality (by name or as part of a named group)."
	ci := newCites(b.store)
	for _, h := range hits {
		res := countryResult(h.Country)
		res.Event = "agreed"
		if h.Received {
			res.Event = "received"
			if h.Count > 0 {
				res.Event += fmt.Sprintf(" (%d)", h.Count)
			}
		}
		res.Event = withCaveat(res.Event+ci.add(h.Sources), h.Caveat)
		r.Results = append(r.Results, res)
	}
	r.Sources = ci.list
	return r
}

func (b *Bot) sources(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		r := Reply{Kind: KindSources, Title: fmt.Sprintf("All sources (%d)", len(b.store.Sources()))}
		r.Summary = "Every source the facts cite. For one country's sources: sources <country>."
		for _, src := range b.store.Sources() {
			r.Sources = append(r.Sources, source(src))
		}
		return r
	}
	m := b.store.Resolve(arg)
	var card Reply
	switch m.Kind {
	case knowledge.MatchCountry:
		card = b.cards["c:"+m.Code].get()
	case knowledge.MatchTopic:
		card = b.cards["t:"+m.Topic.ID].get()
	case knowledge.MatchNoData:
		return b.noAgreement(m.Code, m.Name)
	default:
		return b.notFound(arg, m.Suggestions)
	}
	r := Reply{Kind: KindSources, Title: "Sources: " + card.Title, Sources: card.Sources, Country: card.Country}
	r.Summary = fmt.Sprintf("%d sources. Outlet, title, date and a link for each; reposts name the host they were read on.", len(card.Sources))
	return r
}

// latestN is how many events latest shows.
const latestN = 10

func (b *Bot) latest(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		r := b.events(b.store.Latest(latestN))
		r.Title = fmt.Sprintf("The %d newest events", len(r.Results))
		r.Summary = fmt.Sprintf("Newest first, across every country and topic. Nothing after %s is covered.", b.asOf)
		return r
	}
	m := b.store.Resolve(arg)
	switch m.Kind {
	case knowledge.MatchCountry:
		r := b.events(b.store.LatestFor(m.Code, latestN))
		r.Title = "Newest events: " + m.Name
		r.Country = &Country{Code: m.Code, Name: m.Name, Status: string(m.Country.Status)}
		return r
	case knowledge.MatchNoData:
		return b.noAgreement(m.Code, m.Name)
	case knowledge.MatchTopic:
		return b.cards["t:"+m.Topic.ID].get()
	}
	return b.notFound(arg, m.Suggestions)
}

func (b *Bot) since(arg string) Reply {
	day, ok := parseDay(arg)
	if !ok {
		return b.help(fmt.Sprintf("since needs a date as YYYY-MM-DD, e.g. since 2026-01-01; %q is not one.", clip(arg, 40)))
	}
	r := b.events(b.store.Since(day))
	r.Title = fmt.Sprintf("Events since %s (%d)", day.Format("2006-01-02"), len(r.Results))
	r.Summary = "Newest first. An event known only to the month or year counts from its first possible day."
	return r
}

func (b *Bot) events(hits []knowledge.EventHit) Reply {
	r := Reply{Kind: KindLatest}
	ci := newCites(b.store)
	for _, h := range hits {
		res := Result{Date: h.Event.Date.String(), Event: ci.fact(h.Event.Fact)}
		if h.Country != nil {
			res.Code, res.Name, res.Status, res.Disputed = h.Country.Code, h.Country.Name, string(h.Country.Status), h.Country.Disputed
		} else {
			res.Name = h.Topic.Title
		}
		r.Results = append(r.Results, res)
	}
	r.Sources = ci.list
	return r
}

package bot

// This file collects the sources an answer cites and renders facts with
// their citations and caveats.

import (
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
	s := Source{ID: src.ID, Outlet: outlet, Title: src.Title, Low: src.Low}
	if src.Date.Known() {
		s.Date, s.DateISO = src.Date.String(), src.Date.ISO()
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
		out = append(out, Event{Date: eventDate(e), DateISO: e.Date.ISO(), Text: c.fact(e.Fact)})
	}
	return out
}

// eventDate is an event's date, or its report's when that is all that is
// known: "2025-07-29", "reported on 2025-12-12".
func eventDate(e knowledge.Event) string {
	if e.Reported {
		return "reported on " + e.Date.String()
	}
	return e.Date.String()
}

func appendField(fs []Field, name string, items []string) []Field {
	if len(items) == 0 {
		return fs
	}
	return append(fs, Field{Name: name, Items: items})
}

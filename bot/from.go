package bot

// This file answers from: the countries that took, or agreed to take,
// people of a nationality, each with the date and stage of its
// arrangement.

import (
	"fmt"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

func (b *Bot) from(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return b.help("from needs a nationality or a country, e.g. from cuba.")
	}
	code, ok := b.store.Nationality(arg)
	if !ok || code == deporter {
		m := b.store.Resolve(arg)
		r := b.notFound(arg, m.Suggestions)
		r.Summary = fmt.Sprintf("%q is not a nationality or a country other than the US. Try a country name (from cuba) or a nationality (from venezuelans).", clip(arg, 60))
		return r
	}
	return b.fromAnswer(code, Filter{})
}

// fromFiltered lists the countries that received, or agreed to take,
// people of the nationality code, narrowed by f's region or status.
func (b *Bot) fromFiltered(code string, f Filter) Reply {
	name := b.store.DisplayName(code)
	var hits []knowledge.FromHit
	for _, h := range b.store.From(code) {
		if b.matches(h.Country, f) {
			hits = append(hits, h)
		}
	}
	where := ""
	if f.Region != "" {
		where = " in " + regionTitle(f.Region)
	}
	r := Reply{Kind: KindFrom, Filter: f, Key: keyFrom(code, f),
		Title: fmt.Sprintf("Countries%s that took, or agreed to take, people from %s (%d)", where, name, len(hits))}
	if len(hits) == 0 {
		r.Summary = fmt.Sprintf("No country%s on record is reported to have received, or agreed to take, people from %s as of %s.", where, name, b.asOf)
		return r
	}
	// Each line shows the country's headline status (Result.Status) in
	// brackets, which may be further on than the stage reached for this
	// nationality (Result.Stage): Mexico received people, but only agreed
	// to take Cubans.
	r.Summary = "In brackets: each country's headline status. After it, for this nationality: received (people of it were sent there) or agreed (the country agreed to take them, by name or as part of a named group), with the date."
	ci := newCites(b.store)
	for _, h := range hits {
		res := countryResult(h.Country)
		if h.Date.Known() {
			res.Date, res.DateISO = h.Date.String(), h.Date.ISO()
		}
		var ev strings.Builder
		if h.Received {
			res.Stage = "received"
			ev.WriteString("received")
			if h.Count > 0 {
				res.Count, res.HasCount = h.Count, true
				fmt.Fprintf(&ev, " %d %s", h.Count, plural(h.Count, "person", "people"))
			}
			if h.Date.Known() {
				ev.WriteString(" " + onDate(h.Date))
			}
		} else {
			res.Stage = "agreed"
			switch {
			case h.Note != "":
				// The data says it best: "agreed in 2023 under the Biden
				// administration to take back up to 30,000 a month…"
				ev.WriteString(strings.TrimSuffix(h.Note, "."))
			default:
				ev.WriteString("agreed")
				if h.Date.Known() {
					ev.WriteString(" " + onDate(h.Date))
				}
				if h.Group != "" {
					ev.WriteString(" to take " + lowerFirst(h.Group))
				}
			}
		}
		res.Event = withCaveat(ev.String()+ci.add(h.Sources), h.Caveat)
		r.Results = append(r.Results, res)
	}
	r.Sources = ci.list
	return r
}

// onDate says when, as precisely as known: "on 2025-07-29", "in August
// 2025", "in 2023"; an approximate date in brackets, as the data says it:
// "(mid-August 2025)", "(about 2025-08)".
func onDate(d knowledge.Date) string {
	switch {
	case d.Approximate:
		return "(" + d.String() + ")"
	case d.Precision == knowledge.Day:
		return "on " + d.ISO()
	case d.Precision == knowledge.Month:
		return "in " + d.Earliest().Format("January 2006")
	}
	return "in " + d.ISO()
}

// lowerFirst lowers the first letter of a phrase used inside a sentence,
// unless it starts a name ("West African nationals" stays).
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if first == "People" || first == "Nationals" || first == "Deportees" || first == "Migrants" {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// plural picks the singular or the plural for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package bot

// This file answers from: the countries that took people of a nationality.

import (
	"fmt"
	"strings"
)

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
		res.Stage, res.Event = "agreed", "agreed"
		if h.Received {
			res.Stage, res.Event = "received", "received"
			if h.Count > 0 {
				res.Count, res.HasCount = h.Count, true
				res.Event += fmt.Sprintf(" (%d)", h.Count)
			}
		}
		res.Event = withCaveat(res.Event+ci.add(h.Sources), h.Caveat)
		r.Results = append(r.Results, res)
	}
	r.Sources = ci.list
	return r
}

package bot

// This file answers list: the countries on record, grouped or filtered.

import (
	"fmt"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

func (b *Bot) list(arg string) Reply {
	arg = strings.ToLower(strings.TrimSpace(arg))
	all := b.store.Countries()
	r := Reply{Kind: KindList}
	switch {
	case arg == "" || arg == listAll:
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
	case arg == listPaid || arg == "payments" || arg == "payment":
		paid := b.store.Paid()
		r.Title = fmt.Sprintf("Countries with a reported payment (%d)", len(paid))
		r.Summary = "Payments as reported by the sources; see money for the figures."
		for _, c := range paid {
			r.Results = append(r.Results, countryResult(c))
		}
		r.More = []More{{Label: "the figures", Command: "money"}}
	case arg == listDisputed:
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
			return b.help(fmt.Sprintf("list takes one of %s; %q is none of them.", strings.Join(listWords(), ", "), clip(arg, 40)))
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

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

package bot

// This file answers help and about.

import (
	"fmt"
)

// help lists the grammar, with a problem stated first when there is one.
func (b *Bot) help(problem string) Reply {
	r := Reply{Kind: KindHelp, Notice: problem, Title: "agreementbot: US third-country deportation agreements"}
	r.Summary = "Ask about a country, a topic, or use a command. Every answer cites its sources and says how recent the facts are."
	items := make([]string, 0, len(commands))
	for _, c := range commands {
		items = append(items, fmt.Sprintf("%s: %s (e.g. %s)", b.usage(c), c.what, c.example))
	}
	r.Fields = []Field{{Name: "Commands", Items: items}}
	return r
}

func (b *Bot) about() Reply {
	s := b.store
	return Reply{
		Kind:  KindAbout,
		Title: "About agreementbot",
		Summary: fmt.Sprintf("agreementbot answers which countries agreed to take people deported from the United States who are not their own citizens (third-country deportations): on what terms, since when, and who reported it. It knows %d countries and %d topics, citing %d sources.",
			len(s.Countries()), len(s.Topics()), len(s.Sources())),
		Fields: []Field{
			{Name: "Facts as of", Items: []string{fmt.Sprintf("%s, the newest dated item in the data. Developments after that date are not covered: a status may have changed since.", b.asOf)}},
			{Name: "Where the facts come from", Items: []string{"Checked fact sheets restated in plain words; every fact is tied to its sources (news outlets, government statements, court records, NGO reports). Weak, single-source and unconfirmed claims are marked as such, and conflicting reports are shown side by side."}},
			{Name: "Report a wrong or missing fact", Items: []string{b.reportTo()}},
			{Name: "Version", Items: []string{b.opts.Version + ", data " + s.Digest() + " (a short hash of the data files: the same on every server answering from the same data)"}},
		},
	}
}

// reportTo says where to report a wrong fact.
func (b *Bot) reportTo() string {
	if b.opts.CorrectionsURL == "" {
		return "Tell whoever runs this bot, with the fact, the country and a source; the maintainers correct the data and the fix ships with the next release."
	}
	return b.opts.CorrectionsURL + " (with the fact, the country and a source)"
}

package bot

// This file answers sources: who reported it, for one country or all.

import (
	"fmt"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

func (b *Bot) sources(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		r := Reply{Kind: KindSources, Title: fmt.Sprintf("All sources (%d)", len(b.store.Sources())), Key: keySources("")}
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
		card = b.card(m.Country)
	case knowledge.MatchTopic:
		card = b.topic(m.Topic)
	case knowledge.MatchNoData:
		return b.noAgreement(m.Code, m.Name)
	default:
		return b.notFound(arg, m.Suggestions)
	}
	return sourcesReply(card, fmt.Sprintf("%d sources. Outlet, title, date and a link for each; reposts name the host they were read on.", len(card.Sources)))
}

// sourcesReply is a card's sources, under summary. A country's have pages
// of their own (keySources), not the card's.
func sourcesReply(card Reply, summary string) Reply {
	r := Reply{Kind: KindSources, Title: "Sources: " + card.Title, Summary: summary, Sources: card.Sources, Country: card.Country}
	if card.Country != nil {
		r.Key = keySources(card.Country.Code)
	}
	return r
}

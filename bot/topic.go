package bot

// This file answers a topic: law, court, overview, money.

import (
	"github.com/agreementbot/agreementbot/knowledge"
)

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
	r.Key = keyTopic(t.ID)
	hc := newCites(b.store)
	for _, f := range t.Facts[:min(3, len(t.Facts))] {
		r.Highlights = append(r.Highlights, withCaveat(firstSentence(f.Text)+hc.add(f.Sources), f.Caveat))
	}
	r.ShortSources = hc.list[:min(3, len(hc.list))]
	r.More = []More{{Label: "all sources", Command: "sources " + t.ID}}
	return r
}

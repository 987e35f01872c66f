package bot

// This file answers a question once understood: one country (its card, or
// the one aspect asked about), a list narrowed by region and status, a
// ranking or the totals, a topic, a time window, or, when nothing is
// understood, a search before "not found". It never guesses.

import (
	"fmt"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// deporter is the code of the deporting country: never a country asked
// about, nor a nationality of people sent from it.
const deporter = "US"

// question answers a query that does not start with a command word, at
// now (UTC).
func (b *Bot) question(text string, now time.Time) Reply {
	// A name typed alone: a country in any language ("Ouganda"), or a
	// topic's own name or alias ("money", "payments", "court").
	if m, ok := b.store.Named(text); ok {
		if r, ok := b.matched(m); ok {
			return r
		}
	}
	if t := b.store.TopicNamed(text); t != nil {
		return b.topic(t)
	}
	rq := b.understand(text, now)
	f := Filter{Region: rq.region, Status: rq.status}
	switch {
	case rq.cmd == cmdHelp:
		return b.help("")
	case rq.wantsMap:
		// "show me a map of africa", "mapa de los países que recibieron"
		if rq.country != "" {
			return b.drawMap(mapRequest{highlight: rq.country})
		}
		return b.drawMap(mapRequest{filter: f})
	case rq.country != "":
		return b.aboutCountry(rq)
	case rq.nationality != "":
		return b.fromAnswer(rq.nationality, f)
	case rq.topic != "" && !rq.many && !rq.most && f == (Filter{}):
		return b.topicAnswer(rq.topic)
	case rq.most:
		return b.rankingAnswer(f)
	case rq.total || rq.aspect == knowledge.AspectNumbers && !rq.many && f == (Filter{}):
		return b.totalsAnswer()
	case rq.many || rq.region != "" || f.Status != "" && len(rq.unknown) == 0:
		if f.Status == "" && (rq.aspect == knowledge.AspectMoney) {
			f.Status = knowledge.FilterPaid
		}
		return b.listAnswer(f, listAspect(rq.aspect))
	case rq.window.set():
		return b.eventsIn(rq.window)
	case rq.newWords:
		return b.latest("")
	case rq.aspect == knowledge.AspectMoney:
		return b.topicAnswer("money")
	case rq.aspect == knowledge.AspectLaw:
		return b.topicAnswer("law")
	}
	return b.fallback(text, rq)
}

// listAspect keeps the one aspect a list answers: how many.
func listAspect(a knowledge.Aspect) knowledge.Aspect {
	if a == knowledge.AspectNumbers {
		return a
	}
	return knowledge.AspectNone
}

// aboutCountry answers a question about one country: the aspect asked
// about, or the card.
func (b *Bot) aboutCountry(rq request) Reply {
	c := b.store.Country(rq.country)
	if c == nil {
		return b.noAgreement(rq.country, b.store.DisplayName(rq.country))
	}
	if rq.newWords || rq.window.set() {
		return b.latest(c.Name)
	}
	var r Reply
	if a := rq.aspect; a != knowledge.AspectNone {
		r = b.focusedAnswer(c, a)
	} else {
		r = b.card(c)
	}
	if len(rq.others) > 0 {
		var names []string
		for _, o := range rq.others {
			names = append(names, b.store.DisplayName(o))
		}
		r.Notice = fmt.Sprintf("You named more than one country; this answer is about %s. Ask about %s on its own.", c.Name, strings.Join(names, ", "))
	}
	return r
}

// topicAnswer is a topic's card.
func (b *Bot) topicAnswer(id string) Reply {
	if t := b.store.Topic(id); t != nil {
		return b.topic(t)
	}
	return b.notFound(id, nil)
}

// matched answers a name the store matched: a country's card, "nothing
// on record" for a country without one, a topic's card. The deporting
// country, and no match, are no answer.
func (b *Bot) matched(m knowledge.Match) (Reply, bool) {
	switch m.Kind {
	case knowledge.MatchCountry:
		if m.Code != deporter {
			return b.card(m.Country), true
		}
	case knowledge.MatchNoData:
		if m.Code != deporter {
			return b.noAgreement(m.Code, m.Name), true
		}
	case knowledge.MatchTopic:
		return b.topic(m.Topic), true
	}
	return Reply{}, false
}

// fallback answers what was not understood: a name typed alone (a topic's
// alias, a typo the store's rule accepts), then a search of every fact,
// then "not found" with suggestions and the best search hits.
func (b *Bot) fallback(text string, rq request) Reply {
	m := b.store.Resolve(text)
	short := len(strings.Fields(text)) <= 3
	if !m.Typo || short {
		if r, ok := b.matched(m); ok {
			return r
		}
	}
	// Search the words not understood. With none, nothing in the question
	// names anything: say how to ask.
	terms := strings.Join(rq.unknown, " ")
	if len(rq.unknown) == 0 && len(m.Suggestions) == 0 {
		return b.help(fmt.Sprintf("I could not tell which country or topic %q is about.", clip(text, 80)))
	}
	var hits Reply
	if found := b.store.Search(terms); len(found) > 0 {
		hits = b.searchResults(terms, found)
	}
	if len(m.Suggestions) == 0 && hits.Kind == KindSearch {
		hits.Notice = fmt.Sprintf("No country or topic is called %q; these facts mention it.", clip(terms, 80))
		return hits
	}
	// A name-like query with near names: "did you mean", with the best
	// search hits beside the suggestions.
	r := b.notFound(text, m.Suggestions)
	r.Results = hits.Results
	return r
}

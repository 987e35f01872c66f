package bot

// This file answers latest and since: dated events, newest first.

import (
	"fmt"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// latestN is how many events latest shows.
const latestN = 10

func (b *Bot) latest(arg string) Reply {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		r := b.events(b.store.Latest(latestN))
		r.Key = keyLatest("")
		r.Title = fmt.Sprintf("The %d newest events", len(r.Results))
		r.Summary = fmt.Sprintf("Newest first, across every country and topic. Nothing after %s is covered.", b.asOf)
		return r
	}
	m := b.store.Resolve(arg)
	switch m.Kind {
	case knowledge.MatchCountry:
		r := b.events(b.store.LatestFor(m.Code, latestN))
		r.Key = keyLatest(m.Code)
		r.Title = "Newest events: " + m.Name
		r.Country = countryOf(m.Country)
		return r
	case knowledge.MatchNoData:
		return b.noAgreement(m.Code, m.Name)
	case knowledge.MatchTopic:
		return b.topic(m.Topic)
	}
	return b.notFound(arg, m.Suggestions)
}

// since answers "since 2026-01-01", and "since February 2026" as well
// (a month without a year is the last one up to now).
func (b *Bot) since(arg string, now time.Time) Reply {
	if day, ok := parseDay(arg); ok {
		return b.eventsIn(window{from: day, said: "since " + day.Format("2006-01-02")})
	}
	if strings.ContainsAny(arg, "-/") && strings.ContainsAny(arg, "0123456789") {
		return b.help(fmt.Sprintf("since needs a real date as YYYY-MM-DD, e.g. since 2026-01-01; %q is not one.", clip(arg, 40)))
	}
	words := strings.Fields(knowledge.Fold("since " + arg))
	hits := b.lex.scan(words, make([]bool, len(words)))
	if w, ok := b.timeWindow(words, hits, make([]bool, len(words)), now); ok {
		return b.eventsIn(w)
	}
	return b.help(fmt.Sprintf("since needs a date, e.g. since 2026-01-01 or since February 2026; %q is not one.", clip(arg, 40)))
}

// eventsIn lists the events in a window, newest first. With none, it says
// so and shows the newest events on record with their dates.
func (b *Bot) eventsIn(w window) Reply {
	var hits []knowledge.EventHit
	for _, h := range b.store.Since(w.from) {
		if w.until.IsZero() || h.Event.Date.Earliest().Before(w.until) {
			hits = append(hits, h)
		}
	}
	if len(hits) == 0 {
		r := b.events(b.store.Latest(5))
		r.Kind = KindSince
		r.Title = "Nothing on record " + w.said
		r.Summary = fmt.Sprintf("No event on record is dated %s; the facts run to %s. The newest events on record:", w.said, b.asOf)
		return r
	}
	r := b.events(hits)
	r.Kind = KindSince
	r.Key = keyWindow(w)
	r.Title = fmt.Sprintf("Events %s (%d)", w.said, len(r.Results))
	r.Summary = "Newest first. An event known only to the month or year counts from its first possible day."
	return r
}

func (b *Bot) events(hits []knowledge.EventHit) Reply {
	r := Reply{Kind: KindLatest}
	ci := newCites(b.store)
	for _, h := range hits {
		res := Result{Date: h.Event.Date.String(), DateISO: h.Event.Date.ISO(), Event: ci.fact(h.Event.Fact)}
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

// parseDay reads a since argument.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	return t, err == nil
}

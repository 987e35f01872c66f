package bot

// This file answers map: the world, a region, a status or one country's
// region, each country on record in its headline status's colour, as a PNG
// with its text alternative. A map is drawn once per filter for the bot's
// data and kept in its memo (a few at most), so a reload draws afresh.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/internal/worldmap"
	"github.com/agreementbot/agreementbot/knowledge"
)

// mapRequest is what a map shows.
type mapRequest struct {
	filter    Filter
	highlight string // a country's code, drawn outlined in its region
}

// name is the map's filter as a path and file-name part: world, africa,
// received, africa-received, ug.
func (m mapRequest) name() string {
	var parts []string
	if m.highlight != "" {
		return strings.ToLower(m.highlight)
	}
	if m.filter.Region != "" {
		parts = append(parts, m.filter.Region)
	}
	if m.filter.Status != "" {
		parts = append(parts, m.filter.Status)
	}
	if len(parts) == 0 {
		return "world"
	}
	return strings.Join(parts, "-")
}

// mapCommand answers "map", "map received", "map africa", "map uganda".
func (b *Bot) mapCommand(arg string, now time.Time) Reply {
	m, bad := b.mapFilter(arg, now)
	if bad != "" {
		return b.help(fmt.Sprintf("map takes a status (%s), a region (%s) or a country; %q is none of them.",
			strings.Join(statusWordsOf(), ", "), strings.Join(b.regionNames(), ", "), clip(bad, 40)))
	}
	return b.drawMap(m)
}

// mapFilter reads map's words: a region and a status, or a country.
func (b *Bot) mapFilter(arg string, now time.Time) (mapRequest, string) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return mapRequest{}, ""
	}
	if f, bad := b.listFilter(arg); bad == "" {
		return mapRequest{filter: f}, ""
	}
	// Words around them: "de los países que recibieron", "of africa".
	rq := b.understand(arg, now)
	switch {
	case rq.country != "" && len(rq.others) == 0:
		return mapRequest{highlight: rq.country}, ""
	case rq.region != "" || rq.status != "":
		return mapRequest{filter: Filter{Region: rq.region, Status: rq.status}}, ""
	case len(rq.unknown) == 0 && rq.country == "":
		return mapRequest{}, ""
	}
	return mapRequest{}, arg
}

// drawMap returns the map answer, drawing it the first time.
func (b *Bot) drawMap(m mapRequest) Reply {
	key := "map:" + m.name()
	return b.memoized(key, func() Reply { return b.renderMap(m) })
}

// RenderedMap returns the PNG of a map this bot has already drawn for its
// data (digest) and filter (name), for serving under PUBLIC_URL; it never
// draws one.
func (b *Bot) RenderedMap(digest, name string) (*Image, bool) {
	if digest != b.store.Digest() {
		return nil, false
	}
	r, ok := b.memo.peek("map:" + name)
	if !ok || r.Image == nil {
		return nil, false
	}
	return r.Image, true
}

// renderMap draws a map and writes its text alternative.
func (b *Bot) renderMap(m mapRequest) Reply {
	statuses := knowledge.Statuses()
	cats := make([]worldmap.Category, len(statuses))
	index := map[knowledge.Status]int{}
	for i, s := range statuses {
		cats[i] = worldmap.Category{Label: titleCase(string(s))}
		index[s] = i
	}
	view := "world"
	if r, ok := b.store.Words().Region(m.filter.Region); ok {
		view = r.M49 // words.yaml may name any M49 area; the map draws each
	}
	if m.highlight != "" {
		view = worldmap.ViewFor(m.highlight)
	}
	var shown []*knowledge.Country
	for _, c := range b.store.Countries() {
		if b.matches(c, m.filter) && worldmap.Has(c.Code) {
			shown = append(shown, c)
		}
	}
	spec := worldmap.Spec{
		View:          view,
		Highlight:     m.highlight,
		Categories:    cats,
		HideEmpty:     true,
		DisputedLabel: "Hatched: a government denied or contradicted a report",
		Footer:        []string{"Facts as of " + b.asOf, "Sources: agreementbot fact store; map data: Natural Earth"},
	}
	for _, c := range shown {
		spec.Entries = append(spec.Entries, worldmap.Entry{Code: c.Code, Category: index[c.Status], Disputed: c.Disputed})
	}
	r := Reply{Kind: KindMap, Filter: m.filter}
	r.Title = mapTitle(m, b.store)
	spec.Title = r.Title
	for _, c := range shown {
		r.Results = append(r.Results, countryResult(c))
	}
	r.Summary = mapAlt(shown, b.asOf, statuses)
	if m.highlight != "" {
		r.Country = &Country{Code: m.highlight, Name: b.store.DisplayName(m.highlight), Status: "none"}
		if c := b.store.Country(m.highlight); c != nil {
			r.Country = countryOf(c)
		}
	}
	img, err := worldmap.Render(spec)
	if err != nil {
		// The shapes are embedded and every country on record has one
		// (tested): this is a bug to report, not something to show.
		panic("bot: drawing the map: " + err.Error())
	}
	name := m.name()
	r.Image = &Image{
		Name: "agreement-map-" + name + ".png",
		PNG:  img.PNG,
		Alt:  r.Summary,
		Path: "/maps/" + b.store.Digest() + "/" + name + ".png",
	}
	return r
}

// mapTitle names a map.
func mapTitle(m mapRequest, s *knowledge.Store) string {
	t := "Countries that agreed to take people deported from the US who are not their citizens"
	switch {
	case m.highlight != "":
		return t + ": " + s.DisplayName(m.highlight) + " and its region"
	case m.filter != (Filter{}):
		return strings.Replace(listTitle(m.filter, 0), "Countries", "Map: countries", 1)
	}
	return t
}

// mapAlt is the map in words, for those who cannot see it: "Map of 54
// countries on record as of 2026-03-13: 13 received (Cameroon, …), …".
func mapAlt(cs []*knowledge.Country, asOf string, statuses []knowledge.Status) string {
	var parts []string
	for _, st := range statuses {
		var names []string
		for _, c := range cs {
			if c.Status == st {
				names = append(names, c.Name)
			}
		}
		if len(names) > 0 {
			slices.Sort(names)
			parts = append(parts, fmt.Sprintf("%d %s (%s)", len(names), st, strings.Join(names, ", ")))
		}
	}
	s := fmt.Sprintf("Map of %d countries on record as of %s", len(cs), asOf)
	if len(parts) == 0 {
		return s + "."
	}
	return s + ": " + strings.Join(parts, ", ") + "."
}

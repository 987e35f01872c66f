package knowledge

import (
	"context"
	"slices"
	"sort"
	"time"
)

// FromHit is a country that received, or agreed to take, people of one
// nationality.
type FromHit struct {
	Country  *Country
	Received bool // people were actually sent there; false: it agreed to take them
	Count    int  // 0 when not reported
	Sources  []string
	Caveat   Caveat // of the arrival report; none for an agreement
	Date     Date   // when they arrived, or when the arrangement was agreed
	Group    string // the group agreed to, e.g. "West African nationals"; "" for an arrival
	Note     string // plain words about the arrangement, e.g. that it dates from 2023
}

// EventHit is a dated event of a country or a topic.
type EventHit struct {
	Country *Country // or nil for a topic
	Topic   *Topic
	Event   Event
}

// index builds every derived structure once, after the files are loaded.
func (s *Store) index(p *problems) {
	sort.Slice(s.countries, func(i, j int) bool { return s.countries[i].Name < s.countries[j].Name })
	for _, c := range s.countries {
		checkOrder(p, c.File, c.Timeline)
		if len(c.Payments) > 0 {
			s.paid = append(s.paid, c)
		}
	}
	for _, t := range s.topics {
		checkOrder(p, t.File, t.Timeline)
	}
	// The quick names carry the alias checks, so an alias claimed twice is
	// reported with every other problem, not after they are fixed.
	s.buildQuick(p)
	if len(p.list) > 0 {
		return
	}
	s.asOf = s.newest()
}

// derive builds, once, what only some commands need: the nationality
// index (from) and the list of events (latest, since). Warm builds it
// ahead of time.
func (s *Store) derive() {
	s.deriveOnce.Do(func() {
		s.buildFrom()
		s.buildEvents()
	})
}

// newest is the newest dated item in the data: the as-of date.
func (s *Store) newest() Date {
	newest := Date{}
	note := func(d Date) {
		if d.Known() && d.Earliest().After(newest.Earliest()) {
			newest = d
		}
	}
	for _, c := range s.countries {
		for _, e := range c.Timeline {
			note(e.Date)
		}
		for _, p := range c.Payments {
			note(p.Date)
		}
	}
	for _, t := range s.topics {
		for _, e := range t.Timeline {
			note(e.Date)
		}
	}
	for _, src := range s.sources {
		note(src.Date)
	}
	return Date{Year: newest.Year, Month: newest.Month, Day: newest.Day, Precision: newest.Precision}
}

// Warm starts building the two big indexes (names in nine languages with
// typo and prefix indexes, and full-text search) and the from and event
// lists in the background, and returns at once. They validate nothing, so
// Load leaves them out: a one-shot exact answer never needs them.
// Long-running modes call Warm right after Load so the first misspelt name
// or search does not wait; without it, the first lookup that needs them
// builds them. Either way they are built once and are read-only afterwards.
//
// When ctx is done the build stops at its next check, keeping nothing
// half-built; whatever is missing is built by a later Warm or by the first
// lookup that needs it.
func (s *Store) Warm(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	go func() {
		if ctx.Err() == nil {
			s.derive()
		}
	}()
	go s.buildIndexes(ctx)
}

// buildIndexes builds the name and search indexes, on two cores, unless
// they are built already, and reports whether both are there. Indexed is
// closed once they are.
func (s *Store) buildIndexes(ctx context.Context) bool {
	search := make(chan bool, 1)
	go func() { search <- s.buildSearch(ctx) }()
	names := s.buildNames(ctx)
	if !<-search || !names {
		return false
	}
	s.indexedOnce.Do(func() { close(s.indexed) })
	return true
}

// Indexed is closed once the big indexes are built, after Warm or after a
// first lookup that needed them. /readyz waits for it, so that a replica
// takes traffic only when every answer is quick.
func (s *Store) Indexed() <-chan struct{} { return s.indexed }

// waitIndexed makes sure the big indexes are built: at once if they are,
// otherwise by building them here, or waiting for a build under way.
func (s *Store) waitIndexed() {
	select {
	case <-s.indexed:
	default:
		s.buildIndexes(context.Background())
	}
}

// checkOrder requires a timeline to be oldest first, as written: an event
// may not start after a later event has certainly ended. Partial dates
// overlap ("2025-08" and "2025-08-04" may come in either order, as the
// editor knows best), and undated events may stand anywhere.
func checkOrder(p *problems, file string, ev []Event) {
	var prev *Event
	for i := range ev {
		e := &ev[i]
		if !e.Date.Known() {
			continue
		}
		if prev != nil && prev.Date.Earliest().After(e.Date.Latest()) {
			p.add(file, e.line, "timeline out of order: %s comes after %s; list events oldest first", e.Date.ISO(), prev.Date.ISO())
		}
		prev = e
	}
}

func (s *Store) buildFrom() {
	s.from = map[string][]FromHit{}
	for _, c := range s.countries {
		got := map[string]bool{}
		for _, a := range c.Received {
			if got[a.Code] {
				continue
			}
			got[a.Code] = true
			s.from[a.Code] = append(s.from[a.Code], FromHit{Country: c, Received: true, Count: a.Count, Sources: a.Sources, Caveat: a.Caveat, Date: a.Date})
		}
		for _, g := range c.Groups {
			for _, code := range g.Codes {
				if got[code] || code == c.Code {
					continue
				}
				got[code] = true
				s.from[code] = append(s.from[code], FromHit{Country: c, Sources: g.Sources, Date: g.Date, Group: g.Name, Note: g.Note})
			}
		}
	}
	for code, hits := range s.from {
		sort.SliceStable(hits, func(i, j int) bool {
			if hits[i].Received != hits[j].Received {
				return hits[i].Received
			}
			return hits[i].Country.Name < hits[j].Country.Name
		})
		s.from[code] = hits
	}
}

func (s *Store) buildEvents() {
	for _, c := range s.countries {
		for _, e := range c.Timeline {
			if e.Date.Known() {
				s.events = append(s.events, EventHit{Country: c, Event: e})
			}
		}
	}
	for _, t := range s.topics {
		for _, e := range t.Timeline {
			if e.Date.Known() {
				s.events = append(s.events, EventHit{Topic: t, Event: e})
			}
		}
	}
	sort.SliceStable(s.events, func(i, j int) bool {
		a, b := s.events[i].Event.Date.Earliest(), s.events[j].Event.Date.Earliest()
		if !a.Equal(b) {
			return a.After(b)
		}
		return s.events[i].name() < s.events[j].name()
	})
}

func (h EventHit) name() string {
	if h.Country != nil {
		return h.Country.Name
	}
	return h.Topic.Title
}

// Latest returns the n newest dated events across countries and topics,
// newest first. Partial dates sort by their earliest possible day; undated
// events are left out.
func (s *Store) Latest(n int) []EventHit {
	s.derive()
	// Clipped, so that a caller's append cannot overwrite the store.
	return slices.Clip(s.events[:max(0, min(n, len(s.events)))])
}

// LatestFor returns one country's n newest dated events, newest first.
func (s *Store) LatestFor(code string, n int) []EventHit {
	var out []EventHit
	if n <= 0 {
		return out
	}
	s.derive()
	for _, e := range s.events {
		if e.Country != nil && e.Country.Code == code {
			out = append(out, e)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// Since returns every dated event on or after day, newest first. An event
// with a partial date counts from its earliest possible day.
func (s *Store) Since(day time.Time) []EventHit {
	s.derive()
	i := sort.Search(len(s.events), func(i int) bool { return s.events[i].Event.Date.Earliest().Before(day) })
	return slices.Clip(s.events[:i])
}

// From returns the countries that received, or agreed to take, people of
// the nationality with code: received first, then agreed, by name.
func (s *Store) From(code string) []FromHit {
	s.derive()
	return slices.Clip(s.from[code])
}

// Demonym resolves a nationality word ("Cubans", "venezuelan") to its ISO
// code. Country names are not demonyms: see Nationality.
func (s *Store) Demonym(word string) (string, bool) {
	code, ok := s.demonymIndex[fold(word)]
	return code, ok
}

// Nationality resolves a nationality written as a demonym ("Cubans",
// "venezuelan") or a country name ("cuba") to its ISO code.
func (s *Store) Nationality(text string) (string, bool) {
	f := fold(text)
	if f == "" {
		return "", false
	}
	if code, ok := s.demonymIndex[f]; ok {
		return code, true
	}
	m := s.Resolve(text)
	if m.Kind == MatchCountry || m.Kind == MatchNoData {
		return m.Code, true
	}
	return "", false
}

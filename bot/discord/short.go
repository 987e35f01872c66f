package discord

// This file is the short form: a card as posted in a busy channel, and one
// page of a long answer. The buttons under them show the rest.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// shortBudget bounds a short card in visible characters: the title,
// description and footer as people read them, without the backslashes of
// escapes and the targets of links. About a phone screen.
const shortBudget = 1200

// Parts of a short card, in visible characters.
const (
	maxShortNotice  = 300 // a stated problem (data updated since the button was made)
	maxShortFooter  = 250 // the as-of line and the stale notice
	maxShortOutlet  = 40  // one outlet in the line of sources
	maxShortDate    = 24  // its date
	maxShortSources = 3
	// minShare is the least room a summary or highlight is shown in; one
	// given less is left out rather than cut to a stub.
	minShare = 40
)

// shortCard renders a card in at most shortBudget visible characters: the
// name with its headline status, any stated problem, the summary, the
// highlights, one line of the sources they cite (outlet and date, linked)
// and the as-of line. When they do not all fit, the summary and the
// highlights share what is left: short ones are shown whole and long ones
// get equal shares, each cut at a word with an ellipsis.
func shortCard(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: colour(r)}
	e.Title, _ = title(r)
	r.Corrections = "" // where to report a wrong fact is on the whole card
	e.Footer = footer(r.Footer(), maxShortFooter)
	used := width(e.Title)
	if e.Footer != nil {
		used += width(e.Footer.Text)
	}
	notice := clipText(r.Notice, maxShortNotice)
	sources, sourcesW := shortSources(r.ShortSources)
	used += width(notice) + sourcesW

	// The summary, then the highlights with their bullets.
	n := 1 + len(r.Highlights)
	texts, needs := make([]string, n), make([]int, n)
	texts[0], needs[0] = r.Summary, width(r.Summary)
	for i, h := range r.Highlights {
		texts[i+1] = oneLine(h)
		needs[i+1] = len(bullet) - 2 + width(texts[i+1]) // "• " is 2 characters
	}
	shares := fairShares(needs, shortBudget-used)

	b := make([]byte, 0, 2*shortBudget)
	para := func() {
		if len(b) > 0 {
			b = append(b, "\n\n"...)
		}
	}
	if notice != "" {
		b, _, _ = appendEscClip(b, notice, -1)
	}
	if t, ok := fit(texts[0], needs[0], shares[0], 0); ok {
		para()
		b, _, _ = appendEscClip(b, t, -1)
	}
	first := true
	for i := 1; i < n; i++ {
		t, ok := fit(texts[i], needs[i], shares[i], 2)
		if !ok {
			continue
		}
		if first {
			para()
			first = false
		} else {
			b = append(b, '\n')
		}
		b = append(b, bullet...)
		b, _, _ = appendEscClip(b, t, -1)
	}
	if sources != "" {
		para()
		b = append(b, sources...)
	}
	e.Description = string(b)
	if e.Title == "" && e.Description == "" {
		e.Description = "No answer."
	}
	return e
}

// fit returns text cut to its share (less pre characters of markup), or
// false when the share is too small to show it.
func fit(text string, need, share, pre int) (string, bool) {
	switch {
	case text == "":
		return "", false
	case share >= need:
		return text, true
	case share-pre < minShare:
		return "", false
	}
	return clipText(text, share-pre), true
}

// clipText cuts plain text s to at most max characters (as width counts
// them), at the last space in the second half of what fits when there is
// one, and ends it with an ellipsis.
func clipText(s string, max int) string {
	if width(s) <= max {
		return s
	}
	if max < 1 {
		return ""
	}
	w, cut := 0, 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > max-1 {
			cut = i
			break
		}
		w += rw
	}
	t := s[:cut]
	if sp := strings.LastIndexByte(t, ' '); sp > len(t)/2 {
		t = t[:sp]
	}
	return strings.TrimRight(t, " ,;:") + ellipsis
}

// shortSources is the line of sources of a short card, "Sources: [Reuters,
// 2025-08-21](https://…) · [AP, 2025-08-21](https://…)", markdown ready,
// and its visible width.
func shortSources(ss []bot.Source) (string, int) {
	var b []byte
	w, shown := 0, 0
	for i, s := range ss {
		if shown == maxShortSources {
			break
		}
		if slices.ContainsFunc(ss[:i], func(o bot.Source) bool { return o.URL == s.URL && o.Outlet == s.Outlet && o.Date == s.Date }) {
			continue // the same report under two ids: one link says it
		}
		label := s.Outlet
		if label == "" {
			label = s.Title
		}
		label = outlet(oneLine(label))
		if label == "" {
			continue
		}
		if s.Low {
			label += " (low reliability)"
		}
		if s.Date != "" {
			label += ", " + clipText(oneLine(s.Date), maxShortDate)
		}
		if shown == 0 {
			b = append(make([]byte, 0, 256), "Sources: "...)
			w = len("Sources: ")
		} else {
			b = append(b, " · "...)
			w += 3
		}
		shown++
		w += width(label) // what is read, not the escapes
		u, linked := linkURL(s.URL)
		if !linked {
			b, _, _ = appendEscClip(b, label, -1)
			continue
		}
		b = append(b, '[')
		b, _, _ = appendEscClip(b, label, -1)
		b = append(b, "]("...)
		b = append(b, u...)
		b = append(b, ')')
	}
	return string(b), w
}

// outlet shortens an outlet's name for the line of sources: to what comes
// before "(via …)" or another parenthesis when that fits, else cut.
func outlet(s string) string {
	if width(s) <= maxShortOutlet {
		return s
	}
	if i := strings.Index(s, " ("); i > 0 && width(s[:i]) <= maxShortOutlet {
		return s[:i]
	}
	return clipText(s, maxShortOutlet)
}

// page renders one page of r (bot.PageSize entries), with the sources
// those entries cite, saying which page it is after the summary: "Page 2
// of 6: 11–20 of 51."
func page(r bot.Reply) *discordgo.MessageEmbed {
	r, line := pageOf(r)
	return embed(r, line)
}

// pageOf narrows r to the page it shows, and says which.
func pageOf(r bot.Reply) (bot.Reply, string) {
	lo, hi, n := r.PageBounds()
	if n == 0 {
		return r, ""
	}
	p, pages := r.PageNumber(), r.Pages()
	if r.Kind == bot.KindSources {
		r.Sources = r.Sources[lo:hi]
	} else {
		r.Results = r.Results[lo:hi]
		r.Sources = cited(r.Sources, r.Results)
	}
	return r, "Page " + strconv.Itoa(p) + " of " + strconv.Itoa(pages) + ": " + strconv.Itoa(lo+1) + "–" + strconv.Itoa(hi) + " of " + strconv.Itoa(n) + "."
}

// cited keeps the sources that the results cite with the bot's citation
// marks, "[S1, S6]", in the order of srcs.
func cited(srcs []bot.Source, rs []bot.Result) []bot.Source {
	if len(srcs) == 0 {
		return nil
	}
	ids := map[string]bool{}
	for _, res := range rs {
		marks(res.Event, ids)
		marks(res.Snippet, ids)
	}
	var out []bot.Source
	for _, s := range srcs {
		if ids[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

// marks adds to ids the source ids in the citation marks of s.
func marks(s string, ids map[string]bool) {
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			return
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return
		}
		for id := range strings.SplitSeq(s[i+1:i+j], ",") {
			ids[strings.TrimSpace(id)] = true
		}
		s = s[i+j+1:]
	}
}

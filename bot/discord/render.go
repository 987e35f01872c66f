package discord

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// Discord's message and embed limits.
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000 // across every embed of a message
	maxEmbeds      = 10
	maxChoices     = 25
	maxChoiceName  = 100
	maxChoiceValue = 100
)

// Embed colours: one per headline status, so a channel can tell a transfer
// from a request at a glance, and neutral ones for everything else.
var statusColours = map[string]int{
	"requested": 0x95a5a6, // grey: asked, nothing agreed
	"announced": 0x3498db, // blue
	"agreed":    0xf1c40f, // yellow
	"signed":    0xe67e22, // orange
	"received":  0xe74c3c, // red: people were actually sent
	"refused":   0x2ecc71, // green
	"ended":     0x7f8c8d, // dark grey
	"special":   0x9b59b6, // purple
	"none":      0xbdc3c7, // light grey: nothing on record
}

const (
	colourDefault = 0x5865f2 // Discord blurple: lists, help, search
	colourRefused = 0x4f545c // an apology
)

func colour(r bot.Reply) int {
	status := r.Status
	if status == "" && r.Country != nil {
		status = r.Country.Status
	}
	if c, ok := statusColours[status]; ok && (r.Kind == bot.KindCountry || r.Kind == bot.KindNoAgreement || status != "") {
		return c
	}
	if r.Kind == bot.KindRateLimited || r.Kind == bot.KindError {
		return colourRefused
	}
	return colourDefault
}

// commandPrefix is how a query is typed in Discord.
const commandPrefix = "/agreement query:"

// Render turns a reply into the data of an interaction response: one embed
// within every Discord limit, markdown escaped in all text that comes from
// the reply, no mentions allowed, the reply's buttons under it, and the
// ephemeral flag for private replies.
//
// Unless the reply asks for the whole answer (Reply.Full), it is rendered
// in its short form, public or private alike: a country's or a topic's
// card shows its headline, summary, highlights, one line of sources and
// the as-of line, in at most shortBudget visible characters (see
// shortCard); a list, search, latest, since, from, ranking or sources
// answer shows one page of bot.PageSize entries, with the count and "page
// N of M". Everything else, focused answers included, is short already and
// is rendered whole. A whole answer too long for one message is shortened
// where it overflows, and the commands in Reply.More that show the rest
// are listed at the end.
//
// A reply with an Image (the map) gets the PNG as an attached file, shown
// as the embed's image (attachment://name), with the alt text as the
// description; the HTTP endpoint, which cannot send files inline, moves
// the image to PUBLIC_URL or to a follow-up message.
//
// Render is deterministic: the same reply gives the same data.
func Render(r bot.Reply) *discordgo.InteractionResponseData {
	var e *discordgo.MessageEmbed
	switch {
	case r.ShortCard():
		e = shortCard(r)
	case r.Paged():
		e = page(r)
	default:
		e = embed(r, "")
	}
	data := &discordgo.InteractionResponseData{
		Embeds: []*discordgo.MessageEmbed{e},
		// An empty, non-nil Parse marshals as "parse":[], which allows no
		// mentions at all; a nil one marshals as null, which Discord reads
		// as the default and pings.
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
		Components:      components(r.Buttons),
	}
	if r.Image != nil {
		attachImage(data, r.Image)
	}
	if r.Visibility == bot.Private {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return data
}

// title is a reply's embed title, "Uganda · signed (disputed)", and
// whether it had to be cut.
func title(r bot.Reply) (string, bool) {
	if r.Title == "" && r.Status == "" {
		return "", false
	}
	suffix := ""
	if r.Status != "" {
		suffix, _ = escClip(oneLine(r.Status), 64) // only a hostile status is this long
		if r.Disputed {
			suffix += " (disputed)"
		}
		if r.Title != "" {
			suffix = " · " + suffix
		}
	}
	t, cut := escClip(oneLine(r.Title), maxTitle-width(suffix))
	return t + suffix, cut
}

// alt is the image's text for those who cannot see it, unless the summary
// already says it.
func alt(r bot.Reply) string {
	if r.Image == nil || r.Image.Alt == r.Summary {
		return ""
	}
	return r.Image.Alt
}

// maxFooterText bounds the footer of a whole answer: far below maxFooter,
// since the title, description and footer together must leave room for
// fields within the 6,000 in all. Footer() is a few short lines.
const maxFooterText = 400

// footer is the embed footer for the text of bot.Reply.Footer, or nil.
func footer(text string, max int) *discordgo.MessageEmbedFooter {
	if text == "" {
		return nil
	}
	return &discordgo.MessageEmbedFooter{Text: plainLines(text, max)}
}

// embed renders a reply whole: title, the stated problem and the summary,
// then every field, result, suggestion, event and source, shortened where
// they overflow, and the footer. tail, plain text, ends the description
// and is never cut (a page's "Page 2 of 6").
func embed(r bot.Reply, tail string) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: colour(r)}
	var shortened bool
	e.Title, shortened = title(r)

	// Description: the stated problem, the summary, and the text for
	// those who cannot see the image when it says more.
	var b strings.Builder
	for _, p := range []string{r.Notice, r.Summary, alt(r)} {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	if b.Len() > 0 {
		var cut bool
		e.Description, cut = escClip(b.String(), maxDescription-len(tail)-2)
		shortened = shortened || cut
	}
	if tail != "" {
		if e.Description != "" {
			e.Description += "\n\n"
		}
		e.Description += esc(tail)
	}
	e.Footer = footer(r.Footer(), maxFooterText)

	fixed := width(e.Title) + width(e.Description)
	if e.Footer != nil {
		fixed += width(e.Footer.Text)
	}
	secs := sections(r)
	more := moreField(r.More)

	// Everything fits: the common case.
	if f, ok := packAll(secs, maxEmbedTotal-fixed, maxFields); ok && !shortened {
		e.Fields = f
	} else {
		budget, fields := maxEmbedTotal-fixed, maxFields
		if more != nil {
			budget -= width(more.Name) + width(more.Value)
			fields--
		}
		e.Fields = packShortened(secs, budget, fields)
		if more != nil {
			e.Fields = append(e.Fields, more)
		}
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
		e.Description = "No answer."
	}
	return e
}

// line is one line of a field value: a bullet, an event's date in bold or
// a source's id, then the text, linked to a checked URL when there is one.
// The parts are escaped as they are appended, and only the text is
// shortened when a line is too long.
type line struct {
	dated bool   // the line starts with date, in bold
	date  string // raw
	id    string // raw: a source's id
	text  string // raw
	link  string // a URL from linkURL, or ""
}

// appendTo appends the line, at most max characters, to b and returns its
// width.
func (l line) appendTo(b []byte, max int) ([]byte, int) {
	b = append(b, bullet...)
	w := width(bullet)
	if l.dated {
		var dw int
		b = append(b, "**"...)
		b, dw, _ = appendEscClip(b, oneLine(l.date), 64)
		b = append(b, "** "...)
		w += dw + len("**** ")
	}
	if l.id != "" {
		var iw int
		b, iw, _ = appendEscClip(b, oneLine(l.id), 16)
		b = append(b, ' ')
		w += iw + 1
	}
	post := 0
	if l.link != "" {
		b = append(b, '[')
		w++
		post = len("](") + len(l.link) + len(")")
	}
	b, tw, _ := appendEscClip(b, oneLine(l.text), max-w-post)
	if l.link != "" {
		b = append(b, "]("...)
		b = append(b, l.link...)
		b = append(b, ')')
	}
	return b, w + tw + post
}

// oneLine joins the lines of s with spaces: items, dates and names are
// one line each, and a line break inside one would break the list.
func oneLine(s string) string {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
}

// section is a titled list of lines, shown as one or more embed fields.
// The lines are rendered once, one after another in text, so that a
// field's value is one slice of it; the layout is worked out on their
// widths.
type section struct {
	name   string // escaped
	nameW  int    // width(name)
	text   []byte // the lines, each followed by a newline
	ends   []int  // ends[i] is where line i's newline ends in text
	widths []int  // widths[i] is the width of line i
	// noun names what the lines are, for "… and 3 more sources".
	noun string
}

// start is where line i starts in text.
func (s section) start(i int) int {
	if i == 0 {
		return 0
	}
	return s.ends[i-1]
}

// value is the text of lines [i, j), j > i, as a field value.
func (s section) value(i, j int) string {
	return string(s.text[s.start(i) : s.ends[j-1]-1])
}

const bullet = "• "

// sections lays out everything below the description, in display order:
// the card's fields, results, suggestions, the timeline, the sources.
func sections(r bot.Reply) []section {
	out := make([]section, 0, len(r.Fields)+4)
	// add copies the lines, so one ls serves every section.
	ls := make([]line, 0, max(len(r.Results), len(r.Timeline), len(r.Sources), 16))
	add := func(name, noun string, ls []line) {
		if len(ls) == 0 {
			return
		}
		n, _ := escClip(oneLine(name), maxFieldName-len(contSuffix))
		if n == "" {
			n = "\u200b"
		}
		s := section{name: n, nameW: width(n), noun: noun, ends: make([]int, len(ls)), widths: make([]int, len(ls))}
		size := 0
		for _, l := range ls {
			size += len(bullet) + len(l.date) + len(l.id) + len(l.text) + len(l.text)/8 + len(l.link) + 12
		}
		s.text = make([]byte, 0, size)
		for i, l := range ls {
			s.text, s.widths[i] = l.appendTo(s.text, maxFieldValue)
			s.text = append(s.text, '\n')
			s.ends[i] = len(s.text)
		}
		out = append(out, s)
	}
	for _, f := range r.Fields {
		ls = ls[:0]
		for _, it := range f.Items {
			ls = append(ls, line{text: it})
		}
		add(f.Name, "items", ls)
	}

	// Results, grouped by their heading where they have one.
	var group string
	ls = ls[:0]
	flush := func() {
		name := group
		if name == "" {
			name = resultsHeading(r.Kind)
		}
		add(name, "results", ls)
		ls = ls[:0]
	}
	for i, res := range r.Results {
		if i > 0 && res.Group != group {
			flush()
		}
		group = res.Group
		ls = append(ls, line{text: res.Line()})
	}
	flush()

	ls = ls[:0]
	for _, s := range r.Suggestions {
		ls = append(ls, line{text: s.Name})
	}
	add("Did you mean?", "suggestions", ls)

	ls = ls[:0]
	for _, ev := range r.Timeline {
		ls = append(ls, line{dated: true, date: ev.Date, text: ev.Text})
	}
	add("Timeline", "events", ls)

	ls = ls[:0]
	for _, s := range r.Sources {
		ls = append(ls, sourceLine(s))
	}
	add("Sources", "sources", ls)
	return out
}

func resultsHeading(k bot.Kind) string {
	switch k {
	case bot.KindSearch:
		return "Matches"
	case bot.KindLatest:
		return "Events"
	case bot.KindFrom, bot.KindList:
		return "Countries"
	}
	return "Results"
}

// sourceLine shows a source as "• S1 [Reuters, 2025-08-20](https://…)", or
// without the link when its URL is not a plain http(s) URL.
func sourceLine(s bot.Source) line {
	text := s.Outlet
	if text == "" {
		text = s.Title
	}
	if s.Date != "" {
		text += ", " + s.Date
	}
	u, _ := linkURL(s.URL)
	return line{id: s.ID, text: text, link: u}
}

// moreField lists the commands that show what a shortened answer leaves
// out, e.g. "All sources: `/agreement query:sources uganda`".
func moreField(more []bot.More) *discordgo.MessageEmbedField {
	var b strings.Builder
	for _, m := range more {
		l := capitalize(esc(oneLine(m.Label))) + ": " + codeSpan(commandPrefix+m.Command)
		if width(b.String())+1+width(l) > maxFieldValue {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	if b.Len() == 0 {
		return nil
	}
	return &discordgo.MessageEmbedField{Name: "More", Value: b.String()}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// packAll packs every line of every section into fields. ok is false when
// they need more than budget characters or more than maxf fields.
func packAll(secs []section, budget, maxf int) ([]*discordgo.MessageEmbedField, bool) {
	ends := make([][]int, len(secs))
	used, n := 0, 0
	for i, s := range secs {
		var sz int
		ends[i], sz = s.split(s.widths, -1)
		used += sz
		n += len(ends[i])
	}
	if used > budget || n > maxf {
		return nil, false
	}
	out := make([]*discordgo.MessageEmbedField, 0, n)
	for i, s := range secs {
		out = s.fields(out, ends[i], len(s.widths), "")
	}
	return out, true
}

// size is what fields count towards the 6,000-character limit.
func size(fs []*discordgo.MessageEmbedField) int {
	n := 0
	for _, f := range fs {
		n += width(f.Name) + width(f.Value)
	}
	return n
}

// contSuffix names the fields that continue a section.
const contSuffix = " (cont.)"

// split lays out lines of the given widths in fields of at most
// maxFieldValue characters, one line after another, continuing in fields
// named "<name> (cont.)"; with maxf >= 0, in at most maxf fields. It
// returns where each field's lines end (the last end is the number of
// lines that went in) and the fields' size, names included.
func (s section) split(widths []int, maxf int) (ends []int, size int) {
	w, n := 0, 0 // the width of the field being filled; the lines packed
	for _, lw := range widths {
		if w > 0 && w+1+lw > maxFieldValue {
			if maxf >= 0 && len(ends)+1 >= maxf {
				break
			}
			ends = append(ends, n)
			size += w
			w = 0
		}
		if w > 0 {
			w++
		}
		w += lw
		n++
	}
	if w > 0 {
		ends = append(ends, n)
		size += w
	}
	if len(ends) > 0 {
		size += len(ends)*s.nameW + (len(ends)-1)*len(contSuffix)
	}
	return ends, size
}

// fields appends to out the fields of a layout from split of the first n
// lines and, when tail is not "", the tail line after them.
func (s section) fields(out []*discordgo.MessageEmbedField, ends []int, n int, tail string) []*discordgo.MessageEmbedField {
	start := 0
	for k, end := range ends {
		f := &discordgo.MessageEmbedField{Name: s.name}
		if k > 0 {
			f.Name += contSuffix
		}
		switch {
		case end <= n:
			f.Value = s.value(start, end)
		case start == n:
			f.Value = tail
		default:
			var b strings.Builder
			b.Grow(s.ends[n-1] - s.start(start) + len(tail))
			b.Write(s.text[s.start(start):s.ends[n-1]]) // ends with a newline
			b.WriteString(tail)
			f.Value = b.String()
		}
		out = append(out, f)
		start = end
	}
	return out
}

// packed is the number of lines a layout from split holds.
func packed(ends []int) int {
	if len(ends) == 0 {
		return 0
	}
	return ends[len(ends)-1]
}

// packShortened packs sections into at most maxf fields and budget
// characters. Sections past the field limit are left out; the characters
// are shared out so that small sections are shown whole and large ones get
// equal shares (max-min fairness), each cut short with "… and N more".
func packShortened(secs []section, budget, maxf int) []*discordgo.MessageEmbedField {
	var note *discordgo.MessageEmbedField
	if len(secs) > maxf {
		// One field says how many sections are left out.
		keep := maxf - 1
		note = &discordgo.MessageEmbedField{Name: "…", Value: strconv.Itoa(len(secs)-keep) + " more sections left out"}
		secs, maxf = secs[:keep], keep
		budget -= size([]*discordgo.MessageEmbedField{note})
	}
	// What each section would take in full.
	need := make([]int, len(secs))
	for i, s := range secs {
		_, need[i] = s.split(s.widths, -1)
	}
	share := fairShares(need, budget)

	var out []*discordgo.MessageEmbedField
	for i, s := range secs {
		// Leave one field for each section still to come.
		fieldsLeft := maxf - len(out) - (len(secs) - i - 1)
		if fieldsLeft < 1 {
			break
		}
		var used int
		out, used = fitSection(out, s, share[i], fieldsLeft)
		// Hand what this section did not use to the next one.
		if i+1 < len(secs) {
			share[i+1] += share[i] - used
		}
	}
	if note != nil {
		out = append(out, note)
	}
	return out
}

// fairShares divides budget among needs: every need at or below the fair
// level is met in full, and the rest split what remains equally.
func fairShares(need []int, budget int) []int {
	share := make([]int, len(need))
	left := budget
	open := make([]int, 0, len(need))
	for i := range need {
		open = append(open, i)
	}
	for len(open) > 0 && left > 0 {
		level := left / len(open)
		var still []int
		met := false
		for _, i := range open {
			if need[i] <= level {
				share[i] = need[i]
				left -= need[i]
				met = true
			} else {
				still = append(still, i)
			}
		}
		if !met {
			for _, i := range still {
				share[i] = level
			}
			break
		}
		open = still
	}
	return share
}

// fitSection appends to out as many leading lines of s as fit in budget
// characters and maxf fields, then a line saying how many were left out,
// and returns the size of what it appended. It appends nothing when not
// even that fits.
func fitSection(out []*discordgo.MessageEmbedField, s section, budget, maxf int) ([]*discordgo.MessageEmbedField, int) {
	lines := len(s.widths)
	if ends, sz := s.split(s.widths, maxf); packed(ends) == lines && sz <= budget {
		return s.fields(out, ends, lines, ""), sz
	}
	tail := func(n int) string {
		if n == 0 {
			return "… " + strconv.Itoa(lines) + " " + s.noun + " left out"
		}
		return "… and " + strconv.Itoa(lines-n) + " more " + s.noun
	}
	// fits lays out the first n lines and the tail line; they fit or not.
	ws := make([]int, 0, len(s.widths)+1)
	fits := func(n int) (ends []int, size int, ok bool) {
		ws = append(append(ws[:0], s.widths[:n]...), width(tail(n)))
		ends, size = s.split(ws, maxf)
		return ends, size, packed(ends) == len(ws) && size <= budget
	}
	// More lines never take less room, so search for the most that fit.
	lo, hi := 0, lines-1 // the answer is in [lo, hi], if any
	if _, _, ok := fits(0); !ok {
		return out, 0
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, _, ok := fits(mid); ok {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	ends, sz, _ := fits(lo)
	return s.fields(out, ends, lo, tail(lo)), sz
}

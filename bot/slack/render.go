package slack

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// Message is a Slack message as this package sends it: the payload that
// acknowledges a slash command, or the text and blocks of chat.postMessage.
type Message struct {
	ResponseType string        `json:"response_type,omitempty"` // "in_channel" or "ephemeral"
	Text         string        `json:"text"`                    // fallback for notifications
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

// Slack's limits (Block Kit reference, and slack-go's refusal to send a
// Socket Mode acknowledgement of 20 KiB or more). Lengths are counted in
// bytes, which is never less than Slack's count of characters.
const (
	maxHeaderText      = 150
	maxSectionText     = 3000
	maxSectionFields   = 10
	maxFieldText       = 2000
	maxContextElements = 10
	maxContextSources  = 7 // leaves room for "+N more", the as-of date and the pointers
	maxBlocks          = 50
	maxAckBytes        = 20 << 10
	// payloadBudget leaves room for the envelope that wraps the payload in
	// a Socket Mode acknowledgement: {"envelope_id":"...","payload":...}.
	payloadBudget = maxAckBytes - 1024

	maxImageURL       = 3000 // image block image_url
	maxAltText        = 2000 // image block alt_text
	maxActionElements = 25   // elements of an actions block
	maxButtonText     = 75   // a button's text
	maxButtonValue    = 2000 // a button's value
	maxActionID       = 255  // an action_id
)

const ellipsis = "…"

// caps bounds one rendering. Render tries ever smaller caps until the
// message fits; lengths are bytes of escaped text.
type caps struct {
	summary    int // the summary, and the notice
	item       int // one line of a list: a field item, an event, a result
	fields     int // fields shown
	fieldItems int // items shown per field
	timeline   int // events shown
	results    int // results shown
	sources    int // sources shown (at most maxContextSources in the context block)
	more       int // "more" pointers shown
	text       int // the fallback text: what a notification shows, so short; the blocks carry the answer
}

// levelCaps returns the caps of shortening level i; the last level's
// rendering fits every limit whatever the reply holds.
func levelCaps(i int) (caps, bool) {
	switch i {
	case 0:
		return caps{summary: 2900, item: 600, fields: 40, fieldItems: 100, timeline: 200, results: 300, sources: 100, more: 5, text: 300}, true
	case 1:
		return caps{summary: 2900, item: 400, fields: 20, fieldItems: 10, timeline: 25, results: 60, sources: 30, more: 5, text: 300}, true
	case 2:
		return caps{summary: 1500, item: 250, fields: 10, fieldItems: 6, timeline: 12, results: 30, sources: 15, more: 5, text: 300}, true
	case 3:
		return caps{summary: 800, item: 160, fields: 6, fieldItems: 3, timeline: 6, results: 12, sources: 8, more: 3, text: 300}, true
	case 4:
		return caps{summary: 400, item: 120, fields: 3, fieldItems: 2, timeline: 3, results: 5, sources: 4, more: 3, text: 300}, true
	case 5:
		return caps{summary: 300, item: 100, more: 3, text: 200}, true
	}
	return caps{}, false
}

// Render turns a reply into a Block Kit message within every Slack limit.
//
// Unless r.Full, it is the short form: a country's or topic's card is its
// name and headline status, the summary, the highlights, one line of
// sources and the as-of line, in at most about shortBudget visible
// characters; a list, search, latest, since, from, ranking or sources
// answer is one page of bot.PageSize entries with a count. Focused answers
// (r.Aspect set) and the other kinds are short already and shown whole.
// With r.Full, the whole answer: a header "<Title> · <status>", the
// summary, the fields, results, timeline and suggestions, and a context
// block with the sources as links, the as-of line and the commands that
// show more. Under either, the reply's buttons. Long replies are shortened,
// never rejected. All text from the reply is escaped and stripped of
// bidirectional controls.
func Render(r bot.Reply) Message {
	m, _ := renderMessage(r, renderOpts{})
	return m
}

// renderOpts is what a rendering needs besides the reply.
type renderOpts struct {
	// publicURL is where the server publishes images (Config.PublicURL,
	// no trailing slash): a map is an image block at publicURL +
	// Image.Path. "" shows the map's alt text only, for an upload to
	// follow or for noImage to explain.
	publicURL string
	// noImage, when set, is said after a map's alt text: why no picture
	// comes with it.
	noImage string
	// ephemeral makes the message ephemeral whatever the reply's
	// visibility: the answers to button presses.
	ephemeral bool
}

// renderJSON renders r and encodes it as JSON, as the acknowledgement of a
// slash command carries it.
func renderJSON(r bot.Reply, o renderOpts) (Message, []byte) {
	m, b := renderMessage(r, o)
	if b == nil {
		b, _ = json.Marshal(m) // plain strings and slack-go blocks: cannot fail
	}
	return m, b
}

// renderMessage renders r within every Slack limit. It encodes the message
// to measure it only when jsonBound cannot show that it fits, and returns
// that encoding, or nil: a message posted with slack-go is encoded there,
// and encoding it twice cost more than the rest of answering a button.
func renderMessage(r bot.Reply, o renderOpts) (Message, []byte) {
	text := fallbackText(r)
	for i := 0; ; i++ {
		c, _ := levelCaps(i)
		_, smaller := levelCaps(i + 1)
		m, over := render(r, c, text, o)
		// The text alone says when a level cannot fit; encoding only
		// makes it longer.
		text, encoded, parts := textSize(m)
		if smaller && (over || len(m.Blocks) > maxBlocks || text > payloadBudget) {
			continue
		}
		if len(m.Blocks) <= maxBlocks && jsonBound(encoded, parts) <= payloadBudget {
			return m, nil
		}
		b, err := json.Marshal(m)
		if err == nil && len(m.Blocks) <= maxBlocks && len(b) <= payloadBudget {
			return m, b
		}
		if !smaller {
			// Every value in m is a plain string or a slack-go block, and
			// the last level is small whatever the reply: not reached.
			m = Message{ResponseType: m.ResponseType, Text: "Sorry, this answer cannot be shown in Slack."}
			b, _ = json.Marshal(m)
			return m, b
		}
	}
}

// jsonBound is an upper bound of the length of a message's JSON from the
// encoded length of its text (jsonLen) and the number of its parts
// (blocks, elements, fields): no part takes more than partJSON bytes
// besides its text.
func jsonBound(encoded, parts int) int { return encoded + partJSON*(parts+1) }

// partJSON bounds the JSON of one part of a message around its text: a
// button, the largest, is {"type":"button","text":{"type":"plain_text",
// "text":""},"action_id":"","value":""}, 83 bytes.
const partJSON = 160

// jsonLen is an upper bound of the length of s as encoding/json writes it
// in a string: control characters and < > & as \u00XX, quotes and
// backslashes escaped, U+2028 and U+2029 as \u2028 and \u2029 (any
// E2 byte counts for one), and invalid UTF-8 as \ufffd.
func jsonLen(s string) int {
	if !utf8.ValidString(s) {
		return 6 * len(s)
	}
	n := len(s)
	for i := 0; i < len(s); i++ {
		n += int(jsonExtra[s[i]])
	}
	return n
}

// jsonExtra is what jsonLen adds for each byte. A table: with a switch
// on every byte, measuring a message cost a fifth of rendering it. It is
// never written after it is built.
var jsonExtra = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 5 // \u00XX
	}
	t['<'], t['>'], t['&'] = 5, 5, 5 // \u003c
	t['"'], t['\\'] = 1, 1           // \"
	t[0xe2] = 3                      // \u2028, 3 bytes in UTF-8
	return t
}()

// textSize measures m: the length of all its text, a lower bound of its
// JSON; the encoded length of that text (jsonLen); and the number of its
// parts: blocks, their elements and fields.
func textSize(m Message) (text, encoded, parts int) {
	add := func(s string) {
		text += len(s)
		encoded += jsonLen(s)
	}
	add(m.Text)
	add(m.ResponseType)
	parts = len(m.Blocks)
	for _, b := range m.Blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			add(b.Text.Text)
		case *slack.SectionBlock:
			if b.Text != nil {
				add(b.Text.Text)
			}
			for _, f := range b.Fields {
				add(f.Text)
			}
			parts += len(b.Fields)
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					add(t.Text)
				}
			}
			parts += len(b.ContextElements.Elements)
		case *slack.ImageBlock:
			add(b.ImageURL)
			add(b.AltText)
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				if bt, ok := e.(*slack.ButtonBlockElement); ok {
					add(bt.Text.Text)
					add(bt.ActionID)
					add(bt.Value)
				}
			}
			add(buttonsBlockID)
			parts += len(b.Elements.ElementSet)
		case *slack.DividerBlock:
		default:
			return payloadBudget + 1, 6 * (payloadBudget + 1), parts // a block this file does not make: measure it
		}
	}
	return text, encoded, parts
}

// renderer builds one message at one level of caps.
type renderer struct {
	c         caps
	blocks    []slack.Block
	shortened bool
	size      int  // bytes of text in blocks
	over      bool // the text outgrew the payload budget: this level cannot fit
}

// full reports, given pending bytes about to be added, that this level
// cannot fit, so that a huge reply costs little work at each level.
func (rd *renderer) full(pending int) bool {
	if rd.size+pending > payloadBudget {
		rd.over = true
	}
	return rd.over
}

func render(r bot.Reply, c caps, text string, o renderOpts) (Message, bool) {
	rd := &renderer{c: c, blocks: make([]slack.Block, 0, 8)}
	switch formOf(r) {
	case formCard:
		rd.card(r)
	case formPage:
		rd.page(r, o)
	default:
		rd.whole(r, o, "")
	}
	rd.buttons(r.Buttons, r.PageNumber())

	m := Message{
		ResponseType: "in_channel",
		Text:         fallback(text, c.text),
		Blocks:       rd.blocks,
	}
	if r.Visibility == bot.Private || o.ephemeral {
		m.ResponseType = "ephemeral"
	}
	return m, rd.over
}

// form is how much of an answer a message shows.
type form int

const (
	formWhole form = iota // all of it, shortened only to fit Slack's limits
	formCard              // a card's short form
	formPage              // one page of a list
)

// formOf chooses the form of r: the short form unless r.Full, where there
// is one (bot.Reply.ShortCard, bot.Reply.Paged).
func formOf(r bot.Reply) form {
	switch {
	case r.ShortCard():
		return formCard
	case r.Paged():
		return formPage
	}
	return formWhole
}

// fallbackText is the plain text of r that notifications show: the
// notice, the header and the summary, then the first lines of the rest,
// a little more than fallback keeps. (Rendering the whole answer as text
// only to cut it cost more than rendering some answers in Block Kit.)
func fallbackText(r bot.Reply) string {
	const want = 400 // bytes; the levels' caps keep at most 300
	var b strings.Builder
	b.Grow(want + 200)
	line := func(parts ...string) bool {
		if b.Len() >= want {
			return false
		}
		for _, p := range parts {
			b.WriteString(p[:min(len(p), want)])
		}
		b.WriteString("\n")
		return true
	}
	if r.Notice != "" {
		line(r.Notice, "\n")
	}
	if r.Title != "" {
		line(headerText(r))
	}
	if r.Summary != "" {
		line(r.Summary)
	}
	for _, f := range r.Fields {
		if !line(f.Name, ":") {
			break
		}
		for _, it := range f.Items {
			if !line("  - ", it) {
				break
			}
		}
	}
	for _, res := range r.Results {
		if !line("  - ", res.Line()) {
			break
		}
	}
	for _, e := range r.Timeline {
		if !line("  ", e.Date, ": ", e.Text) {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// whole renders all of r; count, when set, is a line said in a context
// block before the sources and the as-of line (a page's count).
func (rd *renderer) whole(r bot.Reply, o renderOpts, count string) {
	c := rd.c
	if r.Notice != "" {
		rd.section("*Note:* " + rd.esc(r.Notice, c.summary))
	}
	rd.header(r)
	if r.Kind == bot.KindMap && r.Image != nil {
		rd.image(r, o)
	} else if r.Summary != "" {
		rd.section(rd.esc(r.Summary, c.summary))
	}
	rd.fields(r.Fields)
	rd.results(r.Results)
	rd.timeline(r.Timeline)
	rd.suggestions(r.Suggestions)
	if r.Kind == bot.KindSources {
		rd.sourceList(r.Sources)
	}
	if count != "" {
		rd.blocks = append(rd.blocks, &slack.ContextBlock{
			Type:            slack.MBTContext,
			ContextElements: slack.ContextElements{Elements: []slack.MixedElement{mrkdwn(count)}},
		})
	}
	rd.context(r, true)
}

// page renders the page of a list that r.PageNumber names, with a count:
// r narrowed to the entries of that page (and without a timeline), shown
// whole.
func (rd *renderer) page(r bot.Reply, o renderOpts) {
	page, pages := r.PageNumber(), r.Pages()
	from, to, total := r.PageBounds()
	if r.Kind == bot.KindSources {
		r.Sources = r.Sources[from:to]
	} else {
		r.Results = r.Results[from:to]
	}
	r.Timeline = nil
	count := "Page " + strconv.Itoa(page) + " of " + strconv.Itoa(pages)
	if total > 0 {
		count += " · " + strconv.Itoa(from+1) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(total)
	}
	rd.whole(r, o, count)
}

// shortBudget is the most visible characters of a card's short form:
// about what a phone shows without scrolling far.
const shortBudget = 1200

// card renders the short form of a country's or topic's card: the name
// with its headline status, the summary, the highlights, one line of
// sources and the as-of line, within shortBudget visible characters. The
// fixed parts are measured first; the summary and then the highlights get
// what is left, whole highlights only, so that none loses its citations.
func (rd *renderer) card(r bot.Reply) {
	var notice string
	used := 0
	if r.Notice != "" {
		n := clipRunes(bot.StripBidi(r.Notice), 250)
		notice = "*Note:* " + rd.esc(n, 1200)
		used += runes(n) + len("Note: ")
	}
	used += min(runes(headerText(r)), maxHeaderText)
	sources, seen := rd.shortSources(r.ShortSources)
	used += seen
	footer, seen := rd.footer(r, false)
	used += seen

	if notice != "" {
		rd.section(notice)
	}
	rd.header(r)
	if r.Summary != "" {
		// The summary keeps at least 150 characters however long the rest,
		// and leaves room for a highlight or two.
		sum := clipRunes(bot.StripBidi(r.Summary), max(150, min(700, shortBudget-used-200)))
		used += runes(sum)
		rd.section(rd.esc(sum, maxSectionText-100))
	}
	const more = "…and more on the full card"
	var lines []string
	for i, h := range r.Highlights {
		h = clipRunes(bot.StripBidi(h), 400)
		need := 2 + runes(h)
		if i < len(r.Highlights)-1 {
			need += 1 + len(more) // room to say that some were left out
		}
		if used+need > shortBudget {
			lines = append(lines, more)
			break
		}
		used += 3 + runes(h)
		lines = append(lines, "• "+rd.escLine(h, 1600))
	}
	rd.list("", lines, 0)
	var els []slack.MixedElement
	if sources != "" {
		els = append(els, mrkdwn(sources))
	}
	if footer != "" {
		els = append(els, mrkdwn(footer))
	}
	if len(els) > 0 {
		rd.blocks = append(rd.blocks, &slack.ContextBlock{
			Type:            slack.MBTContext,
			ContextElements: slack.ContextElements{Elements: els},
		})
	}
}

// shortSources is the one line of sources of a short card, "Sources: [S1]
// <url|Outlet, date> · ...", and its visible length.
func (rd *renderer) shortSources(srcs []bot.Source) (string, int) {
	if len(srcs) == 0 {
		return "", 0
	}
	var b strings.Builder
	b.WriteString("Sources:")
	seen := len("Sources:")
	for i, s := range srcs[:min(len(srcs), 3)] {
		if i > 0 {
			b.WriteString(" ·")
			seen += 2
		}
		if id := clipRunes(bot.StripBidi(s.ID), 12); id != "" {
			b.WriteString(" [")
			b.WriteString(rd.escLine(id, 60))
			b.WriteString("]")
			seen += 3 + runes(id)
		}
		label := sourceLabel(s, 80)
		b.WriteString(" ")
		b.WriteString(link(s.URL, rd.escLine(label, 400)))
		seen += 1 + runes(label)
	}
	return b.String(), seen
}

// footer is the as-of line (bot.Reply.Footer) in mrkdwn, the address for
// corrections linked, and its visible length. The short card leaves the
// corrections line to the full card.
func (rd *renderer) footer(r bot.Reply, corrections bool) (string, int) {
	fix := r.Corrections
	if !corrections {
		r.Corrections = ""
	}
	limit := 600
	if !corrections {
		limit = 250 // the short card's budget counts on it
	}
	f := clipRunes(bot.StripBidi(r.Footer()), limit)
	if f == "" {
		return "", 0
	}
	text := rd.esc(f, 2000)
	if fix != "" && corrections {
		// Footer ends with the address: make it a link.
		if u, ok := safeURL(fix); ok {
			if shown, _ := escape(fix, 2000, true); strings.HasSuffix(text, shown) {
				text = text[:len(text)-len(shown)] + "<" + u + "|" + shown + ">"
			}
		}
	}
	return text, runes(f)
}

// image shows a map: an image block at the public URL with its alt text,
// and the alt text as text too, for those who cannot see the picture and
// for clients that do not show it. Without a public URL, the alt text
// alone (the picture is uploaded separately, or noImage says why not).
func (rd *renderer) image(r bot.Reply, o renderOpts) {
	alt := clipRunes(bot.StripBidi(r.Image.Alt), maxAltText/2)
	if strings.TrimSpace(alt) == "" {
		alt = clipRunes(bot.StripBidi(r.Summary), 1000)
	}
	if strings.TrimSpace(alt) == "" {
		alt = "A map of the countries on record."
	}
	if u, ok := imageURL(o.publicURL, r.Image.Path); ok {
		rd.blocks = append(rd.blocks, &slack.ImageBlock{Type: slack.MBTImage, ImageURL: u, AltText: alt})
		rd.size += len(u) + len(alt)
	} else if o.noImage != "" {
		alt += "\n" + o.noImage
	}
	rd.section(rd.esc(alt, maxSectionText-100))
	if r.Summary != "" && r.Summary != r.Image.Alt {
		rd.section(rd.esc(r.Summary, rd.c.summary))
	}
}

// imageURL is the address of an image the server publishes, or false
// when there is none or it is not a plain http(s) URL.
func imageURL(publicURL, path string) (string, bool) {
	if publicURL == "" || !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", false
	}
	u := publicURL + path
	if len(u) > maxImageURL {
		return "", false
	}
	if _, ok := safeURL(u); !ok {
		return "", false
	}
	return u, true
}

// buttons adds the reply's buttons in one actions block: each button's
// action_id names its action, unique in the message
// ("agreementbot.page.next"); its value is the bot's key, sent back as it
// is. A button Slack would refuse is left out.
func (rd *renderer) buttons(bs []bot.Button, page int) {
	if len(bs) == 0 {
		return
	}
	els := make([]slack.BlockElement, 0, min(len(bs), maxActionElements))
	used := make(map[string]bool, len(bs))
	for _, b := range bs {
		if len(els) == maxActionElements {
			break
		}
		value := bot.StripBidi(b.Value)
		label := rd.escLine(b.Label, maxButtonText)
		id := actionID(b, page, used)
		if value == "" || len(value) > maxButtonValue || !utf8.ValidString(value) || strings.TrimSpace(label) == "" || id == "" {
			continue
		}
		used[id] = true
		rd.size += len(label) + len(value) + len(id)
		els = append(els, &slack.ButtonBlockElement{
			Type:     slack.METButton,
			Text:     &slack.TextBlockObject{Type: slack.PlainTextType, Text: label},
			ActionID: id,
			Value:    value,
		})
	}
	if len(els) == 0 {
		return
	}
	rd.blocks = append(rd.blocks, slack.NewActionBlock(buttonsBlockID, els...))
}

// actionPrefix starts the action_id of every button the bot makes: a
// press of anything else is not the bot's.
const actionPrefix = "agreementbot."

// buttonsBlockID names the actions block of the bot's buttons.
const buttonsBlockID = "agreementbot.buttons"

// actionID names a button's action: "agreementbot." and the action, and
// for pages which way they go from page, made unique among the ids in used.
func actionID(b bot.Button, page int, used map[string]bool) string {
	act := bot.StripBidi(b.Action)
	for i := 0; i < len(act); i++ {
		if c := act[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			act = "button" // the bot's actions are words; anything else gets a plain name
			break
		}
	}
	if act == "" || len(act) > 40 {
		act = "button"
	}
	id := actionPrefix + act
	if act == bot.ActPage {
		if a, err := bot.ParseButton(b.Value); err == nil {
			switch {
			case a.Page > page:
				id += ".next"
			case a.Page < page:
				id += ".prev"
			}
		}
	}
	base := id
	for n := 2; used[id]; n++ {
		id = base + "." + strconv.Itoa(n)
	}
	return id
}

// headerText is the header of r as plain text: "<Title> · <status>
// (disputed)".
func headerText(r bot.Reply) string {
	t := r.Title
	if r.Status != "" {
		t += " · " + r.Status
		if r.Disputed {
			t += " (disputed)"
		}
	}
	return t
}

func (rd *renderer) header(r bot.Reply) {
	if r.Title == "" {
		return
	}
	t := rd.escLine(headerText(r), maxHeaderText)
	if strings.TrimSpace(t) == "" {
		return // Slack refuses a message with an empty text object
	}
	rd.size += len(t)
	rd.blocks = append(rd.blocks, &slack.HeaderBlock{
		Type: slack.MBTHeader,
		Text: &slack.TextBlockObject{Type: slack.PlainTextType, Text: t},
	})
}

// mrkdwn returns a mrkdwn text object. Verbatim stops Slack from turning
// words such as "@here" or channel names into mentions and links; the
// links built here are explicit and still work.
func mrkdwn(s string) *slack.TextBlockObject {
	return &slack.TextBlockObject{Type: slack.MarkdownType, Text: s, Verbatim: true}
}

func (rd *renderer) section(text string) {
	if strings.TrimSpace(text) == "" {
		return // Slack refuses a message with an empty text object
	}
	rd.size += len(text)
	rd.blocks = append(rd.blocks, &slack.SectionBlock{Type: slack.MBTSection, Text: mrkdwn(text)})
}

// list adds lines (escaped, each shorter than a section) as sections under
// a bold heading, and notes how many were left out.
func (rd *renderer) list(heading string, lines []string, omitted int) {
	if len(lines) == 0 && omitted == 0 {
		return
	}
	if omitted > 0 {
		rd.shortened = true
		lines = append(lines, "…and "+strconv.Itoa(omitted)+" more")
	}
	size := len(heading) + 2
	for _, l := range lines {
		size += 1 + len(l)
	}
	var b strings.Builder
	b.Grow(min(size, maxSectionText))
	if heading != "" {
		b.WriteString("*")
		b.WriteString(heading)
		b.WriteString("*")
	}
	for _, l := range lines {
		if b.Len() > 0 && b.Len()+1+len(l) > maxSectionText {
			rd.section(b.String())
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l)
	}
	if b.Len() > 0 {
		rd.section(b.String())
	}
}

// fields shows short fields side by side, as section fields, and a long
// one (a long item, or many) as a section of its own, where it has the
// whole width.
func (rd *renderer) fields(fields []bot.Field) {
	n := min(len(fields), rd.c.fields)
	var batch []*slack.TextBlockObject
	flush := func() {
		for len(batch) > 0 {
			k := min(len(batch), maxSectionFields)
			rd.blocks = append(rd.blocks, &slack.SectionBlock{Type: slack.MBTSection, Fields: batch[:k:k]})
			batch = batch[k:]
		}
	}
	for _, f := range fields[:n] {
		if rd.full(0) {
			break
		}
		text, short := rd.fieldText(f)
		if short {
			rd.size += len(text)
			batch = append(batch, mrkdwn(text))
			continue
		}
		flush()
		rd.section(text)
	}
	if left := len(fields) - n; left > 0 {
		rd.shortened = true
		batch = append(batch, mrkdwn("…and "+strconv.Itoa(left)+" more"))
	}
	flush()
}

// Fields at most this long, with no item longer than shortItem, go side by
// side.
const (
	shortField = 300
	shortItem  = 90
)

// fieldText renders a field as a bold name and a bulleted list, within a
// section's limit, and reports whether it is short enough for a field.
func (rd *renderer) fieldText(f bot.Field) (string, bool) {
	const bullet = "\n• "
	items := f.Items[:min(len(f.Items), rd.c.fieldItems)]
	// Sized once: growing a builder item by item cost more than the rest
	// of rendering a card.
	size := len(f.Name) + 2
	for _, it := range items {
		size += len(bullet) + len(it)
	}
	var b strings.Builder
	b.Grow(min(size, maxSectionText))
	b.WriteString("*")
	b.WriteString(rd.escLine(f.Name, 200))
	b.WriteString("*")
	short := true
	shown := 0
	for _, it := range items {
		l := rd.escLine(it, rd.c.item)
		if b.Len()+len(bullet)+len(l) > maxSectionText-40 { // room for "…and N more"
			break
		}
		short = short && len(bullet)+len(l) <= shortItem
		b.WriteString(bullet)
		b.WriteString(l)
		shown++
	}
	if left := len(f.Items) - shown; left > 0 {
		rd.shortened = true
		b.WriteString("\n…and " + strconv.Itoa(left) + " more")
	}
	return b.String(), short && b.Len() <= min(shortField, maxFieldText)
}

func (rd *renderer) timeline(events []bot.Event) {
	n := min(len(events), rd.c.timeline)
	if n == 0 && len(events) == 0 {
		return
	}
	lines := make([]string, 0, n+1)
	pending := 0
	for _, e := range events[:n] {
		l := "• " + rd.escLine(e.Text, rd.c.item)
		if e.Date != "" {
			l = "• *" + rd.escLine(e.Date, 60) + "* " + rd.escLine(e.Text, rd.c.item)
		}
		if pending += len(l); rd.full(pending) {
			break
		}
		lines = append(lines, l)
	}
	rd.list("Timeline", lines, len(events)-n)
}

func (rd *renderer) results(results []bot.Result) {
	n := min(len(results), rd.c.results)
	if n == 0 && len(results) == 0 {
		return
	}
	lines := make([]string, 0, n+4)
	group := ""
	pending := 0
	for _, res := range results[:n] {
		if res.Group != "" && res.Group != group {
			group = res.Group
			lines = append(lines, "*"+rd.escLine(group, 100)+"*")
		}
		l := "• " + rd.resultLine(res)
		if pending += len(l); rd.full(pending) {
			break
		}
		lines = append(lines, l)
	}
	rd.list("", lines, len(results)-n)
}

// resultLine mirrors bot.Result.Line with the name in bold.
func (rd *renderer) resultLine(res bot.Result) string {
	var b strings.Builder
	if res.Date != "" {
		b.WriteString(rd.escLine(res.Date, 40))
		b.WriteString(" ")
	}
	b.WriteString("*")
	b.WriteString(rd.escLine(res.Name, 100))
	b.WriteString("*")
	if res.Status != "" {
		b.WriteString(" (")
		b.WriteString(rd.escLine(res.Status, 60))
		if res.Disputed {
			b.WriteString(", disputed")
		}
		b.WriteString(")")
	}
	if res.Event != "" {
		b.WriteString(": ")
		b.WriteString(rd.escLine(res.Event, rd.c.item))
	}
	if res.Snippet != "" {
		b.WriteString(": ")
		b.WriteString(rd.escLine(res.Snippet, rd.c.item))
	}
	return b.String()
}

func (rd *renderer) suggestions(sugs []bot.Suggestion) {
	if len(sugs) == 0 {
		return
	}
	n := min(len(sugs), 10)
	var b strings.Builder
	b.WriteString("Did you mean ")
	for i, s := range sugs[:n] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*")
		b.WriteString(rd.escLine(s.Name, 100))
		b.WriteString("*")
	}
	b.WriteString("?")
	rd.section(b.String())
}

// sourceList lists sources in full, for the sources command.
func (rd *renderer) sourceList(sources []bot.Source) {
	n := min(len(sources), rd.c.sources)
	lines := make([]string, 0, n+1)
	pending := 0
	for _, s := range sources[:n] {
		l := rd.sourceLine(s)
		if pending += len(l); rd.full(pending) {
			break
		}
		lines = append(lines, l)
	}
	rd.list("", lines, len(sources)-n)
}

// sourceLink is "<url|Outlet, date>", or the label alone when the URL is
// missing or unsafe.
func (rd *renderer) sourceLink(s bot.Source) string {
	return link(s.URL, rd.escLine(sourceLabel(s, 150), 600))
}

// sourceLine is a line of sourceList, "• <url|Outlet, date> — title", made
// in one piece: made link first, a page of ten sources took twenty more
// allocations.
func (rd *renderer) sourceLine(s bot.Source) string {
	label := rd.escLine(sourceLabel(s, 150), 600)
	var sep, title string
	if s.Title != "" {
		sep, title = " — ", rd.escLine(s.Title, rd.c.item)
	}
	if u, ok := safeURL(s.URL); ok {
		return "• <" + u + "|" + label + ">" + sep + title
	}
	return "• " + label + sep + title
}

// sourceLabel is how a source is named in a link: its outlet (marked when
// of low reliability) and date, at most max characters.
func sourceLabel(s bot.Source, max int) string {
	label := s.OutletLabel()
	if s.Outlet == "" {
		label = s.ID
	}
	if s.Date != "" {
		label += ", " + s.Date
	}
	if label = clipRunes(bot.StripBidi(label), max); strings.TrimSpace(label) == "" {
		label = "source"
	}
	return label
}

// context adds the foot of an answer: its first sources as links, the
// as-of line, and the commands that show more.
func (rd *renderer) context(r bot.Reply, corrections bool) {
	var els []slack.MixedElement
	if r.Kind != bot.KindSources {
		n := min(len(r.Sources), rd.c.sources, maxContextSources)
		for _, s := range r.Sources[:n] {
			els = append(els, mrkdwn(rd.sourceLink(s)))
		}
		if left := len(r.Sources) - n; left > 0 {
			// Not "shortened": a card always lists its first sources only.
			els = append(els, mrkdwn("+"+strconv.Itoa(left)+" more sources"))
		}
	}
	if f, _ := rd.footer(r, corrections); f != "" {
		els = append(els, mrkdwn(f))
	}
	var more []string
	for _, m := range r.More[:min(len(r.More), rd.c.more)] {
		more = append(more, capitalize(rd.escLine(m.Label, 100))+": `"+slashCommand+" "+rd.escLine(m.Command, 200)+"`")
	}
	pointers := strings.Join(more, " · ")
	if rd.shortened {
		pointers = strings.TrimSpace("Shortened for Slack. " + pointers)
	}
	if pointers != "" {
		els = append(els, mrkdwn(pointers))
	}
	if len(els) == 0 {
		return
	}
	if len(els) > maxContextElements { // cannot happen with the caps above; a guard
		els = els[:maxContextElements]
	}
	if len(rd.blocks) > 0 {
		rd.blocks = append(rd.blocks, &slack.DividerBlock{Type: slack.MBTDivider})
	}
	rd.blocks = append(rd.blocks, &slack.ContextBlock{
		Type:            slack.MBTContext,
		ContextElements: slack.ContextElements{Elements: els},
	})
}

// esc escapes s for Slack and cuts it to at most max bytes, noting when it
// had to cut.
func (rd *renderer) esc(s string, max int) string {
	out, cut := escape(s, max, false)
	rd.shortened = rd.shortened || cut
	return out
}

// escLine is esc for text that must stay on one line (a list item, a
// header): line breaks and tabs become spaces.
func (rd *renderer) escLine(s string, max int) string {
	out, cut := escape(s, max, true)
	rd.shortened = rd.shortened || cut
	return out
}

// fallback is the notification text: the plain rendering, escaped, cut at
// a line break where one is near the limit.
func fallback(text string, max int) string {
	out, cut := escape(text, max, false)
	if !cut {
		return out
	}
	if i := strings.LastIndexByte(out, '\n'); i > max/2 {
		return out[:i] + "\n" + ellipsis
	}
	return out
}

// escape replaces &, < and > with Slack's entities, so that text can never
// form a mention (<!channel>, <@U123>) or a link, removes bidirectional
// controls (bot.IsBidiControl), and cuts the result to at most max bytes,
// ending in "…", never inside a character or an entity. With oneLine, line
// breaks and tabs become spaces. Invalid UTF-8 becomes U+FFFD. It reports
// whether it cut.
func escape(s string, max int, oneLine bool) (string, bool) {
	if max <= 0 {
		return "", s != ""
	}
	total, plain := escapedLen(s, oneLine, max)
	if plain && total <= max {
		return s, false
	}
	limit, cut := max, total > max
	if cut {
		limit = max - len(ellipsis)
		if limit < 0 {
			return "", true
		}
	}
	var b strings.Builder
	b.Grow(min(total, limit) + len(ellipsis))
	// Copy runs of plain text whole; out is the length written or pending.
	i, run, out := 0, 0, 0
	for i < len(s) {
		c, size, piece, drop := s[i], 1, "", false
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				piece = "&amp;"
			case '<':
				piece = "&lt;"
			case '>':
				piece = "&gt;"
			case '\n', '\r', '\t':
				if oneLine {
					piece = " "
				}
			}
		} else if r, n := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && n == 1 {
			piece = "\uFFFD"
		} else {
			size = n
			drop = bot.IsBidiControl(r)
		}
		grow := size
		if piece != "" {
			grow = len(piece)
		} else if drop {
			grow = 0
		}
		if out+grow > limit {
			break
		}
		out += grow
		if piece != "" || drop {
			b.WriteString(s[run:i])
			b.WriteString(piece)
			run = i + size
		}
		i += size
	}
	b.WriteString(s[run:i])
	if cut {
		b.WriteString(ellipsis)
	}
	return b.String(), cut
}

// escapedLen returns the length of s once escaped, or a length over max if
// it is longer than that, and whether s needs no change at all.
func escapedLen(s string, oneLine bool, max int) (n int, plain bool) {
	if len(s) <= max && plainText(s, oneLine) {
		return len(s), true // most text: a few fast scans instead of a loop over every byte
	}
	plain = true
	for i := 0; i < len(s) && n <= max; {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				n += 5
				plain = false
			case '<', '>':
				n += 4
				plain = false
			case '\n', '\r', '\t':
				n++
				plain = plain && !oneLine
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += utf8.RuneLen(utf8.RuneError)
			plain = false
		case bot.IsBidiControl(r):
			plain = false
		default:
			n += size
		}
		i += size
	}
	return n, plain
}

// plainText reports whether s needs no escaping: valid UTF-8 without &, <,
// > or bidirectional controls, nor, with oneLine, line breaks and tabs.
func plainText(s string, oneLine bool) bool {
	specials := "&<>"
	if oneLine {
		specials = "&<>\n\r\t"
	}
	for i := range len(specials) {
		if strings.IndexByte(s, specials[i]) >= 0 {
			return false
		}
	}
	return utf8.ValidString(s) && !bot.HasBidi(s)
}

// runes is the number of characters in s.
func runes(s string) int { return utf8.RuneCountInString(s) }

// clipRunes cuts s to at most n characters, ending in "…" when it cuts.
func clipRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n-1 {
			if runes(s[i:]) == 1 {
				return s
			}
			return s[:i] + ellipsis
		}
		count++
	}
	return s
}

// link returns "<url|label>" (label already escaped), or the label alone
// when the URL is not a plain http(s) URL that is safe inside Slack's link
// syntax.
func link(rawURL, label string) string {
	u, ok := safeURL(rawURL)
	if !ok {
		return label
	}
	return "<" + u + "|" + label + ">"
}

// safeURL accepts only absolute http and https URLs without characters that
// would end or split Slack's <url|label> syntax, nor bidirectional
// controls, and escapes their &.
func safeURL(s string) (string, bool) {
	if s == "" || len(s) > 2000 || bot.HasBidi(s) {
		// A bidirectional control in an address is a disguise, not a
		// typo: no link, rather than a link elsewhere.
		return "", false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ', c == 0x7f, c == '|', c == '<', c == '>', c == '"', c == '\\', c == '`':
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "https" && scheme != "http" {
		return "", false
	}
	return strings.ReplaceAll(s, "&", "&amp;"), true
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

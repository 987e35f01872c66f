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
	text       int // the fallback text
}

// levelCaps returns the caps of shortening level i; the last level's
// rendering fits every limit whatever the reply holds.
func levelCaps(i int) (caps, bool) {
	switch i {
	case 0:
		return caps{summary: 2900, item: 600, fields: 40, fieldItems: 100, timeline: 200, results: 300, sources: 100, more: 5, text: 1500}, true
	case 1:
		return caps{summary: 2900, item: 400, fields: 20, fieldItems: 10, timeline: 25, results: 60, sources: 30, more: 5, text: 1000}, true
	case 2:
		return caps{summary: 1500, item: 250, fields: 10, fieldItems: 6, timeline: 12, results: 30, sources: 15, more: 5, text: 600}, true
	case 3:
		return caps{summary: 800, item: 160, fields: 6, fieldItems: 3, timeline: 6, results: 12, sources: 8, more: 3, text: 400}, true
	case 4:
		return caps{summary: 400, item: 120, fields: 3, fieldItems: 2, timeline: 3, results: 5, sources: 4, more: 3, text: 300}, true
	case 5:
		return caps{summary: 300, item: 100, more: 3, text: 200}, true
	}
	return caps{}, false
}

// Render turns a reply into a Block Kit message within every Slack limit:
// a header "<Title> · <status>", the summary, the fields, results, timeline
// and suggestions, and a context block with the sources as links, the
// data's as-of date and the commands that show more. Long replies are
// shortened, never rejected. All text from the reply is escaped.
func Render(r bot.Reply) Message {
	m, _ := renderJSON(r)
	return m
}

// renderJSON renders r and encodes it as JSON, as the acknowledgement of a
// slash command carries it.
func renderJSON(r bot.Reply) (Message, []byte) {
	var last Message
	var lastJSON []byte
	for i := 0; ; i++ {
		c, ok := levelCaps(i)
		if !ok {
			return last, lastJSON
		}
		m := render(r, c)
		b, err := json.Marshal(m)
		if err != nil {
			// Every value in m is a plain string or a slack-go block:
			// Marshal cannot fail. Fall through to a smaller level anyway.
			continue
		}
		last, lastJSON = m, b
		if len(m.Blocks) <= maxBlocks && len(b) <= payloadBudget {
			return m, b
		}
	}
}

// renderer builds one message at one level of caps.
type renderer struct {
	c         caps
	blocks    []slack.Block
	shortened bool
}

func render(r bot.Reply, c caps) Message {
	rd := &renderer{c: c, blocks: make([]slack.Block, 0, 8)}
	if r.Notice != "" {
		rd.section("*Note:* " + rd.esc(r.Notice, c.summary))
	}
	rd.header(r)
	if r.Summary != "" {
		rd.section(rd.esc(r.Summary, c.summary))
	}
	rd.fields(r.Fields)
	rd.results(r.Results)
	rd.timeline(r.Timeline)
	rd.suggestions(r.Suggestions)
	if r.Kind == bot.KindSources {
		rd.sourceList(r.Sources)
	}
	rd.context(r)

	m := Message{
		ResponseType: "in_channel",
		Text:         esc(r.Text(), c.text),
		Blocks:       rd.blocks,
	}
	if r.Visibility == bot.Private {
		m.ResponseType = "ephemeral"
	}
	return m
}

func (rd *renderer) header(r bot.Reply) {
	if r.Title == "" {
		return
	}
	t := r.Title
	if r.Status != "" {
		t += " · " + r.Status
		if r.Disputed {
			t += " (disputed)"
		}
	}
	rd.blocks = append(rd.blocks, &slack.HeaderBlock{
		Type: slack.MBTHeader,
		Text: &slack.TextBlockObject{Type: slack.PlainTextType, Text: rd.escLine(t, maxHeaderText)},
	})
}

// mrkdwn returns a mrkdwn text object. Verbatim stops Slack from turning
// words such as "@here" or channel names into mentions and links; the
// links built here are explicit and still work.
func mrkdwn(s string) *slack.TextBlockObject {
	return &slack.TextBlockObject{Type: slack.MarkdownType, Text: s, Verbatim: true}
}

func (rd *renderer) section(text string) {
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
	var b strings.Builder
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

func (rd *renderer) fields(fields []bot.Field) {
	n := min(len(fields), rd.c.fields)
	objs := make([]*slack.TextBlockObject, 0, n+1)
	for _, f := range fields[:n] {
		var b strings.Builder
		b.WriteString("*")
		b.WriteString(rd.escLine(f.Name, 200))
		b.WriteString("*")
		shown := 0
		for _, it := range f.Items[:min(len(f.Items), rd.c.fieldItems)] {
			l := "\n• " + rd.escLine(it, rd.c.item)
			if b.Len()+len(l) > maxFieldText-40 { // room for "…and N more"
				break
			}
			b.WriteString(l)
			shown++
		}
		if left := len(f.Items) - shown; left > 0 {
			rd.shortened = true
			b.WriteString("\n…and " + strconv.Itoa(left) + " more")
		}
		objs = append(objs, mrkdwn(b.String()))
	}
	if left := len(fields) - n; left > 0 {
		rd.shortened = true
		objs = append(objs, mrkdwn("…and "+strconv.Itoa(left)+" more"))
	}
	for len(objs) > 0 {
		k := min(len(objs), maxSectionFields)
		rd.blocks = append(rd.blocks, &slack.SectionBlock{Type: slack.MBTSection, Fields: objs[:k:k]})
		objs = objs[k:]
	}
}

func (rd *renderer) timeline(events []bot.Event) {
	n := min(len(events), rd.c.timeline)
	if n == 0 && len(events) == 0 {
		return
	}
	lines := make([]string, 0, n+1)
	for _, e := range events[:n] {
		l := "• "
		if e.Date != "" {
			l += "*" + rd.escLine(e.Date, 60) + "* "
		}
		lines = append(lines, l+rd.escLine(e.Text, rd.c.item))
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
	for _, res := range results[:n] {
		if res.Group != "" && res.Group != group {
			group = res.Group
			lines = append(lines, "*"+rd.escLine(group, 100)+"*")
		}
		lines = append(lines, "• "+rd.resultLine(res))
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
	for _, s := range sources[:n] {
		l := "• " + rd.sourceLink(s)
		if s.Title != "" {
			l += " — " + rd.escLine(s.Title, rd.c.item)
		}
		lines = append(lines, l)
	}
	rd.list("", lines, len(sources)-n)
}

// sourceLink is "<url|Outlet, date>", or the label alone when the URL is
// missing or unsafe.
func (rd *renderer) sourceLink(s bot.Source) string {
	label := s.Outlet
	if label == "" {
		label = s.ID
	}
	if s.Date != "" {
		label += ", " + s.Date
	}
	return link(s.URL, rd.escLine(label, 150))
}

func (rd *renderer) context(r bot.Reply) {
	var els []slack.MixedElement
	if r.Kind != bot.KindSources {
		n := min(len(r.Sources), rd.c.sources, maxContextSources)
		for _, s := range r.Sources[:n] {
			els = append(els, mrkdwn(rd.sourceLink(s)))
		}
		if left := len(r.Sources) - n; left > 0 {
			rd.shortened = true
			els = append(els, mrkdwn("+"+strconv.Itoa(left)+" more sources"))
		}
	}
	if r.AsOf != "" {
		els = append(els, mrkdwn("Facts as of "+rd.escLine(r.AsOf, 40)))
	}
	var more []string
	if rd.shortened {
		more = append(more, "Shortened for Slack.")
	}
	for _, m := range r.More[:min(len(r.More), rd.c.more)] {
		more = append(more, capitalize(rd.escLine(m.Label, 100))+": `"+slashCommand+" "+rd.escLine(m.Command, 200)+"`")
	}
	if len(more) > 0 {
		els = append(els, mrkdwn(strings.Join(more, " · ")))
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

// esc escapes s and cuts it to at most max bytes.
func esc(s string, max int) string {
	out, _ := escape(s, max, false)
	return out
}

// escape replaces &, < and > with Slack's entities, so that text can never
// form a mention (<!channel>, <@U123>) or a link, and cuts the result to at
// most max bytes, ending in "…", never inside a character or an entity.
// With oneLine, line breaks and tabs become spaces. Invalid UTF-8 becomes
// U+FFFD. It reports whether it cut.
func escape(s string, max int, oneLine bool) (string, bool) {
	if max <= 0 {
		return "", s != ""
	}
	total, plain := escapedLen(s, oneLine)
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
	for _, r := range s {
		var piece string
		switch r {
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
		size := len(piece)
		if piece == "" {
			size = utf8.RuneLen(r) // an invalid byte arrives as RuneError, 3 bytes
		}
		if b.Len()+size > limit {
			break
		}
		if piece != "" {
			b.WriteString(piece)
		} else {
			b.WriteRune(r)
		}
	}
	if cut {
		b.WriteString(ellipsis)
	}
	return b.String(), cut
}

// escapedLen returns the length of s once escaped, and whether s needs no
// change at all.
func escapedLen(s string, oneLine bool) (n int, plain bool) {
	plain = true
	for i := 0; i < len(s); {
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
		if r == utf8.RuneError && size == 1 {
			n += utf8.RuneLen(utf8.RuneError)
			plain = false
		} else {
			n += size
		}
		i += size
	}
	return n, plain
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
// would end or split Slack's <url|label> syntax, and escapes their &.
func safeURL(s string) (string, bool) {
	if s == "" || len(s) > 2000 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("|<>\"\\`", c) >= 0 {
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

package slack

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
)

// countryReply is a representative country card, written by hand from the
// fact sheet; the store's own goldens come with the engine.
func countryReply() bot.Reply {
	return bot.Reply{
		Kind:       bot.KindCountry,
		Query:      "uganda",
		Visibility: bot.Public,
		Title:      "Uganda",
		Status:     "signed",
		Disputed:   true,
		Summary:    "Uganda agreed to take deportees from the US who come from other African countries, as long as they have no criminal record. A Ugandan minister first denied any deal; the foreign ministry then confirmed a cooperation agreement & its conditions.",
		Fields: []bot.Field{
			{Name: "Accepts", Items: []string{"Nationals of other African countries", "Adults and families (no unaccompanied minors)"}},
			{Name: "Conditions", Items: []string{"No criminal record", "Transfers proposed by the US, accepted at Uganda's \"complete discretion\"", "No return home before a protection claim is decided"}},
			{Name: "Numbers", Items: []string{"Unclear how many (CBS)", "About a dozen on a first flight (date unknown; single source)"}},
			{Name: "Key dates", Items: []string{"2025-08-19 CBS reports the deal", "2025-08-21 Uganda confirms", "2025-09-10 Details published"}},
		},
		Timeline: []bot.Event{
			{Date: "2025-08-19", Text: "CBS News reports, from internal documents, that Uganda agreed to take deportees."},
			{Date: "2025-08-20", Text: "State Minister Henry Okello Oryem denies any agreement to Reuters."},
			{Date: "2025-08-21", Text: "The foreign ministry confirms a migration cooperation agreement with conditions."},
			{Date: "2025-09-10", Text: "The Daily Monitor publishes finer details of the deal."},
			{Date: "date unknown", Text: "A first flight with about a dozen deportees lands (single source)."},
		},
		Sources: []bot.Source{
			{ID: "S1", Outlet: "CBS News (mirror)", Title: "U.S. broadens search for deportation agreements", Date: "2025-08-19", URL: "https://www.daily8.com/en/article/1fc81c4f9c1d8e2b1079761947a879fe"},
			{ID: "S3", Outlet: "Reuters", Title: "US strikes deportation deals with Uganda: CBS News", Date: "2025-08-20", URL: "https://www.timeslive.co.za/news/africa/2025-08-20-us-strikes-deportation-deals-with-uganda-cbs-news/"},
			{ID: "S4", Outlet: "Reuters", Title: "Uganda senior official denies agreement reached with US to take deportees", Date: "2025-08-21", URL: "https://app.justthenews.com/world/africa/uganda-senior-official-denies-agreement-reached-us-take-deportees"},
			{ID: "S5", Outlet: "Al Jazeera", Title: "Ugandan official denies reports that it will take US deportees", Date: "2025-08-20", URL: "https://www.aljazeera.com/news/2025/8/20/ugandan-official-denies-reports-that-it-will-take-us-deportees"},
			{ID: "S6", Outlet: "AP", Date: "2025-08-21", URL: "https://factorsways.com/?p=73485"},
			{ID: "S8", Outlet: "Eagle Online", Title: "Uganda confirms migration cooperation agreement with United States", Date: "2025-08-21", URL: "https://eagle.co.ug/2025/08/21/uganda-confirms-migration-cooperation-agreement-with-united-states"},
			{ID: "S9", Outlet: "New Vision", Title: "Uganda rejects criminals, unaccompanied minors in migration deal with US", Date: "2025-08", URL: "http://newvision-web-nuxt3.us-east-1.elasticbeanstalk.com/category/news/uganda-rejects-criminals-unaccompanied-minors-NV_216922"},
			{ID: "S10", Outlet: "Daily Monitor", Title: "Finer details of Uganda-US deportation deal emerge", Date: "2025-09-10", URL: "https://www.monitor.co.ug/uganda/news/national/finer-details-of-uganda-us-deportation-deal-emerge-5187226"},
			{ID: "S12", Outlet: "The Independent (Uganda)", Date: "2025-08-22", URL: "https://www.independent.co.ug/us-secretary-of-state-rubio-hails-president-museveni-for-regional-stability/"},
		},
		Country: &bot.Country{Code: "UG", Name: "Uganda", Status: "signed"},
		AsOf:    "2025-09-10",
		Age:     "2 months ago",
		More:    []bot.More{{Label: "all sources", Command: "sources uganda"}},
		Highlights: []string{
			"Accepts: nationals of other African countries with no criminal record [S1]",
			"People received: about a dozen on a first flight (date unknown; single source) [S9]",
			"Latest: on 2025-09-10: the Daily Monitor publishes finer details of the deal & its conditions. [S10]",
		},
		ShortSources: []bot.Source{
			{ID: "S1", Outlet: "CBS News (mirror)", Date: "2025-08-19", URL: "https://www.daily8.com/en/article/1fc81c4f9c1d8e2b1079761947a879fe"},
			{ID: "S9", Outlet: "New Vision", Date: "2025-08", URL: "http://newvision-web-nuxt3.us-east-1.elasticbeanstalk.com/category/news/uganda-rejects-criminals-unaccompanied-minors-NV_216922"},
			{ID: "S10", Outlet: "Daily Monitor", Date: "2025-09-10", URL: "https://www.monitor.co.ug/uganda/news/national/finer-details-of-uganda-us-deportation-deal-emerge-5187226"},
		},
		Key:         "c/UG",
		Corrections: "https://github.com/agreementbot/agreementbot/issues?q=a&b=c",
		Buttons: []bot.Button{
			button("Timeline", bot.ActTimeline, "c/UG", 0),
			button("Sources", bot.ActSources, "c/UG", 0),
			button("Full card", bot.ActCard, "c/UG", 0),
		},
	}
}

// testDigest is the data digest in the buttons of hand-made replies.
const testDigest = "0db34b73"

// button is a button as the bot makes it.
func button(label, act, key string, page int) bot.Button {
	return bot.Button{Label: label, Action: act, Value: bot.ButtonKey(bot.Action{Name: act, Key: key, Page: page, Digest: testDigest})}
}

// focusedReply is a focused answer: one aspect of a country.
func focusedReply() bot.Reply {
	r := countryReply()
	r.Aspect, r.Title, r.Highlights, r.ShortSources, r.Timeline = "money", "Uganda: payments", nil, nil, nil
	r.Summary = "No payment to Uganda is on record as of 2025-09-10."
	r.Fields = []bot.Field{{Name: "Headline status", Items: []string{"signed: an agreement was signed; disputed: a government denied or contradicted a report"}}}
	r.Sources = r.Sources[:1]
	r.More = []bot.More{{Label: "the whole card", Command: "uganda"}}
	return r
}

// mapReply is a map answer with its picture.
func mapReply() bot.Reply {
	alt := "A world map of the 14 countries on record, coloured by headline status: received in El Salvador, Costa Rica, Panama & 4 more; signed in Uganda and 3 more."
	return bot.Reply{
		Kind: bot.KindMap, Query: "map", Title: "Countries on record: map", Summary: alt, AsOf: "2025-09-10", Age: "2 months ago",
		Image: &bot.Image{Name: "agreement-map.png", PNG: testPNG, Alt: alt, Path: "/maps/0db34b73/all.png"},
	}
}

func listReply() bot.Reply {
	r := bot.Reply{Kind: bot.KindList, Query: "list", Title: "Countries on record", AsOf: "2025-09-10",
		Summary: "14 countries, by the furthest stage reached.", Key: "l//",
		Buttons: []bot.Button{button("Next page", bot.ActPage, "l//", 2), button("Full list", bot.ActAll, "l//", 0)}}
	for _, g := range []struct {
		status string
		names  []string
	}{
		{"received", []string{"El Salvador", "Costa Rica", "Panama", "South Sudan", "Eswatini", "Rwanda", "Mexico"}},
		{"signed", []string{"Uganda", "Honduras", "Guatemala", "Paraguay"}},
		{"agreed", []string{"Kosovo", "Ecuador"}},
		{"requested", []string{"Spain"}},
	} {
		for _, n := range g.names {
			r.Results = append(r.Results, bot.Result{Name: n, Status: g.status, Group: g.status + " (" + strconv.Itoa(len(g.names)) + ")"})
		}
	}
	return r
}

func helpReply() bot.Reply {
	return bot.Reply{
		Kind: bot.KindHelp, Query: "search", Visibility: bot.Private,
		Notice: "search needs at least one word, e.g. search venezuelans",
		Title:  "How to ask",
		Fields: []bot.Field{{Name: "Commands", Items: []string{
			"<country>: the card for a country, e.g. uganda",
			"list [status]: every country on record",
			"search <words>: find facts",
			"from <nationality>: where people of a nationality were sent",
			"sources [country], latest, about, help",
		}}},
		AsOf: "2025-09-10",
	}
}

func notFoundReply() bot.Reply {
	return bot.Reply{
		Kind: bot.KindNotFound, Query: "ugnad", Visibility: bot.Private,
		Title:       "Nothing on record for \"ugnad\"",
		Summary:     "That is not a country or topic I know. Try help for what you can ask.",
		Suggestions: []bot.Suggestion{{Code: "UG", Name: "Uganda"}, {Code: "", Name: "Rwanda"}},
		AsOf:        "2025-09-10",
	}
}

// hugeReply has more of everything than Slack can show.
func hugeReply() bot.Reply {
	r := countryReply()
	r.Title = strings.Repeat("A very long title <!channel> & ", 20)
	r.Summary = strings.Repeat("A summary sentence with <@U123> & <!here> in it. ", 100)
	for i := range 40 {
		f := bot.Field{Name: "Field " + strconv.Itoa(i)}
		for j := range 30 {
			f.Items = append(f.Items, "Item "+strconv.Itoa(j)+" "+strings.Repeat("& <b> ", 20))
		}
		r.Fields = append(r.Fields, f)
	}
	for i := range 200 {
		r.Timeline = append(r.Timeline, bot.Event{Date: "2025-08-" + strconv.Itoa(i%28+1), Text: "Event " + strconv.Itoa(i) + " " + strings.Repeat("<!everyone> ", 10)})
	}
	for i := range 60 {
		r.Sources = append(r.Sources, bot.Source{ID: "S" + strconv.Itoa(i), Outlet: "Outlet " + strconv.Itoa(i), Date: "2025-08-20",
			URL: "https://example.com/" + strconv.Itoa(i) + "?a=1&b=2"})
	}
	r.More = append(r.More, bot.More{Label: "full timeline", Command: "timeline uganda"})
	return r
}

// listPage2 is the second page of listReply, as a press of its Next page
// button answers it.
func listPage2() bot.Reply {
	r := listReply()
	r.Page, r.Visibility = 2, bot.Private
	r.Buttons = []bot.Button{button("Previous page", bot.ActPage, "l//", 1), button("Full list", bot.ActAll, "l//", 0)}
	return r
}

func fullCountryReply() bot.Reply {
	r := countryReply()
	r.Full, r.Visibility = true, bot.Private
	r.Buttons = r.Buttons[:2]
	return r
}

func TestRenderGolden(t *testing.T) {
	huge := hugeReply()
	huge.Full = true
	for name, tc := range map[string]struct {
		r bot.Reply
		o renderOpts
	}{
		"country":      {r: countryReply()},
		"country-full": {r: fullCountryReply()},
		"focused":      {r: focusedReply()},
		"list":         {r: listReply()},
		"list-page2":   {r: listPage2()},
		"map-image":    {r: mapReply(), o: renderOpts{publicURL: "https://bot.example.org"}},
		"map-text":     {r: mapReply()},
		"help":         {r: helpReply()},
		"not_found":    {r: notFoundReply()},
		"huge":         {r: huge},
	} {
		t.Run(name, func(t *testing.T) {
			m, _ := renderJSON(tc.r, tc.o)
			checkMessageOpts(t, tc.r, m, tc.o)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // readable: what Slack shows, not \u003c
			enc.SetIndent("", "  ")
			if err := enc.Encode(m); err != nil {
				t.Fatal(err)
			}
			// slack-go encodes context elements itself, with HTML escaping;
			// show the characters, as Slack does.
			got := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(buf.String())
			testkit.Golden(t, filepath.Join("testdata", name+".golden.json"), []byte(got))
		})
	}
}

// The property: whatever a reply holds (random runes, bidirectional
// controls, quotes, markup, mentions, huge lists, hostile buttons and
// images), the message stays within every Slack limit, no text from the
// reply becomes markup, no bidirectional control is sent, and a card's
// short form stays within its budget.
func TestRenderLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	huge := hugeReply()
	huge.Full = true
	replies := []bot.Reply{hugeReply(), huge, {}, {Kind: bot.KindCountry, Title: strings.Repeat("&", 1000)}}
	n := 300
	if testing.Short() {
		n = 60
	}
	for range n {
		replies = append(replies, randomReply(rng))
	}
	for i, r := range replies {
		o := renderOpts{ephemeral: rng.IntN(4) == 0}
		if rng.IntN(2) == 0 {
			o.publicURL = []string{"https://bot.example.org", "http://127.0.0.1:8080/x", "javascript:alert(1)", "https://bot.example.org/\u202e"}[rng.IntN(4)]
		}
		if rng.IntN(3) == 0 {
			o.noImage = hostileText(rng, 5)
		}
		m, payload := renderJSON(r, o)
		if !checkMessageOpts(t, r, m, o) {
			t.Fatalf("reply %d breaks a limit", i)
		}
		if _, again := renderJSON(r, o); !bytes.Equal(payload, again) {
			t.Fatalf("reply %d renders differently twice", i)
		}
	}
}

// checkMessage checks every Slack limit and the escaping of m, rendered
// from r, and that the essentials survived shortening.
func checkMessage(t *testing.T, r bot.Reply, m Message) bool {
	t.Helper()
	return checkMessageOpts(t, r, m, renderOpts{})
}

func checkMessageOpts(t *testing.T, r bot.Reply, m Message, o renderOpts) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		ok = false
		t.Errorf(format, args...)
	}
	urls := map[string]bool{}
	for _, s := range slices.Concat(r.Sources, r.ShortSources, []bot.Source{{URL: r.Corrections}}) {
		if u, safe := safeURL(s.URL); safe {
			urls[u] = true
		}
	}
	text := func(where, s string, max int) {
		t.Helper()
		if len(s) > max {
			fail("%s: %d bytes, limit %d", where, len(s), max)
		}
		if strings.TrimSpace(s) == "" && where != "fallback text" {
			fail("%s: empty text, which Slack refuses", where)
		}
		if !utf8.ValidString(s) {
			fail("%s: invalid UTF-8 %q", where, s)
		}
		if bad := unescaped(s, urls); bad != "" {
			fail("%s: unescaped markup %q in %q", where, bad, s)
		}
	}
	if len(m.Blocks) > maxBlocks {
		fail("%d blocks, limit %d", len(m.Blocks), maxBlocks)
	}
	want := map[bot.Visibility]string{bot.Public: "in_channel", bot.Private: "ephemeral"}[r.Visibility]
	if o.ephemeral {
		want = "ephemeral"
	}
	if m.ResponseType != want {
		fail("response_type %q, want %q", m.ResponseType, want)
	}
	text("fallback text", m.Text, 3000)
	var header, all strings.Builder
	actions, images := 0, 0
	ids := map[string]bool{}
	for i, b := range m.Blocks {
		where := "block " + strconv.Itoa(i)
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if b.Text == nil || b.Text.Type != slack.PlainTextType {
				fail("%s: header without plain text", where)
				continue
			}
			text(where, b.Text.Text, maxHeaderText)
			header.WriteString(b.Text.Text)
		case *slack.SectionBlock:
			if b.Text == nil && len(b.Fields) == 0 {
				fail("%s: empty section", where)
			}
			if b.Text != nil {
				text(where, b.Text.Text, maxSectionText)
				all.WriteString(b.Text.Text)
			}
			if len(b.Fields) > maxSectionFields {
				fail("%s: %d fields", where, len(b.Fields))
			}
			for _, f := range b.Fields {
				text(where+" field", f.Text, maxFieldText)
				all.WriteString(f.Text)
			}
		case *slack.ContextBlock:
			els := b.ContextElements.Elements
			if len(els) == 0 || len(els) > maxContextElements {
				fail("%s: %d context elements", where, len(els))
			}
			for _, e := range els {
				tb, isText := e.(*slack.TextBlockObject)
				if !isText {
					fail("%s: context element %T", where, e)
					continue
				}
				text(where+" context", tb.Text, maxSectionText)
				all.WriteString(tb.Text)
			}
		case *slack.ActionBlock:
			actions++
			els := b.Elements.ElementSet
			if len(els) == 0 || len(els) > maxActionElements {
				fail("%s: %d elements in an actions block", where, len(els))
			}
			for _, e := range els {
				bt, isButton := e.(*slack.ButtonBlockElement)
				if !isButton || bt.Type != slack.METButton || bt.Text == nil || bt.Text.Type != slack.PlainTextType {
					fail("%s: element %#v is not a plain button", where, e)
					continue
				}
				text(where+" button", bt.Text.Text, maxButtonText)
				if !strings.HasPrefix(bt.ActionID, actionPrefix) || len(bt.ActionID) > maxActionID || ids[bt.ActionID] {
					fail("%s: action_id %q: not ours, too long, or not unique", where, bt.ActionID)
				}
				ids[bt.ActionID] = true
				if bt.Value == "" || len(bt.Value) > maxButtonValue || !utf8.ValidString(bt.Value) {
					fail("%s: value %q", where, bt.Value)
				}
				if bt.URL != "" || bt.Confirm != nil {
					fail("%s: button with a URL or a confirmation", where)
				}
			}
		case *slack.ImageBlock:
			images++
			if len(b.ImageURL) > maxImageURL || !strings.HasPrefix(b.ImageURL, o.publicURL+"/") || o.publicURL == "" {
				fail("%s: image_url %q", where, b.ImageURL)
			}
			if u, safe := safeURL(b.ImageURL); !safe || strings.Contains(u, "&amp;") && !strings.Contains(b.ImageURL, "&amp;") {
				fail("%s: image_url %q is not a plain http(s) URL", where, b.ImageURL)
			}
			if strings.TrimSpace(b.AltText) == "" || runes(b.AltText) > maxAltText || !utf8.ValidString(b.AltText) {
				fail("%s: alt_text %q", where, b.AltText)
			}
			// The alt text is shown as text too, escaped.
			prefix := b.AltText
			if rs := []rune(prefix); len(rs) > 50 {
				prefix = string(rs[:50])
			}
			if shown, _ := escape(prefix, maxSectionText, false); !strings.Contains(sectionTexts(m), shown) {
				fail("%s: alt text %q not shown as text", where, b.AltText)
			}
		case *slack.DividerBlock:
		default:
			fail("%s: unexpected block %T", where, b)
		}
	}
	if actions > 1 {
		fail("%d actions blocks, want at most 1", actions)
	}
	if images > 1 || images == 1 && (r.Kind != bot.KindMap || r.Image == nil) {
		fail("%d image blocks for a %s answer", images, r.Kind)
	}
	payload, err := json.Marshal(m)
	if err != nil {
		fail("json: %v", err)
	}
	// The bound that spares encoding a message to measure it holds.
	if text, encoded, parts := textSize(m); len(payload) > jsonBound(encoded, parts) || len(payload) < text {
		fail("%d bytes of JSON, outside the bounds %d to %d (parts %d)", len(payload), text, jsonBound(encoded, parts), parts)
	}
	// The acknowledgement exactly as slack-go marshals it before refusing
	// 20 KiB or more.
	ack, _ := json.Marshal(socketmode.Response{EnvelopeID: "c67a03d0-4094-4744-90ca-d286e00a3ab1", Payload: json.RawMessage(payload)})
	if len(ack) >= maxAckBytes {
		fail("ack of %d bytes, limit %d", len(ack), maxAckBytes)
	}
	// No bidirectional control anywhere in what is sent.
	var decoded any
	json.Unmarshal(payload, &decoded)
	for _, s := range texts(decoded) {
		if i := strings.IndexFunc(s, bot.IsBidiControl); i >= 0 {
			fail("bidirectional control sent in %q", s)
		}
	}
	if r.Title != "" && header.Len() == 0 {
		fail("title %q lost", r.Title)
	}
	if r.AsOf != "" && !strings.Contains(all.String(), "Facts as of") {
		fail("as-of line lost")
	}
	f := formOf(r)
	if f == formWhole && len(r.More) > 0 && !strings.Contains(all.String(), "`/agreement ") {
		fail("more-pointers lost")
	}
	if f == formCard {
		if n := visibleLen(m); n > shortBudget {
			fail("short card of %d visible characters, budget %d", n, shortBudget)
		}
	}
	if f == formPage && !strings.Contains(all.String(), "Page "+strconv.Itoa(r.PageNumber())+" of "+strconv.Itoa(r.Pages())) {
		fail("no page count in a page of a list")
	}
	return ok
}

// sectionTexts is the text of every section of m.
func sectionTexts(m Message) string {
	var b strings.Builder
	for _, bl := range m.Blocks {
		if s, ok := bl.(*slack.SectionBlock); ok && s.Text != nil {
			b.WriteString(s.Text.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// visibleLen is how many characters m shows: the text of its header,
// sections and context blocks as Slack displays it (a link as its label,
// an entity as its character, no bold markers), without the buttons.
func visibleLen(m Message) int {
	var b strings.Builder
	for _, bl := range m.Blocks {
		switch bl := bl.(type) {
		case *slack.HeaderBlock:
			b.WriteString(bl.Text.Text)
		case *slack.SectionBlock:
			if bl.Text != nil {
				b.WriteString(bl.Text.Text)
			}
			for _, f := range bl.Fields {
				b.WriteString(f.Text)
			}
		case *slack.ContextBlock:
			for _, e := range bl.ContextElements.Elements {
				if tb, ok := e.(*slack.TextBlockObject); ok {
					b.WriteString(tb.Text)
				}
			}
		}
	}
	s := shownLinkRE.ReplaceAllString(b.String(), "$1")
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "*", "").Replace(s)
	return utf8.RuneCountInString(s)
}

var shownLinkRE = regexp.MustCompile(`<https?://[^|<>\s]+\|([^<>]*)>`)

var linkRE = regexp.MustCompile(`^<(https?://[^|<>\s]+)\|([^<>]*)>`)

// unescaped returns the first piece of s that is markup Slack would
// interpret but that the renderer did not build from a source URL: a < or
// > outside such a link, or an & that starts no entity.
func unescaped(s string, urls map[string]bool) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			m := linkRE.FindStringSubmatch(s[i:])
			if m == nil || !urls[m[1]] {
				return s[i:min(len(s), i+20)]
			}
			if bad := unescaped(m[2], urls); bad != "" || strings.Contains(m[2], "<") {
				return m[0]
			}
			i += len(m[0]) - 1
		case '>':
			return s[i:min(len(s), i+20)]
		case '&':
			rest := s[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				return rest[:min(len(rest), 20)]
			}
		}
	}
	return ""
}

var hostilePieces = []string{
	"<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C123|general>", "<https://evil.example|click>",
	"&", "&amp;", "&lt;", "<", ">", "|", "*bold*", "_it_", "`code`", "\n> quote", "\t",
	"🇺🇬", "é", "\xff\xfe", "Uganda", " ", "word ", "@here", strings.Repeat("&", 50), strings.Repeat("x", 300),
	"\u202e", "\u202dgnp.exe", "\u2066", "\u2069", "\u200f", "\u200e", "\u061c", "\u200d", "\"", "'", "“quoted”", "’", "…",
}

// bidiPool is what random runes are drawn from, besides any rune at all:
// every bidirectional control, and their neighbours that are not.
var bidiPool = []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
	0x061b, 0x200d, 0x2029, 0x202f, 0x2065, 0x206a, '"', '\'', '<', '>', '&', '@', '!', '|', '*', 0x2018, 0x201c}

// randomRunes is n random runes: any valid rune, or one from bidiPool.
func randomRunes(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if rng.IntN(2) == 0 {
			b.WriteRune(bidiPool[rng.IntN(len(bidiPool))])
			continue
		}
		r := rune(rng.IntN(0x10ffff))
		if !utf8.ValidRune(r) {
			r = 0x202e
		}
		b.WriteRune(r)
	}
	return b.String()
}

var urlPool = []string{
	"https://example.com/a?x=1&y=2", "http://ok.example/path", "https://ok.example/", "",
	"javascript:alert(1)", "https://evil.example/|<!channel>", "https://a.example/>x", "ftp://x.example/",
	"https://user:pw@x.example/", "https://x.example/a b", "//no-scheme.example/", "https://x.example/\"q",
}

func hostileText(rng *rand.Rand, maxPieces int) string {
	var b strings.Builder
	for range rng.IntN(maxPieces + 1) {
		if rng.IntN(5) == 0 {
			b.WriteString(randomRunes(rng, 1+rng.IntN(8)))
			continue
		}
		b.WriteString(hostilePieces[rng.IntN(len(hostilePieces))])
	}
	return b.String()
}

func randomReply(rng *rand.Rand) bot.Reply {
	kinds := []bot.Kind{bot.KindCountry, bot.KindNoAgreement, bot.KindNotFound, bot.KindTopic, bot.KindList,
		bot.KindSearch, bot.KindFrom, bot.KindSources, bot.KindLatest, bot.KindAbout, bot.KindHelp, bot.KindRateLimited, bot.KindError,
		bot.KindCountry, bot.KindCountry, bot.KindTopic, bot.KindSince, bot.KindRanking, bot.KindMap, bot.KindMap}
	r := bot.Reply{
		Kind:       kinds[rng.IntN(len(kinds))],
		Query:      hostileText(rng, 3),
		Visibility: bot.Visibility(rng.IntN(2)),
		Title:      hostileText(rng, 20),
		Status:     hostileText(rng, 2),
		Disputed:   rng.IntN(2) == 0,
		Summary:    hostileText(rng, 60),
		AsOf:       hostileText(rng, 2),
	}
	if rng.IntN(4) == 0 {
		r.Notice = hostileText(rng, 10)
	}
	for range rng.IntN(41) {
		f := bot.Field{Name: hostileText(rng, 3)}
		for range rng.IntN(31) {
			f.Items = append(f.Items, hostileText(rng, 8))
		}
		r.Fields = append(r.Fields, f)
	}
	for range rng.IntN(201) {
		r.Timeline = append(r.Timeline, bot.Event{Date: hostileText(rng, 2), Text: hostileText(rng, 10)})
	}
	for range rng.IntN(301) {
		r.Results = append(r.Results, bot.Result{Code: "UG", Name: hostileText(rng, 3), Status: hostileText(rng, 1), Disputed: rng.IntN(2) == 0,
			Date: hostileText(rng, 1), Event: hostileText(rng, 3), Snippet: hostileText(rng, 5), Group: hostileText(rng, 1)})
	}
	for range rng.IntN(21) {
		r.Suggestions = append(r.Suggestions, bot.Suggestion{Name: hostileText(rng, 3)})
	}
	for range rng.IntN(61) {
		r.Sources = append(r.Sources, bot.Source{ID: hostileText(rng, 1), Outlet: hostileText(rng, 3), Title: hostileText(rng, 6),
			Date: hostileText(rng, 1), URL: urlPool[rng.IntN(len(urlPool))]})
	}
	for range rng.IntN(9) {
		r.More = append(r.More, bot.More{Label: hostileText(rng, 2), Command: hostileText(rng, 3)})
	}
	for range rng.IntN(6) {
		r.Highlights = append(r.Highlights, hostileText(rng, 12))
	}
	for range rng.IntN(5) {
		r.ShortSources = append(r.ShortSources, bot.Source{ID: hostileText(rng, 1), Outlet: hostileText(rng, 4), Date: hostileText(rng, 1),
			URL: urlPool[rng.IntN(len(urlPool))], Low: rng.IntN(3) == 0})
	}
	actions := []string{bot.ActTimeline, bot.ActSources, bot.ActCard, bot.ActPage, bot.ActAll, "", "page", "x y", strings.Repeat("a", 300), "\u202epage"}
	for range rng.IntN(30) {
		b := bot.Button{Label: hostileText(rng, 3), Action: actions[rng.IntN(len(actions))], Value: hostileText(rng, 3)}
		if rng.IntN(2) == 0 {
			b.Value = button("x", bot.ActPage, "l//", rng.IntN(5)).Value
		}
		if rng.IntN(10) == 0 {
			b.Value = strings.Repeat("v", 2100)
		}
		r.Buttons = append(r.Buttons, b)
	}
	r.Page = rng.IntN(40) - 5
	r.Full = rng.IntN(3) == 0
	if rng.IntN(3) == 0 {
		r.Aspect = "money"
	}
	r.Age, r.Stale = hostileText(rng, 2), rng.IntN(2) == 0
	if rng.IntN(2) == 0 {
		r.Corrections = urlPool[rng.IntN(len(urlPool))]
	}
	if r.Kind == bot.KindMap || rng.IntN(10) == 0 {
		r.Image = &bot.Image{Name: hostileText(rng, 2), PNG: testPNG, Alt: hostileText(rng, 30),
			Path: []string{"/maps/0db34b73/all.png", "", "//evil.example/x.png", "/maps/\u202e/x.png", "/a b", "/" + strings.Repeat("p", 3000)}[rng.IntN(6)]}
	}
	return r
}

// testPNG is a small valid PNG, for map answers.
var testPNG = func() []byte {
	img := image.NewPaletted(image.Rect(0, 0, 8, 4), color.Palette{color.White, color.RGBA{0x1d, 0x35, 0x57, 0xff}})
	img.SetColorIndex(2, 1, 1)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// TestJSONLen: jsonLen is never less than what encoding/json writes.
func TestJSONLen(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	cases := []string{"", "plain", "\u2028\u2029", "<>&\"\\\x00\x1f\n\t", "\xff\xfe", "“quoted” ’ …", "\u202e"}
	for range 2000 {
		cases = append(cases, hostileText(rng, 8), randomRunes(rng, 20))
	}
	for c := range 256 {
		cases = append(cases, string([]byte{byte(c)}), string(rune(c)))
	}
	for r := rune(0x2000); r <= 0x2100; r++ {
		cases = append(cases, string(r))
	}
	for _, s := range cases {
		b, _ := json.Marshal(s)
		if got := len(b) - 2; jsonLen(s) < got {
			t.Errorf("jsonLen(%q) = %d, encoding/json writes %d", s, jsonLen(s), got)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct {
		in      string
		max     int
		oneLine bool
		want    string
		cut     bool
	}{
		{"plain", 10, false, "plain", false},
		{"<!channel> & <@U1>", 100, false, "&lt;!channel&gt; &amp; &lt;@U1&gt;", false},
		{"a\nb", 10, false, "a\nb", false},
		{"a\nb\tc", 10, true, "a b c", false},
		{"abcdefghij", 5, false, "ab…", true},
		{"a&b", 5, false, "a…", true},          // never half an entity
		{"a&b", 7, false, "a&amp;b", false},    // exactly fits
		{"ééé", 6, false, "ééé", false},        // 6 bytes
		{"éééé", 6, false, "é…", true},         // never half a character
		{"\xffa", 10, false, "\uFFFDa", false}, // invalid UTF-8 replaced
		{"abc", 2, false, "", true},            // no room for even the ellipsis
		{"", 0, false, "", false},
	} {
		got, cut := escape(tc.in, tc.max, tc.oneLine)
		if got != tc.want || cut != tc.cut || len(got) > max(tc.max, 0) {
			t.Errorf("escape(%q, %d, %v) = %q, %v; want %q, %v", tc.in, tc.max, tc.oneLine, got, cut, tc.want, tc.cut)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://example.com/a?x=1&y=2", "https://example.com/a?x=1&amp;y=2", true},
		{"HTTP://example.com/", "HTTP://example.com/", true},
		{"javascript:alert(1)", "", false},
		{"https://evil.example/|<!channel>", "", false},
		{"https://a.example/>x", "", false},
		{"https://x.example/a b", "", false},
		{"https://user:pw@x.example/", "", false},
		{"//x.example/", "", false},
		{"mailto:a@b.example", "", false},
		{"", "", false},
	} {
		got, ok := safeURL(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("safeURL(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

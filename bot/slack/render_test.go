package slack

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"regexp"
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
		More:    []bot.More{{Label: "all sources", Command: "sources uganda"}},
	}
}

func listReply() bot.Reply {
	r := bot.Reply{Kind: bot.KindList, Query: "list", Title: "Countries on record", AsOf: "2025-09-10",
		Summary: "14 countries, by the furthest stage reached."}
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

func TestRenderGolden(t *testing.T) {
	for name, r := range map[string]bot.Reply{
		"country":   countryReply(),
		"list":      listReply(),
		"help":      helpReply(),
		"not_found": notFoundReply(),
		"huge":      hugeReply(),
	} {
		t.Run(name, func(t *testing.T) {
			m := Render(r)
			checkMessage(t, r, m)
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

// The property: whatever a reply holds, the message stays within every
// Slack limit and no text from the reply becomes markup.
func TestRenderLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	replies := []bot.Reply{hugeReply(), {}, {Kind: bot.KindCountry, Title: strings.Repeat("&", 1000)}}
	n := 200
	if testing.Short() {
		n = 40
	}
	for range n {
		replies = append(replies, randomReply(rng))
	}
	for i, r := range replies {
		m := Render(r)
		if !checkMessage(t, r, m) {
			t.Fatalf("reply %d breaks a limit", i)
		}
		a, _ := json.Marshal(m)
		b, _ := json.Marshal(Render(r))
		if !bytes.Equal(a, b) {
			t.Fatalf("reply %d renders differently twice", i)
		}
	}
}

// checkMessage checks every Slack limit and the escaping of m, rendered
// from r, and that the essentials survived shortening.
func checkMessage(t *testing.T, r bot.Reply, m Message) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		ok = false
		t.Errorf(format, args...)
	}
	urls := map[string]bool{}
	for _, s := range r.Sources {
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
	if want := map[bot.Visibility]string{bot.Public: "in_channel", bot.Private: "ephemeral"}[r.Visibility]; m.ResponseType != want {
		fail("response_type %q, want %q", m.ResponseType, want)
	}
	text("fallback text", m.Text, 3000)
	var header, all strings.Builder
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
		case *slack.DividerBlock:
		default:
			fail("%s: unexpected block %T", where, b)
		}
	}
	payload, err := json.Marshal(m)
	if err != nil {
		fail("json: %v", err)
	}
	// The acknowledgement exactly as slack-go marshals it before refusing
	// 20 KiB or more.
	ack, _ := json.Marshal(socketmode.Response{EnvelopeID: "c67a03d0-4094-4744-90ca-d286e00a3ab1", Payload: json.RawMessage(payload)})
	if len(ack) >= maxAckBytes {
		fail("ack of %d bytes, limit %d", len(ack), maxAckBytes)
	}
	if r.Title != "" && header.Len() == 0 {
		fail("title %q lost", r.Title)
	}
	if r.AsOf != "" && !strings.Contains(all.String(), "Facts as of") {
		fail("as-of date lost")
	}
	if len(r.More) > 0 && !strings.Contains(all.String(), "`/agreement ") {
		fail("more-pointers lost")
	}
	return ok
}

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
}

var urlPool = []string{
	"https://example.com/a?x=1&y=2", "http://ok.example/path", "https://ok.example/", "",
	"javascript:alert(1)", "https://evil.example/|<!channel>", "https://a.example/>x", "ftp://x.example/",
	"https://user:pw@x.example/", "https://x.example/a b", "//no-scheme.example/", "https://x.example/\"q",
}

func hostileText(rng *rand.Rand, maxPieces int) string {
	var b strings.Builder
	for range rng.IntN(maxPieces + 1) {
		b.WriteString(hostilePieces[rng.IntN(len(hostilePieces))])
	}
	return b.String()
}

func randomReply(rng *rand.Rand) bot.Reply {
	kinds := []bot.Kind{bot.KindCountry, bot.KindNoAgreement, bot.KindNotFound, bot.KindTopic, bot.KindList,
		bot.KindSearch, bot.KindFrom, bot.KindSources, bot.KindLatest, bot.KindAbout, bot.KindHelp, bot.KindRateLimited, bot.KindError}
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
	return r
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

package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
	"github.com/bwmarrin/discordgo"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got)
}

// indentJSON encodes v for a golden file: indented, with <, > and &
// readable.
func indentJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRenderGolden(t *testing.T) {
	for name, r := range map[string]bot.Reply{
		"country":   ugandaReply(),
		"list":      listReply(),
		"help":      helpReply(),
		"not_found": notFoundReply(),
	} {
		t.Run(name, func(t *testing.T) {
			data := Render(r)
			checkLimits(t, data)
			golden(t, name+".golden.json", indentJSON(t, discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: data,
			}))
		})
	}
}

// TestStoreGolden keeps the embeds of a few real answers in testdata, so
// reviewers see what Discord users see.
func TestStoreGolden(t *testing.T) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(store, bot.Options{Now: fixedNow})
	for name, q := range map[string]string{"store-uganda": "uganda", "store-list-refused": "list refused", "store-from-cuba": "from cuba", "store-did-you-mean": "congo"} {
		t.Run(name, func(t *testing.T) {
			data := Render(b.Handle(context.Background(), bot.Query{Text: q, Platform: platform}))
			checkLimits(t, data)
			golden(t, name+".golden.json", indentJSON(t, discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: data,
			}))
		})
	}
}

func TestCommandsGolden(t *testing.T) {
	b, err := CommandsJSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "commands.golden.json", append(b, '\n'))
}

// checkLimits fails t for anything in data that Discord would reject or
// that could ping someone.
func checkLimits(t *testing.T, data *discordgo.InteractionResponseData) {
	t.Helper()
	if n := len(data.Embeds); n < 1 || n > maxEmbeds {
		t.Fatalf("%d embeds, want 1 to %d", n, maxEmbeds)
	}
	if data.AllowedMentions == nil || data.AllowedMentions.Parse == nil || len(data.AllowedMentions.Parse) != 0 {
		t.Errorf("AllowedMentions = %+v, want an empty non-nil Parse", data.AllowedMentions)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf(`JSON lacks "allowed_mentions":{"parse":[]: %s`, raw)
	}
	total := 0
	for _, e := range data.Embeds {
		limit := func(what, s string, max int) {
			t.Helper()
			if w := width(s); w > max {
				t.Errorf("%s is %d characters, over %d: %q", what, w, max, s)
			}
			total += width(s)
		}
		limit("title", e.Title, maxTitle)
		limit("description", e.Description, maxDescription)
		if e.Footer != nil {
			limit("footer", e.Footer.Text, maxFooter)
		}
		if len(e.Fields) > maxFields {
			t.Errorf("%d fields, over %d", len(e.Fields), maxFields)
		}
		for i, f := range e.Fields {
			if f.Name == "" || f.Value == "" {
				t.Errorf("field %d has an empty name or value: %+v", i, f)
			}
			limit(fmt.Sprintf("field %d name", i), f.Name, maxFieldName)
			limit(fmt.Sprintf("field %d value", i), f.Value, maxFieldValue)
		}
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
			t.Errorf("empty embed")
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds total %d characters, over %d", total, maxEmbedTotal)
	}
	checkNoMarkup(t, data)
}

// links matches the masked links Render makes for sources.
var links = regexp.MustCompile(`\[((?:[^\[\]\\]|\\.)*)\]\(([^()\s]*)\)`)

// codeSpans matches the commands the More field shows as inline code.
var codeSpans = regexp.MustCompile("(?m): `[^`\\n]*`$")

// checkNoMarkup fails t if text in the embeds could mention anyone or
// carries markdown or links the renderer did not put there itself.
func checkNoMarkup(t *testing.T, data *discordgo.InteractionResponseData) {
	t.Helper()
	for _, e := range data.Embeds {
		texts := []string{e.Title, e.Description}
		for _, f := range e.Fields {
			v := f.Value
			if f.Name == "More" {
				v = codeSpans.ReplaceAllString(v, ": CODE")
			}
			texts = append(texts, f.Name, v)
		}
		for _, s := range texts {
			for _, m := range links.FindAllStringSubmatch(s, -1) {
				if u, ok := linkURL(m[2]); !ok || u != m[2] {
					t.Errorf("link to %q, which is not a checked URL", m[2])
				}
			}
			s = stripOwnBold(links.ReplaceAllString(s, "$1"))
			for _, bad := range []string{"@everyone", "@here", "<@", "<#", "[", "](", "**b**", "*", "_", "`", "|", "~", "://"} {
				if i := unescaped(s, bad); i >= 0 {
					t.Errorf("text has %q unescaped at %d: %q", bad, i, s)
				}
			}
		}
		// Footers show no markdown, links or mentions; only check the pings.
		if e.Footer != nil && (strings.Contains(e.Footer.Text, "@everyone") || strings.Contains(e.Footer.Text, "@here")) {
			t.Errorf("footer can ping: %q", e.Footer.Text)
		}
	}
}

// unescaped returns the index of the first occurrence of sub in s whose
// first character is not backslash-escaped, or -1. The renderer's own
// bullets and bold dates ("• **2025-08** ") are not counted.
func unescaped(s, sub string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return -1
		}
		j += i
		n := 0
		for k := j - 1; k >= 0 && s[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		i = j + 1
	}
}

// stripOwnBold removes the asterisks of the renderer's bold timeline dates,
// "• **2025-08** text", which are its own markdown.
func stripOwnBold(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "• **")
		if !ok {
			continue
		}
		for j := 0; j+3 <= len(rest); j++ {
			if rest[j] == '\\' {
				j++ // skip the escaped character
				continue
			}
			if rest[j:j+3] == "** " {
				lines[i] = "• " + rest[:j] + rest[j+2:]
				break
			}
		}
	}
	return strings.Join(lines, "\n")
}

func TestRenderShape(t *testing.T) {
	d := Render(ugandaReply())
	e := d.Embeds[0]
	if want := "Uganda · signed (disputed)"; e.Title != want {
		t.Errorf("title = %q, want %q", e.Title, want)
	}
	if e.Color != statusColours["signed"] {
		t.Errorf("colour = %#x, want signed's %#x", e.Color, statusColours["signed"])
	}
	if e.Footer == nil || e.Footer.Text != "Facts as of 2026-03-14" {
		t.Errorf("footer = %+v", e.Footer)
	}
	if d.Flags != 0 {
		t.Errorf("flags = %d for a public reply", d.Flags)
	}
	var sources string
	for _, f := range e.Fields {
		if f.Name == "Sources" {
			sources = f.Value
		}
		if f.Name == "More" {
			t.Errorf("More field on an answer that was not shortened")
		}
	}
	if want := "• S6 [Reuters, 2025-08-21](https://www.reuters.com/"; !strings.Contains(sources, want) {
		t.Errorf("sources lack the Reuters link:\n%s", sources)
	}
	if !strings.Contains(sources, "deportees-%28first-flight%29)") {
		t.Errorf("parentheses in a URL are not percent-encoded:\n%s", sources)
	}
	if Render(helpReply()).Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("private reply without the ephemeral flag")
	}
}

func TestRenderShortensWithPointer(t *testing.T) {
	r := ugandaReply()
	for i := range 60 {
		r.Sources = append(r.Sources, bot.Source{ID: fmt.Sprintf("S%d", 100+i), Outlet: "Outlet", Date: "2025-09-01", URL: fmt.Sprintf("https://example.org/a/very/long/path/to/article/number/%d", i)})
	}
	d := Render(r)
	checkLimits(t, d)
	fields := d.Embeds[0].Fields
	last := fields[len(fields)-1]
	if last.Name != "More" || !strings.Contains(last.Value, "All sources: `/agreement query:sources uganda`") {
		t.Errorf("last field = %+v, want a pointer to the sources command", last)
	}
	all := ""
	for _, f := range fields {
		all += f.Value + "\n"
	}
	if !regexp.MustCompile(`… and \d+ more sources`).MatchString(all) {
		t.Errorf("no \"… and N more sources\" line in:\n%s", all)
	}
	for _, f := range r.Fields {
		found := false
		for _, g := range fields {
			found = found || g.Name == f.Name
		}
		if !found {
			t.Errorf("field %q was dropped to make room for sources", f.Name)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, 3 words", "plain text, 3 words"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|sp\|\|`},
		{"[x](http://evil)", `\[x\]\(http\://evil\)`},
		{"@everyone and @here", "@\u200beveryone and @\u200bhere"},
		{"<@123> <#456> <t:1:R>", `\<@` + "\u200b" + `123\> \<#456\> \<t:1:R\>`},
		{"# heading\n- item\n> quote\n1. one\n-# small", "\\# heading\n\\- item\n\\> quote\n1\\. one\n\\-# small"},
		{"well-known #3 in 2025-08", "well-known #3 in 2025-08"},
		{"back\\slash", `back\\slash`},
		{"bidi\u202eevil\x00\x07", "bidievil"},
		// Every control bot.StripBidi removes, and nothing else: the
		// joiners of emoji sequences and Arabic names stay.
		{"a\u061cb\u200ec\u200fd\u202ae\u202bf\u202cg\u202dh\u2066i\u2067j\u2068k\u2069l", "abcdefghijkl"},
		{"👩\u200d💻 \u0645\u200c\u0646 x\u200by", "👩\u200d💻 \u0645\u200c\u0646 x\u200by"},
		{"tab\there", "tab here"},
		{"bad \xff utf8", "bad \ufffd utf8"},
	} {
		if got := esc(tc.in); got != tc.want {
			t.Errorf("esc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"abc", 3, "abc", false},
		{"abcd", 3, "ab…", true},
		{"a*b", 3, "a…", true}, // never half an escape
		{"a*b", 4, "a\\*b", false},
		{"😀😀", 3, "😀…", true}, // an emoji counts 2
		{"", 0, "", false},
		{"x", 0, "", true},
	} {
		got, cut := escClip(tc.in, tc.max)
		if got != tc.want || cut != tc.cut {
			t.Errorf("escClip(%q, %d) = %q, %v; want %q, %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
		}
	}
}

// escapeSlow is appendEscaped without its fast path for runs of plain
// ASCII: one character at a time, the obvious way. It is the oracle the
// fast path is checked against.
func escapeSlow(s string, max int) (string, int, bool) {
	var b []byte
	w := 0
	lineStart, digits := true, true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if invisible(r) {
			continue
		}
		escaped := false
		switch {
		case r < utf8.RuneSelf && strings.ContainsRune("\\*_~`|[]()<>@", r):
			escaped = true
		case r == '#' || r == '-' || r == '+':
			escaped = lineStart
		case r == '.':
			escaped = digits && !lineStart
		case r == ':':
			escaped = strings.HasPrefix(s[i:], "//")
		case r == '\t':
			r = ' '
		}
		pw := runeWidth(r)
		if escaped {
			pw = 2
		}
		if max >= 0 && w+pw > max {
			return string(b), w, false
		}
		w += pw
		switch {
		case r == '@':
			b = append(b, "@"+zwsp...)
		case escaped:
			b = append(b, '\\', byte(r))
		default:
			b = utf8.AppendRune(b, r)
		}
		switch {
		case r == '\n':
			lineStart, digits = true, true
		case r == ' ':
		case '0' <= r && r <= '9':
			lineStart = false
		default:
			lineStart, digits = false, false
		}
	}
	return string(b), w, true
}

func checkEscape(t *testing.T, s string, max int) {
	b, w, ok := appendEscaped([]byte("pre"), s, max)
	got := string(b[len("pre"):])
	want, ww, wok := escapeSlow(s, max)
	if got != want || w != ww || ok != wok {
		t.Fatalf("appendEscaped(%q, %d) = %q, %d, %v; the slow way %q, %d, %v", s, max, got, w, ok, want, ww, wok)
	}
	if w != width(got) || (max >= 0 && w > max) {
		t.Fatalf("appendEscaped(%q, %d) = %q: width %d, reported %d", s, max, got, width(got), w)
	}
	out, cw, _ := escClipWidth(s, max)
	if cw != width(out) || (max >= 0 && cw > max) {
		t.Fatalf("escClipWidth(%q, %d) = %q: width %d, reported %d", s, max, out, width(out), cw)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"plain text, 3 words", "# heading\n- item\n1. one", "a*b [x](http://evil) @everyone", "😀 é\xff\t\x00", "12.5 http://x 3.x"} {
		for _, max := range []int{-1, 0, 1, 5, 12, 100} {
			f.Add(s, max)
		}
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < -1 {
			max = -1
		}
		checkEscape(t, s, max)
	})
}

func TestLinkURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://example.org/a?b=c#d", "https://example.org/a?b=c#d", true},
		{"http://example.org/wiki/A_(b)", "http://example.org/wiki/A_%28b%29", true},
		{"https://example.org/a b", "https://example.org/a%20b", true},
		{"https://example.org/x)[y](https://evil", "https://example.org/x%29%5By%5D%28https://evil", true},
		{"javascript:alert(1)", "", false},
		{"ftp://example.org/", "", false},
		{"//example.org/", "", false},
		{"https://user:pw@example.org/", "", false},
		{"https://exämple.org/", "", false},
		{"https://[::1]/", "", false},
		{"", "", false},
		{"https://example.org/" + strings.Repeat("a", maxURL), "", false},
	} {
		got, ok := linkURL(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("linkURL(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// hostile strings put in every text of the generated replies.
var hostile = []string{
	"@everyone [x](http://evil) **b**",
	"@here <@123456789012345678> <@&1> <#2> ||spoiler||",
	"```code block``` `x` ~~gone~~ __under__",
	"# Heading\n> quote\n- list\n-# subtext\n1. ordered",
	"https://evil.example/phish",
	"\u202eevil\u202c \x00 \x1b[31m",
	"😀🇺🇬 combining é and 𝕏 astral",
	"back\\slash\\",
}

// hostileReply builds a reply with text of random length and content,
// large counts of everything, and hostile markup everywhere.
func hostileReply(rng *rand.Rand) bot.Reply {
	text := func() string {
		var b strings.Builder
		n := rng.IntN(6)
		if rng.IntN(40) == 0 {
			n = 100 + rng.IntN(200) // very long text: 3,000 to 9,000 characters
		}
		for range n {
			if rng.IntN(3) == 0 {
				b.WriteString(hostile[rng.IntN(len(hostile))])
			} else {
				b.WriteString("Lorem ipsum dolor sit amet ")
			}
		}
		return b.String()
	}
	count := func(max int) int {
		if rng.IntN(4) == 0 {
			return max
		}
		return rng.IntN(max/4 + 1)
	}
	statuses := []string{"", "signed", "received", "refused", text()}
	r := bot.Reply{
		Kind:       []bot.Kind{bot.KindCountry, bot.KindList, bot.KindSearch, bot.KindNotFound, bot.KindHelp}[rng.IntN(5)],
		Query:      text(),
		Visibility: bot.Visibility(rng.IntN(2)),
		Notice:     text(),
		Title:      text(),
		Status:     statuses[rng.IntN(len(statuses))],
		Disputed:   rng.IntN(2) == 0,
		Summary:    text(),
		AsOf:       text(),
	}
	for range count(40) {
		f := bot.Field{Name: text()}
		for range rng.IntN(8) {
			f.Items = append(f.Items, text())
		}
		r.Fields = append(r.Fields, f)
	}
	for range count(200) {
		r.Timeline = append(r.Timeline, bot.Event{Date: text(), Text: text()})
	}
	for i := range count(60) {
		r.Results = append(r.Results, bot.Result{Name: text(), Status: text(), Snippet: text(), Group: fmt.Sprint(i / 7)})
	}
	for range count(10) {
		r.Suggestions = append(r.Suggestions, bot.Suggestion{Name: text()})
	}
	urls := []string{"https://example.org/ok", "http://evil)/[x](y)", "javascript:alert(1)", "https://ex.org/" + strings.Repeat("p", 600), text()}
	for range count(60) {
		r.Sources = append(r.Sources, bot.Source{ID: text(), Outlet: text(), Title: text(), Date: text(), URL: urls[rng.IntN(len(urls))]})
	}
	for range rng.IntN(4) {
		r.More = append(r.More, bot.More{Label: text(), Command: text()})
	}
	return r
}

func TestRenderLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200
	if testing.Short() {
		n = 40
	}
	for i := range n {
		r := hostileReply(rng)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			checkLimits(t, Render(r))
		})
	}
	// The extremes on their own.
	r := hostileReply(rand.New(rand.NewPCG(3, 4)))
	long := strings.Repeat("@everyone [x](http://evil) **b** ", 500)
	r.Title, r.Summary, r.Notice, r.AsOf = long, long, long, long
	r.Fields = nil
	for range 40 {
		r.Fields = append(r.Fields, bot.Field{Name: long, Items: []string{long, long}})
	}
	checkLimits(t, Render(r))
}

// TestRenderStore renders every country and every command of the real
// store through the real engine.
func TestRenderStore(t *testing.T) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(store, bot.Options{Now: fixedNow})
	queries := []string{"", "help", "about", "list", "list paid", "list disputed", "list nonsense", "sources", "latest",
		"since 2025-01-01", "search children", "search deportees", "from cuba", "from venezuelans", "law", "court", "overview", "money",
		"france", "atlantis", "@everyone [x](http://evil) **b**"}
	for _, st := range knowledge.Statuses() {
		queries = append(queries, "list "+string(st))
	}
	for _, c := range store.Countries() {
		queries = append(queries, c.Name, "sources "+c.Name, "latest "+c.Name)
	}
	for _, q := range queries {
		r := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
		t.Run(q, func(t *testing.T) {
			checkLimits(t, Render(r))
		})
	}
}

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Uganda (signed)", 100, "Uganda (signed)"},
		{"a@b\nc\x00\u202e*", 100, "a@\u200bb c*"},
		{"abcdef", 4, "abc…"},
		{"ab😀", 3, "ab…"},
		{"ab😀", 4, "ab😀"},
	} {
		if got := plain(tc.in, tc.max); got != tc.want || width(got) > tc.max {
			t.Errorf("plain(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

// fixedNow is the clock of bots in golden tests, so the facts' age they
// show does not change from day to day.
func fixedNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

// TestInvisibleIsStripBidi checks that the characters the escaper drops,
// controls aside, are exactly those bot.StripBidi removes.
func TestInvisibleIsStripBidi(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		control := r < 0x20 && r != '\n' && r != '\t' || r == 0x7f
		if got, want := invisible(r), control || bot.IsBidiControl(r); got != want {
			t.Errorf("invisible(%U) = %v, want %v", r, got, want)
		}
	}
}

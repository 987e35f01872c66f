package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
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
		"country":      ugandaReply(), // the short card, as posted
		"country-full": ugandaFull(),  // the Full card button's answer
		"focused":      focusedReply(),
		"list":         listReply(), // page 1 of 3
		"list-page2":   listPage(2),
		"map":          mapReply(),
		"help":         helpReply(),
		"not_found":    notFoundReply(),
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
	checkComponents(t, raw)
	checkNoBidi(t, raw)
	for _, f := range data.Files {
		if f.Name != fileName(f.Name) || data.Embeds[0].Image == nil || data.Embeds[0].Image.URL != "attachment://"+f.Name {
			t.Errorf("file %q is not the embed's image %+v", f.Name, data.Embeds[0].Image)
		}
	}
}

// checkComponents fails t unless the components in a marshalled response
// are within Discord's limits: at most 5 action rows of 1 to 5 grey
// buttons, each with a label of 1 to 80 characters and a custom_id of 1 to
// 100, no custom_id twice.
func checkComponents(t *testing.T, raw []byte) {
	t.Helper()
	var d sentData
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(d.Components) > maxRows {
		t.Errorf("%d action rows, over %d", len(d.Components), maxRows)
	}
	seen := map[string]bool{}
	for _, row := range d.Components {
		if row.Type != discordgo.ActionsRowComponent || len(row.Components) < 1 || len(row.Components) > maxRowButtons {
			t.Errorf("action row of type %d with %d components", row.Type, len(row.Components))
		}
		for _, b := range row.Components {
			if b.Type != discordgo.ButtonComponent || b.Style != discordgo.SecondaryButton {
				t.Errorf("button %+v: want type 2, style 2", b)
			}
			if n := width(b.Label); n < 1 || n > maxLabel {
				t.Errorf("label %q is %d characters", b.Label, n)
			}
			if n := width(b.CustomID); n < 1 || n > maxCustomID || seen[b.CustomID] {
				t.Errorf("custom_id %q (%d characters) empty, too long or used twice", b.CustomID, n)
			}
			seen[b.CustomID] = true
		}
	}
}

// checkNoBidi fails t if any string in a marshalled response holds a
// bidirectional control.
func checkNoBidi(t *testing.T, raw []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if i := strings.IndexFunc(v, bot.IsBidiControl); i >= 0 {
				t.Errorf("a bidi control at %d in %q", i, v)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				walk(k)
				walk(x)
			}
		}
	}
	walk(v)
}

// visibleWidth is what people read of an embed: its texts without the
// backslashes of escapes, the targets of links and the zero-width spaces
// that defuse mentions.
func visibleWidth(e *discordgo.MessageEmbed) int {
	n := visible(e.Title) + visible(e.Description)
	for _, f := range e.Fields {
		n += visible(f.Name) + visible(f.Value)
	}
	if e.Footer != nil {
		n += width(strings.ReplaceAll(e.Footer.Text, zwsp, ""))
	}
	return n
}

func visible(s string) int {
	s = links.ReplaceAllString(s, "$1")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return width(strings.ReplaceAll(b.String(), zwsp, ""))
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
	d := Render(ugandaFull())
	e := d.Embeds[0]
	if want := "Uganda · signed (disputed)"; e.Title != want {
		t.Errorf("title = %q, want %q", e.Title, want)
	}
	if e.Color != statusColours["signed"] {
		t.Errorf("colour = %#x, want signed's %#x", e.Color, statusColours["signed"])
	}
	if want := "Facts as of 2026-03-14, 8 months ago.\nNewer reporting may exist: nothing after 2026-03-14 is covered.\nReport a wrong fact: https://github.com/agreementbot/agreementbot/issues"; e.Footer == nil || e.Footer.Text != want {
		t.Errorf("footer = %+v, want %q", e.Footer, want)
	}
	if d.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("flags = %d for a private reply", d.Flags)
	}
	if Render(ugandaReply()).Flags != 0 {
		t.Errorf("flags set on a public reply")
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
	r := ugandaFull()
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
	ob, cw, _ := appendEscClip(nil, s, max)
	if out := string(ob); cw != width(out) || (max >= 0 && cw > max) {
		t.Fatalf("appendEscClip(%q, %d) = %q: width %d, reported %d", s, max, out, width(out), cw)
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

// FuzzLinkURL checks linkURL's scan for plain URLs against the parse it
// saves: a URL it passes unchanged is one the parse returns unchanged.
func FuzzLinkURL(f *testing.F) {
	for _, s := range []string{"https://example.org/a?b=c#d", "http://example.org:8080/x", "https://example.org", "https://example.org:/x",
		"https://:80/x", "https:///x", "https://example.org:8a/", "https://Example.org/", "HTTPS://example.org/", "https://example.org/a%41",
		"https://example.org/a(b)", "https://ex.org/?q=a+b&c=d;e,f:g~h", "https://ex.org#a#b", "https://ex.org/a//b/../c", "https://ex.org?", "https://ex.org#",
		"https://a..b/", "https://-a-/", "https://1.2.3.4:0/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if len(raw) > maxURL || !plainLink(raw) {
			return
		}
		if got, ok := parsedLink(raw); !ok || got != raw {
			t.Fatalf("plainLink(%q) is true, but the parse gives %q, %v", raw, got, ok)
		}
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
	"\u2067\u061cleft\u200f\u200e\u2069 \u202a\u202b\u202d\u2066\u2068",
	"😀🇺🇬 combining é and 𝕏 astral",
	"back\\slash\\",
}

// randomRunes are runes a generated text picks from: every bidi control,
// the markdown and mention characters, line breaks, joiners, letters of
// other scripts and astral characters.
var randomRunes = []rune("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" +
	"\\*_~`|[]()<>#-+.:@/ \n\t\r\x00\x7f\u200b\u200c\u200d\u2028" +
	"aZ09éßمنشא中😀🇺\U0001d54f")

// hostileReply builds a reply with text of random length and content,
// large counts of everything, hostile markup and random runes everywhere,
// every kind, short or whole, with buttons and sometimes an image.
func hostileReply(rng *rand.Rand) bot.Reply {
	text := func() string {
		var b strings.Builder
		n := rng.IntN(6)
		if rng.IntN(40) == 0 {
			n = 100 + rng.IntN(200) // very long text: 3,000 to 9,000 characters
		}
		for range n {
			switch rng.IntN(4) {
			case 0:
				b.WriteString(hostile[rng.IntN(len(hostile))])
			case 1:
				for range 1 + rng.IntN(12) {
					if rng.IntN(8) == 0 {
						b.WriteRune(rune(rng.IntN(0x110000)))
					} else {
						b.WriteRune(randomRunes[rng.IntN(len(randomRunes))])
					}
				}
			default:
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
	kinds := []bot.Kind{bot.KindCountry, bot.KindTopic, bot.KindList, bot.KindSearch, bot.KindLatest, bot.KindSince, bot.KindFrom,
		bot.KindRanking, bot.KindSources, bot.KindNotFound, bot.KindHelp, bot.KindMap, bot.KindNoAgreement}
	r := bot.Reply{
		Kind:        kinds[rng.IntN(len(kinds))],
		Query:       text(),
		Visibility:  bot.Visibility(rng.IntN(2)),
		Notice:      text(),
		Title:       text(),
		Status:      statuses[rng.IntN(len(statuses))],
		Disputed:    rng.IntN(2) == 0,
		Summary:     text(),
		AsOf:        text(),
		Age:         text(),
		Stale:       rng.IntN(2) == 0,
		Corrections: text(),
		Full:        rng.IntN(3) == 0,
		Page:        rng.IntN(10) - 1,
		Key:         text(),
	}
	if rng.IntN(4) == 0 {
		r.Aspect = "money"
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
		r.Results = append(r.Results, bot.Result{Name: text(), Status: text(), Snippet: text(), Event: text(), Group: fmt.Sprint(i / 7)})
	}
	for range count(10) {
		r.Suggestions = append(r.Suggestions, bot.Suggestion{Name: text()})
	}
	for range count(6) {
		r.Highlights = append(r.Highlights, text())
	}
	urls := []string{"https://example.org/ok", "http://evil)/[x](y)", "javascript:alert(1)", "https://ex.org/" + strings.Repeat("p", 600), "https://ex.org/\u202e/x", text()}
	source := func() bot.Source {
		return bot.Source{ID: text(), Outlet: text(), Title: text(), Date: text(), URL: urls[rng.IntN(len(urls))], Low: rng.IntN(3) == 0}
	}
	for range count(60) {
		r.Sources = append(r.Sources, source())
	}
	for range count(5) {
		r.ShortSources = append(r.ShortSources, source())
	}
	values := []string{"v1:0db34b73:page:2:l//", "v1:0db34b73:timeline:c/UG", "", strings.Repeat("v", 101), "v1:\u202e0db34b73:card:c/UG"}
	for range count(30) {
		v := values[rng.IntN(len(values))]
		if rng.IntN(3) == 0 {
			v = text()
		}
		r.Buttons = append(r.Buttons, bot.Button{Label: text(), Action: bot.ActPage, Value: v})
	}
	for range rng.IntN(4) {
		r.More = append(r.More, bot.More{Label: text(), Command: text()})
	}
	if r.Kind == bot.KindMap || rng.IntN(10) == 0 {
		r.Image = &bot.Image{Name: text(), PNG: mapPNG(), Alt: text(), Path: text()}
	}
	return r
}

// TestRenderLimitsProperty renders generated replies: no bidi control and
// no unescaped markup or mention reaches the payload, every Discord limit
// holds, a short card stays within its budget and a page within its size.
func TestRenderLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 400
	if testing.Short() {
		n = 60
	}
	for i := range n {
		r := hostileReply(rng)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			checkRendered(t, r, Render(r))
		})
	}
	// The extremes on their own.
	r := hostileReply(rand.New(rand.NewPCG(3, 4)))
	long := strings.Repeat("@everyone [x](http://evil) **b** \u202e", 500)
	r.Title, r.Summary, r.Notice, r.AsOf, r.Age = long, long, long, long, long
	r.Fields, r.Highlights = nil, nil
	for range 40 {
		r.Fields = append(r.Fields, bot.Field{Name: long, Items: []string{long, long}})
		r.Highlights = append(r.Highlights, long)
	}
	for _, k := range []bot.Kind{bot.KindCountry, bot.KindList, bot.KindHelp} {
		for _, full := range []bool{false, true} {
			r.Kind, r.Full = k, full
			checkRendered(t, r, Render(r))
		}
	}
}

// checkRendered checks data rendered from r: every limit, and the short
// form's bounds.
func checkRendered(t *testing.T, r bot.Reply, data *discordgo.InteractionResponseData) {
	t.Helper()
	checkLimits(t, data)
	e := data.Embeds[0]
	switch {
	case r.ShortCard():
		if n := visibleWidth(e); n > shortBudget {
			t.Errorf("short card of %d visible characters, over %d", n, shortBudget)
		}
		if len(e.Fields) != 0 {
			t.Errorf("short card with %d fields", len(e.Fields))
		}
	case r.Paged():
		p, _ := pageOf(r)
		n, shown := len(r.Results), len(p.Results)
		if r.Kind == bot.KindSources {
			n, shown = len(r.Sources), len(p.Sources)
		}
		if shown > bot.PageSize || n > 0 && shown == 0 {
			t.Errorf("a page of %s shows %d of %d entries", r.Kind, shown, n)
		}
		if want := fmt.Sprintf("Page %d of %d", r.PageNumber(), r.Pages()); n > 0 && !strings.Contains(e.Description, want) {
			t.Errorf("a page of %s does not say %q: %q", r.Kind, want, e.Description)
		}
	}
}

// TestRenderStore renders every country, topic and command of the real
// store through the real engine, and the answer to every button under
// them: every limit holds, and every short card is within its budget. It
// logs the short cards' visible lengths.
func TestRenderStore(t *testing.T) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(store, bot.Options{Now: fixedNow, CorrectionsURL: "https://example.org/corrections"})
	queries := []string{"", "help", "about", "list", "list paid", "list disputed", "list nonsense", "sources", "latest",
		"since 2025-01-01", "since 2025-06-01", "search children", "search deportees", "from cuba", "from venezuelans", "law", "court", "overview", "money",
		"which countries received the most people", "how much did the US pay Eswatini", "list africa",
		"france", "atlantis", "@everyone [x](http://evil) **b**", "\u202euganda"}
	for _, st := range knowledge.Statuses() {
		queries = append(queries, "list "+string(st))
	}
	for _, c := range store.Countries() {
		queries = append(queries, c.Name, "sources "+c.Name, "latest "+c.Name)
	}
	for _, tp := range store.Topics() {
		queries = append(queries, tp.ID)
	}
	cardWidths := map[string]int{} // by answer key: each card once
	pressed := map[string]bool{}
	check := func(name string, r bot.Reply) {
		t.Run(name, func(t *testing.T) {
			data := Render(r)
			checkRendered(t, r, data)
			if r.ShortCard() {
				cardWidths[r.Key] = visibleWidth(data.Embeds[0])
			}
		})
	}
	ctx := context.Background()
	for _, q := range queries {
		r := b.Handle(ctx, bot.Query{Text: q, Platform: platform})
		check(q, r)
		for _, bt := range r.Buttons {
			if pressed[bt.Value] {
				continue
			}
			pressed[bt.Value] = true
			p := b.Handle(ctx, bot.Query{Button: bt.Value, Platform: platform})
			if p.Kind == bot.KindHelp {
				t.Errorf("%q: the %s button (%s) got help", q, bt.Label, bt.Value)
			}
			check(q+" > "+bt.Label, p)
			for _, next := range p.Buttons { // one more page
				if next.Label == "Next page" && !pressed[next.Value] {
					pressed[next.Value] = true
					check(q+" > "+bt.Label+" > "+next.Label, b.Handle(ctx, bot.Query{Button: next.Value, Platform: platform}))
				}
			}
		}
	}
	var countries []int
	for k, w := range cardWidths {
		if strings.HasPrefix(k, "c/") {
			countries = append(countries, w)
		}
	}
	if len(countries) != len(store.Countries()) {
		t.Fatalf("%d short cards for %d countries", len(countries), len(store.Countries()))
	}
	slices.Sort(countries)
	cards := slices.Sorted(maps.Values(cardWidths))
	t.Logf("short cards' visible characters (budget %d): %d countries min %d, median %d, max %d; with the topics, %d cards, min %d, median %d, max %d; %d buttons pressed",
		shortBudget, len(countries), countries[0], countries[len(countries)/2], countries[len(countries)-1],
		len(cards), cards[0], cards[len(cards)/2], cards[len(cards)-1], len(pressed))
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

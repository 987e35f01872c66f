package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

func storeBot(t *testing.T) *bot.Bot {
	t.Helper()
	return storeBotTB(t)
}

// storeBotTB is storeBot for benchmarks and fuzz tests.
func storeBotTB(t testing.TB) *bot.Bot {
	t.Helper()
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(store, bot.Options{Now: fixedNow, CorrectionsURL: "https://github.com/agreementbot/agreementbot/issues"})
}

// storeQueries are every country and every command of the real store,
// and some input that is not.
func storeQueries(b *bot.Bot) []string {
	queries := []string{"", "help", "about", "list", "list paid", "list disputed", "list nonsense", "list africa", "sources", "latest",
		"since 2025-01-01", "search children", "search deportees", "from cuba", "from venezuelans", "law", "court", "overview", "money",
		"france", "atlantis", "<!channel> & <@U123>", "\u202euganda", "how much did the us pay eswatini", "how many people went to eswatini",
		"ranking", "how many people were deported to third countries"}
	for _, st := range knowledge.Statuses() {
		queries = append(queries, "list "+string(st))
	}
	for _, c := range b.Store().Countries() {
		queries = append(queries, c.Name, "sources "+c.Name, "latest "+c.Name)
	}
	return queries
}

// TestRenderStore renders every country and every command of the real
// store through the real engine, and the answer to every button under
// them, and checks every Slack limit. Buttons are checked where they are
// rendered: value, action_id, text and count (checkMessage).
func TestRenderStore(t *testing.T) {
	b := storeBot(t)
	for _, q := range storeQueries(b) {
		r := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
		t.Run(q, func(t *testing.T) {
			checkMessage(t, r, Render(r))
			for _, bt := range r.Buttons {
				pr := b.Handle(context.Background(), bot.Query{Button: bt.Value, Platform: platform})
				if pr.Kind == bot.KindHelp {
					t.Errorf("button %q: %s", bt.Value, pr.Notice)
				}
				o := renderOpts{ephemeral: true}
				m, _ := renderJSON(pr, o)
				checkMessageOpts(t, pr, m, o)
			}
		})
	}
}

// TestShortFormStore: the short form of every country's and topic's card
// stays within its budget of visible characters; the figures are logged.
func TestShortFormStore(t *testing.T) {
	b := storeBot(t)
	var lens []int
	dropped := 0
	for _, q := range storeQueries(b) {
		r := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
		if formOf(r) != formCard {
			continue
		}
		n := visibleLen(Render(r))
		if n > shortBudget {
			t.Errorf("%q: short card of %d visible characters, budget %d", q, n, shortBudget)
		}
		if len(r.Highlights) > 0 && !strings.Contains(sectionTexts(Render(r)), "• ") {
			t.Errorf("%q: no highlight shown", q)
		}
		if strings.Contains(sectionTexts(Render(r)), "…and more on the full card") {
			dropped++
		}
		lens = append(lens, n)
	}
	slices.Sort(lens)
	if len(lens) < len(b.Store().Countries()) {
		t.Fatalf("%d short cards, want one for each of %d countries at least", len(lens), len(b.Store().Countries()))
	}
	t.Logf("%d short cards: visible characters min %d, median %d, max %d; %d left highlights for the full card",
		len(lens), lens[0], lens[len(lens)/2], lens[len(lens)-1], dropped)
}

// TestStoreGolden keeps the Block Kit of a few real answers in testdata, so
// reviewers see what Slack users see: a short card, the full card, a
// focused answer, a list's first and second pages.
func TestStoreGolden(t *testing.T) {
	b := storeBot(t)
	press := func(q, action string) bot.Reply {
		r := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
		for _, bt := range r.Buttons {
			if bt.Action == action {
				return b.Handle(context.Background(), bot.Query{Button: bt.Value, Platform: platform})
			}
		}
		t.Fatalf("%q has no %s button", q, action)
		return bot.Reply{}
	}
	ask := func(q string) bot.Reply {
		return b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
	}
	for name, r := range map[string]bot.Reply{
		"store-uganda":       ask("uganda"),
		"store-uganda-full":  press("uganda", bot.ActCard),
		"store-focused":      ask("how much did the us pay eswatini"),
		"store-list":         ask("list"),
		"store-list-page2":   press("list", bot.ActPage),
		"store-list-refused": ask("list refused"),
		"store-from-cuba":    ask("from cuba"),
		"store-did-you-mean": ask("congo"),
	} {
		t.Run(name, func(t *testing.T) {
			m := Render(r)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(m); err != nil {
				t.Fatal(err)
			}
			got := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(buf.String())
			testkit.Golden(t, filepath.Join("testdata", name+".golden.json"), []byte(got))
		})
	}
}

// fixedNow is the clock of bots in golden tests, so the facts' age they
// show does not change from day to day.
func fixedNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

// TestHTTPHelpShowsSlackUsage: help asked through the Slack adapter, of
// the real bot, starts with how to ask in Slack.
func TestHTTPHelpShowsSlackUsage(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	fx.h.answerer.h = storeBot(t)
	body := strings.Replace(docBody, "text=", "text=help", 1)
	w := fx.do(signedAt(time.Now(), CommandsPath, formType, body))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var m any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(texts(m), "\n")
	for _, line := range usage {
		if want, _ := escape(line, 1000, true); !strings.Contains(text, want) {
			t.Errorf("help does not show %q; it shows:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "How to ask here") {
		t.Errorf("help has no \"How to ask here\" heading:\n%s", text)
	}
}

// texts returns every string in a decoded JSON value.
func texts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, texts(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, texts(e)...)
		}
		return out
	}
	return nil
}

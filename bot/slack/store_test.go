package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

func storeBot(t *testing.T) *bot.Bot {
	t.Helper()
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(store, bot.Options{Now: fixedNow})
}

// TestRenderStore renders every country and every command of the real
// store through the real engine and checks every Slack limit.
func TestRenderStore(t *testing.T) {
	b := storeBot(t)
	queries := []string{"", "help", "about", "list", "list paid", "list disputed", "list nonsense", "sources", "latest",
		"since 2025-01-01", "search children", "search deportees", "from cuba", "from venezuelans", "law", "court", "overview", "money",
		"france", "atlantis", "<!channel> & <@U123>"}
	for _, st := range knowledge.Statuses() {
		queries = append(queries, "list "+string(st))
	}
	for _, c := range b.Store().Countries() {
		queries = append(queries, c.Name, "sources "+c.Name, "latest "+c.Name)
	}
	for _, q := range queries {
		r := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
		t.Run(q, func(t *testing.T) {
			checkMessage(t, r, Render(r))
		})
	}
}

// TestStoreGolden keeps the Block Kit of a few real answers in testdata, so
// reviewers see what Slack users see.
func TestStoreGolden(t *testing.T) {
	b := storeBot(t)
	for name, q := range map[string]string{"store-uganda": "uganda", "store-list-refused": "list refused", "store-from-cuba": "from cuba", "store-did-you-mean": "congo"} {
		t.Run(name, func(t *testing.T) {
			m := Render(b.Handle(context.Background(), bot.Query{Text: q, Platform: platform}))
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
	fx.h.h = storeBot(t)
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

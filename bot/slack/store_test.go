package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
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
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				os.WriteFile(path, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./bot/slack -update creates it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (go test ./bot/slack -update rewrites it)", q, path)
			}
		})
	}
}

// fixedNow is the clock of bots in golden tests, so the facts' age they
// show does not change from day to day.
func fixedNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

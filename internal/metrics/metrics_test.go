package metrics

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

func TestWrapCountsAndLogsOneLine(t *testing.T) {
	m := New(time.Now)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	kinds := map[string]bot.Reply{
		"uganda": {Kind: bot.KindCountry},
		"xyzzy":  {Kind: bot.KindNotFound},
		"list x": {Kind: bot.KindHelp, Notice: "bad"},
		"flood":  {Kind: bot.KindRateLimited},
	}
	h := m.Wrap(bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply { return kinds[q.Text] }), log)
	for q := range kinds {
		h.Handle(context.Background(), bot.Query{Text: q, Platform: "slack"})
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d log lines, want one per command:\n%s", len(lines), logs.String())
	}
	for q := range kinds {
		if strings.Contains(logs.String(), q) {
			t.Errorf("query %q logged at info level", q)
		}
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`agreementbot_commands_total{kind="country",outcome="ok",platform="slack"} 1`,
		`agreementbot_commands_total{kind="not_found",outcome="not_found",platform="slack"} 1`,
		`agreementbot_commands_total{kind="help",outcome="bad_input",platform="slack"} 1`,
		`agreementbot_commands_total{kind="rate_limited",outcome="rate_limited",platform="slack"} 1`,
		`agreementbot_answer_seconds_count{kind="country",platform="slack"} 1`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestDebugLogsTheQuery(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	New(time.Now).Wrap(bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return bot.Reply{Kind: bot.KindCountry} }), log).
		Handle(context.Background(), bot.Query{Text: "uganda", Platform: "discord"})
	if !strings.Contains(logs.String(), "query=uganda") {
		t.Errorf("debug log lacks the query: %s", logs.String())
	}
}

func TestHooks(t *testing.T) {
	m := New(time.Now)
	m.SignatureFailure("discord")
	m.RateLimited("slack", "user")
	m.Reconnect("slack")
	m.Connected("discord", true)
	m.Panic()
	m.Reload("error")
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`agreementbot_signature_failures_total{platform="discord"} 1`,
		`agreementbot_rate_limited_total{platform="slack",scope="user"} 1`,
		`agreementbot_reconnects_total{platform="slack"} 1`,
		`agreementbot_connected{platform="discord"} 1`,
		`agreementbot_panics_total 1`,
		`agreementbot_reloads_total{result="error"} 1`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestButtonPressesAreCounted(t *testing.T) {
	m := New(time.Now)
	log := slog.New(slog.DiscardHandler)
	h := m.Wrap(bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		if _, err := bot.ParseButton(q.Button); err != nil {
			return bot.Reply{Kind: bot.KindHelp, Notice: "not a button"}
		}
		return bot.Reply{Kind: bot.KindCountry}
	}), log)
	h.Handle(context.Background(), bot.Query{Platform: "discord", Button: "v1:0db34b73:timeline:c/UG"})
	h.Handle(context.Background(), bot.Query{Platform: "discord", Button: "v1:nonsense"})
	h.Handle(context.Background(), bot.Query{Platform: "discord", Text: "uganda"})
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`agreementbot_button_presses_total{action="timeline",outcome="ok",platform="discord"} 1`,
		`agreementbot_button_presses_total{action="invalid",outcome="bad_input",platform="discord"} 1`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if n := strings.Count(w.Body.String(), "agreementbot_button_presses_total{"); n != 2 {
		t.Errorf("%d button series, want 2 (a typed query is no press)", n)
	}
}

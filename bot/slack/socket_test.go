package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
)

// testLogger logs at debug level into a buffer shown when the test fails.
func testLogger(t testing.TB) *slog.Logger {
	return testLog(t).Logger()
}

// testLog is a log buffer shown when the test fails.
func testLog(t testing.TB) *testkit.LogBuffer {
	buf := new(testkit.LogBuffer)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", buf)
		}
	})
	return buf
}

// wire is a Slack message as it travels: the ack payload or the
// chat.postMessage fields.
type wire struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
	Blocks       []struct {
		Type string `json:"type"`
		Text *struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"text"`
	} `json:"blocks"`
}

func decodeWire(t testing.TB, b []byte) wire {
	t.Helper()
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return w
}

// header returns the text of the message's header block.
func (w wire) header() string {
	for _, b := range w.Blocks {
		if b.Type == "header" && b.Text != nil {
			return b.Text.Text
		}
	}
	return ""
}

// sections returns the text of every section block, joined.
func (w wire) sections() string {
	var s []string
	for _, b := range w.Blocks {
		if b.Type == "section" && b.Text != nil {
			s = append(s, b.Text.Text)
		}
	}
	return strings.Join(s, "\n")
}

type hookCounts struct {
	up, down, reconnects, answered, sigFailures atomic.Int32
}

func (h *hookCounts) hooks() Hooks {
	return Hooks{
		SignatureFailure: func() { h.sigFailures.Add(1) },
		Reconnect:        func() { h.reconnects.Add(1) },
		Connected: func(up bool) {
			if up {
				h.up.Add(1)
			} else {
				h.down.Add(1)
			}
		},
		Answered: func(kind string, outcome bot.Outcome, d time.Duration) {
			if outcome == "ok" && kind != "" && d >= 0 {
				h.answered.Add(1)
			}
		},
	}
}

// startSocketMode runs a SocketMode against the fake until the test ends.
func startSocketMode(t *testing.T, f *fakeSlack, cfg Config, h bot.Handler) (stop func() error) {
	t.Helper()
	sm, err := NewSocketMode(cfg, h)
	if err != nil {
		t.Fatalf("NewSocketMode: %v", err)
	}
	sm.answerer.hc.Transport = f.transport() // response_urls reach the fake, and nothing else
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- sm.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(waitLong):
				runErr = errors.New("Run did not return after cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestSocketMode(t *testing.T) {
	f := newFakeSlack(t)
	rec := new(recorder)
	var hc hookCounts
	cfg := f.config()
	cfg.Hooks = hc.hooks()
	stop := startSocketMode(t, f, cfg, rec)
	c1 := f.nextConn(t)

	t.Run("slash command answered in the ack", func(t *testing.T) {
		c1.send(slashEnvelope("env-1", "uganda"))
		a := c1.nextAck(t)
		if a.EnvelopeID != "env-1" {
			t.Fatalf("ack envelope_id = %q, want env-1", a.EnvelopeID)
		}
		w := decodeWire(t, a.Payload)
		if w.ResponseType != "in_channel" || w.header() != "Echo · signed" || !strings.Contains(w.sections(), "You asked: uganda") {
			t.Errorf("ack payload = %s", a.Payload)
		}
		want := bot.Query{Text: "uganda", Platform: "slack", Team: fakeTeam, User: fakeAsker}
		if got := rec.last(t); !reflect.DeepEqual(got, want) {
			t.Errorf("query = %+v, want %+v", got, want)
		}
		if len(a.Payload) >= maxAckBytes {
			t.Errorf("ack payload is %d bytes", len(a.Payload))
		}
	})

	t.Run("hostile text is escaped, private replies are ephemeral", func(t *testing.T) {
		// Slack escapes what the user typed: "<!channel> & <@U123> help".
		c1.send(slashEnvelope("env-2", "&lt;!channel&gt; &amp; &lt;@U123&gt; help"))
		a := c1.nextAck(t)
		if got := rec.last(t).Text; got != "<!channel> & <@U123> help" {
			t.Errorf("query text = %q", got)
		}
		w := decodeWire(t, a.Payload)
		if w.ResponseType != "ephemeral" {
			t.Errorf("response_type = %q, want ephemeral", w.ResponseType)
		}
		all := w.Text + w.sections()
		for _, bad := range []string{"<!channel>", "<@U123>", " & "} {
			if strings.Contains(all, bad) {
				t.Errorf("payload contains %q unescaped: %s", bad, a.Payload)
			}
		}
		if !strings.Contains(w.sections(), "&lt;!channel&gt; &amp; &lt;@U123&gt;") {
			t.Errorf("payload does not echo the escaped text: %s", a.Payload)
		}
	})

	t.Run("mention answered in its thread", func(t *testing.T) {
		c1.send(eventEnvelope("env-3", "Ev001", 0, mentionEvent("<@U0BOT> uganda", "1700000000.000100")))
		if a := c1.nextAck(t); a.EnvelopeID != "env-3" || len(a.Payload) != 0 {
			t.Errorf("ack = %+v, want env-3 without payload", a)
		}
		p := f.nextPost(t)
		if p.method != "chat.postMessage" || p.form.Get("channel") != fakeChannel || p.form.Get("thread_ts") != "1700000000.000100" {
			t.Errorf("post = %s %v", p.method, p.form)
		}
		if !strings.Contains(p.form.Get("text"), "You asked: uganda") || p.form.Get("unfurl_links") != "false" {
			t.Errorf("post = %v", p.form)
		}
		w := decodeWire(t, []byte(`{"blocks":`+p.form.Get("blocks")+`}`))
		if w.header() != "Echo · signed" {
			t.Errorf("blocks = %s", p.form.Get("blocks"))
		}
		want := bot.Query{Text: "uganda", Platform: "slack", Team: fakeTeam, User: fakeAsker}
		if got := rec.last(t); !reflect.DeepEqual(got, want) {
			t.Errorf("query = %+v, want %+v", got, want)
		}
	})

	t.Run("retried event answered once; DM answered in thread", func(t *testing.T) {
		c1.send(eventEnvelope("env-4", "Ev001", 1, mentionEvent("<@U0BOT> uganda", "1700000000.000100")))
		c1.nextAck(t)
		c1.send(eventEnvelope("env-5", "Ev002", 0, dmEvent("/agreement kenya", "1700000001.000100")))
		c1.nextAck(t)
		p := f.nextPost(t)
		if p.form.Get("channel") != fakeDM || p.form.Get("thread_ts") != "1700000001.000100" {
			t.Errorf("post = %s %v, want the DM answer", p.method, p.form)
		}
		if got := rec.last(t).Text; got != "/agreement kenya" {
			t.Errorf("query text = %q", got)
		}
		// Had the retry been answered, its answer would have come first,
		// or be left over when Run has returned (checked at the end).
	})

	t.Run("own, bot, edited and channel messages ignored", func(t *testing.T) {
		own := dmEvent("uganda", "1700000002.000100")
		own["user"] = fakeBotUser
		fromBot := dmEvent("uganda", "1700000003.000100")
		fromBot["bot_id"] = "B0OTHER"
		fromBot["subtype"] = "bot_message"
		edited := dmEvent("uganda", "1700000004.000100")
		edited["subtype"] = "message_changed"
		inChannel := dmEvent("uganda", "1700000005.000100")
		inChannel["channel_type"] = "channel"
		inChannel["channel"] = fakeChannel
		botMention := mentionEvent("<@U0BOT> uganda", "1700000006.000100")
		botMention["bot_id"] = "B0OTHER"
		before := rec.count()
		for i, ev := range []map[string]any{own, fromBot, edited, inChannel, botMention} {
			c1.send(eventEnvelope("env-ign", "EvIgn"+string(rune('a'+i)), 0, ev))
			c1.nextAck(t)
		}
		// A question after them is the next thing posted.
		c1.send(eventEnvelope("env-6", "Ev003", 0, mentionEvent("<@U0BOT> help", "1700000007.000100")))
		c1.nextAck(t)
		p := f.nextPost(t)
		if p.method != "chat.postEphemeral" || p.form.Get("user") != fakeAsker || p.form.Get("thread_ts") != "1700000007.000100" {
			t.Errorf("post = %s %v, want an ephemeral answer to the asker in the thread", p.method, p.form)
		}
		if got := rec.count() - before; got != 1 {
			t.Errorf("handler called %d times, want 1", got)
		}
	})

	t.Run("what slack-go cannot parse is acknowledged and ignored", func(t *testing.T) {
		c1.send(eventEnvelope("env-unk", "EvUnk", 0, map[string]any{"type": "x_unknown_event", "ts": "1.2"}))
		if a := c1.nextAck(t); a.EnvelopeID != "env-unk" || len(a.Payload) != 0 {
			t.Errorf("ack = %+v, want env-unk without payload", a)
		}
		c1.send(`{"envelope_id":"env-new","type":"x_new_envelope_type","payload":{}}`)
		if a := c1.nextAck(t); a.EnvelopeID != "env-new" || len(a.Payload) != 0 {
			t.Errorf("ack = %+v, want env-new without payload", a)
		}
	})

	t.Run("reconnects after the connection drops", func(t *testing.T) {
		c1.drop()
		c2 := f.nextConn(t)
		c2.send(slashEnvelope("env-7", "rwanda"))
		if a := c2.nextAck(t); a.EnvelopeID != "env-7" || !strings.Contains(string(a.Payload), "You asked: rwanda") {
			t.Errorf("ack after reconnect = %s %s", a.EnvelopeID, a.Payload)
		}

		t.Run("and after a disconnect envelope", func(t *testing.T) {
			c2.send(`{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-fake"}}`)
			c3 := f.nextConn(t)
			c3.send(slashEnvelope("env-8", "ecuador"))
			if a := c3.nextAck(t); a.EnvelopeID != "env-8" || !strings.Contains(string(a.Payload), "You asked: ecuador") {
				t.Errorf("ack after refresh = %s %s", a.EnvelopeID, a.Payload)
			}
		})
	})

	// Run returns only once every answer it started is done, so the
	// counts below are final: nothing is waited for.
	if err := stop(); err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	f.noPosts(t)
	if n := rec.count(); n != 7 {
		t.Errorf("handler called %d times, want 7", n)
	}
	if up, rc := hc.up.Load(), hc.reconnects.Load(); up != 3 || rc != 2 {
		t.Errorf("hooks: connected(true) %d times, reconnect %d times; want 3 and 2", up, rc)
	}
	if hc.down.Load() != 3 {
		t.Errorf("hooks: connected(false) %d times, want 3", hc.down.Load())
	}
	if n := hc.answered.Load(); n != 7 {
		t.Errorf("hooks: answered %d times, want 7", n)
	}
}

// TestSocketModeReusesRenderedAnswers: over Socket Mode too, a slash
// command's answer with a cache key is rendered once and its bytes reused
// for the same key; the handler runs every time.
func TestSocketModeReusesRenderedAnswers(t *testing.T) {
	f := newFakeSlack(t)
	var calls atomic.Int32
	startSocketMode(t, f, f.config(), bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		n := calls.Add(1)
		return bot.Reply{Kind: bot.KindCountry, Title: "Call " + strconv.Itoa(int(n)), Summary: q.Text, CacheKey: q.Text}
	}))
	c := f.nextConn(t)
	ack := func(env, text string) string {
		c.send(slashEnvelope(env, text))
		a := c.nextAck(t)
		if a.EnvelopeID != env {
			t.Fatalf("ack envelope_id = %q, want %s", a.EnvelopeID, env)
		}
		return string(a.Payload)
	}
	first, again, other := ack("env-1", "a"), ack("env-2", "a"), ack("env-3", "b")
	if first != again || !strings.Contains(again, "Call 1") {
		t.Errorf("the same key rendered anew:\n%s\n%s", first, again)
	}
	if other == first || !strings.Contains(other, "Call 3") || calls.Load() != 3 {
		t.Errorf("another key reused an answer, or the handler was skipped (%d calls):\n%s", calls.Load(), other)
	}
}

// Without pings from Slack, the link counts as dead and is replaced. The
// fake's pings keep the other links alive, but a loaded machine can still
// starve one of them: a command sent on a link that dies before it is
// acknowledged is sent again on the next one, as Slack would.
func TestSocketModeReconnectsWhenPingsStop(t *testing.T) {
	f := newFakeSlack(t)
	cfg := f.config()
	cfg.PingInterval = 300 * time.Millisecond
	startSocketMode(t, f, cfg, new(recorder))
	c1 := f.nextConn(t)
	c1.noPings.Store(true)
	select {
	case <-c1.done: // the bot gave up on the silent link and closed it
	case <-time.After(waitLong):
		t.Fatal("the link without pings was not closed")
	}
	for {
		c := f.nextConn(t)
		c.send(slashEnvelope("env-1", "uganda"))
		select {
		case a := <-c.acks:
			if a.EnvelopeID != "env-1" {
				t.Errorf("ack = %+v", a)
			}
			return
		case <-c.done:
			t.Log("link replaced before the ack; sending again on the next one")
		case <-time.After(waitLong):
			t.Fatal("no ack on the new link")
		}
	}
}

func TestSocketModeFatalAuth(t *testing.T) {
	for _, tc := range []struct {
		name               string
		openError, authErr string
		appToken           string
		want               string
	}{
		{name: "invalid_auth", openError: "invalid_auth", want: "invalid_auth"},
		{name: "revoked", openError: "token_revoked", want: "token_revoked"},
		{name: "wrong app token", appToken: "xapp-1-someone-else", want: "invalid_auth"},
		// slack-go retries this one for ever; the bot must not.
		{name: "not_allowed_token_type", openError: "not_allowed_token_type", want: "not_allowed_token_type"},
		{name: "bad bot token", authErr: "invalid_auth", want: "auth.test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSlack(t)
			f.openError, f.authError = tc.openError, tc.authErr
			cfg := f.config()
			if tc.appToken != "" {
				cfg.AppToken = tc.appToken
			}
			sm, err := NewSocketMode(cfg, new(recorder))
			if err != nil {
				t.Fatal(err)
			}
			errc := make(chan error, 1)
			go func() { errc <- sm.Run(context.Background()) }()
			select {
			case err := <-errc:
				if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Run = %v, want ErrAuth mentioning %q", err, tc.want)
				}
			case <-time.After(waitLong):
				t.Fatal("Run did not return on a rejected token")
			}
		})
	}
}

// Cancelling while Slack cannot be reached returns nil, even while the
// client waits to try again.
func TestSocketModeCancelWhileUnreachable(t *testing.T) {
	log := testLog(t)
	cfg := Config{BotToken: fakeBotToken, AppToken: fakeAppToken, APIURL: "http://127.0.0.1:1/api/", Logger: log.Logger()}
	sm, err := NewSocketMode(cfg, new(recorder))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- sm.Run(ctx) }()
	waitFor(t, "a failed connection attempt", func() bool { return log.Contains("cannot connect; retrying") })
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(waitLong):
		t.Fatal("Run did not return after cancel")
	}
}

// waitFor polls cond until it holds, failing the test after waitLong.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", waitLong, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestNewSocketModeChecksConfig(t *testing.T) {
	for _, tc := range []struct {
		bot, app string
		h        bot.Handler
		want     string // "" for success
	}{
		{fakeBotToken, fakeAppToken, new(recorder), ""},
		{"", fakeAppToken, new(recorder), "bot token is empty"},
		{fakeBotToken, "", new(recorder), "app token is empty"},
		{fakeAppToken, fakeBotToken, new(recorder), "bot token must start with xoxb-; app token must start with xapp-"},
		{fakeBotToken, fakeAppToken, nil, "no handler"},
	} {
		_, err := NewSocketMode(Config{BotToken: tc.bot, AppToken: tc.app}, tc.h)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("NewSocketMode(%q, %q) = %v, want nil", tc.bot, tc.app, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("NewSocketMode(%q, %q) = %v, want %q", tc.bot, tc.app, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "fake-bot") || strings.Contains(err.Error(), "fake-app")) {
			t.Errorf("error %q shows a token", err)
		}
	}
}

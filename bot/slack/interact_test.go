package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// pressAt says where a pressed message is and how Slack describes it.
type pressAt struct {
	channel     string
	messageTS   string
	threadTS    string // the thread the message is in, "" when it is in none
	ephemeral   bool   // the presser's own ephemeral message
	responseURL string
}

// blockActions is a block_actions interaction as Slack sends it for a
// press of a button. An ephemeral message comes without "message".
func blockActions(actionID, value string, at pressAt) map[string]any {
	container := map[string]any{"type": "message", "message_ts": at.messageTS, "channel_id": at.channel, "is_ephemeral": at.ephemeral}
	p := map[string]any{
		"type":                  "block_actions",
		"user":                  map[string]any{"id": fakeAsker, "username": "reporter", "name": "reporter", "team_id": fakeTeam},
		"api_app_id":            "A0FAKE",
		"token":                 "XXYYZZ",
		"container":             container,
		"trigger_id":            "1.2.3",
		"team":                  map[string]any{"id": fakeTeam, "domain": "newsroom"},
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": at.channel, "name": "desk"},
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          at.responseURL,
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": buttonsBlockID, "value": value, "type": "button", "action_ts": "1700000100.000100",
			"text": map[string]any{"type": "plain_text", "text": "A button", "emoji": true},
		}},
	}
	if at.ephemeral {
		if at.threadTS != "" {
			container["thread_ts"] = at.threadTS
		}
		return p
	}
	msg := map[string]any{"type": "message", "subtype": "bot_message", "text": "Uganda", "ts": at.messageTS, "bot_id": "B0BOT", "user": fakeBotUser}
	if at.threadTS != "" {
		msg["thread_ts"] = at.threadTS
	}
	p["message"] = msg
	return p
}

// interactiveEnvelope carries an interaction over Socket Mode.
func interactiveEnvelope(envelopeID string, payload map[string]any) string {
	b, _ := json.Marshal(map[string]any{"envelope_id": envelopeID, "type": "interactive", "payload": payload, "accepts_response_payload": false})
	return string(b)
}

// interaction is an interaction POSTed to /slack/interactions, signed now.
func interaction(payload map[string]any) request {
	b, _ := json.Marshal(payload)
	return signedAt(time.Now(), InteractionsPath, formType, url.Values{"payload": {string(b)}}.Encode())
}

// buttonsOf returns the buttons of a rendered message, as Slack shows
// them and sends them back.
func buttonsOf(m Message) []*slack.ButtonBlockElement {
	var out []*slack.ButtonBlockElement
	for _, b := range m.Blocks {
		if ab, ok := b.(*slack.ActionBlock); ok {
			for _, e := range ab.Elements.ElementSet {
				if bt, ok := e.(*slack.ButtonBlockElement); ok {
					out = append(out, bt)
				}
			}
		}
	}
	return out
}

// hookMsg decodes what was posted to a response_url into a Message, with
// slack-go's block types, for checkMessage.
func hookMsg(t testing.TB, h fakeHook) Message {
	t.Helper()
	var blocks slack.Blocks
	if len(h.msg.Blocks) > 0 {
		if err := json.Unmarshal(h.msg.Blocks, &blocks); err != nil {
			t.Fatalf("blocks posted to %s do not decode: %v\n%s", h.path, err, h.raw)
		}
	}
	return Message{ResponseType: h.msg.ResponseType, Text: h.msg.Text, Blocks: blocks.BlockSet}
}

// postMsg decodes a chat.postEphemeral or chat.postMessage into a Message.
func postMsg(t testing.TB, p fakePost) Message {
	t.Helper()
	var blocks slack.Blocks
	if err := json.Unmarshal([]byte(p.form.Get("blocks")), &blocks); err != nil {
		t.Fatalf("blocks posted with %s do not decode: %v", p.method, err)
	}
	return Message{ResponseType: "ephemeral", Text: p.form.Get("text"), Blocks: blocks.BlockSet}
}

func headerOf(m Message) string {
	for _, b := range m.Blocks {
		if h, ok := b.(*slack.HeaderBlock); ok {
			return h.Text.Text
		}
	}
	return ""
}

// presser presses buttons over one transport and returns what the
// fake received.
type presser struct {
	name  string
	fake  *fakeSlack
	press func(t *testing.T, payload map[string]any)
	drain func()
}

// transports runs f over Socket Mode and over HTTP, with h answering.
func transports(t *testing.T, h bot.Handler, f func(t *testing.T, p presser)) {
	t.Run("socket", func(t *testing.T) {
		fake := newFakeSlack(t)
		startSocketMode(t, fake, fake.config(), h)
		conn := fake.nextConn(t)
		n := 0
		f(t, presser{name: "socket", fake: fake, press: func(t *testing.T, payload map[string]any) {
			t.Helper()
			n++
			id := "env-press-" + string(rune('a'+n%26)) + time.Now().Format("150405.000000")
			conn.send(interactiveEnvelope(id, payload))
			if a := conn.nextAck(t); a.EnvelopeID != id || len(a.Payload) != 0 {
				t.Fatalf("ack = %+v, want %s without payload", a, id)
			}
		}, drain: func() {}})
	})
	t.Run("http", func(t *testing.T) {
		fx := newHTTPFixture(t, docSecret)
		fx.h.answerer.h = h
		f(t, presser{name: "http", fake: fx.fake, press: func(t *testing.T, payload map[string]any) {
			t.Helper()
			w := fx.do(interaction(payload))
			if w.Code != http.StatusOK || w.Body.Len() != 0 {
				t.Fatalf("interaction: %d %q, want an empty 200", w.Code, w.Body)
			}
		}, drain: fx.h.drain})
	})
}

// TestInteractStoreButtons presses every button of a country card, a list
// and a search, answered by the real bot, over Socket Mode and HTTP: on a
// public message each answer is a new ephemeral message through the
// response_url, within Slack's limits; in a thread it is chat.postEphemeral
// in that thread; a page turned on the presser's own ephemeral page
// replaces it; a tampered value gets the polite private reply.
func TestInteractStoreButtons(t *testing.T) {
	b := storeBot(t)
	transports(t, b, func(t *testing.T, p presser) {
		hook := "https://hooks.slack.com/actions/T0FAKE/1/secret" // reaches the fake through its transport
		if p.name == "http" {
			hook = p.fake.hookURL("actions/T0FAKE/2/secret") // on SLACK_API_URL's host
		}
		public := pressAt{channel: fakeChannel, messageTS: "1700000000.000100", responseURL: hook}
		for _, q := range []string{"uganda", "list", "search deportees"} {
			asked := b.Handle(context.Background(), bot.Query{Text: q, Platform: platform})
			buttons := buttonsOf(Render(asked))
			if len(buttons) < 2 {
				t.Fatalf("%q has %d buttons", q, len(buttons))
			}
			for _, bt := range buttons {
				want := b.Handle(context.Background(), bot.Query{Button: bt.Value, Platform: platform})
				p.press(t, blockActions(bt.ActionID, bt.Value, public))
				h := p.fake.nextHook(t)
				if h.msg.ResponseType != "ephemeral" || h.msg.ReplaceOriginal || h.msg.DeleteOriginal {
					t.Errorf("%q %s: posted %s, want a new ephemeral message", q, bt.ActionID, h.raw)
				}
				m := hookMsg(t, h)
				checkMessageOpts(t, want, m, renderOpts{ephemeral: true})
				if got, wantHeader := headerOf(m), headerOf(Render(want)); got != wantHeader || got == "" {
					t.Errorf("%q %s: header %q, want %q", q, bt.ActionID, got, wantHeader)
				}
				if want.Kind == bot.KindHelp {
					t.Errorf("%q %s: the bot did not know its own button: %s", q, bt.ActionID, want.Notice)
				}
			}
		}

		// In a thread: chat.postEphemeral there, to the presser alone.
		card := buttonsOf(Render(b.Handle(context.Background(), bot.Query{Text: "uganda", Platform: platform})))
		inThread := pressAt{channel: fakeChannel, messageTS: "1700000000.000300", threadTS: "1700000000.000200", responseURL: hook}
		p.press(t, blockActions(card[0].ActionID, card[0].Value, inThread))
		post := p.fake.nextPost(t)
		if post.method != "chat.postEphemeral" || post.form.Get("channel") != fakeChannel || post.form.Get("user") != fakeAsker ||
			post.form.Get("thread_ts") != "1700000000.000200" {
			t.Errorf("press in a thread: %s %v, want chat.postEphemeral in the thread", post.method, post.form)
		}
		if got := headerOf(postMsg(t, post)); got != "Uganda: timeline · signed (disputed)" {
			t.Errorf("press in a thread answered %q", got)
		}

		// The first message of a thread is in the channel: response_url.
		parent := pressAt{channel: fakeChannel, messageTS: "1700000000.000200", threadTS: "1700000000.000200", responseURL: hook}
		p.press(t, blockActions(card[0].ActionID, card[0].Value, parent))
		if h := p.fake.nextHook(t); h.msg.ResponseType != "ephemeral" || h.msg.ReplaceOriginal {
			t.Errorf("press on a thread's first message: %s", h.raw)
		}

		// Turning the page of one's own ephemeral list replaces it.
		list := b.Handle(context.Background(), bot.Query{Text: "list", Platform: platform})
		next := buttonsOf(Render(list))[0]
		if next.ActionID != "agreementbot.page.next" {
			t.Fatalf("first button of a list is %s", next.ActionID)
		}
		own := pressAt{channel: fakeChannel, messageTS: "1700000000.000400", ephemeral: true, responseURL: hook}
		p.press(t, blockActions(next.ActionID, next.Value, own))
		h := p.fake.nextHook(t)
		if h.msg.ResponseType != "ephemeral" || !h.msg.ReplaceOriginal {
			t.Errorf("next page on one's own ephemeral page: %s, want replace_original", h.raw)
		}
		page2 := hookMsg(t, h)
		if !strings.Contains(visibleText(page2), "Page 2 of 6") {
			t.Errorf("next page shows:\n%s", visibleText(page2))
		}
		// Its buttons turn pages too, in place again.
		prev := buttonsOf(page2)[0]
		p.press(t, blockActions(prev.ActionID, prev.Value, own))
		if h := p.fake.nextHook(t); !h.msg.ReplaceOriginal || !strings.Contains(visibleText(hookMsg(t, h)), "Page 1 of 6") {
			t.Errorf("previous page: %s", h.raw)
		}
		// Other buttons on one's own ephemeral message add a message.
		all := buttonsOf(Render(list))[1]
		p.press(t, blockActions(all.ActionID, all.Value, own))
		if h := p.fake.nextHook(t); h.msg.ReplaceOriginal {
			t.Errorf("full list replaced the page: %s", h.raw)
		}

		// A tampered value: the polite private reply, never the channel.
		for _, v := range []string{"v1:0db34b73:card:c/XX<!channel>", "v1:zzzzzzzz:card:c/UG", strings.Repeat("v", 3000), "\u202ev1:0db34b73:card:c/UG"} {
			p.press(t, blockActions("agreementbot.card", v, public))
			h := p.fake.nextHook(t)
			m := hookMsg(t, h)
			if h.msg.ResponseType != "ephemeral" || h.msg.ReplaceOriginal || !strings.Contains(visibleText(m), "That button is not one of mine") {
				t.Errorf("tampered %q: %s", v, h.raw)
			}
			if strings.Contains(string(h.raw), "<!channel>") {
				t.Errorf("tampered value echoed: %s", h.raw)
			}
		}
		p.drain()
		p.fake.noHooks(t)
		p.fake.noPosts(t)
	})
}

// visibleText is the text m shows, for tests that look for words.
func visibleText(m Message) string {
	var b strings.Builder
	for _, bl := range m.Blocks {
		switch bl := bl.(type) {
		case *slack.HeaderBlock:
			b.WriteString(bl.Text.Text + "\n")
		case *slack.SectionBlock:
			if bl.Text != nil {
				b.WriteString(bl.Text.Text + "\n")
			}
			for _, f := range bl.Fields {
				b.WriteString(f.Text + "\n")
			}
		case *slack.ContextBlock:
			for _, e := range bl.ContextElements.Elements {
				if tb, ok := e.(*slack.TextBlockObject); ok {
					b.WriteString(tb.Text + "\n")
				}
			}
		}
	}
	return b.String()
}

// TestInteractStub: with a stub bot, a press reaches the handler as the
// button's raw value with the presser's team and user; its answer is
// ephemeral even when the handler says public; an interaction that is no
// press of the bot's buttons is acknowledged and nothing else.
func TestInteractStub(t *testing.T) {
	rec := new(recorder)
	transports(t, rec, func(t *testing.T, p presser) {
		before := rec.count() // the transports share the recorder
		hook := p.fake.hookURL("actions/T0FAKE/3/x")
		at := pressAt{channel: fakeChannel, messageTS: "1700000000.000100", responseURL: hook}
		p.press(t, blockActions("agreementbot.card", "v1:0db34b73:card:c/UG", at))
		h := p.fake.nextHook(t)
		if h.msg.ResponseType != "ephemeral" || !strings.Contains(visibleText(hookMsg(t, h)), "You asked: ") {
			t.Errorf("answer: %s", h.raw)
		}
		want := bot.Query{Button: "v1:0db34b73:card:c/UG", Platform: platform, Team: fakeTeam, User: fakeAsker}
		if got := rec.last(t); !reflect.DeepEqual(got, want) {
			t.Errorf("query = %+v, want %+v", got, want)
		}
		// Not ours, or not a press: acknowledged, not answered.
		other := blockActions("someone.else", "x", at)
		noValue := blockActions("agreementbot.card", "", at)
		shortcut := map[string]any{"type": "shortcut", "callback_id": "x", "trigger_id": "1.2", "user": map[string]any{"id": fakeAsker}, "team": map[string]any{"id": fakeTeam}}
		viewClosed := map[string]any{"type": "view_closed", "user": map[string]any{"id": fakeAsker}, "view": map[string]any{"id": "V1"}}
		for _, payload := range []map[string]any{other, noValue, shortcut, viewClosed} {
			p.press(t, payload)
		}
		p.drain()
		// Socket Mode answers in the background: one more press, answered,
		// shows that the ones before it were not.
		p.press(t, blockActions("agreementbot.timeline", "v1:0db34b73:timeline:c/UG", at))
		p.fake.nextHook(t)
		p.drain()
		p.fake.noHooks(t)
		if n := rec.count() - before; n != 2 {
			t.Errorf("handler called %d times, want 2", n)
		}
	})
}

// TestInteractResponseURLRefused: a response_url that is not Slack's (nor
// SLACK_API_URL's host) is never posted to; the log says why in fixed
// words, without the address.
func TestInteractResponseURLRefused(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	for _, u := range []string{
		"https://evil.example/hooks/x", "http://hooks.slack.com/actions/x", "https://hooks.slack.com.evil.example/x",
		"https://user@hooks.slack.com/x", "https://hooks.slack.com:8443/x", "", "hooks.slack.com/actions/x",
		"javascript:alert(1)", "https://127.0.0.1:1/x", strings.Replace(fx.fake.hookURL("x"), "http:", "https:", 1),
	} {
		w := fx.do(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG", pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: u})))
		if w.Code != http.StatusOK {
			t.Fatalf("%q: status %d", u, w.Code)
		}
	}
	fx.h.drain()
	fx.fake.noHooks(t)
	fx.fake.noPosts(t)
	log := fx.logged()
	if n := strings.Count(log, reasonResponseURL); n != 10 {
		t.Errorf("%d refusals logged, want 10:\n%s", n, log)
	}
	for _, bad := range []string{"evil.example", "javascript", "8443", "user@"} {
		if strings.Contains(log, bad) {
			t.Errorf("the log shows the address (%q):\n%s", bad, log)
		}
	}
	// In a thread, with a bot token, no response_url is needed.
	w := fx.do(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG",
		pressAt{channel: fakeChannel, messageTS: "1.3", threadTS: "1.2", responseURL: "https://evil.example/x"})))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if p := fx.fake.nextPost(t); p.method != "chat.postEphemeral" || p.form.Get("thread_ts") != "1.2" {
		t.Errorf("post = %s %v", p.method, p.form)
	}
}

// TestInteractDrain: Drain waits for a press's answer.
func TestInteractDrain(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	release := make(chan struct{})
	fx.h.answerer.h = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		<-release
		return bot.Reply{Kind: bot.KindCountry, Title: "Uganda", Full: true}
	})
	w := fx.do(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG",
		pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: fx.fake.hookURL("x")})))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := fx.h.Drain(ctx); err == nil {
		t.Fatal("Drain returned nil with a press still being answered")
	}
	close(release)
	if err := fx.h.Drain(context.Background()); err != nil {
		t.Fatalf("Drain = %v", err)
	}
	if h := fx.fake.nextHook(t); h.msg.ResponseType != "ephemeral" {
		t.Errorf("answer: %s", h.raw)
	}
}

// TestInteractBound: with every answer slot busy, a press gets 503 and
// nothing is answered for it.
func TestInteractBound(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	fx.h.slots = make(chan struct{}, 1)
	release := make(chan struct{})
	fx.h.answerer.h = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		<-release
		return bot.Reply{Kind: bot.KindCountry, Title: "Uganda", Full: true}
	})
	press := interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG",
		pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: fx.fake.hookURL("x")}))
	if w := fx.do(press); w.Code != http.StatusOK {
		t.Fatalf("first press: %d", w.Code)
	}
	if w := fx.do(press); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("second press with the only slot busy: %d, want 503", w.Code)
	}
	close(release)
	fx.h.drain()
	fx.fake.nextHook(t)
	fx.fake.noHooks(t)
}

// TestParseInteraction: reading a payload without decoding the pressed
// message's blocks gives the press slack-go reads from the whole payload,
// as Socket Mode does.
func TestParseInteraction(t *testing.T) {
	b := storeBot(t)
	card := b.Handle(context.Background(), bot.Query{Text: "uganda", Platform: platform})
	blocks, _ := json.Marshal(Render(card).Blocks)
	for _, at := range []pressAt{
		{channel: fakeChannel, messageTS: "1700000000.000300", threadTS: "1700000000.000200", responseURL: "https://hooks.slack.com/x"},
		{channel: fakeChannel, messageTS: "1700000000.000300", responseURL: "https://hooks.slack.com/y"},
		{channel: fakeChannel, messageTS: "1700000000.000300", threadTS: "1700000000.000200", ephemeral: true, responseURL: "https://hooks.slack.com/z"},
	} {
		p := blockActions("agreementbot.timeline", card.Buttons[0].Value, at)
		if m, ok := p["message"].(map[string]any); ok {
			m["blocks"] = json.RawMessage(blocks)
		}
		payload, _ := json.Marshal(p)
		var whole slack.InteractionCallback
		if err := json.Unmarshal(payload, &whole); err != nil {
			t.Fatal(err)
		}
		got, err := parseInteraction(payload)
		if err != nil {
			t.Fatal(err)
		}
		if want := interactionOf(whole); !reflect.DeepEqual(got, want) {
			t.Errorf("parseInteraction = %+v, slack-go reads %+v", got, want)
		}
		pw, _ := pressOf(interactionOf(whole))
		pg, why := pressOf(got)
		if pg != pw || why != "" {
			t.Errorf("press %+v (%s), slack-go reads %+v", pg, why, pw)
		}
	}
	for _, bad := range []string{`{"type":"block_actions","message":{"ts":1}}`, `{"type":"block_actions","message":{"ts":"1"},"actions":`, `[]`, `{"message":{]}`} {
		if _, err := parseInteraction([]byte(bad)); err == nil {
			t.Errorf("parseInteraction(%s) = nil error", bad)
		}
	}
}

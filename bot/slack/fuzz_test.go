package slack

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// FuzzHTTPHandler sends the Slack routes arbitrary bodies, both correctly
// signed (so the parsers behind verification are reached) and unsigned. The
// handler must never panic, must refuse every unsigned request with 401,
// and must answer a signed one with a status from its documented set and,
// for a 200 command, valid JSON.
func FuzzHTTPHandler(f *testing.F) {
	f.Add(CommandsPath, formType, docBody, true)
	f.Add(CommandsPath, formType, "command=%2Fagreement&text=uganda&team_id=T&user_id=U", true)
	f.Add(CommandsPath, formType, "text=%zz&&&=&ssl_check=1", true)
	f.Add(EventsPath, "application/json", `{"type":"url_verification","challenge":"abc"}`, true)
	f.Add(EventsPath, "application/json", `{"type":"event_callback","event_id":"E1","team_id":"T","event":{"type":"app_mention","user":"U","text":"<@U0BOT> uganda","channel":"C","ts":"1.2"}}`, true)
	f.Add(EventsPath, "application/json", `{"type":"event_callback","event":{"type":"message","channel_type":"im"`, false)
	f.Add(InteractionsPath, formType, "payload=%7B%22type%22%3A%22block_actions%22%7D", true)
	f.Fuzz(func(t *testing.T, path, contentType, body string, signed bool) {
		if path != CommandsPath && path != EventsPath && path != InteractionsPath {
			path = CommandsPath
		}
		fx := newHTTPFixture(t, docSecret)
		rq := signedAt(time.Now(), path, contentType, body) // slack-go checks the window on the real clock
		if !signed {
			rq.sig = "v0=00"
		}
		w := fx.do(rq)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("status %d for %s %q", w.Code, path, body)
		}
		if !signed && (w.Code == http.StatusOK && !isSSLCheck([]byte(body)) || w.Code == http.StatusBadRequest) {
			t.Fatalf("unsigned request read: %d for %s %q", w.Code, path, body)
		}
		if w.Code == http.StatusOK && path == CommandsPath && w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer to %q: %s", body, w.Body.String())
		}
	})
}

// FuzzHTTPInteraction sends /slack/interactions arbitrary payloads, signed
// (so that the payload reader and the press path behind verification are
// reached) and unsigned, as the form's payload field or
// as the whole body. The handler must never panic; it must refuse every
// unsigned request with 401; a signed one gets 200 or 400 (or 503, never
// with one slot per press here); and whatever is answered is private: an
// ephemeral response_url post (replacing only an ephemeral message) or
// chat.postEphemeral, to the fake and nowhere else.
func FuzzHTTPInteraction(f *testing.F) {
	press := func(action, value string, at pressAt) string {
		b, _ := json.Marshal(blockActions(action, value, at))
		return string(b)
	}
	fake := newFakeSlack(f)
	store := storeBotTB(f)
	h := NewHTTPHandler(Config{
		BotToken: fakeBotToken, SigningSecret: docSecret, APIURL: fake.apiURL(),
		Logger: slog.New(slog.DiscardHandler),
	}, store).(*httpHandler)
	h.answerer.hc.Transport = fake.transport()
	hook := fake.hookURL("actions/T0FAKE/1/x")
	uganda := store.Handle(context.Background(), bot.Query{Text: "uganda", Platform: platform})
	for _, bt := range uganda.Buttons {
		f.Add(press("agreementbot."+bt.Action, bt.Value, pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: hook}), false, true)
	}
	f.Add(press("agreementbot.page.next", "v1:5d4ffba2:page:2:l//", pressAt{channel: fakeChannel, messageTS: "1.2", ephemeral: true, responseURL: hook}), false, true)
	f.Add(press("agreementbot.card", "v1:5d4ffba2:card:c/UG", pressAt{channel: fakeChannel, messageTS: "1.3", threadTS: "1.2", responseURL: "https://hooks.slack.com/actions/x"}), false, true)
	f.Add(press("agreementbot.card", "v1:0db34b73:card:c/XX", pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: "https://evil.example/x"}), false, true)
	f.Add(`{"type":"block_actions","actions":[{"action_id":"agreementbot.all","block_id":"b","value":"v1:5d4ffba2:all:s/deportees"}],"user":{"id":"U1"},"response_url":"`+hook+`"}`, false, true)
	f.Add(`{"type":"view_submission","view":{"id":"V1","state":{"values":{}}}}`, false, true)
	f.Add(`{"type":"block_actions","state":{"values":{"b":{"a":{"type":"button"}}}},"actions":[{"block_id":1}]}`, false, true)
	f.Add("payload=%7B%7D&payload=x", true, true)
	f.Add(`{"type":"block_actions"`, false, false)
	f.Fuzz(func(t *testing.T, payload string, raw, signed bool) {
		body := payload
		if !raw {
			body = url.Values{"payload": {payload}}.Encode()
		}
		rq := signedAt(time.Now(), InteractionsPath, formType, body)
		if !signed {
			rq.sig = "v0=00"
		}
		r := httptest.NewRequest(http.MethodPost, InteractionsPath, strings.NewReader(rq.body))
		r.Header.Set("Content-Type", formType)
		r.Header.Set("X-Slack-Request-Timestamp", rq.ts)
		r.Header.Set("X-Slack-Signature", rq.sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch {
		case !signed && w.Code != http.StatusUnauthorized:
			t.Fatalf("unsigned request: %d for %q", w.Code, body)
		case w.Code != http.StatusOK && w.Code != http.StatusBadRequest && w.Code != http.StatusUnauthorized && w.Code != http.StatusRequestEntityTooLarge:
			t.Fatalf("status %d for %q", w.Code, body)
		case w.Body.Len() != 0:
			t.Fatalf("a body %q for %q", w.Body, body)
		}
		h.drain()
		for {
			select {
			case hk := <-fake.hooks:
				if hk.msg.ResponseType != "ephemeral" || hk.msg.DeleteOriginal {
					t.Fatalf("not private: %s for %q", hk.raw, body)
				}
				sent := payload
				if raw {
					form, _ := url.ParseQuery(body)
					sent = form.Get("payload")
				}
				var ic slack.InteractionCallback
				json.Unmarshal([]byte(sent), &ic)
				if hk.msg.ReplaceOriginal && !ic.Container.IsEphemeral {
					t.Fatalf("replaced a public message: %s for %q", hk.raw, body)
				}
				continue
			case p := <-fake.posts:
				if p.method != "chat.postEphemeral" || p.form.Get("thread_ts") == "" {
					t.Fatalf("%s %v for %q", p.method, p.form, body)
				}
				continue
			case u := <-fake.uploads:
				t.Fatalf("upload of %s for %q", u.filename, body)
			default:
			}
			break
		}
	})
}

// FuzzParseInteraction checks the payload reader against slack-go, which
// reads Socket Mode's interactions: whatever the input, no panic; when
// slack-go reads it, and as block actions (with a block_id, as Slack sends
// them), parseInteraction reads it too, and the same press.
func FuzzParseInteraction(f *testing.F) {
	at := pressAt{channel: fakeChannel, messageTS: "1.3", threadTS: "1.2", responseURL: "https://hooks.slack.com/x"}
	for _, ephemeral := range []bool{false, true} {
		at.ephemeral = ephemeral
		b, _ := json.Marshal(blockActions("agreementbot.card", "v1:5d4ffba2:card:c/UG", at))
		f.Add(b)
	}
	f.Add([]byte(`{"type":"block_actions","message":{"ts":"1.2","blocks":[{"type":"section","text":{"text":"a \"}\" b"}}]},"x":[1,{"y":"]"}]}`))
	f.Add([]byte(`{"type":"block_actions","user":{"id":"U"},"actions":[null,{"action_id":"agreementbot.x","block_id":"b","value":"v"}],"message":null}`))
	f.Add([]byte(`{"TYPE":"block_actions","User":{"ID":"U"},"actions":[{"action_id":"agreementbot.x","block_id":"b","value":"v"}],"message":{"ts":"1"},"message":{"ts":"2","thread_ts":"1"}}`))
	f.Add([]byte(`{"type":"block_actions","mess\u0061ge":{"ts":"1","thread_ts":"0"},"container":{"is_ephemeral":true,"thread_ts":"9"}}`))
	f.Add([]byte(`{"type":"block_actions","message":{"ts":1}}`))
	f.Add([]byte(`[{"message":1}]`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		in, err := parseInteraction(payload)
		var ic slack.InteractionCallback
		if json.Unmarshal(payload, &ic) != nil || len(ic.ActionCallback.AttachmentActions) > 0 {
			return
		}
		if err != nil {
			t.Fatalf("parseInteraction(%q): %v; slack-go reads it", payload, err)
		}
		got, why := pressOf(in)
		want, wantWhy := pressOf(interactionOf(ic))
		if got != want || why != wantWhy {
			t.Fatalf("parseInteraction(%q): press %+v (%q), slack-go reads %+v (%q)", payload, got, why, want, wantWhy)
		}
	})
}

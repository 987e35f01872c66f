package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
)

// Slack's worked example from "Verifying requests from Slack"
// (docs.slack.dev/authentication/verifying-requests-from-slack).
const (
	docSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	docTS     = "1531420618"
	docBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

const formType = "application/x-www-form-urlencoded"

// sign computes a v0 signature independently of the code under test, which
// verifies with slack-go.
func sign(secret, ts, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	io.WriteString(m, "v0:"+ts+":"+body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func TestSignMatchesSlackExample(t *testing.T) {
	if got := sign(docSecret, docTS, docBody); got != docSig {
		t.Fatalf("sign(doc example) = %s, want %s", got, docSig)
	}
}

// clock is a settable Config.Now for the de-duplication and log sampling;
// signatures are checked by slack-go against the system clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// httpFixture is a handler with a settable clock, a recording bot, a fake
// Slack for chat.postMessage and a captured log.
type httpFixture struct {
	h        *httpHandler
	rec      *recorder
	fake     *fakeSlack
	clock    *clock
	log      *testkit.LogBuffer
	logStart int // what was logged before the first request
	hooks    *hookCounts
}

func newHTTPFixture(t testing.TB, secret string, opts ...func(*Config)) *httpFixture {
	fx := &httpFixture{rec: new(recorder), fake: newFakeSlack(t), clock: &clock{t: time.Now()},
		log: new(testkit.LogBuffer), hooks: new(hookCounts)}
	cfg := Config{
		BotToken:      fakeBotToken,
		SigningSecret: secret,
		APIURL:        fx.fake.apiURL(),
		Now:           fx.clock.now,
		Logger:        slog.New(slog.NewTextHandler(fx.log, nil)),
		Hooks:         fx.hooks.hooks(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	fx.h = NewHTTPHandler(cfg, fx.rec).(*httpHandler)
	fx.h.answerer.hc.Transport = fx.fake.transport() // response_urls reach the fake, and nothing else
	if secret == "" && !fx.log.Contains("no signing secret") {
		t.Errorf("no error logged for a missing signing secret: %q", fx.log)
	}
	fx.logStart = fx.log.Len() // the tests count the lines each request logs
	t.Cleanup(func() {
		fx.h.drain()
		if t.Failed() {
			t.Logf("log:\n%s", fx.log)
		}
	})
	return fx
}

// logged returns what was logged since the handler was made.
func (fx *httpFixture) logged() string { return fx.log.String()[fx.logStart:] }

type request struct {
	method, path, contentType, body string
	ts, sig                         string // headers; "-" leaves one out
	header                          map[string]string
	chunked                         bool // no Content-Length
}

func (fx *httpFixture) do(rq request) *httptest.ResponseRecorder {
	if rq.method == "" {
		rq.method = http.MethodPost
	}
	var body io.Reader = strings.NewReader(rq.body)
	if rq.chunked {
		body = io.MultiReader(body) // hides the length
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	if rq.chunked {
		r.ContentLength = -1
	}
	if rq.contentType != "" {
		r.Header.Set("Content-Type", rq.contentType)
	}
	if rq.ts != "-" {
		r.Header.Set("X-Slack-Request-Timestamp", rq.ts)
	}
	if rq.sig != "-" {
		r.Header.Set("X-Slack-Signature", rq.sig)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	return w
}

// signedAt is a request for path with body, signed with docSecret as if
// sent at t.
func signedAt(t time.Time, path, contentType, body string) request {
	ts := strconv.FormatInt(t.Unix(), 10)
	return request{path: path, contentType: contentType, body: body, ts: ts, sig: sign(docSecret, ts, body)}
}

// command is Slack's documented slash command, signed now.
func command() request { return signedAt(time.Now(), CommandsPath, formType, docBody) }

func TestHTTPCommandAccepted(t *testing.T) {
	// Slack's window is five minutes either way; 10 s short of it leaves
	// room for a slow machine.
	for _, skew := range []time.Duration{0, 30 * time.Second, -30 * time.Second, 4*time.Minute + 50*time.Second, -4*time.Minute - 50*time.Second} {
		fx := newHTTPFixture(t, docSecret)
		w := fx.do(signedAt(time.Now().Add(skew), CommandsPath, formType, docBody))
		if w.Code != http.StatusOK {
			t.Fatalf("skew %v: status %d, want 200", skew, w.Code)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
			t.Errorf("Content-Length = %q for %d bytes", cl, w.Body.Len())
		}
		m := decodeWire(t, w.Body.Bytes())
		if m.ResponseType != "in_channel" || m.header() != "Echo · signed" {
			t.Errorf("body = %s", w.Body)
		}
		want := bot.Query{Text: "", Platform: "slack", Team: "T1DC2JH3J", User: "U2CERLKJA"}
		if got := fx.rec.last(t); !reflect.DeepEqual(got, want) {
			t.Errorf("query = %+v, want %+v", got, want)
		}
		if n := fx.hooks.answered.Load(); n != 1 {
			t.Errorf("answered %d times, want 1", n)
		}
	}
}

func TestHTTPCommandParsesText(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	body := strings.Replace(docBody, "text=", "text=%2Fagreement+uganda+%26amp%3B+more", 1)
	w := fx.do(signedAt(time.Now(), CommandsPath, formType+"; charset=utf-8", body))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if got := fx.rec.last(t).Text; got != "/agreement uganda & more" {
		t.Errorf("query text = %q", got)
	}
}

// Every refusal: the right status, an empty body, one log line with its
// fixed reason that names no secret, and a 401 counted as a signature
// failure.
func TestHTTPRefusals(t *testing.T) {
	tooBig := strings.Repeat("a", defaultMaxBodyBytes+1)
	tampered := strings.Replace(docBody, "roadrunner", "coyote", 1)
	now := time.Now()
	for _, tc := range []struct {
		name   string
		secret string
		rq     request
		status int
		reason string
	}{
		{"tampered body", docSecret, with(command(), func(r *request) { r.body = tampered }), 401, reasonMismatch},
		{"wrong secret", "0123456789abcdef0123456789abcdef", command(), 401, reasonMismatch},
		{"stale", docSecret, signedAt(now.Add(-5*time.Minute-10*time.Second), CommandsPath, formType, docBody), 401, reasonStale},
		{"future", docSecret, signedAt(now.Add(5*time.Minute+10*time.Second), CommandsPath, formType, docBody), 401, reasonStale},
		{"replayed a day later", docSecret, signedAt(now.Add(-24*time.Hour), CommandsPath, formType, docBody), 401, reasonStale},
		{"Slack's example, years old", docSecret, request{path: CommandsPath, contentType: formType, body: docBody, ts: docTS, sig: docSig}, 401, reasonStale},
		{"timestamp not signed", docSecret, with(command(), func(r *request) { r.ts = strconv.FormatInt(now.Unix()+1, 10) }), 401, reasonMismatch},
		{"no signature", docSecret, with(command(), func(r *request) { r.sig = "-" }), 401, reasonMissing},
		{"no timestamp", docSecret, with(command(), func(r *request) { r.ts = "-" }), 401, reasonMissing},
		{"no headers", docSecret, with(command(), func(r *request) { r.ts, r.sig = "-", "-" }), 401, reasonMissing},
		{"timestamp not a number", docSecret, with(command(), func(r *request) { r.ts = "15314206l8" }), 401, reasonBadTimestamp},
		{"signature not hex", docSecret, with(command(), func(r *request) { r.sig = "v0=" + strings.Repeat("zz", 32) }), 401, reasonBadSignature},
		{"signature v1", docSecret, with(command(), func(r *request) { r.sig = "v1=" + r.sig[3:] }), 401, reasonBadSignature},
		{"signature short", docSecret, with(command(), func(r *request) { r.sig = r.sig[:40] }), 401, reasonBadSignature},
		{"no secret configured", "", command(), 401, reasonNoSecret},
		{"GET", docSecret, with(command(), func(r *request) { r.method = http.MethodGet; r.body = "" }), 405, reasonMethod},
		{"PUT", docSecret, with(command(), func(r *request) { r.method = http.MethodPut }), 405, reasonMethod},
		{"JSON to commands", docSecret, with(command(), func(r *request) { r.contentType = "application/json" }), 415, reasonContentType},
		{"no content type", docSecret, with(command(), func(r *request) { r.contentType = "" }), 415, reasonContentType},
		{"malformed content type", docSecret, with(command(), func(r *request) { r.contentType = formType + "; =" }), 415, reasonContentType},
		{"form to events", docSecret, with(command(), func(r *request) { r.path = EventsPath }), 415, reasonContentType},
		{"huge body", docSecret, with(command(), func(r *request) { r.body = tooBig }), 413, reasonTooLarge},
		{"huge body, no length", docSecret, with(command(), func(r *request) { r.body = tooBig; r.chunked = true }), 413, reasonTooLarge},
		{"unsigned url_verification", docSecret, request{path: EventsPath, contentType: "application/json", body: `{"type":"url_verification","challenge":"x"}`, ts: "-", sig: "-"}, 401, reasonMissing},
		{"signed, not a form", docSecret, signedAt(now, CommandsPath, formType, "text=%zz"), 400, reasonMalformedCommand},
		{"signed, not JSON", docSecret, signedAt(now, EventsPath, "application/json", `{"type":"event_callback",`), 400, reasonMalformedEvent},
		{"unsigned interaction", docSecret, with(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG", pressAt{responseURL: "https://hooks.slack.com/x"})), func(r *request) { r.sig = "v0=" + strings.Repeat("0", 64) }), 401, reasonMismatch},
		{"interaction, stale", docSecret, with(interaction(blockActions("agreementbot.card", "v", pressAt{})), func(r *request) {
			*r = signedAt(now.Add(-10*time.Minute), InteractionsPath, formType, r.body)
		}), 401, reasonStale},
		{"interaction, no headers", docSecret, with(interaction(blockActions("agreementbot.card", "v", pressAt{})), func(r *request) { r.ts, r.sig = "-", "-" }), 401, reasonMissing},
		{"JSON to interactions", docSecret, with(interaction(blockActions("agreementbot.card", "v", pressAt{})), func(r *request) { r.contentType = "application/json" }), 415, reasonContentType},
		{"GET interactions", docSecret, with(interaction(nil), func(r *request) { r.method = http.MethodGet }), 405, reasonMethod},
		{"huge interaction", docSecret, with(interaction(nil), func(r *request) { r.body = tooBig }), 413, reasonTooLarge},
		{"signed, no payload", docSecret, signedAt(now, InteractionsPath, formType, "token=x&type=block_actions"), 400, reasonMalformedPayload},
		{"signed, payload not JSON", docSecret, signedAt(now, InteractionsPath, formType, "payload=%7B%22type%22%3A"), 400, reasonMalformedPayload},
		{"signed, not a form", docSecret, signedAt(now, InteractionsPath, formType, "payload=%zz"), 400, reasonMalformedPayload},
		{"ssl_check to interactions", docSecret, request{path: InteractionsPath, contentType: formType, body: "ssl_check=1", ts: "-", sig: "-"}, 401, reasonMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newHTTPFixture(t, tc.secret)
			w := fx.do(tc.rq)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if w.Body.Len() != 0 {
				t.Errorf("body %q, want none", w.Body)
			}
			if tc.status == 405 && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", w.Header().Get("Allow"))
			}
			if n := fx.rec.count(); n != 0 {
				t.Errorf("handler called %d times", n)
			}
			log := fx.logged()
			if lines := strings.Count(log, "\n"); lines != 1 || !strings.Contains(log, `reason="`+tc.reason+`"`) || !strings.Contains(log, "status="+strconv.Itoa(tc.status)) {
				t.Errorf("log = %q, want one line with reason %q", log, tc.reason)
			}
			for _, secret := range []string{docSecret, fakeBotToken, "roadrunner"} {
				if strings.Contains(log, secret) {
					t.Errorf("log shows %q: %s", secret, log)
				}
			}
			if got, want := fx.hooks.sigFailures.Load(), int32(map[bool]int{true: 1}[tc.status == 401]); got != want {
				t.Errorf("SignatureFailure called %d times, want %d", got, want)
			}
		})
	}
}

func with(r request, f func(*request)) request {
	f(&r)
	return r
}

func TestHTTPSSLCheck(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	// Slack's probe is not signed; it gets a bare 200 and nothing happens.
	w := fx.do(request{path: CommandsPath, contentType: formType, body: "ssl_check=1&token=xyzz0WbapA4vBCDEFasx0q6G", ts: "-", sig: "-"})
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("ssl_check: %d %q, want 200 and no body", w.Code, w.Body)
	}
	if fx.rec.count() != 0 {
		t.Error("ssl_check reached the handler")
	}
	// "ssl_check=1" inside another field's value is no probe.
	body := strings.Replace(docBody, "text=", "text=ssl_check%3D1", 1)
	w = fx.do(with(signedAt(time.Now(), CommandsPath, formType, body), func(r *request) { r.sig = "v0=" + strings.Repeat("0", 64) }))
	if w.Code != http.StatusUnauthorized {
		t.Errorf("text=ssl_check=1 unsigned: status %d, want 401", w.Code)
	}
	// Nor is it on the events route.
	w = fx.do(request{path: EventsPath, contentType: "application/json", body: "ssl_check=1", ts: "-", sig: "-"})
	if w.Code != http.StatusUnauthorized {
		t.Errorf("ssl_check=1 to events: status %d, want 401", w.Code)
	}
}

func TestHTTPUnknownPath(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	if w := fx.do(with(command(), func(r *request) { r.path = "/slack/interactive" })); w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
}

// event is an Events API request signed now.
func event(body []byte, header map[string]string) request {
	rq := signedAt(time.Now(), EventsPath, "application/json", string(body))
	rq.header = header
	return rq
}

func TestHTTPURLVerification(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	body := []byte(`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	w := fx.do(event(body, nil))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var got struct {
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("body %q, want the challenge", w.Body)
	}
}

func TestHTTPEventsAnsweredOnceInThread(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	body, _ := json.Marshal(eventCallback("Ev100", mentionEvent("<@U0BOT> uganda &lt;!here&gt;", "1700000000.000200")))

	w := fx.do(event(body, nil))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("event: %d %q, want a bare 200", w.Code, w.Body)
	}
	p := fx.fake.nextPost(t)
	if p.method != "chat.postMessage" || p.form.Get("channel") != fakeChannel || p.form.Get("thread_ts") != "1700000000.000200" {
		t.Errorf("post = %s %v", p.method, p.form)
	}
	if text := p.form.Get("text"); !strings.Contains(text, "You asked: uganda &lt;!here&gt;") || strings.Contains(text, "<!here>") {
		t.Errorf("posted text = %q", text)
	}
	if blocks := p.form.Get("blocks"); strings.Contains(blocks, "<!here>") || strings.Contains(blocks, `\u003c!here`) {
		t.Errorf("posted blocks = %s", blocks)
	}
	want := bot.Query{Text: "uganda <!here>", Platform: "slack", Team: fakeTeam, User: fakeAsker}
	if got := fx.rec.last(t); !reflect.DeepEqual(got, want) {
		t.Errorf("query = %+v, want %+v", got, want)
	}

	// Slack retries when it thinks we were slow: same event_id, answered already.
	for i := 1; i <= 3; i++ {
		w := fx.do(event(body, map[string]string{"X-Slack-Retry-Num": strconv.Itoa(i), "X-Slack-Retry-Reason": "http_timeout"}))
		if w.Code != http.StatusOK {
			t.Errorf("retry %d: status %d", i, w.Code)
		}
	}
	// The same message delivered as another event (message.im after an
	// app_mention in a DM, say) is not answered twice either.
	other, _ := json.Marshal(eventCallback("Ev101", mentionEvent("<@U0BOT> uganda", "1700000000.000200")))
	fx.do(event(other, nil))
	fx.h.drain()
	fx.fake.noPosts(t)
	if n := fx.rec.count(); n != 1 {
		t.Errorf("handler called %d times, want 1", n)
	}

	// A DM is answered in its thread; the bot's own message is not.
	dm, _ := json.Marshal(eventCallback("Ev102", dmEvent("kenya", "1700000001.000300")))
	own := dmEvent("kenya", "1700000001.000400")
	own["user"] = fakeBotUser
	ownBody, _ := json.Marshal(eventCallback("Ev103", own))
	fx.do(event(ownBody, nil))
	fx.do(event(dm, nil))
	p = fx.fake.nextPost(t)
	if p.form.Get("channel") != fakeDM || p.form.Get("thread_ts") != "1700000001.000300" {
		t.Errorf("DM post = %v", p.form)
	}
	fx.h.drain()
	fx.fake.noPosts(t)
	if n := fx.hooks.answered.Load(); n != 2 {
		t.Errorf("answered %d times, want 2", n)
	}
}

// Events that ask nothing, and an event type slack-go does not know, get a
// bare 200 so that Slack does not send them again.
func TestHTTPEventsIgnored(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	rateLimited := []byte(`{"token":"x","type":"app_rate_limited","team_id":"T0FAKE","minute_rate_limited":1518467820,"api_app_id":"A0FAKE"}`)
	channelMsg := dmEvent("uganda", "1700000005.000100")
	channelMsg["channel_type"], channelMsg["channel"] = "channel", fakeChannel
	inChannel, _ := json.Marshal(eventCallback("Ev200", channelMsg))
	reaction, _ := json.Marshal(eventCallback("Ev201", map[string]any{"type": "reaction_added", "user": fakeAsker, "reaction": "+1",
		"item": map[string]any{"type": "message", "channel": fakeChannel, "ts": "1.2"}, "event_ts": "1.3"}))
	unknown, _ := json.Marshal(eventCallback("Ev202", map[string]any{"type": "x_event_from_the_future", "user": fakeAsker,
		"text": "<@U0BOT> uganda", "channel": fakeChannel, "ts": "1700000006.000100"}))
	for _, body := range [][]byte{rateLimited, inChannel, reaction, unknown} {
		if w := fx.do(event(body, nil)); w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Errorf("%s: %d %q, want a bare 200", body, w.Code, w.Body)
		}
	}
	fx.h.drain()
	fx.fake.noPosts(t)
	if n := fx.rec.count(); n != 0 {
		t.Errorf("handler called %d times, want 0", n)
	}
}

func TestQueryText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"uganda", "uganda"},
		{"  /agreement   uganda ", "/agreement uganda"},
		{"&lt;!channel&gt; &amp; more", "<!channel> & more"},
		{"from <#C123|venezuela> <https://x.example/a|a link> <https://x.example/b>", "from #venezuela a link https://x.example/b"},
		{"<!here> <@U123> uganda", "uganda"},
		{"a <b", "a <b"},
		{"&amp;lt;", "&lt;"}, // what the user typed was "&lt;"
	} {
		if got := queryText(tc.in); got != tc.want {
			t.Errorf("queryText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStripMention(t *testing.T) {
	for _, tc := range []struct{ in, own, want string }{
		{"<@U0BOT> uganda", "U0BOT", "uganda"},
		{"hey <@U0BOT|agreementbot> what about uganda", "U0BOT", "hey   what about uganda"},
		{"<@U0BOT> <@U0OTHER> uganda", "U0BOT", "<@U0OTHER> uganda"},
		{"<@U0BOT> uganda", "", "uganda"},
		{"uganda", "", "uganda"},
	} {
		if got := stripMention(tc.in, tc.own); got != tc.want {
			t.Errorf("stripMention(%q, %q) = %q, want %q", tc.in, tc.own, got, tc.want)
		}
	}
}

func TestSeenSet(t *testing.T) {
	now := time.Unix(0, 0)
	s := newSeenSet(3, time.Minute, func() time.Time { return now })
	check := func(want bool, keys ...string) {
		t.Helper()
		if got := s.first(keys...); got != want {
			t.Errorf("first(%q) = %v, want %v", keys, got, want)
		}
	}
	check(true, "a")
	check(false, "a")
	check(false, "b", "a") // any key seen: not first, and b is not recorded
	check(true, "b")
	now = now.Add(2 * time.Minute)
	check(true, "a") // expired
	check(true, "c") // reuses the first "a"'s slot, keeping the newer "a"
	check(true, "d") // evicts "b"
	check(false, "a")
	check(true, "b")
	check(true, "e", "f") // evicts "a", then "c"
	check(true, "a")
	if len(s.at) > 3 {
		t.Errorf("set holds %d keys, want at most 3", len(s.at))
	}
}

// TestHTTPDrainWaitsForAnswers: after acknowledging an event, Drain returns
// only once its answer has been posted, or when its context ends.
func TestHTTPDrainWaitsForAnswers(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	release := make(chan struct{})
	fx.h.answerer.h = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		<-release
		return bot.Reply{Kind: bot.KindCountry, Title: "Uganda"}
	})
	body, _ := json.Marshal(eventCallback("Ev900", mentionEvent("<@U0BOT> uganda", "1700000000.000900")))
	if w := fx.do(event(body, nil)); w.Code != http.StatusOK {
		t.Fatalf("event: %d", w.Code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := fx.h.Drain(ctx); err == nil {
		t.Fatal("Drain returned nil with an answer still in flight and its context done")
	}
	close(release)
	if err := fx.h.Drain(context.Background()); err != nil {
		t.Fatalf("Drain = %v", err)
	}
	if p := fx.fake.nextPost(t); p.method != "chat.postMessage" {
		t.Errorf("post = %s", p.method)
	}
}

// TestHTTPEventsBeyondTheBoundAreRetried: with every answer slot busy, a
// new event gets 503 and is not marked as seen, so Slack's retry of it is
// answered once a slot is free.
func TestHTTPEventsBeyondTheBoundAreRetried(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	fx.h.slots = make(chan struct{}, 1)
	release := make(chan struct{})
	var calls atomic.Int32
	fx.h.answerer.h = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		if calls.Add(1) == 1 {
			<-release
		}
		return bot.Reply{Kind: bot.KindCountry, Title: "Uganda"}
	})
	first, _ := json.Marshal(eventCallback("Ev700", mentionEvent("<@U0BOT> uganda", "1700000000.000700")))
	second, _ := json.Marshal(eventCallback("Ev701", mentionEvent("<@U0BOT> kenya", "1700000000.000701")))
	if w := fx.do(event(first, nil)); w.Code != http.StatusOK {
		t.Fatalf("first event: %d", w.Code)
	}
	if w := fx.do(event(second, nil)); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("second event with the only slot busy: %d, want 503", w.Code)
	}
	close(release)
	if p := fx.fake.nextPost(t); p.form.Get("thread_ts") != "1700000000.000700" {
		t.Errorf("first answer posted to %v", p.form)
	}
	fx.h.drain()
	retry := map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
	if w := fx.do(event(second, retry)); w.Code != http.StatusOK {
		t.Fatalf("retried event: %d, want 200", w.Code)
	}
	if p := fx.fake.nextPost(t); p.form.Get("thread_ts") != "1700000000.000701" {
		t.Errorf("retried answer posted to %v", p.form)
	}
	fx.h.drain()
	if n := calls.Load(); n != 2 {
		t.Errorf("answered %d events, want 2", n)
	}
	if len(fx.h.slots) != 0 {
		t.Errorf("%d slots still taken after every answer", len(fx.h.slots))
	}
}

// TestHTTPBodyMemoryFlat: connections that claim the largest body allowed
// and send one byte cost the heap what they sent, not what they claimed.
// (Sizing the buffer from Content-Length held conns × MaxBodyBytes.)
func TestHTTPBodyMemoryFlat(t *testing.T) {
	const (
		conns   = 200
		maxBody = 1 << 20
	)
	h := NewHTTPHandler(Config{SigningSecret: docSecret, MaxBodyBytes: maxBody, Logger: slog.New(slog.DiscardHandler)},
		new(recorder))
	reading := make(chan struct{}, conns)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &firstRead{ReadCloser: r.Body, c: reading}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close() // after the connections are closed, below

	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var cs []net.Conn
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: bot.example\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\nt", CommandsPath, formType, maxBody)
	}
	for i := range conns {
		select {
		case <-reading:
		case <-time.After(waitLong):
			t.Fatalf("%d of %d handlers reading their body", i, conns)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&during)
	growth := int64(during.HeapInuse) - int64(before.HeapInuse)
	const limit = conns * maxBody / 16
	t.Logf("%d connections claiming %d bytes each: heap in use grew by %d bytes (%d a connection), limit %d",
		conns, maxBody, growth, growth/conns, limit)
	if growth > limit {
		t.Errorf("heap in use grew by %d bytes with %d connections that sent one byte each, want at most %d", growth, conns, limit)
	}
}

// firstRead tells c when the handler has read from the body once: by then
// it has made whatever buffer it reads into.
type firstRead struct {
	io.ReadCloser
	c    chan<- struct{}
	once sync.Once
}

func (f *firstRead) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	f.once.Do(func() { f.c <- struct{}{} })
	return n, err
}

// TestRenderedAnswersAreReused: a slash command's answer with a cache key
// is rendered once and its bytes reused for the same key; another key,
// or none, renders anew. The handler runs every time (rate limits and
// metrics see every command).
func TestRenderedAnswersAreReused(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	calls := 0
	fx.h.answerer.h = bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		calls++
		return bot.Reply{Kind: bot.KindCountry, Title: "Call " + strconv.Itoa(calls), Summary: q.Text, CacheKey: q.Text}
	})
	body := func(text string) string {
		w := fx.do(signedAt(time.Now(), CommandsPath, formType, strings.Replace(docBody, "text=", "text="+text, 1)))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		return w.Body.String()
	}
	first, again, other := body("a"), body("a"), body("b")
	if first != again || !strings.Contains(again, "Call 1") {
		t.Errorf("the same key rendered anew:\n%s\n%s", first, again)
	}
	if other == first || !strings.Contains(other, "Call 3") || calls != 3 {
		t.Errorf("another key reused an answer, or the handler was skipped (%d calls):\n%s", calls, other)
	}
}

package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// signer signs requests as Discord does, with a generated key pair.
type signer struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newSigner(t testing.TB) signer {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return signer{pub, priv}
}

func (s signer) publicHex() string { return hex.EncodeToString(s.pub) }

func (s signer) sign(ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(s.priv, append([]byte(ts), body...)))
}

// request builds a signed interactions request.
func (s signer) request(ts string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Timestamp", ts)
	r.Header.Set("X-Signature-Ed25519", s.sign(ts, body))
	return r
}

const ts = "1700000000"

func newTestHandler(t *testing.T, s signer, hooks Hooks) http.Handler {
	t.Helper()
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), MaxBodyBytes: 8 << 10, Hooks: hooks}, stubHandler, stubCompleter)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHTTPAnswers(t *testing.T) {
	s := newSigner(t)
	var answered []answer
	h := newTestHandler(t, s, Hooks{Answered: func(kind string, outcome bot.Outcome, _ time.Duration) {
		answered = append(answered, answer{kind, outcome})
	}})

	// PING gets PONG.
	w := serve(h, s.request(ts, []byte(`{"type":1,"id":"1","application_id":"2","token":"t","version":1}`)))
	if w.Code != 200 || w.Body.String() != `{"type":1}` || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("PING: %d %q %q, want 200 {\"type\":1}", w.Code, w.Header().Get("Content-Type"), w.Body)
	}

	// A command gets its embed inline.
	w = serve(h, s.request(ts, []byte(guildCommand)))
	if w.Code != 200 {
		t.Fatalf("command: %d %s", w.Code, w.Body)
	}
	var resp discordgo.InteractionResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil || len(resp.Data.Embeds) != 1 || resp.Data.Embeds[0].Title != "Uganda · signed (disputed)" {
		t.Errorf("command answer: %s", w.Body)
	}
	if !bytes.Contains(w.Body.Bytes(), []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf(`answer lacks "allowed_mentions":{"parse":[]: %s`, w.Body)
	}
	if want, _ := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: Render(ugandaReply())}); !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("inline answer differs from the rendering of the reply")
	}

	// Autocomplete gets at most 25 choices.
	w = serve(h, s.request(ts, []byte(dmAutocomplete)))
	if w.Code != 200 {
		t.Fatalf("autocomplete: %d %s", w.Code, w.Body)
	}
	cs := checkChoices(t, w.Body.Bytes())
	if len(cs) != maxChoices || cs[0].Name != "Uganda (signed, disputed)" || cs[0].Value != "uganda" {
		t.Errorf("choices = %d, first %+v", len(cs), cs[0])
	}

	want := []answer{{"country", bot.OutcomeOK}, {kindAutocomplete, bot.OutcomeOK}}
	if len(answered) != len(want) || answered[0] != want[0] || answered[1] != want[1] {
		t.Errorf("Answered calls = %v, want %v (none for PING)", answered, want)
	}
}

func TestHTTPQuery(t *testing.T) {
	s := newSigner(t)
	var got bot.Query
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		if !slices.Equal(q.Usage, usage) {
			t.Errorf("Query.Usage = %q, want Discord's %q", q.Usage, usage)
		}
		q.Usage = nil
		got = q
		return helpReply()
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	serve(h, s.request(ts, []byte(guildCommand)))
	if want := (bot.Query{Text: "uganda", Platform: "discord", Team: "1100000000000000000", User: "1000000000000000001"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Query = %+v, want %+v", got, want)
	}
	// A DM: no team, the user's id.
	serve(h, s.request(ts, []byte(`{"type":2,"id":"1","token":"t","data":{"name":"agreement"},"user":{"id":"42"}}`)))
	if want := (bot.Query{Platform: "discord", User: "42"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Query = %+v, want %+v", got, want)
	}
	// No completer: an empty list of choices, not an error.
	w := serve(h, s.request(ts, []byte(dmAutocomplete)))
	if w.Code != 200 || w.Body.String() != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("autocomplete without a completer: %d %s", w.Code, w.Body)
	}
}

func TestHTTPRejects(t *testing.T) {
	s, other := newSigner(t), newSigner(t)
	var failures atomic.Int32
	h := newTestHandler(t, s, Hooks{SignatureFailure: func() { failures.Add(1) }})
	body := []byte(guildCommand)
	sig := s.sign(ts, body)

	header := func(r *http.Request, k, v string) *http.Request {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
		return r
	}
	// The same signature over a body with one byte changed.
	tampered := s.request(ts, bytes.Replace(body, []byte("uganda"), []byte("ugandb"), 1))
	tampered.Header.Set("X-Signature-Ed25519", sig)
	unauthorized := []struct {
		name string
		r    *http.Request
	}{
		{"tampered body", tampered},
		{"changed timestamp", header(s.request(ts, body), "X-Signature-Timestamp", "1700000001")},
		{"another key", other.request(ts, body)},
		{"non-hex signature", header(s.request(ts, body), "X-Signature-Ed25519", strings.Repeat("zz", 64))},
		{"short signature", header(s.request(ts, body), "X-Signature-Ed25519", sig[:126])},
		{"long signature", header(s.request(ts, body), "X-Signature-Ed25519", sig+"00")},
		{"missing signature", header(s.request(ts, body), "X-Signature-Ed25519", "")},
		{"missing timestamp", header(s.request(ts, body), "X-Signature-Timestamp", "")},
		{"zero signature", header(s.request(ts, body), "X-Signature-Ed25519", strings.Repeat("00", 64))},
		{"huge timestamp", header(s.request(ts, body), "X-Signature-Timestamp", strings.Repeat("1", 100))},
	}
	for _, tc := range unauthorized {
		if w := serve(h, tc.r); w.Code != http.StatusUnauthorized || strings.TrimSpace(w.Body.String()) != "Unauthorized" {
			t.Errorf("%s: %d %q, want 401 Unauthorized", tc.name, w.Code, w.Body)
		}
	}
	if n := failures.Load(); int(n) != len(unauthorized) {
		t.Errorf("SignatureFailure called %d times, want %d", n, len(unauthorized))
	}

	for _, tc := range []struct {
		name string
		r    *http.Request
		code int
	}{
		{"GET", httptest.NewRequest(http.MethodGet, "/discord/interactions", nil), http.StatusMethodNotAllowed},
		{"text/plain", header(s.request(ts, body), "Content-Type", "text/plain"), http.StatusUnsupportedMediaType},
		{"no content type", header(s.request(ts, body), "Content-Type", ""), http.StatusUnsupportedMediaType},
		{"huge body", s.request(ts, append(body, bytes.Repeat([]byte(" "), 9<<10)...)), http.StatusRequestEntityTooLarge},
		{"signed, not JSON", s.request(ts, []byte(`{"type":2,`)), http.StatusBadRequest},
		{"signed, a button", s.request(ts, []byte(`{"type":3,"id":"1","token":"t","data":{"custom_id":"x","component_type":2}}`)), http.StatusBadRequest},
		{"signed, no data", s.request(ts, []byte(`{"type":2,"id":"1","token":"t"}`)), http.StatusBadRequest},
	} {
		w := serve(h, tc.r)
		if w.Code != tc.code {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.code)
		}
		if tc.code == http.StatusMethodNotAllowed && w.Header().Get("Allow") != "POST" {
			t.Errorf("405 without Allow: POST")
		}
	}
	if w := serve(h, header(s.request(ts, body), "Content-Type", "application/json; charset=utf-8")); w.Code != 200 {
		t.Errorf("charset parameter: %d, want 200", w.Code)
	}
}

func TestNewHTTPHandlerConfig(t *testing.T) {
	for _, key := range []string{"", "abc", strings.Repeat("zz", 32), "0200000000000000000000000000000000000000000000000000000000000000"} {
		if _, err := NewHTTPHandler(Config{PublicKey: key}, stubHandler, nil); err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") {
			t.Errorf("NewHTTPHandler(PublicKey %q) = %v, want an error naming DISCORD_PUBLIC_KEY", key, err)
		}
	}
	if _, err := NewHTTPHandler(Config{PublicKey: newSigner(t).publicHex()}, nil, nil); err == nil {
		t.Errorf("NewHTTPHandler without a handler succeeded")
	}
}

// TestHTTPPanic checks the recovery chain end to end through the adapter:
// the handler and completer wrapped in bot.Recover and bot.RecoverCompleter,
// as the program wraps them, turn a panic into a private apology (or no
// choices), and the delivery of that apology is what the hook reports.
func TestHTTPPanic(t *testing.T) {
	s := newSigner(t)
	var answered []answer
	var panics []any
	onPanic := func(v any, _ []byte) { panics = append(panics, v) }
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), Hooks: Hooks{Answered: func(kind string, o bot.Outcome, _ time.Duration) {
		answered = append(answered, answer{kind, o})
	}}},
		bot.Recover(bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { panic("boom") }), onPanic),
		bot.RecoverCompleter(bot.CompleterFunc(func(context.Context, string) []bot.Choice { panic("bang") }), onPanic))
	if err != nil {
		t.Fatal(err)
	}
	w := serve(h, s.request(ts, []byte(guildCommand)))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Sorry, something went wrong") || !strings.Contains(w.Body.String(), `"flags":64`) {
		t.Errorf("after a panic: %d %s", w.Code, w.Body)
	}
	w = serve(h, s.request(ts, []byte(dmAutocomplete)))
	if w.Code != 200 || w.Body.String() != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("after a panic in the completer: %d %s", w.Code, w.Body)
	}
	if len(panics) != 2 || panics[0] != "boom" || panics[1] != "bang" {
		t.Errorf("panics reported: %v, want boom and bang", panics)
	}
	want := []answer{{string(bot.KindError), bot.OutcomeOK}, {kindAutocomplete, bot.OutcomeOK}}
	if !slices.Equal(answered, want) {
		t.Errorf("Answered calls = %v, want %v: the apology was delivered", answered, want)
	}
}

// FuzzHTTPHandler sends signed and unsigned bodies: the handler never
// panics, unsigned ones always get 401, and every 200 is valid JSON.
func FuzzHTTPHandler(f *testing.F) {
	for _, b := range []string{guildCommand, dmAutocomplete, `{"type":1}`, `{"type":2,"data":{"options":[{"name":"query","value":"@everyone"}]}}`, `{`, ``} {
		f.Add([]byte(b), true)
		f.Add([]byte(b), false)
	}
	s := newSigner(f)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, stubHandler, stubCompleter)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		r := s.request(ts, body)
		if !signed {
			r.Header.Set("X-Signature-Ed25519", s.sign("1", body))
		}
		w := serve(h, r)
		switch {
		case !signed && w.Code != http.StatusUnauthorized:
			t.Fatalf("unsigned body got %d", w.Code)
		case w.Code == http.StatusOK && !json.Valid(w.Body.Bytes()):
			t.Fatalf("200 with invalid JSON %q", w.Body)
		case w.Code != http.StatusOK && w.Code != http.StatusBadRequest && w.Code != http.StatusUnauthorized:
			t.Fatalf("status %d", w.Code)
		}
	})
}

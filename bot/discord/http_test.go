package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
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
	var resp sent
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
		{"signed, a modal", s.request(ts, []byte(`{"type":5,"id":"1","token":"t","data":{"custom_id":"x","components":[]}}`)), http.StatusBadRequest},
		{"signed, a button press that is not JSON", s.request(ts, []byte(`{"type":3,"data":`)), http.StatusBadRequest},
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

// FuzzHTTPHandler sends signed and unsigned bodies, commands and button
// presses among them, to the endpoint answering with the real bot: the
// handler never panics, unsigned ones always get 401, every 200 is valid
// JSON, and a button press is always answered privately: a new ephemeral
// message (type 4, flags 64) or an update of the person's own (type 7).
func FuzzHTTPHandler(f *testing.F) {
	b := theBot(f)
	var seeds []string
	for _, bt := range b.Handle(context.Background(), bot.Query{Text: "list", Platform: platform}).Buttons {
		seeds = append(seeds, componentJSON("1300000000000000050", "tok", bt.Value, 2, 64), componentJSON("1300000000000000051", "tok", bt.Value, 2, 0))
	}
	for _, s := range append(seeds, guildCommand, dmAutocomplete, `{"type":1}`, `{"type":2,"data":{"options":[{"name":"query","value":"@everyone"}]}}`, `{`, ``,
		componentJSON("1", "t", "v1:0db34b73:timeline:c/UG", 2, 0), componentJSON("1", "t", "", 2, 64), componentJSON("1", "t", "x", 3, 0),
		`{"type":3,"id":"1","token":"t"}`, `{"type":3,"id":"1","token":"t","data":null}`, `{"type":3,"data":{"custom_id":5}}`,
		strings.Replace(guildCommand, `"value":"uganda"`, `"value":"map"`, 1)) {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	s := newSigner(f)
	// Follow-ups, should an answer carry an image, go nowhere: a port
	// nothing listens on.
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), APIURL: "http://127.0.0.1:1"}, b, stubCompleter)
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
		if w.Code != http.StatusOK || !isPress(body) {
			return
		}
		var resp sent
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%v: %s", err, w.Body)
		}
		private := resp.Type == discordgo.InteractionResponseChannelMessageWithSource && resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0
		if !private && resp.Type != discordgo.InteractionResponseUpdateMessage {
			t.Fatalf("a button press answered with %s", w.Body)
		}
	})
}

// isPress reports whether body is a button press the endpoint answers.
func isPress(body []byte) bool {
	i, err := decodeInteraction(body)
	if err != nil {
		i, err = pressWithoutData(body)
	}
	return err == nil && i.Type == discordgo.InteractionMessageComponent
}

// readSignal signals once its first Read has returned: by then the handler
// has made the buffer it reads into.
type readSignal struct {
	io.ReadCloser
	once sync.Once
	read chan<- struct{}
}

func (r *readSignal) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.once.Do(func() { r.read <- struct{}{} })
	return n, err
}

// TestHTTPBodyGrowsWithBytesReceived opens many connections that claim the
// largest body allowed and send one byte of it: the memory held while they
// wait grows with what was received, not with what Content-Length claims.
func TestHTTPBodyGrowsWithBytesReceived(t *testing.T) {
	const conns, maxBody = 200, 1 << 20
	s := newSigner(t)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), MaxBodyBytes: maxBody}, stubHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan struct{}, conns)
	done := make(chan int, conns)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &readSignal{ReadCloser: r.Body, read: read}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		done <- rec.Code
	}))
	defer srv.Close()

	heapInuse := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapInuse)
	}
	before := heapInuse()
	head := "POST /discord/interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
		"X-Signature-Timestamp: " + ts + "\r\nX-Signature-Ed25519: " + strings.Repeat("00", 64) + "\r\n" +
		"Content-Length: " + strconv.Itoa(maxBody) + "\r\n\r\n{"
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		if _, err := io.WriteString(c, head); err != nil {
			t.Fatal(err)
		}
	}
	for i := range conns {
		wait(t, read, fmt.Sprintf("handler %d to read its first byte", i))
	}
	growth := heapInuse() - before
	t.Logf("%d connections each claiming %d bytes and sending 1: heap in use grew by %d bytes (%d per connection; pre-sized buffers would take %d)",
		conns, maxBody, growth, growth/conns, conns*maxBody)
	if limit := int64(conns * maxBody / 16); growth > limit {
		t.Errorf("heap in use grew by %d bytes, want at most %d", growth, limit)
	}
	for _, c := range open {
		c.Close()
	}
	for i := range conns {
		if code := wait(t, done, fmt.Sprintf("handler %d to give up", i)); code != http.StatusBadRequest {
			t.Errorf("a cut-off body got %d, want 400", code)
		}
	}
}

// TestHTTPRejectLog sends a thousand unsigned requests with 16 KB headers
// in one second: one line is logged, with a fixed reason and a short clean
// excerpt of the User-Agent; the next line a second later says how many
// were suppressed. Each reason is sampled on its own.
func TestHTTPRejectLog(t *testing.T) {
	const n = 1000
	var logs testkit.LogBuffer
	now := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	var failures atomic.Int32
	s := newSigner(t)
	clock := func() time.Time { return now }
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), Logger: logs.LoggerAt(clock), Now: clock,
		Hooks: Hooks{SignatureFailure: func() { failures.Add(1) }}}, stubHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	hostile := "Mozilla/5.0\n" + `time=2001-02-03T04:05:06.000Z level=ERROR msg="forged line" ` + "\x1b[31m\u202e" + strings.Repeat("A", 16<<10)
	for i := range n {
		r := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(guildCommand))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("User-Agent", hostile)
		r.Header.Set("X-Signature-Timestamp", ts)
		r.Header.Set("X-Signature-Ed25519", strings.Repeat("zz", 8<<10))
		r.Header.Set("X-Junk", strings.Repeat("j", 16<<10))
		if w := serve(h, r); w.Code != http.StatusUnauthorized {
			t.Fatalf("request %d: %d, want 401", i, w.Code)
		}
		now = now.Add(time.Millisecond / 2) // all n in half a second
	}
	flood := logs.Len()
	// Another reason in the same second is logged on its own.
	serve(h, httptest.NewRequest(http.MethodGet, "/discord/interactions", nil))
	now = now.Add(time.Second)
	bad := s.request(ts, []byte(guildCommand))
	bad.Header.Set("X-Signature-Ed25519", "")
	serve(h, bad)

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want 3 (the first rejection, the GET, the next rejection a second later):\n%s", len(lines), logs.String())
	}
	first, get, next := lines[0], lines[1], lines[2]
	t.Logf("%d rejected requests with 16 KB headers: %d bytes of log, %.2f bytes per request\n%s",
		n, flood, float64(flood)/n, logs.String())
	if flood > 1024 {
		t.Errorf("the flood logged %d bytes, want a few hundred", flood)
	}
	for _, want := range []string{`time=2001-02-03T04:05:06.000Z`, `reason="missing or malformed signature headers"`, `status=401`,
		`user_agent="Mozilla/5.0?time=2001-02-03T04:05:06.000Z level=ERROR msg=\"forge"`} {
		if !strings.Contains(first, want) {
			t.Errorf("first line lacks %s: %s", want, first)
		}
	}
	if strings.Contains(first, "suppressed") || strings.Contains(logs.String(), "AAAA") || strings.Contains(logs.String(), "jjjj") {
		t.Errorf("unexpected text in the log:\n%s", logs.String())
	}
	if !strings.Contains(get, `reason="method not allowed"`) {
		t.Errorf("the GET's line: %s", get)
	}
	if !strings.Contains(next, "suppressed=999") || !strings.Contains(next, "time=2001-02-03T04:05:07.500Z") {
		t.Errorf("the line a second later should say 999 were suppressed: %s", next)
	}
	if got := failures.Load(); got != n+1 {
		t.Errorf("SignatureFailure called %d times, want every one of %d", got, n+1)
	}
}

// TestHTTPRejectLogClockSetBack: a clock set back (by NTP, by hand) does
// not silence the rejection log until it catches up again.
func TestHTTPRejectLogClockSetBack(t *testing.T) {
	var logs testkit.LogBuffer
	now := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	h, err := NewHTTPHandler(Config{PublicKey: newSigner(t).publicHex(), Logger: logs.Logger(), Now: func() time.Time { return now }}, stubHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	get := func() {
		t.Helper()
		if w := serve(h, httptest.NewRequest(http.MethodGet, "/discord/interactions", nil)); w.Code != http.StatusMethodNotAllowed {
			t.Fatalf("GET: %d, want 405", w.Code)
		}
	}
	get()
	get() // the same second: counted, not logged
	now = now.Add(-time.Hour)
	get()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `reason="method not allowed"`) || !strings.Contains(lines[1], "suppressed=1") {
		t.Errorf("log after the clock was set back an hour = %q, want a second line saying one was suppressed", logs.String())
	}
}

func TestExcerpt(t *testing.T) {
	for in, want := range map[string]string{
		"": "",
		"Discord-Interactions/1.0 (+https://discord.com)": "Discord-Interactions/1.0 (+https://discord.com)",
		"a\nb\x00c\u202ed\x7f":                            "a?b?c?d?",
		strings.Repeat("x", 65):                           strings.Repeat("x", 64),
		strings.Repeat("é", 40):                           strings.Repeat("?", 32),
	} {
		if got := excerpt(in); got != want || len(got) > bot.MaxLogExcerpt {
			t.Errorf("excerpt(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHTTPHelpShowsUsage asks the real bot for help through the endpoint:
// the answer starts with how to ask on Discord.
func TestHTTPHelpShowsUsage(t *testing.T) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	s := newSigner(t)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, bot.New(store, bot.Options{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"type":2,"id":"1","token":"t","data":{"name":"agreement"},"user":{"id":"42"}}`, // /agreement alone
		strings.Replace(guildCommand, `"value":"uganda"`, `"value":"help"`, 1),
	} {
		w := serve(h, s.request(ts, []byte(body)))
		var resp sent
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || resp.Data == nil || len(resp.Data.Embeds) != 1 {
			t.Fatalf("help: %d %s", w.Code, w.Body)
		}
		fs := resp.Data.Embeds[0].Fields
		if len(fs) == 0 || fs[0].Name != "How to ask here" {
			t.Fatalf("help's first field is not how to ask here: %+v", fs)
		}
		var want []string
		for _, u := range usage {
			want = append(want, bullet+esc(u))
		}
		if got := strings.Split(fs[0].Value, "\n"); !slices.Equal(got, want) {
			t.Errorf("how to ask here = %q, want Discord's usage %q", got, want)
		}
		if !strings.Contains(fs[0].Value, `/agreement query:\<query\>`) {
			t.Errorf("usage lacks the command as typed: %s", fs[0].Value)
		}
	}
}

// TestEncodedAnswersAreReused: a command's answer with a cache key is
// encoded once over HTTP and its bytes reused for the same key; the
// handler runs every time.
func TestEncodedAnswersAreReused(t *testing.T) {
	s := newSigner(t)
	calls := 0
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		calls++
		return bot.Reply{Kind: bot.KindCountry, Title: "Call " + strconv.Itoa(calls), Summary: q.Text, CacheKey: q.Text}
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	first := serve(h, s.request(ts, []byte(guildCommand))).Body.String()
	again := serve(h, s.request(ts, []byte(guildCommand))).Body.String()
	other := serve(h, s.request(ts, []byte(strings.Replace(guildCommand, `"value":"uganda"`, `"value":"ghana"`, 1)))).Body.String()
	if first != again || !strings.Contains(again, "Call 1") {
		t.Errorf("the same key encoded anew:\n%s\n%s", first, again)
	}
	if other == first || !strings.Contains(other, "Call 3") || calls != 3 {
		t.Errorf("another key reused an answer, or the handler was skipped (%d calls):\n%s", calls, other)
	}
}

package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/agreementbot/agreementbot/bot"
)

// fakeSlack is Slack's Web API and Socket Mode endpoint on 127.0.0.1,
// speaking the wire protocol: apps.connections.open hands out its own ws://
// URL; the WebSocket says hello, pings, carries the envelopes a test sends
// and records the acknowledgements; auth.test, chat.postMessage and
// chat.postEphemeral are recorded. It also takes what is posted to
// response_urls (/hooks/..., on its own host, or hooks.slack.com through
// its transport), and the files upload v2 flow as slack-go drives it:
// files.getUploadURLExternal hands out an upload URL on its own host,
// the bytes are POSTed there as multipart, and files.completeUploadExternal
// shares the file.
type fakeSlack struct {
	t        testing.TB
	srv      *httptest.Server
	upgrader websocket.Upgrader

	botToken, appToken string
	openError          string // apps.connections.open answers {"ok":false,"error":openError}
	authError          string // auth.test likewise
	pingEvery          time.Duration

	opens   atomic.Int32
	conns   chan *fakeConn
	posts   chan fakePost
	hooks   chan fakeHook
	uploads chan fakeUpload

	mu           sync.Mutex
	all          []*fakeConn
	chatFailures []string // answers to give chat.* calls before succeeding: "429:<seconds>" or "503"
	chatCalls    int
	uploadError  string                // files.completeUploadExternal answers {"ok":false,"error":uploadError}
	files        map[string]fakeUpload // uploads begun, by file id
}

// fakeHook is a message posted to a response_url.
type fakeHook struct {
	path string
	msg  hookMessage
	raw  []byte
}

// hookMessage is what the bot may post to a response_url.
type hookMessage struct {
	Text            string          `json:"text"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
	Blocks          json.RawMessage `json:"blocks"`
}

// fakeUpload is a file uploaded and shared.
type fakeUpload struct {
	id, filename, alt         string
	length                    int
	data                      []byte
	channel, threadTS, title  string
	comment                   string
	multipartFile, authorized bool
}

type fakePost struct {
	method string
	form   url.Values
}

type fakeConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	acks    chan fakeAck
	done    chan struct{}
	noPings atomic.Bool
}

type fakeAck struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

const (
	fakeBotToken = "xoxb-1-fake-bot"
	fakeAppToken = "xapp-1-fake-app"
	fakeTeam     = "T0FAKE"
	fakeBotUser  = "U0BOT"
	fakeAsker    = "U0ASKER"
	fakeChannel  = "C0FAKE"
	fakeDM       = "D0FAKE"
)

// newFakeSlack starts a fake; change its fields before the bot connects.
func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{
		t:         t,
		botToken:  fakeBotToken,
		appToken:  fakeAppToken,
		pingEvery: 20 * time.Millisecond,
		conns:     make(chan *fakeConn, 10),
		posts:     make(chan fakePost, 100),
		hooks:     make(chan fakeHook, 100),
		uploads:   make(chan fakeUpload, 100),
		files:     map[string]fakeUpload{},
	}
	// socketmode dials with Origin: https://api.slack.com, which gorilla's
	// default check refuses.
	f.upgrader.CheckOrigin = func(*http.Request) bool { return true }
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/apps.connections.open", f.connectionsOpen)
	mux.HandleFunc("POST /api/auth.test", f.authTest)
	mux.HandleFunc("POST /api/chat.postMessage", f.chat)
	mux.HandleFunc("POST /api/chat.postEphemeral", f.chat)
	mux.HandleFunc("GET /link/", f.link)
	mux.HandleFunc("POST /hooks/", f.hook)
	mux.HandleFunc("POST /api/files.getUploadURLExternal", f.getUploadURL)
	mux.HandleFunc("POST /upload/{id}", f.uploadBytes)
	mux.HandleFunc("POST /api/files.completeUploadExternal", f.completeUpload)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.mu.Lock()
		for _, c := range f.all {
			c.ws.Close()
		}
		f.mu.Unlock()
		f.srv.Close()
	})
	return f
}

// apiURL is the Web API base URL for Config.APIURL.
func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

// config points a bot at the fake. The ping interval is the default 30 s:
// a loaded machine must not make the bot see a dead link and reconnect
// when a test does not ask for it.
func (f *fakeSlack) config() Config {
	return Config{
		BotToken: f.botToken,
		AppToken: f.appToken,
		APIURL:   f.apiURL(),
		Logger:   testLogger(f.t),
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	f.opens.Add(1)
	switch {
	case r.Header.Get("Authorization") != "Bearer "+f.appToken:
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
	case f.openError != "":
		writeJSON(w, map[string]any{"ok": false, "error": f.openError})
	default:
		writeJSON(w, map[string]any{"ok": true, "url": "ws://" + r.Host + "/link/?ticket=" + fmt.Sprint(f.opens.Load())})
	}
}

func (f *fakeSlack) authTest(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	switch {
	case r.PostForm.Get("token") != f.botToken:
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
	case f.authError != "":
		writeJSON(w, map[string]any{"ok": false, "error": f.authError})
	default:
		writeJSON(w, map[string]any{"ok": true, "url": "https://newsroom.slack.com/", "team": "Newsroom",
			"user": "agreementbot", "team_id": fakeTeam, "user_id": fakeBotUser, "bot_id": "B0BOT"})
	}
}

func (f *fakeSlack) chat(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	f.mu.Lock()
	f.chatCalls++
	f.mu.Unlock()
	if r.PostForm.Get("token") != f.botToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	var fail string
	if len(f.chatFailures) > 0 {
		fail, f.chatFailures = f.chatFailures[0], f.chatFailures[1:]
	}
	f.mu.Unlock()
	switch {
	case strings.HasPrefix(fail, "429:"):
		w.Header().Set("Retry-After", strings.TrimPrefix(fail, "429:"))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case fail == "503":
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	f.posts <- fakePost{method: method, form: r.PostForm}
	writeJSON(w, map[string]any{"ok": true, "channel": r.PostForm.Get("channel"), "ts": "1700000999.000100", "message_ts": "1700000999.000100"})
}

// hookURL is a response_url on the fake's own host, as SLACK_API_URL's
// host is allowed.
func (f *fakeSlack) hookURL(name string) string { return f.srv.URL + "/hooks/" + name }

// transport sends requests for hooks.slack.com to the fake, so that tests
// can use real-looking response_urls and nothing ever leaves the machine:
// anything else on the internet is refused.
func (f *fakeSlack) transport() http.RoundTripper {
	base := f.srv.Client().Transport
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		switch {
		case r.URL.Host == "hooks.slack.com" || r.URL.Host == "hooks.slack-gov.com":
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host = "http", f.srv.Listener.Addr().String()
			r.URL.Path = "/hooks" + strings.TrimPrefix(r.URL.Path, "/hooks")
			r.Host = ""
		case r.URL.Host != f.srv.Listener.Addr().String():
			return nil, fmt.Errorf("fake slack: no request leaves the machine (%s)", r.URL.Host)
		}
		return base.RoundTrip(r)
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (rt roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return rt(r) }

func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h := fakeHook{path: r.URL.Path, raw: b}
	if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &h.msg) != nil {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "invalid_payload")
		return
	}
	f.hooks <- h
	io.WriteString(w, "ok")
}

func (f *fakeSlack) getUploadURL(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if r.PostForm.Get("token") != f.botToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	n, err := strconv.Atoi(r.PostForm.Get("length"))
	if err != nil || n <= 0 || r.PostForm.Get("filename") == "" {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	id := "F0" + strconv.Itoa(len(f.files)+1)
	f.files[id] = fakeUpload{id: id, filename: r.PostForm.Get("filename"), length: n, alt: r.PostForm.Get("alt_txt")}
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/" + id, "file_id": id})
}

func (f *fakeSlack) uploadBytes(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	file, _, err := r.FormFile("file")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	f.mu.Lock()
	u, ok := f.files[id]
	if ok {
		u.data, u.multipartFile = data, true
		u.authorized = r.Header.Get("Authorization") == "Bearer "+f.botToken
		f.files[id] = u
	}
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if r.PostForm.Get("token") != f.botToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	var files []struct{ ID, Title string }
	if json.Unmarshal([]byte(r.PostForm.Get("files")), &files) != nil || len(files) != 1 {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	u, ok := f.files[files[0].ID]
	fail := f.uploadError
	f.mu.Unlock()
	switch {
	case !ok || !u.multipartFile:
		writeJSON(w, map[string]any{"ok": false, "error": "file_not_found"})
		return
	case fail != "":
		writeJSON(w, map[string]any{"ok": false, "error": fail})
		return
	}
	u.channel, u.threadTS, u.comment, u.title = r.PostForm.Get("channel_id"), r.PostForm.Get("thread_ts"), r.PostForm.Get("initial_comment"), files[0].Title
	f.uploads <- u
	writeJSON(w, map[string]any{"ok": true, "files": []map[string]any{{"id": u.id, "title": u.title}}})
}

func (f *fakeSlack) nextHook(t testing.TB) fakeHook {
	t.Helper()
	select {
	case h := <-f.hooks:
		return h
	case <-time.After(waitLong):
		t.Fatal("fake slack: nothing posted to a response_url")
		return fakeHook{}
	}
}

func (f *fakeSlack) nextUpload(t testing.TB) fakeUpload {
	t.Helper()
	select {
	case u := <-f.uploads:
		return u
	case <-time.After(waitLong):
		t.Fatal("fake slack: no file shared")
		return fakeUpload{}
	}
}

// noHooks checks that nothing was posted to a response_url or uploaded
// that a test has not taken; like noPosts, once every answer is done.
func (f *fakeSlack) noHooks(t testing.TB) {
	t.Helper()
	for {
		select {
		case h := <-f.hooks:
			t.Errorf("unexpected response_url post to %s: %s", h.path, h.raw)
		case u := <-f.uploads:
			t.Errorf("unexpected upload of %s to %s", u.filename, u.channel)
		default:
			return
		}
	}
}

func (f *fakeSlack) link(w http.ResponseWriter, r *http.Request) {
	ws, err := f.upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("fake slack: upgrade: %v", err)
		return
	}
	c := &fakeConn{ws: ws, acks: make(chan fakeAck, 100), done: make(chan struct{})}
	f.mu.Lock()
	f.all = append(f.all, c)
	f.mu.Unlock()
	c.send(`{"type":"hello","num_connections":1,"debug_info":{"host":"applink-fake","build_number":1,"approximate_connection_time":18060},"connection_info":{"app_id":"A0FAKE"}}`)
	go c.read()
	go c.ping(f.pingEvery)
	f.conns <- c
}

func (c *fakeConn) read() {
	defer close(c.done)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var a fakeAck
		if json.Unmarshal(data, &a) == nil {
			c.acks <- a
		}
	}
}

// ping sends WebSocket pings as Slack does, until the connection ends or
// the test silences it.
func (c *fakeConn) ping(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if !c.noPings.Load() {
				c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
			}
		}
	}
}

func (c *fakeConn) send(msg string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.WriteMessage(websocket.TextMessage, []byte(msg))
}

// drop cuts the TCP connection without a close frame.
func (c *fakeConn) drop() { c.ws.UnderlyingConn().Close() }

// waitLong is how long a test waits for something that must happen: far
// longer than it takes even on a loaded machine, so that it never decides
// a test, only ends a broken one.
const waitLong = 30 * time.Second

func (f *fakeSlack) nextConn(t testing.TB) *fakeConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(waitLong):
		t.Fatal("fake slack: no WebSocket connection")
		return nil
	}
}

func (c *fakeConn) nextAck(t testing.TB) fakeAck {
	t.Helper()
	select {
	case a := <-c.acks:
		return a
	case <-time.After(waitLong):
		t.Fatal("fake slack: no ack")
		return fakeAck{}
	}
}

func (f *fakeSlack) nextPost(t testing.TB) fakePost {
	t.Helper()
	select {
	case p := <-f.posts:
		return p
	case <-time.After(waitLong):
		t.Fatal("fake slack: no chat.postMessage")
		return fakePost{}
	}
}

// noPosts checks that nothing was posted that a test has not taken. Call
// it only once every answer is done (after Drain, or after Run returned),
// so that it waits for nothing.
func (f *fakeSlack) noPosts(t testing.TB) {
	t.Helper()
	for {
		select {
		case p := <-f.posts:
			t.Errorf("unexpected %s to %s: %q", p.method, p.form.Get("channel"), p.form.Get("text"))
		default:
			return
		}
	}
}

// slashEnvelope is a slash_commands envelope as Slack sends it over Socket
// Mode (is_enterprise_install arrives as a string there).
func slashEnvelope(envelopeID, text string) string {
	b, _ := json.Marshal(map[string]any{
		"envelope_id": envelopeID,
		"type":        "slash_commands",
		"payload": map[string]any{
			"token": "XXYYZZ", "team_id": fakeTeam, "team_domain": "newsroom",
			"channel_id": fakeChannel, "channel_name": "desk", "user_id": fakeAsker, "user_name": "reporter",
			"command": "/agreement", "text": text, "api_app_id": "A0FAKE", "is_enterprise_install": "false",
			"response_url": "https://hooks.slack.com/commands/T0FAKE/1/x", "trigger_id": "1.2.3",
		},
		"accepts_response_payload": true,
	})
	return string(b)
}

// eventEnvelope is an events_api envelope carrying an event_callback.
func eventEnvelope(envelopeID, eventID string, retry int, event map[string]any) string {
	b, _ := json.Marshal(map[string]any{
		"envelope_id":              envelopeID,
		"type":                     "events_api",
		"payload":                  eventCallback(eventID, event),
		"accepts_response_payload": false,
		"retry_attempt":            retry,
		"retry_reason":             map[bool]string{true: "timeout"}[retry > 0],
	})
	return string(b)
}

// eventCallback is the Events API payload, as POSTed to /slack/events.
func eventCallback(eventID string, event map[string]any) map[string]any {
	return map[string]any{
		"token": "XXYYZZ", "team_id": fakeTeam, "api_app_id": "A0FAKE",
		"event": event, "type": "event_callback", "event_id": eventID, "event_time": 1700000000,
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": fakeTeam, "user_id": fakeBotUser, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false, "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
	}
}

func mentionEvent(text, ts string) map[string]any {
	return map[string]any{
		"client_msg_id": "c714568f-" + ts, "type": "app_mention", "text": text, "user": fakeAsker,
		"ts": ts, "team": fakeTeam, "channel": fakeChannel, "event_ts": ts,
	}
}

func dmEvent(text, ts string) map[string]any {
	return map[string]any{
		"client_msg_id": "d714568f-" + ts, "type": "message", "text": text, "user": fakeAsker,
		"ts": ts, "team": fakeTeam, "channel": fakeDM, "event_ts": ts, "channel_type": "im",
	}
}

// recorder is a stub bot: it records each query and echoes it back in a
// reply, private when the text contains "help".
type recorder struct {
	mu      sync.Mutex
	queries []bot.Query
}

func (rec *recorder) Handle(_ context.Context, q bot.Query) bot.Reply {
	rec.mu.Lock()
	rec.queries = append(rec.queries, q)
	rec.mu.Unlock()
	r := bot.Reply{
		Kind: bot.KindCountry, Query: q.Text, Title: "Echo", Status: "signed",
		Summary: "You asked: " + q.Text, AsOf: "2025-09-10",
		Sources: []bot.Source{{ID: "S1", Outlet: "Reuters", Date: "2025-08-20", URL: "https://example.com/a?b=1&c=2"}},
	}
	if strings.Contains(q.Text, "help") {
		r.Kind, r.Visibility = bot.KindHelp, bot.Private
	}
	return r
}

// last returns the last query handled. Every Slack query must carry
// Slack's usage lines; last checks that and returns the query without
// them, so tests can compare the rest with ==.
func (rec *recorder) last(t testing.TB) bot.Query {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.queries) == 0 {
		t.Fatal("handler not called")
	}
	q := rec.queries[len(rec.queries)-1]
	if !slices.Equal(q.Usage, usage) {
		t.Errorf("query usage = %q, want Slack's %q", q.Usage, usage)
	}
	q.Usage = nil
	return q
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.queries)
}

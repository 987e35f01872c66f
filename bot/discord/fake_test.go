package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeDiscord speaks enough of Discord's REST API and gateway protocol for
// the real discordgo session: the token check, the gateway lookup, command
// registration, interaction callbacks, and a WebSocket gateway that says
// HELLO, takes IDENTIFY and RESUME, answers heartbeats and dispatches the
// events a test sends.
type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	botToken    string // the Authorization header it accepts
	rejectToken bool   // answer the token check with 401
	rejectGW    bool   // answer the gateway lookup with 401
	closeCode   int    // close the gateway with this code after IDENTIFY
	resumeClose int    // close with this code after the first RESUME

	mu         sync.Mutex
	conn       *fakeConn // the current gateway connection
	seq        int
	identifies int
	resumes    int
	replies    []fakeReply // scripted callback answers, used in order; then 204

	callbacks  chan fakeRequest
	overwrites chan fakeRequest
	followups  chan fakeRequest // posts to interaction webhooks
	handshakes chan string      // "READY" or "RESUMED" after each

	// hold, when set, keeps each webhook post waiting until it is closed
	// or the request is cancelled.
	hold chan struct{}
}

type fakeRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

type fakeReply struct {
	status int
	header map[string]string
	body   string
}

type fakeConn struct {
	mu sync.Mutex // gorilla allows one writer at a time
	ws *websocket.Conn
}

func (c *fakeConn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

const (
	fakeAppID     = "1090000000000000000"
	fakeGuildID   = "1100000000000000000"
	fakeBotToken  = "fake-bot-token.secret"
	fakeSessionID = "fake-session-1"
)

// newFakeDiscord starts a fake; opts set its behaviour before it serves.
func newFakeDiscord(t *testing.T, opts ...func(*fakeDiscord)) *fakeDiscord {
	f := &fakeDiscord{
		t:          t,
		botToken:   "Bot " + fakeBotToken,
		callbacks:  make(chan fakeRequest, 16),
		overwrites: make(chan fakeRequest, 16),
		followups:  make(chan fakeRequest, 64),
		handshakes: make(chan string, 16),
	}
	for _, o := range opts {
		o(f)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/users/@me", func(w http.ResponseWriter, r *http.Request) {
		if f.rejectToken || r.Header.Get("Authorization") != f.botToken {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message": "401: Unauthorized", "code": 0}`)
			return
		}
		io.WriteString(w, `{"id":"`+fakeAppID+`","username":"agreementbot","discriminator":"0","bot":true}`)
	})
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		if f.rejectGW {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message": "401: Unauthorized", "code": 0}`)
			return
		}
		fmt.Fprintf(w, `{"url":"ws://%s/gw"}`, r.Host)
	})
	overwrite := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != f.botToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if f.reply(w) {
			return
		}
		f.overwrites <- fakeRequest{r.Method, r.URL.Path, r.Header, body}
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"Invalid Form Body","code":50035}`)
			return
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprint(1200000000000000000 + i)
			c["application_id"] = r.PathValue("app")
		}
		json.NewEncoder(w).Encode(cmds)
	}
	mux.HandleFunc("PUT /api/v9/applications/{app}/commands", overwrite)
	mux.HandleFunc("PUT /api/v9/applications/{app}/guilds/{guild}/commands", overwrite)
	mux.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.callbacks <- fakeRequest{r.Method, r.URL.Path, r.Header, body}
		if !f.reply(w) {
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("POST /api/v9/webhooks/{app}/{token}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.followups <- fakeRequest{r.Method, r.URL.Path, r.Header, body}
		if f.hold != nil {
			select {
			case <-f.hold:
			case <-r.Context().Done():
				return
			}
		}
		if !f.reply(w) {
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("/gw/", f.gateway) // discordgo appends a slash to the URL
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.mu.Lock()
		if f.conn != nil {
			f.conn.ws.Close()
		}
		f.mu.Unlock()
		f.srv.Close()
	})
	return f
}

// URL is the fake's base URL, for Config.APIURL.
func (f *fakeDiscord) URL() string { return f.srv.URL }

// script queues answers for the next callbacks and registrations.
func (f *fakeDiscord) script(rs ...fakeReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, rs...)
}

// reply writes the next scripted answer, if any.
func (f *fakeDiscord) reply(w http.ResponseWriter) bool {
	f.mu.Lock()
	if len(f.replies) == 0 {
		f.mu.Unlock()
		return false
	}
	r := f.replies[0]
	f.replies = f.replies[1:]
	f.mu.Unlock()
	for k, v := range r.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	io.WriteString(w, r.body)
	return true
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	defer ws.Close()
	if c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}}) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(msg, &p) != nil {
			return
		}
		switch p.Op {
		case 1: // heartbeat
			c.write(map[string]any{"op": 11})
		case 2: // identify
			var id struct {
				Token   string  `json:"token"`
				Intents *int    `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			json.Unmarshal(p.D, &id)
			f.mu.Lock()
			f.identifies++
			f.mu.Unlock()
			if id.Token != f.botToken {
				f.t.Errorf("IDENTIFY with token %q, want the bot token", id.Token)
			}
			if id.Intents == nil || *id.Intents != 0 {
				f.t.Errorf("IDENTIFY asks for intents %v, want none", id.Intents)
			}
			if f.closeCode != 0 {
				c.mu.Lock()
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(f.closeCode, "closed by the fake"), time.Now().Add(time.Second))
				c.mu.Unlock()
				return
			}
			f.handshake(c, "READY", map[string]any{
				"v": 10, "session_id": fakeSessionID, "resume_gateway_url": "ws://" + r.Host + "/gw",
				"user":        map[string]any{"id": fakeAppID, "username": "agreementbot", "bot": true},
				"application": map[string]any{"id": fakeAppID, "flags": 0},
				"guilds":      []any{},
			})
		case 6: // resume
			var res struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
			}
			json.Unmarshal(p.D, &res)
			if res.SessionID != fakeSessionID || res.Token != f.botToken {
				f.t.Errorf("RESUME of session %q with token %q", res.SessionID, res.Token)
			}
			f.mu.Lock()
			f.resumes++
			code := f.resumeClose
			f.resumeClose = 0
			f.mu.Unlock()
			if code != 0 {
				c.mu.Lock()
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "session timed out"), time.Now().Add(time.Second))
				c.mu.Unlock()
				return
			}
			f.handshake(c, "RESUMED", map[string]any{})
		}
	}
}

func (f *fakeDiscord) handshake(c *fakeConn, event string, d any) {
	f.mu.Lock()
	f.conn = c
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	c.write(map[string]any{"op": 0, "t": event, "s": seq, "d": d})
	f.handshakes <- event
}

// dispatch sends an event on the current gateway connection.
func (f *fakeDiscord) dispatch(event string, d string) {
	f.t.Helper()
	f.mu.Lock()
	f.seq++
	seq, c := f.seq, f.conn
	f.mu.Unlock()
	if c == nil {
		f.t.Fatal("dispatch with no gateway connection")
	}
	if err := c.write(map[string]any{"op": 0, "t": event, "s": seq, "d": json.RawMessage(d)}); err != nil {
		f.t.Fatalf("dispatch %s: %v", event, err)
	}
}

// drop cuts the gateway connection without a close frame, as a network
// failure would.
func (f *fakeDiscord) drop() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.mu.Unlock()
	if c != nil {
		c.ws.NetConn().Close()
	}
}

func (f *fakeDiscord) counts() (identifies, resumes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.identifies, f.resumes
}

// waitTimeout bounds each wait for the fake to see something; a failure,
// never a pause.
const waitTimeout = 10 * time.Second

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// interactionJSON builds an interaction as Discord sends it.
func interactionJSON(typ int, id, token, query string, focused bool) string {
	q, _ := json.Marshal(query)
	return fmt.Sprintf(`{"application_id":%q,"channel_id":"1100000000000000001","context":0,"data":{"id":"1300000000000000001","name":"agreement","options":[{"name":"query","type":3,"value":%s,"focused":%v}],"type":1},"guild_id":%q,"id":%q,"locale":"en-US","member":{"user":{"id":"1000000000000000001","username":"reporter"},"roles":[],"permissions":"0"},"token":%q,"type":%d,"version":1}`,
		fakeAppID, q, focused, fakeGuildID, id, token, typ)
}

// componentJSON builds a button press as Discord sends it: the button's
// custom_id and component type, on a message with the given flags (64:
// the person's own ephemeral message).
func componentJSON(id, token, customID string, componentType, messageFlags int) string {
	c, _ := json.Marshal(customID)
	return fmt.Sprintf(`{"application_id":%q,"channel_id":"1100000000000000001","context":0,"data":{"custom_id":%s,"component_type":%d},"guild_id":%q,"id":%q,"locale":"en-US","member":{"user":{"id":"1000000000000000001","username":"reporter"},"roles":[],"permissions":"0"},"message":{"id":"1400000000000000001","channel_id":"1100000000000000001","flags":%d,"content":"","embeds":[],"components":[]},"token":%q,"type":3,"version":1}`,
		fakeAppID, c, componentType, fakeGuildID, id, messageFlags, token)
}

// part is one file of a multipart body.
type part struct {
	field, filename, contentType string
	data                         []byte
}

// multipartBody splits a request Discord takes as multipart/form-data
// into its payload_json and its files.
func multipartBody(t *testing.T, req fakeRequest) (payload []byte, files []part) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(req.header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q, want multipart/form-data", req.header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(req.body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading the multipart body: %v", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		if p.FormName() == "payload_json" {
			payload = data
			continue
		}
		files = append(files, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data})
	}
	if payload == nil {
		t.Fatalf("multipart body without payload_json")
	}
	return payload, files
}

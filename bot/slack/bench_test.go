package slack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/knowledge"
)

// discardWriter is the cheapest http.ResponseWriter: the benchmark
// measures the handler, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header  { return w.h }
func (w *discardWriter) WriteHeader(code int) { w.status = code }
func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

// benchCommand prepares a signed "/agreement uganda" request against a
// handler whose bot returns a realistic country card; the request's body
// is rewound before each use.
func benchCommand(b *testing.B, cached bool) (*httpHandler, *http.Request, *bytes.Reader) {
	now := time.Unix(1700000000, 0)
	reply := countryReply()
	h := NewHTTPHandler(Config{
		SigningSecret: docSecret,
		BotToken:      fakeBotToken,
		APIURL:        "http://127.0.0.1:1/api/",
		Now:           func() time.Time { return now },
		Logger:        slog.New(slog.DiscardHandler),
	}, bot.HandlerFunc(func(ctx context.Context, q bot.Query) bot.Reply { return reply })).(*httpHandler)
	if !cached {
		h.cache = nil
	}
	body := strings.Replace(docBody, "text=", "text=uganda", 1)
	ts := "1700000000"
	rd := bytes.NewReader([]byte(body))
	r := &http.Request{
		Method:        http.MethodPost,
		URL:           &url.URL{Path: CommandsPath},
		Header:        http.Header{},
		Body:          io.NopCloser(rd),
		ContentLength: int64(len(body)),
		RemoteAddr:    "127.0.0.1:1234",
	}
	r = r.WithContext(context.Background())
	r.Header.Set("Content-Type", formType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", sign(docSecret, ts, body)) // signed once, verified every time
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, r)
	if w.status != http.StatusOK || w.n < 1000 {
		b.Fatalf("status %d, %d bytes", w.status, w.n)
	}
	return h, r, rd
}

func benchmarkHTTPCommand(b *testing.B, cached bool) {
	h, r, rd := benchCommand(b, cached)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rd.Seek(0, io.SeekStart)
		w.status, w.n = 0, 0
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
}

// BenchmarkHTTPCommand is the slash-command path of the HTTP handler:
// verify the signature, parse the form, answer (a stub returning a country
// card), render Block Kit and encode JSON, with the render cache on.
func BenchmarkHTTPCommand(b *testing.B) { benchmarkHTTPCommand(b, true) }

// BenchmarkHTTPCommandUncached renders and encodes every time.
func BenchmarkHTTPCommandUncached(b *testing.B) { benchmarkHTTPCommand(b, false) }

// BenchmarkVerify is the signature check alone, the floor of any request.
func BenchmarkVerify(b *testing.B) {
	h, r, rd := benchCommand(b, true)
	rd.Seek(0, io.SeekStart)
	body, _ := io.ReadAll(rd)
	b.ReportAllocs()
	for b.Loop() {
		if reason := h.verify(r.Header, body); reason != "" {
			b.Fatal(reason)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := countryReply()
	b.ReportAllocs()
	for b.Loop() {
		renderJSON(r)
	}
}

// BenchmarkHTTPCommandStore is the guard the issue sets (at most 60 µs/op):
// a signed "/agreement uganda" through the HTTP handler, answered by the
// real bot over the embedded store, signed at the current time and
// verified every time.
func BenchmarkHTTPCommandStore(b *testing.B) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	h := NewHTTPHandler(Config{
		SigningSecret: docSecret,
		BotToken:      fakeBotToken,
		APIURL:        "http://127.0.0.1:1/api/",
		Logger:        slog.New(slog.DiscardHandler),
	}, bot.New(store, bot.Options{}))
	body := strings.Replace(docBody, "text=", "text=uganda", 1)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	rd := bytes.NewReader([]byte(body))
	r := &http.Request{
		Method:        http.MethodPost,
		URL:           &url.URL{Path: CommandsPath},
		Header:        http.Header{},
		Body:          io.NopCloser(rd),
		ContentLength: int64(len(body)),
		RemoteAddr:    "127.0.0.1:1234",
	}
	r = r.WithContext(context.Background())
	r.Header.Set("Content-Type", formType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", sign(docSecret, ts, body))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rd.Seek(0, io.SeekStart)
		// What net/http gives each request: a fresh form and headers.
		r.Form, r.PostForm = nil, nil
		w.h, w.status, w.n = http.Header{}, 0, 0
		h.ServeHTTP(w, r)
		if w.status != http.StatusOK || w.n < 1000 {
			b.Fatalf("status %d, %d bytes", w.status, w.n)
		}
	}
}

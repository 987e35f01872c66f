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

// signedCommand is a slash command request for text, signed at the
// current time (slack-go checks the window against the real clock); its
// body is rewound with Seek before each use.
func signedCommand(text string) (*http.Request, *bytes.Reader) {
	body := strings.Replace(docBody, "text=", "text="+url.QueryEscape(text), 1)
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
	r.Header.Set("X-Slack-Signature", sign(docSecret, ts, body)) // signed once, verified every time
	return r, rd
}

// benchHandler is the HTTP handler over h, with a discarded log.
func benchHandler(h bot.Handler) *httpHandler {
	return NewHTTPHandler(Config{
		SigningSecret: docSecret,
		BotToken:      fakeBotToken,
		APIURL:        "http://127.0.0.1:1/api/",
		Logger:        slog.New(slog.DiscardHandler),
	}, h).(*httpHandler)
}

// benchServe serves r again and again, as net/http would: a fresh body,
// form and header map each time.
func benchServe(b *testing.B, h http.Handler, r *http.Request, rd *bytes.Reader) {
	w := &discardWriter{}
	b.ReportAllocs()
	for b.Loop() {
		rd.Seek(0, io.SeekStart)
		r.Body = io.NopCloser(rd)
		r.Form, r.PostForm = nil, nil
		w.h, w.status, w.n = http.Header{}, 0, 0
		h.ServeHTTP(w, r)
		if w.status != http.StatusOK || w.n < 1000 {
			b.Fatalf("status %d, %d bytes", w.status, w.n)
		}
	}
}

// BenchmarkHTTPCommand is the slash-command path of the HTTP handler:
// verify the signature, parse the form, answer (a stub returning a
// country card), render Block Kit and encode JSON.
func BenchmarkHTTPCommand(b *testing.B) {
	reply := countryReply()
	r, rd := signedCommand("uganda")
	benchServe(b, benchHandler(bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return reply })), r, rd)
}

// BenchmarkHTTPCommandStore is the guard the issue sets (at most 60 µs/op):
// a signed "/agreement uganda" through the HTTP handler, answered by the
// real bot over the embedded store.
func BenchmarkHTTPCommandStore(b *testing.B) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	r, rd := signedCommand("uganda")
	benchServe(b, benchHandler(bot.New(store, bot.Options{})), r, rd)
}

// BenchmarkVerify is the signature check alone, the floor of any request.
func BenchmarkVerify(b *testing.B) {
	r, rd := signedCommand("uganda")
	body, _ := io.ReadAll(rd)
	b.ReportAllocs()
	for b.Loop() {
		if reason := verify(r.Header, body, docSecret); reason != "" {
			b.Fatal(reason)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := countryReply()
	b.ReportAllocs()
	for b.Loop() {
		renderJSON(r, renderOpts{})
	}
}

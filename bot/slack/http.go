package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

// The routes NewHTTPHandler serves.
const (
	CommandsPath = "/slack/commands"
	EventsPath   = "/slack/events"
)

const maxClockSkew = 5 * time.Minute

// NewHTTPHandler returns the handler for Slack's HTTP delivery: POST
// /slack/commands (slash commands, answered inline) and POST /slack/events
// (the Events API: acknowledged at once, answered in the thread with
// chat.postMessage, which needs cfg.BotToken). Every request is read once,
// up to cfg.MaxBodyBytes, and its v0 signature checked against
// cfg.SigningSecret, with a five-minute window on cfg.Now, before anything
// in it is parsed; the one exception is Slack's ssl_check probe. Failures
// get a bare status code (401, 405, 413, 415) and one log line.
//
// Without a signing secret every request is refused with 401.
func NewHTTPHandler(cfg Config, h bot.Handler) http.Handler {
	cfg = cfg.withDefaults()
	s := &httpHandler{
		cfg:    cfg,
		log:    cfg.Logger,
		hooks:  cfg.Hooks,
		h:      h,
		secret: []byte(cfg.SigningSecret),
		seen:   newSeenSet(dedupSize, dedupTTL, cfg.Now),
		ctJSON: []string{"application/json"},
		slots:  make(chan struct{}, cfg.MaxPendingAnswers),
		answerer: &answerer{
			api:   newAPI(cfg),
			h:     h,
			log:   cfg.Logger,
			hooks: cfg.Hooks,
		},
	}
	s.macs.New = func() any { return &signer{mac: hmac.New(sha256.New, s.secret)} }
	s.bufs.New = func() any { return new(bytes.Buffer) }
	if cfg.SigningSecret == "" {
		cfg.Logger.Error("slack: no signing secret: every HTTP request will be refused")
	}
	if cfg.BotToken == "" {
		cfg.Logger.Warn("slack: no bot token: mentions and DMs cannot be answered over HTTP")
	}
	return s
}

type httpHandler struct {
	cfg      Config
	log      *slog.Logger
	hooks    Hooks
	h        bot.Handler
	secret   []byte
	macs     sync.Pool // *signer keyed with secret, Reset before each use
	bufs     sync.Pool // *bytes.Buffer for request bodies
	seen     *seenSet
	answerer *answerer
	ctJSON   []string // Content-Type header value, shared read-only
	wg       sync.WaitGroup
	slots    chan struct{} // one per event answer in flight (MaxPendingAnswers)
}

// rejection is why a request was refused, for the log; users see only the
// status code.
type rejection struct {
	status int
	reason string
}

func (s *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case CommandsPath:
		s.serve(w, r, "application/x-www-form-urlencoded", s.command)
	case EventsPath:
		s.serve(w, r, "application/json", s.event)
	default:
		http.NotFound(w, r)
	}
}

// serve runs the checks every Slack request gets, in order, then next with
// the verified body.
func (s *httpHandler) serve(w http.ResponseWriter, r *http.Request, contentType string,
	next func(w http.ResponseWriter, r *http.Request, body []byte, start time.Time)) {
	start := time.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.reject(w, r, rejection{http.StatusMethodNotAllowed, "method " + r.Method})
		return
	}
	if !mediaTypeIs(r.Header.Get("Content-Type"), contentType) {
		s.reject(w, r, rejection{http.StatusUnsupportedMediaType, "content type " + r.Header.Get("Content-Type")})
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.putBuf(buf)
	if rej, ok := s.readBody(w, r, buf); !ok {
		s.reject(w, r, rej)
		return
	}
	body := buf.Bytes()
	if r.URL.Path == CommandsPath && isSSLCheck(body) {
		// Slack checks the certificate with ssl_check=1: a bare 200, nothing else.
		w.WriteHeader(http.StatusOK)
		s.log.Info("slack: ssl_check answered", "path", r.URL.Path)
		return
	}
	if reason := s.verify(r.Header, body); reason != "" {
		s.hooks.OnSignatureFailure()
		s.reject(w, r, rejection{http.StatusUnauthorized, reason})
		return
	}
	next(w, r, body, start)
}

func (s *httpHandler) putBuf(b *bytes.Buffer) {
	if b.Cap() > 2*int(s.cfg.MaxBodyBytes) {
		return // do not keep a freak buffer
	}
	b.Reset()
	s.bufs.Put(b)
}

// readBody reads the whole body into buf, refusing more than MaxBodyBytes.
func (s *httpHandler) readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) (rejection, bool) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return rejection{http.StatusRequestEntityTooLarge, "body of " + strconv.FormatInt(r.ContentLength, 10) + " bytes"}, false
	}
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return rejection{http.StatusRequestEntityTooLarge, "body over " + strconv.FormatInt(s.cfg.MaxBodyBytes, 10) + " bytes"}, false
		}
		return rejection{http.StatusBadRequest, "reading body: " + err.Error()}, false
	}
	return rejection{}, true
}

// verify checks Slack's v0 signature: HMAC-SHA256 with the signing secret
// over "v0:" + timestamp + ":" + body, with the timestamp within five
// minutes of now. It returns why the request fails, or "".
func (s *httpHandler) verify(h http.Header, body []byte) string {
	if len(s.secret) == 0 {
		return "no signing secret configured"
	}
	ts := h.Get("X-Slack-Request-Timestamp")
	sig := h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return "missing signature headers"
	}
	if len(ts) > 20 {
		return "malformed timestamp"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 {
		return "malformed timestamp"
	}
	if skew := s.cfg.Now().Sub(time.Unix(sec, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return "timestamp outside the 5-minute window"
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return "malformed signature"
	}
	var hexBuf [2 * sha256.Size]byte
	copy(hexBuf[:], hexSig)
	var want [sha256.Size]byte
	if _, err := hex.Decode(want[:], hexBuf[:]); err != nil {
		return "malformed signature"
	}
	sg := s.macs.Get().(*signer)
	defer s.macs.Put(sg)
	sg.mac.Reset()
	sg.mac.Write(append(append(append(sg.pre[:0], "v0:"...), ts...), ':'))
	sg.mac.Write(body)
	if !hmac.Equal(sg.mac.Sum(sg.sum[:0]), want[:]) {
		return "signature mismatch"
	}
	return ""
}

// signer is an HMAC keyed with the signing secret and the buffers it
// writes through, reused so that verifying allocates nothing.
type signer struct {
	mac hash.Hash
	pre [32]byte // "v0:" + timestamp + ":"
	sum [sha256.Size]byte
}

func (s *httpHandler) reject(w http.ResponseWriter, r *http.Request, rej rejection) {
	w.WriteHeader(rej.status)
	s.log.Warn("slack: request refused", "path", r.URL.Path, "status", rej.status, "reason", rej.reason,
		"remote", r.RemoteAddr, "retry", r.Header.Get("X-Slack-Retry-Num"))
}

// command answers a slash command inline.
func (s *httpHandler) command(w http.ResponseWriter, r *http.Request, body []byte, start time.Time) {
	f := parseCommandForm(body)
	reply := s.h.Handle(r.Context(), bot.Query{Text: queryText(f.text), Platform: platform, Team: f.team, User: f.user, Usage: usage})
	_, payload := renderJSON(reply)
	h := w.Header()
	h["Content-Type"] = s.ctJSON
	// With a length, net/http writes the answer in one piece instead of
	// chunking it, which costs a system call per chunk.
	h["Content-Length"] = []string{strconv.Itoa(len(payload))}
	_, err := w.Write(payload)
	d := time.Since(start)
	s.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
	if err != nil {
		s.log.Warn("slack: command answer not written", "err", err)
		return
	}
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.Debug("slack: command answered", "command", f.command, "team", f.team, "kind", reply.Kind,
			"bytes", len(payload), "duration", d)
	}
}

// event handles an Events API request: the URL check, or an event that is
// acknowledged now and answered in the background.
func (s *httpHandler) event(w http.ResponseWriter, r *http.Request, body []byte, start time.Time) {
	cb, err := parseCallback(body)
	if err != nil {
		s.reject(w, r, rejection{http.StatusBadRequest, "malformed event JSON"})
		return
	}
	switch cb.Type {
	case "url_verification":
		b, _ := json.Marshal(struct {
			Challenge string `json:"challenge"`
		}{cb.Challenge})
		w.Header()["Content-Type"] = s.ctJSON
		w.Write(b)
		s.log.Info("slack: url_verification answered")
		return
	case "event_callback":
	default:
		w.WriteHeader(http.StatusOK)
		s.log.Info("slack: event ignored", "type", cb.Type)
		return
	}
	q, why := cb.asks("")
	if why != "" {
		w.WriteHeader(http.StatusOK)
		s.log.Debug("slack: event ignored", "event_id", cb.EventID, "why", why)
		return
	}
	// A slot first, and only then is the event marked as seen: an event
	// refused for want of a slot must be answered when Slack retries it.
	select {
	case s.slots <- struct{}{}:
	default:
		w.WriteHeader(http.StatusServiceUnavailable)
		s.log.Warn("slack: too many answers in flight; Slack will deliver the event again", "event_id", cb.EventID,
			"in_flight", cap(s.slots))
		return
	}
	if !s.seen.first(cb.dedupKeys()...) {
		<-s.slots
		w.WriteHeader(http.StatusOK)
		s.log.Info("slack: duplicate event ignored", "event_id", cb.EventID, "retry", r.Header.Get("X-Slack-Retry-Num"),
			"retry_reason", r.Header.Get("X-Slack-Retry-Reason"))
		return
	}
	w.WriteHeader(http.StatusOK)
	s.wg.Go(func() {
		defer func() { <-s.slots }()
		s.answerer.answer(context.WithoutCancel(r.Context()), q, start)
	})
}

// commandForm is what the bot reads from a slash command.
type commandForm struct {
	text, team, user, command string
}

// parseCommandForm reads the few fields the bot needs from a verified
// form body, without building a url.Values.
func parseCommandForm(body []byte) commandForm {
	var f commandForm
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		k, v, _ := bytes.Cut(pair, []byte{'='})
		var dst *string
		switch string(k) { // no allocation: the compiler compares in place
		case "text":
			dst = &f.text
		case "team_id":
			dst = &f.team
		case "user_id":
			dst = &f.user
		case "command":
			dst = &f.command
		default:
			continue
		}
		if u, err := url.QueryUnescape(string(v)); err == nil {
			*dst = u
		}
	}
	return f
}

// isSSLCheck reports whether a form body carries ssl_check=1.
func isSSLCheck(body []byte) bool {
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		if string(pair) == "ssl_check=1" {
			return true
		}
	}
	return false
}

// mediaTypeIs reports whether a Content-Type header names want, ignoring
// parameters such as charset.
func mediaTypeIs(header, want string) bool {
	mt, _, _ := strings.Cut(header, ";")
	return strings.EqualFold(strings.TrimSpace(mt), want)
}

// drain waits for answers in flight; tests use it.
func (s *httpHandler) drain() { s.wg.Wait() }

// Drain waits until the answers to events already acknowledged have been
// posted, or ctx ends. A server calls it after it stops accepting requests,
// so that a shutdown does not drop answers it promised.
func (s *httpHandler) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

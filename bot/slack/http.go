package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/agreementbot/agreementbot/bot"
)

// The routes NewHTTPHandler serves.
const (
	CommandsPath     = "/slack/commands"
	EventsPath       = "/slack/events"
	InteractionsPath = "/slack/interactions" // the app's Interactivity Request URL
)

// NewHTTPHandler returns the handler for Slack's HTTP delivery: POST
// /slack/commands (slash commands, answered inline), POST /slack/events
// (the Events API: acknowledged at once, answered in the thread with
// chat.postMessage, which needs cfg.BotToken) and POST /slack/interactions
// (button presses: acknowledged at once with an empty 200, answered
// privately through the action's response_url, or with chat.postEphemeral
// in a thread). Answers after the acknowledgement are bounded by
// cfg.MaxPendingAnswers, and Drain waits for them. Every request is read once,
// up to cfg.MaxBodyBytes, and its v0 signature checked against
// cfg.SigningSecret by slack-go (with Slack's five-minute window on the
// system clock) before anything in it is parsed; the one exception is
// Slack's ssl_check probe. Failures get a bare status code (400, 401, 405,
// 413, 415) and a log line with a fixed reason, at most one a second for
// each reason.
//
// Without a signing secret every request is refused with 401.
func NewHTTPHandler(cfg Config, h bot.Handler) http.Handler {
	cfg = cfg.withDefaults()
	s := &httpHandler{
		cfg:      cfg,
		log:      cfg.Logger,
		hooks:    cfg.Hooks,
		seen:     newSeenSet(dedupSize, dedupTTL, cfg.Now),
		sampler:  bot.NewSampler(cfg.Now),
		slots:    make(chan struct{}, cfg.MaxPendingAnswers),
		answerer: newAnswerer(cfg, newAPI(cfg), h),
	}
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
	seen     *seenSet
	sampler  *bot.Sampler
	answerer *answerer
	wg       sync.WaitGroup
	slots    chan struct{} // one per event answer in flight (MaxPendingAnswers)
}

// Why a request was refused: a closed set, so that a refusal's log line
// has a bounded size whatever the request holds. Users see only the
// status code.
const (
	reasonMethod           = "method not allowed"
	reasonContentType      = "unsupported content type"
	reasonTooLarge         = "body too large"
	reasonUnreadable       = "body unreadable"
	reasonNoSecret         = "no signing secret configured"
	reasonMissing          = "missing signature headers"
	reasonBadTimestamp     = "malformed timestamp"
	reasonBadSignature     = "malformed signature"
	reasonStale            = "timestamp outside the 5-minute window"
	reasonMismatch         = "signature mismatch"
	reasonMalformedCommand = "malformed slash command"
	reasonMalformedEvent   = "malformed event"
	reasonMalformedPayload = "malformed interaction payload"
)

// rejection is a refused request: its status, why, and an excerpt of the
// header value at fault, if any.
type rejection struct {
	status int
	reason string
	detail string
}

func (s *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case CommandsPath:
		s.serve(w, r, "application/x-www-form-urlencoded", s.command)
	case EventsPath:
		s.serve(w, r, "application/json", s.event)
	case InteractionsPath:
		s.serve(w, r, "application/x-www-form-urlencoded", s.interaction)
	default:
		http.NotFound(w, r)
	}
}

// serve runs the checks every Slack request gets, in order, then next with
// the verified body.
func (s *httpHandler) serve(w http.ResponseWriter, r *http.Request, contentType string,
	next func(w http.ResponseWriter, r *http.Request, body []byte, start time.Time)) {
	start := s.cfg.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.reject(w, r, rejection{http.StatusMethodNotAllowed, reasonMethod, r.Method})
		return
	}
	if ct := r.Header.Get("Content-Type"); !mediaTypeIs(ct, contentType) {
		s.reject(w, r, rejection{http.StatusUnsupportedMediaType, reasonContentType, ct})
		return
	}
	buf := bodies.Get().(*bytes.Buffer)
	defer putBody(buf)
	body, rej := s.readBody(w, r, buf)
	if rej.status != 0 {
		s.reject(w, r, rej)
		return
	}
	if r.URL.Path == CommandsPath && isSSLCheck(body) {
		// Slack checks the certificate with ssl_check=1: a bare 200, nothing else.
		w.WriteHeader(http.StatusOK)
		if ok, suppressed := s.sampler.Allow("ssl_check"); ok {
			s.log.Info("slack: ssl_check answered", "suppressed", suppressed)
		}
		return
	}
	if reason := verify(r.Header, body, s.cfg.SigningSecret); reason != "" {
		s.hooks.OnSignatureFailure()
		s.reject(w, r, rejection{status: http.StatusUnauthorized, reason: reason})
		return
	}
	next(w, r, body, start)
}

// readBody reads the whole body into buf, refusing more than
// MaxBodyBytes. The buffer grows with the bytes that arrive, never with
// what the request claims it will send. The body is buf's: it is good
// until buf goes back to the pool, when the request has been handled
// (what is kept of it, the parsers copy).
func (s *httpHandler) readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) ([]byte, rejection) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, rejection{status: http.StatusRequestEntityTooLarge, reason: reasonTooLarge}
	}
	buf.Reset()
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, rejection{status: http.StatusRequestEntityTooLarge, reason: reasonTooLarge}
		}
		return nil, rejection{status: http.StatusBadRequest, reason: reasonUnreadable}
	}
	return buf.Bytes(), rejection{}
}

// bodies holds buffers for request bodies: reading a few KB into a fresh
// slice, grown step by step, allocated more than the rest of handling a
// button press.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse; a larger one (a
// rare large body) is left to the garbage collector.
const maxPooledBody = 64 << 10

func putBody(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		bodies.Put(buf)
	}
}

// verify checks Slack's v0 signature of body with slack-go: HMAC-SHA256
// with the signing secret over "v0:" + timestamp + ":" + body, the
// timestamp within five minutes of now. It returns why the request fails,
// or "".
func verify(h http.Header, body []byte, secret string) string {
	sv, err := slack.NewSecretsVerifier(h, secret)
	switch {
	case err == nil:
	case errors.Is(err, slack.ErrInvalidConfiguration):
		return reasonNoSecret
	case errors.Is(err, slack.ErrMissingHeaders):
		return reasonMissing
	case errors.Is(err, slack.ErrExpiredTimestamp):
		return reasonStale
	default:
		// A timestamp that is not a number fails strconv; everything else
		// here (no v0= prefix, not hex, not 32 bytes) is the signature.
		if _, ok := errors.AsType[*strconv.NumError](err); ok {
			return reasonBadTimestamp
		}
		return reasonBadSignature
	}
	sv.Write(body)
	if sv.Ensure() != nil {
		return reasonMismatch
	}
	return ""
}

// reject answers a refused request with its bare status, and logs it: the
// first refusal for each reason in a second, then the next after it with
// the number left out meanwhile. Header values appear only as short
// excerpts.
func (s *httpHandler) reject(w http.ResponseWriter, r *http.Request, rej rejection) {
	w.WriteHeader(rej.status)
	ok, suppressed := s.sampler.Allow(rej.reason)
	if !ok {
		return
	}
	attrs := []any{"path", r.URL.Path, "status", rej.status, "reason", rej.reason, "remote", r.RemoteAddr}
	if rej.detail != "" {
		attrs = append(attrs, "detail", excerpt(rej.detail))
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		attrs = append(attrs, "retry", excerpt(n))
	}
	if suppressed > 0 {
		attrs = append(attrs, "suppressed", suppressed)
	}
	s.log.Warn("slack: request refused", attrs...)
}

// command answers a slash command inline.
func (s *httpHandler) command(w http.ResponseWriter, r *http.Request, body []byte, start time.Time) {
	// SlashCommandParse reads the form through ParseForm, which would parse
	// the body into PostForm and copy it into Form: parsed once here (with
	// net/url, as ParseForm would), it finds both set and reads them.
	form, err := url.ParseQuery(string(body))
	if err != nil {
		s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedCommand})
		return
	}
	r.PostForm, r.Form = form, form
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedCommand})
		return
	}
	reply, payload, upload := s.answerer.command(r.Context(), cmd)
	w.Header().Set("Content-Type", "application/json")
	// With a length, net/http sends the answer in one piece, not chunked.
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	_, err = w.Write(payload)
	d := s.cfg.Now().Sub(start)
	s.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
	if err != nil {
		s.log.Warn("slack: command answer not written", "err", err)
		return
	}
	s.log.Debug("slack: command answered", "command", cmd.Command, "team", cmd.TeamID, "kind", reply.Kind,
		"bytes", len(payload), "duration", d)
	if upload {
		// The answer carried the alt text; the picture follows in the channel.
		s.later(r, func(ctx context.Context) {
			s.answerer.deliverMap(ctx, reply, cmd.ChannelID, "", s.answerer.tellByResponseURL(cmd.ResponseURL))
		})
	}
}

// later runs f in the background after the request is answered, if one of
// the MaxPendingAnswers slots is free; Drain waits for it. It reports
// whether f runs.
func (s *httpHandler) later(r *http.Request, f func(ctx context.Context)) bool {
	if !s.reserve() {
		s.log.Warn("slack: too many answers in flight; one dropped", "path", r.URL.Path, "in_flight", cap(s.slots))
		return false
	}
	ctx := context.WithoutCancel(r.Context())
	s.goRelease(func() {
		ctx, cancel := context.WithTimeout(ctx, postTimeout)
		defer cancel()
		f(ctx)
	})
	return true
}

// reserve takes one of the MaxPendingAnswers slots, if one is free: give
// it to goRelease, or back with release.
func (s *httpHandler) reserve() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// release gives back a slot that reserve took.
func (s *httpHandler) release() { <-s.slots }

// goRelease runs f in the background in the slot reserve took, and
// releases it when f returns; Drain waits for it.
func (s *httpHandler) goRelease(f func()) {
	s.wg.Add(1)
	go func() { // not wg.Go, whose own closure around this one cost an allocation
		defer s.wg.Done()
		defer s.release()
		f()
	}()
}

// interaction handles a button press: the form's one field, payload, is
// the interaction as JSON, of which parseInteraction reads what the bot
// needs. A press of one of the bot's buttons is acknowledged with an empty
// 200 at once and answered privately in the background; with every answer
// slot busy it gets 503, and Slack shows the presser an error. Anything
// else signed by Slack gets an empty 200.
func (s *httpHandler) interaction(w http.ResponseWriter, r *http.Request, body []byte, start time.Time) {
	form, err := url.ParseQuery(string(body))
	payload := form.Get("payload")
	if err != nil || payload == "" {
		s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedPayload})
		return
	}
	in, err := parseInteraction([]byte(payload))
	if err != nil {
		s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedPayload})
		return
	}
	p, why := pressOf(in)
	if why != "" {
		w.WriteHeader(http.StatusOK)
		s.log.Debug("slack: interaction ignored", "why", why)
		return
	}
	if !s.reserve() {
		w.WriteHeader(http.StatusServiceUnavailable)
		s.log.Warn("slack: too many answers in flight; button press refused", "in_flight", cap(s.slots))
		return
	}
	w.WriteHeader(http.StatusOK)
	ctx := context.WithoutCancel(r.Context())
	s.goRelease(func() { s.answerer.press(ctx, p, start) })
}

// event handles an Events API request: the URL check, or an event that is
// acknowledged now and answered in the background.
func (s *httpHandler) event(w http.ResponseWriter, r *http.Request, body []byte, start time.Time) {
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken()) // verified above
	switch {
	case err != nil && json.Valid(body):
		// An event slack-go does not know: nothing the bot answers, and
		// Slack would only send it again.
		w.WriteHeader(http.StatusOK)
		s.log.Warn("slack: event not understood; ignored", "err", err)
		return
	case err != nil:
		s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedEvent})
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		uv, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if !ok {
			s.reject(w, r, rejection{status: http.StatusBadRequest, reason: reasonMalformedEvent})
			return
		}
		b, _ := json.Marshal(struct {
			Challenge string `json:"challenge"`
		}{uv.Challenge})
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		s.log.Info("slack: url_verification answered")
		return
	case slackevents.CallbackEvent:
	default:
		w.WriteHeader(http.StatusOK)
		s.log.Info("slack: event ignored", "type", ev.Type)
		return
	}
	q, why := asks(ev, "")
	if why != "" {
		w.WriteHeader(http.StatusOK)
		s.log.Debug("slack: event ignored", "event_id", q.eventID, "why", why)
		return
	}
	// A slot first, and only then is the event marked as seen: an event
	// refused for want of a slot must be answered when Slack retries it.
	if !s.reserve() {
		w.WriteHeader(http.StatusServiceUnavailable)
		s.log.Warn("slack: too many answers in flight; Slack will deliver the event again", "event_id", q.eventID,
			"in_flight", cap(s.slots))
		return
	}
	if !s.seen.first(q.dedupKeys()...) {
		s.release()
		w.WriteHeader(http.StatusOK)
		s.log.Info("slack: duplicate event ignored", "event_id", q.eventID,
			"retry", excerpt(r.Header.Get("X-Slack-Retry-Num")), "retry_reason", excerpt(r.Header.Get("X-Slack-Retry-Reason")))
		return
	}
	w.WriteHeader(http.StatusOK)
	ctx := context.WithoutCancel(r.Context())
	s.goRelease(func() { s.answerer.answer(ctx, q, start) })
}

// isSSLCheck reports whether a form body carries ssl_check=1.
func isSSLCheck(body []byte) bool {
	for pair := range bytes.SplitSeq(body, []byte("&")) {
		if string(pair) == "ssl_check=1" {
			return true
		}
	}
	return false
}

// mediaTypeIs reports whether a Content-Type header names want, ignoring
// parameters such as charset. It parses the header as ParseForm will.
func mediaTypeIs(header, want string) bool {
	mt, _, err := mime.ParseMediaType(header)
	return err == nil && mt == want
}

// drain waits for answers in flight; tests use it.
func (s *httpHandler) drain() { s.wg.Wait() }

// Drain waits until the answers to events already acknowledged have been
// posted, or ctx ends. A server calls it after it stops accepting requests,
// so that a shutdown does not drop answers it promised.
//
// It reports an error, naming how many answers were left, only when some
// were: a deadline already passed with nothing in flight is no failure.
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
	}
	// Each answer holds a slot until it is posted.
	if n := len(s.slots); n > 0 {
		return fmt.Errorf("slack: %d answers still in flight: %w", n, ctx.Err())
	}
	return nil
}

package discord

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

// interactionsHandler is the HTTP interactions endpoint.
type interactionsHandler struct {
	cfg     Config
	key     *publicKey
	rs      *responder
	rejects *rejectLog
}

// NewHTTPHandler returns the handler for Discord's interactions endpoint,
// to be mounted at POST /discord/interactions. It needs only
// cfg.PublicKey; the bot token and application id are used for
// registering commands, not for answering.
//
// Each request's body is read once (at most cfg.MaxBodyBytes: 413 beyond)
// and its Ed25519 signature over timestamp+body is checked before anything
// is parsed: a missing, malformed or wrong signature gets 401, as Discord
// requires (it sends bad signatures on purpose and removes endpoints that
// accept them). PING is answered with {"type":1}, commands and autocomplete
// inline. A wrong method gets 405, a wrong content type 415, a body that is
// not an interaction 400; error bodies say no more than the status.
//
// The timestamp's age is not checked, as Discord does not ask for it: it
// is covered by the signature, and a replayed request only gets the
// replayer the same public answer again.
func NewHTTPHandler(cfg Config, h bot.Handler, c bot.Completer) (http.Handler, error) {
	cfg = cfg.withDefaults()
	var errs []error
	key, err := parsePublicKey(strings.TrimSpace(cfg.PublicKey))
	if err != nil {
		errs = append(errs, fmt.Errorf("discord: DISCORD_PUBLIC_KEY %w", err))
	}
	if h == nil {
		errs = append(errs, errors.New("discord: a bot.Handler is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &interactionsHandler{
		cfg:     cfg,
		key:     key,
		rs:      &responder{h: h, c: c},
		rejects: &rejectLog{log: cfg.Logger, now: cfg.Now, last: map[reason]*sampled{}},
	}, nil
}

// maxTimestamp bounds X-Signature-Timestamp; Discord sends Unix seconds.
const maxTimestamp = 32

// sigHexLen is the length of X-Signature-Ed25519: 64 bytes in hex.
const sigHexLen = 128

func (h *interactionsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.cfg.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, reasonMethod)
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		h.reject(w, r, http.StatusUnsupportedMediaType, reasonContentType)
		return
	}
	ts, sigHex := r.Header.Get("X-Signature-Timestamp"), r.Header.Get("X-Signature-Ed25519")
	var sig []byte
	ok := ts != "" && len(ts) <= maxTimestamp && len(sigHex) == sigHexLen
	if ok {
		var err error
		sig, err = hex.DecodeString(sigHex)
		ok = err == nil
	}
	if !ok {
		h.cfg.Hooks.OnSignatureFailure()
		h.reject(w, r, http.StatusUnauthorized, reasonSignatureHeaders)
		return
	}

	// The body grows with the bytes that arrive, never with what
	// Content-Length claims.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.reject(w, r, http.StatusRequestEntityTooLarge, reasonTooLarge)
		} else {
			h.reject(w, r, http.StatusBadRequest, reasonRead)
		}
		return
	}
	// Verified on every request, never from a cache.
	if !verify(h.key, append([]byte(ts), body...), sig) {
		h.cfg.Hooks.OnSignatureFailure()
		h.reject(w, r, http.StatusUnauthorized, reasonBadSignature)
		return
	}
	i, err := decodeInteraction(body)
	if err != nil {
		h.reject(w, r, http.StatusBadRequest, reasonNotInteraction)
		return
	}
	resp, kind, err := h.rs.answer(r.Context(), i)
	if errors.Is(err, errUnsupported) {
		h.reject(w, r, http.StatusBadRequest, reasonUnsupported)
		return
	}
	if err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(resp)))
		_, err = w.Write(resp)
	} else {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	if kind == kindPing {
		return
	}
	// A recovered panic reaches here as a reply of kind error: the outcome
	// is the delivery's.
	outcome := bot.DeliveryOutcome(err)
	d := h.cfg.Now().Sub(start)
	h.cfg.Hooks.OnAnswered(kind, outcome, d)
	logAnswer(r.Context(), h.cfg.Logger, "http", kind, outcome, d, err)
}

// reject answers with status and logs the rejection (sampled); the body
// says only what the status says.
func (h *interactionsHandler) reject(w http.ResponseWriter, r *http.Request, status int, why reason) {
	h.rejects.add(r.Context(), status, why, r.Header.Get("User-Agent"))
	http.Error(w, http.StatusText(status), status)
}

// reason says why a request was rejected. The set is closed, so that a log
// line never carries text a sender chose.
type reason string

// The reasons.
const (
	reasonMethod           reason = "method not allowed"
	reasonContentType      reason = "content type is not application/json"
	reasonSignatureHeaders reason = "missing or malformed signature headers"
	reasonTooLarge         reason = "body too large"
	reasonRead             reason = "reading the body failed"
	reasonBadSignature     reason = "bad signature"
	reasonNotInteraction   reason = "body is not an interaction"
	reasonUnsupported      reason = "unsupported interaction type"
)

// rejectLog logs rejections, sampled so that a flood of bad requests
// cannot flood the log: for each reason, the first rejection in a second
// is logged and later ones in that second only counted; the next line
// logged for that reason says how many were suppressed.
type rejectLog struct {
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	last map[reason]*sampled
}

type sampled struct {
	until      time.Time // rejections before this are counted, not logged
	suppressed int
}

func (l *rejectLog) add(ctx context.Context, status int, why reason, userAgent string) {
	now := l.now()
	l.mu.Lock()
	s := l.last[why]
	if s == nil {
		s = &sampled{}
		l.last[why] = s
	}
	if now.Before(s.until) {
		s.suppressed++
		l.mu.Unlock()
		return
	}
	suppressed := s.suppressed
	s.until, s.suppressed = now.Add(time.Second), 0
	l.mu.Unlock()

	attrs := []slog.Attr{slog.Int("status", status), slog.String("reason", string(why))}
	if suppressed > 0 {
		attrs = append(attrs, slog.Int("suppressed", suppressed))
	}
	if ua := excerpt(userAgent); ua != "" {
		attrs = append(attrs, slog.String("user_agent", ua))
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "discord: rejected an interactions request", attrs...)
}

// maxExcerpt bounds what excerpt keeps of a header.
const maxExcerpt = 64

// excerpt returns at most the first maxExcerpt bytes of a header value,
// with everything but printable ASCII made '?', so that a logged header
// can neither forge a log line nor make it long.
func excerpt(s string) string {
	if len(s) > maxExcerpt {
		s = s[:maxExcerpt]
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, s)
}

// isJSON reports whether a Content-Type is application/json, with or
// without parameters.
func isJSON(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), "application/json")
}

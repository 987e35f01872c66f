package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// interactionsHandler is the HTTP interactions endpoint.
type interactionsHandler struct {
	cfg  Config
	key  *publicKey
	rs   *responder
	bufs sync.Pool // *[]byte: timestamp + body
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
		cfg: cfg,
		key: key,
		rs:  &responder{h: h, c: c},
		bufs: sync.Pool{New: func() any {
			b := make([]byte, 0, 4<<10)
			return &b
		}},
	}, nil
}

// maxTimestamp bounds X-Signature-Timestamp; Discord sends Unix seconds.
const maxTimestamp = 32

// Header values set on every answer, shared so that setting them does not
// allocate. net/http does not modify them.
var (
	jsonContentType = []string{"application/json"}
	allowPost       = []string{http.MethodPost}
)

func (h *interactionsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.cfg.Now()
	if r.Method != http.MethodPost {
		w.Header()["Allow"] = allowPost
		h.reject(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		h.reject(w, r, http.StatusUnsupportedMediaType, "content type is not application/json")
		return
	}
	var sig [64]byte
	ts := r.Header.Get("X-Signature-Timestamp")
	if ts == "" || len(ts) > maxTimestamp || !decodeHex(sig[:], r.Header.Get("X-Signature-Ed25519")) {
		h.cfg.Hooks.OnSignatureFailure()
		h.reject(w, r, http.StatusUnauthorized, "missing or malformed signature headers")
		return
	}

	bp := h.bufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 {
			h.bufs.Put(bp)
		}
	}()
	msg, err := readAll(append((*bp)[:0], ts...), http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	*bp = msg[:0]
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.reject(w, r, http.StatusRequestEntityTooLarge, "body too large")
		} else {
			h.reject(w, r, http.StatusBadRequest, "reading the body failed")
		}
		return
	}
	// Verified on every request, never from a cache.
	if !verify(h.key, msg, sig[:]) {
		h.cfg.Hooks.OnSignatureFailure()
		h.reject(w, r, http.StatusUnauthorized, "bad signature")
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(msg[len(ts):], &i); err != nil {
		h.reject(w, r, http.StatusBadRequest, "body is not an interaction")
		return
	}
	body, kind, err := h.rs.answer(r.Context(), &i)
	if errors.Is(err, errUnsupported) {
		h.reject(w, r, http.StatusBadRequest, "unsupported interaction type")
		return
	}
	if err != nil {
		h.cfg.Logger.LogAttrs(r.Context(), slog.LevelError, "discord: encoding a response failed", slog.String("kind", kind), slog.String("err", err.Error()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		h.cfg.Hooks.OnAnswered(kind, bot.OutcomeError, h.cfg.Now().Sub(start))
		return
	}
	hd := w.Header()
	hd["Content-Type"] = jsonContentType
	hd["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, err = w.Write(body)
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

// reject answers with status and logs one line with the reason; the body
// says only what the status says.
func (h *interactionsHandler) reject(w http.ResponseWriter, r *http.Request, status int, reason string) {
	h.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "discord: rejected an interactions request",
		slog.Int("status", status), slog.String("reason", reason))
	http.Error(w, http.StatusText(status), status)
}

// readAll appends everything from r to b.
func readAll(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// isJSON reports whether a Content-Type is application/json, with or
// without parameters.
func isJSON(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), "application/json")
}

// decodeHex decodes exactly len(dst) bytes of hex from s.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

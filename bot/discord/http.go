package discord

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// interactionsHandler is the HTTP interactions endpoint.
type interactionsHandler struct {
	cfg     Config
	key     *publicKey
	rs      *responder
	rejects *rejectLog
	client  *http.Client // for follow-ups, through DISCORD_API_URL
	later   *followups
	public  *url.URL // PUBLIC_URL, or nil
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
//
// Button presses are answered inline too, privately (see responder). A
// response over HTTP cannot carry a file, so a map's image is shown from
// cfg.PublicURL + Image.Path when PublicURL is set; without it the
// interaction is deferred (type 5) and the answer, with the image
// attached, is posted as a follow-up message through cfg.APIURL. At most
// maxFollowups are posted at once (an answer past that goes inline
// without its image, the alt text still in it), each within
// followupTimeout; the handler's Drain method waits for them at shutdown.
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
	client, err := cfg.httpClient()
	if err != nil {
		errs = append(errs, err)
	}
	var public *url.URL
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("discord: PUBLIC_URL %q must be an http or https URL", cfg.PublicURL))
		}
		public = u
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &interactionsHandler{
		cfg:     cfg,
		key:     key,
		rs:      newResponder(h, c),
		rejects: &rejectLog{log: cfg.Logger, sampler: bot.NewSampler(cfg.Now)},
		client:  client,
		later:   &followups{slots: make(chan struct{}, maxFollowups), ctx: ctx, cancel: cancel},
		public:  public,
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
	i, err := decodePress(body)
	if err != nil {
		i, err = pressWithoutData(body) // still answered: politely
	}
	if err != nil {
		h.reject(w, r, http.StatusBadRequest, reasonNotInteraction)
		return
	}
	resp, err := h.rs.respond(r.Context(), i)
	if errors.Is(err, errUnsupported) {
		h.reject(w, r, http.StatusBadRequest, reasonUnsupported)
		return
	}
	kind := resp.kind
	var later *discordgo.InteractionResponseData
	var out []byte
	if err == nil {
		later = h.placeImage(i, resp)
		out, err = resp.json()
	}
	if err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		_, err = w.Write(out)
	} else {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	if later != nil {
		if err != nil {
			h.later.release() // Discord never heard of the deferral
		} else {
			// Send the deferral before the follow-up is posted: Discord
			// takes follow-ups only for an interaction it has seen answered.
			_ = http.NewResponseController(w).Flush()
			appID, token := i.AppID, i.Token
			h.later.run(func(ctx context.Context) { h.followup(ctx, appID, token, later, kind, start) })
			return // the follow-up reports the delivery
		}
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

// pressWithoutData decodes a button press whose data does not decode
// (missing, or not a component's), with empty data in its place, so that
// it is answered with the bot's polite note rather than a 400. Anything
// else is an error, as from decodeInteraction.
func pressWithoutData(body []byte) (*discordgo.Interaction, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, err
	}
	var typ discordgo.InteractionType
	if err := json.Unmarshal(fields["type"], &typ); err != nil || typ != discordgo.InteractionMessageComponent {
		return nil, errors.New("not a button press")
	}
	fields["data"] = json.RawMessage(`{}`)
	b, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	return decodeInteraction(b)
}

// placeImage makes a response with an attached image fit for the HTTP
// endpoint, whose response cannot carry files: the image is shown from
// PUBLIC_URL when it is set; otherwise the response becomes a deferral
// and the message with its file is returned, to post as a follow-up (a
// slot for it is held: run or release it). When neither can be done, the
// image is left out and the alt text in the description stands for it.
func (h *interactionsHandler) placeImage(i *discordgo.Interaction, resp response) *discordgo.InteractionResponseData {
	data := resp.Data
	if data == nil || len(data.Files) == 0 || resp.image == nil {
		return nil
	}
	if path := resp.image.Path; h.public != nil && len(path) > 1 && path[0] == '/' && imageAt(data, h.public.JoinPath(path).String()) {
		return nil
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || !isSnowflake(i.AppID) || !isToken(i.Token) || !h.later.reserve() {
		h.cfg.Logger.Warn("discord: an image left out of an answer: no PUBLIC_URL, and no follow-up could be posted", "follow-ups", maxFollowups)
		dropImage(data)
		return nil
	}
	resp.Type = discordgo.InteractionResponseDeferredChannelMessageWithSource
	resp.Data = &discordgo.InteractionResponseData{Flags: data.Flags & discordgo.MessageFlagsEphemeral}
	return data
}

// followup posts a deferred answer with its files to the interaction's
// webhook, retrying a 429 or a 5xx within ctx, and reports the delivery.
func (h *interactionsHandler) followup(ctx context.Context, appID, token string, data *discordgo.InteractionResponseData, kind string, start time.Time) {
	msg := &discordgo.WebhookParams{
		Embeds: data.Embeds, Components: data.Components, AllowedMentions: data.AllowedMentions,
		Flags: data.Flags, Files: data.Files,
	}
	contentType, body, err := discordgo.MultipartBodyWithJSON(msg, msg.Files)
	if err == nil {
		err = retry(ctx, func(ctx context.Context) error { return postFollowup(ctx, h.client, appID, token, contentType, body) })
	}
	outcome := deliveryOutcome(err)
	d := h.cfg.Now().Sub(start)
	h.cfg.Hooks.OnAnswered(kind, outcome, d)
	logAnswer(context.Background(), h.cfg.Logger, "http follow-up", kind, outcome, d, err)
}

// Drain waits until the follow-ups being posted are done, or ctx ends,
// when it stops them; answers that come after it starts go without their
// image. The program calls it at shutdown, after the HTTP server has
// stopped taking requests.
func (h *interactionsHandler) Drain(ctx context.Context) error {
	return h.later.drain(ctx)
}

// maxFollowups bounds the follow-up messages posted at once.
const maxFollowups = 16

// followupTimeout bounds posting one follow-up, retries included: far
// within the 15 minutes an interaction's token lasts.
const followupTimeout = time.Minute

// followups is the background work of the HTTP endpoint: follow-up
// messages, bounded in number and time, drained at shutdown.
type followups struct {
	slots  chan struct{} // one per follow-up held or running
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
}

// reserve holds a slot for a follow-up; false when all are taken or the
// handler is draining.
func (f *followups) reserve() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	select {
	case f.slots <- struct{}{}:
		f.wg.Add(1)
		return true
	default:
		return false
	}
}

// release gives back a slot.
func (f *followups) release() {
	<-f.slots
	f.wg.Done()
}

// run runs fn in the background in a reserved slot, with a context that
// ends after followupTimeout or when draining gives up.
func (f *followups) run(fn func(ctx context.Context)) {
	go func() {
		defer f.release()
		ctx, cancel := context.WithTimeout(f.ctx, followupTimeout)
		defer cancel()
		fn(ctx)
	}()
}

func (f *followups) drain(ctx context.Context) error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	done := make(chan struct{})
	go func() {
		f.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	// Each follow-up holds a slot until it is posted; with none held, a
	// deadline already passed is no failure.
	n := len(f.slots)
	f.cancel()
	<-done
	if n == 0 {
		return nil
	}
	return fmt.Errorf("discord: %d follow-up messages still being posted at the deadline: %w", n, ctx.Err())
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

// rejectLog logs rejections, sampled (bot.Sampler) so that a flood of bad
// requests cannot flood the log: for each reason, the first rejection in a
// second is logged and later ones in that second only counted; the next
// line logged for that reason says how many were suppressed.
type rejectLog struct {
	log     *slog.Logger
	sampler *bot.Sampler
}

func (l *rejectLog) add(ctx context.Context, status int, why reason, userAgent string) {
	ok, suppressed := l.sampler.Allow(string(why))
	if !ok {
		return
	}
	attrs := []slog.Attr{slog.Int("status", status), slog.String("reason", string(why))}
	if suppressed > 0 {
		attrs = append(attrs, slog.Int("suppressed", suppressed))
	}
	if ua := excerpt(userAgent); ua != "" {
		attrs = append(attrs, slog.String("user_agent", ua))
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "discord: rejected an interactions request", attrs...)
}

// excerpt returns at most the first bot.MaxLogExcerpt bytes of a header
// value, with everything but printable ASCII made '?', so that a logged
// header can neither forge a log line nor make it long.
func excerpt(s string) string {
	if len(s) > bot.MaxLogExcerpt {
		s = s[:bot.MaxLogExcerpt]
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

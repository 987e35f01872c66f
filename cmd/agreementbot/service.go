package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/discord"
	"github.com/agreementbot/agreementbot/bot/ratelimit"
	"github.com/agreementbot/agreementbot/bot/slack"
	"github.com/agreementbot/agreementbot/internal/metrics"
)

// current is the bot answering now. A reload (SIGHUP) builds and validates
// a new store, then swaps the whole bot in one atomic store, so each request
// sees one consistent snapshot.
type current struct{ p atomic.Pointer[bot.Bot] }

func (c *current) Handle(ctx context.Context, q bot.Query) bot.Reply {
	return c.p.Load().Handle(ctx, q)
}
func (c *current) Complete(ctx context.Context, prefix string) []bot.Choice {
	return c.p.Load().Complete(ctx, prefix)
}

// health tracks what /readyz reports.
type health struct {
	draining atomic.Bool
	indexed  func() bool // the answering store's indexes are built
	mu       sync.Mutex
	down     map[string]bool // configured chat connections currently down
}

func newHealth() *health { return &health{down: map[string]bool{}} }

func (h *health) set(platform string, up bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if up {
		delete(h.down, platform)
	} else {
		h.down[platform] = true
	}
}

func (h *health) ready() (bool, string) {
	if h.draining.Load() {
		return false, "draining"
	}
	if h.indexed != nil && !h.indexed() {
		return false, "building indexes"
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for p := range h.down {
		return false, p + " connection down"
	}
	return true, "ready"
}

// drainer is an HTTP handler with work that outlives its requests (Slack
// event answers are posted after the request is acknowledged; Discord's
// map answers are posted as follow-ups after a deferral).
type drainer interface {
	Drain(ctx context.Context) error
}

// service is what every long-running mode shares: the answering bot behind
// its handler chain (recovery, rate limits, metrics), the metrics, the
// health that /readyz reports, and the adapters' configurations.
type service struct {
	cfg     *config
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics.Metrics
	bot     *current
	handler bot.Handler   // bot + recovery + rate limits + metrics
	complet bot.Completer // bot + recovery
	health  *health

	drainers []drainer // handlers to wait for at shutdown
}

func newService(cfg *config, log *slog.Logger, b *bot.Bot, now func() time.Time) *service {
	s := &service{cfg: cfg, log: log, now: now, metrics: metrics.New(now), bot: &current{}, health: newHealth()}
	s.bot.p.Store(b)
	s.health.indexed = func() bool {
		select {
		case <-s.bot.p.Load().Store().Indexed():
			return true
		default:
			return false
		}
	}
	store := b.Store()
	s.metrics.Store(store.AsOfTime(), len(store.Countries()))
	lim := ratelimit.New(bot.Recover(s.bot, s.onPanic), ratelimit.Rate(cfg.RatePerUser), ratelimit.Rate(cfg.RateGlobal), now)
	lim.OnLimited = s.metrics.RateLimited
	s.handler = s.metrics.Wrap(lim, log)
	s.complet = bot.RecoverCompleter(s.bot, s.onPanic)
	return s
}

// onPanic reports a panic recovered while answering or completing.
func (s *service) onPanic(v any, stack []byte) {
	s.metrics.Panic()
	s.log.Error("panic while answering", "panic", fmt.Sprint(v), "stack", string(stack))
}

// reload loads the data again; a bad reload keeps the previous data.
func (s *service) reload(ctx context.Context) {
	store, err := loadStore(s.cfg)
	if err != nil {
		s.metrics.Reload("error")
		s.log.Error("reload failed; still serving the previous data", "error", err.Error())
		return
	}
	nb := newBot(s.cfg, store, s.now)
	// Swap in a warm store, so that readiness does not flap and no request
	// waits for the new indexes.
	nb.Warm(ctx)
	select {
	case <-store.Indexed():
	case <-ctx.Done():
		return
	}
	s.bot.p.Store(nb)
	s.metrics.Store(store.AsOfTime(), len(store.Countries()))
	s.metrics.Reload("ok")
	s.log.Info("data reloaded", "countries", len(store.Countries()), "as_of", store.AsOf().ISO())
}

// hooks connect an adapter to the metrics and to /readyz.
func (s *service) hooks(platform string) bot.Hooks {
	return bot.Hooks{
		SignatureFailure: func() { s.metrics.SignatureFailure(platform) },
		Reconnect:        func() { s.metrics.Reconnect(platform) },
		Connected:        func(up bool) { s.metrics.Connected(platform, up); s.health.set(platform, up) },
		Answered: func(kind string, outcome bot.Outcome, d time.Duration) {
			s.metrics.Delivered(platform, kind, outcome, d)
		},
	}
}

// slackConfig is the Slack adapter's configuration; hooks may be zero.
func slackConfig(cfg *config, log *slog.Logger, hooks bot.Hooks, now func() time.Time) slack.Config {
	return slack.Config{
		BotToken: cfg.SlackBotToken, AppToken: cfg.SlackAppToken, SigningSecret: cfg.SlackSigningSecret,
		APIURL: cfg.SlackAPIURL, MaxBodyBytes: cfg.MaxBodyBytes, Logger: log.With("platform", "slack"),
		Now: now, Hooks: hooks,
	}
}

// discordConfig is the Discord adapter's configuration; hooks may be zero.
func discordConfig(cfg *config, log *slog.Logger, hooks bot.Hooks, now func() time.Time) discord.Config {
	return discord.Config{
		BotToken: cfg.DiscordBotToken, AppID: cfg.DiscordAppID, PublicKey: cfg.DiscordPublicKey,
		GuildID: cfg.DiscordGuildID, APIURL: cfg.DiscordAPIURL, PublicURL: cfg.PublicURL,
		ShardID: cfg.DiscordShardID, ShardCount: cfg.DiscordShardCount,
		RegisterCommands: cfg.DiscordRegister, MaxBodyBytes: cfg.MaxBodyBytes,
		Logger: log.With("platform", "discord"),
		Now:    now, Hooks: hooks,
	}
}

// probes adds /healthz and /readyz to m: on the HTTP server, and on the
// metrics server too, so that a process with no HTTP server (Socket Mode
// or the Discord gateway only) can be probed there.
func (s *service) probes(m *http.ServeMux) {
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	m.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ok, why := s.health.ready()
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		io.WriteString(w, why+"\n")
	})
}

// metricsMux builds the routes of the METRICS_ADDR server: the metrics
// and the probes.
func (s *service) metricsMux() http.Handler {
	m := http.NewServeMux()
	m.Handle("GET /metrics", s.metrics.Handler())
	s.probes(m)
	return m
}

// mux builds the HTTP routes. A platform that is not configured has no
// routes, so its paths answer 404.
func (s *service) mux() (http.Handler, error) {
	m := http.NewServeMux()
	s.probes(m)
	if s.cfg.MetricsAddr == "" {
		m.Handle("GET /metrics", s.metrics.Handler())
	}
	m.HandleFunc("GET /maps/{digest}/{file}", s.serveMap)
	if s.cfg.slackHTTP() {
		sc := slackConfig(s.cfg, s.log, s.hooks("slack"), s.now)
		sc.PublicURL = s.cfg.PublicURL // this server publishes the map images: HTTP mode only
		h := slack.NewHTTPHandler(sc, s.handler)
		m.Handle(slack.CommandsPath, h)
		m.Handle(slack.EventsPath, h)
		m.Handle(slack.InteractionsPath, h)
		if d, ok := h.(drainer); ok {
			s.drainers = append(s.drainers, d)
		}
	}
	if s.cfg.discordHTTP() {
		h, err := discord.NewHTTPHandler(discordConfig(s.cfg, s.log, s.hooks("discord"), s.now), s.handler, s.complet)
		if err != nil {
			return nil, err
		}
		m.Handle("/discord/interactions", h)
		if d, ok := h.(drainer); ok { // maps' follow-up messages
			s.drainers = append(s.drainers, d)
		}
	}
	return m, nil
}

// serveMap answers GET /maps/<digest>/<filter>.png with a map a command has
// already drawn from the data with that digest; anything else is 404. A
// GET never draws a map, so the route cannot be used to make the server
// work. The address names the data, so the answer can be cached for long.
func (s *service) serveMap(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	img, found := s.bot.p.Load().RenderedMap(r.PathValue("digest"), name)
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(img.PNG)))
	h.Set("Cache-Control", "public, max-age=86400, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(img.PNG)
}

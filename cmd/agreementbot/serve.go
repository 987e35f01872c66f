package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/discord"
	"github.com/agreementbot/agreementbot/bot/ratelimit"
	"github.com/agreementbot/agreementbot/bot/slack"
	"github.com/agreementbot/agreementbot/internal/metrics"
	"github.com/agreementbot/agreementbot/knowledge"
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
// event answers are posted after the request is acknowledged).
type drainer interface {
	Drain(ctx context.Context) error
}

// service is everything serve runs, built by newService so tests can drive it.
type service struct {
	cfg     *config
	log     *slog.Logger
	metrics *metrics.Metrics
	bot     *current
	handler bot.Handler // bot + recovery + rate limits + metrics
	health  *health

	drainers []drainer // handlers to wait for at shutdown
}

func newService(cfg *config, log *slog.Logger, store *knowledge.Store, b *bot.Bot) *service {
	s := &service{cfg: cfg, log: log, metrics: metrics.New(time.Now), bot: &current{}, health: &health{down: map[string]bool{}}}
	s.bot.p.Store(b)
	s.health.indexed = func() bool {
		select {
		case <-s.bot.p.Load().Store().Indexed():
			return true
		default:
			return false
		}
	}
	s.metrics.Store(store.AsOfTime(), len(store.Countries()))
	recovered := bot.Recover(s.bot, s.onPanic)
	lim := ratelimit.New(recovered, ratelimit.Rate(cfg.RatePerUser), ratelimit.Rate(cfg.RateGlobal), time.Now)
	lim.OnLimited = s.metrics.RateLimited
	s.handler = s.metrics.Wrap(lim, log)
	return s
}

// completer answers autocomplete with panic recovery: a bad suggestion
// must never take the process down.
func (s *service) completer() bot.Completer {
	return bot.RecoverCompleter(s.bot, s.onPanic)
}

// onPanic reports a panic recovered while answering or completing.
func (s *service) onPanic(v any, stack []byte) {
	s.metrics.Panic()
	s.log.Error("panic while answering", "panic", fmt.Sprint(v), "stack", string(stack))
}

// reload loads the data again; a bad reload keeps the previous data.
func (s *service) reload() {
	store, err := loadStore(s.cfg)
	if err != nil {
		s.metrics.Reload("error")
		s.log.Error("reload failed; still serving the previous data", "error", err.Error())
		return
	}
	nb := bot.New(store, bot.Options{Visibility: s.cfg.Visibility, Version: buildVersion()})
	// Swap in a warm store, so that readiness does not flap and no request
	// waits for the new indexes.
	nb.Warm()
	<-store.Indexed()
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

func (s *service) slackConfig() slack.Config {
	return slack.Config{
		BotToken: s.cfg.SlackBotToken, AppToken: s.cfg.SlackAppToken, SigningSecret: s.cfg.SlackSigningSecret,
		APIURL: s.cfg.SlackAPIURL, MaxBodyBytes: s.cfg.MaxBodyBytes, Logger: s.log.With("platform", "slack"),
		Hooks: s.hooks("slack"),
	}
}

func (s *service) discordConfig() discord.Config {
	return discord.Config{
		BotToken: s.cfg.DiscordBotToken, AppID: s.cfg.DiscordAppID, PublicKey: s.cfg.DiscordPublicKey,
		GuildID: s.cfg.DiscordGuildID, APIURL: s.cfg.DiscordAPIURL,
		ShardID: s.cfg.DiscordShardID, ShardCount: s.cfg.DiscordShardCount,
		RegisterCommands: s.cfg.DiscordRegister, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Logger: s.log.With("platform", "discord"),
		Hooks:  s.hooks("discord"),
	}
}

// mux builds the HTTP routes. A platform that is not configured has no
// routes, so its paths answer 404.
func (s *service) mux() (http.Handler, error) {
	m := http.NewServeMux()
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
	if s.cfg.MetricsAddr == "" {
		m.Handle("GET /metrics", s.metrics.Handler())
	}
	if s.cfg.slackHTTP() {
		h := slack.NewHTTPHandler(s.slackConfig(), s.handler)
		m.Handle("/slack/commands", h)
		m.Handle("/slack/events", h)
		if d, ok := h.(drainer); ok {
			s.drainers = append(s.drainers, d)
		}
	}
	if s.cfg.discordHTTP() {
		h, err := discord.NewHTTPHandler(s.discordConfig(), s.handler, s.completer())
		if err != nil {
			return nil, err
		}
		m.Handle("/discord/interactions", h)
	}
	return m, nil
}

func newServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serve runs the HTTP server and, when all is set, the chat connections too,
// until ctx ends (SIGINT/SIGTERM): then /readyz turns 503, the servers stop
// accepting and finish in-flight requests, the chat connections close, and
// it returns 0 within SHUTDOWN_TIMEOUT.
func serve(ctx context.Context, cfg *config, log *slog.Logger, store *knowledge.Store, b *bot.Bot, all bool) int {
	s := newService(cfg, log, store, b)
	runCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fatal := make(chan error, 4)
	var wg sync.WaitGroup
	var servers []*http.Server

	listen := func(addr, what string, h http.Handler) bool {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			log.Error("cannot listen", "what", what, "addr", addr, "error", err.Error())
			return false
		}
		srv := newServer(h, log)
		servers = append(servers, srv)
		log.Info("listening", "what", what, "addr", ln.Addr().String())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fatal <- fmt.Errorf("%s server: %w", what, err)
			}
		}()
		return true
	}

	httpWanted := !all || cfg.slackHTTP() || cfg.discordHTTP()
	if httpWanted {
		mux, err := s.mux()
		if err != nil {
			log.Error("cannot start", "error", err.Error())
			return 1
		}
		if !listen(cfg.HTTPAddr, "http", mux) {
			return 1
		}
	}
	if cfg.MetricsAddr != "" {
		mm := http.NewServeMux()
		mm.Handle("GET /metrics", s.metrics.Handler())
		if !listen(cfg.MetricsAddr, "metrics", mm) {
			return 1
		}
	}
	if cfg.discordHTTP() && cfg.DiscordRegister && cfg.DiscordBotToken != "" && cfg.DiscordAppID != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, rcancel := context.WithTimeout(runCtx, 30*time.Second)
			defer rcancel()
			if err := discord.Register(rctx, s.discordConfig()); err != nil {
				log.Error("registering the Discord command failed", "error", err.Error())
			} else {
				log.Info("Discord command registered")
			}
		}()
	}
	if all && cfg.slackSocket() {
		sm, err := slack.NewSocketMode(s.slackConfig(), s.handler)
		if err != nil {
			log.Error("cannot start Slack Socket Mode", "error", err.Error())
			return 1
		}
		s.health.set("slack", false)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sm.Run(runCtx); err != nil {
				fatal <- fmt.Errorf("slack: %w", err)
			}
		}()
	}
	if all && cfg.discordGateway() {
		gw, err := discord.NewGateway(s.discordConfig(), s.handler, s.completer())
		if err != nil {
			log.Error("cannot start the Discord gateway", "error", err.Error())
			return 1
		}
		s.health.set("discord", false)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := gw.Run(runCtx); err != nil {
				fatal <- fmt.Errorf("discord: %w", err)
			}
		}()
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	code := 0
loop:
	for {
		select {
		case <-ctx.Done():
			log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
			break loop
		case err := <-fatal:
			log.Error("stopping", "error", err.Error())
			code = 1
			break loop
		case <-hup:
			s.reload()
		}
	}
	s.health.draining.Store(true)
	sctx, scancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer scancel()
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn("server did not drain in time", "error", err.Error())
			srv.Close()
		}
	}
	for _, d := range s.drainers {
		if err := d.Drain(sctx); err != nil {
			log.Warn("answers still in flight at the shutdown deadline", "error", err.Error())
		}
	}
	cancel()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		log.Warn("chat connections did not close within SHUTDOWN_TIMEOUT")
	}
	log.Info("stopped")
	return code
}

func slackManifest(cfg *config, stdout, stderr io.Writer) int {
	b, err := slack.Manifest(cfg.PublicURL)
	if err != nil {
		fmt.Fprintf(stderr, "agreementbot: %v\n", err)
		return 1
	}
	stdout.Write(b)
	return 0
}

func discordCommands(ctx context.Context, cfg *config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		b, err := discord.CommandsJSON()
		if err != nil {
			fmt.Fprintf(stderr, "agreementbot: %v\n", err)
			return 1
		}
		stdout.Write(append(b, '\n'))
		return 0
	case len(args) == 1 && (args[0] == "--register" || args[0] == "-register"):
		var missing []string
		if cfg.DiscordBotToken == "" {
			missing = append(missing, "DISCORD_BOT_TOKEN")
		}
		if cfg.DiscordAppID == "" {
			missing = append(missing, "DISCORD_APP_ID")
		}
		if len(missing) > 0 {
			fmt.Fprintf(stderr, "agreementbot: discord-commands --register needs %v\n", missing)
			return 2
		}
		s := &service{cfg: cfg, log: log, metrics: metrics.New(time.Now), health: &health{down: map[string]bool{}}}
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := discord.Register(rctx, s.discordConfig()); err != nil {
			fmt.Fprintf(stderr, "agreementbot: registering the Discord command: %v\n", err)
			return 1
		}
		where := "globally (may take up to an hour to appear)"
		if cfg.DiscordGuildID != "" {
			where = "in guild " + cfg.DiscordGuildID
		}
		fmt.Fprintf(stdout, "registered /agreement %s\n", where)
		return 0
	}
	fmt.Fprintln(stderr, "usage: agreementbot discord-commands [--register]")
	return 2
}

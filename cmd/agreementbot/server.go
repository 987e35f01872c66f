package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/agreementbot/agreementbot/bot/discord"
	"github.com/agreementbot/agreementbot/bot/slack"
)

// mode says what a long-running run serves.
type mode int

const (
	modeAll  mode = iota // every configured platform: chat connections and HTTP routes (the default command)
	modeHTTP             // only the HTTP routes (agreementbot serve)
)

// httpServer is one listening HTTP server with its connection limit.
type httpServer struct {
	what  string
	srv   *http.Server
	limit *connLimit
}

func newHTTPServer(what string, h http.Handler, maxConns int, log *slog.Logger) *httpServer {
	l := newConnLimit(maxConns)
	return &httpServer{what: what, limit: l, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ConnState:         l.connState,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}
}

// serve runs the HTTP server and, in modeAll, the chat connections too,
// until ctx ends (SIGINT/SIGTERM). Then /readyz answers 503 for
// SHUTDOWN_DELAY while everything still serves, so load balancers stop
// sending; then the servers stop accepting and finish in-flight requests,
// acknowledged Slack events are answered, and the chat connections close,
// all within SHUTDOWN_TIMEOUT. SIGHUP reloads the data. It returns the exit
// code.
func serve(ctx context.Context, s *service, m mode) int {
	cfg, log := s.cfg, s.log
	runCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fatal := make(chan error, 4)
	var servers []*httpServer
	var served sync.WaitGroup // HTTP servers and start-up registration

	listen := func(addr, what string, h http.Handler) bool {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			log.Error("cannot listen", "what", what, "addr", addr, "error", err.Error())
			return false
		}
		hs := newHTTPServer(what, h, cfg.MaxConnections, log)
		servers = append(servers, hs)
		log.Info("listening", "what", what, "addr", ln.Addr().String())
		served.Go(func() {
			if err := hs.srv.Serve(hs.limit.listener(ln)); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fatal <- fmt.Errorf("%s server: %w", what, err)
			}
		})
		return true
	}

	// The chat connections, built before anything listens and down until
	// they connect, so that /readyz never says ready before they are up.
	type chat struct {
		name string
		run  func(context.Context) error
	}
	var toStart []chat
	if m == modeAll && cfg.slackSocket() {
		sm, err := slack.NewSocketMode(slackConfig(cfg, log, s.hooks("slack"), s.now), s.handler)
		if err != nil {
			log.Error("cannot start Slack Socket Mode", "error", err.Error())
			return 1
		}
		toStart = append(toStart, chat{"slack", sm.Run})
	}
	if m == modeAll && cfg.discordGateway() {
		gw, err := discord.NewGateway(discordConfig(cfg, log, s.hooks("discord"), s.now), s.handler, s.complet)
		if err != nil {
			log.Error("cannot start the Discord gateway", "error", err.Error())
			return 1
		}
		toStart = append(toStart, chat{"discord", gw.Run})
	}
	for _, c := range toStart {
		s.health.set(c.name, false)
	}
	if m == modeHTTP || cfg.slackHTTP() || cfg.discordHTTP() {
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
		if !listen(cfg.MetricsAddr, "metrics", s.metricsMux()) {
			return 1
		}
	}
	if cfg.discordHTTP() && cfg.DiscordRegister && cfg.DiscordBotToken != "" && cfg.DiscordAppID != "" {
		served.Go(func() {
			rctx, rcancel := context.WithTimeout(runCtx, 30*time.Second)
			defer rcancel()
			if err := discord.Register(rctx, discordConfig(cfg, log, s.hooks("discord"), s.now)); err != nil {
				log.Error("registering the Discord command failed", "error", err.Error())
			} else {
				log.Info("Discord command registered")
			}
		})
	}

	// The chat connections start, each tracked by name so that shutdown
	// can say which did not close.
	chats := map[string]chan struct{}{}
	for _, c := range toStart {
		done := make(chan struct{})
		chats[c.name] = done
		go func() {
			defer close(done)
			if err := c.run(runCtx); err != nil {
				fatal <- fmt.Errorf("%s: %w", c.name, err)
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
			log.Info("shutting down", "delay", cfg.ShutdownDelay.String(), "timeout", cfg.ShutdownTimeout.String())
			break loop
		case err := <-fatal:
			log.Error("stopping", "error", err.Error())
			code = 1
			break loop
		case <-hup:
			s.reload(runCtx)
		}
	}
	shutdown(s, servers, chats, cancel, code == 0)
	served.Wait()
	log.Info("stopped")
	return code
}

// shutdown stops everything in order and logs only what is true: a warning
// names what was still open at the deadline, and there is none when
// nothing was.
func shutdown(s *service, servers []*httpServer, chats map[string]chan struct{}, stopChats context.CancelFunc, delay bool) {
	cfg, log := s.cfg, s.log
	s.health.draining.Store(true)
	if delay && cfg.ShutdownDelay > 0 && len(servers) > 0 {
		// Still serving: load balancers see /readyz at 503 and stop
		// sending new requests before the listeners close.
		time.Sleep(cfg.ShutdownDelay)
	}
	sctx, scancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer scancel()
	for _, hs := range servers {
		if err := hs.srv.Shutdown(sctx); err != nil {
			log.Warn("HTTP connections still busy at the shutdown deadline; closing them",
				"what", hs.what, "connections", hs.limit.open())
			hs.srv.Close()
		}
	}
	for _, d := range s.drainers {
		if err := d.Drain(sctx); err != nil {
			log.Warn("answers still in flight at the shutdown deadline", "error", err.Error())
		}
	}
	stopChats()
	for name, done := range chats {
		select {
		case <-done:
			continue // closed in time, even if the deadline has passed since
		default:
		}
		select {
		case <-done:
		case <-sctx.Done():
			log.Warn("chat connection did not close within SHUTDOWN_TIMEOUT", "platform", name)
		}
	}
}

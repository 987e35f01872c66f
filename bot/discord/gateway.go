package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// answerBudget is how long an interaction may take from receipt to the end
// of its callback: Discord's 3 seconds, less a margin for the time the
// event took to reach us and the callback takes to reach Discord.
const answerBudget = discordgo.InteractionDeadline - 500*time.Millisecond

// openTimeout bounds connecting to the gateway, from the TCP dial to READY
// or RESUMED; discordgo itself waits for HELLO and READY without a limit.
const openTimeout = 30 * time.Second

// maxBackoff caps the wait between failed connection attempts.
const maxBackoff = 2 * time.Minute

// Gateway answers interactions that arrive over a gateway connection.
type Gateway struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	rs     *responder

	conns conns         // the raw connections under the WebSocket, to abort a hung connect
	drops chan struct{} // a signal per dropped connection

	ran      atomic.Bool
	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup // interactions being answered
}

// NewGateway checks cfg and returns a Gateway that answers with h and
// completes with c (which may be nil: autocomplete then offers nothing).
func NewGateway(cfg Config, h bot.Handler, c bot.Completer) (*Gateway, error) {
	cfg = cfg.withDefaults()
	errs := []error{cfg.checkREST(cfg.RegisterCommands)}
	if h == nil {
		errs = append(errs, errors.New("discord: a bot.Handler is required"))
	}
	if cfg.ShardCount < 1 || cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount {
		errs = append(errs, fmt.Errorf("discord: DISCORD_SHARD_ID (%d) must be at least 0 and less than DISCORD_SHARD_COUNT (%d)", cfg.ShardID, cfg.ShardCount))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	client, err := cfg.httpClient()
	if err != nil {
		return nil, err
	}
	return &Gateway{
		cfg:    cfg,
		log:    cfg.Logger,
		client: client,
		rs:     newResponder(h, c),
		conns:  conns{set: map[*trackedConn]struct{}{}},
		drops:  make(chan struct{}, 1),
	}, nil
}

// GatewayError reports that the gateway closed the connection for a reason
// that reconnecting cannot fix, such as an invalid token (close code 4004)
// or a disallowed intent (4014).
type GatewayError struct {
	Code int
}

// fatalCloseCodes explain the close codes that end Run.
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: DISCORD_BOT_TOKEN is not a valid bot token",
	4010: "invalid shard: DISCORD_SHARD_ID must be less than DISCORD_SHARD_COUNT",
	4011: "sharding required: the bot is in too many servers for one connection; set DISCORD_SHARD_COUNT and run one process per shard",
	4012: "invalid gateway API version",
	4013: "invalid intents",
	4014: "disallowed intents: a privileged intent was requested that is not enabled for the application",
}

func (e *GatewayError) Error() string {
	return fmt.Sprintf("discord: the gateway closed the connection with code %d, %s", e.Code, fatalCloseCodes[e.Code])
}

// closeCode returns the close code in err, or 0.
func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return 0
}

// Run checks the token, registers the commands when configured to, and
// answers interactions until ctx is cancelled, when it closes the
// connection, waits for the answers in flight and returns nil. A dropped
// connection is resumed (or, when Discord no longer knows the session,
// replaced by a new one) with backoff; an invalid token, a fatal close code
// or a failed registration ends Run with an error that says what to fix.
// Run may be called once.
func (g *Gateway) Run(ctx context.Context) error {
	if !g.ran.CompareAndSwap(false, true) {
		return errors.New("discord: Gateway.Run may be called only once")
	}
	s, err := g.session()
	if err != nil {
		return err
	}
	if err := g.checkToken(ctx, s); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if g.cfg.RegisterCommands {
		if err := register(ctx, g.cfg, s); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	err = g.supervise(ctx, s)
	g.mu.Lock()
	g.closing = true
	g.mu.Unlock()
	g.inflight.Wait()
	return err
}

// session returns a new discordgo session wired to this gateway.
func (g *Gateway) session() (*discordgo.Session, error) {
	s, err := newSession(g.cfg, g.client)
	if err != nil {
		return nil, err
	}
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: openTimeout,
		NetDialContext:   g.conns.dial,
	}
	s.AddHandler(func(_ *discordgo.Session, ev *discordgo.InteractionCreate) { g.onInteraction(ev) })
	s.AddHandler(func(_ *discordgo.Session, ev *discordgo.Ready) {
		attrs := []any{"shard", g.cfg.ShardID, "shards", g.cfg.ShardCount}
		if ev.User != nil {
			attrs = append(attrs, "bot", ev.User.Username, "bot_id", ev.User.ID)
		}
		if ev.Application != nil && g.cfg.AppID != "" && ev.Application.ID != g.cfg.AppID {
			g.log.Warn("discord: the token belongs to another application than DISCORD_APP_ID", "token_app_id", ev.Application.ID, "app_id", g.cfg.AppID)
		}
		g.log.Info("discord: gateway session ready", attrs...)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		g.log.Info("discord: gateway session resumed")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case g.drops <- struct{}{}:
		default:
		}
	})
	return s, nil
}

// checkToken asks Discord who the token belongs to, so that a bad token is
// reported at once instead of by a gateway that closes and reconnects.
func (g *Gateway) checkToken(ctx context.Context, s *discordgo.Session) error {
	var u *discordgo.User
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		u, err = s.User("@me", restOptions(ctx)...)
		return err
	})
	if err != nil {
		if d := describe(err); errors.Is(d, ErrInvalidToken) {
			return ErrInvalidToken
		} else {
			return fmt.Errorf("discord: checking the bot token: %w", d)
		}
	}
	g.log.Info("discord: bot token accepted", "bot", u.Username, "bot_id", u.ID)
	return nil
}

// supervise keeps the session connected until ctx ends. discordgo's own
// reconnect loop is off: it retries forever, even on fatal close codes,
// and hides why it failed.
func (g *Gateway) supervise(ctx context.Context, s *discordgo.Session) error {
	backoff := time.Second
	connected := false // connected once at least
	for {
		select { // a stale signal from a connection closed before
		case <-g.drops:
		default:
		}
		err := g.open(ctx, s)
		if ctx.Err() != nil {
			g.shutdown(s)
			return nil
		}
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			// ErrWSAlreadyOpen: a second signal for one drop; still connected.
			if err == nil && connected {
				g.cfg.Hooks.OnReconnect()
				g.log.Info("discord: reconnected to the gateway")
			}
			connected = true
			backoff = time.Second
			g.cfg.Hooks.OnConnected(true)
			select {
			case <-ctx.Done():
				g.shutdown(s)
				return nil
			case <-g.drops:
				g.cfg.Hooks.OnConnected(false)
				g.log.Warn("discord: gateway connection lost; reconnecting")
				continue
			}
		}
		code := closeCode(err)
		if _, fatal := fatalCloseCodes[code]; fatal {
			g.shutdown(s)
			return &GatewayError{Code: code}
		}
		if errors.Is(describe(err), ErrInvalidToken) { // the gateway lookup got a 401
			g.shutdown(s)
			return ErrInvalidToken
		}
		if code == 4007 || code == 4009 {
			// Discord no longer knows the session; discordgo would keep
			// resuming it, so start a new one, which identifies afresh.
			if ns, err := g.session(); err == nil {
				s = ns
			}
		}
		g.log.Warn("discord: could not connect to the gateway; retrying", "err", err, "in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			g.shutdown(s)
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// open opens the session, giving up when ctx ends: the raw connection is
// closed under discordgo, which otherwise waits for HELLO and READY
// indefinitely.
func (g *Gateway) open(ctx context.Context, s *discordgo.Session) error {
	done := make(chan error, 1)
	go func() { done <- s.Open() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		g.conns.closeAll()
		err = <-done
	}
	if err == nil {
		g.conns.clearDeadlines() // from now on heartbeats tell a dead link
	}
	return err
}

// shutdown closes the session (discordgo sends a close frame and waits a
// second for Discord to close).
func (g *Gateway) shutdown(s *discordgo.Session) {
	if err := s.Close(); err != nil {
		g.log.Debug("discord: closing the gateway session", "err", err)
	}
	g.conns.closeAll()
	g.cfg.Hooks.OnConnected(false)
}

// onInteraction answers one interaction with a callback, within the
// interaction's deadline. discordgo calls it on a goroutine of its own.
func (g *Gateway) onInteraction(ev *discordgo.InteractionCreate) {
	if ev == nil || ev.Interaction == nil {
		return
	}
	start := g.cfg.Now()
	g.mu.Lock()
	if g.closing {
		g.mu.Unlock()
		return
	}
	g.inflight.Add(1)
	g.mu.Unlock()
	defer g.inflight.Done()

	// Not Run's context: an answer under way is finished during shutdown.
	ctx, cancel := context.WithTimeout(context.Background(), answerBudget)
	defer cancel()
	i := ev.Interaction
	resp, err := g.rs.respond(ctx, i)
	kind := resp.kind
	switch {
	case errors.Is(err, errUnsupported) || kind == kindPing:
		g.log.Debug("discord: ignored an interaction", "type", int(i.Type))
		return
	case err == nil:
		// A map's image goes with the callback, as a file; a kept answer
		// is sent as kept.
		var body []byte
		var contentType string
		body, contentType, err = encodeWithFiles(resp)
		if err == nil {
			err = retry(ctx, func(ctx context.Context) error {
				return postCallback(ctx, g.client, i.ID, i.Token, contentType, body)
			})
		}
	}
	// A recovered panic reaches here as a reply of kind error: the outcome
	// is the delivery's.
	outcome := deliveryOutcome(err)
	d := g.cfg.Now().Sub(start)
	g.cfg.Hooks.OnAnswered(kind, outcome, d)
	logAnswer(ctx, g.log, "gateway", kind, outcome, d, err)
}

// deliveryOutcome classifies a delivery as bot.DeliveryOutcome does, but
// one given up on a 429 (no time left to wait it out) is rate_limited.
func deliveryOutcome(err error) bot.Outcome {
	if err != nil && isRateLimit(err) {
		return bot.OutcomeRateLimited
	}
	return bot.DeliveryOutcome(err)
}

// logAnswer records how an interaction's delivery went: at debug level when
// it went well (the program logs the one info line per answered command
// around the handler), as a warning when it did not. Never what was asked.
func logAnswer(ctx context.Context, log *slog.Logger, via, kind string, outcome bot.Outcome, d time.Duration, err error) {
	level := slog.LevelDebug
	if outcome != bot.OutcomeOK {
		level = slog.LevelWarn
	}
	if !log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("platform", platform), slog.String("via", via), slog.String("kind", kind),
		slog.String("outcome", string(outcome)), slog.Duration("latency", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", describe(err).Error()))
	}
	log.LogAttrs(ctx, level, "discord: answered", attrs...)
}

// conns tracks the raw network connections under the gateway's WebSocket.
type conns struct {
	mu  sync.Mutex
	set map[*trackedConn]struct{}
}

type trackedConn struct {
	net.Conn
	owner *conns
}

func (t *trackedConn) Close() error {
	t.owner.mu.Lock()
	delete(t.owner.set, t)
	t.owner.mu.Unlock()
	return t.Conn.Close()
}

// dial is the WebSocket dialer's NetDialContext. A new connection has a
// deadline of openTimeout until open clears it.
func (c *conns) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: openTimeout, KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	_ = nc.SetDeadline(time.Now().Add(openTimeout)) // the kernel's clock, not cfg.Now
	t := &trackedConn{Conn: nc, owner: c}
	c.mu.Lock()
	c.set[t] = struct{}{}
	c.mu.Unlock()
	return t, nil
}

func (c *conns) closeAll() {
	c.mu.Lock()
	list := make([]*trackedConn, 0, len(c.set))
	for t := range c.set {
		list = append(list, t)
	}
	c.mu.Unlock()
	for _, t := range list {
		_ = t.Close()
	}
}

func (c *conns) clearDeadlines() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for t := range c.set {
		_ = t.SetDeadline(time.Time{})
	}
}

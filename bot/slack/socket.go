package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/agreementbot/agreementbot/bot"
)

// SocketMode answers Slack over a Socket Mode WebSocket.
type SocketMode struct {
	cfg      Config
	api      *slack.Client
	log      *slog.Logger
	hooks    Hooks
	seen     *seenSet
	answerer *answerer
}

// maxInFlight bounds the answers being prepared or posted at once; the
// event loop waits when it is reached.
const maxInFlight = 64

// NewSocketMode checks the configuration and returns a Socket Mode bot. It
// needs cfg.AppToken (xapp-, with connections:write) and cfg.BotToken
// (xoxb-); it does no I/O until Run.
func NewSocketMode(cfg Config, h bot.Handler) (*SocketMode, error) {
	var problems []string
	if h == nil {
		problems = append(problems, "no handler")
	}
	problems = append(problems, checkToken("bot token", cfg.BotToken, "xoxb-")...)
	problems = append(problems, checkToken("app token", cfg.AppToken, "xapp-")...)
	if len(problems) > 0 {
		return nil, errors.New("slack: " + strings.Join(problems, "; "))
	}
	cfg = cfg.withDefaults()
	s := &SocketMode{
		cfg:   cfg,
		api:   newAPI(cfg, slack.OptionAppLevelToken(cfg.AppToken)),
		log:   cfg.Logger,
		hooks: cfg.Hooks,
		seen:  newSeenSet(dedupSize, dedupTTL, cfg.Now),
	}
	cfg.PublicURL = "" // no server publishes images in Socket Mode: maps are uploaded
	s.answerer = newAnswerer(cfg, s.api, h)
	return s, nil
}

func checkToken(name, token, prefix string) []string {
	switch {
	case token == "":
		return []string{name + " is empty"}
	case !strings.HasPrefix(token, prefix):
		return []string{name + " must start with " + prefix}
	}
	return nil
}

// Run connects and answers until ctx ends, when it returns nil. It
// reconnects by itself when the connection drops, goes quiet or Slack asks
// for a refresh. It returns an error wrapping ErrAuth when Slack rejects a
// token, and another error only if the client stops for a reason it cannot
// recover from.
func (s *SocketMode) Run(ctx context.Context) error {
	ownUser, err := s.authTest(ctx)
	if err != nil || ctx.Err() != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := socketmode.New(s.api,
		socketmode.OptionPingInterval(s.cfg.PingInterval),
		socketmode.OptionLog(slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)),
	)
	done := make(chan error, 1)
	go func() { done <- client.RunContext(runCtx) }()

	run := &socketRun{s: s, client: client, ownUser: ownUser, sem: make(chan struct{}, maxInFlight)}
	var fatal error
	for {
		select {
		case err := <-done:
			cancel()
			run.wg.Wait()
			if run.up {
				s.hooks.OnConnected(false)
			}
			return s.exitErr(ctx, fatal, err)
		case evt := <-client.Events:
			if err := run.dispatch(runCtx, evt); err != nil && fatal == nil {
				fatal = err
				cancel()
			}
		}
	}
}

// authTest checks the bot token and learns the bot's user id. Only a
// rejected token is fatal: if Slack cannot be reached, Socket Mode will keep
// trying anyway.
func (s *SocketMode) authTest(ctx context.Context) (string, error) {
	resp, err := s.api.AuthTestContext(ctx)
	switch {
	case ctx.Err() != nil:
		return "", nil
	case err != nil && isAuthError(err):
		return "", fmt.Errorf("slack: auth.test with the bot token: %w: %v", ErrAuth, err)
	case err != nil:
		s.log.Warn("slack: auth.test failed; connecting anyway", "err", err)
		return "", nil
	}
	s.log.Info("slack: bot token accepted", "team", resp.Team, "team_id", resp.TeamID, "bot_user", resp.UserID)
	return resp.UserID, nil
}

func (s *SocketMode) exitErr(ctx context.Context, fatal, err error) error {
	switch {
	case fatal != nil:
		return fatal
	case ctx.Err() != nil:
		return nil
	case err == nil:
		return errors.New("slack: socket mode stopped unexpectedly")
	case isAuthError(err):
		return fmt.Errorf("slack: apps.connections.open with the app token: %w: %v", ErrAuth, err)
	}
	return fmt.Errorf("slack: socket mode stopped: %w", err)
}

// isAuthError reports whether err is a Web API error that no retry can
// fix. slack-go stops on the first four by itself and retries the others
// for ever.
func isAuthError(err error) bool {
	if err == nil {
		return false
	}
	code := err.Error()
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		code = se.Err
	}
	switch code {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked",
		"token_expired", "not_allowed_token_type", "missing_scope", "invalid_token",
		"app_uninstalled", "team_disabled":
		return true
	}
	return false
}

// socketRun is the state of one Run.
type socketRun struct {
	s       *SocketMode
	client  *socketmode.Client
	ownUser string
	up      bool
	sem     chan struct{}
	wg      sync.WaitGroup
}

// spawn runs f in the background, waiting while maxInFlight are running.
func (r *socketRun) spawn(f func()) {
	r.sem <- struct{}{}
	r.wg.Go(func() {
		defer func() { <-r.sem }()
		f()
	})
}

// dispatch handles one event from the client; an error is fatal.
func (r *socketRun) dispatch(ctx context.Context, evt socketmode.Event) error {
	s := r.s
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		if r.up {
			r.up = false
			s.hooks.OnConnected(false)
			s.log.Info("slack: connection lost; reconnecting")
		}
	case socketmode.EventTypeConnected:
		r.up = true
		s.hooks.OnConnected(true)
		if ce, ok := evt.Data.(*socketmode.ConnectedEvent); ok && ce.ConnectionCount > 0 {
			s.hooks.OnReconnect()
			s.log.Info("slack: reconnected", "connection", ce.ConnectionCount+1)
		} else {
			s.log.Info("slack: connected over Socket Mode")
		}
	case socketmode.EventTypeConnectionError:
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			if isAuthError(ce.ErrorObj) {
				return fmt.Errorf("slack: apps.connections.open with the app token: %w: %v", ErrAuth, ce.ErrorObj)
			}
			s.log.Warn("slack: cannot connect; retrying", "attempt", ce.Attempt, "backoff", ce.Backoff, "err", ce.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		s.log.Error("slack: Socket Mode refused the app token")
	case socketmode.EventTypeHello:
		s.log.Debug("slack: hello")
	case socketmode.EventTypeIncomingError:
		// Common while a connection is being replaced.
		s.log.Debug("slack: read error", "err", evt.Data)
	case socketmode.EventTypeErrorWriteFailed:
		s.log.Warn("slack: write to Socket Mode failed", "err", evt.Data)
	case socketmode.EventTypeErrorBadMessage:
		r.badMessage(ctx, evt)
	case socketmode.EventTypeSlashCommand:
		r.command(ctx, evt)
	case socketmode.EventTypeEventsAPI:
		r.event(ctx, evt)
	case socketmode.EventTypeInteractive:
		r.interactive(ctx, evt)
	default:
		s.log.Debug("slack: event ignored", "type", evt.Type)
	}
	return nil
}

// ack acknowledges an envelope, with a payload or none.
func (r *socketRun) ack(ctx context.Context, envelopeID string, payload any) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	err := r.client.AckCtx(ctx, envelopeID, payload)
	if err != nil {
		r.s.log.Warn("slack: ack failed", "envelope_id", envelopeID, "err", err)
	}
	return err
}

// command answers a slash command in its acknowledgement.
func (r *socketRun) command(ctx context.Context, evt socketmode.Event) {
	start := r.s.cfg.Now()
	cmd, ok := evt.Data.(slack.SlashCommand)
	if !ok || evt.Request == nil {
		return
	}
	req := *evt.Request
	r.spawn(func() {
		s := r.s
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
		defer cancel()
		reply, payload, upload := s.answerer.command(hctx, cmd)
		err := r.ack(ctx, req.EnvelopeID, json.RawMessage(payload))
		d := s.cfg.Now().Sub(start)
		s.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
		if err != nil {
			return
		}
		s.log.Debug("slack: command answered", "command", cmd.Command, "team", cmd.TeamID, "kind", reply.Kind, "duration", d)
		if upload {
			// The acknowledgement carried the alt text; the picture follows.
			mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), postTimeout)
			defer cancel()
			s.answerer.deliverMap(mctx, reply, cmd.ChannelID, "", s.answerer.tellByResponseURL(cmd.ResponseURL))
		}
	})
}

// interactive acknowledges an interaction envelope at once and, when it is
// a press of one of the bot's buttons, answers it privately in the
// background.
func (r *socketRun) interactive(ctx context.Context, evt socketmode.Event) {
	start := r.s.cfg.Now()
	if evt.Request == nil {
		return
	}
	r.ack(ctx, evt.Request.EnvelopeID, nil)
	ic, ok := evt.Data.(slack.InteractionCallback)
	if !ok {
		return
	}
	p, why := pressOf(interactionOf(ic))
	if why != "" {
		r.s.log.Debug("slack: interaction ignored", "why", why)
		return
	}
	r.spawn(func() { r.s.answerer.press(context.WithoutCancel(ctx), p, start) })
}

// event acknowledges an Events API envelope at once and answers the
// question it carries, if any, in the background.
func (r *socketRun) event(ctx context.Context, evt socketmode.Event) {
	start := r.s.cfg.Now()
	s := r.s
	if evt.Request == nil {
		return
	}
	r.ack(ctx, evt.Request.EnvelopeID, nil)
	ev, ok := evt.Data.(slackevents.EventsAPIEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		s.log.Debug("slack: event ignored", "type", ev.Type)
		return
	}
	q, why := asks(ev, r.ownUser)
	if why != "" {
		s.log.Debug("slack: event ignored", "event_id", q.eventID, "why", why)
		return
	}
	if !s.seen.first(q.dedupKeys()...) {
		s.log.Info("slack: duplicate event ignored", "event_id", q.eventID, "retry", evt.Request.RetryAttempt)
		return
	}
	r.spawn(func() { s.answerer.answer(context.WithoutCancel(ctx), q, start) })
}

// badMessage handles an envelope slack-go could not parse (an event type
// it does not know, say): it is acknowledged so that Slack does not send
// it again. The bot answers only app_mention and message events, which
// slack-go knows.
func (r *socketRun) badMessage(ctx context.Context, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		Type       string `json:"type"`
		EnvelopeID string `json:"envelope_id"`
	}
	if err := json.Unmarshal(bad.Message, &env); err != nil || env.EnvelopeID == "" {
		r.s.log.Warn("slack: unreadable Socket Mode message", "err", bad.Cause)
		return
	}
	r.s.log.Warn("slack: Socket Mode message not understood; acknowledged", "type", env.Type, "err", bad.Cause)
	r.ack(ctx, env.EnvelopeID, nil)
}

package slack

import (
	"errors"
	"github.com/agreementbot/agreementbot/bot"
	"log/slog"
	"strings"
	"time"
)

// Config configures both transports. Zero values take the defaults noted.
type Config struct {
	BotToken      string // xoxb-: chat.postMessage and auth.test
	AppToken      string // xapp- with connections:write: Socket Mode only
	SigningSecret string // HTTP mode only
	APIURL        string // Web API base URL; default https://slack.com/api/
	// PublicURL is the server's public http(s) address (PUBLIC_URL), under
	// which it publishes map images (bot.Image.Path): with it, HTTP mode
	// shows a map as an image block. Without it, and always in Socket
	// Mode, the map is uploaded to the channel (files:write). An address
	// that is not a plain http(s) URL is ignored, with an error logged.
	PublicURL string

	MaxBodyBytes int64        // largest HTTP request body read; default 64 KiB
	Logger       *slog.Logger // default: discard
	// Now is the clock for latencies, de-duplication and log sampling;
	// default time.Now. Signature timestamps are checked by slack-go,
	// against the system clock.
	Now func() time.Time

	// PingInterval is how long Socket Mode waits for a WebSocket ping from
	// Slack before it treats the connection as dead and reconnects. Slack
	// pings every few seconds; the default is 30 s. Tests shorten it.
	PingInterval time.Duration

	// MaxPendingAnswers bounds the Events API answers being worked on or
	// posted at once over HTTP; an event beyond it gets 503 so that Slack
	// delivers it again later, and nothing is lost. Default 256.
	MaxPendingAnswers int

	Hooks Hooks
}

// Hooks are the program's callbacks for metrics and readiness; see bot.Hooks.
type Hooks = bot.Hooks

// ErrAuth is wrapped by the error Run returns when Slack rejects a token
// (invalid_auth, not_authed, account_inactive, token_revoked, ...): retrying
// cannot help, the operator must fix the configuration.
var ErrAuth = errors.New("slack rejected the token")

const (
	defaultAPIURL       = "https://slack.com/api/"
	defaultMaxBodyBytes = 64 << 10
	defaultPingInterval = 30 * time.Second
	defaultMaxPending   = 256
	platform            = "slack"
	slashCommand        = "/agreement"

	ackTimeout  = 2500 * time.Millisecond // Slack waits 3 s for an ack
	postTimeout = 10 * time.Second        // one chat.postMessage, with its answer
	dedupTTL    = time.Hour               // Slack retries an event for up to about an hour
	dedupSize   = 8192
)

// withDefaults returns cfg with every unset field at its default.
func (cfg Config) withDefaults() Config {
	if cfg.APIURL == "" {
		cfg.APIURL = defaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		// slack-go appends method names to the base URL as they are.
		cfg.APIURL += "/"
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = defaultPingInterval
	}
	if cfg.MaxPendingAnswers <= 0 {
		cfg.MaxPendingAnswers = defaultMaxPending
	}
	if cfg.PublicURL != "" {
		cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
		if _, ok := safeURL(cfg.PublicURL + "/"); !ok || strings.ContainsAny(cfg.PublicURL, "?#") {
			cfg.Logger.Error("slack: PUBLIC_URL is not a plain http(s) URL; maps will be uploaded instead")
			cfg.PublicURL = ""
		}
	}
	return cfg
}

// usage is how to reach the bot in Slack, shown first by help.
var usage = []string{
	"/agreement <query> in any channel, e.g. /agreement uganda",
	"@agreementbot <query> in a channel or thread (slash commands do not work in threads)",
	"a direct message to agreementbot with just the query",
}

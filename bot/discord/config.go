package discord

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

// DefaultAPIURL is Discord's own API.
const DefaultAPIURL = "https://discord.com"

// DefaultMaxBodyBytes bounds an interactions request body. Real ones are a
// few kilobytes.
const DefaultMaxBodyBytes = 64 << 10

// Config configures the adapter. The zero values of the optional fields
// are sensible defaults.
type Config struct {
	BotToken  string // DISCORD_BOT_TOKEN, with or without the "Bot " prefix
	AppID     string // DISCORD_APP_ID
	PublicKey string // DISCORD_PUBLIC_KEY, hex, for the HTTP interactions endpoint
	GuildID   string // DISCORD_GUILD_ID: register commands in this guild only
	APIURL    string // DISCORD_API_URL, default https://discord.com
	// PublicURL is PUBLIC_URL, where the program publishes map images
	// (under Image.Path): the HTTP endpoint shows a map's image from
	// there. Without it, a map is answered with a deferral and a
	// follow-up message that carries the image.
	PublicURL string

	ShardID, ShardCount int // DISCORD_SHARD_ID, DISCORD_SHARD_COUNT (0 means 1)

	RegisterCommands bool  // DISCORD_REGISTER_COMMANDS: Gateway.Run registers before connecting
	MaxBodyBytes     int64 // default DefaultMaxBodyBytes

	Logger     *slog.Logger     // default: discard
	Now        func() time.Time // the clock for latencies and the sampling of rejection logs; default time.Now
	HTTPClient *http.Client     // for REST calls; default a client with a 20 s timeout
	Hooks      Hooks
}

// Hooks are the program's callbacks for metrics and readiness; see bot.Hooks.
type Hooks = bot.Hooks

// withDefaults fills in the optional fields.
func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.ShardCount == 0 {
		c.ShardCount = 1
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.BotToken = strings.TrimSpace(c.BotToken)
	return c
}

// authorization is the Authorization header value for the bot token.
func (c Config) authorization() string {
	if strings.HasPrefix(c.BotToken, "Bot ") {
		return c.BotToken
	}
	return "Bot " + c.BotToken
}

// checkREST reports what is missing or wrong for REST calls. The variable
// names are those of the environment, which is where operators fix them.
func (c Config) checkREST(needApp bool) error {
	var errs []error
	if c.BotToken == "" || c.BotToken == "Bot" || c.BotToken == "Bot " {
		errs = append(errs, errors.New("discord: DISCORD_BOT_TOKEN is required"))
	}
	if needApp && c.AppID == "" {
		errs = append(errs, errors.New("discord: DISCORD_APP_ID is required to register commands"))
	} else if c.AppID != "" && !isSnowflake(c.AppID) {
		errs = append(errs, errors.New("discord: DISCORD_APP_ID must be the application's numeric id"))
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		errs = append(errs, errors.New("discord: DISCORD_GUILD_ID must be a numeric guild id"))
	}
	if _, err := apiBase(c.APIURL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// apiBase parses the API URL.
func apiBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("discord: DISCORD_API_URL %q must be an http or https URL such as %s", raw, DefaultAPIURL)
	}
	return u, nil
}

// discordHost is the host of every endpoint URL discordgo builds.
const discordHost = "discord.com"

// rewrite sends requests for discord.com to the configured API URL
// instead, so a Discord-compatible server (or the tests' fake Discord)
// receives every REST call, the gateway lookup included, without touching
// discordgo's package-level endpoint variables.
type rewrite struct {
	base   http.RoundTripper
	scheme string
	host   string
	prefix string // a path prefix, without the trailing slash
}

func (t *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != discordHost {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change the request
	r.URL.Scheme, r.URL.Host, r.Host = t.scheme, t.host, ""
	if t.prefix != "" {
		r.URL.Path = t.prefix + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = t.prefix + r.URL.RawPath
		}
	}
	return t.base.RoundTrip(r)
}

// httpClient returns the client for REST calls: the configured one or a
// default, pointed at the API URL.
func (c Config) httpClient() (*http.Client, error) {
	base, err := apiBase(c.APIURL)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: 20 * time.Second}
	if c.HTTPClient != nil {
		cp := *c.HTTPClient
		client = &cp
	}
	if base.Scheme == "https" && base.Host == discordHost && strings.Trim(base.Path, "/") == "" {
		return client, nil
	}
	rt := client.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	client.Transport = &rewrite{base: rt, scheme: base.Scheme, host: base.Host, prefix: strings.TrimRight(base.Path, "/")}
	return client, nil
}

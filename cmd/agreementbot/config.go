package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/discord"
)

// variable documents one environment variable. The table is the single
// source of truth: config.example.env is checked against it by a test, and
// the effective configuration is logged from it with secrets redacted.
type variable struct {
	name   string
	def    string
	secret bool
	doc    string
}

var variables = []variable{
	{"SLACK_BOT_TOKEN", "", true, "Slack bot token (xoxb-...). With SLACK_APP_TOKEN: Socket Mode."},
	{"SLACK_APP_TOKEN", "", true, "Slack app-level token (xapp-..., scope connections:write) for Socket Mode."},
	{"SLACK_SIGNING_SECRET", "", true, "Slack signing secret: enables the HTTP routes /slack/commands, /slack/events and /slack/interactions."},
	{"SLACK_API_URL", "https://slack.com/api/", false, "Slack Web API base URL (GovSlack and tests)."},
	{"DISCORD_BOT_TOKEN", "", true, "Discord bot token: the gateway, and command registration."},
	{"DISCORD_APP_ID", "", false, "Discord application id (a number)."},
	{"DISCORD_PUBLIC_KEY", "", false, "Discord application public key (64 hex characters): enables /discord/interactions."},
	{"DISCORD_MODE", "", false, "gateway or http; default http when DISCORD_PUBLIC_KEY is set, gateway otherwise."},
	{"DISCORD_GUILD_ID", "", false, "Register the command in this one guild (instant; for testing) instead of globally."},
	{"DISCORD_REGISTER_COMMANDS", "true", false, "true or false: register the command at start-up (turn off on replicas)."},
	{"DISCORD_SHARD_ID", "0", false, "Gateway shard id, 0 <= id < DISCORD_SHARD_COUNT."},
	{"DISCORD_SHARD_COUNT", "1", false, "Number of gateway shards."},
	{"DISCORD_API_URL", "https://discord.com", false, "Discord REST base URL, the gateway lookup included (tests, compatible servers)."},
	{"HTTP_ADDR", ":8080", false, "Address of the HTTP server (host:port; 127.0.0.1:0 picks a free port)."},
	{"METRICS_ADDR", "", false, "Optional separate, private address for /metrics, with /healthz and /readyz (otherwise /metrics is served on HTTP_ADDR)."},
	{"PUBLIC_URL", "", false, "Public https URL of this server: the Slack manifest's request URLs, and where map images are published (/maps/...) for Slack and Discord."},
	{"CORRECTIONS_URL", "", false, "Where people report a wrong fact (an https URL): shown by about and at the foot of every full card. Default: the issues page of the repository named by the module path."},
	{"REPLY_VISIBILITY", "channel", false, "channel or private: who sees answers that carry facts."},
	{"KNOWLEDGE_DIR", "", false, "Load data files from this directory instead of the embedded copy; SIGHUP reloads."},
	{"LOG_FORMAT", "text", false, "text or json."},
	{"LOG_LEVEL", "info", false, "debug, info, warn or error. debug also logs query text."},
	{"RATE_LIMIT_PER_USER", "20/min", false, "Answers per user, as N/sec, N/min or N/hour; 0 turns the limit off."},
	{"RATE_LIMIT_GLOBAL", "3000/min", false, "Answers for the whole process, same format; 0 turns the limit off."},
	{"SHUTDOWN_DELAY", "5s", false, "On SIGINT/SIGTERM, how long /readyz answers 503 while everything still serves, so load balancers stop sending first (a Go duration; 0 for none)."},
	{"SHUTDOWN_TIMEOUT", "10s", false, "After SHUTDOWN_DELAY, how long to finish in-flight requests and answers (a Go duration)."},
	{"MAX_CONNECTIONS", "4096", false, "Most HTTP connections held open at once; beyond it idle keep-alive connections are closed first, then new ones wait."},
	{"MAX_BODY_BYTES", "65536", false, "Largest HTTP request body accepted, in bytes."},
}

// rate is a parsed rate limit: N events per Per. N == 0 means off.
type rate struct {
	N   int
	Per time.Duration
}

func (r rate) String() string {
	if r.N == 0 {
		return "off"
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// config is the effective configuration, read once at start-up.
type config struct {
	SlackBotToken, SlackAppToken, SlackSigningSecret, SlackAPIURL string

	DiscordBotToken, DiscordAppID, DiscordPublicKey, DiscordGuildID, DiscordAPIURL string
	DiscordMode                                                                    string
	DiscordRegister                                                                bool
	DiscordShardID, DiscordShardCount                                              int

	HTTPAddr, MetricsAddr, PublicURL string
	CorrectionsURL                   string
	Visibility                       bot.Visibility
	KnowledgeDir                     string
	LogFormat                        string
	LogLevel                         slog.Level
	RatePerUser, RateGlobal          rate
	ShutdownDelay, ShutdownTimeout   time.Duration
	MaxConnections                   int
	MaxBodyBytes                     int64

	raw map[string]string // effective values by name, for logging
}

func (c *config) slackSocket() bool { return c.SlackAppToken != "" && c.SlackBotToken != "" }
func (c *config) slackHTTP() bool   { return c.SlackSigningSecret != "" }
func (c *config) discordGateway() bool {
	return c.DiscordMode == "gateway" && c.DiscordBotToken != ""
}
func (c *config) discordHTTP() bool { return c.DiscordPublicKey != "" && c.DiscordMode == "http" }
func (c *config) anyChat() bool {
	return c.slackSocket() || c.slackHTTP() || c.discordGateway() || c.discordHTTP()
}

// checkPlatforms reports a platform configured by halves, naming the
// missing variable, so that a typo never silently starts the console or a
// server that answers nothing. serve (modeHTTP) needs at least one HTTP
// platform.
func (c *config) checkPlatforms(m mode) error {
	var problems []string
	if m == modeAll {
		if c.SlackBotToken != "" && c.SlackAppToken == "" && c.SlackSigningSecret == "" {
			problems = append(problems, "SLACK_APP_TOKEN: SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP) is")
		}
	}
	if m == modeHTTP && !c.slackHTTP() && !c.discordHTTP() {
		problems = append(problems, "serve: no platform is configured: set SLACK_SIGNING_SECRET (Slack) or DISCORD_PUBLIC_KEY (Discord), or run without serve for the console")
	}
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}

// ConfigError lists every invalid or conflicting variable at once.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string {
	return "configuration: " + strings.Join(e.Problems, "; ")
}

// Regular expressions are compiled on first use: most runs (ask) never
// need them, and compiling at start-up costs every run.
var hexKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{64}$`) })

var envLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$`)
})

// readDotEnv parses a .env file: KEY=VALUE lines, # comments, optional
// single or double quotes. Problems name the file and line.
func readDotEnv(fsys fs.FS, name string) (map[string]string, error) {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vals := map[string]string{}
	var problems []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		m := envLine().FindStringSubmatch(line)
		if m == nil {
			problems = append(problems, fmt.Sprintf("%s:%d: want KEY=VALUE", name, n))
			continue
		}
		v := m[2]
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		vals[m[1]] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return vals, nil
}

// loadConfig reads every variable once, from getenv first and then the
// .env values; an empty value means unset. All problems are reported at
// once, each naming its variable.
func loadConfig(getenv func(string) string, dotenv map[string]string) (*config, error) {
	c := &config{raw: map[string]string{}}
	var problems []string
	bad := func(name, format string, args ...any) {
		problems = append(problems, name+": "+fmt.Sprintf(format, args...))
	}
	get := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			v = strings.TrimSpace(dotenv[name])
		}
		if v == "" {
			for _, vr := range variables {
				if vr.name == name {
					v = vr.def
				}
			}
		}
		c.raw[name] = v
		return v
	}
	integer := func(name string, min int) int {
		v := get(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < min {
			bad(name, "want a whole number >= %d, got %q", min, v)
		}
		return n
	}

	c.SlackBotToken = get("SLACK_BOT_TOKEN")
	c.SlackAppToken = get("SLACK_APP_TOKEN")
	c.SlackSigningSecret = get("SLACK_SIGNING_SECRET")
	c.SlackAPIURL = get("SLACK_API_URL")
	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		bad("SLACK_BOT_TOKEN", "a bot token starts with xoxb-")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		bad("SLACK_APP_TOKEN", "an app-level token starts with xapp-")
	}
	if c.SlackAppToken != "" && c.SlackBotToken == "" {
		bad("SLACK_BOT_TOKEN", "Socket Mode needs it as well as SLACK_APP_TOKEN")
	}
	if !validURL(c.SlackAPIURL) {
		bad("SLACK_API_URL", "want an http(s) URL, got %q", c.SlackAPIURL)
	} else if !strings.HasSuffix(c.SlackAPIURL, "/") {
		c.SlackAPIURL += "/" // slack-go needs the trailing slash
	}

	c.DiscordBotToken = get("DISCORD_BOT_TOKEN")
	c.DiscordAppID = get("DISCORD_APP_ID")
	c.DiscordPublicKey = get("DISCORD_PUBLIC_KEY")
	c.DiscordGuildID = get("DISCORD_GUILD_ID")
	c.DiscordAPIURL = strings.TrimRight(get("DISCORD_API_URL"), "/")
	c.DiscordMode = get("DISCORD_MODE")
	if c.DiscordAppID != "" && !isDigits(c.DiscordAppID) {
		bad("DISCORD_APP_ID", "want the numeric application id")
	}
	if c.DiscordGuildID != "" && !isDigits(c.DiscordGuildID) {
		bad("DISCORD_GUILD_ID", "want a numeric guild id")
	}
	if c.DiscordPublicKey != "" && !hexKey().MatchString(c.DiscordPublicKey) {
		bad("DISCORD_PUBLIC_KEY", "want 64 hexadecimal characters")
	} else if c.DiscordPublicKey != "" {
		if err := discord.CheckPublicKey(c.DiscordPublicKey); err != nil {
			bad("DISCORD_PUBLIC_KEY", "%v", err) // 64 hex characters, but not a key
		}
	}
	switch c.DiscordMode {
	case "":
		c.DiscordMode = "gateway"
		if c.DiscordPublicKey != "" {
			c.DiscordMode = "http"
		}
		c.raw["DISCORD_MODE"] = c.DiscordMode
	case "gateway":
	case "http":
		if c.DiscordPublicKey == "" {
			bad("DISCORD_MODE", "http needs DISCORD_PUBLIC_KEY")
		}
	default:
		bad("DISCORD_MODE", "want gateway or http, got %q", c.DiscordMode)
	}
	if c.DiscordMode == "gateway" && c.DiscordBotToken != "" && c.DiscordAppID == "" {
		bad("DISCORD_APP_ID", "the gateway needs it with DISCORD_BOT_TOKEN")
	}
	switch v := get("DISCORD_REGISTER_COMMANDS"); strings.ToLower(v) {
	case "true", "1", "yes":
		c.DiscordRegister = true
	case "false", "0", "no":
	default:
		bad("DISCORD_REGISTER_COMMANDS", "want true or false, got %q", v)
	}
	c.DiscordShardID = integer("DISCORD_SHARD_ID", 0)
	c.DiscordShardCount = integer("DISCORD_SHARD_COUNT", 1)
	if c.DiscordShardCount >= 1 && c.DiscordShardID >= c.DiscordShardCount {
		bad("DISCORD_SHARD_ID", "must be less than DISCORD_SHARD_COUNT (%d)", c.DiscordShardCount)
	}
	if !validURL(c.DiscordAPIURL) {
		bad("DISCORD_API_URL", "want an http(s) URL, got %q", c.DiscordAPIURL)
	}

	c.HTTPAddr = get("HTTP_ADDR")
	if !validAddr(c.HTTPAddr) {
		bad("HTTP_ADDR", "want host:port, got %q", c.HTTPAddr)
	}
	c.MetricsAddr = get("METRICS_ADDR")
	if c.MetricsAddr != "" && !validAddr(c.MetricsAddr) {
		bad("METRICS_ADDR", "want host:port, got %q", c.MetricsAddr)
	}
	c.PublicURL = strings.TrimRight(get("PUBLIC_URL"), "/")
	if c.PublicURL != "" && !validURL(c.PublicURL) {
		bad("PUBLIC_URL", "want an http(s) URL, got %q", c.PublicURL)
	}
	c.CorrectionsURL = get("CORRECTIONS_URL")
	if c.CorrectionsURL == "" {
		c.CorrectionsURL = defaultCorrectionsURL()
		c.raw["CORRECTIONS_URL"] = c.CorrectionsURL
	} else if !validURL(c.CorrectionsURL) {
		bad("CORRECTIONS_URL", "want an http(s) URL, got %q", c.CorrectionsURL)
	}
	switch v := get("REPLY_VISIBILITY"); v {
	case "channel", "public":
		c.Visibility = bot.Public
	case "private", "ephemeral":
		c.Visibility = bot.Private
	default:
		bad("REPLY_VISIBILITY", "want channel or private, got %q", v)
	}
	c.KnowledgeDir = get("KNOWLEDGE_DIR")
	if c.KnowledgeDir != "" {
		if st, err := os.Stat(c.KnowledgeDir); err != nil || !st.IsDir() {
			bad("KNOWLEDGE_DIR", "%q is not a readable directory", c.KnowledgeDir)
		}
	}
	c.LogFormat = get("LOG_FORMAT")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", "want text or json, got %q", c.LogFormat)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		bad("LOG_LEVEL", "want debug, info, warn or error, got %q", c.raw["LOG_LEVEL"])
	}
	var err error
	if c.RatePerUser, err = parseRate(get("RATE_LIMIT_PER_USER")); err != nil {
		bad("RATE_LIMIT_PER_USER", "%v", err)
	}
	if c.RateGlobal, err = parseRate(get("RATE_LIMIT_GLOBAL")); err != nil {
		bad("RATE_LIMIT_GLOBAL", "%v", err)
	}
	if c.ShutdownTimeout, err = time.ParseDuration(get("SHUTDOWN_TIMEOUT")); err != nil || c.ShutdownTimeout <= 0 {
		bad("SHUTDOWN_TIMEOUT", "want a positive duration such as 10s, got %q", c.raw["SHUTDOWN_TIMEOUT"])
	}
	if c.ShutdownDelay, err = time.ParseDuration(get("SHUTDOWN_DELAY")); err != nil || c.ShutdownDelay < 0 {
		bad("SHUTDOWN_DELAY", "want a duration such as 5s, or 0, got %q", c.raw["SHUTDOWN_DELAY"])
	}
	c.MaxConnections = integer("MAX_CONNECTIONS", 16)
	n, err := strconv.ParseInt(get("MAX_BODY_BYTES"), 10, 64)
	if err != nil || n < 1024 || n > 10<<20 {
		bad("MAX_BODY_BYTES", "want a number of bytes from 1024 to 10485760, got %q", c.raw["MAX_BODY_BYTES"])
	}
	c.MaxBodyBytes = n
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return c, nil
}

func parseRate(v string) (rate, error) {
	if v == "0" || v == "off" {
		return rate{}, nil
	}
	num, unit, ok := strings.Cut(v, "/")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 {
		return rate{}, fmt.Errorf("want N/sec, N/min or N/hour, or 0 for off; got %q", v)
	}
	switch unit {
	case "s", "sec", "second":
		return rate{n, time.Second}, nil
	case "m", "min", "minute":
		return rate{n, time.Minute}, nil
	case "h", "hour":
		return rate{n, time.Hour}, nil
	}
	return rate{}, fmt.Errorf("unknown unit %q: want sec, min or hour", unit)
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func validAddr(s string) bool {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return false
	}
	p, err := strconv.Atoi(s[i+1:])
	return err == nil && p >= 0 && p <= 65535
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// logEffective logs the configuration once, every secret redacted.
func (c *config) logEffective(log *slog.Logger) {
	attrs := make([]any, 0, len(variables))
	for _, v := range variables {
		val := c.raw[v.name]
		if v.secret && val != "" {
			val = "[redacted]"
		}
		attrs = append(attrs, slog.String(v.name, val))
	}
	log.Info("configuration", attrs...)
}

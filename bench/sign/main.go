// Command sign prepares the correctly signed requests bench/load.sh sends.
//
//	sign keygen                 print a fresh SLACK_SIGNING_SECRET, a Discord
//	                            Ed25519 seed (DISCORD_SEED) and its public key
//	                            (DISCORD_PUBLIC_KEY), one NAME=value a line
//	sign slack   [-format F]    a signed Slack slash command: /agreement uganda
//	sign discord [-format F]    a signed Discord application command interaction
//	sign freeport               print a free TCP port on 127.0.0.1
//
// The secret and the seed come from SLACK_SIGNING_SECRET and DISCORD_SEED
// (or -secret and -seed). -format lua (the default) prints a wrk script that
// sends the request and, when wrk is done, prints one machine-readable
// "BENCH ..." line (with -delay MS each connection pauses MS milliseconds
// after each answer, for a fixed load below saturation); -format curl prints a curl config file (curl -K) for the
// same request; -format headers prints the headers and then the body.
//
// Each request is signed once, with the current time as its timestamp, and
// sent unchanged many times: Slack accepts it for five minutes. The servers
// verify every copy again; neither caches verification.
package main

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	secret := fs.String("secret", os.Getenv("SLACK_SIGNING_SECRET"), "Slack signing secret")
	seed := fs.String("seed", os.Getenv("DISCORD_SEED"), "Discord Ed25519 private key seed, 64 hex characters")
	format := fs.String("format", "lua", "lua, curl or headers")
	text := fs.String("text", "uganda", "the command's text (Slack) or query option (Discord)")
	delay := fs.Int("delay", 0, "lua: each connection waits this many milliseconds after an answer before its next request (0: none, full speed)")
	fs.Parse(args)

	var req request
	switch cmd {
	case "keygen":
		keygen()
		return
	case "freeport":
		freeport()
		return
	case "slack":
		if *secret == "" {
			fail("slack: set SLACK_SIGNING_SECRET or -secret")
		}
		req = slackCommand(*secret, *text, time.Now())
	case "discord":
		raw, err := hex.DecodeString(*seed)
		if err != nil || len(raw) != ed25519.SeedSize {
			fail("discord: set DISCORD_SEED or -seed to 64 hex characters (sign keygen makes one)")
		}
		req = discordCommand(ed25519.NewKeyFromSeed(raw), *text, time.Now())
	default:
		usage()
	}
	switch *format {
	case "lua":
		fmt.Print(req.lua(*delay))
	case "curl":
		fmt.Print(req.curl())
	case "headers":
		for _, h := range req.headers {
			fmt.Printf("%s: %s\n", h[0], h[1])
		}
		fmt.Printf("\n%s\n", req.body)
	default:
		fail("unknown -format " + *format)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sign keygen | sign slack|discord [-format lua|curl|headers] [-text T] [-delay MS] | sign freeport")
	os.Exit(2)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "sign: "+msg)
	os.Exit(2)
}

func keygen() {
	var secret [16]byte
	rand.Read(secret[:])
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		fail(err.Error())
	}
	fmt.Printf("SLACK_SIGNING_SECRET=%x\n", secret)
	fmt.Printf("DISCORD_SEED=%x\n", priv.Seed())
	fmt.Printf("DISCORD_PUBLIC_KEY=%x\n", pub)
}

// freeport asks the kernel for a free loopback port. Someone else may take
// it before the server binds it; load.sh notices, as the server then fails.
func freeport() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err.Error())
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
}

// request is one signed HTTP request.
type request struct {
	name    string
	path    string
	headers [][2]string
	body    string
}

// slackCommand is a slash command as Slack sends it: every field Slack
// includes, form-encoded, signed with v0 HMAC-SHA256 over
// "v0:" + timestamp + ":" + body.
func slackCommand(secret, text string, now time.Time) request {
	form := [][2]string{
		{"token", "gIkuvaNzQIHg97ATvDxqgjtO"},
		{"team_id", "T1"},
		{"team_domain", "newsroom"},
		{"enterprise_id", "E1"},
		{"enterprise_name", "Newsroom"},
		{"channel_id", "C1"},
		{"channel_name", "general"},
		{"user_id", "U1"},
		{"user_name", "reporter"},
		{"command", "/agreement"},
		{"text", text},
		{"response_url", "https://hooks.slack.com/commands/T1/1234567890/abcdefABCDEF0123456789"},
		{"trigger_id", "13345224609.738474920.8088930838d88f008e0"},
		{"api_app_id", "A1"},
		{"is_enterprise_install", "false"},
	}
	var b strings.Builder
	for i, kv := range form {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1]))
	}
	body := b.String()
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	return request{
		name: "slack",
		path: "/slack/commands",
		headers: [][2]string{
			{"Content-Type", "application/x-www-form-urlencoded"},
			{"User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"},
			{"X-Slack-Request-Timestamp", ts},
			{"X-Slack-Signature", "v0=" + hex.EncodeToString(mac.Sum(nil))},
		},
		body: body,
	}
}

// discordCommand is an application command interaction (type 2) in a guild,
// shaped and sized like the ones Discord sends (about 1.7 KB), signed with
// Ed25519 over timestamp + body.
func discordCommand(priv ed25519.PrivateKey, query string, now time.Time) request {
	body := `{"app_permissions":"562949953601536","application_id":"1100000000000000001",` +
		`"authorizing_integration_owners":{"0":"1200000000000000002"},` +
		`"channel":{"flags":0,"guild_id":"1200000000000000002","id":"1300000000000000003","last_message_id":"1300000000000000099","name":"general","nsfw":false,"parent_id":"1300000000000000001","permissions":"562949953601536","position":0,"rate_limit_per_user":0,"topic":null,"type":0},` +
		`"channel_id":"1300000000000000003","context":0,` +
		`"data":{"id":"1400000000000000004","name":"agreement","options":[{"name":"query","type":3,"value":` + jsonString(query) + `}],"type":1},` +
		`"entitlement_sku_ids":[],"entitlements":[],` +
		`"guild":{"features":["COMMUNITY","NEWS"],"id":"1200000000000000002","locale":"en-US"},` +
		`"guild_id":"1200000000000000002","guild_locale":"en-US","id":"1500000000000000005","locale":"en-US",` +
		`"member":{"avatar":null,"banner":null,"communication_disabled_until":null,"deaf":false,"flags":0,"joined_at":"2024-01-02T03:04:05.678000+00:00","mute":false,"nick":null,"pending":false,"permissions":"2251799813685247","premium_since":null,"roles":["1600000000000000006","1600000000000000007"],"unusual_dm_activity_until":null,` +
		`"user":{"avatar":"a1b2c3d4e5f60718293a4b5c6d7e8f90","avatar_decoration_data":null,"clan":null,"discriminator":"0","global_name":"Reporter","id":"1700000000000000007","primary_guild":null,"public_flags":0,"username":"reporter"}},` +
		`"token":"aW50ZXJhY3Rpb246MTUwMDAwMDAwMDAwMDAwMDAwNTp0b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbnRva2VudG9rZW50b2tlbg",` +
		`"type":2,"version":1}`
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := ed25519.Sign(priv, []byte(ts+body))
	return request{
		name: "discord",
		path: "/discord/interactions",
		headers: [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "Discord-Interactions/1.0 (+https://discord.com)"},
			{"X-Signature-Ed25519", hex.EncodeToString(sig)},
			{"X-Signature-Timestamp", ts},
		},
		body: body,
	}
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// luaString quotes s as a Lua string literal with decimal escapes, which
// every Lua (wrk embeds LuaJIT) reads the same way.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' || c < 0x20 || c >= 0x7f {
			fmt.Fprintf(&b, `\%03d`, c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// luaStats counts responses other than 200 in each thread and, when wrk is
// done, prints one line load.sh reads:
//
//	BENCH requests=N duration_us=N non200=N connect=N read=N write=N timeout=N status=N p50_us=N p99_us=N max_us=N
//
// status is wrk's own count of responses >= 400; non200 counts every
// response that is not exactly 200.
const luaStats = `
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do
    n = n + t:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d non200=%d connect=%d read=%d write=%d timeout=%d status=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, n, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`

func (r request) lua(delayMS int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- %s request signed by bench/sign at %s.\n", r.name, time.Now().UTC().Format(time.RFC3339))
	b.WriteString("-- The signature is computed once; the server verifies every copy.\n")
	fmt.Fprintf(&b, "wrk.method = \"POST\"\nwrk.path = %s\n", luaString(r.path))
	for _, h := range r.headers {
		fmt.Fprintf(&b, "wrk.headers[%s] = %s\n", luaString(h[0]), luaString(h[1]))
	}
	fmt.Fprintf(&b, "wrk.body = %s\n", luaString(r.body))
	b.WriteString(luaStats)
	if delayMS > 0 {
		// wrk calls delay() before each request: a connection waits this
		// long after an answer, so 64 connections offer a fixed load well
		// below saturation instead of as much as the server can take.
		fmt.Fprintf(&b, "\nfunction delay()\n  return %d\nend\n", delayMS)
	}
	return b.String()
}

// curlString quotes s for a curl config file.
func curlString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

func (r request) curl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s request signed by bench/sign; use with curl -K FILE http://HOST:PORT%s\n", r.name, r.path)
	b.WriteString("request = \"POST\"\n")
	for _, h := range r.headers {
		fmt.Fprintf(&b, "header = %s\n", curlString(h[0]+": "+h[1]))
	}
	fmt.Fprintf(&b, "data-binary = %s\n", curlString(r.body))
	return b.String()
}

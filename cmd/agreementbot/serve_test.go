package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

var listening = regexp.MustCompile(`msg=listening what=http addr=(\S+)`)

// startServe runs `agreementbot serve` in-process and returns its base URL,
// a stop function that returns the exit code, and the log.
func startServe(t *testing.T, getenv func(string) string) (string, func() int, *testkit.LogBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &testkit.LogBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, withTestDefaults(getenv), "", time.Now, strings.NewReader(""), io.Discard, logs)
	}()
	deadline := time.After(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(logs.String()); m != nil {
			stop := func() int {
				cancel()
				select {
				case code := <-done:
					return code
				case <-time.After(20 * time.Second):
					t.Fatal("serve did not stop")
					return -1
				}
			}
			return "http://" + m[1], stop, logs
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening:\n%s", code, logs.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// httpGet GETs u and returns the status and the body, trimmed of
// surrounding space.
func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// withTestDefaults sets SHUTDOWN_DELAY to 0 unless the test sets it.
func withTestDefaults(getenv func(string) string) func(string) string {
	return func(k string) string {
		if v := getenv(k); v != "" || k != "SHUTDOWN_DELAY" {
			return v
		}
		return "0"
	}
}

func slackSign(secret, ts, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// slackRequest is a POST of form to u, signed with secret at the current
// time (slack-go checks the window against the real clock).
func slackRequest(secret, u, form string) *http.Request {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", u, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackSign(secret, ts, form))
	return req
}

// TestServeEndToEnd runs the real program with both HTTP platforms and
// checks answers, the routes, the metrics and that no secret is logged.
func TestServeEndToEnd(t *testing.T) {
	const slackSecret = "slack-signing-secret-for-the-test-0123"
	const botToken = "xoxb-test-token-that-must-not-leak"
	pub, priv, _ := ed25519.GenerateKey(nil)
	base, stop, logs := startServe(t, env(
		"HTTP_ADDR", "127.0.0.1:0",
		"SLACK_SIGNING_SECRET", slackSecret,
		"SLACK_BOT_TOKEN", botToken,
		"DISCORD_PUBLIC_KEY", hex.EncodeToString(pub),
		"DISCORD_REGISTER_COMMANDS", "false",
		"RATE_LIMIT_PER_USER", "0",
	))

	get := func(path string) (int, string) { return httpGet(t, base+path) }
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	// Ready once the indexes are built in the background (serve warms the
	// store at start-up; without that it would stay 503).
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, body := get("/readyz")
		if code == 200 {
			break
		}
		if code != 503 || body != "building indexes" || time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %s", code, body)
		}
	}

	// Slack: a signed slash command.
	form := url.Values{"command": {"/agreement"}, "text": {"uganda"}, "team_id": {"T1"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	resp, err := http.DefaultClient.Do(slackRequest(slackSecret, base+"/slack/commands", form))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Uganda") || !strings.Contains(string(body), `"in_channel"`) {
		t.Errorf("slack command = %d\n%s", resp.StatusCode, body)
	}
	if resp, err := http.DefaultClient.Do(slackRequest("wrong", base+"/slack/commands", form)); err != nil || resp.StatusCode != 401 {
		t.Errorf("badly signed slack command = %v %v, want 401", resp.StatusCode, err)
	}

	// Discord: a signed application command.
	ibody := `{"id":"1","application_id":"2","type":2,"token":"tok","version":1,"guild_id":"G1","member":{"user":{"id":"U9"}},"data":{"id":"3","name":"agreement","type":1,"options":[{"name":"query","type":3,"value":"uganda"}]}}`
	dts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", base+"/discord/interactions", strings.NewReader(ibody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", dts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(dts+ibody))))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Uganda") || !strings.Contains(string(body), `"parse":[]`) {
		t.Errorf("discord interaction = %d\n%s", resp.StatusCode, body)
	}

	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `agreementbot_commands_total{kind="country",outcome="ok",platform="slack"} 1`) ||
		!strings.Contains(body, `agreementbot_signature_failures_total{platform="slack"} 1`) || !strings.Contains(body, "agreementbot_data_countries 54") {
		t.Errorf("/metrics = %d\n%s", code, body)
	}

	if code := stop(); code != 0 {
		t.Errorf("exit code %d after SIGINT, want 0", code)
	}
	out := logs.String()
	for _, secret := range []string{slackSecret, botToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the logs contain the secret %q", secret)
		}
	}
	if strings.Contains(out, "uganda") {
		t.Error("query text logged at info level")
	}
	if !strings.Contains(out, `msg=answered platform=slack kind=country outcome=ok`) {
		t.Errorf("no per-command log line:\n%s", out)
	}
}

func TestUnconfiguredPlatformRoutesAre404(t *testing.T) {
	base, stop, _ := startServe(t, env("HTTP_ADDR", "127.0.0.1:0", "SLACK_SIGNING_SECRET", "only-slack-is-configured"))
	defer stop()
	for _, p := range []string{"/discord/interactions", "/nothing/here"} {
		resp, err := http.Post(base+p, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("POST %s = %d, want 404", p, resp.StatusCode)
		}
	}
}

// TestReload swaps in corrected data and keeps serving the old data when a
// reload is bad.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	src, _ := filepath.Abs("../../knowledge/data")
	files, _ := filepath.Glob(filepath.Join(src, "*.yaml"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644)
	}
	cfg, err := loadConfig(env("KNOWLEDGE_DIR", dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	store, err := loadStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.LogBuffer{}
	s := newService(cfg, newLogger(cfg, logs), bot.New(store, bot.Options{}), time.Now)
	ask := func() string {
		return s.handler.Handle(context.Background(), botQuery("uganda")).Summary
	}
	ug := filepath.Join(dir, "ug.yaml")
	b, _ := os.ReadFile(ug)
	os.WriteFile(ug, bytes.Replace(b, []byte("summary: >-\n"), []byte("summary: >-\n  CORRECTED.\n"), 1), 0o644)
	s.reload(context.Background())
	if after := ask(); !strings.HasPrefix(after, "CORRECTED.") {
		t.Fatalf("after reload: %q", after)
	}
	os.WriteFile(ug, []byte("code: UG\nnmae: broken\n"), 0o644)
	s.reload(context.Background())
	if got := ask(); !strings.HasPrefix(got, "CORRECTED.") {
		t.Errorf("a bad reload changed the answer: %q", got)
	}
	if !strings.Contains(logs.String(), "reload failed") || !strings.Contains(logs.String(), "nmae") {
		t.Errorf("bad reload not logged with its reason:\n%s", logs.String())
	}
}

func botQuery(text string) bot.Query { return bot.Query{Text: text, Platform: "test"} }

// TestMapsRoute: /maps/ answers only maps a command has already drawn,
// read-only, with cache headers; a GET never draws one.
func TestMapsRoute(t *testing.T) {
	const secret = "maps-route-secret"
	base, stop, _ := startServe(t, env("HTTP_ADDR", "127.0.0.1:0", "SLACK_SIGNING_SECRET", secret))
	defer stop()
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	url := base + "/maps/" + store.Digest() + "/africa.png"
	get := func(u string) *http.Response {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(url); resp.StatusCode != 404 {
		t.Fatalf("GET %s before any map command = %d, want 404", url, resp.StatusCode)
	}
	form := "command=%2Fagreement&text=map+africa&team_id=T1&user_id=U1&channel_id=C1"
	resp, err := http.DefaultClient.Do(slackRequest(secret, base+"/slack/commands", form))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("map command: %v %v", err, resp)
	}
	resp.Body.Close()
	resp, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("GET %s after the command = %d %v, %d bytes", url, resp.StatusCode, resp.Header, len(body))
	}
	for _, u := range []string{base + "/maps/00000000/africa.png", base + "/maps/" + store.Digest() + "/europe.png", base + "/maps/" + store.Digest() + "/africa"} {
		if resp := get(u); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", u, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", url, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST %s = %v %v, want 405", url, resp.StatusCode, err)
	}
}

// TestDiscordGetsPublicURLAndIsDrained: the Discord adapter is given
// PUBLIC_URL (where map images are published), and its HTTP handler,
// which posts map follow-ups in the background, is drained at shutdown.
func TestDiscordGetsPublicURLAndIsDrained(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	cfg, err := loadConfig(env("DISCORD_PUBLIC_KEY", hex.EncodeToString(pub), "PUBLIC_URL", "https://bot.example.org/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.LogBuffer{}
	log := newLogger(cfg, logs)
	if got := discordConfig(cfg, log, bot.Hooks{}, time.Now).PublicURL; got != "https://bot.example.org" {
		t.Errorf("discord.Config.PublicURL = %q, want PUBLIC_URL", got)
	}
	store, err := loadStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := newService(cfg, log, bot.New(store, bot.Options{}), time.Now)
	if _, err := s.mux(); err != nil {
		t.Fatal(err)
	}
	if len(s.drainers) != 1 {
		t.Errorf("%d drainers with only Discord's endpoint, want 1", len(s.drainers))
	}
}

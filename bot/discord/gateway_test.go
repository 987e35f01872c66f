package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/internal/testkit"
)

type answer struct {
	kind    string
	outcome bot.Outcome
}

// TestGateway runs the real discordgo session against the fake Discord:
// registration, a command, an autocomplete, a 429 on a callback, a dropped
// connection that is resumed, and a clean shutdown.
func TestGateway(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	var logs testkit.LogBuffer
	answers := make(chan answer, 16)
	// The hook runs in Run's loop after Open returns, while the interactions
	// on the new connection are answered by goroutines Open started: nothing
	// orders the two, so the test waits for the hook as an event.
	reconnects := make(chan struct{}, 16)
	cfg := Config{
		BotToken: fakeBotToken, AppID: fakeAppID, GuildID: fakeGuildID, APIURL: fake.URL(),
		RegisterCommands: true, Logger: logs.Logger(),
		Hooks: Hooks{
			Answered:  func(kind string, outcome bot.Outcome, _ time.Duration) { answers <- answer{kind, outcome} },
			Reconnect: func() { reconnects <- struct{}{} },
		},
	}
	g, err := NewGateway(cfg, stubHandler, stubCompleter)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()

	// Registration: one bulk overwrite to the guild, with Commands().
	ow := wait(t, fake.overwrites, "the bulk overwrite")
	if want := "/api/v9/applications/" + fakeAppID + "/guilds/" + fakeGuildID + "/commands"; ow.method != "PUT" || ow.path != want {
		t.Errorf("registration: %s %s, want PUT %s", ow.method, ow.path, want)
	}
	wantCmds, _ := json.Marshal(Commands())
	if !jsonEqual(t, ow.body, wantCmds) {
		t.Errorf("bulk overwrite body = %s\nwant %s", ow.body, wantCmds)
	}
	if got := wait(t, fake.handshakes, "READY"); got != "READY" {
		t.Fatalf("handshake %s, want READY", got)
	}

	// A command: type 4 with the embed, no mentions.
	fake.dispatch("INTERACTION_CREATE", interactionJSON(2, "1300000000000000010", "tok-1", "uganda", false))
	cb := wait(t, fake.callbacks, "the command's callback")
	if cb.path != "/api/v9/interactions/1300000000000000010/tok-1/callback" {
		t.Errorf("callback path %s", cb.path)
	}
	var resp sent
	if err := json.Unmarshal(cb.body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil || len(resp.Data.Embeds) != 1 {
		t.Fatalf("callback body %s, want type 4 with one embed", cb.body)
	}
	if got := resp.Data.Embeds[0].Title; got != "Uganda · signed (disputed)" {
		t.Errorf("embed title %q", got)
	}
	if !bytes.Contains(cb.body, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf(`callback body lacks "allowed_mentions":{"parse":[]: %s`, cb.body)
	}
	if got := wait(t, answers, "the command's answer hook"); got != (answer{"country", bot.OutcomeOK}) {
		t.Errorf("Answered(%v)", got)
	}

	// Autocomplete: type 8, at most 25 choices within the limits.
	fake.dispatch("INTERACTION_CREATE", interactionJSON(4, "1300000000000000011", "tok-2", "ug", true))
	cb = wait(t, fake.callbacks, "the autocomplete callback")
	checkChoices(t, cb.body)
	if got := wait(t, answers, "the autocomplete hook"); got != (answer{kindAutocomplete, bot.OutcomeOK}) {
		t.Errorf("Answered(%v)", got)
	}

	// A 429 asking for a minute: given up at once, inside the deadline.
	fake.script(fakeReply{status: 429, header: map[string]string{"Retry-After": "60"}, body: `{"message":"You are being rate limited.","retry_after":60.0,"global":false}`})
	fake.dispatch("INTERACTION_CREATE", interactionJSON(2, "1300000000000000012", "tok-3", "list", false))
	wait(t, fake.callbacks, "the rate-limited callback")
	if got := wait(t, answers, "the rate-limited answer hook"); got != (answer{"list", bot.OutcomeRateLimited}) {
		t.Errorf("Answered(%v), want list rate_limited", got)
	}

	// The connection drops; the session resumes and answers again.
	fake.drop()
	if got := wait(t, fake.handshakes, "RESUMED"); got != "RESUMED" {
		t.Fatalf("handshake %s after the drop, want RESUMED", got)
	}
	fake.dispatch("INTERACTION_CREATE", interactionJSON(2, "1300000000000000013", "tok-4", "help", false))
	cb = wait(t, fake.callbacks, "the callback after resuming")
	if err := json.Unmarshal(cb.body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Data == nil || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("help answer without the ephemeral flag: %s", cb.body)
	}
	wait(t, answers, "the answer hook after resuming")
	wait(t, reconnects, "the Reconnect hook")
	if id, res := fake.counts(); id != 1 || res != 1 {
		t.Errorf("%d IDENTIFY and %d RESUME, want 1 and 1", id, res)
	}

	cancel()
	if err := wait(t, done, "Run to return"); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	// Run has returned, so every hook call has been made.
	if n := len(reconnects); n != 0 {
		t.Errorf("Reconnect hook called %d more times after the one reconnect", n)
	}
	if strings.Contains(logs.String(), fakeBotToken) || strings.Contains(logs.String(), "tok-") {
		t.Errorf("a token is in the logs:\n%s", logs.String())
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// checkChoices checks an autocomplete response body.
func checkChoices(t *testing.T, body []byte) []*discordgo.ApplicationCommandOptionChoice {
	t.Helper()
	var resp sent
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || resp.Data == nil {
		t.Fatalf("autocomplete body %s, want type 8", body)
	}
	cs := resp.Data.Choices
	if len(cs) == 0 || len(cs) > maxChoices {
		t.Errorf("%d choices, want 1 to %d", len(cs), maxChoices)
	}
	for _, c := range cs {
		v, _ := c.Value.(string)
		if c.Name == "" || width(c.Name) > maxChoiceName || v == "" || width(v) > maxChoiceValue {
			t.Errorf("choice %q = %q breaks a limit", c.Name, v)
		}
	}
	return cs
}

// TestGatewayReusesEncodedAnswers: over the gateway too, a command's
// answer with a cache key is encoded once and its bytes posted again for
// the same key; the handler runs every time.
func TestGatewayReusesEncodedAnswers(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	var calls atomic.Int32
	h := bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		n := calls.Add(1)
		return bot.Reply{Kind: bot.KindCountry, Title: "Call " + strconv.Itoa(int(n)), Summary: q.Text, CacheKey: q.Text}
	})
	g, err := NewGateway(Config{BotToken: fakeBotToken, APIURL: fake.URL()}, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	defer func() {
		cancel()
		if err := wait(t, done, "Run to return"); err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	if got := wait(t, fake.handshakes, "READY"); got != "READY" {
		t.Fatalf("handshake %s, want READY", got)
	}
	callback := func(id, query string) string {
		fake.dispatch("INTERACTION_CREATE", interactionJSON(2, id, "tok-"+id, query, false))
		return string(wait(t, fake.callbacks, "the callback for "+query).body)
	}
	first := callback("1300000000000000020", "a")
	again := callback("1300000000000000021", "a")
	other := callback("1300000000000000022", "b")
	if first != again || !strings.Contains(again, "Call 1") {
		t.Errorf("the same key encoded anew:\n%s\n%s", first, again)
	}
	if other == first || !strings.Contains(other, "Call 3") || calls.Load() != 3 {
		t.Errorf("another key reused an answer, or the handler was skipped (%d calls):\n%s", calls.Load(), other)
	}
}

func TestGatewayInvalidToken(t *testing.T) {
	t.Parallel()
	t.Run("token check", func(t *testing.T) { testInvalidToken(t, func(f *fakeDiscord) { f.rejectToken = true }) })
	t.Run("gateway lookup", func(t *testing.T) { testInvalidToken(t, func(f *fakeDiscord) { f.rejectGW = true }) })
}

func testInvalidToken(t *testing.T, opt func(*fakeDiscord)) {
	fake := newFakeDiscord(t, opt)
	var logs testkit.LogBuffer
	g, err := NewGateway(Config{BotToken: fakeBotToken, APIURL: fake.URL(), Logger: logs.Logger()}, stubHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	err = g.Run(ctx)
	if !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Run = %v, want ErrInvalidToken", err)
	}
	if ctx.Err() != nil {
		t.Errorf("Run took until the test's deadline")
	}
	if !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") || strings.Contains(err.Error(), fakeBotToken) || strings.Contains(logs.String(), fakeBotToken) {
		t.Errorf("error %q should name DISCORD_BOT_TOKEN and never the token; logs:\n%s", err, logs.String())
	}
	if id, _ := fake.counts(); id != 0 {
		t.Errorf("the gateway was opened with a rejected token")
	}
}

func TestGatewayFatalCloseCode(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4004, 4014} {
		fake := newFakeDiscord(t, func(f *fakeDiscord) { f.closeCode = code })
		g, err := NewGateway(Config{BotToken: fakeBotToken, APIURL: fake.URL()}, stubHandler, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		err = g.Run(ctx)
		cancel()
		var ge *GatewayError
		if !errors.As(err, &ge) || ge.Code != code {
			t.Fatalf("Run = %v, want a GatewayError with code %d", err, code)
		}
		if id, _ := fake.counts(); id != 1 {
			t.Errorf("code %d: %d IDENTIFY, want 1 (no reconnecting)", code, id)
		}
		t.Logf("code %d: %v", code, err)
	}
}

func TestNewGatewayConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "DISCORD_BOT_TOKEN is required"},
		{Config{BotToken: "x", RegisterCommands: true}, "DISCORD_APP_ID is required"},
		{Config{BotToken: "x", AppID: "abc"}, "DISCORD_APP_ID must be"},
		{Config{BotToken: "x", GuildID: "g"}, "DISCORD_GUILD_ID must be"},
		{Config{BotToken: "x", ShardID: 2, ShardCount: 2}, "DISCORD_SHARD_ID (2)"},
		{Config{BotToken: "x", APIURL: "ftp://x"}, "DISCORD_API_URL"},
	} {
		if _, err := NewGateway(tc.cfg, stubHandler, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewGateway(%+v) = %v, want an error with %q", tc.cfg, err, tc.want)
		}
	}
	// Every problem at once.
	_, err := NewGateway(Config{AppID: "abc", ShardCount: -1}, nil, nil)
	for _, want := range []string{"DISCORD_BOT_TOKEN", "DISCORD_APP_ID", "Handler", "DISCORD_SHARD_ID"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewGateway with many problems = %v, want %q among them", err, want)
		}
	}
}

// TestCallbackRetry checks the callback's retries against the fake, with
// a context deadline standing for the interaction's 3 seconds.
func TestCallbackRetry(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	client, err := Config{APIURL: fake.URL()}.withDefaults().httpClient()
	if err != nil {
		t.Fatal(err)
	}
	const id, token = "1300000000000000020", "tok"
	call := func() (error, context.Context) {
		ctx, cancel := context.WithTimeout(context.Background(), answerBudget)
		t.Cleanup(cancel)
		return retry(ctx, func(ctx context.Context) error {
			return postCallback(ctx, client, id, token, "application/json", []byte(`{"type":4}`))
		}), ctx
	}
	drain := func() int {
		n := 0
		for {
			select {
			case <-fake.callbacks:
				n++
			default:
				return n
			}
		}
	}

	// Retry-After longer than the deadline allows: give up at once.
	fake.script(fakeReply{status: 429, header: map[string]string{"Retry-After": "30"}, body: `{"retry_after":30.5,"global":true}`})
	err, ctx := call()
	if !errors.Is(err, errNoTime) || !isRateLimit(err) {
		t.Errorf("after a long 429: %v, want a rate-limit error wrapping errNoTime", err)
	}
	if ctx.Err() != nil {
		t.Errorf("gave up only at the deadline, not at once")
	}
	if n := drain(); n != 1 {
		t.Errorf("%d callbacks after a long 429, want 1", n)
	}

	// A short Retry-After and a 5xx are retried within the deadline.
	fake.script(fakeReply{status: 429, body: `{"retry_after":0.02}`}, fakeReply{status: 502, body: `{}`})
	if err, _ := call(); err != nil {
		t.Errorf("after a short 429 and a 502: %v, want success", err)
	}
	if n := drain(); n != 3 {
		t.Errorf("%d callbacks, want 3", n)
	}

	// A 4xx is not retried, and its error carries no URL or token.
	fake.script(fakeReply{status: 404, body: `{"message":"Unknown interaction","code":10062}`})
	err, _ = call()
	if err == nil || isRateLimit(err) {
		t.Fatalf("after a 404: %v", err)
	}
	if d := describe(err).Error(); !strings.Contains(d, "Unknown interaction (code 10062)") || strings.Contains(d, "tok") {
		t.Errorf("describe = %q", d)
	}
	if n := drain(); n != 1 {
		t.Errorf("%d callbacks after a 404, want 1", n)
	}

	// A deadline already passed: no call at all is made to wait for.
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if err := retry(ctx, func(ctx context.Context) error { return postCallback(ctx, client, id, token, "application/json", nil) }); err == nil {
		t.Errorf("a callback after the deadline succeeded")
	}
	drain()

	// Bad ids and tokens never reach the network.
	for _, bad := range [][2]string{{"1/../2", "t"}, {"1", "a/b"}, {"1", ""}} {
		if err := postCallback(context.Background(), client, bad[0], bad[1], "application/json", nil); err == nil {
			t.Errorf("postCallback(%q, %q) succeeded", bad[0], bad[1])
		}
	}
	if n := drain(); n != 0 {
		t.Errorf("%d callbacks for invalid interactions", n)
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	cfg := Config{BotToken: "Bot " + fakeBotToken, AppID: fakeAppID, APIURL: fake.URL() + "/"}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()

	// Global, after a 429 and a 503.
	fake.script(fakeReply{status: 429, body: `{"retry_after":0.01}`}, fakeReply{status: 503, body: `{}`})
	if err := Register(ctx, cfg); err != nil {
		t.Fatalf("Register: %v", err)
	}
	ow := wait(t, fake.overwrites, "the global overwrite")
	if want := "/api/v9/applications/" + fakeAppID + "/commands"; ow.path != want {
		t.Errorf("global registration to %s, want %s", ow.path, want)
	}
	// Again: the same commands, harmlessly.
	if err := Register(ctx, cfg); err != nil {
		t.Fatalf("Register again: %v", err)
	}
	if again := wait(t, fake.overwrites, "the second overwrite"); !bytes.Equal(again.body, ow.body) {
		t.Errorf("re-registration sent other commands")
	}

	// Discord's own error is passed on.
	fake.script(fakeReply{status: 400, body: `{"message":"Invalid Form Body","code":50035,"errors":{"0":{"name":{"_errors":[{"code":"APPLICATION_COMMAND_INVALID_NAME"}]}}}}`})
	err := Register(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "Invalid Form Body (code 50035)") || !strings.Contains(err.Error(), "APPLICATION_COMMAND_INVALID_NAME") {
		t.Errorf("Register after a 400 = %v", err)
	}
	bad := cfg
	bad.BotToken = "wrong"
	if err := Register(ctx, bad); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("Register with a bad token = %v, want ErrInvalidToken", err)
	}
	if err := Register(ctx, Config{}); err == nil {
		t.Errorf("Register with no configuration succeeded")
	}
}

// TestGatewayNewSession checks that when Discord refuses to resume a
// session (close code 4009), the gateway identifies afresh instead of
// resuming the dead session forever, as discordgo alone would.
func TestGatewayNewSession(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t, func(f *fakeDiscord) { f.resumeClose = 4009 })
	up := make(chan bool, 16)
	g, err := NewGateway(Config{BotToken: fakeBotToken, APIURL: fake.URL(), Hooks: Hooks{Connected: func(b bool) { up <- b }}}, stubHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	wait(t, fake.handshakes, "READY")
	if !wait(t, up, "Connected(true)") {
		t.Fatal("Connected(false) before any drop")
	}
	fake.drop()
	if wait(t, up, "Connected(false)") {
		t.Fatal("Connected(true) after a drop")
	}
	if got := wait(t, fake.handshakes, "the new session"); got != "READY" {
		t.Fatalf("handshake %s, want READY from a new IDENTIFY", got)
	}
	if id, res := fake.counts(); id != 2 || res != 1 {
		t.Errorf("%d IDENTIFY and %d RESUME, want 2 and 1", id, res)
	}
	fake.dispatch("INTERACTION_CREATE", interactionJSON(2, "1300000000000000030", "tok-5", "uganda", false))
	wait(t, fake.callbacks, "an answer in the new session")
	cancel()
	if err := wait(t, done, "Run to return"); err != nil {
		t.Errorf("Run = %v", err)
	}
}

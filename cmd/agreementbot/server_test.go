package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/internal/testkit"
)

func TestServeWithNoPlatformExits2(t *testing.T) {
	code, _, errs := runIn(t, env("HTTP_ADDR", "127.0.0.1:0"), "", "serve")
	if code != 2 || !strings.Contains(errs, "SLACK_SIGNING_SECRET") || !strings.Contains(errs, "DISCORD_PUBLIC_KEY") {
		t.Errorf("serve with no platform = %d\n%s", code, errs)
	}
}

// TestHalfConfiguredPlatformIsAnError: a platform set up by halves names
// the missing variable instead of silently starting the console.
func TestHalfConfiguredPlatformIsAnError(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"SLACK_BOT_TOKEN", "xoxb-1"}, "SLACK_APP_TOKEN"},
		{[]string{"SLACK_APP_TOKEN", "xapp-1"}, "SLACK_BOT_TOKEN"},
		{[]string{"DISCORD_BOT_TOKEN", "abc"}, "DISCORD_APP_ID"},
	} {
		code, out, errs := runIn(t, env(tc.env...), "uganda\n")
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Contains(out, "Uganda") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 naming %s and no console", tc.env, code, errs, out, tc.want)
		}
	}
	// Complete platforms are fine: Slack over HTTP needs only the secret.
	cfg, err := loadConfig(env("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.checkPlatforms(modeAll); err != nil {
		t.Errorf("bot token + signing secret: %v", err)
	}
}

// TestShutdownDelayKeepsServingWhileNotReady: after SIGTERM, /readyz says
// 503 draining for SHUTDOWN_DELAY while requests are still served, and
// nothing false is logged at shutdown.
func TestShutdownDelayKeepsServingWhileNotReady(t *testing.T) {
	base, stop, logs := startServe(t, env("HTTP_ADDR", "127.0.0.1:0", "SLACK_SIGNING_SECRET", "x",
		"SHUTDOWN_DELAY", "2s", "SHUTDOWN_TIMEOUT", "5s"))
	// One keep-alive client, connected before the shutdown starts.
	client := &http.Client{}
	get := func(path string) (int, string, error) {
		resp, err := client.Get(base + path)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b)), nil
	}
	if _, _, err := get("/healthz"); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan int, 1)
	go func() { stopped <- stop() }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body, err := get("/readyz")
		if err != nil {
			t.Fatalf("/readyz failed during the delay: %v", err)
		}
		if code == 503 && body == "draining" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %q, never draining", code, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Still serving during the delay.
	if code, _, err := get("/healthz"); err != nil || code != 200 {
		t.Errorf("/healthz during the delay = %d, %v", code, err)
	}
	if code := <-stopped; code != 0 {
		t.Errorf("exit %d", code)
	}
	_, after, _ := strings.Cut(logs.String(), "msg=\"shutting down\"")
	if strings.Contains(after, "level=WARN") || !strings.Contains(after, "msg=stopped") {
		t.Errorf("shutdown with nothing pending logged a warning, or did not stop:\n%s", after)
	}
}

// TestConnLimitClosesIdleFirst: with every slot held by an idle keep-alive
// connection, a new client is still served; with every slot busy, a new
// connection waits until one frees.
func TestConnLimitClosesIdleFirst(t *testing.T) {
	const max = 4
	var busy atomic.Int32
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			busy.Add(1)
			<-release
		}
		io.WriteString(w, "ok")
	})
	log := (&testkit.LogBuffer{}).Logger()
	hs := newHTTPServer("test", h, max, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.srv.Serve(hs.limit.listener(ln))
	defer hs.srv.Close()
	addr := ln.Addr().String()

	// max idle keep-alive connections, each after one answered request.
	var idle []net.Conn
	for range max {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		idle = append(idle, c)
	}
	if n := hs.limit.open(); n != max {
		t.Fatalf("%d connections open, want %d", n, max)
	}
	// A new client (a health probe, say) is served: an idle one is closed.
	cl := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := cl.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("a new request was locked out by idle connections: %v", err)
	}
	resp.Body.Close()
	if n := hs.limit.open(); n > max {
		t.Errorf("%d connections open, more than the limit %d", n, max)
	}

	// Now fill every slot with a busy request.
	for _, c := range idle {
		c.Close()
	}
	done := make(chan error, max)
	for range max {
		go func() {
			resp, err := cl.Get("http://" + addr + "/slow")
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); busy.Load() < max; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d slow requests started", busy.Load())
		}
	}
	// One more waits: it is not served while every slot is busy...
	extra := make(chan error, 1)
	go func() {
		resp, err := cl.Get("http://" + addr + "/fast")
		if err == nil {
			resp.Body.Close()
		}
		extra <- err
	}()
	select {
	case err := <-extra:
		t.Fatalf("a request beyond the limit was served while every slot was busy (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	// ...and is served once they finish.
	close(release)
	for range max {
		if err := <-done; err != nil {
			t.Errorf("slow request: %v", err)
		}
	}
	if err := <-extra; err != nil {
		t.Errorf("the waiting request failed: %v", err)
	}
}

// TestShutdownLogsOnlyWhatIsTrue: when a slow client holds the HTTP drain
// past SHUTDOWN_TIMEOUT, the log says so, naming the connections still
// busy, and nothing else: no answers in flight (there were none), no chat
// connection (serve has none). The old drain said all three, at random.
func TestShutdownLogsOnlyWhatIsTrue(t *testing.T) {
	for i := range 5 {
		pub, _, _ := ed25519.GenerateKey(nil)
		base, stop, logs := startServe(t, env("HTTP_ADDR", "127.0.0.1:0", "SLACK_SIGNING_SECRET", "x",
			"DISCORD_PUBLIC_KEY", hex.EncodeToString(pub), "SHUTDOWN_TIMEOUT", "200ms"))
		// A request whose body never finishes keeps its connection busy.
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nx")
		time.Sleep(50 * time.Millisecond) // let the server start reading it
		if code := stop(); code != 0 {
			t.Errorf("run %d: exit %d", i, code)
		}
		c.Close()
		_, after, _ := strings.Cut(logs.String(), `msg="shutting down"`)
		if !strings.Contains(after, "HTTP connections still busy") {
			t.Errorf("run %d: no warning about the busy connection:\n%s", i, after)
		}
		for _, lie := range []string{"answers still in flight", "follow-up", "chat connection"} {
			if strings.Contains(after, lie) {
				t.Errorf("run %d: shutdown logged %q though nothing was pending:\n%s", i, lie, after)
			}
		}
	}
}

var listeningMetrics = regexp.MustCompile(`msg=listening what=metrics addr=(\S+)`)

// TestProbesOnMetricsAddr: a process with no HTTP server (Socket Mode only
// here) answers /healthz and /readyz on METRICS_ADDR, and /readyz says the
// connection is down while Slack cannot be reached.
func TestProbesOnMetricsAddr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	logs := &testkit.LogBuffer{}
	done := make(chan int, 1)
	getenv := withTestDefaults(env("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1",
		"SLACK_API_URL", "http://127.0.0.1:1/api/", "METRICS_ADDR", "127.0.0.1:0"))
	go func() {
		done <- run(ctx, nil, getenv, "", time.Now, strings.NewReader(""), io.Discard, logs)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the process did not stop")
		}
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := listeningMetrics.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no metrics server:\n%s", logs.String())
		}
	}
	if strings.Contains(logs.String(), "what=http ") {
		t.Fatalf("an HTTP server was started for Socket Mode alone:\n%s", logs.String())
	}
	get := func(path string) (int, string) { return httpGet(t, base+path) }
	if code, body := get("/healthz"); code != 200 || body != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, body := get("/readyz")
		if code == 503 && body == "slack connection down" {
			break
		}
		if code == 200 || time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %q, want 503 slack connection down", code, body)
		}
	}
	if code, _ := get("/metrics"); code != 200 {
		t.Errorf("/metrics = %d", code)
	}
}

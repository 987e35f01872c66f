package deploy

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// These tests run the binary the way the manifests run it: the container's
// args, its env (Secret references filled with test values), no other
// environment, an empty working directory. HTTP_ADDR is moved to a free
// loopback port; everything else is the manifests' own.

// testSecrets stands in for the Secret "agreementbot".
func testSecrets(t *testing.T) (map[string]string, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"SLACK_SIGNING_SECRET": "test-signing-secret-0123456789",
		"SLACK_BOT_TOKEN":      "xoxb-test-bot-token-0123456789",
		"DISCORD_PUBLIC_KEY":   hex.EncodeToString(pub),
		"DISCORD_APP_ID":       "123456789012345678",
		"DISCORD_BOT_TOKEN":    "test-discord-bot-token-0123456789",
	}, priv
}

// binaryUnderTest is the binary CI built (AGREEMENTBOT_STATIC_BIN) or, for a
// local run, the one built from the Docker build context.
func binaryUnderTest(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("AGREEMENTBOT_STATIC_BIN"); bin != "" {
		return bin
	}
	return contextBinary(t)
}

// containerEnv is the environment the kubelet would give c.
func containerEnv(t *testing.T, c *corev1.Container, secrets map[string]string, override map[string]string) []string {
	t.Helper()
	var env []string
	for _, e := range c.Env {
		v := e.Value
		if e.ValueFrom != nil {
			ref := e.ValueFrom.SecretKeyRef
			if ref == nil {
				t.Fatalf("env %s: only Secret references are filled in here", e.Name)
			}
			s, ok := secrets[ref.Key]
			if !ok {
				t.Fatalf("env %s: no test value for Secret key %s", e.Name, ref.Key)
			}
			v = s
		}
		if o, ok := override[e.Name]; ok {
			v = o
			delete(override, e.Name)
		}
		env = append(env, e.Name+"="+v)
	}
	for k, v := range override {
		env = append(env, k+"="+v)
	}
	return env
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestDeploymentRuns(t *testing.T) {
	bin := binaryUnderTest(t)
	ms := loadManifests(t, manifestDir)
	d, c, where := deployment(t, ms)
	secrets, priv := testSecrets(t)
	addr, maddr := freeLoopbackAddr(t), freeLoopbackAddr(t)
	base := "http://" + addr

	cmd := exec.Command(bin, c.Args...)
	cmd.Dir = t.TempDir()
	override := map[string]string{"HTTP_ADDR": addr, "METRICS_ADDR": maddr}
	if dir, ok := envValue(c, "KNOWLEDGE_DIR"); ok && dir != "" {
		// The ConfigMap's mount, here: the repository's data directory.
		abs, err := filepath.Abs(filepath.Join(repoRoot, "knowledge", "data"))
		if err != nil {
			t.Fatal(err)
		}
		override["KNOWLEDGE_DIR"] = abs
	}
	cmd.Env = containerEnv(t, c, secrets, override)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()

	// The probes, as the kubelet sends them.
	live, ready := c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _ := get(t, base+ready)
		if code == http.StatusOK {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("%s: the container exited before it was ready: %v\n%s", where, err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: readiness probe %s never answered 200 (last %d)\n%s", where, ready, code, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, body := get(t, base+live); code != http.StatusOK {
		t.Errorf("liveness probe %s: %d %s", live, code, body)
	}

	// /metrics is served on the private metrics port only.
	if _, ok := envValue(c, "METRICS_ADDR"); ok {
		if code, _ := get(t, "http://"+maddr+"/metrics"); code != http.StatusOK {
			t.Errorf("GET /metrics on METRICS_ADDR: %d", code)
		}
		if code, _ := get(t, base+"/metrics"); code != http.StatusNotFound {
			t.Errorf("GET /metrics on HTTP_ADDR: %d, want 404 (metrics have their own port)", code)
		}
	}

	// The Secret's values switch on both platforms' HTTP routes.
	slackBody := url.Values{
		"command": {"/agreement"}, "text": {"uganda"}, "user_id": {"U1"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "response_url": {"https://hooks.slack.invalid/x"},
	}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secrets["SLACK_SIGNING_SECRET"]))
	fmt.Fprintf(mac, "v0:%s:%s", ts, slackBody)
	req, _ := http.NewRequest("POST", base+"/slack/commands", strings.NewReader(slackBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Error(err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "Uganda") {
			t.Errorf("signed Slack command: %d %s", resp.StatusCode, b)
		}
	}

	ping := []byte(`{"id":"1","application_id":"` + secrets["DISCORD_APP_ID"] + `","type":1,"token":"t","version":1}`)
	req, _ = http.NewRequest("POST", base+"/discord/interactions", bytes.NewReader(ping))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), ping...))))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Error(err)
	} else {
		var pong struct{ Type int }
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &pong) != nil || pong.Type != 1 {
			t.Errorf("signed Discord PING: %d %s", resp.StatusCode, b)
		}
	}

	// SIGTERM, as the kubelet sends after preStop: the process must exit 0
	// well within terminationGracePeriodSeconds.
	grace := time.Duration(*d.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
		t.Logf("exited %s after SIGTERM (grace period %s)", time.Since(start).Round(time.Millisecond), grace)
	case <-time.After(grace):
		t.Errorf("still running %s after SIGTERM\n%s", grace, logs.String())
	}

	out := logs.String()
	vars := readConfig(t)
	for name, v := range secrets {
		if vars[name].secret && strings.Contains(out, v) {
			t.Errorf("the logs contain the value of %s", name)
		}
	}
	// LOG_FORMAT=json: every line is one JSON object.
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}

func TestRegisterJobRuns(t *testing.T) {
	bin := binaryUnderTest(t)
	ms := loadManifests(t, manifestDir)
	job, where := one[*batchv1.Job](t, ms)
	c := &job.Spec.Template.Spec.Containers[0]
	secrets, _ := testSecrets(t)

	// A stand-in for Discord's bulk-overwrite endpoint: it answers with the
	// commands it was sent, as Discord does.
	var mu sync.Mutex
	var calls []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, r.Method+" "+r.URL.Path)
		mu.Unlock()
		wantPath := "/applications/" + secrets["DISCORD_APP_ID"] + "/commands"
		if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, wantPath) ||
			r.Header.Get("Authorization") != "Bot "+secrets["DISCORD_BOT_TOKEN"] {
			http.Error(w, `{"message":"unexpected request","code":0}`, http.StatusBadRequest)
			return
		}
		var cmds []map[string]any
		if err := json.NewDecoder(r.Body).Decode(&cmds); err != nil {
			http.Error(w, `{"message":"bad json","code":0}`, http.StatusBadRequest)
			return
		}
		for i, c := range cmds {
			c["id"] = strconv.Itoa(1000 + i)
			c["application_id"] = secrets["DISCORD_APP_ID"]
			c["version"] = "1"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(cmds)
	}))
	defer fake.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, c.Args...)
	cmd.Dir = t.TempDir()
	cmd.Env = containerEnv(t, c, secrets, map[string]string{"DISCORD_API_URL": fake.URL})
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %s %q: %v\n%s\ncalls: %q", where, bin, c.Args, err, out, calls)
	}
	if len(calls) != 1 {
		t.Errorf("%s: want one registration call, got %q", where, calls)
	}
	if !strings.Contains(string(out), "registered") {
		t.Errorf("%s: output does not say it registered:\n%s", where, out)
	}
	vars := readConfig(t)
	for name, v := range secrets {
		if vars[name].secret && strings.Contains(string(out), v) {
			t.Errorf("the output contains the value of %s", name)
		}
	}
}

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestServeSlackButtons runs `serve` with Slack over HTTP, asks a signed
// /agreement uganda, presses the Timeline button of the answer on
// /slack/interactions, and checks that the answer reaches the action's
// response_url (here on SLACK_API_URL's host) as an ephemeral message, and
// that the press was counted like a command.
func TestServeSlackButtons(t *testing.T) {
	const secret = "slack-signing-secret-for-the-test-0123"
	posted := make(chan map[string]any, 4)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/hooks/actions/1" || json.Unmarshal(b, &m) != nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		posted <- m
		io.WriteString(w, "ok")
	}))
	defer fake.Close()
	base, stop, logs := startServe(t, env(
		"HTTP_ADDR", "127.0.0.1:0",
		"SLACK_SIGNING_SECRET", secret,
		"SLACK_API_URL", fake.URL+"/api/",
		"RATE_LIMIT_PER_USER", "0",
	))
	post := func(path, body string) (int, []byte) {
		t.Helper()
		resp, err := http.DefaultClient.Do(slackRequest(secret, base+path, body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	code, body := post("/slack/commands", url.Values{"command": {"/agreement"}, "text": {"uganda"}, "team_id": {"T1"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode())
	var answer struct {
		Blocks []struct {
			Type     string `json:"type"`
			Elements []struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	if code != 200 || json.Unmarshal(body, &answer) != nil {
		t.Fatalf("slack command = %d\n%s", code, body)
	}
	var actionID, value string
	for _, b := range answer.Blocks {
		for _, e := range b.Elements {
			if b.Type == "actions" && e.ActionID == "agreementbot.timeline" {
				actionID, value = e.ActionID, e.Value
			}
		}
	}
	if value == "" {
		t.Fatalf("no Timeline button in\n%s", body)
	}

	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1", "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"channel":      map[string]any{"id": "C1"},
		"container":    map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "C1", "is_ephemeral": false},
		"message":      map[string]any{"type": "message", "ts": "1.2", "text": "Uganda"},
		"response_url": fake.URL + "/hooks/actions/1",
		"actions":      []map[string]any{{"action_id": actionID, "block_id": "agreementbot.buttons", "type": "button", "value": value}},
	})
	if code, body := post("/slack/interactions", url.Values{"payload": {string(payload)}}.Encode()); code != 200 || len(body) != 0 {
		t.Fatalf("interaction = %d %q, want an empty 200", code, body)
	}
	select {
	case m := <-posted:
		if m["response_type"] != "ephemeral" || m["replace_original"] != false || !strings.Contains(m["text"].(string), "Uganda: timeline") {
			t.Errorf("posted %v", m)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no answer posted to the response_url:\n%s", logs.String())
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `agreementbot_commands_total{kind="country",outcome="ok",platform="slack"} 2`) {
		t.Errorf("the press is not counted like a command:\n%s", metrics)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

package slack

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"go.yaml.in/yaml/v3"
)

// parseManifest decodes a manifest strictly into slack-go's model of
// Slack's manifest schema, so a misspelt key fails here, not at Slack.
func parseManifest(t *testing.T, b []byte) slack.Manifest {
	t.Helper()
	var m slack.Manifest
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest does not parse: %v\n%s", err, b)
	}
	return m
}

func TestManifestSocketMode(t *testing.T) {
	b, err := Manifest("")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("manifest.yaml")
	if err != nil || !bytes.Equal(b, file) {
		t.Errorf("Manifest(\"\") is not manifest.yaml (%v)", err)
	}
	m := parseManifest(t, b)
	if !m.Settings.SocketModeEnabled {
		t.Error("socket_mode_enabled is false")
	}
	if len(m.Features.SlashCommands) != 1 {
		t.Fatalf("%d slash commands, want 1", len(m.Features.SlashCommands))
	}
	cmd := m.Features.SlashCommands[0]
	if cmd.Command != slashCommand || cmd.Url != "" {
		t.Errorf("slash command = %+v", cmd)
	}
	if want := "[country | list | search words | from nationality | sources | latest | help]"; cmd.UsageHint != want {
		t.Errorf("usage_hint = %q, want %q", cmd.UsageHint, want)
	}
	if got, want := strings.Join(m.OAuthConfig.Scopes.Bot, " "), "commands chat:write app_mentions:read im:history files:write"; got != want {
		t.Errorf("bot scopes = %q, want %q", got, want)
	}
	if got, want := strings.Join(m.Settings.EventSubscriptions.BotEvents, " "), "app_mention message.im"; got != want {
		t.Errorf("bot events = %q, want %q", got, want)
	}
	if m.Settings.EventSubscriptions == nil {
		t.Fatal("no event_subscriptions")
	}
	if m.Settings.EventSubscriptions.RequestUrl != "" {
		t.Error("Socket Mode manifest has a request_url")
	}
	// The buttons need interactivity; Socket Mode needs no URL for it.
	if m.Settings.Interactivity == nil || !m.Settings.Interactivity.IsEnabled || m.Settings.Interactivity.RequestUrl != "" {
		t.Errorf("interactivity = %+v, want on, without a request URL", m.Settings.Interactivity)
	}
	if !m.Features.AppHome.MessagesTabEnabled || m.Features.AppHome.MessagesTabReadOnlyEnabled {
		t.Error("the Messages tab must be open for DMs")
	}
	// Slack's own bounds on these fields.
	if n := len(m.Display.Description); n > 139 {
		t.Errorf("description is %d characters, Slack allows 139", n)
	}
	if n := len(m.Display.LongDescription); n < 175 || n > 4000 {
		t.Errorf("long_description is %d characters, Slack wants 175 to 4000", n)
	}
	if n := len(cmd.Description); n > 100 {
		t.Errorf("command description is %d characters", n)
	}
}

func TestManifestHTTP(t *testing.T) {
	for _, base := range []string{"https://bot.example.org", "https://bot.example.org/", "https://example.org/agreementbot"} {
		b, err := Manifest(base)
		if err != nil {
			t.Fatalf("Manifest(%q): %v", base, err)
		}
		m := parseManifest(t, b)
		root := strings.TrimSuffix(base, "/")
		if m.Settings.SocketModeEnabled {
			t.Errorf("Manifest(%q): socket_mode_enabled", base)
		}
		if got := m.Features.SlashCommands[0].Url; got != root+"/slack/commands" {
			t.Errorf("Manifest(%q): command url %q", base, got)
		}
		if got := m.Settings.EventSubscriptions.RequestUrl; got != root+"/slack/events" {
			t.Errorf("Manifest(%q): request_url %q", base, got)
		}
		if i := m.Settings.Interactivity; i == nil || !i.IsEnabled || i.RequestUrl != root+"/slack/interactions" {
			t.Errorf("Manifest(%q): interactivity %+v, want on at %s/slack/interactions", base, i, root)
		}
		if !strings.Contains(strings.Join(m.OAuthConfig.Scopes.Bot, " "), "files:write") {
			t.Errorf("Manifest(%q): no files:write scope", base)
		}
	}
	for _, bad := range []string{"http://bot.example.org", "bot.example.org", "https://", "https://x.example/?a=1", "https://x.example/#f", "https://x.example/\"", "https://u:p@x.example", "ftp://x"} {
		if _, err := Manifest(bad); err == nil {
			t.Errorf("Manifest(%q) = nil error, want one", bad)
		}
	}
}

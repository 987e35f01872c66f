package slack

import (
	_ "embed"
	"fmt"
	"net/url"
	"strings"
)

//go:embed manifest.yaml
var manifestYAML string

// Manifest returns the Slack app manifest (YAML) that creates the app with
// the /agreement command, the bot scopes (files:write for maps) and the
// events it needs, and interactivity on for the buttons. With publicURL ""
// it is the Socket Mode manifest, as in manifest.yaml. With a public https
// URL it is the HTTP variant: Socket Mode off, and the request URLs set to
// publicURL + CommandsPath, EventsPath and InteractionsPath.
func Manifest(publicURL string) ([]byte, error) {
	if publicURL == "" {
		return []byte(manifestYAML), nil
	}
	base, err := manifestBase(publicURL)
	if err != nil {
		return nil, err
	}
	m := manifestYAML
	for _, e := range []struct{ old, new string }{
		{"# Slack app manifest for agreementbot (Socket Mode).\n", "# Slack app manifest for agreementbot (HTTP, at " + base + ").\n"},
		{"      should_escape: false\n", "      should_escape: false\n      url: \"" + base + CommandsPath + "\"\n"},
		{"  event_subscriptions:\n", "  event_subscriptions:\n    request_url: \"" + base + EventsPath + "\"\n"},
		{"  interactivity:\n    is_enabled: true\n", "  interactivity:\n    is_enabled: true\n    request_url: \"" + base + InteractionsPath + "\"\n"},
		{"  socket_mode_enabled: true\n", "  socket_mode_enabled: false\n"},
	} {
		if strings.Count(m, e.old) != 1 {
			return nil, fmt.Errorf("slack: manifest.yaml no longer has exactly one %q", strings.TrimSpace(e.old))
		}
		m = strings.Replace(m, e.old, e.new, 1)
	}
	return []byte(m), nil
}

// manifestBase checks a public URL for the manifest and returns it without
// a trailing slash.
func manifestBase(publicURL string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("slack: public URL %q: %s", publicURL, why)
	}
	u, err := url.Parse(publicURL)
	switch {
	case err != nil:
		return bad(err.Error())
	case u.Scheme != "https":
		return bad("Slack sends requests only to https URLs")
	case u.Host == "" || u.User != nil:
		return bad("want https://host[/path]")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return bad("no query or fragment allowed")
	case strings.ContainsAny(publicURL, "\"\\ \t\r\n#"):
		return bad("contains characters a manifest cannot hold")
	}
	return strings.TrimRight(publicURL, "/"), nil
}

package slack

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// FuzzHTTPHandler sends the Slack routes arbitrary bodies, both correctly
// signed (so the parsers behind verification are reached) and unsigned. The
// handler must never panic, must refuse every unsigned request with 401,
// and must answer a signed one with a status from its documented set and,
// for a 200 command, valid JSON.
func FuzzHTTPHandler(f *testing.F) {
	f.Add(CommandsPath, formType, docBody, true)
	f.Add(CommandsPath, formType, "command=%2Fagreement&text=uganda&team_id=T&user_id=U", true)
	f.Add(CommandsPath, formType, "text=%zz&&&=&ssl_check=1", true)
	f.Add(EventsPath, "application/json", `{"type":"url_verification","challenge":"abc"}`, true)
	f.Add(EventsPath, "application/json", `{"type":"event_callback","event_id":"E1","team_id":"T","event":{"type":"app_mention","user":"U","text":"<@U0BOT> uganda","channel":"C","ts":"1.2"}}`, true)
	f.Add(EventsPath, "application/json", `{"type":"event_callback","event":{"type":"message","channel_type":"im"`, false)
	f.Fuzz(func(t *testing.T, path, contentType, body string, signed bool) {
		if path != CommandsPath && path != EventsPath {
			path = CommandsPath
		}
		fx := newHTTPFixture(t, docSecret)
		rq := signedAt(time.Now(), path, contentType, body) // slack-go checks the window on the real clock
		if !signed {
			rq.sig = "v0=00"
		}
		w := fx.do(rq)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("status %d for %s %q", w.Code, path, body)
		}
		if !signed && (w.Code == http.StatusOK && !isSSLCheck([]byte(body)) || w.Code == http.StatusBadRequest) {
			t.Fatalf("unsigned request read: %d for %s %q", w.Code, path, body)
		}
		if w.Code == http.StatusOK && path == CommandsPath && w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer to %q: %s", body, w.Body.String())
		}
	})
}

package slack

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
)

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"1", "1"},
		{"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
		{strings.Repeat("a", bot.MaxLogExcerpt), strings.Repeat("a", bot.MaxLogExcerpt)},                // fits exactly
		{strings.Repeat("a", bot.MaxLogExcerpt+1), strings.Repeat("a", bot.MaxLogExcerpt-3) + ellipsis}, // cut, with room for "…"
		{strings.Repeat("é", 40), strings.Repeat("é", 30) + ellipsis},                                   // never half a character
		{"a\nlevel=ERROR msg=forged\r\x00\x1b[31m", "alevel=ERROR msg=forged[31m"},
		{"a\u202eb\u200bc", "abc"}, // format characters: bidi override, zero width space
		{"\xff\xfeok", "\uFFFD\uFFFDok"},
	} {
		got := excerpt(tc.in)
		if got != tc.want {
			t.Errorf("excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > bot.MaxLogExcerpt || !utf8.ValidString(got) || strings.IndexFunc(got, unicode.IsControl) >= 0 {
			t.Errorf("excerpt(%q) = %q: longer than %d bytes, invalid UTF-8 or with control characters", tc.in, got, bot.MaxLogExcerpt)
		}
	}
}

// TestHTTPRejectionLogBounded: unsigned requests with 16 KB headers cost
// the log a bounded line each, or nothing when they come faster than one a
// second for each reason.
func TestHTTPRejectionLogBounded(t *testing.T) {
	const n = 1000
	big := strings.Repeat("x", 16<<10)
	unsigned := func(i int) request {
		rq := command()
		rq.sig = "v0=" + big
		rq.header = map[string]string{"X-Slack-Retry-Num": big, "X-Slack-Retry-Reason": big}
		switch i % 3 {
		case 0:
			rq.contentType = "text/plain; junk=" + big // 415
		case 1:
			rq.method = big // 405
		}
		return rq
	}
	for _, tc := range []struct {
		name     string
		step     time.Duration // clock advance after each request
		maxBytes int           // log bytes per request
	}{
		{"one a second: every refusal logged", 1100 * time.Millisecond, 400},
		{"a thousand in a second: sampled", 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newHTTPFixture(t, docSecret)
			for i := range n {
				w := fx.do(unsigned(i))
				if w.Code != http.StatusUnsupportedMediaType && w.Code != http.StatusMethodNotAllowed && w.Code != http.StatusUnauthorized {
					t.Fatalf("request %d: status %d", i, w.Code)
				}
				fx.clock.advance(tc.step)
			}
			log := fx.logged()
			perRequest := float64(len(log)) / n
			t.Logf("%d refusals: %d log bytes, %.1f a request, %d lines", n, len(log), perRequest, strings.Count(log, "\n"))
			if perRequest > float64(tc.maxBytes) {
				t.Errorf("log grew %.1f bytes a refused request, want at most %d:\n%.2000s", perRequest, tc.maxBytes, log)
			}
			if strings.Contains(log, strings.Repeat("x", bot.MaxLogExcerpt)) {
				t.Errorf("log holds more than an excerpt of a header:\n%.2000s", log)
			}
		})
	}
	t.Run("the next line says how many were left out", func(t *testing.T) {
		fx := newHTTPFixture(t, docSecret)
		for range 5 {
			fx.do(with(command(), func(r *request) { r.sig = "-" }))
		}
		fx.clock.advance(time.Second)
		fx.do(with(command(), func(r *request) { r.sig = "-" }))
		log := fx.logged()
		if lines := strings.Split(strings.TrimSpace(log), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "suppressed=4") {
			t.Errorf("log = %q, want two lines, the second with suppressed=4", log)
		}
		if got := fx.hooks.sigFailures.Load(); got != 6 {
			t.Errorf("SignatureFailure called %d times, want 6: sampling is for the log only", got)
		}
	})
}

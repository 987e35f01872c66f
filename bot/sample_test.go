package bot_test

import (
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

func TestSampler(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := bot.NewSampler(func() time.Time { return now })
	check := func(key string, wantOK bool, wantSuppressed int) {
		t.Helper()
		if ok, n := s.Allow(key); ok != wantOK || n != wantSuppressed {
			t.Errorf("Allow(%q) = %v, %d; want %v, %d", key, ok, n, wantOK, wantSuppressed)
		}
	}
	check("a", true, 0)
	check("a", false, 0)
	check("b", true, 0) // each key has its own second
	now = now.Add(999 * time.Millisecond)
	check("a", false, 0)
	now = now.Add(time.Millisecond)
	check("a", true, 2) // a second after the last line: it says what it left out
	check("a", false, 0)
	check("b", true, 0)
	now = now.Add(-time.Hour) // a clock set back does not silence the log
	check("a", true, 1)
}

package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
)

// excerpt returns at most bot.MaxLogExcerpt bytes of a header value, for the log:
// valid UTF-8, without control or format characters (which could forge
// lines or hide text), and ending in "…" when cut.
func excerpt(s string) string {
	var b strings.Builder
	cut := false
	for _, r := range s { // invalid UTF-8 arrives as U+FFFD
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > bot.MaxLogExcerpt {
			cut = true
			break
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !cut {
		return out
	}
	for len(out) > bot.MaxLogExcerpt-len(ellipsis) {
		_, n := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-n]
	}
	return out + ellipsis
}

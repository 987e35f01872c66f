package bot

import "strings"

// IsBidiControl reports whether r is a bidirectional formatting control:
// the Arabic letter mark (U+061C), the left-to-right and right-to-left
// marks (U+200E, U+200F), the embeddings and overrides (U+202A–202E) and
// the isolates (U+2066–2069). Echoed back into a channel, they can make
// text read in another order than it was written ("search \u202e…"), so
// they are removed from everything the bot echoes. Other format
// characters (zero-width joiners in emoji sequences and Arabic names) are
// kept.
func IsBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

// StripBidi removes the bidirectional controls from s. Both platform
// renderers call it on every string they send; s is returned as it is
// when it has none.
func StripBidi(s string) string {
	if strings.IndexFunc(s, IsBidiControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

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

// HasBidi reports whether s holds a bidirectional control
// (IsBidiControl), as strings.IndexFunc(s, IsBidiControl) >= 0 would, but
// by their encodings: U+061C is D8 9C, U+200E and U+200F are E2 80 8E and
// 8F, U+202A to U+202E are E2 80 AA to AE, U+2066 to U+2069 are E2 81 A6
// to A9. D8 and E2 are never continuation bytes, so these bytes are those
// characters wherever they appear, in invalid UTF-8 too. Scanning bytes is
// much faster than decoding every rune of text that has none, as most has.
func HasBidi(s string) bool {
	for i := strings.IndexByte(s, 0xe2); i >= 0 && i+2 < len(s); {
		b1, b2 := s[i+1], s[i+2]
		if b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || b2 >= 0xaa && b2 <= 0xae) || b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9 {
			return true
		}
		j := strings.IndexByte(s[i+1:], 0xe2)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return strings.Contains(s, "\u061c")
}

// StripBidi removes the bidirectional controls from s; s is returned as it
// is when it has none (HasBidi, a fast scan). The renderers do not call it
// on every string they send: each drops the controls as it escapes text
// (Slack's escape, Discord's invisible), and calls StripBidi only on what
// it cuts or sends without escaping (Slack's clipped summaries, labels,
// alt text, button values and action ids; Discord's custom_ids).
func StripBidi(s string) string {
	if !HasBidi(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
)

func TestStripBidi(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\u202eb\u202cc", "abc"},
		{"\u2066x\u2069\u200e\u200f\u061c", "x"},
		{"👩\u200d💻 مرحبا", "👩\u200d💻 مرحبا"}, // joiners stay
	} {
		if got := bot.StripBidi(tc.in); got != tc.want {
			t.Errorf("StripBidi(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzStripBidi: no control survives, nothing else is lost.
func FuzzStripBidi(f *testing.F) {
	f.Add("search \u202egnp.exe")
	f.Fuzz(func(t *testing.T, s string) {
		got := bot.StripBidi(s)
		if strings.IndexFunc(got, bot.IsBidiControl) >= 0 {
			t.Errorf("StripBidi(%q) = %q keeps a control", s, got)
		}
		if utf8.ValidString(s) {
			var kept []rune
			for _, r := range s {
				if !bot.IsBidiControl(r) {
					kept = append(kept, r)
				}
			}
			if got != string(kept) {
				t.Errorf("StripBidi(%q) = %q, want %q", s, got, string(kept))
			}
		}
	})
}

// FuzzHasBidi: the byte scan agrees with decoding every rune, for any
// bytes.
func FuzzHasBidi(f *testing.F) {
	for _, s := range []string{"", "plain", "a\u202eb", "\u061c", "\xe2\x80", "\xf0\xe2\x80\x8e", "\xd8\x9c", "é\u2069", "\u2028\u2066"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := bot.HasBidi(s), strings.IndexFunc(s, bot.IsBidiControl) >= 0; got != want {
			t.Errorf("HasBidi(%q) = %v, want %v", s, got, want)
		}
	})
}

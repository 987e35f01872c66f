package discord

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
)

// Discord counts embed limits in characters. width counts UTF-16 code
// units, which is never less than the number of code points, so a text
// within a limit by this count is within it however Discord counts.
func width(s string) int {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return i // ASCII, the common case
	}
	n := i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// zwsp is put after every '@' so that "@everyone", "@here" and mentions
// never form, whatever allowed_mentions says.
const zwsp = "\u200b"

// ellipsis marks a cut.
const ellipsis = "…"

// invisible reports characters dropped from all text: controls other than
// newline and tab, and the bidirectional controls that can make text read
// differently from what it is. Those are bot.IsBidiControl's, the set
// bot.StripBidi removes, dropped here as each string is escaped rather
// than in a pass of their own: every string Render sends goes through
// esc, escClip, plain or codeSpan (or is percent-encoded, as link targets
// are). Other format characters (the joiners of emoji sequences and
// Arabic names) are kept.
func invisible(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r == 0x7f:
		return true
	case r < 0x600:
		return false
	}
	return bot.IsBidiControl(r)
}

// esc escapes s for Discord markdown. See escClip.
func esc(s string) string {
	out, _ := escClip(s, -1)
	return out
}

// escClip escapes s for Discord markdown and, when max >= 0 and the
// escaped text would be wider than max, cuts it at a character boundary
// (never inside an escape) and ends it with an ellipsis; cut reports that.
//
// Every markdown character is escaped with a backslash: \ * _ ~ ` | [ ] ( )
// < > always, and # - + and "1." where they would start a heading, list,
// subtext or quote at the start of a line. So no formatting, masked link,
// mention, emoji, timestamp or code block can be made from the text. '@' is
// followed by a zero-width space, "://" becomes "\://" so no bare link
// forms, and invisible controls are dropped.
func escClip(s string, max int) (out string, cut bool) {
	b, _, cut := appendEscClip(make([]byte, 0, len(s)+len(s)/8+8), s, max)
	return string(b), cut
}

// appendEscClip appends escClip(s, max) to b, and returns its width.
func appendEscClip(b []byte, s string, max int) (_ []byte, w int, cut bool) {
	n := len(b)
	b, w, ok := appendEscaped(b, s, max)
	if ok {
		return b, w, false
	}
	if max < 1 {
		return b[:n], 0, true
	}
	b, w, _ = appendEscaped(b[:n], s, max-1)
	return append(b, ellipsis...), w + 1, true
}

// appendEscaped appends s escaped to b, stopping before the first
// character that would make it wider than max (when max >= 0); w is the
// width of what it appended, and ok reports that all of s fit.
func appendEscaped(b []byte, s string, max int) (_ []byte, w int, ok bool) {
	lineStart := true // only spaces so far on this line
	digits := true    // only digits and spaces so far on this line
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] || (!lineStart && !digits && midLineASCII[c]) {
			// A run of characters copied as they are: after its first
			// character the line no longer starts and is no longer all
			// digits, so within it no character of midLineASCII is
			// escaped, and none changes that.
			j := i + 1
			for j < len(s) && midLineASCII[s[j]] {
				j++
			}
			if max >= 0 && w+j-i > max {
				return append(b, s[i:i+max-w]...), max, false
			}
			b = append(b, s[i:j]...)
			w += j - i
			lineStart, digits = false, false
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if invisible(r) {
			continue
		}
		// Escaped characters become two characters: a backslash and the
		// character, or '@' and a zero-width space.
		escaped := false
		switch {
		case r < utf8.RuneSelf && alwaysEscaped[r]:
			escaped = true
		case r == '#' || r == '-' || r == '+':
			escaped = lineStart
		case r == '.':
			escaped = digits && !lineStart
		case r == ':':
			escaped = strings.HasPrefix(s[i:], "//")
		case r == '@':
			escaped = true
		case r == '\t':
			r = ' '
		}
		pw := runeWidth(r)
		if escaped {
			pw = 2
		}
		if max >= 0 && w+pw > max {
			return b, w, false
		}
		w += pw
		switch {
		case r == '@':
			b = append(b, "@"+zwsp...)
		case escaped:
			b = append(b, '\\', byte(r))
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, r) // U+FFFD for invalid UTF-8, as JSON would make it
		}
		switch {
		case r == '\n':
			lineStart, digits = true, true
		case r == ' ':
		case '0' <= r && r <= '9':
			lineStart = false
		default:
			lineStart, digits = false, false
		}
	}
	return b, w, true
}

// plainASCII marks the printable ASCII characters that escape copies as
// they are wherever they are: all but the markdown characters, '#', '-',
// '+', '.' and ':' (escaped in some places), '@', digits and space (which
// the line-start rules track).
var plainASCII = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = !alwaysEscaped[c] && !strings.ContainsRune("#-+.:@0123456789", c)
	}
	return t
}()

// midLineASCII adds to plainASCII the characters that escape copies as
// they are once a line has started with something other than a digit:
// space, digits, '#', '-', '+' and '.'.
var midLineASCII = func() (t [256]bool) {
	t = plainASCII
	for _, c := range " 0123456789#-+." {
		t[c] = true
	}
	return t
}()

// alwaysEscaped marks the markdown characters escaped wherever they are.
var alwaysEscaped = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "\\*_~`|[]()<>" {
		t[c] = true
	}
	return t
}()

func runeWidth(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// plain prepares s for places that show no markdown (autocomplete choice
// names, button labels): invisible characters dropped, line breaks made
// spaces, '@' defused, cut to max with an ellipsis.
func plain(s string, max int) string { return plainClip(s, max, false) }

// plainLines is plain for embed footers, which show line breaks: they are
// kept.
func plainLines(s string, max int) string { return plainClip(s, max, true) }

func plainClip(s string, max int, lines bool) string {
	if out, ok := plainN(s, max, lines); ok {
		return out
	}
	if max < 1 {
		return ""
	}
	out, _ := plainN(s, max-1, lines)
	return out + ellipsis
}

func plainN(s string, max int, lines bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	w := 0
	for _, r := range s {
		if invisible(r) {
			continue
		}
		if r == '\t' || r == '\n' && !lines {
			r = ' '
		}
		pw := runeWidth(r)
		if r == '@' {
			pw = 2
		}
		if w+pw > max {
			return b.String(), false
		}
		b.WriteRune(r)
		if r == '@' {
			b.WriteString(zwsp)
		}
		w += pw
	}
	return b.String(), true
}

// maxURL bounds the length of a linked URL; longer ones are not linked.
const maxURL = 512

// linkURL returns u fit for the target of a masked link [text](u): an
// absolute http or https URL with an ASCII host and no user info, with every
// character that could end the link or be read as markdown percent-encoded.
// It reports false for anything else; the source is then shown unlinked.
func linkURL(raw string) (string, bool) {
	if raw == "" || len(raw) > maxURL {
		return "", false
	}
	if plainLink(raw) {
		return raw, true // what the parse below would return, checked by FuzzLinkURL
	}
	return parsedLink(raw)
}

// plainLink reports whether raw is an http or https URL that linkURL
// would return unchanged, by a scan that needs no parse: the lower-case
// scheme, a host of lower-case letters, digits, dots and hyphens with an
// optional numeric port, and after it only characters that url.Parse
// keeps as they are and a link target needs no escape for (no fragment,
// which the parse re-encodes). Most sources' URLs are; the rest take the
// parse.
func plainLink(raw string) bool {
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "http://"); !ok {
			return false
		}
	}
	i, colon := 0, -1
	for ; i < len(rest); i++ {
		c := rest[i]
		switch {
		case 'a' <= c && c <= 'z' || c == '.' || c == '-':
			if colon >= 0 {
				return false
			}
		case '0' <= c && c <= '9':
		case c == ':' && colon < 0:
			colon = i
		case c == '/' || c == '?':
			goto path
		default:
			return false
		}
	}
path:
	if i == 0 || colon == 0 || colon == i-1 {
		return false // no host, or an empty host or port
	}
	for ; i < len(rest); i++ {
		if !plainInLink[rest[i]] {
			return false
		}
	}
	return true
}

// plainInLink marks the bytes plainLink accepts after the host.
var plainInLink = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/?=&+,;:", byte(c)) >= 0
	}
	return t
}()

// parsedLink is linkURL for every URL: parsed, checked and re-encoded.
func parsedLink(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	// A plain DNS name or IPv4 address, with an optional port.
	for i := 0; i < len(u.Host); i++ {
		c := u.Host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == ':') {
			return "", false
		}
	}
	s := u.String()
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = !unsafeInLink[s[i]]
	}
	if clean {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unsafeInLink[c] {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// unsafeInLink marks the bytes percent-encoded in a link target:
// controls, space, non-ASCII, and those that could end the link or be read
// as markdown.
var unsafeInLink = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c <= ' ' || c >= 0x7f || strings.IndexByte("()[]<>\"'`\\|^{}", byte(c)) >= 0
	}
	return t
}()

// codeSpan shows a command as inline code, which Discord shows literally:
// backticks and line breaks are removed and '@' defused, since neither can
// be escaped inside a code span.
func codeSpan(s string) string {
	var b strings.Builder
	b.WriteByte('`')
	for _, r := range s {
		switch {
		case r == '`' || r == '\n' || invisible(r):
			continue
		case r == '@':
			b.WriteString("@" + zwsp)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('`')
	return b.String()
}

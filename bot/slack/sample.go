package slack

import (
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// sampler thins out repeated log lines: for each key (a fixed reason) it
// lets the first line in a second through, counts the ones after it in
// that second, and hands the count to the next line let through. Anyone
// can send unsigned requests; this way they cannot fill the log.
type sampler struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]*sampled // the keys are constants, so the map stays small
}

type sampled struct {
	at         time.Time // when the last line was let through
	suppressed int       // lines held back since
}

func newSampler(now func() time.Time) *sampler {
	return &sampler{now: now, keys: make(map[string]*sampled)}
}

// allow reports whether a line for key is to be logged now and, if so, how
// many were held back since the last one.
func (s *sampler) allow(key string) (bool, int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.keys[key]
	if e == nil {
		s.keys[key] = &sampled{at: now}
		return true, 0
	}
	if d := now.Sub(e.at); d >= 0 && d < time.Second {
		e.suppressed++
		return false, 0
	}
	n := e.suppressed
	*e = sampled{at: now}
	return true, n
}

// maxExcerpt bounds what the log shows of a header value.
const maxExcerpt = 64

// excerpt returns at most maxExcerpt bytes of a header value, for the log:
// valid UTF-8, without control or format characters (which could forge
// lines or hide text), and ending in "…" when cut.
func excerpt(s string) string {
	var b strings.Builder
	cut := false
	for _, r := range s { // invalid UTF-8 arrives as U+FFFD
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxExcerpt {
			cut = true
			break
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !cut {
		return out
	}
	for len(out) > maxExcerpt-len(ellipsis) {
		_, n := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-n]
	}
	return out + ellipsis
}

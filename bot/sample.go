package bot

import (
	"sync"
	"time"
)

// MaxLogExcerpt bounds what an adapter's log shows of a header value a
// request chose. Each adapter cleans the excerpt its own way.
const MaxLogExcerpt = 64

// Sampler thins out repeated log lines: for each key (a fixed reason) it
// lets the first line in a second through, counts the ones after it in
// that second, and hands the count to the next line let through. Anyone
// can send unsigned requests to an adapter's endpoint; this way they
// cannot fill the log. A clock set back does not silence a key: a line
// is let through whenever the last one is not within the past second.
type Sampler struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]*sampled // the keys are constants, so the map stays small
}

type sampled struct {
	at         time.Time // when the last line was let through
	suppressed int       // lines held back since
}

// NewSampler returns a sampler on the clock now.
func NewSampler(now func() time.Time) *Sampler {
	return &Sampler{now: now, keys: make(map[string]*sampled)}
}

// Allow reports whether a line for key is to be logged now and, if so,
// how many were held back since the last one.
func (s *Sampler) Allow(key string) (ok bool, suppressed int) {
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

package slack

import (
	"sync"
	"time"
)

// seenSet remembers keys (event ids, messages) for a while, in bounded
// memory, so that an event Slack delivers twice is answered once.
type seenSet struct {
	mu   sync.Mutex
	now  func() time.Time
	ttl  time.Duration
	at   map[string]seenEntry
	ring []string // keys in insertion order; the oldest is overwritten
	next int
}

type seenEntry struct {
	at   time.Time
	slot int
}

func newSeenSet(size int, ttl time.Duration, now func() time.Time) *seenSet {
	return &seenSet{now: now, ttl: ttl, at: make(map[string]seenEntry, size), ring: make([]string, size)}
}

// first records keys and reports whether none of them was seen within the
// TTL. Empty keys are ignored.
func (s *seenSet) first(keys ...string) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		if e, ok := s.at[k]; k != "" && ok && now.Sub(e.at) < s.ttl {
			return false
		}
	}
	for _, k := range keys {
		if k == "" {
			continue
		}
		if old := s.ring[s.next]; old != "" && s.at[old].slot == s.next {
			delete(s.at, old)
		}
		s.ring[s.next] = k
		s.at[k] = seenEntry{at: now, slot: s.next}
		s.next = (s.next + 1) % len(s.ring)
	}
	return true
}

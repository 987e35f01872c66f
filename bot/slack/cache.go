package slack

import (
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

// renderCache keeps the encoded rendering of recent replies. Replies are
// deterministic for a given store, so the same question usually gets the
// same reply; the cache is keyed by the reply's query text but a hit is
// used only when the whole reply is equal to the one rendered, so it can
// never serve a stale or wrong answer. Signatures are never cached.
type renderCache struct {
	mu      sync.RWMutex
	entries map[string]*cacheEntry
	max     int
}

type cacheEntry struct {
	reply bot.Reply // a copy whose slices nobody else holds
	json  []byte
}

func newRenderCache(max int) *renderCache {
	return &renderCache{entries: make(map[string]*cacheEntry, max), max: max}
}

// encode returns the JSON of Render(r). The result must not be modified.
func (c *renderCache) encode(r bot.Reply) []byte {
	if c == nil {
		_, b := renderJSON(r)
		return b
	}
	c.mu.RLock()
	e := c.entries[r.Query]
	c.mu.RUnlock()
	if e != nil && e.reply.Query == r.Query && e.reply.Equal(&r) {
		return e.json
	}
	_, b := renderJSON(r)
	c.mu.Lock()
	if len(c.entries) >= c.max {
		for k := range c.entries { // evict an arbitrary entry: the map is small and hot keys return
			delete(c.entries, k)
			break
		}
	}
	c.entries[r.Query] = &cacheEntry{reply: r.Clone(), json: b}
	c.mu.Unlock()
	return b
}

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

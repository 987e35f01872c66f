package bot

import (
	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache is the project's one caching mechanism: a bounded, concurrency-
// safe LRU (hashicorp/golang-lru), used by the bot for the answers it
// computes from its store and by each platform adapter for the bytes it
// renders from them. Keys must say everything the value depends on (see
// Reply.CacheKey).
type Cache[V any] struct {
	c *lru.Cache[string, V]
}

// NewCache returns a cache of at most size entries.
func NewCache[V any](size int) *Cache[V] {
	c, err := lru.New[string, V](size)
	if err != nil {
		panic("bot: cache size must be positive") // a programming error
	}
	return &Cache[V]{c: c}
}

// Get returns the value for key, marking it recently used.
func (c *Cache[V]) Get(key string) (V, bool) { return c.c.Get(key) }

// Peek returns the value for key without marking it used.
func (c *Cache[V]) Peek(key string) (V, bool) { return c.c.Peek(key) }

// Add stores a value, evicting the least recently used beyond the bound.
func (c *Cache[V]) Add(key string, v V) { c.c.Add(key, v) }

// GetOrAdd returns the value for key, or adds the one make builds: make
// runs at most once per call, though two callers missing at once may both
// build (the later one is kept).
func (c *Cache[V]) GetOrAdd(key string, make func() V) V {
	if v, ok := c.c.Get(key); ok {
		return v
	}
	v := make()
	c.c.Add(key, v)
	return v
}

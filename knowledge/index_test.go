package knowledge

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// countdown is a context that is done after its Err has been asked n
// times, to stop a build in the middle.
type countdown struct {
	context.Context
	n atomic.Int64
}

func newCountdown(n int64) *countdown {
	c := &countdown{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func loadFresh(t *testing.T) *Store {
	t.Helper()
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func indexedNow(s *Store) bool {
	select {
	case <-s.Indexed():
		return true
	default:
		return false
	}
}

// TestBuildStopsWhenDone: a build whose context is done part-way keeps
// nothing, and a later build with a live context completes.
func TestBuildStopsWhenDone(t *testing.T) {
	s := loadFresh(t)
	if s.buildNames(newCountdown(10)) || s.names != nil {
		t.Errorf("buildNames with a context done after 10 checks = true or kept %p, want false and nothing", s.names)
	}
	if s.buildSearch(newCountdown(10)) || s.search != nil {
		t.Errorf("buildSearch with a context done after 10 checks = true or kept %p, want false and nothing", s.search)
	}
	if s.buildIndexes(newCountdown(10)) || indexedNow(s) {
		t.Error("buildIndexes with a context done part-way reported success or closed Indexed")
	}
	if !s.buildIndexes(context.Background()) || s.names == nil || s.search == nil || !indexedNow(s) {
		t.Error("buildIndexes(Background) after a stopped build did not complete")
	}
}

// TestWarmCancelled: Warm with a done context builds nothing, and lookups
// still work afterwards, building what they need.
func TestWarmCancelled(t *testing.T) {
	s := loadFresh(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Warm(ctx)
	// Let any build Warm started take its locks, then wait for it.
	time.Sleep(20 * time.Millisecond)
	s.namesMu.Lock()
	names := s.names
	s.namesMu.Unlock()
	s.searchMu.Lock()
	search := s.search
	s.searchMu.Unlock()
	if indexedNow(s) || names != nil || search != nil {
		t.Fatal("Warm with a done context built the indexes")
	}
	if m := s.Resolve("guatamala"); m.Code != "GT" {
		t.Errorf("Resolve(guatamala) after a cancelled Warm = %v %q, want GT", m.Kind, m.Code)
	}
	if !indexedNow(s) {
		t.Error("Indexed not closed after a lookup built the indexes")
	}
}

// TestWarmCancelledMidway: cancelling a Warm under way never leaves a
// lookup waiting, and Warm with a live context closes Indexed.
func TestWarmCancelledMidway(t *testing.T) {
	s := loadFresh(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.Warm(ctx)
	cancel()
	if hits := s.Search("children"); len(hits) == 0 {
		t.Error("Search(children) after a cancelled Warm found nothing")
	}

	s = loadFresh(t)
	s.Warm(context.Background())
	select {
	case <-s.Indexed():
	case <-time.After(10 * time.Second):
		t.Fatal("Indexed not closed 10 s after Warm")
	}
}

// BenchmarkWarm is what Warm adds to Load: the nine-language name index,
// the typo and prefix indexes, full-text search, and the from and event
// lists.
func BenchmarkWarm(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := Load(Embedded())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s.waitIndexed()
		s.derive()
	}
}

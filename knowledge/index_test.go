package knowledge

import "testing"

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

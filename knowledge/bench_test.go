package knowledge_test

import (
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Targets from issue 2: a misspelt name at most 50 µs, a search at most
// 50 µs, prefix suggestions for three letters at most 20 µs and 25 results.
// (The 2 µs target for an exact name covers the whole answer and is
// measured in package bot.)

func BenchmarkResolveExact(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if m := s.Resolve("uganda"); m.Kind != knowledge.MatchCountry {
			b.Fatalf("Resolve(uganda) = %v", m.Kind)
		}
	}
}

func BenchmarkResolveTypo(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if m := s.Resolve("guatamala"); m.Code != "GT" {
			b.Fatalf("Resolve(guatamala) = %v %q", m.Kind, m.Code)
		}
	}
}

func BenchmarkResolveQuestion(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if m := s.Resolve("does rwanda take deportees?"); m.Code != "RW" {
			b.Fatalf("Resolve = %v %q", m.Kind, m.Code)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if hits := s.Search("children"); len(hits) == 0 {
			b.Fatal("Search(children) found nothing")
		}
	}
}

func BenchmarkSearchCommon(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if hits := s.Search("deportees flight"); len(hits) == 0 {
			b.Fatal("Search found nothing")
		}
	}
}

func BenchmarkComplete3(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if sg := s.Complete("uga", 25); len(sg) == 0 || len(sg) > 25 {
			b.Fatalf("Complete(uga, 25) = %d suggestions", len(sg))
		}
	}
}

func BenchmarkComplete3Many(b *testing.B) {
	s := store(b)
	b.ReportAllocs()
	for b.Loop() {
		if sg := s.Complete("sai", 25); len(sg) == 0 || len(sg) > 25 {
			b.Fatalf("Complete(sai, 25) = %d suggestions", len(sg))
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := knowledge.Load(knowledge.Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}

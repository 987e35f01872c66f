package knowledge_test

import (
	"fmt"
	"log"
	"os"

	"github.com/agreementbot/agreementbot/knowledge"
)

func ExampleStore_Resolve() {
	s, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []string{"Swaziland", "does rwanda take deportees?", "guatamala", "HND", "France", "Congo"} {
		m := s.Resolve(q)
		switch m.Kind {
		case knowledge.MatchCountry:
			fmt.Printf("%s: %s (%s), on record\n", q, m.Name, m.Code)
		case knowledge.MatchNoData:
			fmt.Printf("%s: %s (%s), nothing on record\n", q, m.Name, m.Code)
		case knowledge.MatchTopic:
			fmt.Printf("%s: topic %s\n", q, m.Topic.ID)
		default:
			fmt.Printf("%s: not found; did you mean %s or %s?\n", q, m.Suggestions[0].Name, m.Suggestions[1].Name)
		}
	}
	// Output:
	// Swaziland: Eswatini (SZ), on record
	// does rwanda take deportees?: Rwanda (RW), on record
	// guatamala: Guatemala (GT), on record
	// HND: Honduras (HN), on record
	// France: France (FR), nothing on record
	// Congo: not found; did you mean Democratic Republic of the Congo or Congo - Brazzaville?
}

func ExampleDate_String() {
	for _, in := range []string{"2025", "2025-08", "2025-08-21", "unknown"} {
		d, err := knowledge.ParseDate(in)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d)
	}
	d, _ := knowledge.ParseDate("2025-08")
	d.Approximate = true
	fmt.Println(d)
	d.Note = "mid-August 2025"
	fmt.Println(d)
	// Output:
	// 2025
	// 2025-08
	// 2025-08-21
	// date unknown
	// about 2025-08
	// mid-August 2025
}

// The digest names the data a store holds: the embedded files and the same
// files in a directory (KNOWLEDGE_DIR, on any replica) have the same one.
// Put it in cache keys and in button keys, e.g. "more:"+s.Digest()+":UG",
// so that nothing made from other data is taken for current after a
// reload, and show it in about.
func ExampleStore_Digest() {
	embedded, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		log.Fatal(err)
	}
	dir, err := knowledge.Load(os.DirFS("data"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(embedded.Digest()), embedded.Digest() == dir.Digest())
	// Output: 8 true
}

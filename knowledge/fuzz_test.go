package knowledge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

func FuzzResolve(f *testing.F) {
	s := store(f)
	for _, c := range s.Countries() {
		f.Add(c.Name)
		f.Add(strings.ToUpper(c.Code))
		for _, a := range c.Aliases {
			f.Add(a)
		}
	}
	for _, tp := range s.Topics() {
		f.Add(tp.ID)
	}
	for _, seed := range []string{
		"ugnada", "guatamala", "does rwanda take deportees?", "/agreement uganda",
		"Panamá", "México", "HND", "ugA", "Swaziland", "Congo", "Dominican", "Saint Vincent",
		"St Vincent and the Grenadines", "nigera", "Уганда", "乌干达", "أوغندا", "Côte d’Ivoire",
		"", " ", "?", "a b c d e f g h i j k l m n o p", strings.Repeat("x", 100), "\xff\xfe", "ǅ", "ß",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := s.Resolve(text)
		consistent(t, s, text, m)
		switch m.Kind {
		case knowledge.MatchCountry:
			// A resolved country's own name resolves to it again.
			again := s.Resolve(m.Country.Name)
			if again.Kind != knowledge.MatchCountry || again.Code != m.Code {
				t.Errorf("Resolve(%q) = %s, but Resolve(%q) = %s", text, got(m), m.Country.Name, got(again))
			}
		case knowledge.MatchNoData:
			again := s.Resolve(m.Name)
			if again.Kind != knowledge.MatchNoData || again.Code != m.Code {
				t.Errorf("Resolve(%q) = %s, but Resolve(%q) = %s", text, got(m), m.Name, got(again))
			}
		case knowledge.MatchTopic:
			again := s.Resolve(m.Topic.ID)
			if again.Kind != knowledge.MatchTopic || again.Topic != m.Topic {
				t.Errorf("Resolve(%q) = %s, but Resolve(%q) = %s", text, got(m), m.Topic.ID, got(again))
			}
		}
		if sg := s.Complete(text, 25); len(sg) > 25 {
			t.Errorf("Complete(%q, 25) = %d suggestions", text, len(sg))
		}
		if code, ok := s.Nationality(text); ok != (code != "") {
			t.Errorf("Nationality(%q) = %q, %v", text, code, ok)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	s := store(f)
	for _, c := range s.Countries() {
		for _, e := range c.Timeline {
			f.Add(e.Date.ISO())
		}
	}
	for _, src := range s.Sources() {
		f.Add(src.Date.ISO())
	}
	for _, seed := range []string{
		"unknown", "2025", "2025-08", "2025-08-21", "2024-02-29", "2025-13-01", "2025-02-30",
		"Aug 2025", "", "-", "2025--01", "9999-99-99", " 2025 ", "２０２５",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := knowledge.ParseDate(in)
		if err != nil {
			if d != (knowledge.Date{}) {
				t.Errorf("ParseDate(%q) = %+v with error %v, want the zero Date", in, d, err)
			}
			return
		}
		if !d.Known() {
			if strings.TrimSpace(in) != "unknown" {
				t.Errorf("ParseDate(%q) = unknown date, want an error", in)
			}
			return
		}
		iso := d.ISO()
		back, err := knowledge.ParseDate(iso)
		if err != nil || back != d {
			t.Errorf("ParseDate(%q) = %+v; ParseDate(its ISO %q) = %+v, %v", in, d, iso, back, err)
		}
		if want := map[knowledge.Precision]int{knowledge.Year: 4, knowledge.Month: 7, knowledge.Day: 10}[d.Precision]; len(iso) != want {
			t.Errorf("ParseDate(%q).ISO() = %q, want %d characters for precision %d", in, iso, want, d.Precision)
		}
		if d.String() != iso {
			t.Errorf("ParseDate(%q).String() = %q, want %q", in, d.String(), iso)
		}
		if d.Latest().Before(d.Earliest()) {
			t.Errorf("ParseDate(%q): Latest %v before Earliest %v", in, d.Latest(), d.Earliest())
		}
	})
}

// FuzzLoad feeds arbitrary bytes to the loader as a country file and as
// nationalities.yaml: it must never panic, and must either load or report
// located problems in a *LoadError.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(country("UG", "Uganda", "received:\n  - code: KE\n    caveat: disputed\n    sources: [S1]")), false)
	f.Add([]byte(baseNationalities), true)
	f.Add([]byte("demonyms:\n  UG: [Ugandan]\n  UG: [x]\ngroups:\n  east: {name: E, codes: [UG], extra: 1}\n"), true)
	f.Add([]byte("groups: [1, 2]\ndemonyms: 3\n"), true)
	f.Add([]byte("code: UG\nname: [a]\ntimeline: {}\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, asNationalities bool) {
		name := "ug.yaml"
		if asNationalities {
			name = "nationalities.yaml"
		}
		s, err := knowledge.Load(dataFS(map[string]string{name: string(data)}))
		if err == nil {
			if s == nil || len(s.Countries()) == 0 {
				t.Fatal("Load returned no error and no store")
			}
			return
		}
		var le *knowledge.LoadError
		if !errors.As(err, &le) || len(le.Problems) == 0 {
			t.Fatalf("Load error is not a *LoadError with problems: %v", err)
		}
		for _, p := range le.Problems {
			if p.File == "" || p.Msg == "" {
				t.Fatalf("problem without a file or message: %+v", p)
			}
		}
	})
}

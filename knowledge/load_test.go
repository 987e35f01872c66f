package knowledge_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/agreementbot/agreementbot/knowledge"
)

const baseSources = `- id: S1
  outlet: Test Wire
  title: A report
  date: "2025-08-19"
  urls:
    - "https://example.org/s1"
- id: S2
  outlet: Other Paper
  urls: ["https://example.org/s2", "http://mirror.example.net/s2"]
`

const baseTopics = `- id: law
  title: The law
  aliases: [legal basis]
  summary: What the law says.
  facts:
    - text: A fact about the law.
      sources: [S1]
`

const baseNationalities = `demonyms:
  UG: [Ugandan, Ugandans]
  KE: [Kenyan, Kenyans]
groups:
  east:
    name: East African test group
    codes: [UG, KE]
`

// country returns a valid country file. The extra lines go at the top
// level before the timeline, which comes last so that a test can append
// events to it.
func country(code, name string, extra ...string) string {
	s := fmt.Sprintf(`code: %s
name: %s
status: agreed
summary: >-
  %s agreed to take people.
accepts:
  - text: Nationals of neighbouring countries.
    sources: [S1]
`, code, name, name)
	for _, e := range extra {
		s += e + "\n"
	}
	return s + `timeline:
  - date: "2025-08-19"
    status: agreed
    text: Agreement reported.
    sources: [S1, S2]
`
}

// dataFS is a small valid data directory; files override or add files.
func dataFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{
		"sources.yaml":       {Data: []byte(baseSources)},
		"topics.yaml":        {Data: []byte(baseTopics)},
		"nationalities.yaml": {Data: []byte(baseNationalities)},
		"ug.yaml":            {Data: []byte(country("UG", "Uganda"))},
		"README.md":          {Data: []byte("not data\n")},
	}
	for name, text := range files {
		if text == "" {
			delete(m, name)
			continue
		}
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// at names the place a problem must be reported: the file, and the line of
// that file containing marker (0 when marker is "").
type at struct {
	file, marker string
}

func (a at) line(t *testing.T, fsys fstest.MapFS) int {
	t.Helper()
	if a.marker == "" {
		return 0
	}
	f := fsys[a.file]
	if f == nil {
		t.Fatalf("test bug: no file %s", a.file)
	}
	found := 0
	for i, l := range strings.Split(string(f.Data), "\n") {
		if strings.Contains(l, a.marker) {
			if found != 0 {
				t.Fatalf("test bug: marker %q is on lines %d and %d of %s", a.marker, found, i+1, a.file)
			}
			found = i + 1
		}
	}
	if found == 0 {
		t.Fatalf("test bug: marker %q not in %s", a.marker, a.file)
	}
	return found
}

func loadErr(t *testing.T, fsys fstest.MapFS) *knowledge.LoadError {
	t.Helper()
	s, err := knowledge.Load(fsys)
	if err == nil {
		t.Fatalf("Load succeeded (%d countries), want a *LoadError", len(s.Countries()))
	}
	if s != nil {
		t.Errorf("Load returned a store with an error")
	}
	var le *knowledge.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load error %v (%T), want a *LoadError", err, err)
	}
	return le
}

// hasProblem reports whether le holds a problem at the place, with a
// message containing word.
func hasProblem(le *knowledge.LoadError, file string, line int, word string) bool {
	for _, p := range le.Problems {
		if p.File == file && p.Line == line && strings.Contains(strings.ToLower(p.Msg), strings.ToLower(word)) {
			return true
		}
	}
	return false
}

func TestLoadValid(t *testing.T) {
	fsys := dataFS(map[string]string{
		// XK is not an ISO 3166-1 code, but the loader allows it for Kosovo,
		// in a file name, a code and a received nationality.
		"xk.yaml": country("XK", "Kosovo", "received:\n  - code: XK\n    count: 1\n    sources: [S2]\n  - code: UG\n    sources: [S2]\n    caveat: disputed"),
		"ke.yaml": country("KE", "Kenya", "aliases: [Republic of Kenya]", "groups:\n  - name: East Africans\n    group: east\n    sources: [S1]"),
	})
	s, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("Load(valid data) = %v", err)
	}
	if got := len(s.Countries()); got != 3 {
		t.Errorf("len(Countries()) = %d, want 3", got)
	}
	xk := s.Country("XK")
	if xk == nil || xk.Name != "Kosovo" || xk.File != "xk.yaml" {
		t.Fatalf("Country(XK) = %+v, want Kosovo from xk.yaml", xk)
	}
	if len(xk.Received) != 2 || xk.Received[0].Code != "XK" || xk.Received[0].Count != 1 ||
		xk.Received[0].Caveat != knowledge.NoCaveat || xk.Received[1].Caveat != knowledge.Disputed {
		t.Errorf("Country(XK).Received = %+v, want XK (1) and UG (disputed)", xk.Received)
	}
	if h := s.From("UG"); len(h) == 0 || h[0].Country.Code != "XK" || !h[0].Received || h[0].Caveat != knowledge.Disputed {
		t.Errorf("From(UG) = %+v, want Kosovo with the arrival's caveat", h)
	}
	if g := s.Country("KE").Groups; len(g) != 1 || strings.Join(g[0].Codes, ",") != "UG,KE" {
		t.Errorf("Country(KE).Groups = %+v, want the east group expanded to UG,KE", g)
	}
	if m := s.Resolve("republic of kenya"); m.Kind != knowledge.MatchCountry || m.Code != "KE" {
		t.Errorf("Resolve(%q) = %v %q, want the alias to find KE", "republic of kenya", m.Kind, m.Code)
	}
	if got := s.AsOf().ISO(); got != "2025-08-19" {
		t.Errorf("AsOf() = %s, want 2025-08-19", got)
	}
	if src := s.Source("S2"); src == nil || len(src.URLs) != 2 || src.Title != "" || src.Date.Known() {
		t.Errorf("Source(S2) = %+v, want two URLs and no title or date", src)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  at
		word  string // in the problem's message
	}{
		{
			name:  "unknown top-level field",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "stauts: signed")},
			want:  at{"ug.yaml", "stauts:"}, word: "stauts",
		},
		{
			name: "misspelt field in a timeline event",
			files: map[string]string{"ug.yaml": country("UG", "Uganda",
				"conditions:\n  - text: No minors.\n    soruces: [S1]")},
			want: at{"ug.yaml", "soruces:"}, word: "soruces",
		},
		{
			name:  "misspelt field in sources.yaml",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: X\n  url: [\"https://example.org/3\"]\n"},
			want:  at{"sources.yaml", "  url: ["}, word: "url",
		},
		{
			name:  "month 13",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: \"2025-13-01\"\n    text: Bad.\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "2025-13-01"}, word: "2025-13-01",
		},
		{
			name:  "February 30",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: \"2025-02-30\"\n    text: Bad.\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "2025-02-30"}, word: "2025-02-30",
		},
		{
			name:  "month written in words",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: Aug 2025\n    text: Bad.\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "Aug 2025"}, word: "Aug 2025",
		},
		{
			name:  "malformed source date",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: X\n  date: 19/08/2025\n  urls: [\"https://example.org/3\"]\n"},
			want:  at{"sources.yaml", "19/08/2025"}, word: "19/08/2025",
		},
		{
			name:  "unknown headline status",
			files: map[string]string{"ug.yaml": strings.Replace(country("UG", "Uganda"), "status: agreed\nsummary", "status: singed\nsummary", 1)},
			want:  at{"ug.yaml", "singed"}, word: "singed",
		},
		{
			name:  "unknown event status",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: \"2025-09\"\n    status: deported\n    text: x\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "deported"}, word: "deported",
		},
		{
			name:  "code ZZ",
			files: map[string]string{"zz.yaml": country("ZZ", "Nowhere")},
			want:  at{"zz.yaml", "code: ZZ"}, word: "ZZ",
		},
		{
			name:  "code UK (the ISO code is GB)",
			files: map[string]string{"uk.yaml": country("UK", "United Kingdom")},
			want:  at{"uk.yaml", "code: UK"}, word: "UK",
		},
		{
			name:  "code YU (withdrawn)",
			files: map[string]string{"yu.yaml": country("YU", "Yugoslavia")},
			want:  at{"yu.yaml", "code: YU"}, word: "YU",
		},
		{
			name:  "alpha-3 code",
			files: map[string]string{"ug.yaml": country("UGA", "Uganda")},
			want:  at{"ug.yaml", "code: UGA"}, word: "UGA",
		},
		{
			name:  "lower-case code",
			files: map[string]string{"ug.yaml": country("ug", "Uganda")},
			want:  at{"ug.yaml", "code: ug"}, word: "ug",
		},
		{
			name:  "file name does not match the code",
			files: map[string]string{"ug.yaml": country("KE", "Kenya")},
			want:  at{"ug.yaml", "code: KE"}, word: "ke.yaml",
		},
		{
			name:  "invalid received nationality",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "received:\n  - code: SU\n    sources: [S1]")},
			want:  at{"ug.yaml", "code: SU"}, word: "SU",
		},
		{
			name:  "invalid group code",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "groups:\n  - name: Some\n    codes: [KE, XX]\n    sources: [S1]")},
			want:  at{"ug.yaml", "codes: [KE, XX]"}, word: "XX",
		},
		{
			name:  "fact cites an unknown source",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "numbers:\n  - text: Ten people.\n    sources:\n      - S1\n      - S99")},
			want:  at{"ug.yaml", "S99"}, word: "S99",
		},
		{
			name:  "topic fact cites an unknown source",
			files: map[string]string{"topics.yaml": baseTopics + "    - text: Another.\n      sources: [S404]\n"},
			want:  at{"topics.yaml", "S404"}, word: "S404",
		},
		{
			name:  "fact cites no source",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "numbers:\n  - text: Ten unsourced people.")},
			want:  at{"ug.yaml", "Ten unsourced people"}, word: "no source",
		},
		{
			name:  "source without outlet",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  title: Anonymous\n  urls: [\"https://example.org/3\"]\n"},
			want:  at{"sources.yaml", "id: S3"}, word: "outlet",
		},
		{
			name:  "source with a blank outlet",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: \"  \"\n  urls: [\"https://example.org/3\"]\n"},
			want:  at{"sources.yaml", "id: S3"}, word: "outlet",
		},
		{
			name:  "source without URL",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: Somebody\n"},
			want:  at{"sources.yaml", "id: S3"}, word: "URL",
		},
		{
			name:  "source with an empty URL list",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: Somebody\n  urls: []\n"},
			want:  at{"sources.yaml", "id: S3"}, word: "URL",
		},
		{
			name:  "source URL that is not http(s)",
			files: map[string]string{"sources.yaml": baseSources + "- id: S3\n  outlet: Somebody\n  urls:\n    - ftp://example.org/3\n"},
			want:  at{"sources.yaml", "ftp://"}, word: "ftp://example.org/3",
		},
		{
			name:  "duplicate source id",
			files: map[string]string{"sources.yaml": baseSources + "- outlet: Again\n  id: S2\n  urls: [\"https://example.org/again\"]\n"},
			want:  at{"sources.yaml", "  id: S2"}, word: "S2",
		},
		{
			name:  "unknown caveat",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "numbers:\n  - text: Ten.\n    sources: [S1]\n    caveat: dubious")},
			want:  at{"ug.yaml", "dubious"}, word: "dubious",
		},
		{
			name:  "unknown date without a note",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: unknown\n    text: A flight landed.\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "date: unknown"}, word: "date_note",
		},
		{
			name:  "timeline out of order",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: \"2025-07\"\n    text: Earlier, listed later.\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "2025-07"}, word: "order",
		},
		{
			name:  "topic timeline out of order",
			files: map[string]string{"topics.yaml": baseTopics + "  timeline:\n    - date: \"2025-03-01\"\n      text: a\n      sources: [S1]\n    - date: \"2024\"\n      text: b\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "\"2024\""}, word: "order",
		},
		{
			name:  "missing timeline",
			files: map[string]string{"ug.yaml": "code: UG\nname: Uganda\nstatus: agreed\nsummary: s\n"},
			want:  at{"ug.yaml", ""}, word: "timeline",
		},
		{
			name:  "missing summary",
			files: map[string]string{"ug.yaml": strings.Replace(country("UG", "Uganda"), "summary: >-\n  Uganda agreed to take people.\n", "", 1)},
			want:  at{"ug.yaml", ""}, word: "summary",
		},
		{
			name: "two countries claim one alias",
			files: map[string]string{
				"ug.yaml": country("UG", "Uganda", "aliases: [Pearl of Africa]"),
				"ke.yaml": country("KE", "Kenya", "aliases:\n  - Safari Land\n  - Pearl of Africa"),
			},
			// The problem is reported on the later file, by name: Uganda.
			want: at{"ug.yaml", "Pearl of Africa"}, word: "Pearl of Africa",
		},
		{
			name: "an alias is another country's English name",
			files: map[string]string{
				"gq.yaml": country("GQ", "Equatorial Guinea", "aliases:\n  - Republic of Equatorial Guinea\n  - Guinea"),
			},
			want: at{"gq.yaml", "  - Guinea"}, word: "Guinea",
		},
		{
			name:  "a country file not named by a code",
			files: map[string]string{"uganda.yaml": country("UG", "Uganda")},
			want:  at{"uganda.yaml", ""}, word: "ISO code",
		},
		{
			name:  "an upper-case file name",
			files: map[string]string{"ug.yaml": "", "UG.yaml": country("UG", "Uganda")},
			want:  at{"UG.yaml", ""}, word: "lower case",
		},
		{
			name:  "two YAML documents",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "---\ncode: KE\n"},
			want:  at{"ug.yaml", ""}, word: "document",
		},
		{
			name:  "missing sources.yaml",
			files: map[string]string{"sources.yaml": ""},
			want:  at{"sources.yaml", ""}, word: "missing",
		},
		{
			name:  "a demonym under a code that does not exist",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "  KE: [Kenyan", "  QQ: [Kenyan", 1)},
			want:  at{"nationalities.yaml", "QQ:"}, word: "QQ",
		},
		{
			name:  "one demonym under two codes",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "  KE: [Kenyan, Kenyans]", "  KE: [Kenyan,\n    ugandans]", 1)},
			want:  at{"nationalities.yaml", "    ugandans]"}, word: "ugandans",
		},
		{
			name:  "a code listed twice in demonyms",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "groups:", "  UG: [Muganda]\ngroups:", 1)},
			want:  at{"nationalities.yaml", "UG: [Muganda]"}, word: "twice",
		},
		{
			name:  "a misspelt field in a group",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "    codes: [UG, KE]", "    cods: [UG, KE]", 1)},
			want:  at{"nationalities.yaml", "cods:"}, word: "cods",
		},
		{
			name:  "a group code that does not exist",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "    codes: [UG, KE]", "    codes:\n      - UG\n      - QQ", 1)},
			want:  at{"nationalities.yaml", "- QQ"}, word: "QQ",
		},
		{
			name:  "a group without a name",
			files: map[string]string{"nationalities.yaml": strings.Replace(baseNationalities, "    name: East African test group\n", "", 1)},
			want:  at{"nationalities.yaml", "  east:"}, word: "no name",
		},
		{
			name:  "unknown dated_by",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: \"2025-09\"\n    dated_by: reporter\n    text: x\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "dated_by: reporter"}, word: "reporter",
		},
		{
			name:  "dated_by report on an unknown date",
			files: map[string]string{"ug.yaml": country("UG", "Uganda") + "  - date: unknown\n    date_note: not given\n    dated_by: report\n    text: x\n    sources: [S1]\n"},
			want:  at{"ug.yaml", "dated_by: report"}, word: "known date",
		},
		{
			name:  "unknown code in a topic fact's countries",
			files: map[string]string{"topics.yaml": baseTopics + "    - text: Barbados was not asked.\n      countries: [BB, QQ]\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "countries: [BB, QQ]"}, word: "QQ",
		},
		{
			name:  "a code listed twice in countries",
			files: map[string]string{"topics.yaml": baseTopics + "    - text: Barbados was not asked.\n      countries:\n        - BB\n        - BB # again\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "# again"}, word: "twice",
		},
		{
			name:  "countries on a country's own fact",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "notes:\n  - text: About Kenya.\n    countries: [KE]\n    sources: [S1]")},
			want:  at{"ug.yaml", "countries: [KE]"}, word: "topic facts only",
		},
		{
			name:  "negative people count",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: -3\n    as_of: \"2025-09\"\n    text: Minus three.\n    sources: [S1]")},
			want:  at{"ug.yaml", "Minus three."}, word: "negative",
		},
		{
			name:  "people count missing",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - as_of: \"2025-09\"\n    text: No count here.\n    sources: [S1]")},
			want:  at{"ug.yaml", "No count here."}, word: "no count",
		},
		{
			name:  "people without as_of",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: 3\n    text: Three, some day.\n    sources: [S1]")},
			want:  at{"ug.yaml", "Three, some day."}, word: "as_of",
		},
		{
			name:  "people with a malformed as_of",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: 3\n    as_of: Sept 2025\n    text: Three.\n    sources: [S1]")},
			want:  at{"ug.yaml", "Sept 2025"}, word: "Sept 2025",
		},
		{
			name:  "people without a source",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: 3\n    as_of: \"2025-09\"\n    text: Three unsourced.")},
			want:  at{"ug.yaml", "Three unsourced."}, word: "no source",
		},
		{
			name:  "a misspelt field in people",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: 3\n    atleast: true\n    as_of: \"2025-09\"\n    text: Three.\n    sources: [S1]")},
			want:  at{"ug.yaml", "atleast:"}, word: "atleast",
		},
		{
			name:  "scope on a country's people",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "people:\n  - count: 3\n    as_of: \"2025-09\"\n    scope: everyone\n    text: Three.\n    sources: [S1]")},
			want:  at{"ug.yaml", "scope: everyone"}, word: "scope",
		},
		{
			name:  "a total without a scope",
			files: map[string]string{"topics.yaml": baseTopics + "  totals:\n    - count: 300\n      as_of: \"2026-01\"\n      text: About 300 people.\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "About 300 people."}, word: "scope",
		},
		{
			name:  "a total without a unit",
			files: map[string]string{"topics.yaml": baseTopics + "  totals:\n    - count: 3\n      as_of: \"2026-01\"\n      scope: things\n      text: Three things.\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "Three things."}, word: "of must say",
		},
		{
			name:  "a total of an unknown unit",
			files: map[string]string{"topics.yaml": baseTopics + "  totals:\n    - count: 3\n      as_of: \"2026-01\"\n      scope: things\n      of: bananas\n      text: Three bananas.\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "of: bananas"}, word: "of must say",
		},
		{
			name:  "a negative total",
			files: map[string]string{"topics.yaml": baseTopics + "  totals:\n    - count: -1\n      as_of: \"2026-01\"\n      scope: people\n      text: Minus one person.\n      sources: [S1]\n"},
			want:  at{"topics.yaml", "Minus one person."}, word: "negative",
		},
		{
			name:  "an editor note without text",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "editor_notes:\n  - text: \"\"\n    sources: [S1]")},
			want:  at{"ug.yaml", "  - text: \"\""}, word: "no text",
		},
		{
			name:  "an editor note citing an unknown source",
			files: map[string]string{"topics.yaml": baseTopics + "  editor_notes:\n    - text: A garble.\n      sources: [S77]\n"},
			want:  at{"topics.yaml", "S77"}, word: "S77",
		},
		{
			name:  "a misspelt field in an editor note",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "editor_notes:\n  - text: A garble.\n    caveat: weak")},
			want:  at{"ug.yaml", "caveat: weak"}, word: "caveat",
		},
		{
			name:  "a malformed group date",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "groups:\n  - name: Some\n    codes: [KE]\n    date: 2023-5\n    sources: [S1]")},
			want:  at{"ug.yaml", "date: 2023-5"}, word: "2023-5",
		},
		{
			name:  "a malformed arrival date",
			files: map[string]string{"ug.yaml": strings.Replace(country("UG", "Uganda", "received:\n  - code: KE\n    date: \"2025-02-30\"\n    sources: [S1]"), "status: agreed\nsummary", "status: received\nsummary", 1)},
			want:  at{"ug.yaml", "2025-02-30"}, word: "2025-02-30",
		},
		{
			name:  "an approximate group date that is unknown",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "groups:\n  - name: Someday\n    codes: [KE]\n    approximate: true\n    sources: [S1]")},
			want:  at{"ug.yaml", "name: Someday"}, word: "approximate",
		},
		{
			name:  "a misspelt order_note",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "ordernote: reasons")},
			want:  at{"ug.yaml", "ordernote:"}, word: "ordernote",
		},
		{
			name:  "unknown caveat names unverified_wording",
			files: map[string]string{"ug.yaml": country("UG", "Uganda", "numbers:\n  - text: Ten.\n    sources: [S1]\n    caveat: unverified")},
			want:  at{"ug.yaml", "caveat: unverified"}, word: "unverified_wording",
		},
		{
			name:  "demonyms written as a list",
			files: map[string]string{"nationalities.yaml": "demonyms:\n  - UG\ngroups: {}\n"},
			want:  at{"nationalities.yaml", "  - UG"}, word: "mapping",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := dataFS(tt.files)
			le := loadErr(t, fsys)
			line := tt.want.line(t, fsys)
			if !hasProblem(le, tt.want.file, line, tt.word) {
				t.Errorf("Load: problems %v, want one at %s:%d mentioning %q", le.Problems, tt.want.file, line, tt.word)
			}
			// The message operators see names the file and the line.
			loc := tt.want.file + ":"
			if line > 0 {
				loc = fmt.Sprintf("%s:%d:", tt.want.file, line)
			}
			if !strings.Contains(le.Error(), loc) {
				t.Errorf("LoadError.Error() = %q, want it to contain %q", le.Error(), loc)
			}
		})
	}
}

// TestLoadSyntaxError checks that a YAML syntax error names the file and
// a line near the mistake. The YAML library reports parser errors on the
// line before, or on the line where the enclosing block starts
// (go-yaml/yaml#205), so the line is only checked to be close.
func TestLoadSyntaxError(t *testing.T) {
	for _, bad := range []string{
		"  - date: [unclosed\n",
		"  - date: \"2025-08\"\n    text: a: b\n",
		"- not in the timeline\n",
	} {
		fsys := dataFS(map[string]string{"ug.yaml": country("UG", "Uganda") + bad})
		le := loadErr(t, fsys)
		want := strings.Count(country("UG", "Uganda"), "\n") + 1 // the first bad line
		ok := false
		for _, p := range le.Problems {
			if p.File == "ug.yaml" && p.Line >= want-3 && p.Line <= want+1 {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Load(ug.yaml ending %q): problems %v, want one in ug.yaml near line %d", bad, le.Problems, want)
		}
	}
}

// TestLoadAllProblemsInOneFile checks that a file with an unknown field is
// still checked for everything else.
func TestLoadAllProblemsInOneFile(t *testing.T) {
	fsys := dataFS(map[string]string{
		"ug.yaml": country("UG", "Uganda", "stauts: signed", "numbers:\n  - text: Ten.\n    sources: [S77]\n    caveat: dubious") +
			"  - date: \"2025-13-01\"\n    text: Bad month.\n    sources: [S1]\n",
	})
	le := loadErr(t, fsys)
	for _, w := range []struct {
		at   at
		word string
	}{
		{at{"ug.yaml", "stauts"}, "stauts"},
		{at{"ug.yaml", "S77"}, "S77"},
		{at{"ug.yaml", "dubious"}, "dubious"},
		{at{"ug.yaml", "2025-13-01"}, "2025-13-01"},
	} {
		line := w.at.line(t, fsys)
		if !hasProblem(le, w.at.file, line, w.word) {
			t.Errorf("missing problem at %s:%d mentioning %q; got %v", w.at.file, line, w.word, le.Problems)
		}
	}
}

// TestLoadAllProblems puts problems of every kind in several files and
// checks that one load reports all of them, not only the first.
func TestLoadAllProblems(t *testing.T) {
	fsys := dataFS(map[string]string{
		"sources.yaml": baseSources + "- id: S3\n  title: No outlet here\n  urls: [\"https://example.org/3\"]\n- id: S4\n  outlet: No URL here\n",
		"topics.yaml":  baseTopics + "    - text: Cites a ghost.\n      sources: [S404]\n",
		"ug.yaml":      country("UG", "Uganda", "stauts: signed"),
		"ke.yaml":      country("KE", "Kenya", "aliases: [Pearl of Africa]") + "  - date: \"2025-02-30\"\n    text: Bad day.\n    sources: [S1]\n",
		"hn.yaml":      strings.Replace(country("HN", "Honduras", "aliases: [Pearl of Africa]"), "status: agreed\nsummary", "status: singed\nsummary", 1),
		"gq.yaml":      country("GQ", "Equatorial Guinea", "aliases: [Guinea]", "numbers:\n  - text: n\n    sources: [S1]\n    caveat: dubious"),
		"zz.yaml":      country("ZZ", "Nowhere"),
		"ec.yaml":      country("EC", "Ecuador") + "  - date: unknown\n    text: Undated.\n    sources: [S99]\n",
	})
	le := loadErr(t, fsys)
	want := []struct {
		at   at
		word string
	}{
		{at{"sources.yaml", "id: S3"}, "outlet"},
		{at{"sources.yaml", "id: S4"}, "URL"},
		{at{"topics.yaml", "S404"}, "S404"},
		{at{"ug.yaml", "stauts"}, "stauts"},
		{at{"ke.yaml", "2025-02-30"}, "2025-02-30"},
		// Honduras sorts before Kenya, so Kenya's claim is the second.
		{at{"ke.yaml", "Pearl of Africa"}, "Pearl of Africa"},
		{at{"hn.yaml", "singed"}, "singed"},
		{at{"gq.yaml", "dubious"}, "dubious"},
		{at{"gq.yaml", "aliases: [Guinea]"}, "Guinea"},
		{at{"zz.yaml", "code: ZZ"}, "ZZ"},
		{at{"ec.yaml", "date: unknown"}, "date_note"},
		{at{"ec.yaml", "S99"}, "S99"},
	}
	for _, w := range want {
		line := w.at.line(t, fsys)
		if !hasProblem(le, w.at.file, line, w.word) {
			t.Errorf("missing problem at %s:%d mentioning %q", w.at.file, line, w.word)
		}
	}
	if t.Failed() {
		t.Logf("all problems:\n%s", le.Error())
	}
}

// TestLoadTimelineOverlap checks what the order rule allows: partial dates
// that overlap may come in either order, and an undated event anywhere.
func TestLoadTimelineOverlap(t *testing.T) {
	fsys := dataFS(map[string]string{"ug.yaml": country("UG", "Uganda") +
		"  - date: unknown\n    date_note: the report gives none\n    text: Undated.\n    sources: [S1]\n" +
		"  - date: \"2025-08\"\n    approximate: true\n    date_note: mid-August 2025\n    text: Same month.\n    sources: [S1]\n" +
		"  - date: \"2025\"\n    text: Same year.\n    sources: [S1]\n" +
		"  - date: \"2025-09-01\"\n    text: Later.\n    sources: [S1]\n"})
	s, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("Load = %v, want overlapping partial dates accepted", err)
	}
	tl := s.Country("UG").Timeline
	var got []string
	for _, e := range tl {
		got = append(got, e.Date.String())
	}
	want := []string{"2025-08-19", "date unknown", "mid-August 2025", "2025", "2025-09-01"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Country(UG).Timeline dates = %q, want the file's order %q", got, want)
	}
}

// brokenFS lists every file of its MapFS but cannot read one of them, like
// a dangling symlink or a file deleted between listing and reading.
type brokenFS struct {
	fstest.MapFS
	broken string
}

func (b brokenFS) Open(name string) (fs.File, error) {
	if name == b.broken {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return b.MapFS.Open(name)
}

func (b brokenFS) ReadFile(name string) ([]byte, error) {
	if name == b.broken {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return b.MapFS.ReadFile(name)
}

// TestLoadListedButUnreadable: a file in the listing that cannot be read is
// a problem, never silently left out, in a small data set and in a copy of
// the embedded one.
func TestLoadListedButUnreadable(t *testing.T) {
	embedded := embeddedCopy(t)
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
	}{{"small", dataFS(nil)}, {"embedded copy", embedded}} {
		for _, broken := range []string{"ug.yaml", "nationalities.yaml", "sources.yaml", "topics.yaml"} {
			_, err := knowledge.Load(brokenFS{tc.fsys, broken})
			if err == nil || !strings.Contains(err.Error(), broken+": cannot read") {
				t.Errorf("%s, %s unreadable: Load = %v, want %s: cannot read", tc.name, broken, err, broken)
			}
		}
	}
}

// TestLoadEditedCopy: an edit to a copy of the embedded files shows in the
// store, and an edit that breaks a rule fails loading, named by file.
func TestLoadEditedCopy(t *testing.T) {
	edited := embeddedCopy(t)
	ug := string(edited["ug.yaml"].Data)
	summary := "summary: >-\n"
	if !strings.Contains(ug, summary) {
		t.Fatal("ug.yaml has no folded summary to edit")
	}
	edited["ug.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(ug, summary, summary+"  EDITED.\n", 1))}
	s, err := knowledge.Load(edited)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Country("UG"); c == nil || !strings.HasPrefix(c.Summary, "EDITED.") {
		t.Fatalf("Load(edited copy).Country(UG) = %+v, want the summary to start EDITED.", c)
	}

	broken := embeddedCopy(t)
	broken["ug.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(ug, "status: signed", "status: singed", 1))}
	if _, err := knowledge.Load(broken); err == nil || !strings.Contains(err.Error(), "ug.yaml:") || !strings.Contains(err.Error(), `"singed"`) {
		t.Fatalf("Load(broken copy) = %v, want a ug.yaml:line problem naming \"singed\"", err)
	}
}

// TestLoadNewFields loads every optional field of the schema and checks
// what the Go values hold.
func TestLoadNewFields(t *testing.T) {
	ug := `code: UG
name: Uganda
status: received
summary: Uganda took people.
order_note: It was announced after the first arrivals.
groups:
  - name: Kenyans (2023 arrangement)
    codes: [KE]
    date: "2023-05"
    date_note: May 2023
    note: agreed in 2023 under an earlier administration
    sources: [S1]
received:
  - code: KE
    count: 2
    date: "2025-07"
    approximate: true
    date_note: mid-July 2025
    sources: [S1]
people:
  - count: 19
    at_least: true
    as_of: "2026-03"
    text: At least 19 people by March 2026.
    sources: [S1]
  - count: 15
    as_of: "2026-01"
    text: Fifteen through January 2026.
    sources: [S2]
    caveat: weak
notes:
  - text: A note for readers.
    sources: [S1]
editor_notes:
  - text: Zyzzyvawordgarble in the translated copy.
  - text: A second editor note, with a source.
    sources: [S2]
timeline:
  - date: "2025-07-01"
    status: agreed
    dated_by: report
    text: Agreement reported.
    sources: [S1]
  - date: "2025-08-19"
    status: received
    text: People arrived.
    caveat: unverified_wording
    sources: [S1]
`
	topics := baseTopics + `    - text: Kenya was not asked.
      countries: [KE, XK]
      sources: [S1]
  totals:
    - count: 300
      at_least: false
      as_of: "2026-01"
      scope: people sent to third countries (test report)
      of: people
      text: Roughly 300 people.
      sources: [S2]
  editor_notes:
    - text: Topic note for maintainers.
`
	fsys := dataFS(map[string]string{"ug.yaml": ug, "topics.yaml": topics})
	s, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	c := s.Country("UG")
	if c.OrderNote != "It was announced after the first arrivals." {
		t.Errorf("OrderNote = %q", c.OrderNote)
	}
	if g := c.Groups[0]; g.Date.ISO() != "2023-05" || g.Date.Note != "May 2023" || g.Note != "agreed in 2023 under an earlier administration" {
		t.Errorf("Groups[0] = %+v, want date 2023-05 with its note and the group note", g)
	}
	if a := c.Received[0]; a.Date.ISO() != "2025-07" || !a.Date.Approximate || a.Date.String() != "mid-July 2025" {
		t.Errorf("Received[0].Date = %+v, want approximate 2025-07 said as mid-July 2025", a.Date)
	}
	if len(c.People) != 2 {
		t.Fatalf("People = %+v, want 2", c.People)
	}
	if p := c.People[0]; p.Count != 19 || !p.AtLeast || p.AsOf.ISO() != "2026-03" || p.Text != "At least 19 people by March 2026." || p.Sources[0] != "S1" {
		t.Errorf("People[0] = %+v", p)
	}
	if p := c.People[1]; p.Count != 15 || p.AtLeast || p.Caveat != knowledge.Weak {
		t.Errorf("People[1] = %+v", p)
	}
	if len(c.EditorNotes) != 2 || len(c.EditorNotes[0].Sources) != 0 || c.EditorNotes[1].Sources[0] != "S2" {
		t.Errorf("EditorNotes = %+v, want two, the second citing S2", c.EditorNotes)
	}
	if e := c.Timeline[0]; !e.Reported || e.Status != knowledge.Agreed {
		t.Errorf("Timeline[0] = %+v, want a reported agreed stage", e)
	}
	if e := c.Timeline[1]; e.Reported || e.Caveat != knowledge.UnverifiedWording {
		t.Errorf("Timeline[1] = %+v, want not reported, wording not verified", e)
	}
	law := s.Topic("law")
	if len(law.Totals) != 1 || law.Totals[0].Count.Count != 300 || law.Totals[0].Scope != "people sent to third countries (test report)" || law.Totals[0].AsOf.ISO() != "2026-01" {
		t.Errorf("Totals = %+v", law.Totals)
	}
	if len(law.EditorNotes) != 1 {
		t.Errorf("topic EditorNotes = %+v, want one", law.EditorNotes)
	}
	for _, code := range []string{"KE", "XK"} {
		m := s.Mentions(code)
		if len(m) != 1 || m[0].Topic != law || m[0].Fact.Text != "Kenya was not asked." {
			t.Errorf("Mentions(%s) = %+v, want the law fact", code, m)
		}
	}
	if m := s.Mentions("UG"); len(m) != 0 {
		t.Errorf("Mentions(UG) = %+v, want none", m)
	}
	notes := s.EditorNotes()
	if len(notes) != 3 {
		t.Fatalf("EditorNotes() = %+v, want 3", notes)
	}
	lineOf := func(file, marker string) int {
		for i, l := range strings.Split(string(fsys[file].Data), "\n") {
			if strings.Contains(l, marker) {
				return i + 1
			}
		}
		return -1
	}
	if n := notes[0]; n.File != "topics.yaml" || n.Owner != "law" || n.Line != lineOf("topics.yaml", "Topic note for maintainers") {
		t.Errorf("EditorNotes()[0] = %+v", n)
	}
	if n := notes[1]; n.File != "ug.yaml" || n.Owner != "UG" || n.Line != lineOf("ug.yaml", "Zyzzyvawordgarble") {
		t.Errorf("EditorNotes()[1] = %+v, want ug.yaml at line %d", n, lineOf("ug.yaml", "Zyzzyvawordgarble"))
	}
	// Editor notes are never searched; what users see is.
	if hits := s.Search("zyzzyvawordgarble"); len(hits) != 0 {
		t.Errorf("Search found an editor note: %+v", hits)
	}
	if hits := s.Search("announced after the first arrivals"); len(hits) == 0 || hits[0].Country != c {
		t.Errorf("Search did not find the order note: %+v", hits)
	}
}

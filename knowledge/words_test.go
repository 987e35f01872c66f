package knowledge_test

import (
	"slices"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

func TestWordsLoaded(t *testing.T) {
	l := store(t).Words()
	for _, a := range knowledge.Aspects() {
		if len(l.Aspects[a]) == 0 {
			t.Errorf("aspect %s has no words", a)
		}
	}
	for _, st := range []string{"refused", "received", knowledge.FilterAgreed, knowledge.FilterPaid} {
		if len(l.Statuses[st]) == 0 {
			t.Errorf("status word %s has no words", st)
		}
	}
	for _, name := range []string{"africa", "central-america", "caribbean", "south-america", "latin-america", "europe", "asia", "oceania"} {
		if r, ok := l.Region(name); !ok || len(r.Phrases) == 0 {
			t.Errorf("region %s missing or without words", name)
		}
	}
	// Phrases are folded as questions are: "cuánto" is found as "cuanto".
	if !slices.Contains(l.Aspects[knowledge.AspectMoney], knowledge.Fold("cuánto")) {
		t.Errorf("money words %q lack the folded cuánto", l.Aspects[knowledge.AspectMoney])
	}
	if !slices.Contains(l.Deporter, knowledge.Fold("EE.UU.")) || slices.Contains(l.Deporter, "us") {
		t.Errorf("deporter words %q: want EE.UU. folded, and never the bare pronoun us", l.Deporter)
	}
	for i, m := range l.Months {
		if len(m) < 2 {
			t.Errorf("month %d has words %q", i+1, m)
		}
	}
}

// TestRegionsFollowM49 checks region containment against what the issue
// says M49 means: Central America includes Mexico and Belize, Latin America
// includes the Caribbean, Kosovo is in Europe.
func TestRegionsFollowM49(t *testing.T) {
	l := store(t).Words()
	region := func(name string) knowledge.Region {
		r, ok := l.Region(name)
		if !ok {
			t.Fatalf("no region %s", name)
		}
		return r
	}
	for _, tc := range []struct {
		region string
		in     []string
		out    []string
	}{
		{"central-america", []string{"MX", "BZ", "GT", "HN", "SV", "CR", "PA"}, []string{"US", "CU", "CO"}},
		{"caribbean", []string{"DM", "KN", "LC", "AG", "GD", "VC", "BS"}, []string{"MX", "GY"}},
		{"latin-america", []string{"DM", "MX", "AR", "PY", "GY"}, []string{"US", "ES"}},
		{"south-america", []string{"AR", "PE", "EC", "GY", "PY"}, []string{"PA", "MX"}},
		{"africa", []string{"UG", "SZ", "GQ", "CV", "DJ", "LY"}, []string{"ES", "UZ"}},
		{"europe", []string{"XK", "ES", "MD", "UA"}, []string{"UZ", "LY"}},
		{"asia", []string{"UZ", "BT", "KH", "MN", "TM"}, []string{"UA", "PW"}},
		{"oceania", []string{"PW", "TO"}, []string{"KH"}},
	} {
		r := region(tc.region)
		for _, c := range tc.in {
			if !r.Contains(c) {
				t.Errorf("%s does not contain %s", tc.region, c)
			}
		}
		for _, c := range tc.out {
			if r.Contains(c) {
				t.Errorf("%s contains %s", tc.region, c)
			}
		}
	}
	// Every country on record is in at least one region.
	for _, c := range store(t).Countries() {
		in := false
		for _, r := range l.Regions {
			in = in || r.Contains(c.Code)
		}
		if !in {
			t.Errorf("%s (%s) is in no region", c.Name, c.Code)
		}
	}
}

func TestWordsProblems(t *testing.T) {
	for _, tc := range []struct {
		name, words string
		want        at
		word        string
	}{
		{"unknown aspect", "aspects:\n  gossip:\n    en: [rumour]\n    es: [rumor]\n", at{"words.yaml", "gossip:"}, "unknown aspect"},
		{"missing spanish", "aspects:\n  money:\n    en: [how much]\n", at{"words.yaml", "money:"}, "both en and es"},
		{"unknown field", "aspects:\n  money:\n    en: [how much]\n    es: [cuanto]\n    fr: [combien]\n", at{"words.yaml", "fr:"}, "not a known field"},
		{"bad region", "regions:\n  atlantis:\n    m49: \"999\"\n    en: [atlantis]\n    es: [atlantida]\n", at{"words.yaml", "m49:"}, "M49"},
		{"country as region", "regions:\n  uganda:\n    m49: UG\n    en: [uganda]\n    es: [uganda]\n", at{"words.yaml", "m49:"}, "M49"},
		{"unknown topic", "topics:\n  gossip:\n    en: [rumour]\n    es: [rumor]\n", at{"words.yaml", "gossip:"}, "no topic"},
		{"unknown status", "statuses:\n  maybe:\n    en: [maybe]\n    es: [quizas]\n", at{"words.yaml", "maybe:"}, "not a status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := dataFS(map[string]string{"words.yaml": tc.words})
			le := loadErr(t, fsys)
			if !hasProblem(le, tc.want.file, tc.want.line(t, fsys), tc.word) {
				t.Errorf("problems %v, want %s:%d with %q", le.Problems, tc.want.file, tc.want.line(t, fsys), tc.word)
			}
		})
	}
	// Without words.yaml the store loads, with an empty lexicon.
	s, err := knowledge.Load(dataFS(nil))
	if err != nil || s.Words() == nil || len(s.Words().Aspects) != 0 {
		t.Errorf("Load without words.yaml: %v, lexicon %+v", err, s.Words())
	}
}

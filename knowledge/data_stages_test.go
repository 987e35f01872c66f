package knowledge_test

import (
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// stageRank orders the stages of one agreement for TestStageOrder. The
// rule: among a card's key dates (the first event of each status, in
// timeline order, as the bot shows them), requested comes before announced
// or agreed, which come before signed, which comes before received; a
// stage may be skipped, and announced and agreed share a rank. Refused,
// denied, ended and special are not steps on that ladder: they may come
// before or after anything. A country whose real history is in another
// order says why in order_note, which users see.
var stageRank = map[knowledge.Status]int{
	knowledge.Requested: 1, knowledge.Announced: 2, knowledge.Agreed: 2, knowledge.Signed: 3, knowledge.Received: 4,
}

// keyStages returns the first event of each status with a known date, in
// timeline order: the card's key dates.
func keyStages(c *knowledge.Country) []knowledge.Event {
	var out []knowledge.Event
	seen := map[knowledge.Status]bool{}
	for _, e := range c.Timeline {
		if e.Status == "" || seen[e.Status] || !e.Date.Known() {
			continue
		}
		seen[e.Status] = true
		out = append(out, e)
	}
	return out
}

// TestStageOrder: every card's key dates go requested ≤ announced/agreed ≤
// signed ≤ received, or the card says why not in order_note; an order
// note on a card whose stages are in order is stale.
func TestStageOrder(t *testing.T) {
	s := store(t)
	for _, c := range s.Countries() {
		var bad []string
		var prev *knowledge.Event
		for _, e := range keyStages(c) {
			r, ok := stageRank[e.Status]
			if !ok {
				continue
			}
			if prev != nil && stageRank[prev.Status] > r {
				bad = append(bad, string(prev.Status)+" ("+prev.Date.String()+") before "+string(e.Status)+" ("+e.Date.String()+")")
			}
			if prev == nil || stageRank[prev.Status] <= r {
				prev = &e
			}
		}
		switch {
		case len(bad) > 0 && c.OrderNote == "":
			t.Errorf("%s: key dates out of order: %s; date each stage by the event itself, or say why in order_note", c.File, strings.Join(bad, "; "))
		case len(bad) == 0 && c.OrderNote != "":
			t.Errorf("%s: order_note %q, but the key dates are in order: drop the note", c.File, c.OrderNote)
		}
		if c.OrderNote != "" && editorsWords.MatchString(c.OrderNote) {
			t.Errorf("%s: order_note is shown to users; write it in plain words: %q", c.File, c.OrderNote)
		}
	}
}

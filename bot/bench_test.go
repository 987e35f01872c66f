package bot_test

import (
	"context"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

// Each benchmark runs the whole answer path: parse, resolve, build the
// reply and render its plain text.
func benchAnswer(b *testing.B, text string) {
	bt := testBot()
	ctx := context.Background()
	q := bot.Query{Text: text, Platform: "bench"}
	b.ReportAllocs()
	for b.Loop() {
		r := bt.Handle(ctx, q)
		if len(r.Text()) == 0 {
			b.Fatal("empty answer")
		}
	}
}

func BenchmarkAnswerExact(b *testing.B)    { benchAnswer(b, "uganda") }
func BenchmarkAnswerMisspelt(b *testing.B) { benchAnswer(b, "guatamala") }
func BenchmarkAnswerQuestion(b *testing.B) { benchAnswer(b, "does rwanda take deportees?") }
func BenchmarkAnswerSearch(b *testing.B)   { benchAnswer(b, "search children") }
func BenchmarkAnswerFrom(b *testing.B)     { benchAnswer(b, "from cuba") }

func BenchmarkComplete3(b *testing.B) {
	bt := testBot()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if n := len(bt.Complete(ctx, "gua")); n == 0 || n > 25 {
			b.Fatalf("%d choices", n)
		}
	}
}

// BenchmarkQuestions understands and answers a mix of questions from the
// question table: aspects, regions, statuses, Spanish, traps.
func BenchmarkQuestions(b *testing.B) {
	bt := testBot()
	ctx := context.Background()
	qs := []string{"how much did the US pay Eswatini", "which african countries took deportees?",
		"¿qué países aceptan deportados de EE.UU.?", "is mexico taking deportees from other countries?",
		"when did uganda sign the deal", "which countries refused", "south sudn", "since february 2026"}
	for _, q := range qs {
		bt.Handle(ctx, bot.Query{Text: q}) // build the indexes first
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := bt.Handle(ctx, bot.Query{Text: qs[i%len(qs)]})
		if r.Kind == "" {
			b.Fatal("no answer")
		}
		i++
	}
}

func BenchmarkAnswerFocused(b *testing.B) { benchAnswer(b, "how much did the US pay Eswatini") }
func BenchmarkAnswerRegion(b *testing.B)  { benchAnswer(b, "which african countries took deportees?") }
func BenchmarkAnswerSpanish(b *testing.B) {
	benchAnswer(b, "¿qué países aceptan deportados de EE.UU.?")
}

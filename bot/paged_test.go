package bot_test

import (
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

func TestPaged(t *testing.T) {
	for _, tc := range []struct {
		r            bot.Reply
		paged, short bool
	}{
		{bot.Reply{Kind: bot.KindList}, true, false},
		{bot.Reply{Kind: bot.KindSources}, true, false},
		{bot.Reply{Kind: bot.KindRanking, Full: true}, false, false},
		{bot.Reply{Kind: bot.KindCountry}, false, true},
		{bot.Reply{Kind: bot.KindTopic}, false, true},
		{bot.Reply{Kind: bot.KindCountry, Aspect: "money"}, false, false},
		{bot.Reply{Kind: bot.KindCountry, Full: true}, false, false},
		{bot.Reply{Kind: bot.KindMap}, false, false},
		{bot.Reply{Kind: bot.KindHelp}, false, false},
	} {
		if got := tc.r.Paged(); got != tc.paged {
			t.Errorf("%s (full %v): Paged() = %v", tc.r.Kind, tc.r.Full, got)
		}
		if got := tc.r.ShortCard(); got != tc.short {
			t.Errorf("%s (full %v, aspect %q): ShortCard() = %v", tc.r.Kind, tc.r.Full, tc.r.Aspect, got)
		}
	}
}

func TestPageBounds(t *testing.T) {
	results := make([]bot.Result, 2*bot.PageSize+3)
	for _, tc := range []struct {
		r             bot.Reply
		lo, hi, total int
	}{
		{bot.Reply{Kind: bot.KindList}, 0, 0, 0},
		{bot.Reply{Kind: bot.KindList, Results: results}, 0, bot.PageSize, len(results)},
		{bot.Reply{Kind: bot.KindList, Results: results, Page: 2}, bot.PageSize, 2 * bot.PageSize, len(results)},
		{bot.Reply{Kind: bot.KindList, Results: results, Page: 3}, 2 * bot.PageSize, len(results), len(results)},
		{bot.Reply{Kind: bot.KindList, Results: results, Page: 9}, 2 * bot.PageSize, len(results), len(results)}, // the last page
		{bot.Reply{Kind: bot.KindSources, Sources: make([]bot.Source, 4), Results: results}, 0, 4, 4},
	} {
		lo, hi, total := tc.r.PageBounds()
		if lo != tc.lo || hi != tc.hi || total != tc.total {
			t.Errorf("%s page %d: PageBounds() = %d, %d, %d; want %d, %d, %d", tc.r.Kind, tc.r.Page, lo, hi, total, tc.lo, tc.hi, tc.total)
		}
		if p, pages := tc.r.PageNumber(), tc.r.Pages(); total > 0 && (lo != (p-1)*bot.PageSize || hi > total || p > pages) {
			t.Errorf("%s page %d: bounds %d–%d disagree with page %d of %d", tc.r.Kind, tc.r.Page, lo, hi, p, pages)
		}
	}
}

package bot_test

import (
	"bytes"
	"context"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

func TestMapAnswers(t *testing.T) {
	for _, tc := range []struct{ q, name, region, status, country string }{
		{"map", "world", "", "", ""},
		{"show me a map", "world", "", "", ""},
		{"mapa", "world", "", "", ""},
		{"map received", "received", "", "received", ""},
		{"map refused", "refused", "", "refused", ""},
		{"map africa", "africa", "africa", "", ""},
		{"map caribbean", "caribbean", "caribbean", "", ""},
		{"map latin america", "latin-america", "latin-america", "", ""},
		{"map uganda", "ug", "", "", "UG"},
		{"show me a map of africa", "africa", "africa", "", ""},
		{"mapa de los países que recibieron deportados", "received", "", "received", ""},
	} {
		r := ask(tc.q)
		if r.Kind != bot.KindMap || r.Image == nil {
			t.Errorf("%q: %s without image", tc.q, r.Kind)
			continue
		}
		if r.Filter.Region != tc.region || r.Filter.Status != tc.status {
			t.Errorf("%q: filter %+v", tc.q, r.Filter)
		}
		if tc.country != "" && (r.Country == nil || r.Country.Code != tc.country) {
			t.Errorf("%q: country %+v, want %s", tc.q, r.Country, tc.country)
		}
		img := r.Image
		if !strings.HasSuffix(img.Path, "/"+tc.name+".png") || !strings.HasPrefix(img.Path, "/maps/"+testBot().Store().Digest()+"/") {
			t.Errorf("%q: path %q", tc.q, img.Path)
		}
		if len(img.PNG) > 400<<10 {
			t.Errorf("%q: PNG of %d bytes, over 400 KB", tc.q, len(img.PNG))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img.PNG))
		if err != nil || cfg.Width != 1600 || cfg.Height != 900 {
			t.Errorf("%q: PNG %v %dx%d", tc.q, err, cfg.Width, cfg.Height)
		}
		if img.Alt != r.Summary || !strings.HasPrefix(img.Alt, "Map of ") || !strings.Contains(img.Alt, "countries on record as of "+r.AsOf) {
			t.Errorf("%q: alt %q", tc.q, img.Alt)
		}
		if len(r.Results) == 0 {
			t.Errorf("%q: no results", tc.q)
		}
		got, ok := testBot().RenderedMap(testBot().Store().Digest(), tc.name)
		if !ok || !bytes.Equal(got.PNG, img.PNG) {
			t.Errorf("%q: RenderedMap(%s) = %v", tc.q, tc.name, ok)
		}
	}
	// Every country on record is shown on the world map, and counted.
	r := ask("map")
	if n := len(testBot().Store().Countries()); len(r.Results) != n || !strings.HasPrefix(r.Summary, "Map of "+itoa(n)+" countries") {
		t.Errorf("world map shows %d of %d countries: %s", len(r.Results), n, r.Summary)
	}
	if _, ok := testBot().RenderedMap("00000000", "world"); ok {
		t.Error("RenderedMap answers for other data")
	}
	fresh := bot.New(testBot().Store(), bot.Options{Now: testNow})
	if _, ok := fresh.RenderedMap(fresh.Store().Digest(), "world"); ok {
		t.Error("RenderedMap answers a map never drawn")
	}
	if r := ask("map atlantis"); r.Kind != bot.KindHelp || r.Notice == "" {
		t.Errorf("map atlantis = %s %q, want help with the problem", r.Kind, r.Notice)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkMapFirst draws a map as for the first request (a fresh bot).
func BenchmarkMapFirst(b *testing.B) {
	s := testBot().Store()
	b.ReportAllocs()
	for b.Loop() {
		nb := bot.New(s, bot.Options{Now: testNow})
		if r := nb.Handle(context.Background(), bot.Query{Text: "map"}); r.Image == nil {
			b.Fatal("no image")
		}
	}
}

// BenchmarkMapKept answers a map already drawn.
func BenchmarkMapKept(b *testing.B) {
	bt := testBot()
	bt.Handle(context.Background(), bot.Query{Text: "map"})
	b.ReportAllocs()
	for b.Loop() {
		if r := bt.Handle(context.Background(), bot.Query{Text: "map"}); r.Image == nil {
			b.Fatal("no image")
		}
	}
}

package worldmap

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/language"

	"github.com/agreementbot/agreementbot/knowledge"
)

// The colours the maps must show, written out here rather than taken from
// the package, so that a change of palette is a change the tests see.
var (
	okabeIto = []color.RGBA{
		{0xE6, 0x9F, 0x00, 0xFF}, {0x56, 0xB4, 0xE9, 0xFF}, {0x00, 0x9E, 0x73, 0xFF}, {0xF0, 0xE4, 0x42, 0xFF},
		{0x00, 0x72, 0xB2, 0xFF}, {0xD5, 0x5E, 0x00, 0xFF}, {0xCC, 0x79, 0xA7, 0xFF}, {0x88, 0x22, 0x55, 0xFF},
		{0x00, 0x00, 0x00, 0xFF},
	}
	neutral = color.RGBA{0xD4, 0xD4, 0xD4, 0xFF}
	water   = color.RGBA{0xE3, 0xEE, 0xF6, 0xFF}
)

const maxPNG = 400 << 10

// store is the real fact store, loaded once for all tests.
var store = sync.OnceValues(func() (*knowledge.Store, error) { return knowledge.Load(knowledge.Embedded()) })

// realSpec is a map of the countries on record, one category per status,
// as the bot will draw it.
func realSpec(tb testing.TB, view string) Spec {
	tb.Helper()
	st, err := store()
	if err != nil {
		tb.Fatal(err)
	}
	var cats []Category
	index := map[knowledge.Status]int{}
	for _, s := range knowledge.Statuses() {
		index[s] = len(cats)
		cats = append(cats, Category{Label: strings.ToUpper(string(s[:1])) + string(s[1:])})
	}
	s := Spec{
		View:          view,
		Title:         "Countries that agreed to take people deported from the US who are not their citizens",
		Categories:    cats,
		DisputedLabel: "Hatched: a government denied or contradicted a report",
		Footer:        []string{"Facts as of 2026-03-13", "Sources: agreementbot fact store; map data: Natural Earth"},
	}
	for _, c := range st.Countries() {
		s.Entries = append(s.Entries, Entry{Code: c.Code, Category: index[c.Status], Disputed: c.Disputed})
	}
	if len(s.Entries) < 30 {
		tb.Fatalf("the fact store has %d countries; the tests expect a realistic set", len(s.Entries))
	}
	return s
}

// render renders s and decodes the PNG, checking its size and dimensions.
func render(t *testing.T, s Spec) (*Image, *image.RGBA) {
	t.Helper()
	img, err := Render(s)
	if err != nil {
		t.Fatalf("Render(view %q): %v", s.View, err)
	}
	if len(img.PNG) > maxPNG {
		t.Errorf("view %q: PNG is %d bytes, want at most %d", s.View, len(img.PNG), maxPNG)
	}
	dec, err := png.Decode(bytes.NewReader(img.PNG))
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	if b := dec.Bounds(); b.Dx() != img.Width || b.Dy() != img.Height || b.Dx() != 1600 || b.Dy() != 900 {
		t.Errorf("PNG is %v, Image says %dx%d, want 1600x900", b, img.Width, img.Height)
	}
	rgba, ok := dec.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(dec.Bounds())
		draw.Draw(rgba, rgba.Rect, dec, image.Point{}, draw.Src)
	}
	if dir := os.Getenv("WORLDMAP_PNG_DIR"); dir != "" {
		name := fmt.Sprintf("%s-%s%s.png", t.Name(), img.View, s.Highlight)
		if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(name, "/", "-")), img.PNG, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img, rgba
}

// checkEntries checks that each entry drawn shows its category colour at
// its point, and that its point is on the image.
func checkEntries(t *testing.T, s Spec, img *Image, px *image.RGBA) {
	t.Helper()
	for _, e := range s.Entries {
		p, ok := img.Points[e.Code]
		if !ok {
			if !slices.Contains(img.Outside, e.Code) {
				t.Errorf("view %q: entry %s has no point and is not listed as outside", img.View, e.Code)
			}
			continue
		}
		if !p.In(px.Rect) {
			t.Errorf("view %q: %s's point %v is off the image", img.View, e.Code, p)
			continue
		}
		if got, want := px.RGBAAt(p.X, p.Y), okabeIto[e.Category]; got != want {
			t.Errorf("view %q: %s at %v is %v, want category %d's %v (dot: %v)", img.View, e.Code, p, got, e.Category, want, slices.Contains(img.Markers, e.Code))
		}
	}
	// Dots are whole, and above the legend, which they must not touch.
	legendTop := px.Rect.Max.Y
	for _, r := range img.Swatches {
		legendTop = min(legendTop, r.Min.Y)
	}
	for _, m := range img.Markers {
		p, ok := img.Points[m]
		if !ok {
			t.Errorf("view %q: marker %s has no point", img.View, m)
		}
		if p.Y+int(dotRadius) >= legendTop || p.X-int(dotRadius) < 0 || p.X+int(dotRadius) >= px.Rect.Max.X || p.Y-int(dotRadius) < 0 {
			t.Errorf("view %q: dot %s at %v is not whole above the legend (top %d)", img.View, m, p, legendTop)
		}
	}
}

// checkLegend checks that the swatches show the category colours, in
// order: left to right, row by row.
func checkLegend(t *testing.T, s Spec, img *Image, px *image.RGBA) {
	t.Helper()
	if len(img.Swatches) != len(s.Categories) {
		t.Fatalf("%d swatches for %d categories", len(img.Swatches), len(s.Categories))
	}
	for i, r := range img.Swatches {
		c := r.Min.Add(r.Size().Div(2))
		if got := px.RGBAAt(c.X, c.Y); got != okabeIto[i] {
			t.Errorf("swatch %d at %v is %v, want %v", i, c, got, okabeIto[i])
		}
		if i > 0 {
			prev := img.Swatches[i-1]
			if !(r.Min.Y == prev.Min.Y && r.Min.X > prev.Max.X || r.Min.Y > prev.Max.Y) {
				t.Errorf("swatch %d at %v does not follow swatch %d at %v", i, r, i-1, prev)
			}
		}
	}
}

func TestWorld(t *testing.T) {
	s := realSpec(t, "")
	img, px := render(t, s)
	if img.View != "world" {
		t.Errorf("View = %q, want world", img.View)
	}
	checkEntries(t, s, img, px)
	checkLegend(t, s, img, px)
	if len(img.Outside) > 0 {
		t.Errorf("on the world map, entries %v are outside", img.Outside)
	}
	// Small countries on record must be dots on the world map.
	for _, code := range []string{"PW", "KN", "DM", "LC", "AG", "GD", "VC", "XK", "SZ", "DJ", "CV"} {
		if slices.ContainsFunc(s.Entries, func(e Entry) bool { return e.Code == code }) && !slices.Contains(img.Markers, code) {
			t.Errorf("%s is not drawn as a dot on the world map (dots: %v)", code, img.Markers)
		}
	}
	// Dots must be apart from each other and inside the map.
	for i, a := range img.Markers {
		pa := img.Points[a]
		for _, b := range img.Markers[i+1:] {
			if d := pa.Sub(img.Points[b]); d.X*d.X+d.Y*d.Y < 16*16 {
				t.Errorf("dots %s at %v and %s at %v overlap", a, pa, b, img.Points[b])
			}
		}
	}
	// Big countries that are not entries are neutral grey where a shape
	// entry's point would be; their points come from a map where they are
	// the entries.
	probe := s
	probe.Entries = nil
	for _, code := range []string{"US", "CA", "BR", "CN", "RU", "AU", "IN", "DZ", "FR", "DE", "SA", "IR", "KZ", "ZA", "EG", "TZ", "SD", "CO", "VE", "NE", "TD"} {
		if slices.ContainsFunc(s.Entries, func(e Entry) bool { return e.Code == code }) {
			continue // on record now; not a probe
		}
		probe.Entries = append(probe.Entries, Entry{Code: code})
	}
	if len(probe.Entries) < 10 {
		t.Fatalf("only %d neutral probes", len(probe.Entries))
	}
	probe.Entries[0].Disputed = true // for the same legend, hence the same map frame
	if a, b := layout(s, mustFaces(t)).mapRect, layout(probe, mustFaces(t)).mapRect; a != b {
		t.Fatalf("the probe map's frame %v differs from the map's %v", b, a)
	}
	pimg, err := Render(probe)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range probe.Entries {
		p := pimg.Points[e.Code]
		if got := px.RGBAAt(p.X, p.Y); got != neutral {
			t.Errorf("%s (not an entry) at %v is %v, want neutral %v", e.Code, p, got, neutral)
		}
	}
	// Water: the middle of the Pacific and of the South Atlantic.
	a, _ := loadAtlas()
	fr := a.frame(view{name: "world"}, layout(s, mustFaces(t)).mapRect)
	for _, ll := range []lonlat{{-140, 0}, {-20, -30}} {
		p := fr.at(fr.rel(ll.lon), ll.lat)
		if got := px.RGBAAt(int(p.x), int(p.y)); got != water {
			t.Errorf("the sea at %v (%v) is %v, want %v", ll, p, got, water)
		}
	}
}

func mustFaces(t *testing.T) faces {
	f, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := f.faces()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestRegions(t *testing.T) {
	for _, v := range Views()[1:] {
		t.Run(v, func(t *testing.T) {
			s := realSpec(t, v)
			img, px := render(t, s)
			if img.View != v {
				t.Errorf("View = %q, want %q", img.View, v)
			}
			checkEntries(t, s, img, px)
			checkLegend(t, s, img, px)
			// Every entry of the region is drawn.
			for _, e := range s.Entries {
				in := ViewFor(e.Code) == v || v == "latin-america" && slices.Contains([]string{"caribbean", "central-america", "south-america"}, ViewFor(e.Code))
				if _, drawn := img.Points[e.Code]; in && !drawn {
					t.Errorf("%s is in %s but not drawn", e.Code, v)
				}
			}
		})
	}
}

// TestCaribbean checks that the island states on record are drawn on the
// Caribbean map, as shapes or dots, apart from each other.
func TestCaribbean(t *testing.T) {
	s := realSpec(t, "caribbean")
	img, _ := render(t, s)
	var n int
	for _, e := range s.Entries {
		if ViewFor(e.Code) != "caribbean" {
			continue
		}
		n++
		if _, ok := img.Points[e.Code]; !ok {
			t.Errorf("%s is not drawn on the Caribbean map", e.Code)
		}
	}
	if n < 4 {
		t.Errorf("only %d Caribbean entries on record; expected the island states", n)
	}
}

func TestDisputedHatched(t *testing.T) {
	s := Spec{
		View:       "africa",
		Categories: []Category{{"A"}},
		Entries:    []Entry{{Code: "CD", Disputed: true}, {Code: "AO"}},
	}
	img, px := render(t, s)
	checkEntries(t, s, img, px)
	count := func(code string) (other int) {
		p := img.Points[code]
		for dy := -6; dy <= 6; dy++ {
			for dx := -6; dx <= 6; dx++ {
				if px.RGBAAt(p.X+dx, p.Y+dy) != okabeIto[0] {
					other++
				}
			}
		}
		return other
	}
	if n := count("CD"); n < 20 {
		t.Errorf("disputed CD: %d hatch pixels around its point, want many", n)
	}
	if n := count("AO"); n != 0 {
		t.Errorf("undisputed AO: %d pixels around its point not its colour, want 0", n)
	}
}

func TestHighlight(t *testing.T) {
	s := Spec{Highlight: "MX", Categories: []Category{{"A"}}, Entries: []Entry{{Code: "MX"}, {Code: "GT"}}}
	img, px := render(t, s)
	if img.View != "central-america" {
		t.Errorf("View for highlight MX = %q, want central-america", img.View)
	}
	checkEntries(t, s, img, px)
	s.Highlight = ""
	s.View = "central-america"
	_, plain := render(t, s)
	dark := 0
	for i := 0; i < len(px.Pix); i += 4 {
		if !bytes.Equal(px.Pix[i:i+4], plain.Pix[i:i+4]) && px.Pix[i] < 0x40 && px.Pix[i+1] < 0x40 {
			dark++
		}
	}
	if dark < 1000 {
		t.Errorf("the highlight added %d dark pixels, want an outline of Mexico", dark)
	}
}

func TestErrors(t *testing.T) {
	cats := []Category{{"A"}}
	for _, c := range []struct {
		name string
		s    Spec
		want error
	}{
		{"view", Spec{View: "atlantis"}, ErrUnknownView},
		{"M49 code of no area", Spec{View: "998"}, ErrUnknownView},
		{"M49 code of a country", Spec{View: "840"}, ErrUnknownView},
		{"code", Spec{Categories: cats, Entries: []Entry{{Code: "QQ"}}}, ErrUnknownCode},
		{"lower case", Spec{Categories: cats, Entries: []Entry{{Code: "ug"}}}, ErrUnknownCode},
		{"empty code", Spec{Categories: cats, Entries: []Entry{{Code: ""}}}, ErrUnknownCode},
		{"highlight", Spec{Highlight: "QQ"}, ErrUnknownCode},
		{"category", Spec{Categories: cats, Entries: []Entry{{Code: "UG", Category: 1}}}, ErrInvalidSpec},
		{"negative category", Spec{Categories: cats, Entries: []Entry{{Code: "UG", Category: -1}}}, ErrInvalidSpec},
		{"twice", Spec{Categories: cats, Entries: []Entry{{Code: "UG"}, {Code: "UG"}}}, ErrInvalidSpec},
		{"categories", Spec{Categories: make([]Category, 10)}, ErrInvalidSpec},
	} {
		if img, err := Render(c.s); !errors.Is(err, c.want) || img != nil {
			t.Errorf("%s: Render = %v, %v, want error %v", c.name, img, err, c.want)
		}
	}
}

// TestStoreCodes checks that every country on record has a shape.
func TestStoreCodes(t *testing.T) {
	st, err := store()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Countries() {
		if !Has(c.Code) {
			t.Errorf("no shape for %s (%s)", c.Code, c.Name)
		}
	}
	for _, code := range []string{"XK", "PW", "KN", "VC", "NR", "MC", "VA", "SM", "LI", "AD", "MT", "SG", "BH", "MV", "SC", "KM", "ST", "MU", "TO", "WS", "KI", "FM", "MH"} {
		if !Has(code) {
			t.Errorf("Has(%q) = false, want a shape", code)
		}
	}
	for _, code := range []string{"", "QQ", "ug", "XX", "001"} {
		if Has(code) {
			t.Errorf("Has(%q) = true", code)
		}
	}
}

func TestViews(t *testing.T) {
	want := []string{"world", "africa", "asia", "europe", "oceania", "north-america", "central-america", "caribbean", "south-america", "latin-america"}
	if got := Views(); !slices.Equal(got, want) {
		t.Errorf("Views() = %q, want %q", got, want)
	}
}

func TestViewFor(t *testing.T) {
	for code, want := range map[string]string{
		"MX": "central-america", "BZ": "central-america", "GT": "central-america", "PA": "central-america",
		"CU": "caribbean", "PR": "caribbean", "KN": "caribbean", "TT": "caribbean",
		"CO": "south-america", "AR": "south-america", "GY": "south-america",
		"US": "north-america", "CA": "north-america", "GL": "north-america",
		"XK": "europe", "RU": "europe", "UA": "europe", "ES": "europe", "MD": "europe",
		"TR": "asia", "CY": "asia", "UZ": "asia", "KH": "asia", "BT": "asia",
		"UG": "africa", "CV": "africa", "SZ": "africa", "EG": "africa",
		"PW": "oceania", "AU": "oceania", "FJ": "oceania",
		"AQ": "world", "TF": "world", "QQ": "world", "": "world",
	} {
		if got := ViewFor(code); got != want {
			t.Errorf("ViewFor(%q) = %q, want %q", code, got, want)
		}
	}
	// Against x/text's M49 containment directly, for every shape.
	m49 := map[string]string{
		"africa": "002", "europe": "150", "asia": "142", "oceania": "009", "caribbean": "029",
		"central-america": "013", "south-america": "005", "north-america": "021",
	}
	latam := language.MustParseRegion("419")
	a, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for code := range a.byCode {
		v := ViewFor(code)
		r, err := language.ParseRegion(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if v == "world" {
			continue
		}
		n++
		if !language.MustParseRegion(m49[v]).Contains(r) {
			t.Errorf("ViewFor(%s) = %s, but M49 %s does not contain it", code, v, m49[v])
		}
		switch v {
		case "caribbean", "central-america", "south-america":
			if !latam.Contains(r) {
				t.Errorf("%s is in %s but not in Latin America (419)", code, v)
			}
		}
		for other, area := range m49 {
			if other != v && language.MustParseRegion(area).Contains(r) {
				t.Errorf("ViewFor(%s) = %s, but %s (%s) contains it too", code, v, other, area)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d shapes have a region view", n)
	}
}

// TestViewByM49 draws a view by its M49 code: a named view's code gives
// that view, and an area with no named view (Western Africa) is a view of
// its own, framed on its members: closer in than the africa view.
func TestViewByM49(t *testing.T) {
	cats := []Category{{"A"}}
	entries := []Entry{{Code: "GH"}, {Code: "SN"}}
	img, err := Render(Spec{View: "002", Categories: cats, Entries: entries})
	if err != nil || img.View != "africa" {
		t.Fatalf("Render(002) = %v, %v, want the africa view", img, err)
	}
	west, err := Render(Spec{View: "011", Categories: cats, Entries: entries})
	if err != nil || west.View != "011" {
		t.Fatalf("Render(011) = %v, %v, want the view 011", west, err)
	}
	apart := func(im *Image) float64 { // Ghana to Senegal, in pixels
		g, s := im.Points["GH"], im.Points["SN"]
		return math.Hypot(float64(g.X-s.X), float64(g.Y-s.Y))
	}
	if apart(west) < 1.25*apart(img) {
		t.Errorf("Ghana and Senegal are %.0f px apart in 011 and %.0f in africa; want 011 framed closer in", apart(west), apart(img))
	}
}

// TestConcurrent renders two maps at once; with -race it checks that the
// lazy loading and the fonts are safe to share.
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for _, v := range []string{"europe", "asia"} {
		wg.Go(func() {
			if _, err := Render(Spec{View: v, Categories: []Category{{"A"}}, Entries: []Entry{{Code: "UA"}, {Code: "KH"}}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

package worldmap

import "testing"

// BenchmarkFirstRender measures what the first map costs a fresh process:
// decoding the embedded shapes and parsing the fonts, then a world map.
func BenchmarkFirstRender(b *testing.B) {
	s := realSpec(b, "world")
	for b.Loop() {
		a, err := decodeAtlas(countriesBin)
		if err != nil {
			b.Fatal(err)
		}
		f, err := parseFonts()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.render(s, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender measures a map once the shapes and fonts are loaded.
func BenchmarkRender(b *testing.B) {
	for _, view := range []string{"world", "caribbean", "africa"} {
		b.Run(view, func(b *testing.B) {
			s := realSpec(b, view)
			for b.Loop() {
				if _, err := Render(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

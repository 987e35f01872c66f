package worldmap

import (
	"image"
	"image/color"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fonts are the Go fonts, parsed once on first use. An opentype.Font is
// safe for concurrent use; the faces made from it are not, so each render
// makes its own.
type fonts struct{ regular, bold *opentype.Font }

var loadFonts = sync.OnceValues(parseFonts)

func parseFonts() (*fonts, error) {
	r, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	b, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	return &fonts{regular: r, bold: b}, nil
}

// faces are the type sizes of one render.
type faces struct {
	title, label, footer font.Face
}

func (f *fonts) faces() (faces, error) {
	var fs faces
	for _, x := range []struct {
		dst  *font.Face
		font *opentype.Font
		size float64
	}{
		{&fs.title, f.bold, 30},
		{&fs.label, f.regular, 19},
		{&fs.footer, f.regular, 16},
	} {
		face, err := opentype.NewFace(x.font, &opentype.FaceOptions{Size: x.size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return fs, err
		}
		*x.dst = face
	}
	return fs, nil
}

func textWidth(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// ellipsize shortens s, with a trailing "…", to fit in w pixels.
func ellipsize(face font.Face, s string, w int) string {
	if textWidth(face, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; textWidth(face, t) <= w {
			return t
		}
	}
	return ""
}

// drawText draws s with its baseline's left end at (x, y).
func drawText(img *image.RGBA, face font.Face, col color.RGBA, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

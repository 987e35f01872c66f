package worldmap

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/vector"
)

// canvas draws antialiased shapes on an RGBA image. Fills go through
// golang.org/x/image/vector; discs and hatching, which are simple enough,
// are computed per pixel from distances.
type canvas struct {
	img *image.RGBA
	z   vector.Rasterizer
}

func newCanvas(w, h int, bg color.RGBA) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	c.fillRect(c.img.Rect, bg)
	return c
}

func (c *canvas) fillRect(r image.Rectangle, col color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.img.SetRGBA(x, y, col)
		}
	}
}

// fill paints the rings in col, within clip. The rasterizer adds up the
// rings' signed areas, so holes (wound the other way) stay empty, and two
// neighbours in one call meet without a seam.
func (c *canvas) fill(rings [][]vec, col color.RGBA, clip image.Rectangle) {
	r := ringsBox(rings).pixels(1, clip)
	if r.Empty() {
		return
	}
	c.begin(r)
	for _, ring := range rings {
		c.ring(ring, r)
	}
	c.z.Draw(c.img, r, image.NewUniform(col), image.Point{})
}

// strokeLines paints each polyline as a band w pixels wide.
func (c *canvas) strokeLines(lines [][]vec, w float64, col color.RGBA, clip image.Rectangle) {
	r := ringsBox(lines).pixels(w+1, clip)
	if r.Empty() {
		return
	}
	c.begin(r)
	for _, l := range lines {
		c.band(l, w, r)
	}
	c.z.Draw(c.img, r, image.NewUniform(col), image.Point{})
}

// strokeRings is strokeLines for closed rings.
func (c *canvas) strokeRings(rings [][]vec, w float64, col color.RGBA, clip image.Rectangle) {
	closed := make([][]vec, len(rings))
	for i, ring := range rings {
		closed[i] = append(ring[:len(ring):len(ring)], ring[0])
	}
	c.strokeLines(closed, w, col, clip)
}

func (c *canvas) begin(r image.Rectangle) {
	c.z.Reset(r.Dx(), r.Dy())
}

func (c *canvas) ring(ring []vec, r image.Rectangle) {
	if len(ring) < 3 {
		return
	}
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	c.z.MoveTo(float32(ring[0].x-ox), float32(ring[0].y-oy))
	for _, p := range ring[1:] {
		c.z.LineTo(float32(p.x-ox), float32(p.y-oy))
	}
	c.z.ClosePath()
}

// band adds, for each segment of a polyline, a rectangle w wide that
// reaches w/2 past both ends, so that joints have no notches. All the
// rectangles turn the same way, so where they overlap the rasterizer's
// coverage saturates instead of cancelling.
func (c *canvas) band(l []vec, w float64, r image.Rectangle) {
	off := vec{float64(r.Min.X), float64(r.Min.Y)}
	for i := 1; i < len(l); i++ {
		p, q := l[i-1].sub(off), l[i].sub(off)
		d := q.sub(p)
		n := d.len()
		if n < 1e-9 {
			continue
		}
		d = d.scale(w / 2 / n)
		nrm := vec{-d.y, d.x}
		a, b := p.sub(d), q.add(d)
		c.z.MoveTo(float32(a.x+nrm.x), float32(a.y+nrm.y))
		c.z.LineTo(float32(b.x+nrm.x), float32(b.y+nrm.y))
		c.z.LineTo(float32(b.x-nrm.x), float32(b.y-nrm.y))
		c.z.LineTo(float32(a.x-nrm.x), float32(a.y-nrm.y))
		c.z.ClosePath()
	}
}

// mask returns the coverage of the rings over the pixels of r.
func (c *canvas) mask(rings [][]vec, r image.Rectangle) *image.Alpha {
	m := image.NewAlpha(r)
	c.begin(r)
	for _, ring := range rings {
		c.ring(ring, r)
	}
	c.z.Draw(m, r, image.NewUniform(color.Opaque), image.Point{})
	return m
}

// outside paints col over the pixels of r outside the ring, leaving the
// inside as it is: it trims the world map to its outline.
func (c *canvas) outside(ring []vec, r image.Rectangle, col color.RGBA) {
	m := c.mask([][]vec{ring}, r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.blend(x, y, col, 1-float64(m.AlphaAt(x, y).A)/255)
		}
	}
}

// blend paints col over the pixel (x, y) with coverage a in [0, 1].
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if a <= 0 {
		return
	}
	if a >= 1 {
		c.img.SetRGBA(x, y, col)
		return
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+4 : i+4]
	p[0] = uint8(float64(p[0])*(1-a) + float64(col.R)*a + 0.5)
	p[1] = uint8(float64(p[1])*(1-a) + float64(col.G)*a + 0.5)
	p[2] = uint8(float64(p[2])*(1-a) + float64(col.B)*a + 0.5)
	p[3] = 255
}

// Hatching: diagonal lines (down to the left), hatchPeriod apart measured
// along x+y, hatchWidth wide. Each hatched area sets the lines' phase from
// an anchor pixel that falls midway between two lines, so that the anchor
// (an entry's reported point) shows the plain fill colour.
const (
	hatchPeriod = 8.0
	hatchWidth  = 1.6
)

// hatchCoverage is how much of pixel (x, y) the hatch lines anchored at
// pixel a cover.
func hatchCoverage(x, y int, a image.Point) float64 {
	u := float64(x+y-a.X-a.Y) - hatchPeriod/2
	m := math.Mod(u, hatchPeriod)
	if m < 0 {
		m += hatchPeriod
	}
	m = min(m, hatchPeriod-m) / math.Sqrt2 // distance to the nearest line
	return clamp01(hatchWidth/2 + 0.5 - m)
}

// hatch draws hatch lines in col over the rings, anchored at pixel a.
func (c *canvas) hatch(rings [][]vec, a image.Point, col color.RGBA, clip image.Rectangle) {
	r := ringsBox(rings).pixels(1, clip)
	if r.Empty() {
		return
	}
	m := c.mask(rings, r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if cov := float64(m.AlphaAt(x, y).A) / 255; cov > 0 {
				c.blend(x, y, col, cov*hatchCoverage(x, y, a))
			}
		}
	}
}

// disc paints a disc of radius rad centred on p; if hatch is set, hatch
// lines in hatchCol anchored at the pixel under p go over it.
func (c *canvas) disc(p vec, radius float64, col color.RGBA, hatch bool, hatchCol color.RGBA, clip image.Rectangle) {
	r := fbox{p.x, p.y, p.x, p.y}.pixels(radius+1, clip)
	anchor := image.Pt(int(math.Floor(p.x)), int(math.Floor(p.y)))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := math.Hypot(float64(x)+0.5-p.x, float64(y)+0.5-p.y)
			cov := clamp01(radius + 0.5 - d)
			c.blend(x, y, col, cov)
			if hatch {
				c.blend(x, y, hatchCol, cov*hatchCoverage(x, y, anchor))
			}
		}
	}
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

package worldmap

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// The image and its parts, in pixels.
const (
	width      = 1600
	height     = 900
	margin     = 24
	titleBand  = 64 // from the top to the map
	rowHeight  = 32 // a legend row
	footerLine = 22
	swatchW    = 30
	swatchH    = 20
)

// Colours, as 0xRRGGBB.
const (
	pageColour   = 0xFFFFFF
	waterColour  = 0xE3EEF6
	landColour   = 0xD4D4D4 // countries that are not entries
	borderColour = 0xFFFFFF
	inkColour    = 0x1A1A1A
	footColour   = 0x4D4D4D
)

// maxCategories is the number of colours in the palette.
const maxCategories = 9

// categoryColour is the colour of category i: the Okabe–Ito palette
// (Okabe and Ito, 2002), in its usual order but with black last, since
// black fill hides borders, and Paul Tol's wine before it as a ninth colour
// that colour-blind readers still tell from the others.
func categoryColour(i int) color.RGBA {
	return rgb([maxCategories]uint32{
		0xE69F00, // orange
		0x56B4E9, // sky blue
		0x009E73, // bluish green
		0xF0E442, // yellow
		0x0072B2, // blue
		0xD55E00, // vermillion
		0xCC79A7, // reddish purple
		0x882255, // wine (Tol)
		0x000000, // black
	}[i])
}

func rgb(c uint32) color.RGBA {
	return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xFF}
}

// hatchColour is dark on light fills and white on dark ones.
func hatchColour(fill color.RGBA) color.RGBA {
	if luminance(fill) < 0.3 {
		return rgb(0xFFFFFF)
	}
	return rgb(inkColour)
}

// luminance is the relative luminance of c (WCAG).
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Dots and their placement.
const (
	// minRadius is the smallest inscribed circle, in pixels, that a shape
	// must hold to be drawn as itself; smaller ones get a dot.
	minRadius  = 3.5
	dotRadius  = 8.0 // outer radius of a dot
	dotFill    = 5.0 // radius of its coloured part
	dotGap     = 2.0 // between two dots
	pointClear = 4.0 // between a dot and another entry's point
)

// check validates s and returns the view to draw.
func (a *atlas) check(s Spec) (view, error) {
	if len(s.Categories) > maxCategories {
		return view{}, fmt.Errorf("%w: %d categories, at most %d", ErrInvalidSpec, len(s.Categories), maxCategories)
	}
	seen := map[string]bool{}
	for _, e := range s.Entries {
		if _, ok := a.byCode[e.Code]; !ok || e.Code == "" {
			return view{}, fmt.Errorf("%w %q", ErrUnknownCode, e.Code)
		}
		if e.Category < 0 || e.Category >= len(s.Categories) {
			return view{}, fmt.Errorf("%w: entry %s has category %d of %d", ErrInvalidSpec, e.Code, e.Category, len(s.Categories))
		}
		if seen[e.Code] {
			return view{}, fmt.Errorf("%w: entry %s twice", ErrInvalidSpec, e.Code)
		}
		seen[e.Code] = true
	}
	if s.Highlight != "" {
		if _, ok := a.byCode[s.Highlight]; !ok {
			return view{}, fmt.Errorf("%w %q", ErrUnknownCode, s.Highlight)
		}
	}
	name := s.View
	if name == "" && s.Highlight != "" {
		name = viewFor(s.Highlight)
	}
	v, ok := lookupView(name)
	if !ok {
		return view{}, fmt.Errorf("%w %q", ErrUnknownView, s.View)
	}
	return v, nil
}

// scene is the map data projected for one render: polygons and borders in
// pixels, with what lies outside the map dropped.
type scene struct {
	rect    image.Rectangle
	polys   [][]pxPoly // per country
	borders [][]vec
}

type pxPoly struct {
	rings [][]vec
	box   fbox
	main  bool // the country's largest polygon (or a copy of it)
}

// project projects the atlas for the frame. The few polygons and arcs that
// step across the meridian opposite the view's centre (on the world map,
// parts of Russia and Fiji at ±180°) are projected from continuous
// longitudes, and once more shifted by a turn, so that each side of the
// map gets its part; the world map is then trimmed to its outline.
func (a *atlas) project(fr frame, rect image.Rectangle) *scene {
	sc := &scene{rect: rect, polys: make([][]pxPoly, len(a.countries))}
	arcs := make([][]vec, len(a.arcs))
	jumps := make([]bool, len(a.arcs))
	for i, arc := range a.arcs {
		pts := make([]vec, len(arc))
		var last float64
		for j, p := range arc {
			lon := fr.rel(p.lon)
			jumps[i] = jumps[i] || j > 0 && math.Abs(lon-last) > 180
			last = lon
			pts[j] = fr.at(lon, p.lat)
		}
		arcs[i] = pts
	}
	keep := func(ci int, pp pxPoly) {
		if pp.box = ringsBox(pp.rings[:1]); pp.box.overlaps(rect) {
			sc.polys[ci] = append(sc.polys[ci], pp)
		}
	}
	for ci, c := range a.countries {
		for pi, p := range c.polys {
			crosses := false
			for _, refs := range p.rings {
				for _, ref := range refs {
					crosses = crosses || jumps[mapdata.ArcIndex(ref)]
				}
			}
			if crosses {
				var rings [][]lonlat
				for _, refs := range p.rings {
					rings = append(rings, a.unwrapped(refs, fr.lon0, 0))
				}
				for _, shift := range turns(rings...) {
					pp := pxPoly{main: pi == c.main}
					for _, r := range rings {
						pp.rings = append(pp.rings, fr.pixels(shifted(r, shift)))
					}
					keep(ci, pp)
				}
				continue
			}
			pp := pxPoly{main: pi == c.main}
			for _, refs := range p.rings {
				pp.rings = append(pp.rings, mapdata.JoinArcs(arcs, refs))
			}
			keep(ci, pp)
		}
	}
	for i, arc := range arcs {
		switch {
		case a.cut[i]:
		case jumps[i]:
			pts := a.unwrapped([]int32{int32(i)}, fr.lon0, 0)
			for _, shift := range turns(pts) {
				sc.borders = append(sc.borders, fr.pixels(shifted(pts, shift)))
			}
		case ringsBox([][]vec{arc}).overlaps(rect):
			sc.borders = append(sc.borders, arc)
		}
	}
	return sc
}

func shifted(pts []lonlat, shift float64) []lonlat {
	if shift == 0 {
		return pts
	}
	out := make([]lonlat, len(pts))
	for i, p := range pts {
		out[i] = lonlat{p.lon + shift, p.lat}
	}
	return out
}

// turns returns the shifts, in degrees, that bring all of some rings with
// unwrapped longitudes onto the map: 0, and a turn either way if they pass
// ±180°.
func turns(rings ...[]lonlat) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rings {
		for _, p := range r {
			lo, hi = min(lo, p.lon), max(hi, p.lon)
		}
	}
	t := []float64{0}
	if hi > 180 {
		t = append(t, -360)
	}
	if lo < -180 {
		t = append(t, 360)
	}
	return t
}

// place finds where country ci is drawn. A country that can hold a circle
// of minRadius in view is drawn as itself, and at is its pole of
// inaccessibility (of whichever of its largest visible polygons holds the
// biggest circle). A country too small for that, wherever the map's edge
// falls, gets a dot at its own pole. ok is false if the country is not in
// view: its largest polygon is not on the map (only outlying islands are,
// as Mexico's Revillagigedo on the Oceania map), or it is big but only a
// sliver of it is in view.
func (sc *scene) place(ci int) (at vec, dot, ok bool) {
	var clipped, whole []sized
	mainSeen := false
	for _, p := range sc.polys[ci] {
		var rings [][]vec
		for _, r := range p.rings {
			if c := clipRing(r, sc.rect); len(c) >= 3 {
				rings = append(rings, thin(c, 0.5))
			} else if len(rings) == 0 {
				break // the outer ring is out of view
			}
		}
		if a := polygonArea(rings); a > 0.01 {
			clipped = append(clipped, sized{rings, a})
			whole = append(whole, sized{p.rings, polygonArea(p.rings)})
			mainSeen = mainSeen || p.main
		}
	}
	if !mainSeen {
		return vec{}, false, false
	}
	if at, r := bestLabel(clipped); r >= minRadius {
		return at, false, true
	}
	at, r := bestLabel(whole)
	inView := image.Pt(int(math.Floor(at.x)), int(math.Floor(at.y))).In(sc.rect)
	return at, true, r < minRadius && inView
}

// sized is a polygon with its area.
type sized struct {
	rings [][]vec
	area  float64
}

// bestLabel returns the pole of inaccessibility, and its distance to the
// edge, of whichever of the three largest polygons holds the biggest
// circle.
func bestLabel(ps []sized) (at vec, radius float64) {
	slices.SortStableFunc(ps, func(a, b sized) int { return cmp.Compare(b.area, a.area) })
	radius = -1
	for _, p := range ps[:min(3, len(ps))] {
		rings := make([][]vec, len(p.rings))
		for i, r := range p.rings {
			rings[i] = thin(r, 0.5)
		}
		if q, r := polylabel(rings, 0.25); r > radius {
			at, radius = q, r
		}
	}
	return at, radius
}

// placed is an entry (or the highlighted country) as it will be drawn.
type placed struct {
	code     string
	country  int
	cat      int // -1: not an entry, only highlighted
	disputed bool
	anchor   vec // where the country is
	dot      bool
	pos      vec // where it is drawn: the anchor, or the dot's centre
}

func (p *placed) fill() color.RGBA {
	if p.cat < 0 {
		return rgb(landColour)
	}
	return categoryColour(p.cat)
}

func (p *placed) point() image.Point {
	return image.Pt(int(math.Floor(p.pos.x)), int(math.Floor(p.pos.y)))
}

// spreadDots moves dots apart until none overlaps another or covers a
// shape entry's point, keeping them inside the map. It is deterministic:
// dots are taken in code order.
func spreadDots(ps []*placed, rect image.Rectangle) {
	var dots, fixed []*placed
	for _, p := range ps {
		if p.dot {
			dots = append(dots, p)
		} else {
			fixed = append(fixed, p)
		}
	}
	lo := vec{float64(rect.Min.X) + dotRadius + 2, float64(rect.Min.Y) + dotRadius + 2}
	hi := vec{float64(rect.Max.X) - dotRadius - 2, float64(rect.Max.Y) - dotRadius - 2}
	push := func(p, q *vec, need float64, both bool, i int) bool {
		d := q.sub(*p)
		dist := d.len()
		if dist >= need {
			return false
		}
		if dist < 1e-6 {
			// Coincident: part them in a direction that depends on i.
			a := float64(i) * 2.39996
			d, dist = vec{math.Cos(a), math.Sin(a)}, 1
		}
		step := d.scale((need - dist + 0.01) / dist)
		if both {
			*p = p.sub(step.scale(0.5))
			*q = q.add(step.scale(0.5))
		} else {
			*q = q.add(step)
		}
		return true
	}
	for iter := 0; iter < 300; iter++ {
		moved := false
		for i, p := range dots {
			for _, q := range dots[i+1:] {
				moved = push(&p.pos, &q.pos, 2*dotRadius+dotGap, true, i) || moved
			}
			for _, f := range fixed {
				fp := f.pos
				moved = push(&fp, &p.pos, dotRadius+pointClear, false, i) || moved
			}
		}
		for _, p := range dots {
			p.pos = vec{max(lo.x, min(hi.x, p.pos.x)), max(lo.y, min(hi.y, p.pos.y))}
		}
		if !moved {
			break
		}
	}
}

func (a *atlas) render(s Spec, f *fonts) (*Image, error) {
	v, err := a.check(s)
	if err != nil {
		return nil, err
	}
	fs, err := f.faces()
	if err != nil {
		return nil, err
	}
	lay := layout(s, fs)
	rect := lay.mapRect
	fr := a.frame(v, rect)
	sc := a.project(fr, rect)

	out := &Image{Width: width, Height: height, View: v.name, Points: map[string]image.Point{}}
	var ps []*placed
	outside := map[string]bool{}
	add := func(code string, cat int, disputed bool) *placed {
		ci := a.byCode[code]
		at, dot, ok := sc.place(ci)
		if !ok {
			return nil
		}
		p := &placed{code: code, country: ci, cat: cat, disputed: disputed, anchor: at, dot: dot, pos: at}
		ps = append(ps, p)
		return p
	}
	var hl *placed
	for _, e := range s.Entries {
		p := add(e.Code, e.Category, e.Disputed)
		if p == nil {
			outside[e.Code] = true
		}
		if e.Code == s.Highlight {
			hl = p
		}
	}
	if s.Highlight != "" && hl == nil && !outside[s.Highlight] {
		hl = add(s.Highlight, -1, false)
	}
	slices.SortFunc(ps, func(p, q *placed) int { return cmp.Compare(p.code, q.code) })
	spreadDots(ps, rect)

	c := newCanvas(width, height, rgb(pageColour))
	c.z.Reset(rect.Dx(), rect.Dy()) // the largest size it will need, allocated once
	a.drawMap(c, sc, fr, v, ps, hl, rect)
	drawDots(c, ps, hl, rect)
	lay.draw(c, s, fs, ps)

	for _, p := range ps {
		if p.cat < 0 {
			continue
		}
		out.Points[p.code] = p.point()
		if p.dot {
			out.Markers = append(out.Markers, p.code)
		}
	}
	out.Outside = sortedKeys(outside)
	out.Swatches = lay.swatches
	var buf bytes.Buffer
	// BestSpeed: on these flat-coloured maps it is about 5% larger than
	// the default level and several times faster (the default and best
	// levels took 0.5 s and more for a world map).
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.img); err != nil {
		return nil, err
	}
	out.PNG = buf.Bytes()
	return out, nil
}

// drawMap draws water, land, entries, hatching, borders and the highlight.
func (a *atlas) drawMap(c *canvas, sc *scene, fr frame, v view, ps []*placed, hl *placed, rect image.Rectangle) {
	c.fillRect(rect, rgb(waterColour))

	var land [][]vec
	for _, polys := range sc.polys {
		for _, p := range polys {
			land = append(land, p.rings...)
		}
	}
	c.fill(land, rgb(landColour), rect)

	for cat := range maxCategories {
		var rings [][]vec
		for _, p := range ps {
			if p.cat == cat {
				rings = append(rings, sc.rings(p.country)...)
			}
		}
		if rings != nil {
			c.fill(rings, categoryColour(cat), rect)
		}
	}
	for _, p := range ps {
		if p.disputed && !p.dot {
			c.hatch(sc.rings(p.country), p.point(), hatchColour(p.fill()), rect)
		}
	}

	bw := 0.7
	if v.m49 != "" {
		bw = 1.0
	}
	c.strokeLines(sc.borders, bw, rgb(borderColour), rect)

	if hl != nil && !hl.dot {
		c.strokeRings(sc.rings(hl.country), 2.5, rgb(inkColour), rect)
	}
	if v.m49 == "" {
		c.outside(worldOutline(fr), rect, rgb(pageColour))
	}
}

// worldOutline is the edge of the world map: the meridians ±180° between
// the map's southern and northern limits.
func worldOutline(fr frame) []vec {
	var ring []vec
	for lat := worldSouth; lat <= worldNorth; lat++ {
		ring = append(ring, fr.at(-180, lat))
	}
	for lat := worldNorth; lat >= worldSouth; lat-- {
		ring = append(ring, fr.at(180, lat))
	}
	return ring
}

func (sc *scene) rings(ci int) [][]vec {
	var out [][]vec
	for _, p := range sc.polys[ci] {
		out = append(out, p.rings...)
	}
	return out
}

// drawDots draws the dots, each with a thin line to where its country is
// if it had to move.
func drawDots(c *canvas, ps []*placed, hl *placed, rect image.Rectangle) {
	var leaders [][]vec
	for _, p := range ps {
		if p.dot && p.pos.sub(p.anchor).len() > 2 {
			leaders = append(leaders, []vec{p.anchor, p.pos})
		}
	}
	c.strokeLines(leaders, 1.2, rgb(inkColour), rect)
	for _, l := range leaders {
		c.disc(l[0], 2, rgb(inkColour), false, color.RGBA{}, rect)
	}
	for _, p := range ps {
		if !p.dot {
			continue
		}
		outer := dotRadius
		if p == hl {
			outer += 2.5
		}
		c.disc(p.pos, outer, rgb(inkColour), false, color.RGBA{}, rect)
		c.disc(p.pos, dotRadius-1.3, rgb(pageColour), false, color.RGBA{}, rect)
		c.disc(p.pos, dotFill, p.fill(), p.disputed, hatchColour(p.fill()), rect)
	}
}

// legendItem is one entry of the legend: a swatch and its text.
type legendItem struct {
	kind   int // itemCategory, itemHatch or itemDot
	cat    int
	text   string
	swatch image.Rectangle
	text0  image.Point // baseline start
}

const (
	itemCategory = iota
	itemHatch
	itemDot
)

type layoutResult struct {
	mapRect  image.Rectangle
	items    []legendItem
	swatches []image.Rectangle
	footerY  int
}

// layout places the title, the legend rows under the map, the footer, and
// gives the map what is left.
func layout(s Spec, fs faces) layoutResult {
	counts := make([]int, len(s.Categories))
	disputed := false
	for _, e := range s.Entries {
		counts[e.Category]++
		disputed = disputed || e.Disputed
	}
	var items []legendItem
	for i, cat := range s.Categories {
		if s.HideEmpty && counts[i] == 0 {
			continue
		}
		items = append(items, legendItem{kind: itemCategory, cat: i, text: cat.Label + " (" + strconv.Itoa(counts[i]) + ")"})
	}
	if disputed {
		label := s.DisputedLabel
		if label == "" {
			label = "Hatched: disputed"
		}
		items = append(items, legendItem{kind: itemHatch, text: label})
	}
	if len(s.Entries) > 0 {
		items = append(items, legendItem{kind: itemDot, text: "Dot: too small to see at this scale"})
	}

	// Flow the items into rows, then place the rows above the footer.
	maxW := width - 2*margin
	type row struct{ from, to int }
	var rows []row
	x := 0
	for i := range items {
		items[i].text = ellipsize(fs.label, items[i].text, maxW-swatchW-10)
		w := swatchW + 10 + textWidth(fs.label, items[i].text)
		if len(rows) == 0 || x > 0 && x+w > maxW {
			rows = append(rows, row{i, i})
			x = 0
		}
		items[i].swatch = image.Rect(margin+x, 0, margin+x+swatchW, swatchH)
		items[i].text0 = image.Pt(margin+x+swatchW+10, 0)
		rows[len(rows)-1].to = i + 1
		x += w + 36
	}
	footerH := len(s.Footer)*footerLine + 12
	legendTop := height - footerH - len(rows)*rowHeight
	for r, rw := range rows {
		y := legendTop + r*rowHeight
		for i := rw.from; i < rw.to; i++ {
			items[i].swatch = items[i].swatch.Add(image.Pt(0, y+6))
			items[i].text0 = items[i].text0.Add(image.Pt(0, y+6+swatchH-4))
		}
	}
	swatches := make([]image.Rectangle, len(s.Categories)) // empty for a hidden category
	for _, it := range items {
		if it.kind == itemCategory {
			swatches[it.cat] = it.swatch
		}
	}
	return layoutResult{
		mapRect:  image.Rect(margin, titleBand, width-margin, legendTop-8),
		items:    items,
		swatches: swatches,
		footerY:  height - footerH,
	}
}

// draw draws the title, the legend and the footer.
func (l layoutResult) draw(c *canvas, s Spec, fs faces, ps []*placed) {
	drawText(c.img, fs.title, rgb(inkColour), margin, 44, ellipsize(fs.title, s.Title, width-2*margin))
	anyDot := false
	for _, p := range ps {
		anyDot = anyDot || p.dot && p.cat >= 0
	}
	for _, it := range l.items {
		sw := it.swatch
		switch it.kind {
		case itemCategory:
			c.fillRect(sw, categoryColour(it.cat))
			outline(c, sw, rgb(0x808080))
		case itemHatch:
			c.fillRect(sw, rgb(landColour))
			anchor := sw.Min.Add(sw.Size().Div(2))
			for y := sw.Min.Y; y < sw.Max.Y; y++ {
				for x := sw.Min.X; x < sw.Max.X; x++ {
					c.blend(x, y, rgb(inkColour), hatchCoverage(x, y, anchor))
				}
			}
			outline(c, sw, rgb(0x808080))
		case itemDot:
			if !anyDot {
				continue
			}
			ctr := vec{float64(sw.Min.X+sw.Max.X) / 2, float64(sw.Min.Y+sw.Max.Y) / 2}
			c.disc(ctr, dotRadius, rgb(inkColour), false, color.RGBA{}, c.img.Rect)
			c.disc(ctr, dotRadius-1.3, rgb(pageColour), false, color.RGBA{}, c.img.Rect)
			c.disc(ctr, dotFill, rgb(0x808080), false, color.RGBA{}, c.img.Rect)
		}
		drawText(c.img, fs.label, rgb(inkColour), it.text0.X, it.text0.Y, it.text)
	}
	for i, line := range s.Footer {
		drawText(c.img, fs.footer, rgb(footColour), margin, l.footerY+(i+1)*footerLine-4, ellipsize(fs.footer, line, width-2*margin))
	}
}

// outline draws a one-pixel frame just inside r.
func outline(c *canvas, r image.Rectangle, col color.RGBA) {
	for x := r.Min.X; x < r.Max.X; x++ {
		c.img.SetRGBA(x, r.Min.Y, col)
		c.img.SetRGBA(x, r.Max.Y-1, col)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		c.img.SetRGBA(r.Min.X, y, col)
		c.img.SetRGBA(r.Max.X-1, y, col)
	}
}

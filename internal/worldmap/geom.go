package worldmap

import (
	"container/heap"
	"image"
	"math"
)

// vec is a point in pixels (x right, y down).
type vec struct{ x, y float64 }

func (p vec) sub(q vec) vec       { return vec{p.x - q.x, p.y - q.y} }
func (p vec) add(q vec) vec       { return vec{p.x + q.x, p.y + q.y} }
func (p vec) scale(k float64) vec { return vec{p.x * k, p.y * k} }
func (p vec) len() float64        { return math.Hypot(p.x, p.y) }

// fbox is a box in pixels.
type fbox struct{ x0, y0, x1, y1 float64 }

func emptyFbox() fbox { return fbox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b fbox) add(p vec) fbox {
	return fbox{min(b.x0, p.x), min(b.y0, p.y), max(b.x1, p.x), max(b.y1, p.y)}
}

// overlaps reports whether b meets the rectangle r.
func (b fbox) overlaps(r image.Rectangle) bool {
	return b.x0 < float64(r.Max.X) && b.x1 > float64(r.Min.X) && b.y0 < float64(r.Max.Y) && b.y1 > float64(r.Min.Y)
}

// pixels is the smallest rectangle of whole pixels that holds b, grown by
// pad, within r.
func (b fbox) pixels(pad float64, r image.Rectangle) image.Rectangle {
	if b.x0 > b.x1 {
		return image.Rectangle{}
	}
	return image.Rect(
		int(math.Floor(b.x0-pad)), int(math.Floor(b.y0-pad)),
		int(math.Ceil(b.x1+pad)), int(math.Ceil(b.y1+pad)),
	).Intersect(r)
}

func ringsBox(rings [][]vec) fbox {
	b := emptyFbox()
	for _, r := range rings {
		for _, p := range r {
			b = b.add(p)
		}
	}
	return b
}

// area is the signed area of a closed ring (the closing edge implied).
func area(r []vec) float64 {
	var s float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		s += p.x*q.y - q.x*p.y
	}
	return s / 2
}

// polygonArea is the area of a polygon: its outer ring less its holes.
func polygonArea(rings [][]vec) float64 {
	if len(rings) == 0 {
		return 0
	}
	s := math.Abs(area(rings[0]))
	for _, h := range rings[1:] {
		s -= math.Abs(area(h))
	}
	return max(s, 0)
}

// clipRing clips a ring to the rectangle r (Sutherland–Hodgman). The result
// may run along r's edges; that is fine for areas and label points.
func clipRing(ring []vec, r image.Rectangle) []vec {
	x0, y0, x1, y1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	edges := [...]struct {
		in  func(vec) bool
		cut func(p, q vec) vec
	}{
		{func(p vec) bool { return p.x >= x0 }, func(p, q vec) vec { return lerpX(p, q, x0) }},
		{func(p vec) bool { return p.x <= x1 }, func(p, q vec) vec { return lerpX(p, q, x1) }},
		{func(p vec) bool { return p.y >= y0 }, func(p, q vec) vec { return lerpY(p, q, y0) }},
		{func(p vec) bool { return p.y <= y1 }, func(p, q vec) vec { return lerpY(p, q, y1) }},
	}
	out := ring
	for _, e := range edges {
		in := out
		out = nil
		for i := range in {
			p, q := in[i], in[(i+1)%len(in)]
			switch pin, qin := e.in(p), e.in(q); {
			case pin && qin:
				out = append(out, q)
			case pin:
				out = append(out, e.cut(p, q))
			case qin:
				out = append(out, e.cut(p, q), q)
			}
		}
	}
	return out
}

func lerpX(p, q vec, x float64) vec {
	t := (x - p.x) / (q.x - p.x)
	return vec{x, p.y + t*(q.y-p.y)}
}

func lerpY(p, q vec, y float64) vec {
	t := (y - p.y) / (q.y - p.y)
	return vec{p.x + t*(q.x-p.x), y}
}

// thin drops points closer than d to the last point kept: label search
// needs no detail finer than a pixel.
func thin(ring []vec, d float64) []vec {
	if len(ring) < 8 {
		return ring
	}
	out := []vec{ring[0]}
	for _, p := range ring[1:] {
		if p.sub(out[len(out)-1]).len() >= d {
			out = append(out, p)
		}
	}
	return out
}

// polylabel finds the pole of inaccessibility of a polygon: the inside
// point farthest from its edges, and that distance (Agafonkin's algorithm,
// as in mapbox/polylabel). It is where a label, or a test's probe, is
// safest.
func polylabel(rings [][]vec, precision float64) (vec, float64) {
	b := ringsBox(rings[:1])
	w, h := b.x1-b.x0, b.y1-b.y0
	size := min(w, h)
	if size <= 0 {
		return vec{b.x0, b.y0}, 0
	}
	var q cellQueue
	push := func(c vec, half float64) {
		d := signedDistance(c, rings)
		heap.Push(&q, cell{c: c, h: half, d: d, max: d + half*math.Sqrt2})
	}
	half := size / 2
	for x := b.x0; x < b.x1; x += size {
		for y := b.y0; y < b.y1; y += size {
			push(vec{x + half, y + half}, half)
		}
	}
	best := cell{c: vec{(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2}}
	best.d = signedDistance(best.c, rings)
	if c := centroid(rings[0]); signedDistance(c, rings) > best.d {
		best = cell{c: c, d: signedDistance(c, rings)}
	}
	for q.Len() > 0 {
		c := heap.Pop(&q).(cell)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		h := c.h / 2
		push(vec{c.c.x - h, c.c.y - h}, h)
		push(vec{c.c.x + h, c.c.y - h}, h)
		push(vec{c.c.x - h, c.c.y + h}, h)
		push(vec{c.c.x + h, c.c.y + h}, h)
	}
	return best.c, best.d
}

type cell struct {
	c   vec
	h   float64 // half its size
	d   float64 // distance from its centre to the polygon (negative outside)
	max float64 // the most any point in it could have
}

type cellQueue []cell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].max > q[j].max }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)        { *q = append(*q, x.(cell)) }
func (q *cellQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// signedDistance is the distance from p to the nearest edge of the
// polygon, negative if p is outside it (even–odd rule).
func signedDistance(p vec, rings [][]vec) float64 {
	inside := false
	d2 := math.Inf(1)
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
				inside = !inside
			}
			d2 = min(d2, segmentDistance2(p, a, b))
		}
	}
	d := math.Sqrt(d2)
	if !inside {
		return -d
	}
	return d
}

func segmentDistance2(p, a, b vec) float64 {
	d := b.sub(a)
	l2 := d.x*d.x + d.y*d.y
	t := 0.0
	if l2 > 0 {
		t = max(0, min(1, ((p.x-a.x)*d.x+(p.y-a.y)*d.y)/l2))
	}
	e := p.sub(a.add(d.scale(t)))
	return e.x*e.x + e.y*e.y
}

func centroid(r []vec) vec {
	var cx, cy, s float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		f := p.x*q.y - q.x*p.y
		cx += (p.x + q.x) * f
		cy += (p.y + q.y) * f
		s += f * 3
	}
	if s == 0 {
		return r[0]
	}
	return vec{cx / s, cy / s}
}

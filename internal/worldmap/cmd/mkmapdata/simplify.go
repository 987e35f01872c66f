package main

import (
	"math"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// simplify reduces an arc with the Douglas–Peucker algorithm: it keeps the
// end points, then recursively the point farthest from the chord while that
// point is more than tol degrees away. Because arcs are simplified one by
// one, a border shared by two countries stays shared.
//
// If force is set, the farthest point of each half is kept whatever its
// distance, so that a ring made of this arc keeps an area: that is how
// small islands survive. A closed arc (an island drawn as one arc) is
// always forced.
func simplify(arc []mapdata.Point, scale [2]float64, tol float64, force bool) []mapdata.Point {
	pts := make([]mapdata.Point, 0, len(arc))
	for i, p := range arc {
		if i == 0 || p != arc[i-1] {
			pts = append(pts, p)
		}
	}
	n := len(pts)
	if n <= 2 {
		return pts
	}
	deg := func(p mapdata.Point) (float64, float64) {
		return float64(p.X) * scale[0], float64(p.Y) * scale[1]
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	var dp func(i, j int, force bool)
	dp = func(i, j int, force bool) {
		if j-i < 2 {
			return
		}
		ax, ay := deg(pts[i])
		bx, by := deg(pts[j])
		m, dmax := -1, -1.0
		for k := i + 1; k < j; k++ {
			px, py := deg(pts[k])
			if d := segmentDistance(px, py, ax, ay, bx, by); d > dmax {
				m, dmax = k, d
			}
		}
		if dmax > tol || force {
			keep[m] = true
			dp(i, m, false)
			dp(m, j, false)
		}
	}
	if pts[0] == pts[n-1] {
		// A closed arc has no chord: split it at the point farthest from
		// its start and treat the halves as arcs, each forced.
		ax, ay := deg(pts[0])
		far, dmax := 0, -1.0
		for k := 1; k < n-1; k++ {
			px, py := deg(pts[k])
			if d := math.Hypot(px-ax, py-ay); d > dmax {
				far, dmax = k, d
			}
		}
		keep[far] = true
		dp(0, far, true)
		dp(far, n-1, true)
	} else {
		dp(0, n-1, force)
	}
	out := pts[:0]
	for k, p := range pts {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

// segmentDistance is the distance from p to the segment ab.
func segmentDistance(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = max(0, min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

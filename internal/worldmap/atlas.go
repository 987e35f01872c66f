package worldmap

import (
	_ "embed"
	"fmt"
	"math"
	"sync"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// countriesBin is Natural Earth's 1:50m country shapes; data/README.md says
// where they come from and how to redo them.
//
//go:embed data/countries.bin
var countriesBin []byte

// loadAtlas decodes the embedded shapes on first use, not at init, so that a
// bot that never draws a map never pays for them.
var loadAtlas = sync.OnceValues(func() (*atlas, error) { return decodeAtlas(countriesBin) })

type lonlat struct{ lon, lat float64 }

// geoBox is a box in degrees.
type geoBox struct{ minLon, minLat, maxLon, maxLat float64 }

func emptyBox() geoBox { return geoBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b geoBox) union(c geoBox) geoBox {
	return geoBox{min(b.minLon, c.minLon), min(b.minLat, c.minLat), max(b.maxLon, c.maxLon), max(b.maxLat, c.maxLat)}
}

func (b geoBox) intersect(c geoBox) geoBox {
	return geoBox{max(b.minLon, c.minLon), max(b.minLat, c.minLat), min(b.maxLon, c.maxLon), min(b.maxLat, c.maxLat)}
}

// gap is how far apart two boxes are, in degrees: 0 if they touch or
// overlap, else the larger of the gaps along each axis.
func (b geoBox) gap(c geoBox) float64 {
	dx := max(0, c.minLon-b.maxLon, b.minLon-c.maxLon)
	dy := max(0, c.minLat-b.maxLat, b.minLat-c.maxLat)
	return max(dx, dy)
}

// shift moves the box by whole turns so that its centre lies within 180°
// of lon0. Boxes are made from unwrapped longitudes, so a shape across the
// antimeridian (Fiji) has one box, which may pass ±180°.
func (b geoBox) shift(lon0 float64) geoBox {
	c := (b.minLon + b.maxLon) / 2
	d := 360 * math.Round((c-lon0)/360)
	return geoBox{b.minLon - d, b.minLat, b.maxLon - d, b.maxLat}
}

// atlas is the decoded shape data. It is built once and only read after.
type atlas struct {
	arcs      [][]lonlat
	cut       []bool // the arc runs along the antimeridian: a cut, not a border
	countries []country
	byCode    map[string]int
}

type country struct {
	code, name string
	polys      []polygon
	main       int // index of the largest polygon
}

type polygon struct {
	rings [][]int32 // arc references, as in mapdata
	box   geoBox    // of the outer ring, longitudes unwrapped (so may pass ±180°)
	area  float64   // rough area of the outer ring, in square degrees at the equator
}

func decodeAtlas(b []byte) (*atlas, error) {
	m, err := mapdata.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("worldmap: embedded map data: %w", err)
	}
	a := &atlas{
		arcs:   make([][]lonlat, len(m.Arcs)),
		cut:    make([]bool, len(m.Arcs)),
		byCode: make(map[string]int, len(m.Features)),
	}
	for i, arc := range m.Arcs {
		pts := make([]lonlat, len(arc))
		cut := true
		for j, p := range arc {
			lon, lat := m.Lonlat(p)
			pts[j] = lonlat{lon, lat}
			cut = cut && math.Abs(lon) > 179.99
		}
		a.arcs[i] = pts
		a.cut[i] = cut
	}
	a.countries = make([]country, len(m.Features))
	for i, f := range m.Features {
		c := country{code: f.Code, name: f.Name}
		for _, rings := range f.Polygons {
			p := polygon{rings: rings, box: emptyBox()}
			var area2 float64
			outer := a.unwrapped(rings[0], 0, 0)
			for j, q := range outer {
				p.box = p.box.union(geoBox{q.lon, q.lat, q.lon, q.lat})
				if j > 0 {
					prev := outer[j-1]
					area2 += (prev.lon - q.lon) * (prev.lat + q.lat) * math.Cos((prev.lat+q.lat)*math.Pi/360)
				}
			}
			p.area = math.Abs(area2) / 2
			if len(c.polys) > 0 && p.area > c.polys[c.main].area {
				c.main = len(c.polys)
			}
			c.polys = append(c.polys, p)
		}
		if f.Code != "" {
			a.byCode[f.Code] = i
		}
		a.countries[i] = c
	}
	return a, nil
}

// unwrapped returns the points of the ring made of the arcs refs, with
// longitudes taken relative to lon0, made continuous (a step from 179.9°
// to -180° becomes one to 180.1°), then shifted by shift degrees.
func (a *atlas) unwrapped(refs []int32, lon0, shift float64) []lonlat {
	out := mapdata.JoinArcs(a.arcs, refs)
	f := frame{lon0: lon0}
	var last float64 // the last relative longitude, before unwrapping
	for i, p := range out {
		lon := f.rel(p.lon)
		if i > 0 {
			switch d := lon - last; {
			case d > 180:
				shift -= 360
			case d < -180:
				shift += 360
			}
		}
		last = lon
		out[i] = lonlat{lon + shift, p.lat}
	}
	return out
}

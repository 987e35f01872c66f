package worldmap

import (
	"image"
	"math"

	"golang.org/x/text/language"
)

// view is a named part of the world that a map can show.
type view struct {
	name string
	m49  string // the UN M49 area whose members frame the view; "" for the world
	// limit, if set, clips the box framed by the members (in degrees, with
	// longitudes around the members' mean): it keeps a member that reaches
	// far away (Russia to the Pacific, for Europe) from shrinking the
	// region.
	limit *geoBox
	// union marks a view made of other views (Latin America); ViewFor
	// never picks it.
	union bool
}

// views lists the views in the order Views reports them. The M49 areas of
// the views that are not unions do not overlap.
func views() []view {
	return []view{
		{name: "world"},
		{name: "africa", m49: "002"},
		{name: "asia", m49: "142"},
		{name: "europe", m49: "150", limit: &geoBox{-25, 34, 45, 71.5}},
		{name: "oceania", m49: "009"},
		{name: "north-america", m49: "021"},
		{name: "central-america", m49: "013"},
		{name: "caribbean", m49: "029"},
		{name: "south-america", m49: "005"},
		{name: "latin-america", m49: "419", union: true},
	}
}

// lookupView finds a view by its name or by its UN M49 code. Any other
// M49 area x/text knows ("011", Western Africa) is a view of its own,
// named by its code and framed on its members.
func lookupView(name string) (view, bool) {
	if name == "" {
		name = "world"
	}
	for _, v := range views() {
		if v.name == name || v.m49 == name {
			return v, true
		}
	}
	if r, err := language.ParseRegion(name); err == nil && r.IsGroup() && len(name) == 3 {
		return view{name: name, m49: name}, true
	}
	return view{}, false
}

// contains reports whether the country code is a member of the view, by
// UN M49 containment as golang.org/x/text/language knows it. CLDR's
// "Outlying Oceania" (QO), which x/text puts inside Oceania although M49
// does not (Antarctica, Heard Island, the French Southern Territories, the
// Chagos, Christmas and Cocos Islands, the US Minor Outlying Islands), is
// in no region view.
func (v view) contains(code string) bool {
	if v.m49 == "" {
		return true
	}
	r, err := language.ParseRegion(code)
	if err != nil || language.MustParseRegion("QO").Contains(r) {
		return false
	}
	return language.MustParseRegion(v.m49).Contains(r)
}

// Frame parameters, in degrees and pixels.
const (
	nearMain   = 10.0 // a member's polygon this close to the region's core counts for framing
	regionPad  = 0.04 // share of the framed size added on each side
	worldSouth = -60.0
	worldNorth = 84.0
	worldPad   = 6.0
)

// frame returns the placement that shows the view in rect.
func (a *atlas) frame(v view, rect image.Rectangle) frame {
	if v.m49 == "" {
		xMax, _ := equalEarth(180, 0)
		_, yTop := equalEarth(0, worldNorth)
		_, yBottom := equalEarth(0, worldSouth)
		return fit(0, -xMax, yBottom, xMax, yTop, rect, worldPad/float64(rect.Dx()))
	}
	box := a.regionBox(v)
	lon0 := (box.minLon + box.maxLon) / 2
	half := (box.maxLon - box.minLon) / 2
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	const steps = 32
	for i := 0; i <= steps; i++ {
		t := float64(i) / steps
		lon := -half + t*2*half
		lat := box.minLat + t*(box.maxLat-box.minLat)
		for _, q := range [...]lonlat{{lon, box.minLat}, {lon, box.maxLat}, {-half, lat}, {half, lat}} {
			x, y := equalEarth(q.lon, q.lat)
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	return fit(lon0, x0, y0, x1, y1, rect, regionPad)
}

// fit scales the projected box (x0, y0)-(x1, y1) to fill rect, keeping its
// aspect, with pad (a share of the box's size) on each side, and centres
// it.
func fit(lon0, x0, y0, x1, y1 float64, rect image.Rectangle, pad float64) frame {
	bw, bh := x1-x0, y1-y0
	x0, x1 = x0-pad*bw, x1+pad*bw
	y0, y1 = y0-pad*bh, y1+pad*bh
	w, h := float64(rect.Dx()), float64(rect.Dy())
	s := min(w/(x1-x0), h/(y1-y0))
	cx, cy := (x0+x1)/2, (y0+y1)/2
	return frame{
		lon0: lon0,
		x0:   cx - w/2/s, y1: cy + h/2/s, s: s,
		ox: float64(rect.Min.X), oy: float64(rect.Min.Y),
	}
}

// regionBox is the box, in degrees, that a region view frames: the
// members' largest polygons make the core; any of their other polygons
// within nearMain degrees of it are added (Corsica and Sicily, but not
// Hawaii or Easter Island); then the view's limit, if any, clips it.
// Longitudes are shifted to lie around the members' mean longitude, so a
// region across the antimeridian (Oceania) comes out whole.
func (a *atlas) regionBox(v view) geoBox {
	var members []*country
	var sx, sy float64
	for i := range a.countries {
		c := &a.countries[i]
		if c.code == "" || !v.contains(c.code) {
			continue
		}
		members = append(members, c)
		b := c.polys[c.main].box
		lon := (b.minLon + b.maxLon) / 2 * rad
		sx, sy = sx+math.Cos(lon), sy+math.Sin(lon)
	}
	lon0 := math.Atan2(sy, sx) / rad
	core := emptyBox()
	for _, c := range members {
		core = core.union(c.polys[c.main].box.shift(lon0))
	}
	box := core
	for _, c := range members {
		for _, p := range c.polys {
			if b := p.box.shift(lon0); b.gap(core) <= nearMain {
				box = box.union(b)
			}
		}
	}
	if v.limit != nil {
		box = box.intersect(*v.limit)
	}
	return box
}

// viewFor returns the region view of a country, or "world".
func viewFor(code string) string {
	for _, v := range views() {
		if v.m49 != "" && !v.union && v.contains(code) {
			return v.name
		}
	}
	return "world"
}

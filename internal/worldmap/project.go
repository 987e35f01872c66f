package worldmap

import "math"

const rad = math.Pi / 180

// Every view uses the Equal Earth projection (Šavrič, Patterson and Jenny,
// 2018), an equal-area projection made for world maps: the world view
// centred on Greenwich, a region view centred on the region's middle
// meridian and cropped to it. One projection for all keeps shapes familiar
// and has no horizon: a region view's margins show the neighbouring land
// as the world map would, not stretched as an azimuthal projection
// stretches it 90° from its centre.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

// equalEarth projects a longitude relative to the central meridian, and a
// latitude, in degrees.
func equalEarth(lon, lat float64) (x, y float64) {
	t := math.Asin(math.Sqrt(3) / 2 * math.Sin(lat*rad))
	t2 := t * t
	t6 := t2 * t2 * t2
	x = 2 * math.Sqrt(3) * lon * rad * math.Cos(t) / (3 * (9*eeA4*t6*t2 + 7*eeA3*t6 + 3*eeA2*t2 + eeA1))
	y = t * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// frame places the projection on the image: a view's central meridian,
// and pixel = (x-x0)*s + ox, (y1-y)*s + oy.
type frame struct {
	lon0      float64
	x0, y1, s float64 // the projected left and top, and pixels per unit
	ox, oy    float64 // the pixel they go to
}

// rel is lon relative to the central meridian, within [-180, 180]; ±180
// itself is kept as it is, since Natural Earth draws the cut there from
// both sides.
func (f frame) rel(lon float64) float64 {
	d := lon - f.lon0
	if d > 180 {
		d -= 360
	} else if d < -180 {
		d += 360
	}
	return d
}

// at is the pixel of a longitude already relative to the central
// meridian; it may lie outside [-180, 180] for the shapes that the world
// map wraps.
func (f frame) at(rel, lat float64) vec {
	x, y := equalEarth(rel, lat)
	return vec{(x-f.x0)*f.s + f.ox, (f.y1-y)*f.s + f.oy}
}

// pixels projects points whose longitudes are relative already.
func (f frame) pixels(pts []lonlat) []vec {
	out := make([]vec, len(pts))
	for i, p := range pts {
		out[i] = f.at(p.lon, p.lat)
	}
	return out
}

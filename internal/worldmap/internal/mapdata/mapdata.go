// Package mapdata is the compact binary form of the country shapes that
// package worldmap embeds: its types, its encoder (used by the conversion
// program mkmapdata) and its decoder (used by worldmap at run time).
//
// The form keeps TopoJSON's idea of shared arcs, so that a border between two
// countries is stored, and can be stroked, once. It knows nothing of
// projections, drawing or country facts.
//
// Layout (all integers are varints as in encoding/binary; "signed" means
// zigzag, as binary.PutVarint writes):
//
//	magic    "WMAP1\n"
//	scale    2 × float64 bits, little endian (degrees per unit: lon, lat)
//	offset   2 × float64 bits, little endian (degrees: lon, lat)
//	arcs     count; per arc: point count, first point (signed x, signed y),
//	         then each next point as a signed delta from the one before
//	features count; per feature: code (length, bytes), name (length, bytes),
//	         polygon count; per polygon: ring count; per ring: arc count,
//	         then signed arc references (i, or ^i for arc i reversed)
package mapdata

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

const magic = "WMAP1\n"

// Point is a position on the quantized grid: longitude is
// X*Scale[0]+Offset[0] degrees, latitude Y*Scale[1]+Offset[1].
type Point struct{ X, Y int32 }

// Atlas is a set of country shapes over shared arcs.
type Atlas struct {
	Scale, Offset [2]float64
	Arcs          [][]Point
	Features      []Feature
}

// Feature is one country (or, with an empty Code, a piece of land that has no
// code of its own, such as Natural Earth's Somaliland).
type Feature struct {
	Code string // ISO 3166-1 alpha-2, XK for Kosovo, or ""
	Name string // Natural Earth's short name, for people reading dumps
	// Polygons holds, per polygon, its rings (the first is the outer ring,
	// the others holes), each a list of arc references: i for arc i as
	// stored, ^i for arc i reversed. Consecutive arcs share an end point.
	Polygons [][][]int32
}

// Lonlat returns the position of p in degrees.
func (a *Atlas) Lonlat(p Point) (lon, lat float64) {
	return float64(p.X)*a.Scale[0] + a.Offset[0], float64(p.Y)*a.Scale[1] + a.Offset[1]
}

// ErrFormat is returned, wrapped, for data that is not a valid atlas.
var ErrFormat = errors.New("mapdata: invalid data")

// Encode returns the binary form of a. It fails if a feature refers to an
// arc that does not exist.
func (a *Atlas) Encode() ([]byte, error) {
	var b []byte
	b = append(b, magic...)
	for _, f := range [...]float64{a.Scale[0], a.Scale[1], a.Offset[0], a.Offset[1]} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	b = binary.AppendUvarint(b, uint64(len(a.Arcs)))
	for _, arc := range a.Arcs {
		b = binary.AppendUvarint(b, uint64(len(arc)))
		var prev Point
		for _, p := range arc {
			b = binary.AppendVarint(b, int64(p.X)-int64(prev.X))
			b = binary.AppendVarint(b, int64(p.Y)-int64(prev.Y))
			prev = p
		}
	}
	b = binary.AppendUvarint(b, uint64(len(a.Features)))
	for _, f := range a.Features {
		b = appendString(b, f.Code)
		b = appendString(b, f.Name)
		b = binary.AppendUvarint(b, uint64(len(f.Polygons)))
		for _, poly := range f.Polygons {
			b = binary.AppendUvarint(b, uint64(len(poly)))
			for _, ring := range poly {
				b = binary.AppendUvarint(b, uint64(len(ring)))
				for _, ref := range ring {
					if i := ArcIndex(ref); i >= len(a.Arcs) {
						return nil, fmt.Errorf("mapdata: feature %q refers to arc %d of %d", f.Code+f.Name, i, len(a.Arcs))
					}
					b = binary.AppendVarint(b, int64(ref))
				}
			}
		}
	}
	return b, nil
}

// ArcIndex is the arc a reference names: TopoJSON writes arc i reversed
// as ^i (that is, -i-1).
func ArcIndex(ref int32) int {
	if ref < 0 {
		return int(^ref)
	}
	return int(ref)
}

// JoinArcs returns the points of a ring made of the arcs refs name, each
// reversed where its reference says so. Each arc after the first starts
// where the one before ended, so its first point is dropped.
func JoinArcs[P any](arcs [][]P, refs []int32) []P {
	var out []P
	for k, ref := range refs {
		start := len(out)
		out = append(out, arcs[ArcIndex(ref)]...)
		if ref < 0 {
			slices.Reverse(out[start:])
		}
		if k > 0 && len(out) > start {
			out = slices.Delete(out, start, start+1)
		}
	}
	return out
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Decode parses the binary form written by Encode. Malformed input yields an
// error wrapping ErrFormat, never a panic.
func Decode(data []byte) (*Atlas, error) {
	if !bytes.HasPrefix(data, []byte(magic)) {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	r := reader{b: data[len(magic):]}
	a := new(Atlas)
	for _, f := range [...]*float64{&a.Scale[0], &a.Scale[1], &a.Offset[0], &a.Offset[1]} {
		*f = math.Float64frombits(r.u64())
	}
	a.Arcs = make([][]Point, r.count(1))
	for i := range a.Arcs {
		arc := make([]Point, r.count(2))
		var x, y int64
		for j := range arc {
			x += r.varint()
			y += r.varint()
			if x != int64(int32(x)) || y != int64(int32(y)) {
				r.fail("coordinate out of range")
			}
			arc[j] = Point{int32(x), int32(y)}
		}
		a.Arcs[i] = arc
	}
	a.Features = make([]Feature, r.count(3))
	for i := range a.Features {
		f := &a.Features[i]
		f.Code = r.str()
		f.Name = r.str()
		f.Polygons = make([][][]int32, r.count(1))
		for j := range f.Polygons {
			poly := make([][]int32, r.count(1))
			for k := range poly {
				ring := make([]int32, r.count(1))
				for l := range ring {
					v := r.varint()
					if v != int64(int32(v)) || ArcIndex(int32(v)) >= len(a.Arcs) {
						r.fail("arc reference out of range")
						v = 0
					}
					ring[l] = int32(v)
				}
				poly[k] = ring
			}
			f.Polygons[j] = poly
		}
	}
	if r.err == nil && len(r.b) > 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	return a, nil
}

// reader reads varints from b, recording the first error and reading zeros
// after it, so that Decode checks once at the end.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrFormat, what)
	}
	r.b = nil
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("truncated or overlong varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("truncated or overlong varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length whose items take at least min bytes each, so that a
// corrupt count cannot make Decode allocate more than the input can fill.
func (r *reader) count(min int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)/min) {
		r.fail("count larger than the data")
		return 0
	}
	return int(v)
}

func (r *reader) str() string {
	n := r.count(1)
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

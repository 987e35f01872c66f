// Command mkmapdata converts the Natural Earth country shapes that the npm
// package world-atlas ships as TopoJSON (countries-50m.json) into the compact
// file that package worldmap embeds (internal/worldmap/data/countries.bin).
//
// It decodes the quantized, delta-encoded arcs; gives each country its ISO
// 3166-1 alpha-2 code (world-atlas ids are ISO numeric codes; Kosovo, which
// has none, is matched by name and gets XK); merges features that share a
// code (Australia and its Ashmore and Cartier Islands); keeps the few pieces
// of land without a code (Somaliland, Northern Cyprus, ...) as uncoded land
// so that the map has no holes; simplifies each arc with Douglas–Peucker,
// never dropping an island; and writes the result in package mapdata's form.
//
// It is run by hand when the map data is to be redone, never by go generate;
// internal/worldmap/data/README.md gives the exact command. Usage:
//
//	mkmapdata -in countries-50m.json -out internal/worldmap/data/countries.bin
package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// pinnedSHA256 is the hash of countries-50m.json in world-atlas 2.0.2, so
// that a rerun from a different file is noticed.
const pinnedSHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mkmapdata:", err)
		os.Exit(1)
	}
}

func run(args []string, log io.Writer) error {
	fs := flag.NewFlagSet("mkmapdata", flag.ContinueOnError)
	fs.SetOutput(log)
	in := fs.String("in", "", "world-atlas countries-50m.json")
	out := fs.String("out", "", "file to write (internal/worldmap/data/countries.bin)")
	tol := fs.Float64("tolerance", 0.01, "simplification tolerance in degrees")
	anyInput := fs.Bool("any", false, "accept an input whose SHA-256 is not world-atlas 2.0.2's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("need -in and -out")
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != pinnedSHA256 && !*anyInput {
		return fmt.Errorf("%s has SHA-256 %s, not world-atlas 2.0.2's %s (use -any to accept it)", *in, got, pinnedSHA256)
	}
	scale, offset, arcs, shapes, err := decodeTopology(data, "countries")
	if err != nil {
		return err
	}
	atlas, st, err := convert(scale, offset, arcs, shapes, *tol)
	if err != nil {
		return err
	}
	b, err := atlas.Encode()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "%d features (%d with a code; without: %s), %d arcs, %d points kept of %d, %d bytes written to %s\n",
		len(atlas.Features), st.coded, strings.Join(st.uncoded, ", "), len(atlas.Arcs), st.pointsOut, st.pointsIn, len(b), *out)
	return nil
}

type stats struct {
	coded               int
	uncoded             []string
	pointsIn, pointsOut int
}

// code returns the alpha-2 code for a world-atlas id, or "" for land that
// has none.
func code(id, name string) (string, error) {
	if id == "" {
		if name == "Kosovo" {
			return "XK", nil
		}
		return "", nil
	}
	r, err := language.ParseRegion(id)
	if err != nil {
		return "", fmt.Errorf("id %q (%s): %w", id, name, err)
	}
	c := r.String()
	if len(c) != 2 || !r.IsCountry() {
		return "", fmt.Errorf("id %q (%s) is region %q, not a country", id, name, c)
	}
	return c, nil
}

// convert turns decoded shapes into an atlas: codes, merged features,
// simplified arcs, unused arcs dropped.
func convert(scale, offset [2]float64, arcs [][]mapdata.Point, shapes []shape, tol float64) (*mapdata.Atlas, stats, error) {
	var st stats
	var feats []mapdata.Feature
	byCode := map[string]int{}
	rings := map[string]int{} // rings per feature, to name merged features after the biggest part
	for _, s := range shapes {
		c, err := code(s.ID, s.Name)
		if err != nil {
			return nil, st, err
		}
		n := 0
		for _, p := range s.Polygons {
			n += len(p)
		}
		if i, ok := byCode[c]; ok && c != "" {
			if n > rings[c] {
				feats[i].Name = s.Name
			}
			rings[c] += n
			feats[i].Polygons = append(feats[i].Polygons, s.Polygons...)
			continue
		}
		if c != "" {
			byCode[c] = len(feats)
			rings[c] = n
		} else {
			st.uncoded = append(st.uncoded, s.Name)
		}
		feats = append(feats, mapdata.Feature{Code: c, Name: s.Name, Polygons: s.Polygons})
	}
	st.coded = len(byCode)
	slices.SortFunc(feats, func(a, b mapdata.Feature) int {
		if (a.Code == "") != (b.Code == "") {
			if a.Code == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Name, b.Name))
	})

	simple := simplifyAll(arcs, feats, scale, tol)
	for _, a := range arcs {
		st.pointsIn += len(a)
	}

	// Keep only the arcs some feature uses, in their original order.
	newIndex := make([]int32, len(arcs))
	for i := range newIndex {
		newIndex[i] = -1
	}
	for _, f := range feats {
		for _, p := range f.Polygons {
			for _, r := range p {
				for _, ref := range r {
					newIndex[mapdata.ArcIndex(ref)] = 0
				}
			}
		}
	}
	atlas := &mapdata.Atlas{Scale: scale, Offset: offset}
	for i, a := range simple {
		if newIndex[i] < 0 {
			continue
		}
		newIndex[i] = int32(len(atlas.Arcs))
		atlas.Arcs = append(atlas.Arcs, a)
		st.pointsOut += len(a)
	}
	for _, f := range feats {
		nf := mapdata.Feature{Code: f.Code, Name: f.Name}
		for _, p := range f.Polygons {
			var np [][]int32
			for _, r := range p {
				nr := make([]int32, len(r))
				for k, ref := range r {
					if ref < 0 {
						nr[k] = ^newIndex[^ref]
					} else {
						nr[k] = newIndex[ref]
					}
				}
				np = append(np, nr)
			}
			nf.Polygons = append(nf.Polygons, np)
		}
		atlas.Features = append(atlas.Features, nf)
	}
	return atlas, st, nil
}

// simplifyAll simplifies every arc, then forces more points into the arcs
// of any ring left with fewer than three distinct points, until none is.
func simplifyAll(arcs [][]mapdata.Point, feats []mapdata.Feature, scale [2]float64, tol float64) [][]mapdata.Point {
	force := make([]bool, len(arcs))
	out := make([][]mapdata.Point, len(arcs))
	for i, a := range arcs {
		out[i] = simplify(a, scale, tol, false)
	}
	for changed := true; changed; {
		changed = false
		for _, f := range feats {
			for _, p := range f.Polygons {
				for _, r := range p {
					if distinct(mapdata.JoinArcs(out, r)) >= 3 {
						continue
					}
					for _, ref := range r {
						if i := mapdata.ArcIndex(ref); !force[i] {
							force[i] = true
							out[i] = simplify(arcs[i], scale, tol, true)
							changed = true
						}
					}
				}
			}
		}
	}
	return out
}

func distinct(pts []mapdata.Point) int {
	seen := map[mapdata.Point]bool{}
	for _, p := range pts {
		seen[p] = true
	}
	return len(seen)
}

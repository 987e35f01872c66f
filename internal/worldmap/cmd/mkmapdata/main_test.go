package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// tiny is a hand-made quantized topology: two squares sharing an edge
// (arc 1), the left one Uganda ("800"), the right one Kosovo (no id); a
// two-part Australia ("036") whose second part comes as a separate feature,
// as Ashmore and Cartier Islands does in world-atlas; and an island with no
// code. Arcs are delta-encoded: each position after the first is relative.
const tiny = `{
  "type": "Topology",
  "transform": {"scale": [0.5, 0.25], "translate": [-10, -20]},
  "objects": {"countries": {"type": "GeometryCollection", "geometries": [
    {"type": "Polygon", "id": "800", "properties": {"name": "Uganda"}, "arcs": [[0, 1]]},
    {"type": "Polygon", "properties": {"name": "Kosovo"}, "arcs": [[-2, 2]]},
    {"type": "MultiPolygon", "id": "036", "properties": {"name": "Australia"}, "arcs": [[[3]], [[4]]]},
    {"type": "Polygon", "id": "036", "properties": {"name": "Ashmore and Cartier Is."}, "arcs": [[5]]},
    {"type": "Polygon", "properties": {"name": "Nowhere"}, "arcs": [[6]]}
  ]}},
  "arcs": [
    [[10, 0], [-10, 0], [0, 10], [10, 0]],
    [[10, 10], [0, -10]],
    [[10, 10], [10, 0], [0, -10], [-10, 0]],
    [[100, 100], [4, 0], [0, 4], [-4, 0], [0, -4]],
    [[200, 200], [1, 0], [0, 1], [-1, 0], [0, -1]],
    [[300, 300], [1, 0], [0, 1], [-1, 0], [0, -1]],
    [[400, 400], [1, 0], [0, 1], [-1, 0], [0, -1]]
  ]
}`

// pts makes points from x, y pairs.
func pts(xy ...int32) []mapdata.Point {
	var out []mapdata.Point
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, mapdata.Point{X: xy[i], Y: xy[i+1]})
	}
	return out
}

func TestDecodeTopology(t *testing.T) {
	scale, offset, arcs, shapes, err := decodeTopology([]byte(tiny), "countries")
	if err != nil {
		t.Fatal(err)
	}
	if scale != [2]float64{0.5, 0.25} || offset != [2]float64{-10, -20} {
		t.Errorf("transform = %v %v", scale, offset)
	}
	wantArc0 := pts(10, 0, 0, 0, 0, 10, 10, 10)
	if !reflect.DeepEqual(arcs[0], wantArc0) {
		t.Errorf("arc 0 = %v, want %v (delta decoding)", arcs[0], wantArc0)
	}
	if got, want := arcs[1], pts(10, 10, 10, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("arc 1 = %v, want %v", got, want)
	}
	if len(shapes) != 5 || shapes[0].ID != "800" || shapes[1].ID != "" || shapes[1].Name != "Kosovo" {
		t.Fatalf("shapes = %+v", shapes)
	}
	// Kosovo's ring: arc 1 reversed, then arc 2 without its first point.
	got := mapdata.JoinArcs(arcs, shapes[1].Polygons[0][0])
	want := pts(10, 0, 10, 10, 20, 10, 20, 0, 10, 0)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Kosovo ring = %v, want %v", got, want)
	}
	if n := len(shapes[2].Polygons); n != 2 {
		t.Errorf("Australia has %d polygons, want 2", n)
	}
}

func TestDecodeTopologyErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":     `{`,
		"not topology": `{"type": "FeatureCollection"}`,
		"unquantized":  `{"type": "Topology", "objects": {}, "arcs": []}`,
		"fractional":   strings.Replace(tiny, "[-10, 0]", "[-10.5, 0]", 1),
		"bad arc ref":  strings.Replace(tiny, `"arcs": [[6]]`, `"arcs": [[7]]`, 1),
		"line":         strings.Replace(tiny, `"type": "Polygon", "properties": {"name": "Nowhere"}`, `"type": "LineString", "properties": {"name": "Nowhere"}`, 1),
		"no object":    strings.Replace(tiny, `"countries"`, `"land"`, 1),
	} {
		if _, _, _, _, err := decodeTopology([]byte(doc), "countries"); err == nil {
			t.Errorf("%s: decodeTopology succeeded", name)
		}
	}
}

func TestConvert(t *testing.T) {
	scale, offset, arcs, shapes, err := decodeTopology([]byte(tiny), "countries")
	if err != nil {
		t.Fatal(err)
	}
	a, st, err := convert(scale, offset, arcs, shapes, 100) // a huge tolerance: only forced points stay
	if err != nil {
		t.Fatal(err)
	}
	var codes, names []string
	for _, f := range a.Features {
		codes = append(codes, f.Code)
		names = append(names, f.Name)
	}
	if want := []string{"AU", "UG", "XK", ""}; !reflect.DeepEqual(codes, want) {
		t.Errorf("codes = %q, want %q", codes, want)
	}
	if names[0] != "Australia" || names[3] != "Nowhere" {
		t.Errorf("names = %q", names)
	}
	if n := len(a.Features[0].Polygons); n != 3 {
		t.Errorf("AU has %d polygons after merging, want 3", n)
	}
	if st.coded != 3 || !reflect.DeepEqual(st.uncoded, []string{"Nowhere"}) {
		t.Errorf("stats = %+v", st)
	}
	// Every ring, even the one-unit islands, keeps an area.
	for _, f := range a.Features {
		for _, p := range f.Polygons {
			for _, r := range p {
				if n := distinct(mapdata.JoinArcs(a.Arcs, r)); n < 3 {
					t.Errorf("%s: a ring kept %d distinct points, want ≥ 3", f.Name, n)
				}
			}
		}
	}
	b, err := a.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mapdata.Decode(b); err != nil {
		t.Errorf("Decode of the converted atlas: %v", err)
	}
}

func TestCode(t *testing.T) {
	for _, c := range []struct{ id, name, want string }{
		{"800", "Uganda", "UG"},
		{"670", "St. Vin. and Gren.", "VC"},
		{"028", "Antigua and Barb.", "AG"},
		{"585", "Palau", "PW"},
		{"748", "eSwatini", "SZ"},
		{"", "Kosovo", "XK"},
		{"", "Somaliland", ""},
	} {
		if got, err := code(c.id, c.name); err != nil || got != c.want {
			t.Errorf("code(%q, %q) = %q, %v, want %q", c.id, c.name, got, err, c.want)
		}
	}
	for _, id := range []string{"900", "abc", "001"} {
		if got, err := code(id, "x"); err == nil {
			t.Errorf("code(%q) = %q, want an error", id, got)
		}
	}
}

func TestSimplify(t *testing.T) {
	scale := [2]float64{1, 1}
	line := pts(0, 0, 1, 0, 2, 1, 3, 0, 4, 0, 4, 0)
	if got, want := simplify(line, scale, 0.5, false), pts(0, 0, 2, 1, 4, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("simplify(tol 0.5) = %v, want %v", got, want)
	}
	if got, want := simplify(line, scale, 5, false), pts(0, 0, 4, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("simplify(tol 5) = %v, want %v", got, want)
	}
	square := pts(0, 0, 1, 0, 1, 1, 0, 1, 0, 0)
	if got := simplify(square, scale, 5, false); len(got) != 5 {
		t.Errorf("simplify(closed square) = %v, want it whole", got)
	}
}

// TestReproduce converts the real world-atlas file, when WORLD_ATLAS_JSON
// names it, and checks that the result is the embedded file, byte for byte.
func TestReproduce(t *testing.T) {
	in := os.Getenv("WORLD_ATLAS_JSON")
	if in == "" {
		t.Skip("set WORLD_ATLAS_JSON to world-atlas 2.0.2's countries-50m.json to run")
	}
	out := filepath.Join(t.TempDir(), "countries.bin")
	var log bytes.Buffer
	if err := run([]string{"-in", in, "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	t.Log(log.String())
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../data/countries.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("converted file (%d bytes) differs from the embedded data/countries.bin (%d bytes)", len(got), len(want))
	}
}

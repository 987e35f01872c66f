package main

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/agreementbot/agreementbot/internal/worldmap/internal/mapdata"
)

// topology is the part of a TopoJSON document (RFC-like spec:
// github.com/topojson/topojson-specification) that mkmapdata reads.
type topology struct {
	Type      string                     `json:"type"`
	Transform *transform                 `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []geometry      `json:"geometries"`
}

// shape is one geometry of the collection, decoded: its id (ISO numeric
// code as a string, or ""), its name, and its polygons as arc references.
type shape struct {
	ID, Name string
	Polygons [][][]int32
}

// decodeTopology reads a quantized TopoJSON topology: it undoes the delta
// encoding of the arcs (keeping the quantized grid, which mapdata stores
// too) and returns the Polygon and MultiPolygon geometries of the named
// GeometryCollection.
func decodeTopology(data []byte, object string) (scale, offset [2]float64, arcs [][]mapdata.Point, shapes []shape, err error) {
	var t topology
	if err = json.Unmarshal(data, &t); err != nil {
		return scale, offset, nil, nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return scale, offset, nil, nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	if t.Transform == nil {
		return scale, offset, nil, nil, fmt.Errorf("topojson: no transform: only quantized topologies are supported")
	}
	scale, offset = t.Transform.Scale, t.Transform.Translate
	arcs = make([][]mapdata.Point, len(t.Arcs))
	for i, raw := range t.Arcs {
		arc := make([]mapdata.Point, len(raw))
		var x, y int64
		for j, pos := range raw {
			if len(pos) < 2 {
				return scale, offset, nil, nil, fmt.Errorf("topojson: arc %d position %d has %d coordinates", i, j, len(pos))
			}
			dx, dy, ok := integer(pos[0], pos[1])
			if !ok {
				return scale, offset, nil, nil, fmt.Errorf("topojson: arc %d position %d is not on the quantized grid: %v", i, j, pos)
			}
			x += dx
			y += dy
			arc[j] = mapdata.Point{X: int32(x), Y: int32(y)}
		}
		arcs[i] = arc
	}
	raw, ok := t.Objects[object]
	if !ok {
		return scale, offset, nil, nil, fmt.Errorf("topojson: no object %q", object)
	}
	var coll geometry
	if err = json.Unmarshal(raw, &coll); err != nil {
		return scale, offset, nil, nil, fmt.Errorf("topojson: object %q: %w", object, err)
	}
	if coll.Type != "GeometryCollection" {
		return scale, offset, nil, nil, fmt.Errorf("topojson: object %q is a %s, want GeometryCollection", object, coll.Type)
	}
	for i, g := range coll.Geometries {
		s, err := decodeGeometry(g, len(arcs))
		if err != nil {
			return scale, offset, nil, nil, fmt.Errorf("topojson: %s geometry %d (%q): %w", object, i, g.Properties.Name, err)
		}
		shapes = append(shapes, s)
	}
	return scale, offset, arcs, shapes, nil
}

func integer(x, y float64) (int64, int64, bool) {
	ok := x == math.Trunc(x) && y == math.Trunc(y) && math.Abs(x) < 1<<31 && math.Abs(y) < 1<<31
	return int64(x), int64(y), ok
}

func decodeGeometry(g geometry, nArcs int) (shape, error) {
	s := shape{Name: g.Properties.Name}
	if len(g.ID) > 0 && string(g.ID) != "null" {
		// Ids are strings in world-atlas ("800"); accept numbers too.
		var str string
		if err := json.Unmarshal(g.ID, &str); err != nil {
			var n json.Number
			if err := json.Unmarshal(g.ID, &n); err != nil {
				return s, fmt.Errorf("id %s is neither a string nor a number", g.ID)
			}
			str = n.String()
		}
		s.ID = str
	}
	switch g.Type {
	case "Polygon":
		var p [][]int32
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return s, err
		}
		s.Polygons = [][][]int32{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Arcs, &s.Polygons); err != nil {
			return s, err
		}
	default:
		return s, fmt.Errorf("geometry type %q: only Polygon and MultiPolygon are supported", g.Type)
	}
	for _, p := range s.Polygons {
		for _, r := range p {
			if len(r) == 0 {
				return s, fmt.Errorf("empty ring")
			}
			for _, ref := range r {
				if i := mapdata.ArcIndex(ref); i >= nArcs {
					return s, fmt.Errorf("arc reference %d out of range (%d arcs)", ref, nArcs)
				}
			}
		}
	}
	return s, nil
}

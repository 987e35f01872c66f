package mapdata

import (
	"errors"
	"reflect"
	"testing"
)

func sample() *Atlas {
	return &Atlas{
		Scale:  [2]float64{0.5, 0.25},
		Offset: [2]float64{-180, -90},
		Arcs: [][]Point{
			{{0, 0}, {10, 0}, {10, 10}},
			{{10, 10}, {0, 10}, {0, 0}},
			{{-3, 1 << 30}, {-2147483648, 2147483647}},
		},
		Features: []Feature{
			{Code: "AA", Name: "Aland", Polygons: [][][]int32{{{0, 1}}}},
			{Code: "BB", Name: "Beeland", Polygons: [][][]int32{{{^1, ^0}}, {{2}}}},
			{Code: "", Name: "Nowhere"},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	a := sample()
	b, err := a.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	// Decode makes empty slices where sample has nil ones.
	got.Features[2].Polygons = nil
	if !reflect.DeepEqual(got, a) {
		t.Errorf("Decode(Encode(a)) = %+v, want %+v", got, a)
	}
	if lon, lat := got.Lonlat(Point{2, 4}); lon != -179 || lat != -89 {
		t.Errorf("Lonlat = %v, %v, want -179, -89", lon, lat)
	}
}

func TestEncodeBadRef(t *testing.T) {
	a := sample()
	a.Features[0].Polygons[0][0][0] = 7
	if _, err := a.Encode(); err == nil {
		t.Error("Encode with a reference to a missing arc succeeded")
	}
}

func TestDecodeErrors(t *testing.T) {
	good, err := sample().Encode()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("WMAP2\n"), good[6:]...),
		"trailing":  append(append([]byte{}, good...), 0),
		"truncated": good[:len(good)-1],
		"huge count": append(append([]byte{}, good[:6+32]...),
			0xff, 0xff, 0xff, 0xff, 0x0f),
	}
	for i := 6; i < len(good); i += 7 {
		cases["cut"+string(rune('a'+i%26))+string(rune('0'+i/26%10))] = good[:i]
	}
	for name, b := range cases {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Decode error = %v, want ErrFormat", name, err)
		}
	}
}

// FuzzDecode checks that Decode never panics, and that what it accepts
// encodes to bytes that decode again.
func FuzzDecode(f *testing.F) {
	good, err := sample().Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Decode(b)
		if err != nil {
			return
		}
		again, err := a.Encode()
		if err != nil {
			t.Fatalf("Encode of a decoded atlas: %v", err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("Decode(Encode(Decode(b))): %v", err)
		}
	})
}

// Package worldmap draws a world or regional map as a PNG, with countries
// filled by category, for agreementbot's "/agreement map" command.
//
// It draws and nothing else: the caller says which countries go in which
// category (by ISO 3166-1 alpha-2 code, XK for Kosovo), with labels, a
// title and footer lines; worldmap knows nothing of chat platforms or of
// the fact store, and keeps no cache (caching a rendered PNG is the
// caller's job). The country shapes are Natural Earth's, embedded and
// decoded once on first use; data/README.md says where they come from.
//
// Categories get colours by index from the Okabe–Ito palette, which people
// with colour-blindness can tell apart; other countries are light grey.
// Disputed entries are hatched. Entries too small to see at the view's
// scale are drawn as dots, pushed apart if they crowd, with a line to
// where they belong. The legend (a swatch, label and count per category)
// and the footer sit below the map, so they never hide any of it.
//
// Every view uses the Equal Earth projection. A region view is centred on
// and cropped to the members of a UN M49 area, as golang.org/x/text/language
// knows them, with the neighbouring land shown around it.
package worldmap

import (
	"errors"
	"image"
	"slices"
)

// Category is one class of entries, shown in the legend. The package
// gives categories their colours by index, in order.
type Category struct {
	Label string // shown in the legend, e.g. "Received"
}

// Entry puts one country on the map.
type Entry struct {
	Code     string // ISO 3166-1 alpha-2 in upper case; "XK" for Kosovo
	Category int    // index into Spec.Categories
	Disputed bool   // drawn hatched
}

// Spec is what to draw.
type Spec struct {
	// View is "" or "world", a region (see Views), or a UN M49 area by
	// its code ("002" is "africa"; "011", Western Africa, a view of its
	// own). If it is "" and Highlight is set, the view is the highlighted
	// country's region.
	View string
	// Highlight, if set, is a country (alpha-2) drawn with a heavy outline.
	Highlight string
	Title     string
	Footer    []string // lines at the foot, such as the data's date and sources
	// Categories are the legend's classes, at most 9 (the palette's size).
	Categories []Category
	// Entries are the countries to colour, each at most once. The legend
	// counts all of them, in view or not; to count a region's only, pass
	// only its entries.
	Entries       []Entry
	DisputedLabel string // legend text for hatching; "" means "Hatched: disputed"
	// HideEmpty leaves out of the legend the categories no entry has, so
	// a caller can keep each category's colour fixed (by index) across
	// maps that show different sets.
	HideEmpty bool
}

// Image is a rendered map.
type Image struct {
	PNG           []byte
	Width, Height int
	View          string // the view drawn
	// Points has, for each entry drawn, a pixel that shows its category
	// colour: inside its shape, as far from the edges as can be, or the
	// centre of its dot, so that a caller can check what was drawn.
	Points  map[string]image.Point
	Markers []string // codes of the entries drawn as dots, sorted
	Outside []string // codes of the entries not in the view, not drawn, sorted
	// Swatches are the legend's colour swatches, one per category, in
	// order.
	Swatches []image.Rectangle
}

// Errors that Render returns, wrapped with the offending value; test them
// with errors.Is.
var (
	ErrUnknownView = errors.New("worldmap: unknown view")
	ErrUnknownCode = errors.New("worldmap: no shape for country code")
	ErrInvalidSpec = errors.New("worldmap: invalid spec")
)

// Render draws the map that s describes.
func Render(s Spec) (*Image, error) {
	a, err := loadAtlas()
	if err != nil {
		return nil, err
	}
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return a.render(s, f)
}

// Has reports whether the map data has a shape for the country code.
func Has(code string) bool {
	a, err := loadAtlas()
	if err != nil || code == "" {
		return false
	}
	_, ok := a.byCode[code]
	return ok
}

// Views returns the names of the views Render accepts: "world", then the
// regions.
func Views() []string {
	var names []string
	for _, v := range views() {
		names = append(names, v.name)
	}
	return names
}

// ViewFor returns the region view a country is shown in by default: the
// smallest UN M49 area of Views that contains it ("caribbean" for Cuba,
// "central-america" for Mexico, "europe" for Kosovo), or "world" for
// codes in none (Antarctica, or codes that are not countries).
func ViewFor(code string) string { return viewFor(code) }

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

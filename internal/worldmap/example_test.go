package worldmap_test

import (
	"fmt"

	"github.com/agreementbot/agreementbot/internal/worldmap"
)

func ExampleRender() {
	img, err := worldmap.Render(worldmap.Spec{
		Highlight:  "KN",
		Title:      "Saint Kitts and Nevis",
		Footer:     []string{"Map data: Natural Earth"},
		Categories: []worldmap.Category{{Label: "Agreed"}, {Label: "Signed"}},
		Entries: []worldmap.Entry{
			{Code: "KN", Category: 0},
			{Code: "DM", Category: 0},
			{Code: "AG", Category: 1, Disputed: true},
			{Code: "UG", Category: 1},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.View, img.Width, img.Height)
	fmt.Println("dots:", img.Markers)
	fmt.Println("not in view:", img.Outside)
	// Output:
	// caribbean 1600 900
	// dots: [AG DM KN]
	// not in view: [UG]
}

func ExampleViewFor() {
	for _, code := range []string{"MX", "CU", "XK", "PW", "AQ"} {
		fmt.Println(code, worldmap.ViewFor(code))
	}
	// Output:
	// MX central-america
	// CU caribbean
	// XK europe
	// PW oceania
	// AQ world
}

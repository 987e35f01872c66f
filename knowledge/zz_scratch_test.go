package knowledge

import (
	"fmt"
	"testing"
)

func TestZZScratch(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"CG", "CD", "VC", "KN", "LC", "SZ", "CI", "MM", "TL", "DO", "DM", "GN", "NE", "SD", "XK"} {
		fmt.Println(c, cldrNames(c))
	}
	for _, c := range []string{"st vincent", "st", "vincent", "saint vincent", "saint"} {
		ne, ok := s.names.exact[c]
		fmt.Println(c, ne, ok)
		e, sg := s.fuzzy([]string{c})
		fmt.Println("  fuzzy", e, sg)
	}
	fmt.Println(s.Topic("money").Aliases)
}

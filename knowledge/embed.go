package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed data/*.yaml data/README.md
var embedded embed.FS

// Embedded returns the data files compiled into the binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

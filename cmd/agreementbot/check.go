package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/agreementbot/agreementbot/knowledge"
)

// check validates data files: the embedded ones, or those in dir.
func check(args []string, stdout, stderr io.Writer) int {
	var fsys fs.FS = knowledge.Embedded()
	where := "embedded data"
	switch len(args) {
	case 0:
	case 1:
		fsys, where = os.DirFS(args[0]), args[0]
	default:
		fmt.Fprintln(stderr, "usage: agreementbot check [DIR]")
		return 2
	}
	store, err := knowledge.Load(fsys)
	if err != nil {
		var le *knowledge.LoadError
		if errors.As(err, &le) {
			for _, p := range le.Problems {
				fmt.Fprintln(stderr, p)
			}
			fmt.Fprintf(stderr, "%s: %d problem(s)\n", where, len(le.Problems))
			return 1
		}
		fmt.Fprintf(stderr, "%s: %v\n", where, err)
		return 1
	}
	fmt.Fprintf(stdout, "ok: %s: %d countries, %d topics, %d sources, facts as of %s\n",
		where, len(store.Countries()), len(store.Topics()), len(store.Sources()), store.AsOf().ISO())
	return 0
}

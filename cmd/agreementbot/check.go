package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/agreementbot/agreementbot/knowledge"
)

const checkUsage = "usage: agreementbot check [--notes] [DIR]"

// check validates data files: the embedded ones, or those in dir. With
// --notes it also prints every editor note (notes for maintainers, never
// shown to users) with its file and line, after the ok line.
func check(args []string, stdout, stderr io.Writer) int {
	var fsys fs.FS = knowledge.Embedded()
	where := "embedded data"
	notes := false
	var dirs []string
	for _, a := range args {
		switch a {
		case "--notes", "-notes":
			notes = true
		default:
			if len(a) > 1 && a[0] == '-' {
				fmt.Fprintf(stderr, "check: unknown flag %s\n%s\n", a, checkUsage)
				return 2
			}
			dirs = append(dirs, a)
		}
	}
	switch len(dirs) {
	case 0:
	case 1:
		fsys, where = os.DirFS(dirs[0]), dirs[0]
	default:
		fmt.Fprintln(stderr, checkUsage)
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
	if notes {
		for _, n := range store.EditorNotes() {
			fmt.Fprintf(stdout, "%s:%d: %s\n", n.File, n.Line, n.Text)
		}
	}
	return 0
}

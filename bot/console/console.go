// Package console is agreementbot's local adapter: it reads questions line
// by line from a reader and writes plain-text answers to a writer. It is
// what a newcomer meets with no chat credentials, and what transcript tests
// drive. It knows nothing of the knowledge store: it talks to a bot.Handler.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/agreementbot/agreementbot/bot"
)

// Usage is how to ask in the console, shown first by help.
var Usage = []string{"type the query and press Enter, e.g. uganda; quit to leave"}

// Prompt is printed before each question when the console is interactive.
const Prompt = "> "

// Options configure Run.
type Options struct {
	Banner string // printed first, if not ""
	// SaveImage writes an answer's picture (the map) and returns where;
	// nil leaves pictures unsaved, with their text alternative only.
	SaveImage func(*bot.Image) (string, error)
}

// Run answers each line of in on out until in ends, ctx is cancelled, or
// the user types quit or exit. Lines longer than 4 KiB are refused politely.
func Run(ctx context.Context, h bot.Handler, in io.Reader, out io.Writer, opts Options) error {
	if opts.Banner != "" {
		fmt.Fprintln(out, opts.Banner)
	}
	lines := make(chan string)
	go readLines(ctx, bufio.NewReaderSize(in, maxLine), lines)
	for {
		fmt.Fprint(out, Prompt)
		select {
		case <-ctx.Done():
			fmt.Fprintln(out)
			return nil
		case line, ok := <-lines:
			if !ok {
				fmt.Fprintln(out)
				return nil
			}
			if line == tooLong {
				fmt.Fprintf(out, "That line is longer than %d bytes; please ask something shorter.\n\n", maxLine)
				continue
			}
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "quit", "exit", "/quit", "/exit":
				return nil
			case "":
				continue
			}
			r := h.Handle(ctx, bot.Query{Text: line, Platform: "console", Usage: Usage})
			if r.Image != nil && opts.SaveImage != nil {
				if path, err := opts.SaveImage(r.Image); err != nil {
					fmt.Fprintf(out, "The map could not be saved: %v\n", err)
				} else {
					fmt.Fprintf(out, "Map saved to %s\n", path)
				}
			}
			fmt.Fprintln(out, strings.TrimRight(r.Text(), "\n"))
			fmt.Fprintln(out)
		}
	}
}

// maxLine bounds one question.
const maxLine = 4096

// tooLong stands in for a line that exceeded maxLine (a NUL byte cannot be
// typed as a question).
const tooLong = "\x00too long"

// readLines sends each line of r, or tooLong for an oversized one, until r
// ends or ctx is done. A read error ends input like EOF does.
func readLines(ctx context.Context, r *bufio.Reader, lines chan<- string) {
	defer close(lines)
	for {
		line, isPrefix, err := r.ReadLine()
		if err != nil {
			return
		}
		text := string(line)
		if isPrefix {
			for isPrefix && err == nil {
				_, isPrefix, err = r.ReadLine()
			}
			text = tooLong
		}
		select {
		case lines <- text:
		case <-ctx.Done():
			return
		}
	}
}

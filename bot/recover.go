package bot

import (
	"context"
	"runtime/debug"
)

// Recover returns a Handler that turns a panic in h into a short private
// apology, after reporting it (with the stack) to onPanic, so that one bad
// answer never takes the process down.
func Recover(h Handler, onPanic func(v any, stack []byte)) Handler {
	return HandlerFunc(func(ctx context.Context, q Query) (r Reply) {
		defer func() {
			if v := recover(); v != nil {
				if onPanic != nil {
					onPanic(v, debug.Stack())
				}
				r = Apology(q)
			}
		}()
		return h.Handle(ctx, q)
	})
}

// Apology is the reply when answering failed. It says nothing about why:
// the details are for the operator's log.
func Apology(q Query) Reply {
	return Reply{
		Kind:       KindError,
		Query:      q.Text,
		Visibility: Private,
		Title:      "Sorry, something went wrong",
		Summary:    "I could not answer that just now. The problem has been logged; please try again, or ask something else.",
	}
}

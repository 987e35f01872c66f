package bot

import (
	"context"
	"runtime/debug"
)

// PanicFunc is told about a recovered panic: its value and the stack.
type PanicFunc func(v any, stack []byte)

// Recover returns a Handler that turns a panic in h into a short private
// apology, after reporting it (with the stack) to onPanic, so that one bad
// answer never takes the process down. It is the one recovery middleware:
// the program wraps every Handler and Completer it gives an adapter.
func Recover(h Handler, onPanic PanicFunc) Handler {
	return HandlerFunc(func(ctx context.Context, q Query) (r Reply) {
		defer guard(onPanic, func() { r = Apology(q) })
		return h.Handle(ctx, q)
	})
}

// RecoverCompleter is Recover for a Completer: a panic offers no choices.
func RecoverCompleter(c Completer, onPanic PanicFunc) Completer {
	return CompleterFunc(func(ctx context.Context, prefix string) (out []Choice) {
		defer guard(onPanic, func() { out = nil })
		return c.Complete(ctx, prefix)
	})
}

// guard is deferred by both middlewares: it recovers, reports, and sets
// the fallback result.
func guard(onPanic PanicFunc, fallback func()) {
	v := recover()
	if v == nil {
		return
	}
	if onPanic != nil {
		onPanic(v, debug.Stack())
	}
	fallback()
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

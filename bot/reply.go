package bot

import (
	"context"

	"fmt"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Kind says what sort of answer a Reply is. The values are part of the
// `ask --json` contract and of the platform renderers' choices.
type Kind string

// The kinds of answer.
const (
	KindCountry     Kind = "country"      // a country with a data file, whatever its status
	KindNoAgreement Kind = "no_agreement" // a real country with nothing on record
	KindNotFound    Kind = "not_found"    // not a country or topic: suggestions
	KindTopic       Kind = "topic"        // law, court, overview, money
	KindList        Kind = "list"         // countries grouped by status
	KindSearch      Kind = "search"       // full-text search hits
	KindFrom        Kind = "from"         // countries that took people of a nationality
	KindSources     Kind = "sources"      // the sources, for one country or all
	KindLatest      Kind = "latest"       // newest events (latest)
	KindSince       Kind = "since"        // events on or after a date (since)
	KindMap         Kind = "map"          // a map of the countries on record, with Image set
	KindAbout       Kind = "about"        // what the bot covers
	KindHelp        Kind = "help"         // usage, possibly after a stated problem
	KindRateLimited Kind = "rate_limited" // too many questions: a friendly private note
	KindError       Kind = "error"        // answering failed: a short private apology
)

// Visibility says who sees a reply: the whole channel or only the asker.
type Visibility int

// The visibilities. Public is the zero value on purpose: facts are public
// unless the operator says otherwise.
const (
	Public Visibility = iota
	Private
)

func (v Visibility) String() string {
	if v == Private {
		return "private"
	}
	return "public"
}

// Query is one question as a platform received it.
type Query struct {
	Text     string // what the user typed, as typed
	Platform string // "console", "slack", "discord"
	Team     string // workspace or guild id, if any
	User     string // user id on that platform, if any
	// Button is the value of a button pressed (see ButtonKey), or "" for
	// a typed query. The bot parses it strictly; adapters pass it as is.
	Button string
	// Usage says how to reach the bot on that platform, one line each
	// ("/agreement <query> in any channel"); help shows it first. Each
	// adapter supplies its own.
	Usage []string
}

// Reply is a platform-neutral answer. Renderers (plain text here, Block Kit in
// bot/slack, embeds in bot/discord) need nothing more than this. Every string
// in it is plain text without markup: renderers escape it for their platform.
//
// Replies may share their slices with the bot's memo of answers: treat a
// Reply as read-only.
type Reply struct {
	Kind       Kind
	Query      string // the query text, as typed
	Visibility Visibility

	Notice   string // a problem to state first (a malformed command), or ""
	Title    string
	Status   string // headline status of a country card, "" otherwise
	Disputed bool
	Summary  string

	Fields      []Field
	Timeline    []Event
	Results     []Result
	Suggestions []Suggestion
	Sources     []Source

	Country *Country         // the country the answer is about, if one
	Aspect  knowledge.Aspect // what a focused answer is about: money, numbers, ...; "" for a whole card
	Filter  Filter           // what a list was narrowed to

	// The short form. Key names the answer for buttons (see ButtonKey);
	// Highlights are the three or four facts of a card that matter most,
	// ShortSources the sources they cite; Page is the page of a list the
	// short form shows (from 1); Full asks the platforms for the whole
	// answer rather than the short form (a button's "Full card"); Buttons
	// are the buttons under the short form.
	Key          string
	Highlights   []string
	ShortSources []Source
	Page         int
	Full         bool
	Buttons      []Button

	// Image is a picture that goes with the answer (the map), or nil.
	Image *Image

	// CacheKey says everything this answer depends on (the data's digest,
	// the day, the visibility and the query as typed or the button
	// pressed), so that a platform may keep what it rendered from it under
	// that key (see Cache); "" for an answer that must not be reused (a
	// map's, drawn for its filter, or one the bot did not compute, such as
	// a rate limiter's).
	CacheKey string

	AsOf  string // YYYY-MM-DD, the data's as-of date
	Age   string // how old the facts are, from the bot's clock: "8 months ago"
	Stale bool   // the facts are more than StaleAfter old: newer reporting may exist

	// Corrections is where to report a wrong fact, set on country and
	// topic cards; renderers show it at the foot of the full card, not in
	// the short form.
	Corrections string

	// More lists commands that show what a short rendering leaves out,
	// e.g. {"all sources", "sources uganda"}. Renderers that must shorten
	// an answer point to these.
	More []More

	text string // the precomputed rendering of a cached card
}

// Image is a picture an answer carries: a PNG with its alt text. Path is
// where serve publishes it once rendered, under PUBLIC_URL: "/maps/" +
// digest + "/" + filter + ".png".
type Image struct {
	Name string // a file name for uploads: "agreement-map-africa.png"
	PNG  []byte
	Alt  string // the text for those who cannot see it (also the answer's summary)
	Path string // the URL path serve answers it on, e.g. /maps/0db34b73/africa.png
}

// Filter is what a list of countries was narrowed to.
type Filter struct {
	Region string // a region's filter name (africa, central-america, ...), or ""
	Status string // a status, "agreed" (agreed, signed or received), "paid", "disputed", or ""
}

// Field is a named block of a card, e.g. "Conditions". Items are shown as a
// bulleted list, each one line of plain text.
type Field struct {
	Name  string
	Items []string
}

// Event is one dated line of a timeline. Date is already formatted exactly as
// precisely as it is known ("2025-08", "mid-August 2025", "date unknown");
// DateISO is the same date in ISO 8601 at its precision ("2025-08"), or ""
// when unknown.
type Event struct {
	Date    string
	DateISO string
	Text    string
}

// Result is one row of a list, search, from or latest answer.
type Result struct {
	Code     string // ISO alpha-2, "" for a topic
	Name     string
	Status   string // headline status word
	Disputed bool
	Date     string // latest, since, from: the date as people say it
	DateISO  string // the same date in ISO 8601 at its precision, "" when unknown
	Event    string // latest, since: the event; from: what was agreed or received, with citations
	Stage    string // from: "received" or "agreed"
	Count    int    // from, ranking, totals: how many, when HasCount
	HasCount bool
	AtLeast  bool   // the count is a floor ("at least")
	Snippet  string // search: the matching sentence
	Group    string // list: the status heading it belongs to
}

// Suggestion is a "did you mean" candidate.
type Suggestion struct {
	Code string
	Name string
}

// Source is a citation as shown to users.
type Source struct {
	ID      string
	Outlet  string // the outlet, and the host it was read on when that differs
	Title   string
	Date    string // as people say it
	DateISO string // ISO 8601 at its precision, "" when unknown
	URL     string
	Low     bool // of low reliability
}

// Country identifies the country an answer is about.
type Country struct {
	Code     string
	Name     string
	Status   string // "none" for no_agreement
	Disputed bool
}

// More points to a command that shows the rest of an answer.
type More struct {
	Label   string
	Command string
}

// Choice is one autocomplete suggestion: Name is shown, Value is the query
// text to run when it is picked.
type Choice struct {
	Name  string
	Value string
}

// Handler answers queries. Adapters take a Handler; tests pass a HandlerFunc.
type Handler interface {
	Handle(ctx context.Context, q Query) Reply
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, q Query) Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, q Query) Reply { return f(ctx, q) }

// Completer offers autocomplete choices for partly typed input.
type Completer interface {
	Complete(ctx context.Context, prefix string) []Choice
}

// CompleterFunc adapts a function to Completer.
type CompleterFunc func(ctx context.Context, prefix string) []Choice

// Complete calls f.
func (f CompleterFunc) Complete(ctx context.Context, prefix string) []Choice { return f(ctx, prefix) }

// Text renders the reply as plain text, for the console, `ask`, and the
// notification fallbacks of the chat platforms.
func (r Reply) Text() string {
	body := r.text
	if body == "" || r.Notice != "" {
		body = r.render()
	}
	if f := r.Footer(); f != "" {
		return body + "\n" + f + "\n"
	}
	return body
}

func (r Reply) render() string {
	var b strings.Builder
	if r.Notice != "" {
		b.WriteString(r.Notice)
		b.WriteString("\n\n")
	}
	if r.Title != "" {
		b.WriteString(r.Title)
		if r.Status != "" {
			fmt.Fprintf(&b, " [%s", r.Status)
			if r.Disputed {
				b.WriteString(", disputed")
			}
			b.WriteString("]")
		}
		b.WriteString("\n")
	}
	if r.Summary != "" {
		b.WriteString(r.Summary)
		b.WriteString("\n")
	}
	for _, f := range r.Fields {
		fmt.Fprintf(&b, "\n%s:\n", f.Name)
		for _, it := range f.Items {
			fmt.Fprintf(&b, "  - %s\n", it)
		}
	}
	if len(r.Results) > 0 {
		b.WriteString("\n")
		group := ""
		for _, res := range r.Results {
			if res.Group != "" && res.Group != group {
				group = res.Group
				fmt.Fprintf(&b, "%s:\n", group)
			}
			b.WriteString("  - ")
			b.WriteString(res.Line())
			b.WriteString("\n")
		}
	}
	if len(r.Timeline) > 0 {
		b.WriteString("\nTimeline:\n")
		for _, e := range r.Timeline {
			fmt.Fprintf(&b, "  %s: %s\n", e.Date, e.Text)
		}
	}
	if len(r.Suggestions) > 0 {
		b.WriteString("\nDid you mean: ")
		for i, s := range r.Suggestions {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(s.Name)
		}
		b.WriteString("?\n")
	}
	if len(r.Sources) > 0 {
		b.WriteString("\nSources:\n")
		for _, s := range r.Sources {
			fmt.Fprintf(&b, "  [%s] %s\n", s.ID, s.Line())
		}
	}
	if len(r.More) > 0 {
		b.WriteString("\n")
		for _, m := range r.More {
			fmt.Fprintf(&b, "More: %s: %s\n", m.Label, m.Command)
		}
	}
	return strings.TrimLeft(b.String(), "\n")
}

// Footer is the last lines of an answer that carries facts: the as-of
// date with the facts' age, a notice when they are old, and where to
// report a wrong fact on full cards. It is "" for answers without a date.
func (r Reply) Footer() string {
	if r.AsOf == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("Facts as of ")
	b.WriteString(r.AsOf)
	if r.Age != "" {
		b.WriteString(", ")
		b.WriteString(r.Age)
	}
	b.WriteString(".")
	if r.Stale {
		b.WriteString("\nNewer reporting may exist: nothing after ")
		b.WriteString(r.AsOf)
		b.WriteString(" is covered.")
	}
	if r.Corrections != "" {
		b.WriteString("\nReport a wrong fact: ")
		b.WriteString(r.Corrections)
	}
	return b.String()
}

// Line renders a result as one line of plain text.
func (res Result) Line() string {
	var b strings.Builder
	if res.Date != "" && res.Stage == "" && !res.HasCount {
		// An event's date leads its line; from, ranking and totals rows
		// say their date inside the event.
		b.WriteString(res.Date)
		b.WriteString(" ")
	}
	b.WriteString(res.Name)
	if res.Status != "" {
		if res.Disputed {
			fmt.Fprintf(&b, " (%s, disputed)", res.Status)
		} else {
			fmt.Fprintf(&b, " (%s)", res.Status)
		}
	}
	if res.Event != "" {
		b.WriteString(": ")
		b.WriteString(res.Event)
	}
	if res.Snippet != "" {
		b.WriteString(": ")
		b.WriteString(res.Snippet)
	}
	return b.String()
}

// OutletLabel is the outlet as shown, marked when of low reliability.
func (s Source) OutletLabel() string {
	if s.Low {
		return s.Outlet + " (low reliability)"
	}
	return s.Outlet
}

// Line renders a source as one line of plain text: outlet, title, date, URL.
func (s Source) Line() string {
	parts := []string{s.OutletLabel()}
	if s.Title != "" {
		parts = append(parts, "\""+s.Title+"\"")
	}
	if s.Date != "" {
		parts = append(parts, s.Date)
	}
	if s.URL != "" {
		parts = append(parts, s.URL)
	}
	return strings.Join(parts, ", ")
}

package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// Options configure a Bot.
type Options struct {
	// Visibility of answers that carry facts. Help, about and "did you
	// mean" answers are always private.
	Visibility Visibility
	// Version is shown by about.
	Version string
	// ReportTo says how to report a wrong fact, shown by about.
	ReportTo string
}

// Bot answers queries from one immutable store. It is safe for concurrent
// use: everything it derives from the store is computed once.
type Bot struct {
	store *knowledge.Store
	opts  Options
	asOf  string

	cards map[string]*card // every country and topic card by entity: "c:UG", "t:law"
}

// card is one country's or topic's answer, rendered once, on first use or
// by Warm.
type card struct {
	once  sync.Once
	make  func() Reply
	reply Reply
}

func (c *card) get() Reply {
	c.once.Do(func() { c.reply = c.make() })
	return c.reply
}

// MaxQuery is the longest query answered; longer ones get help.
const MaxQuery = 500

// DefaultReportTo is where wrong facts are reported unless configured.
const DefaultReportTo = "open an issue in the agreementbot repository with the fact, the country and a source; maintainers correct knowledge/data and the fix ships with the next release (or a reload, where KNOWLEDGE_DIR is used)"

// New builds a Bot. Cards are rendered on first use; long-running modes
// call Warm to render them all ahead of the first question.
func New(store *knowledge.Store, opts Options) *Bot {
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.ReportTo == "" {
		opts.ReportTo = DefaultReportTo
	}
	b := &Bot{store: store, opts: opts, asOf: store.AsOf().ISO(), cards: map[string]*card{}}
	for _, c := range store.Countries() {
		b.cards["c:"+c.Code] = &card{make: func() Reply { return b.finish(b.countryCard(c)) }}
	}
	for _, t := range store.Topics() {
		b.cards["t:"+t.ID] = &card{make: func() Reply { return b.finish(b.topicCard(t)) }}
	}
	return b
}

func (b *Bot) finish(r Reply) Reply {
	r.AsOf = b.asOf
	r.text = r.render()
	return r
}

// Warm does ahead of time, in the background, what the first questions
// would otherwise wait for: the store's name and search indexes, and
// every card. It returns at once. A one-shot answer (ask) skips it.
func (b *Bot) Warm() {
	// The indexes serve every later answer for as long as the store is in
	// use, so nothing here has reason to stop their build.
	b.store.Warm(context.Background())
	go func() {
		for _, c := range b.cards {
			c.get()
		}
	}()
}

// Store returns the store the bot answers from.
func (b *Bot) Store() *knowledge.Store { return b.store }

// Handle answers one query. It never fails: bad input gets a friendly
// reply saying what was wrong.
func (b *Bot) Handle(_ context.Context, q Query) Reply {
	var r Reply
	if len(q.Text) > MaxQuery {
		// Nobody needs more to name a country or a command, and a bound
		// keeps every answer cheap whatever is pasted in.
		r = b.help(fmt.Sprintf("That is %d characters long; ask about one country, topic or command at a time (at most %d characters).", len(q.Text), MaxQuery))
	} else {
		r = b.answer(parse(q.Text))
	}
	if r.Kind == KindHelp {
		if use := platformUsage[q.Platform]; use != nil {
			r.Fields = append([]Field{{Name: "How to ask here", Items: use}}, r.Fields...)
		}
	}
	r.Query = strings.TrimSpace(q.Text)
	if r.AsOf == "" {
		r.AsOf = b.asOf
	}
	switch r.Kind {
	case KindHelp, KindAbout, KindNotFound, KindRateLimited, KindError:
		r.Visibility = Private
	default:
		r.Visibility = b.opts.Visibility
	}
	return r
}

func (b *Bot) answer(p parsed) Reply {
	switch p.cmd {
	case cmdHelp:
		return b.help("")
	case cmdAbout:
		return b.about()
	case cmdList:
		return b.list(p.arg)
	case cmdSearch:
		return b.search(p.arg)
	case cmdFrom:
		return b.from(p.arg)
	case cmdSources:
		return b.sources(p.arg)
	case cmdLatest:
		return b.latest(p.arg)
	case cmdSince:
		return b.since(p.arg)
	}
	return b.lookup(p.arg)
}

func (b *Bot) lookup(text string) Reply {
	m := b.store.Resolve(text)
	// "which countries take Venezuelans?": a nationality word in a question
	// asks the from question, even without "from". A name written out
	// word for word wins over it; a typo guess does not.
	if m.Kind == knowledge.MatchNone || m.Typo {
		if w, ok := b.demonymIn(text); ok {
			return b.from(w)
		}
	}
	switch m.Kind {
	case knowledge.MatchCountry:
		return b.cards["c:"+m.Code].get()
	case knowledge.MatchTopic:
		return b.cards["t:"+m.Topic.ID].get()
	case knowledge.MatchNoData:
		return b.noAgreement(m.Code, m.Name)
	}
	return b.notFound(text, m.Suggestions)
}

// demonymIn finds a nationality word in a question of several words.
func (b *Bot) demonymIn(text string) (string, bool) {
	words := strings.Fields(text)
	if len(words) < 2 {
		return "", false
	}
	for _, w := range words {
		w = strings.Trim(w, ",.;:?!'\"()")
		if _, ok := b.store.Demonym(w); ok {
			return w, true
		}
	}
	return "", false
}

func (b *Bot) notFound(text string, sugg []knowledge.Suggestion) Reply {
	r := Reply{
		Kind:    KindNotFound,
		Title:   "No country or topic found",
		Summary: fmt.Sprintf("Nothing on record matches %q. Type a country (any language or ISO code), a topic (law, court, overview, money), or help for the commands.", clip(text, 100)),
	}
	if text == "" {
		r.Summary = "Type a country (any language or ISO code), a topic (law, court, overview, money), or help for the commands."
	}
	for _, s := range sugg {
		r.Suggestions = append(r.Suggestions, Suggestion{Code: s.Code, Name: s.Name})
	}
	r.More = []More{{Label: "all commands", Command: "help"}}
	return r
}

func (b *Bot) noAgreement(code, name string) Reply {
	return Reply{
		Kind:  KindNoAgreement,
		Title: name,
		Summary: fmt.Sprintf("Nothing is on record for %s as of %s: the sources this bot uses report no US request, agreement or transfer of third-country deportees involving %s. That is not proof that none exists.",
			name, b.asOf, name),
		Country: &Country{Code: code, Name: name, Status: "none"},
		More:    []More{{Label: "every country on record", Command: "list"}},
	}
}

// platformUsage says how to reach the grammar on each platform.
var platformUsage = map[string][]string{
	"slack": {
		"/agreement <query> in any channel, e.g. /agreement uganda",
		"@agreementbot <query> in a channel or thread (slash commands do not work in threads)",
		"a direct message to agreementbot with just the query",
	},
	"discord": {
		"/agreement query:<query>, e.g. /agreement query:uganda (suggestions appear as you type)",
		"/agreement with no query shows this help",
	},
	"console": {"type the query and press Enter, e.g. uganda; quit to leave"},
}

// help lists the grammar, with a problem stated first when there is one.
func (b *Bot) help(problem string) Reply {
	r := Reply{Kind: KindHelp, Notice: problem, Title: "agreementbot: US third-country deportation agreements"}
	r.Summary = "Ask about a country, a topic, or use a command. Every answer cites its sources and says how recent the facts are."
	items := make([]string, 0, len(commands))
	for _, c := range commands {
		items = append(items, fmt.Sprintf("%s: %s (e.g. %s)", c.usage, c.what, c.example))
	}
	r.Fields = []Field{{Name: "Commands", Items: items}}
	return r
}

func (b *Bot) about() Reply {
	s := b.store
	return Reply{
		Kind:  KindAbout,
		Title: "About agreementbot",
		Summary: fmt.Sprintf("agreementbot answers which countries agreed to take people deported from the United States who are not their own citizens (third-country deportations): on what terms, since when, and who reported it. It knows %d countries and %d topics, citing %d sources.",
			len(s.Countries()), len(s.Topics()), len(s.Sources())),
		Fields: []Field{
			{Name: "Facts as of", Items: []string{fmt.Sprintf("%s, the newest dated item in the data. Developments after that date are not covered: a status may have changed since.", b.asOf)}},
			{Name: "Where the facts come from", Items: []string{"Checked fact sheets restated in plain words; every fact is tied to its sources (news outlets, government statements, court records, NGO reports). Weak, single-source and unconfirmed claims are marked as such, and conflicting reports are shown side by side."}},
			{Name: "Report a wrong or missing fact", Items: []string{b.opts.ReportTo}},
			{Name: "Version", Items: []string{b.opts.Version}},
		},
	}
}

// Complete offers autocomplete choices: countries on record first, then
// topics and other countries, then the command words that match.
func (b *Bot) Complete(_ context.Context, prefix string) []Choice {
	const max = 25
	p := strings.TrimSpace(prefix)
	var out []Choice
	if p == "" {
		for _, c := range b.store.Countries() {
			if len(out) == max {
				break
			}
			out = append(out, Choice{Name: c.Name + " (" + statusLabel(c) + ")", Value: strings.ToLower(c.Name)})
		}
		return out
	}
	first, _, hasArg := strings.Cut(strings.ToLower(p), " ")
	if name, ok := commandByWord[first]; ok && hasArg {
		// A command with an argument: keep the command, complete the argument.
		arg := strings.TrimSpace(p[len(first):])
		for _, sg := range b.store.Complete(arg, max) {
			out = append(out, b.choice(sg, name+" "))
		}
		return append([]Choice{{Name: clip(p, 100), Value: clip(p, 100)}}, out[:min(len(out), max-1)]...)
	}
	for _, sg := range b.store.Complete(p, max) {
		out = append(out, b.choice(sg, ""))
	}
	lp := strings.ToLower(p)
	for _, c := range commands {
		if c.name != cmdLookup && strings.HasPrefix(c.name, lp) && len(out) < max {
			out = append(out, Choice{Name: c.usage, Value: c.name})
		}
	}
	return out
}

func (b *Bot) choice(sg knowledge.Suggestion, prefix string) Choice {
	if sg.Topic != "" {
		return Choice{Name: clip(prefix+sg.Name+" (topic)", 100), Value: clip(prefix+sg.Topic, 100)}
	}
	label := "nothing on record"
	if c := b.store.Country(sg.Code); c != nil {
		label = statusLabel(c)
	}
	return Choice{Name: clip(prefix+sg.Name+" ("+label+")", 100), Value: clip(prefix+strings.ToLower(sg.Name), 100)}
}

func statusLabel(c *knowledge.Country) string {
	if c.Disputed {
		return string(c.Status) + ", disputed"
	}
	return string(c.Status)
}

// clip shortens s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// parseDay reads a since argument.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	return t, err == nil
}

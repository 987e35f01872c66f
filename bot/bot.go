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
	// CorrectionsURL is where people report a wrong fact: shown by about
	// and at the foot of every full card. Empty: about says to contact
	// whoever runs the bot.
	CorrectionsURL string
	// Now is the clock the facts' age and the words of a time ("this
	// week", "in january") are read from, as a UTC day; default time.Now.
	Now func() time.Time
}

// StaleAfter is the age past which an answer says newer reporting may
// exist.
const StaleAfter = 90 * 24 * time.Hour

// Bot answers queries from one immutable store. It is safe for concurrent
// use: everything it derives from the store is computed once.
type Bot struct {
	store *knowledge.Store
	opts  Options
	asOf  string

	memo *memo    // every answer computed from the store, by what was asked
	lex  *lexicon // the words of questions, from the store
}

// memo holds the answers the bot has computed from its store, each built
// once, with its rendering, on first use (or by Warm for the cards): a bot
// answers from one immutable store, so an answer never goes stale, and a
// reload makes a new bot with an empty memo. Its keys are made from closed
// vocabularies (codes, aspects, regions, statuses), never from free text,
// and it is bounded twice over: by that vocabulary and by its caches
// (maps, at about 250 KB each, are kept a few at a time).
type memo struct {
	mu      sync.Mutex // makes finding or adding a card one step
	answers *Cache[*card]
	maps    *Cache[*card]
}

// Bounds of the memo: every card, focused answer, list and from answer
// fits in the first many times over.
const (
	keptAnswers = 4096
	keptMaps    = 16
)

func newMemo(answers, maps int) *memo {
	return &memo{answers: NewCache[*card](answers), maps: NewCache[*card](maps)}
}

func (m *memo) cache(key string) *Cache[*card] {
	if strings.HasPrefix(key, "map:") {
		return m.maps
	}
	return m.answers
}

// card is one memoized answer; ready is closed once it is built.
type card struct {
	once  sync.Once
	ready chan struct{}
	reply Reply
}

// get returns the answer for key, building it (once) with build.
func (m *memo) get(key string, build func() Reply) Reply {
	m.mu.Lock()
	c, ok := m.cache(key).Get(key)
	if !ok {
		c = &card{ready: make(chan struct{})}
		m.cache(key).Add(key, c)
	}
	m.mu.Unlock()
	c.once.Do(func() {
		defer close(c.ready)
		c.reply = build()
		c.reply.text = c.reply.render()
	})
	return c.reply
}

// MaxQuery is the longest query answered; longer ones get help.
const MaxQuery = 500

// New builds a Bot. Cards are rendered on first use; long-running modes
// call Warm to render them all ahead of the first question.
func New(store *knowledge.Store, opts Options) *Bot {
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Bot{store: store, opts: opts, asOf: store.AsOf().ISO(), memo: newMemo(keptAnswers, keptMaps), lex: newLexicon(store.Words())}
}

// peek returns the answer for key if it has been built, without building
// it.
func (m *memo) peek(key string) (Reply, bool) {
	c, ok := m.cache(key).Peek(key)
	if !ok {
		return Reply{}, false
	}
	select {
	case <-c.ready:
		return c.reply, true
	default:
		return Reply{}, false // not built yet: never build here
	}
}

// memoized returns the answer kept under key, building it once with build
// and making its buttons with it. Each kind of answer has one method below
// that owns its key, so that the key and the answer it names never drift
// apart; a button's answer comes back through the same method (byKey).
func (b *Bot) memoized(key string, build func() Reply) Reply {
	return b.memo.get(key, func() Reply {
		r := build()
		r.Buttons = b.buttons(r)
		return r
	})
}

// card is a country's whole card.
func (b *Bot) card(c *knowledge.Country) Reply {
	return b.memoized("card:"+c.Code, func() Reply { return b.countryCard(c) })
}

// topic is a topic's card.
func (b *Bot) topic(t *knowledge.Topic) Reply {
	return b.memoized("topic:"+t.ID, func() Reply { return b.topicCard(t) })
}

// focusedAnswer is one aspect of a country.
func (b *Bot) focusedAnswer(c *knowledge.Country, a knowledge.Aspect) Reply {
	return b.memoized("focused:"+c.Code+":"+string(a), func() Reply { return b.focused(c, a) })
}

// listAnswer is the list of countries passing f, answering aspect a.
func (b *Bot) listAnswer(f Filter, a knowledge.Aspect) Reply {
	return b.memoized("list:"+f.Region+":"+f.Status+":"+string(a), func() Reply { return b.filtered(f, a) })
}

// fromAnswer is the countries that took people of the nationality code,
// narrowed by f.
func (b *Bot) fromAnswer(code string, f Filter) Reply {
	return b.memoized("from:"+code+":"+f.Region+":"+f.Status, func() Reply { return b.fromFiltered(code, f) })
}

// rankingAnswer is the countries passing f ranked by the people they
// received.
func (b *Bot) rankingAnswer(f Filter) Reply {
	return b.memoized("ranking:"+f.Region+":"+f.Status, func() Reply { return b.ranking(f) })
}

// totalsAnswer is the reported totals and the sum on record.
func (b *Bot) totalsAnswer() Reply {
	return b.memoized("totals", b.totals)
}

// Warm does ahead of time, in the background, what the first questions
// would otherwise wait for: the store's name and search indexes, and
// every card. It returns at once. A one-shot answer (ask) skips it.
func (b *Bot) Warm(ctx context.Context) {
	b.store.Warm(ctx)
	go func() {
		for _, c := range b.store.Countries() {
			if ctx.Err() != nil {
				return
			}
			b.card(c)
		}
		for _, t := range b.store.Topics() {
			b.topic(t)
		}
	}()
}

// Store returns the store the bot answers from.
func (b *Bot) Store() *knowledge.Store { return b.store }

// Handle answers one query. It never fails: bad input gets a friendly
// reply saying what was wrong.
func (b *Bot) Handle(_ context.Context, q Query) Reply {
	// The clock is read once: the day a question's words of time mean is
	// the day of its cache key, in UTC whatever the clock's zone.
	now := b.opts.Now().UTC()
	var r Reply
	if len(q.Text) > MaxQuery {
		// Nobody needs more to name a country or a command, and a bound
		// keeps every answer cheap whatever is pasted in.
		r = b.help(fmt.Sprintf("That is %d characters long; ask about one country, topic or command at a time (at most %d characters).", len(q.Text), MaxQuery))
	} else {
		p := parsed{cmd: cmdAction}
		if q.Button == "" {
			p = parse(q.Text)
		}
		if p.cmd != cmdLookup && p.cmd != cmdHelp && p.cmd != cmdAction {
			// A country's whole name wins over a command word in it:
			// "new zealand" is not "new" (latest) about "zealand".
			if _, ok := b.store.Named(strings.TrimRight(strings.TrimSpace(q.Text), "?!. ")); ok {
				p = parsed{cmd: cmdLookup, arg: strings.TrimSpace(q.Text)}
			}
		}
		r = b.answer(q, p, now)
	}
	if r.Kind == KindHelp && len(q.Usage) > 0 {
		r.Fields = append([]Field{{Name: "How to ask here", Items: q.Usage}}, r.Fields...)
	}
	r.Query = strings.TrimSpace(q.Text)
	switch {
	case q.Button != "":
		r.Visibility = Private // a button's answer is for the person who pressed it
	case r.Kind == KindHelp, r.Kind == KindAbout, r.Kind == KindNotFound, r.Kind == KindRateLimited, r.Kind == KindError:
		r.Visibility = Private
	default:
		r.Visibility = b.opts.Visibility
	}
	r.AsOf = b.asOf
	r.Age, r.Stale = age(b.store.AsOfTime(), now)
	if r.Kind == KindCountry || r.Kind == KindTopic {
		r.Corrections = b.opts.CorrectionsURL
	}
	if r.Buttons == nil {
		r.Buttons = b.buttons(r)
	}
	if r.Kind != KindMap {
		// The same words (or button), on the same data, the same day, for
		// the same audience, get the same answer: the bot keeps no other
		// state. A button's answer depends on its value alone (its digest
		// says whether to note newer data); "b:" and "q:" keep a button's
		// key from ever being a typed question's.
		what := "q:" + strings.TrimSpace(q.Text)
		if q.Button != "" {
			what = "b:" + q.Button
		}
		r.CacheKey = b.store.Digest() + "|" + now.Format("2006-01-02") + "|" + r.Visibility.String() + "|" + what
	}
	return r
}

// age says how old facts dated asOf are at now, in words, and whether they
// are past StaleAfter.
func age(asOf, now time.Time) (string, bool) {
	d := now.Sub(asOf)
	days := int(d.Hours() / 24)
	stale := d > StaleAfter
	switch {
	case days < 1:
		return "today", stale
	case days == 1:
		return "yesterday", stale
	case days < 14:
		return fmt.Sprintf("%d days ago", days), stale
	case days < 61:
		return fmt.Sprintf("%d weeks ago", days/7), stale
	case days < 730:
		return fmt.Sprintf("%d months ago", int(float64(days)/30.44)), stale
	}
	return fmt.Sprintf("%d years ago", days/365), stale
}

// answer answers a parsed query at now, a UTC time.
func (b *Bot) answer(q Query, p parsed, now time.Time) Reply {
	switch p.cmd {
	case cmdAction:
		return b.act(q)
	case cmdHelp:
		return b.help("")
	case cmdAbout:
		return b.about()
	case cmdList:
		return b.list(p.arg, now)
	case cmdSearch:
		return b.search(p.arg)
	case cmdFrom:
		return b.from(p.arg)
	case cmdSources:
		return b.sources(p.arg)
	case cmdLatest:
		return b.latest(p.arg)
	case cmdSince:
		return b.since(p.arg, now)
	case cmdMap:
		return b.mapCommand(p.arg, now)
	}
	return b.question(p.arg, now)
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
	if ms := b.store.Mentions(code); len(ms) > 0 {
		// Named by the sources as approached, or as having answered: say
		// what is on record, never "nothing".
		ci := newCites(b.store)
		var items []string
		for _, m := range ms {
			items = append(items, ci.fact(m.Fact))
		}
		return Reply{
			Kind:  KindNoAgreement,
			Title: name,
			Summary: fmt.Sprintf("%s has no card of its own: no US agreement with %s or transfer there is on record as of %s. What the sources say about it:",
				name, name, b.asOf),
			Fields:  []Field{{Name: "On record", Items: items}},
			Sources: ci.list,
			Country: &Country{Code: code, Name: name, Status: "none"},
			More:    []More{{Label: "every country on record", Command: "list"}},
		}
	}
	return Reply{
		Kind:  KindNoAgreement,
		Title: name,
		Summary: fmt.Sprintf("Nothing is on record for %s as of %s: the sources this bot uses report no US request, agreement or transfer of third-country deportees involving %s. That is not proof that none exists.",
			name, b.asOf, name),
		Country: &Country{Code: code, Name: name, Status: "none"},
		More:    []More{{Label: "every country on record", Command: "list"}},
	}
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

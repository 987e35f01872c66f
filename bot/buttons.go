package bot

// This file is the short form's buttons: which buttons an answer gets,
// their keys, and the answers to pressing them. A key is short and fixed,
// made from the answer's own key and the data digest, never from the text
// someone typed: "v1:0db34b73:timeline:c/UG", "v1:0db34b73:page:2:l/africa/".

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

// PageSize is how many entries a page of a list, search or latest answer
// shows in the short form.
const PageSize = 10

// MaxButtonKey is the longest button key: Discord's custom_id limit (Slack
// allows more). An answer whose keys would be longer gets no page buttons.
const MaxButtonKey = 100

// The button actions.
const (
	ActTimeline = "timeline" // a country's timeline
	ActSources  = "sources"  // its sources
	ActCard     = "card"     // the whole card
	ActPage     = "page"     // a page of a list
	ActAll      = "all"      // the whole list
)

// Action is a button press: which part of which answer to show.
type Action struct {
	Name   string // one of the Act constants
	Key    string // the answer's key (Reply.Key)
	Page   int    // ActPage: the page, from 1
	Digest string // the data digest when the button was made
}

// Button is one button under an answer.
type Button struct {
	Label  string // what it says: "Timeline", "Next page"
	Action string // the Act constant, for metrics and action ids
	Value  string // the key to send back: see ButtonKey
}

// ErrBadButton is returned by ParseButton for a value the bot did not make.
var ErrBadButton = errors.New("not a button this bot made")

// ButtonKey writes an action as a button's value.
func ButtonKey(a Action) string {
	if a.Name == ActPage {
		return "v1:" + a.Digest + ":" + a.Name + ":" + strconv.Itoa(a.Page) + ":" + a.Key
	}
	return "v1:" + a.Digest + ":" + a.Name + ":" + a.Key
}

// ParseButton reads a button's value strictly: the version, an 8-digit hex
// digest, a known action, a page number where one belongs, and a key of a
// known kind. Anything else is ErrBadButton.
func ParseButton(v string) (Action, error) {
	if len(v) > MaxButtonKey {
		return Action{}, ErrBadButton
	}
	parts := strings.SplitN(v, ":", 4)
	if len(parts) != 4 || parts[0] != "v1" || !isHex8(parts[1]) {
		return Action{}, ErrBadButton
	}
	a := Action{Digest: parts[1], Name: parts[2], Key: parts[3]}
	switch a.Name {
	case ActTimeline, ActSources, ActCard, ActAll:
	case ActPage:
		n, key, ok := strings.Cut(a.Key, ":")
		p, err := strconv.Atoi(n)
		if !ok || err != nil || p < 1 || p > 1000 || strconv.Itoa(p) != n {
			return Action{}, ErrBadButton
		}
		a.Page, a.Key = p, key
	default:
		return Action{}, ErrBadButton
	}
	if !validKey(a.Key) {
		return Action{}, ErrBadButton
	}
	return a, nil
}

func isHex8(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// validKey accepts the answer keys the bot makes: a kind letter, a slash,
// and fields of lower-case letters, digits, '-', '+', '/' and upper-case
// country codes.
func validKey(k string) bool {
	if len(k) < 2 || k[1] != '/' || !strings.ContainsRune("clfsnwrpo", rune(k[0])) {
		return false
	}
	for i := 2; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// Answer keys, by kind of answer.
func keyCard(code string) string           { return "c/" + code }
func keyList(f Filter) string              { return "l/" + f.Region + "/" + f.Status }
func keyFrom(code string, f Filter) string { return "f/" + code + "/" + f.Region + "/" + f.Status }
func keySources(code string) string        { return "o/" + code }
func keyTopic(id string) string            { return "p/" + id }
func keyLatest(code string) string         { return "n/" + code }

// keyRanking carries a ranking's region and, if any, its status: a key
// made before rankings kept their status ("r/africa") still parses, and
// means the same ranking as before.
func keyRanking(f Filter) string {
	if f.Status == "" {
		return "r/" + f.Region
	}
	return "r/" + f.Region + "/" + f.Status
}

// keySearch carries a search's folded words; "" when they hold anything
// but letters and digits.
func keySearch(words string) string {
	f := strings.Fields(knowledge.Fold(words))
	k := "s/" + strings.Join(f, "+")
	if !validKey(k) {
		return ""
	}
	return k
}

// keyWindow is a time window's key: its first and last days.
func keyWindow(w window) string {
	k := "w/" + w.from.Format("2006-01-02") + "/"
	if !w.until.IsZero() {
		k += w.until.Format("2006-01-02")
	}
	return k
}

// buttons are the buttons of an answer's short form.
func (b *Bot) buttons(r Reply) []Button {
	digest := b.store.Digest()
	mk := func(label, act, key string, page int) Button {
		return Button{Label: label, Action: act, Value: ButtonKey(Action{Name: act, Key: key, Page: page, Digest: digest})}
	}
	if r.Key == "" {
		return nil
	}
	var bs []Button
	switch r.Kind {
	case KindCountry:
		code := r.Country.Code
		bs = []Button{mk("Timeline", ActTimeline, keyCard(code), 0), mk("Sources", ActSources, keyCard(code), 0)}
		if r.Aspect != "" || !r.Full {
			bs = append(bs, mk("Full card", ActCard, keyCard(code), 0))
		}
	case KindTopic:
		if !r.Full {
			bs = []Button{mk("Full card", ActCard, r.Key, 0)}
		}
	default:
		if !r.Paged() {
			return nil
		}
		page, pages := r.PageNumber(), r.Pages()
		if page > 1 {
			bs = append(bs, mk("Previous page", ActPage, r.Key, page-1))
		}
		if page < pages {
			bs = append(bs, mk("Next page", ActPage, r.Key, page+1))
		}
		bs = append(bs, mk("Full list", ActAll, r.Key, 0))
	}
	for _, bt := range bs {
		if len(bt.Value) > MaxButtonKey {
			return nil // never a button the platform would refuse
		}
	}
	return bs
}

// Pages is how many pages of PageSize entries the answer's list has.
func (r Reply) Pages() int {
	return max(1, (r.entries()+PageSize-1)/PageSize)
}

// PageNumber is the page the short form shows, from 1.
func (r Reply) PageNumber() int { return min(max(r.Page, 1), r.Pages()) }

// act answers a button press. A value the bot did not make gets a polite
// reply, never an error.
func (b *Bot) act(q Query) Reply {
	a, err := ParseButton(q.Button)
	if err != nil {
		return b.help("That button is not one of mine, or it is damaged; ask again with a command.")
	}
	r, ok := b.byKey(a.Key)
	if !ok {
		return b.help("That button is not one I can answer any more; ask again.")
	}
	switch a.Name {
	case ActTimeline, ActSources, ActCard:
		if r.Kind != KindCountry && r.Kind != KindTopic {
			return b.help("That button is not one I can answer any more; ask again.")
		}
		switch a.Name {
		case ActTimeline:
			r = timelineOf(r)
		case ActSources:
			r = sourcesReply(r, fmt.Sprintf("%d sources. Outlet, title, date and a link for each.", len(r.Sources)))
		case ActCard:
			r.Full = true
		}
	case ActPage:
		r.Page = a.Page
	case ActAll:
		r.Full = true
	}
	r.Buttons = nil // the page or part shown has its own
	if a.Digest != b.store.Digest() {
		r.Notice = fmt.Sprintf("The data has been updated since that button was made (version %s, now %s): this answer is from the current data.", a.Digest, b.store.Digest())
	}
	return r
}

// timelineOf is a card's timeline alone: shown whole, with no buttons of
// its own (no Key), since the card it came from has them.
func timelineOf(card Reply) Reply {
	return Reply{Kind: card.Kind, Title: card.Title + ": timeline", Status: card.Status, Disputed: card.Disputed,
		Country: card.Country, Timeline: card.Timeline, Sources: card.Sources, Full: true}
}

// byKey answers an answer's key again, from the current data.
func (b *Bot) byKey(key string) (Reply, bool) {
	kind, rest, _ := strings.Cut(key, "/")
	f := strings.Split(rest, "/")
	field := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	switch kind {
	case "c":
		if c := b.store.Country(field(0)); c != nil {
			return b.card(c), true
		}
	case "p":
		if t := b.store.Topic(field(0)); t != nil {
			return b.topic(t), true
		}
	case "l":
		fl := Filter{Region: field(0), Status: field(1)}
		if !b.validFilter(fl) {
			return Reply{}, false
		}
		return b.listAnswer(fl, knowledge.AspectNone), true
	case "f":
		fl := Filter{Region: field(1), Status: field(2)}
		if _, ok := b.store.Nationality(field(0)); !ok || !b.validFilter(fl) {
			return Reply{}, false
		}
		return b.fromAnswer(field(0), fl), true
	case "s":
		return b.search(strings.ReplaceAll(rest, "+", " ")), true
	case "o":
		r := b.sources(field(0))
		return r, r.Kind == KindSources
	case "n":
		return b.latest(field(0)), true
	case "r":
		fl := Filter{Region: field(0), Status: field(1)}
		if !b.validFilter(fl) {
			return Reply{}, false
		}
		return b.rankingAnswer(fl), true
	case "w":
		from, err1 := time.Parse("2006-01-02", field(0))
		w := window{from: from, said: "since " + field(0)}
		var err2 error
		if field(1) != "" {
			w.until, err2 = time.Parse("2006-01-02", field(1))
			w.said = "from " + field(0) + " to " + w.until.AddDate(0, 0, -1).Format("2006-01-02")
		}
		if err1 != nil || err2 != nil {
			return Reply{}, false
		}
		return b.eventsIn(w), true
	}
	return Reply{}, false
}

// validFilter reports whether a filter names only known regions and
// statuses.
func (b *Bot) validFilter(f Filter) bool {
	if f.Region != "" {
		if _, ok := b.store.Words().Region(f.Region); !ok {
			return false
		}
	}
	switch f.Status {
	case "", knowledge.FilterAgreed, knowledge.FilterPaid, filterDisputed:
		return true
	}
	return knowledge.Status(f.Status).Valid()
}

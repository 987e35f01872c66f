package knowledge

import (
	"slices"
	"sync"
	"time"
)

// Status is a stage in a country's history with the US programme. The
// vocabulary is closed; see data/README.md.
type Status string

// The statuses, in the order a list shows them.
const (
	Received  Status = "received"
	Signed    Status = "signed"
	Agreed    Status = "agreed"
	Announced Status = "announced"
	Requested Status = "requested"
	Refused   Status = "refused"
	Ended     Status = "ended"
	Special   Status = "special"
)

// Statuses returns the whole vocabulary, in display order. The slice is
// the caller's own: changing it changes nothing else.
func Statuses() []Status {
	return []Status{Received, Signed, Agreed, Announced, Requested, Refused, Ended, Special}
}

// Meaning explains a status in a few words.
func (s Status) Meaning() string {
	switch s {
	case Requested:
		return "the US asked; no known agreement"
	case Announced:
		return "publicly said it would take people; no known written agreement"
	case Agreed:
		return "agreed to take people"
	case Signed:
		return "a written agreement was signed"
	case Received:
		return "people were actually transferred there"
	case Refused:
		return "said no"
	case Ended:
		return "an agreement or practice that has stopped"
	case Special:
		return "a special case, not an agreement"
	}
	return ""
}

// Valid reports whether s is in the vocabulary.
func (s Status) Valid() bool {
	switch s {
	case Received, Signed, Agreed, Announced, Requested, Refused, Ended, Special:
		return true
	}
	return false
}

// Caveat qualifies how well a fact is supported.
type Caveat string

// The caveats.
const (
	NoCaveat     Caveat = ""
	SingleSource Caveat = "single_source" // only the original article supports it
	Weak         Caveat = "weak"          // one low-reliability source
	Unconfirmed  Caveat = "unconfirmed"   // the fact sheets could not confirm it
	Disputed     Caveat = "disputed"      // another source, often the government, contradicts it
)

// Label is how the caveat is shown next to a fact.
func (c Caveat) Label() string {
	switch c {
	case SingleSource:
		return "single source: only the original article says this"
	case Weak:
		return "weak: one low-reliability source"
	case Unconfirmed:
		return "unconfirmed"
	case Disputed:
		return "disputed: another source contradicts this"
	}
	return ""
}

// Fact is one sourced statement.
type Fact struct {
	Text    string
	Sources []string // source ids
	Caveat  Caveat
}

// Event is a dated fact on a timeline.
type Event struct {
	Date   Date
	Status Status // the stage it marks, or ""
	Fact
	line int // where it is in its file
}

// Group is a named group of nationalities a country agreed to take.
type Group struct {
	Name    string
	Codes   []string // ISO codes, when the source names them
	Sources []string
}

// Arrival records people of one nationality actually sent to a country.
type Arrival struct {
	Code    string
	Count   int // 0 when not reported
	Sources []string
	Caveat  Caveat
}

// Payment is money reported paid (or promised) for taking people.
type Payment struct {
	Fact
	Amount   float64
	Currency string
	To       string
	People   int // -1 when not reported
	Date     Date
}

// Country is one country on record.
type Country struct {
	Code     string // ISO 3166-1 alpha-2, XK for Kosovo
	Name     string
	Aliases  []string
	Status   Status
	Disputed bool
	Summary  string

	Accepts     []Fact
	Groups      []Group
	Conditions  []Fact
	Numbers     []Fact
	Received    []Arrival
	LegalBasis  []Fact
	HumanRights []Fact
	Payments    []Payment
	Conflicts   []Fact
	Notes       []Fact
	Timeline    []Event

	File string // the data file it came from

	nameLines []int // lines of Name and Aliases in File, for load problems
}

// Topic is a subject that is not a country: law, court, overview, money.
type Topic struct {
	ID       string
	Title    string
	Aliases  []string
	Summary  string
	Facts    []Fact
	Timeline []Event
	File     string
}

// Source is a citation.
type Source struct {
	ID     string
	Outlet string
	Via    string
	Title  string
	Date   Date
	URLs   []string
	Low    bool // of low reliability
	Note   string
}

// Store is the loaded, validated, indexed fact store. It is immutable.
type Store struct {
	countries    []*Country // sorted by name
	byCode       map[string]*Country
	topics       []*Topic
	topicByID    map[string]*Topic
	sources      []*Source // in file order
	sourceByID   map[string]*Source
	demonyms     map[string][]string // code -> words
	demonymIndex map[string]string   // folded word -> code
	groups       map[string]namedGroup
	asOf         Date
	digest       string

	quick       map[string]nameEntry // data, topic and English names: enough to validate and for most answers
	codes       map[string]string    // lower-case alpha-2 or alpha-3 -> alpha-2
	english     map[string]string    // code -> CLDR English name
	namesMu     sync.Mutex           // held while names is built
	searchMu    sync.Mutex           // held while search is built
	indexedOnce sync.Once            // closes indexed
	deriveOnce  sync.Once            // builds from and events (derive)
	indexed     chan struct{}        // closed when names and search are built
	names       *nameIndex           // set once, under namesMu; read after indexed is closed
	search      *searchIndex         // set once, under searchMu; read after indexed is closed
	from        map[string][]FromHit // nationality code -> countries
	events      []EventHit           // dated events, newest first
	paid        []*Country
	words       *Lexicon
}

type namedGroup struct {
	Name  string
	Codes []string
}

// Countries returns every country on record, sorted by name.
func (s *Store) Countries() []*Country { return slices.Clip(s.countries) }

// Country returns the country with an ISO alpha-2 code, or nil.
func (s *Store) Country(code string) *Country { return s.byCode[code] }

// Topics returns the topics in file order.
func (s *Store) Topics() []*Topic { return slices.Clip(s.topics) }

// Topic returns a topic by id, or nil.
func (s *Store) Topic(id string) *Topic { return s.topicByID[id] }

// Source returns a source by id, or nil.
func (s *Store) Source(id string) *Source { return s.sourceByID[id] }

// Sources returns every source in file order.
func (s *Store) Sources() []*Source { return slices.Clip(s.sources) }

// AsOf is the newest dated item in the data.
func (s *Store) AsOf() Date { return s.asOf }

// Digest identifies the data the store was loaded from: eight lower-case
// hex digits, the start of a SHA-256 of the data files' names and bytes,
// taken in name order. The same files give the same digest wherever they
// are loaded (embedded or from a directory, on every replica, whatever the
// directory's order), and a change to any byte of them gives another, with
// the odds of a clash for two versions about one in four billion. Only the
// files Load reads count: README.md and anything else not named .yaml play
// no part.
//
// Use it where something derived from the data must not outlive it: in
// cache keys; in button keys and URLs that a later request comes back
// with, so that one made from other data is recognised as stale; and in
// about, so that an operator can tell which data each replica serves.
func (s *Store) Digest() string { return s.digest }

// AsOfTime is AsOf as a time, for metrics.
func (s *Store) AsOfTime() time.Time { return s.asOf.Earliest() }

// Paid returns the countries with at least one reported payment, by name.
func (s *Store) Paid() []*Country { return slices.Clip(s.paid) }

// GroupName returns the display name of a nationality group id.
func (s *Store) GroupName(id string) string { return s.groups[id].Name }

package knowledge

import (
	"slices"
	"strings"
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
	Denied    Status = "denied"
	Ended     Status = "ended"
	Special   Status = "special"
)

// Statuses returns the whole vocabulary, in display order. The slice is
// the caller's own: changing it changes nothing else.
func Statuses() []Status { return slices.Clone(statuses[:]) }

var statuses = [...]Status{Received, Signed, Agreed, Announced, Requested, Refused, Denied, Ended, Special}

// Meaning explains a status in a few words.
func (s Status) Meaning() string {
	switch s {
	case Requested:
		return "the US asked, or talks are reported; no known agreement"
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
	case Denied:
		return "denied being asked; no request, deal or transfer on record"
	case Ended:
		return "an agreement or practice that has stopped"
	case Special:
		return "a special case, not a deal to take other countries' deportees: a transit stop, a one-off, or removals to a nominal home country"
	}
	return ""
}

// Valid reports whether s is in the vocabulary.
func (s Status) Valid() bool { return slices.Contains(statuses[:], s) }

// Caveat qualifies how well a fact is supported.
type Caveat string

// The caveats.
const (
	NoCaveat     Caveat = ""
	SingleSource Caveat = "single_source" // only the original article supports it
	Weak         Caveat = "weak"          // one low-reliability source
	Unconfirmed  Caveat = "unconfirmed"   // the fact sheets could not confirm it
	Disputed     Caveat = "disputed"      // another source, often the government, contradicts it
	// UnverifiedWording marks a paraphrase of wording that no available
	// source gives exactly (it was reconstructed); it never carries
	// quotation marks.
	UnverifiedWording Caveat = "unverified_wording"
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
	case UnverifiedWording:
		return "wording not verified"
	}
	return ""
}

// Fact is one sourced statement.
type Fact struct {
	Text    string
	Sources []string // source ids
	Caveat  Caveat
	// Countries names the countries a topic fact is about (ISO codes, XK
	// for Kosovo), so that a country without a card can show what is on
	// record about it; see Store.Mentions. Only topic facts carry it.
	Countries []string
}

// Event is a dated fact on a timeline.
type Event struct {
	Date   Date
	Status Status // the stage it marks, or ""
	// Reported: the date is when the event was reported, not when it
	// happened (dated_by: report); say "reported on ...".
	Reported bool
	Fact
	line int // where it is in its file
}

// Group is a named group of nationalities a country agreed to take.
type Group struct {
	Name    string
	Codes   []string // ISO codes, when the source names them
	Sources []string
	Date    Date   // when that arrangement was agreed; unknown when not given
	Note    string // plain words for users about the arrangement, or ""
}

// Arrival records people of one nationality actually sent to a country.
type Arrival struct {
	Code    string
	Count   int // 0 when not reported
	Sources []string
	Caveat  Caveat
	Date    Date // when they arrived; unknown when not given
}

// Count is one reported number of people, as one source gives it.
type Count struct {
	Fact
	Count   int
	AtLeast bool // the source gives a floor ("at least", "more than")
	AsOf    Date // the date the count stands at
}

// Total is a reported aggregate count across countries.
type Total struct {
	Count
	Scope string // what is counted, in plain words
	Of    string // the unit counted: one of TotalUnits
}

// What a total counts.
const (
	TotalPeople     = "people"     // people deported
	TotalCountries  = "countries"  // countries asked, agreeing, receiving
	TotalAgreements = "agreements" // agreements at various stages
)

// TotalUnits lists what a total may count.
func TotalUnits() []string { return []string{TotalPeople, TotalCountries, TotalAgreements} }

// Mention is a topic fact that names a country.
type Mention struct {
	Topic *Topic
	Fact  Fact
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
	// OrderNote says, in plain words for users, why the stages of the key
	// dates are not in the usual order (requested, agreed, signed,
	// received), or is "".
	OrderNote string

	Accepts     []Fact
	Groups      []Group
	Conditions  []Fact
	Numbers     []Fact
	Received    []Arrival
	People      []Count // reported counts of people sent there, one per source and date
	LegalBasis  []Fact
	HumanRights []Fact
	Payments    []Payment
	Conflicts   []Fact
	Notes       []Fact
	Timeline    []Event
	// EditorNotes are for maintainers (garbles, provenance, typos in a
	// source): never shown to users.
	EditorNotes []Fact

	File string // the data file it came from

	nameLines   []int // lines of Name and Aliases in File, for load problems
	editorLines []int // lines of EditorNotes in File
}

// Topic is a subject that is not a country: law, court, overview, money.
type Topic struct {
	ID       string
	Title    string
	Aliases  []string
	Summary  string
	Facts    []Fact
	Totals   []Total // reported aggregate counts (overview)
	Timeline []Event
	// EditorNotes are for maintainers: never shown to users.
	EditorNotes []Fact
	File        string

	editorLines []int
}

// EditorNote is an editor note with where it is written, for maintainers.
type EditorNote struct {
	File  string
	Line  int
	Owner string // the country code or topic id it belongs to
	Fact
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

// Mentions returns the topic facts that name the country with code in
// their countries list, in file order.
func (s *Store) Mentions(code string) []Mention {
	var out []Mention
	for _, t := range s.topics {
		for _, f := range t.Facts {
			if slices.Contains(f.Countries, code) {
				out = append(out, Mention{Topic: t, Fact: f})
			}
		}
	}
	return out
}

// EditorNotes returns every editor note, with its file and line: topics
// first, then countries by file name.
func (s *Store) EditorNotes() []EditorNote {
	var out []EditorNote
	for _, t := range s.topics {
		for i, f := range t.EditorNotes {
			out = append(out, EditorNote{File: t.File, Line: t.editorLines[i], Owner: t.ID, Fact: f})
		}
	}
	cs := slices.Clone(s.countries)
	slices.SortFunc(cs, func(a, b *Country) int { return strings.Compare(a.File, b.File) })
	for _, c := range cs {
		for i, f := range c.EditorNotes {
			out = append(out, EditorNote{File: c.File, Line: c.editorLines[i], Owner: c.Code, Fact: f})
		}
	}
	return out
}

// GroupName returns the display name of a nationality group id.
func (s *Store) GroupName(id string) string { return s.groups[id].Name }

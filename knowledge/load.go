package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with the data, located by file and line.
type Problem struct {
	File string
	Line int // 0 when the format gives no line
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// LoadError lists every problem found while loading, not just the first.
// Match it with errors.As.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "knowledge: %d problem(s) in the data files:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Scalar wrappers remember the line they came from, so that semantic
// problems found after decoding can still name it. Only scalars get custom
// unmarshalling: mappings go through the strict decoder, which rejects
// unknown fields.
type str struct {
	V    string
	Line int
}

func (s *str) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a single value, not a list or mapping", n.Line)}}
	}
	s.V, s.Line = n.Value, n.Line
	return nil
}

type factFile struct {
	Text    str   `yaml:"text"`
	Sources []str `yaml:"sources"`
	Caveat  str   `yaml:"caveat"`
}

type eventFile struct {
	Date        str   `yaml:"date"`
	Approximate bool  `yaml:"approximate"`
	DateNote    str   `yaml:"date_note"`
	Status      str   `yaml:"status"`
	Text        str   `yaml:"text"`
	Sources     []str `yaml:"sources"`
	Caveat      str   `yaml:"caveat"`
}

type groupFile struct {
	Name    str   `yaml:"name"`
	Group   str   `yaml:"group"`
	Codes   []str `yaml:"codes"`
	Sources []str `yaml:"sources"`
}

type arrivalFile struct {
	Code    str   `yaml:"code"`
	Count   int   `yaml:"count"`
	Sources []str `yaml:"sources"`
}

type paymentFile struct {
	Text     str     `yaml:"text"`
	Amount   float64 `yaml:"amount"`
	Currency str     `yaml:"currency"`
	To       str     `yaml:"to"`
	People   *int    `yaml:"people"`
	Date     str     `yaml:"date"`
	Sources  []str   `yaml:"sources"`
	Caveat   str     `yaml:"caveat"`
}

type countryFile struct {
	Code        str           `yaml:"code"`
	Name        str           `yaml:"name"`
	Aliases     []str         `yaml:"aliases"`
	Status      str           `yaml:"status"`
	Disputed    bool          `yaml:"disputed"`
	Summary     str           `yaml:"summary"`
	Accepts     []factFile    `yaml:"accepts"`
	Groups      []groupFile   `yaml:"groups"`
	Conditions  []factFile    `yaml:"conditions"`
	Numbers     []factFile    `yaml:"numbers"`
	Received    []arrivalFile `yaml:"received"`
	LegalBasis  []factFile    `yaml:"legal_basis"`
	HumanRights []factFile    `yaml:"human_rights"`
	Payments    []paymentFile `yaml:"payments"`
	Conflicts   []factFile    `yaml:"conflicts"`
	Notes       []factFile    `yaml:"notes"`
	Timeline    []eventFile   `yaml:"timeline"`
}

type sourceFile struct {
	ID          str   `yaml:"id"`
	Outlet      str   `yaml:"outlet"`
	Via         str   `yaml:"via"`
	Title       str   `yaml:"title"`
	Date        str   `yaml:"date"`
	URLs        []str `yaml:"urls"`
	Reliability str   `yaml:"reliability"`
	Note        str   `yaml:"note"`
}

type topicFile struct {
	ID       str         `yaml:"id"`
	Title    str         `yaml:"title"`
	Aliases  []str       `yaml:"aliases"`
	Summary  str         `yaml:"summary"`
	Facts    []factFile  `yaml:"facts"`
	Timeline []eventFile `yaml:"timeline"`
}

type nationalitiesFile struct {
	Demonyms map[string][]string `yaml:"demonyms"`
	Groups   map[string]struct {
		Name  string   `yaml:"name"`
		Codes []string `yaml:"codes"`
	} `yaml:"groups"`
}

// Fixed file names besides the per-country files.
const (
	sourcesFile       = "sources.yaml"
	topicsFile        = "topics.yaml"
	nationalitiesName = "nationalities.yaml"
)

var countryFileName = regexp.MustCompile(`^[a-z]{2}\.yaml$`)

// problems collects Problems for one load.
type problems struct{ list []Problem }

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeStrict decodes one YAML document, rejecting unknown fields, and
// turns the decoder's errors into located problems.
func (p *problems) decodeStrict(file string, data []byte, v any) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		if err == nil {
			var extra any
			if dec.Decode(&extra) == nil {
				p.add(file, 0, "more than one YAML document; put everything in one")
				return false
			}
		}
		if errors.Is(err, io.EOF) {
			p.add(file, 0, "file is empty")
			return false
		}
		return true
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			p.addYAML(file, e)
		}
		// The decoder skipped only the bad fields: check the rest too, so
		// that every problem in the file is reported at once.
		return true
	}
	p.addYAML(file, strings.TrimPrefix(err.Error(), "yaml: "))
	return false
}

func (p *problems) addYAML(file, msg string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		msg = m[2]
		msg = strings.Replace(msg, "not found in type", "is not a known field of", 1)
		msg = regexp.MustCompile(` knowledge\.\w+$`).ReplaceAllString(msg, " this entry")
		p.add(file, n, "%s", msg)
		return
	}
	p.add(file, 0, "%s", msg)
}

// Load reads, validates and indexes the data files in fsys (the embedded
// copy from Embedded, or a directory with os.DirFS). Every problem found is
// reported at once in a *LoadError.
func Load(fsys fs.FS) (*Store, error) {
	var p problems
	files, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("knowledge: reading data directory: %w", err)
	}
	read := func(name string) []byte {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				p.add(name, 0, "missing: every data directory needs %s", name)
			} else {
				p.add(name, 0, "cannot read: %v", err)
			}
			return nil
		}
		return b
	}

	s := &Store{
		byCode:     map[string]*Country{},
		topicByID:  map[string]*Topic{},
		sourceByID: map[string]*Source{},
		demonyms:   map[string][]string{},
		groups:     map[string]namedGroup{},
	}

	if b := read(sourcesFile); b != nil {
		var sf []sourceFile
		if p.decodeStrict(sourcesFile, b, &sf) {
			s.loadSources(&p, sf)
		}
	}
	if b := read(nationalitiesName); b != nil {
		var nf nationalitiesFile
		if p.decodeStrict(nationalitiesName, b, &nf) {
			s.loadNationalities(&p, nf)
		}
	}
	if b := read(topicsFile); b != nil {
		var tf []topicFile
		if p.decodeStrict(topicsFile, b, &tf) {
			for _, t := range tf {
				s.loadTopic(&p, t)
			}
		}
	}
	// Country files are decoded in parallel (YAML parsing dominates start-up),
	// then validated in file order so problems come out deterministically.
	type decoded struct {
		name string
		cf   countryFile
		ok   bool
		p    problems
	}
	var todo []*decoded
	for _, f := range files {
		name := f.Name()
		switch {
		case f.IsDir() || !strings.HasSuffix(name, ".yaml"):
			continue // README.md and the like
		case name == sourcesFile || name == topicsFile || name == nationalitiesName:
			continue
		case !countryFileName.MatchString(name):
			p.add(name, 0, "unexpected data file: country files are named by their ISO code in lower case, e.g. ug.yaml")
			continue
		}
		todo = append(todo, &decoded{name: name})
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, d := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := fs.ReadFile(fsys, d.name)
			if err != nil {
				d.p.add(d.name, 0, "cannot read: %v", err)
				return
			}
			d.ok = d.p.decodeStrict(d.name, b, &d.cf)
		}()
	}
	wg.Wait()
	for _, d := range todo {
		p.list = append(p.list, d.p.list...)
		if d.ok {
			s.loadCountry(&p, d.name, d.cf)
		}
	}
	if len(s.countries) == 0 && len(p.list) == 0 {
		p.add(".", 0, "no country files found")
	}
	// Index even when problems were found: indexing finds more (aliases
	// claimed twice), and every problem is reported at once.
	s.index(&p)
	if len(p.list) > 0 {
		sort.SliceStable(p.list, func(i, j int) bool {
			if p.list[i].File != p.list[j].File {
				return p.list[i].File < p.list[j].File
			}
			return p.list[i].Line < p.list[j].Line
		})
		return nil, &LoadError{Problems: p.list}
	}
	return s, nil
}

func (s *Store) loadSources(p *problems, sf []sourceFile) {
	for i, f := range sf {
		line := f.ID.Line
		if f.ID.V == "" {
			p.add(sourcesFile, f.Outlet.Line, "source %d has no id", i+1)
			continue
		}
		if s.sourceByID[f.ID.V] != nil {
			p.add(sourcesFile, line, "duplicate source id %q", f.ID.V)
			continue
		}
		src := &Source{ID: f.ID.V, Outlet: strings.TrimSpace(f.Outlet.V), Via: f.Via.V, Title: f.Title.V, Note: f.Note.V}
		if src.Outlet == "" {
			p.add(sourcesFile, line, "source %s has no outlet", f.ID.V)
		}
		if len(f.URLs) == 0 {
			p.add(sourcesFile, line, "source %s has no URL: give at least one", f.ID.V)
		}
		for _, u := range f.URLs {
			if !strings.HasPrefix(u.V, "https://") && !strings.HasPrefix(u.V, "http://") {
				p.add(sourcesFile, u.Line, "source %s: %q is not an http(s) URL", f.ID.V, u.V)
				continue
			}
			if strings.ContainsAny(u.V, " \t\n<>|") {
				p.add(sourcesFile, u.Line, "source %s: URL %q contains a space or one of < > |", f.ID.V, u.V)
				continue
			}
			src.URLs = append(src.URLs, u.V)
		}
		if f.Date.V != "" {
			d, err := ParseDate(f.Date.V)
			if err != nil {
				p.add(sourcesFile, f.Date.Line, "source %s: %v", f.ID.V, err)
			}
			src.Date = d
		}
		switch f.Reliability.V {
		case "":
		case "low":
			src.Low = true
		default:
			p.add(sourcesFile, f.Reliability.Line, "source %s: unknown reliability %q (only \"low\" is allowed)", f.ID.V, f.Reliability.V)
		}
		s.sources = append(s.sources, src)
		s.sourceByID[src.ID] = src
	}
}

func (s *Store) loadNationalities(p *problems, nf nationalitiesFile) {
	seen := map[string]string{}
	for code, words := range nf.Demonyms {
		if !validCode(code) {
			p.add(nationalitiesName, 0, "demonyms: %q is not a current ISO 3166-1 alpha-2 code", code)
			continue
		}
		for _, w := range words {
			k := fold(w)
			if other, ok := seen[k]; ok && other != code {
				p.add(nationalitiesName, 0, "demonym %q is claimed by both %s and %s", w, other, code)
				continue
			}
			seen[k] = code
		}
		s.demonyms[code] = words
	}
	for id, g := range nf.Groups {
		for _, c := range g.Codes {
			if !validCode(c) {
				p.add(nationalitiesName, 0, "group %s: %q is not a current ISO 3166-1 alpha-2 code", id, c)
			}
		}
		if g.Name == "" {
			p.add(nationalitiesName, 0, "group %s has no name", id)
		}
		s.groups[id] = namedGroup{Name: g.Name, Codes: g.Codes}
	}
}

func (s *Store) refs(p *problems, file string, anchor int, refs []str, what string) []string {
	if len(refs) == 0 {
		p.add(file, anchor, "%s cites no source: add sources: [S..]", what)
		return nil
	}
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		if s.sourceByID[r.V] == nil {
			p.add(file, r.Line, "unknown source %q (not in %s)", r.V, sourcesFile)
			continue
		}
		out = append(out, r.V)
	}
	return out
}

func caveat(p *problems, file string, c str) Caveat {
	switch v := Caveat(c.V); v {
	case NoCaveat, SingleSource, Weak, Unconfirmed:
		return v
	}
	p.add(file, c.Line, "unknown caveat %q (use single_source, weak or unconfirmed)", c.V)
	return NoCaveat
}

func (s *Store) facts(p *problems, file, field string, in []factFile) []Fact {
	out := make([]Fact, 0, len(in))
	for _, f := range in {
		if strings.TrimSpace(f.Text.V) == "" {
			p.add(file, f.Text.Line, "%s: an item has no text", field)
			continue
		}
		out = append(out, Fact{
			Text:    clean(f.Text.V),
			Sources: s.refs(p, file, f.Text.Line, f.Sources, field+" item"),
			Caveat:  caveat(p, file, f.Caveat),
		})
	}
	return out
}

func (s *Store) timeline(p *problems, file string, in []eventFile) []Event {
	out := make([]Event, 0, len(in))
	for _, e := range in {
		line := e.Text.Line
		if line == 0 {
			line = e.Date.Line
		}
		if strings.TrimSpace(e.Text.V) == "" {
			p.add(file, line, "timeline: an event has no text")
			continue
		}
		if e.Date.V == "" {
			p.add(file, line, "timeline: an event has no date (write date: unknown and a date_note if it is not known)")
		}
		d, err := ParseDate(e.Date.V)
		if err != nil && e.Date.V != "" {
			p.add(file, e.Date.Line, "timeline: %v", err)
		}
		d.Approximate = e.Approximate
		d.Note = clean(e.DateNote.V)
		if !d.Known() && e.Date.V == "unknown" && d.Note == "" {
			p.add(file, e.Date.Line, "timeline: an unknown date needs a date_note saying why")
		}
		if d.Approximate && !d.Known() {
			p.add(file, e.Date.Line, "timeline: an unknown date cannot also be approximate")
		}
		st := Status(e.Status.V)
		if st != "" && !st.Valid() {
			p.add(file, e.Status.Line, "timeline: unknown status %q", e.Status.V)
		}
		out = append(out, Event{Date: d, Status: st, line: e.Date.Line, Fact: Fact{
			Text:    clean(e.Text.V),
			Sources: s.refs(p, file, line, e.Sources, "timeline event"),
			Caveat:  caveat(p, file, e.Caveat),
		}})
	}
	return out
}

func (s *Store) loadCountry(p *problems, file string, f countryFile) {
	code := strings.TrimSpace(f.Code.V)
	if code == "" {
		p.add(file, 0, "missing code")
		return
	}
	if !validCode(code) {
		p.add(file, f.Code.Line, "%q is not a current ISO 3166-1 alpha-2 code (XK is allowed for Kosovo)", code)
		return
	}
	if want := strings.ToLower(code) + ".yaml"; want != file {
		p.add(file, f.Code.Line, "code %s belongs in %s", code, want)
	}
	if s.byCode[code] != nil {
		p.add(file, f.Code.Line, "country %s is defined twice", code)
		return
	}
	c := &Country{Code: code, Name: clean(f.Name.V), Status: Status(f.Status.V), Disputed: f.Disputed, Summary: clean(f.Summary.V), File: file, nameLines: []int{f.Name.Line}}
	if c.Name == "" {
		p.add(file, f.Name.Line, "missing name")
	}
	if f.Status.V == "" {
		p.add(file, 0, "missing status")
	} else if !c.Status.Valid() {
		p.add(file, f.Status.Line, "unknown status %q (use one of %s)", f.Status.V, statusList())
	}
	if c.Summary == "" {
		p.add(file, f.Summary.Line, "missing summary")
	}
	for _, a := range f.Aliases {
		if strings.TrimSpace(a.V) == "" {
			p.add(file, a.Line, "empty alias")
			continue
		}
		c.Aliases = append(c.Aliases, a.V)
		c.nameLines = append(c.nameLines, a.Line)
	}
	c.Accepts = s.facts(p, file, "accepts", f.Accepts)
	c.Conditions = s.facts(p, file, "conditions", f.Conditions)
	c.Numbers = s.facts(p, file, "numbers", f.Numbers)
	c.LegalBasis = s.facts(p, file, "legal_basis", f.LegalBasis)
	c.HumanRights = s.facts(p, file, "human_rights", f.HumanRights)
	c.Conflicts = s.facts(p, file, "conflicts", f.Conflicts)
	c.Notes = s.facts(p, file, "notes", f.Notes)
	c.Timeline = s.timeline(p, file, f.Timeline)
	if len(c.Timeline) == 0 && len(f.Timeline) == 0 {
		p.add(file, 0, "missing timeline: every country needs at least one dated event")
	}
	for _, g := range f.Groups {
		grp := Group{Name: clean(g.Name.V), Sources: s.refs(p, file, g.Name.Line, g.Sources, "groups item")}
		if grp.Name == "" {
			p.add(file, g.Name.Line, "groups: an item has no name")
		}
		if g.Group.V != "" {
			ng, ok := s.groups[g.Group.V]
			if !ok {
				p.add(file, g.Group.Line, "groups: unknown group %q (not in %s)", g.Group.V, nationalitiesName)
			}
			grp.Codes = append(grp.Codes, ng.Codes...)
		}
		for _, cc := range g.Codes {
			if !validCode(cc.V) {
				p.add(file, cc.Line, "groups: %q is not a current ISO 3166-1 alpha-2 code", cc.V)
				continue
			}
			grp.Codes = append(grp.Codes, cc.V)
		}
		c.Groups = append(c.Groups, grp)
	}
	for _, a := range f.Received {
		if !validCode(a.Code.V) {
			p.add(file, a.Code.Line, "received: %q is not a current ISO 3166-1 alpha-2 code", a.Code.V)
			continue
		}
		if a.Count < 0 {
			p.add(file, a.Code.Line, "received: negative count")
		}
		c.Received = append(c.Received, Arrival{Code: a.Code.V, Count: a.Count, Sources: s.refs(p, file, a.Code.Line, a.Sources, "received item")})
	}
	for _, pf := range f.Payments {
		pay := Payment{
			Fact:     Fact{Text: clean(pf.Text.V), Sources: s.refs(p, file, pf.Text.Line, pf.Sources, "payment"), Caveat: caveat(p, file, pf.Caveat)},
			Amount:   pf.Amount,
			Currency: pf.Currency.V,
			To:       clean(pf.To.V),
			People:   -1,
		}
		if pay.Text == "" {
			p.add(file, pf.Text.Line, "payments: an item has no text")
		}
		if pf.Amount <= 0 {
			p.add(file, pf.Text.Line, "payments: amount must be a positive number")
		}
		if pay.Currency == "" {
			p.add(file, pf.Text.Line, "payments: missing currency")
		}
		if pf.People != nil {
			pay.People = *pf.People
		}
		if pf.Date.V != "" {
			d, err := ParseDate(pf.Date.V)
			if err != nil {
				p.add(file, pf.Date.Line, "payments: %v", err)
			}
			pay.Date = d
		}
		c.Payments = append(c.Payments, pay)
	}
	s.byCode[code] = c
	s.countries = append(s.countries, c)
}

func (s *Store) loadTopic(p *problems, f topicFile) {
	id := f.ID.V
	if id == "" {
		p.add(topicsFile, f.Title.Line, "a topic has no id")
		return
	}
	if s.topicByID[id] != nil {
		p.add(topicsFile, f.ID.Line, "duplicate topic id %q", id)
		return
	}
	t := &Topic{ID: id, Title: clean(f.Title.V), Summary: clean(f.Summary.V), File: topicsFile}
	if t.Title == "" {
		p.add(topicsFile, f.ID.Line, "topic %s has no title", id)
	}
	if t.Summary == "" {
		p.add(topicsFile, f.ID.Line, "topic %s has no summary", id)
	}
	for _, a := range f.Aliases {
		t.Aliases = append(t.Aliases, a.V)
	}
	t.Facts = s.facts(p, topicsFile, "topic "+id+" facts", f.Facts)
	t.Timeline = s.timeline(p, topicsFile, f.Timeline)
	s.topics = append(s.topics, t)
	s.topicByID[id] = t
}

func statusList() string {
	var b []string
	for _, s := range Statuses {
		b = append(b, string(s))
	}
	return strings.Join(b, ", ")
}

// clean collapses the whitespace of a folded YAML scalar.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// fileOf is used in messages about the whole store.
func fileOf(c *Country) string { return path.Base(c.File) }

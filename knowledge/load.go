package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

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
	Text      str   `yaml:"text"`
	Sources   []str `yaml:"sources"`
	Caveat    str   `yaml:"caveat"`
	Countries []str `yaml:"countries"`
}

// noteFile is an editor note: text, and sources only if they help.
type noteFile struct {
	Text    str   `yaml:"text"`
	Sources []str `yaml:"sources"`
}

type eventFile struct {
	Date        str   `yaml:"date"`
	Approximate bool  `yaml:"approximate"`
	DateNote    str   `yaml:"date_note"`
	DatedBy     str   `yaml:"dated_by"`
	Status      str   `yaml:"status"`
	Text        str   `yaml:"text"`
	Sources     []str `yaml:"sources"`
	Caveat      str   `yaml:"caveat"`
}

type groupFile struct {
	Name        str   `yaml:"name"`
	Group       str   `yaml:"group"`
	Codes       []str `yaml:"codes"`
	Date        str   `yaml:"date"`
	Approximate bool  `yaml:"approximate"`
	DateNote    str   `yaml:"date_note"`
	Note        str   `yaml:"note"`
	Sources     []str `yaml:"sources"`
}

type arrivalFile struct {
	Code        str   `yaml:"code"`
	Count       int   `yaml:"count"`
	Date        str   `yaml:"date"`
	Approximate bool  `yaml:"approximate"`
	DateNote    str   `yaml:"date_note"`
	Sources     []str `yaml:"sources"`
	Caveat      str   `yaml:"caveat"`
}

// countFile is one reported count of people (people: on a country,
// totals: on a topic, which adds a scope).
type countFile struct {
	Count   *int  `yaml:"count"`
	AtLeast bool  `yaml:"at_least"`
	AsOf    str   `yaml:"as_of"`
	Scope   str   `yaml:"scope"`
	Of      str   `yaml:"of"`
	Text    str   `yaml:"text"`
	Sources []str `yaml:"sources"`
	Caveat  str   `yaml:"caveat"`
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
	OrderNote   str           `yaml:"order_note"`
	Accepts     []factFile    `yaml:"accepts"`
	Groups      []groupFile   `yaml:"groups"`
	Conditions  []factFile    `yaml:"conditions"`
	Numbers     []factFile    `yaml:"numbers"`
	Received    []arrivalFile `yaml:"received"`
	People      []countFile   `yaml:"people"`
	LegalBasis  []factFile    `yaml:"legal_basis"`
	HumanRights []factFile    `yaml:"human_rights"`
	Payments    []paymentFile `yaml:"payments"`
	Conflicts   []factFile    `yaml:"conflicts"`
	Notes       []factFile    `yaml:"notes"`
	Timeline    []eventFile   `yaml:"timeline"`
	EditorNotes []noteFile    `yaml:"editor_notes"`
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
	ID          str         `yaml:"id"`
	Title       str         `yaml:"title"`
	Aliases     []str       `yaml:"aliases"`
	Summary     str         `yaml:"summary"`
	Facts       []factFile  `yaml:"facts"`
	Totals      []countFile `yaml:"totals"`
	Timeline    []eventFile `yaml:"timeline"`
	EditorNotes []noteFile  `yaml:"editor_notes"`
}

type nationalitiesFile struct {
	Demonyms demonymsList `yaml:"demonyms"`
	Groups   groupList    `yaml:"groups"`
}

// demonymsEntry is one "CODE: [word, ...]" line of nationalities.yaml. The
// file's mappings are decoded in file order, with lines, so problems can
// name them.
type demonymsEntry struct {
	Code  str
	Words []str
}

// groupEntry is one named group of nationalities.yaml.
type groupEntry struct {
	ID    str
	Name  str
	Codes []str
}

// demonymsList and groupList decode a YAML mapping into entries in file order.
type (
	demonymsList []demonymsEntry
	groupList    []groupEntry
)

func (d *demonymsList) UnmarshalYAML(n *yaml.Node) error {
	return eachPair(n, func(k, v *yaml.Node) error {
		e := demonymsEntry{Code: str{k.Value, k.Line}}
		err := v.Decode(&e.Words)
		*d = append(*d, e)
		return err
	})
}

func (g *groupList) UnmarshalYAML(n *yaml.Node) error {
	return eachPair(n, func(k, v *yaml.Node) error {
		e := groupEntry{ID: str{k.Value, k.Line}}
		// Node.Decode would not reject unknown fields, so the two fields
		// are taken by hand.
		err := eachPair(v, func(fk, fv *yaml.Node) error {
			switch fk.Value {
			case "name":
				return fv.Decode(&e.Name)
			case "codes":
				return fv.Decode(&e.Codes)
			}
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s is not a known field of this entry", fk.Line, fk.Value)}}
		})
		*g = append(*g, e)
		return err
	})
}

// eachPair calls f for each key and value of a mapping node, in order, and
// gathers the type errors of every pair.
func eachPair(n *yaml.Node, f func(k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a mapping of names to values", n.Line)}}
	}
	var te yaml.TypeError
	for i := 0; i+1 < len(n.Content); i += 2 {
		err := f(n.Content[i], n.Content[i+1])
		var e *yaml.TypeError
		switch {
		case err == nil:
		case errors.As(err, &e):
			te.Errors = append(te.Errors, e.Errors...)
		default:
			return err
		}
	}
	if len(te.Errors) > 0 {
		return &te
	}
	return nil
}

// files is what the YAML decoder makes of a data directory: everything
// Load validates, before validation.
type files struct {
	Sources       []sourceFile
	Nationalities nationalitiesFile
	Topics        []topicFile
	Words         *wordsFileData // nil without words.yaml
	Countries     []namedCountry // in file name order
	Digest        string         // of the bytes decoded; see Store.Digest
}

type namedCountry struct {
	Name string // the file name, e.g. "ug.yaml"
	File countryFile
}

// Fixed file names besides the per-country files.
const (
	sourcesFile       = "sources.yaml"
	topicsFile        = "topics.yaml"
	nationalitiesName = "nationalities.yaml"
)

// isCountryFileName reports whether name is like ug.yaml.
func isCountryFileName(name string) bool {
	return len(name) == len("ug.yaml") && strings.HasSuffix(name, ".yaml") &&
		name[0] >= 'a' && name[0] <= 'z' && name[1] >= 'a' && name[1] <= 'z'
}

// problems collects Problems for one load.
type problems struct{ list []Problem }

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// yamlLine splits the YAML library's "line N: message"; compiled on first
// use, as only broken files need it.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): (.*)$`) })

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
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
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
// copy from Embedded, or a directory with os.DirFS); both are read the same
// way. Every problem found is reported at once in a *LoadError.
func Load(fsys fs.FS) (*Store, error) {
	go regionTables() // needed at the end of build; meanwhile, on another core
	var p problems
	raw, err := readDir(fsys, &p)
	if err != nil {
		return nil, err
	}
	s := build(raw.decode(&p), &p)
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

// rawDir is a data directory's listing; files are read when needed.
type rawDir struct {
	fsys      fs.FS
	listed    map[string]bool
	countries []string // country file names, in directory order
}

// readDir lists the data files in fsys, noting missing and misnamed ones.
func readDir(fsys fs.FS, p *problems) (*rawDir, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("knowledge: reading data directory: %w", err)
	}
	r := &rawDir{fsys: fsys, listed: map[string]bool{}}
	have := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		r.listed[name] = true
		switch {
		case e.IsDir() || !strings.HasSuffix(name, ".yaml"):
			continue // README.md and the like
		case name == sourcesFile || name == topicsFile || name == nationalitiesName || name == wordsFile:
			have[name] = true
		case !isCountryFileName(name):
			p.add(name, 0, "unexpected data file: country files are named by their ISO code in lower case, e.g. ug.yaml")
		default:
			r.countries = append(r.countries, name)
		}
	}
	for _, name := range []string{sourcesFile, nationalitiesName, topicsFile} {
		if !have[name] {
			p.add(name, 0, "missing: every data directory needs %s", name)
		}
	}
	return r, nil
}

// decode parses the files strictly, in parallel (YAML parsing dominates
// start-up), and hashes the bytes it read for the digest. A file that
// cannot be parsed at all is left out of the result with its problems
// noted; problems come out in file order.
func (r *rawDir) decode(p *problems) *files {
	f := &files{}
	type job struct {
		name string
		v    any
		data []byte // nil if the file could not be read
		ok   bool
		p    problems
	}
	countries := make([]namedCountry, len(r.countries))
	jobs := []*job{
		{name: sourcesFile, v: &f.Sources},
		{name: nationalitiesName, v: &f.Nationalities},
		{name: topicsFile, v: &f.Topics},
	}
	var words wordsFileData
	if r.listed[wordsFile] {
		jobs = append(jobs, &job{name: wordsFile, v: &words})
	}
	for i, name := range r.countries {
		countries[i].Name = name
		jobs = append(jobs, &job{name: name, v: &countries[i].File})
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := fs.ReadFile(r.fsys, j.name)
			switch {
			case errors.Is(err, fs.ErrNotExist) && !r.listed[j.name]:
				// Not in the directory: readDir reported it as missing.
			case err != nil:
				j.p.add(j.name, 0, "cannot read: %v", err)
			default:
				j.data = b
				j.ok = j.p.decodeStrict(j.name, b, j.v)
			}
		}()
	}
	wg.Wait()
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	// By name, not in listing or goroutine order, so that the same files
	// give the same digest wherever they are read.
	byName := slices.SortedFunc(slices.Values(jobs), func(a, b *job) int { return strings.Compare(a.name, b.name) })
	for _, j := range byName {
		if j.data != nil {
			field([]byte(j.name))
			field(j.data)
		}
	}
	f.Digest = hex.EncodeToString(h.Sum(nil)[:digestLen/2])
	okCountry := map[string]bool{}
	for _, j := range jobs {
		p.list = append(p.list, j.p.list...)
		switch j.name {
		case wordsFile:
			if j.ok {
				f.Words = &words
			}
		case sourcesFile, nationalitiesName, topicsFile:
			if !j.ok {
				// Nothing usable came out of it; what did is still checked.
				switch j.name {
				case sourcesFile:
					f.Sources = nil
				case nationalitiesName:
					f.Nationalities = nationalitiesFile{}
				case topicsFile:
					f.Topics = nil
				}
			}
		default:
			okCountry[j.name] = j.ok
		}
	}
	for _, c := range countries {
		if okCountry[c.Name] {
			f.Countries = append(f.Countries, c)
		}
	}
	return f
}

// digestLen is the length of Store.Digest in hex digits.
const digestLen = 8

// build validates decoded files and builds the store from them.
func build(f *files, p *problems) *Store {
	s := &Store{
		digest:     f.Digest,
		byCode:     map[string]*Country{},
		topicByID:  map[string]*Topic{},
		sourceByID: map[string]*Source{},
		demonyms:   map[string][]string{},
		groups:     map[string]namedGroup{},
		indexed:    make(chan struct{}),
	}
	s.loadSources(p, f.Sources)
	s.loadNationalities(p, f.Nationalities)
	for _, t := range f.Topics {
		s.loadTopic(p, t)
	}
	s.loadWords(p, f.Words)
	for _, c := range f.Countries {
		s.loadCountry(p, c.Name, c.File)
	}
	if len(s.countries) == 0 && len(p.list) == 0 {
		p.add(".", 0, "no country files found")
	}
	// Index even when problems were found: indexing finds more (aliases
	// claimed twice), and every problem is reported at once.
	s.index(p)
	return s
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
		src.Date = date(p, sourcesFile, "source "+f.ID.V, f.Date, false, str{}, 0)
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
	// The folded word -> code map that catches a word claimed twice is
	// also the index "from" answers use.
	seen := make(map[string]string, 4*len(nf.Demonyms))
	s.demonymIndex = seen
	for _, d := range nf.Demonyms {
		code := d.Code.V
		if !validCode(code) {
			p.add(nationalitiesName, d.Code.Line, "demonyms: %q is not a current ISO 3166-1 alpha-2 code", code)
			continue
		}
		if _, dup := s.demonyms[code]; dup {
			p.add(nationalitiesName, d.Code.Line, "demonyms: %s is listed twice", code)
			continue
		}
		words := make([]string, 0, len(d.Words))
		for _, w := range d.Words {
			k := fold(w.V)
			if k == "" {
				p.add(nationalitiesName, w.Line, "demonyms: %s has an empty word", code)
				continue
			}
			if other, ok := seen[k]; ok && other != code {
				p.add(nationalitiesName, w.Line, "demonym %q is claimed by both %s and %s", w.V, other, code)
				continue
			}
			seen[k] = code
			words = append(words, w.V)
		}
		s.demonyms[code] = words
	}
	for _, g := range nf.Groups {
		id := g.ID.V
		if _, dup := s.groups[id]; dup {
			p.add(nationalitiesName, g.ID.Line, "group %s is defined twice", id)
			continue
		}
		codes := make([]string, 0, len(g.Codes))
		for _, c := range g.Codes {
			if !validCode(c.V) {
				p.add(nationalitiesName, c.Line, "group %s: %q is not a current ISO 3166-1 alpha-2 code", id, c.V)
				continue
			}
			codes = append(codes, c.V)
		}
		if strings.TrimSpace(g.Name.V) == "" {
			p.add(nationalitiesName, g.ID.Line, "group %s has no name", id)
		}
		s.groups[id] = namedGroup{Name: clean(g.Name.V), Codes: codes}
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
	case NoCaveat, SingleSource, Weak, Unconfirmed, Disputed, UnverifiedWording:
		return v
	}
	p.add(file, c.Line, "unknown caveat %q (use single_source, weak, unconfirmed, disputed or unverified_wording)", c.V)
	return NoCaveat
}

func (s *Store) facts(p *problems, file, field string, in []factFile) []Fact {
	out := make([]Fact, 0, len(in))
	for _, f := range in {
		if strings.TrimSpace(f.Text.V) == "" {
			p.add(file, f.Text.Line, "%s: an item has no text", field)
			continue
		}
		fact := Fact{
			Text:    clean(f.Text.V),
			Sources: s.refs(p, file, f.Text.Line, f.Sources, field+" item"),
			Caveat:  caveat(p, file, f.Caveat),
		}
		if len(f.Countries) > 0 && file != topicsFile {
			p.add(file, f.Countries[0].Line, "%s: countries: is for topic facts only (a country's own facts are about it)", field)
		}
		for _, c := range f.Countries {
			if !validCode(c.V) {
				p.add(file, c.Line, "%s: countries: %q is not a current ISO 3166-1 alpha-2 code", field, c.V)
				continue
			}
			if slices.Contains(fact.Countries, c.V) {
				p.add(file, c.Line, "%s: countries: %s is listed twice", field, c.V)
				continue
			}
			fact.Countries = append(fact.Countries, c.V)
		}
		out = append(out, fact)
	}
	return out
}

// editorNotes loads editor notes; their sources are optional. It returns
// the notes and their lines.
func (s *Store) editorNotes(p *problems, file string, in []noteFile) ([]Fact, []int) {
	out := make([]Fact, 0, len(in))
	lines := make([]int, 0, len(in))
	for _, n := range in {
		if strings.TrimSpace(n.Text.V) == "" {
			p.add(file, n.Text.Line, "editor_notes: an item has no text")
			continue
		}
		f := Fact{Text: clean(n.Text.V)}
		if len(n.Sources) > 0 {
			f.Sources = s.refs(p, file, n.Text.Line, n.Sources, "editor note")
		}
		out = append(out, f)
		lines = append(lines, n.Text.Line)
	}
	return out, lines
}

// date reads an optional date with its approximate flag and note, as
// events, groups, arrivals, payments and sources write it. An empty value
// is the unknown date.
func date(p *problems, file, field string, v str, approximate bool, note str, anchor int) Date {
	var d Date
	if v.V != "" {
		var err error
		d, err = ParseDate(v.V)
		if err != nil {
			p.add(file, v.Line, "%s: %v", field, err)
		}
	}
	d.Approximate = approximate
	d.Note = clean(note.V)
	if approximate && !d.Known() {
		line := v.Line
		if line == 0 {
			line = anchor
		}
		p.add(file, line, "%s: an unknown date cannot also be approximate", field)
	}
	return d
}

// counts loads people: (or totals:, withScope) items.
func (s *Store) counts(p *problems, file, field string, in []countFile, withScope bool) []Total {
	out := make([]Total, 0, len(in))
	for _, c := range in {
		line := c.Text.Line
		if strings.TrimSpace(c.Text.V) == "" {
			p.add(file, line, "%s: an item has no text", field)
			continue
		}
		t := Total{Count: Count{Fact: Fact{
			Text:    clean(c.Text.V),
			Sources: s.refs(p, file, line, c.Sources, field+" item"),
			Caveat:  caveat(p, file, c.Caveat),
		}, AtLeast: c.AtLeast}, Scope: clean(c.Scope.V), Of: c.Of.V}
		switch {
		case c.Count == nil:
			p.add(file, line, "%s: an item has no count", field)
		case *c.Count < 0:
			p.add(file, line, "%s: negative count %d", field, *c.Count)
		default:
			t.Count.Count = *c.Count
		}
		if c.AsOf.V == "" {
			p.add(file, line, "%s: an item has no as_of date (the date the count stands at)", field)
		} else {
			t.AsOf = date(p, file, field, c.AsOf, false, str{}, line)
			if !t.AsOf.Known() {
				p.add(file, c.AsOf.Line, "%s: as_of must be a date, not unknown", field)
			}
		}
		switch {
		case withScope && t.Scope == "":
			p.add(file, line, "%s: an item has no scope (what is counted, in plain words)", field)
		case !withScope && c.Scope.V != "":
			p.add(file, c.Scope.Line, "%s: scope is for topic totals only", field)
		}
		switch {
		case withScope && !slices.Contains(TotalUnits(), t.Of):
			at := c.Of.Line
			if at == 0 {
				at = line
			}
			p.add(file, at, "%s: of must say what is counted: one of %s", field, strings.Join(TotalUnits(), ", "))
		case !withScope && c.Of.V != "":
			p.add(file, c.Of.Line, "%s: of is for topic totals only", field)
		}
		out = append(out, t)
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
		if e.Date.V == "unknown" && clean(e.DateNote.V) == "" {
			p.add(file, e.Date.Line, "timeline: an unknown date needs a date_note saying why")
		}
		d := date(p, file, "timeline", e.Date, e.Approximate, e.DateNote, e.Date.Line)
		st := Status(e.Status.V)
		if st != "" && !st.Valid() {
			p.add(file, e.Status.Line, "timeline: unknown status %q", e.Status.V)
		}
		reported := false
		switch e.DatedBy.V {
		case "":
		case "report":
			reported = true
			if !d.Known() {
				p.add(file, e.DatedBy.Line, "timeline: dated_by: report needs a known date (the day it was reported)")
			}
		default:
			p.add(file, e.DatedBy.Line, "timeline: unknown dated_by %q (the only value is \"report\": the date is when it was reported)", e.DatedBy.V)
		}
		out = append(out, Event{Date: d, Status: st, Reported: reported, line: e.Date.Line, Fact: Fact{
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
	c := &Country{Code: code, Name: clean(f.Name.V), Status: Status(f.Status.V), Disputed: f.Disputed, Summary: clean(f.Summary.V),
		OrderNote: clean(f.OrderNote.V), File: file, nameLines: []int{f.Name.Line}}
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
	c.EditorNotes, c.editorLines = s.editorNotes(p, file, f.EditorNotes)
	for _, t := range s.counts(p, file, "people", f.People, false) {
		c.People = append(c.People, t.Count)
	}
	c.Timeline = s.timeline(p, file, f.Timeline)
	if len(c.Timeline) == 0 && len(f.Timeline) == 0 {
		p.add(file, 0, "missing timeline: every country needs at least one dated event")
	}
	for _, g := range f.Groups {
		grp := Group{Name: clean(g.Name.V), Sources: s.refs(p, file, g.Name.Line, g.Sources, "groups item"),
			Date: date(p, file, "groups", g.Date, g.Approximate, g.DateNote, g.Name.Line), Note: clean(g.Note.V)}
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
		c.Received = append(c.Received, Arrival{Code: a.Code.V, Count: a.Count, Sources: s.refs(p, file, a.Code.Line, a.Sources, "received item"),
			Caveat: caveat(p, file, a.Caveat), Date: date(p, file, "received", a.Date, a.Approximate, a.DateNote, a.Code.Line)})
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
		pay.Date = date(p, file, "payments", pf.Date, false, str{}, 0)
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
	t.Totals = s.counts(p, topicsFile, "topic "+id+" totals", f.Totals, true)
	t.Timeline = s.timeline(p, topicsFile, f.Timeline)
	t.EditorNotes, t.editorLines = s.editorNotes(p, topicsFile, f.EditorNotes)
	s.topics = append(s.topics, t)
	s.topicByID[id] = t
}

func statusList() string {
	var b []string
	for _, s := range Statuses() {
		b = append(b, string(s))
	}
	return strings.Join(b, ", ")
}

// clean collapses the whitespace of a folded YAML scalar. Most text is
// clean already and is returned as it is, without a copy.
func clean(s string) string {
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (r != ' ' || prevSpace) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = space
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ") // a trailing space
	}
	return s
}

// fileOf is used in messages about the whole store.
func fileOf(c *Country) string { return path.Base(c.File) }

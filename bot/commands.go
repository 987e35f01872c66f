package bot

import (
	"strings"
)

// command is one entry of the grammar. The parser and help are both built
// from the commands table, so help can never drift from what is accepted.
type command struct {
	name    string
	aliases []string
	usage   string   // how to type it; for a command with words, the words are added by Usage
	words   []string // the closed set of argument words the command accepts, if it has one
	regions bool     // it also takes a region name
	what    string
	example string
}

// usage is how to type a command, with its argument words when it has a
// closed set of them, as help shows it.
func (b *Bot) usage(c command) string {
	if len(c.words) == 0 {
		return c.usage
	}
	u := c.usage + " [" + strings.Join(c.words, " | ") + "]"
	if c.regions {
		u += " [" + strings.Join(b.regionNames(), " | ") + "]"
	}
	return u
}

// listAll is list's word for no filter.
const listAll = "all"

// Command names, as the parser returns them.
const (
	cmdLookup  = ""
	cmdHelp    = "help"
	cmdAbout   = "about"
	cmdList    = "list"
	cmdSearch  = "search"
	cmdFrom    = "from"
	cmdSources = "sources"
	cmdLatest  = "latest"
	cmdSince   = "since"
	cmdAction  = "action" // a button press: never typed
	cmdMap     = "map"
)

var commands = []command{
	{name: cmdLookup, usage: "<country>", what: "status, terms, numbers, dates and sources for one country (any language, ISO code, typos welcome)", example: "uganda"},
	{name: cmdLookup, usage: "law | court | overview | money", what: "the legal basis, the court cases, the big picture over time, the payments", example: "court"},
	{name: cmdList, usage: "list", words: statusWordsOf(), regions: true, what: "every country on record grouped by status; or one status, those with a reported payment (paid), those where a government denied or contradicted a report (disputed); and or a region", example: "list caribbean signed"},
	{name: cmdSearch, aliases: []string{"find"}, usage: "search <words>", what: "full-text search of every fact", example: "search children"},
	{name: cmdFrom, aliases: []string{"nationality"}, usage: "from <nationality or country>", what: "which countries received, or agreed to take, people of that nationality", example: "from cuba"},
	{name: cmdLatest, aliases: []string{"new", "news"}, usage: "latest [country]", what: "the 10 newest dated events, or one country's", example: "latest eswatini"},
	{name: cmdSince, usage: "since <YYYY-MM-DD>", what: "every event on or after a date", example: "since 2026-01-01"},
	{name: cmdMap, aliases: []string{"mapa"}, usage: "map", words: statusWordsOf(), regions: true, what: "a map of the countries on record by status, of a region or status, or a country and its region", example: "map africa"},
	{name: cmdSources, aliases: []string{"source", "sourcing"}, usage: "sources [country]", what: "who reported it, with links and dates", example: "sources uganda"},
	{name: cmdAbout, aliases: []string{"info", "version"}, usage: "about", what: "what this bot covers, its as-of date, how to report a wrong fact", example: "about"},
	{name: cmdHelp, aliases: []string{"?", "commands", "usage"}, usage: "help", what: "this list", example: "help"},
}

// commandByWord maps a folded first word to its command name.
var commandByWord = func() map[string]string {
	m := map[string]string{}
	for _, c := range commands {
		if c.name == cmdLookup {
			continue
		}
		m[c.name] = c.name
		for _, a := range c.aliases {
			m[a] = c.name
		}
	}
	return m
}()

// parsed is a query split into its command and argument.
type parsed struct {
	cmd string
	arg string
}

// prefixes people paste in front of the grammar.
var pastePrefixes = []string{"/agreement", "@agreementbot", "agreementbot"}

// parse splits input into a command and its argument. Words are matched
// case-insensitively; the argument keeps the user's spelling.
func parse(text string) parsed {
	t := strings.TrimSpace(text)
	for _, p := range pastePrefixes {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) && (len(t) == len(p) || t[len(p)] == ' ' || t[len(p)] == ':') {
			t = strings.TrimSpace(strings.TrimLeft(t[len(p):], ":"))
			break
		}
	}
	// Discord users sometimes type the option name too: "query:uganda".
	if len(t) > 6 && strings.EqualFold(t[:6], "query:") {
		t = strings.TrimSpace(t[6:])
	}
	t = strings.TrimRight(t, "?!. ")
	if t == "" {
		return parsed{cmd: cmdHelp}
	}
	first, rest, _ := strings.Cut(t, " ")
	if name, ok := commandByWord[strings.ToLower(first)]; ok {
		return parsed{cmd: name, arg: strings.TrimSpace(rest)}
	}
	return parsed{cmd: cmdLookup, arg: t}
}

// CommandWord is a command with its closed set of argument words, for
// tests and documentation.
type CommandWord struct {
	Name  string
	Words []string
}

// CommandWords lists every command that takes a closed set of words, with
// its words.
func (b *Bot) CommandWords() []CommandWord {
	var out []CommandWord
	for _, c := range commands {
		if len(c.words) > 0 {
			w := append([]string(nil), c.words...)
			if c.regions {
				w = append(w, b.regionNames()...)
			}
			out = append(out, CommandWord{Name: c.name, Words: w})
		}
	}
	return out
}

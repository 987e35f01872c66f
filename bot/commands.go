package bot

import (
	"strings"
)

// command is one entry of the grammar. The parser and help are both built
// from the commands table, so help can never drift from what is accepted.
type command struct {
	name    string
	aliases []string
	usage   string
	what    string
	example string
}

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
)

var commands = []command{
	{name: cmdLookup, usage: "<country>", what: "status, terms, numbers, dates and sources for one country (any language, ISO code, typos welcome)", example: "uganda"},
	{name: cmdLookup, usage: "law | court | overview | money", what: "the legal basis, the court cases, the big picture over time, the payments", example: "court"},
	{name: cmdList, usage: "list [status | paid]", what: "every country on record grouped by status, or only one status (received, signed, agreed, announced, requested, refused, ended, special), or those with a reported payment", example: "list refused"},
	{name: cmdSearch, aliases: []string{"find"}, usage: "search <words>", what: "full-text search of every fact", example: "search children"},
	{name: cmdFrom, aliases: []string{"nationality"}, usage: "from <nationality or country>", what: "which countries received, or agreed to take, people of that nationality", example: "from cuba"},
	{name: cmdLatest, aliases: []string{"new", "news"}, usage: "latest [country]", what: "the 10 newest dated events, or one country's", example: "latest eswatini"},
	{name: cmdSince, usage: "since <YYYY-MM-DD>", what: "every event on or after a date", example: "since 2026-01-01"},
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
	return question(t)
}

// question finds a command inside a natural question. Command words win over
// country names: "which countries took people from Cuba?" is a from query.
func question(t string) parsed {
	words := strings.Fields(t)
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = strings.ToLower(strings.Trim(w, ",;:'\"()"))
	}
	for i, w := range lower {
		if w == "from" && i+1 < len(words) && i > 0 {
			return parsed{cmd: cmdFrom, arg: strings.Join(words[i+1:], " ")}
		}
	}
	joined := strings.Join(lower, " ")
	if strings.HasPrefix(joined, "what's new") || strings.HasPrefix(joined, "whats new") || strings.HasPrefix(joined, "what is new") {
		arg := ""
		for i, w := range lower {
			if w == "in" || w == "for" || w == "with" {
				arg = strings.Join(words[i+1:], " ")
				break
			}
		}
		return parsed{cmd: cmdLatest, arg: arg}
	}
	return parsed{cmd: cmdLookup, arg: t}
}

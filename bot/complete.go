package bot

// This file offers autocomplete choices for partly typed queries.

import (
	"context"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

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

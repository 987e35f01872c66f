package discord

import (
	"encoding/json"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// TestCommands checks the command against Discord's rules for chat
// commands: names of 1-32 lower-case characters, descriptions of 1-100
// characters in every locale, and what issue 4 asks of the one option.
func TestCommands(t *testing.T) {
	cmds := Commands()
	if len(cmds) != 1 {
		t.Fatalf("%d commands, want 1", len(cmds))
	}
	c := cmds[0]
	name := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	desc := func(what, s string) {
		if n := utf8.RuneCountInString(s); n < 1 || n > 100 {
			t.Errorf("%s is %d characters, want 1 to 100: %q", what, n, s)
		}
	}
	if c.Name != "agreement" || !name.MatchString(c.Name) || c.Type != discordgo.ChatApplicationCommand {
		t.Errorf("command %q of type %d", c.Name, c.Type)
	}
	desc("description", c.Description)
	locales := []discordgo.Locale{discordgo.SpanishES, discordgo.French, discordgo.PortugueseBR}
	for _, l := range locales {
		d, ok := (*c.DescriptionLocalizations)[l]
		if !ok {
			t.Errorf("no %s description", l)
		}
		desc(string(l)+" description", d)
	}
	if c.IntegrationTypes == nil || len(*c.IntegrationTypes) != 2 {
		t.Errorf("integration types %v, want guild and user install", c.IntegrationTypes)
	}
	if c.Contexts == nil || len(*c.Contexts) != 3 {
		t.Errorf("contexts %v, want guild, bot DM and private channel", c.Contexts)
	}
	if len(c.Options) != 1 {
		t.Fatalf("%d options, want 1", len(c.Options))
	}
	o := c.Options[0]
	if o.Name != "query" || o.Type != discordgo.ApplicationCommandOptionString || o.Required || !o.Autocomplete || o.MaxLength != 100 || len(o.Choices) != 0 {
		t.Errorf("option %+v, want query: optional string, autocomplete, max length 100", o)
	}
	desc("option description", o.Description)
	for _, l := range locales {
		desc(string(l)+" option description", o.DescriptionLocalizations[l])
	}

	b, err := CommandsJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back []*discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 1 || back[0].Name != "agreement" {
		t.Errorf("CommandsJSON does not decode to the command: %v", err)
	}
}

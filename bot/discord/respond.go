package discord

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// platform is Query.Platform for Discord.
const platform = "discord"

// usage is how to reach the bot on Discord, shown first by help.
var usage = []string{
	"/agreement query:<query>, e.g. /agreement query:uganda (suggestions appear as you type)",
	"/agreement with no query shows this help",
}

// Kinds passed to Hooks.Answered besides the reply kinds.
const (
	kindAutocomplete = "autocomplete"
	kindPing         = "ping"
)

// queryOption is the name of the one option of the agreement command.
const queryOption = "query"

// noChoices is the autocomplete answer with no choices. discordgo's
// InteractionResponseData drops an empty Choices (omitempty), and Discord
// wants the list, empty or not.
var noChoices = []byte(`{"type":8,"data":{"choices":[]}}`)

// errUnsupported is returned for interactions this adapter does not
// handle (buttons, modals).
var errUnsupported = errors.New("discord: unsupported interaction type")

// responder answers interactions. The gateway and the HTTP endpoint share
// it; only the delivery differs. It recovers no panics: the program wraps
// the handler and completer in bot.Recover and bot.RecoverCompleter.
type responder struct {
	h bot.Handler
	c bot.Completer
}

// answer returns the JSON body of the response to i, and the kind of
// answer for Hooks.Answered. Interactions arrive decoded into discordgo's
// own type (its UnmarshalJSON, for the HTTP endpoint and the gateway
// alike), and responses are discordgo's types marshalled by encoding/json.
func (rs *responder) answer(ctx context.Context, i *discordgo.Interaction) (body []byte, kind string, err error) {
	var resp discordgo.InteractionResponse
	switch i.Type {
	case discordgo.InteractionPing:
		kind = kindPing
		resp.Type = discordgo.InteractionResponsePong
	case discordgo.InteractionApplicationCommand:
		r := rs.h.Handle(ctx, query(i))
		kind = string(r.Kind)
		resp.Type = discordgo.InteractionResponseChannelMessageWithSource
		resp.Data = Render(r)
	case discordgo.InteractionApplicationCommandAutocomplete:
		kind = kindAutocomplete
		var cs []bot.Choice
		if rs.c != nil {
			cs = rs.c.Complete(ctx, query(i).Text)
		}
		choices := autocompleteChoices(cs)
		if len(choices) == 0 {
			return noChoices, kind, nil
		}
		resp.Type = discordgo.InteractionApplicationCommandAutocompleteResult
		resp.Data = &discordgo.InteractionResponseData{Choices: choices}
	default:
		return nil, "", errUnsupported
	}
	body, err = json.Marshal(resp)
	return body, kind, err
}

// decodeInteraction decodes an interaction as the HTTP endpoint receives
// it, with discordgo's own decoding (encoding/json), as discordgo decodes
// the gateway's. It calls Interaction.UnmarshalJSON itself: that is what
// json.Unmarshal would do, after scanning the whole body twice more.
func decodeInteraction(body []byte) (*discordgo.Interaction, error) {
	var i discordgo.Interaction
	if err := i.UnmarshalJSON(body); err != nil {
		return nil, err
	}
	return &i, nil
}

// query is the one conversion from an interaction to the bot's request:
// the value of the "query" option (what has been typed so far, for
// autocomplete), the guild, and the user (member.user in a guild, user
// elsewhere).
func query(i *discordgo.Interaction) bot.Query {
	q := bot.Query{Platform: platform, Team: i.GuildID, Usage: usage}
	switch {
	case i.Member != nil && i.Member.User != nil:
		q.User = i.Member.User.ID
	case i.User != nil:
		q.User = i.User.ID
	}
	// Data is a command's only for these types; ApplicationCommandData
	// panics on the others.
	if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		return q
	}
	d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return q
	}
	for _, o := range d.Options {
		if o == nil || o.Name != queryOption {
			continue
		}
		if s, ok := o.Value.(string); ok {
			q.Text = s
		}
	}
	return q
}

// autocompleteChoices keeps at most 25 choices within Discord's limits.
// Names are cut to 100 characters; a choice whose value is empty or longer
// than 100 characters is dropped, since cutting it would change the query
// it runs.
func autocompleteChoices(cs []bot.Choice) []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, c := range cs {
		if len(out) == maxChoices {
			break
		}
		if c.Value == "" || width(c.Value) > maxChoiceValue {
			continue
		}
		name := plain(c.Name, maxChoiceName)
		if name == "" {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: c.Value})
	}
	return out
}

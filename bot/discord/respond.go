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
// handle (modals).
var errUnsupported = errors.New("discord: unsupported interaction type")

// unreadableButton is what the bot is passed as the button pressed when a
// component interaction carries nothing a button of ours could have sent
// (no data, an empty custom_id, a component other than a button): a value
// bot.ParseButton rejects, so that the bot answers with its polite private
// note, and counts and rate-limits the press, as it does a damaged one.
const unreadableButton = "unreadable"

// responder answers interactions. The gateway and the HTTP endpoint share
// it; only the delivery differs. It recovers no panics: the program wraps
// the handler and completer in bot.Recover and bot.RecoverCompleter.
type responder struct {
	h bot.Handler
	c bot.Completer
	// rendered keeps command answers as encoded, by Reply.CacheKey: the
	// gateway and the HTTP endpoint both send the bytes of encode. A
	// responder without it (the benchmarks', which measure rendering)
	// renders every answer.
	rendered *bot.Cache[[]byte]
}

// renderedAnswers bounds the command answers kept encoded: a few KB each.
const renderedAnswers = 512

// newResponder returns a responder that answers with h, completes with c
// and keeps command answers encoded.
func newResponder(h bot.Handler, c bot.Completer) *responder {
	return &responder{h: h, c: c, rendered: bot.NewCache[[]byte](renderedAnswers)}
}

// response is the response to an interaction, with what its delivery
// needs besides.
type response struct {
	*discordgo.InteractionResponse
	kind  string     // the kind of answer, for Hooks.Answered
	image *bot.Image // the reply's image (the map), or nil
	// encoded is the response as encoded, for a command's answer kept by
	// its cache key (see responder.rendered): Data is nil when these
	// bytes were encoded for an earlier interaction.
	encoded []byte
}

// respond returns the response to i, and the kind of answer for
// Hooks.Answered. Interactions arrive decoded into discordgo's own type
// (its UnmarshalJSON, for the HTTP endpoint and the gateway alike), and
// responses are discordgo's types.
//
// A button press (a component interaction) is answered privately, always:
// with a new ephemeral message, or, when it turns the page of the
// person's own ephemeral message, by updating that message in place. A
// message others are reading is never changed.
func (rs *responder) respond(ctx context.Context, i *discordgo.Interaction) (response, error) {
	resp := response{InteractionResponse: &discordgo.InteractionResponse{}}
	switch i.Type {
	case discordgo.InteractionPing:
		resp.kind = kindPing
		resp.Type = discordgo.InteractionResponsePong
	case discordgo.InteractionApplicationCommand:
		r := rs.h.Handle(ctx, query(i))
		resp.kind, resp.image = string(r.Kind), r.Image
		resp.Type = discordgo.InteractionResponseChannelMessageWithSource
		if rs.rendered != nil && r.CacheKey != "" && r.Image == nil {
			b, ok := rs.rendered.Get(r.CacheKey)
			if !ok {
				resp.Data = Render(r)
				var err error
				if b, err = encode(resp.InteractionResponse); err != nil {
					return resp, err
				}
				rs.rendered.Add(r.CacheKey, b)
			}
			resp.encoded = b
			return resp, nil
		}
		resp.Data = Render(r)
	case discordgo.InteractionMessageComponent:
		r := rs.h.Handle(ctx, buttonQuery(i))
		resp.kind, resp.image = string(r.Kind), r.Image
		r.Visibility = bot.Private // for whoever pressed it, whatever came back
		resp.Type = discordgo.InteractionResponseChannelMessageWithSource
		resp.Data = Render(r)
		if turnsOwnPage(i, r) {
			resp.Type = discordgo.InteractionResponseUpdateMessage
			resp.Data.Flags = 0 // the message stays ephemeral; only its content changes
			if resp.Data.Components == nil {
				resp.Data.Components = []discordgo.MessageComponent{} // [] removes the old buttons; null would keep them
			}
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		resp.kind = kindAutocomplete
		var cs []bot.Choice
		if rs.c != nil {
			cs = rs.c.Complete(ctx, query(i).Text)
		}
		resp.Type = discordgo.InteractionApplicationCommandAutocompleteResult
		resp.Data = &discordgo.InteractionResponseData{Choices: autocompleteChoices(cs)}
	default:
		return response{}, errUnsupported
	}
	return resp, nil
}

// turnsOwnPage reports whether r, the answer to a button pressed on i's
// message, is another page of that message's answer (a page button: the
// bot sets Page only for those) and the message is the person's own,
// ephemeral one, so that it may be updated in place.
func turnsOwnPage(i *discordgo.Interaction, r bot.Reply) bool {
	return i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0 &&
		r.Page > 0 && r.Paged()
}

// The deferred responses: the answer comes later, in a follow-up message.
// Written out because discordgo's InteractionResponseData would add an
// empty message's fields to them.
var (
	deferredPublic  = []byte(`{"type":5}`)
	deferredPrivate = []byte(`{"type":5,"data":{"flags":64}}`)
)

// json returns the response's JSON body: as kept, or encoded now. Files
// (a map's image) are not in it: see encodeWithFiles.
func (resp response) json() ([]byte, error) {
	if resp.encoded != nil {
		return resp.encoded, nil
	}
	return encode(resp.InteractionResponse)
}

// encode marshals a response with encoding/json.
func encode(resp *discordgo.InteractionResponse) ([]byte, error) {
	switch {
	case resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult && (resp.Data == nil || len(resp.Data.Choices) == 0):
		return noChoices, nil
	case resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
			return deferredPrivate, nil
		}
		return deferredPublic, nil
	}
	return json.Marshal(resp)
}

// encodeWithFiles encodes a response with its files, as Discord takes
// them: a multipart/form-data body with the JSON in payload_json and each
// file in files[n], made by discordgo; plain JSON when there are none (the
// bytes kept for an answer, when it was kept).
func encodeWithFiles(resp response) (body []byte, contentType string, err error) {
	if resp.Data == nil || len(resp.Data.Files) == 0 {
		body, err = resp.json()
		return body, "application/json", err
	}
	contentType, body, err = discordgo.MultipartBodyWithJSON(resp.InteractionResponse, resp.Data.Files)
	return body, contentType, err
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

// buttonQuery is the bot's request for a button press: who pressed it,
// where, and the button's custom_id as received, which the bot parses
// (strictly: it answers one it did not make with a polite note); see
// unreadableButton for a press that carries none.
func buttonQuery(i *discordgo.Interaction) bot.Query {
	q := query(i)
	q.Button = unreadableButton
	if d, ok := i.Data.(discordgo.MessageComponentInteractionData); ok && d.ComponentType == discordgo.ButtonComponent && d.CustomID != "" {
		q.Button = d.CustomID
	}
	return q
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

package discord

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

func decode(t *testing.T, body string) *discordgo.Interaction {
	t.Helper()
	i, err := decodeInteraction([]byte(body))
	if err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return i
}

// FuzzDecodeInteraction checks that decodeInteraction, which calls
// discordgo's UnmarshalJSON itself, decodes exactly as json.Unmarshal.
func FuzzDecodeInteraction(f *testing.F) {
	for _, s := range []string{guildCommand, dmAutocomplete, `{"type":1}`, ` {"type":2,"data":{}} `, `{"type":2}x`, `null`, `[]`, `{"type":"2"}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeInteraction(body)
		var want discordgo.Interaction
		werr := json.Unmarshal(body, &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("decodeInteraction(%q) error %v, json.Unmarshal %v", body, err, werr)
		}
		if err == nil && !reflect.DeepEqual(*got, want) {
			t.Fatalf("decodeInteraction(%q) = %+v, json.Unmarshal %+v", body, *got, want)
		}
	})
}

// FuzzDecodePress checks decodePress against decodeInteraction: where the
// latter decodes a body, the former decodes it to the same interaction,
// but for the message, of which it keeps the flags.
func FuzzDecodePress(f *testing.F) {
	for _, s := range []string{guildCommand, dmAutocomplete, `{"type":1}`, ``, `{"message":null}`, `{"message":{"flags":64},"message":{"flags":2}}`,
		`{"type":3,"message":{"flags":64,"embeds":[{"title":"a\"}]"}],"components":[{"type":1,"components":[{"type":2,"custom_id":"x","label":"}"}]}]},"data":{"custom_id":"x","component_type":2}}`,
		`{"type":3,"message":{]},"data":{}}`, `{"type":3, "message" : {"flags":"64"}}`, `{"messag\u0065":{"flags":64},"type":3,"data":{}}`,
		componentJSON("1", "t", "v1:0db34b73:page:2:l//", 2, 64), componentJSON("1", "t", "x", 2, 0)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodePress(body)
		want, werr := decodeInteraction(body)
		if werr != nil {
			return // decodePress may read past a message discordgo could not decode
		}
		if err != nil {
			t.Fatalf("decodePress(%q) = %v; decodeInteraction decodes it", body, err)
		}
		flags := func(i *discordgo.Interaction) discordgo.MessageFlags {
			if i.Message == nil {
				return 0
			}
			return i.Message.Flags
		}
		if flags(got) != flags(want) {
			t.Fatalf("decodePress(%q): message flags %d, want %d", body, flags(got), flags(want))
		}
		g, w := *got, *want
		g.Message, w.Message = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("decodePress(%q) = %+v, want %+v", body, g, w)
		}
	})
}

// TestQuery checks the one conversion from an interaction, as discordgo
// decodes it, to the bot's query.
func TestQuery(t *testing.T) {
	q := func(text, team, user string) bot.Query {
		return bot.Query{Text: text, Platform: platform, Team: team, User: user, Usage: usage}
	}
	for _, tc := range []struct {
		name, body string
		want       bot.Query
	}{
		{"guild command", guildCommand, q("uganda", "1100000000000000000", "1000000000000000001")},
		{"dm autocomplete", dmAutocomplete, q("ugá", "", "1000000000000000002")},
		{"ping", `{"type":1,"id":"1","token":"t"}`, q("", "", "")},
		{"no options", `{"type":2,"data":{"name":"agreement"}}`, q("", "", "")},
		{"escapes", `{"type":2,"data":{"options":[{"name":"qu\u0065ry","value":"a\"b\\c\nd\ud83d\ude00"}]}}`, q("a\"b\\c\nd😀", "", "")},
		{"other option ignored", `{"type":2,"data":{"options":[{"name":"other","value":"x"}]}}`, q("", "", "")},
		{"number value ignored", `{"type":2,"data":{"options":[{"name":"query","value":5}]}}`, q("", "", "")},
		{"null option", `{"type":2,"data":{"options":[null,{"name":"query","value":"x"}]}}`, q("x", "", "")},
		{"null member", `{"type":2,"data":{},"member":null,"user":{"id":"7"}}`, q("", "", "7")},
		{"member wins", `{"type":2,"data":{},"user":{"id":"7"},"member":{"user":{"id":"8"}}}`, q("", "", "8")},
		{"member without user", `{"type":2,"data":{},"user":{"id":"7"},"member":{}}`, q("", "", "7")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := query(decode(t, tc.body)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("query = %+v, want %+v", got, tc.want)
			}
		})
	}
	// Types whose data is not a command's must not panic.
	for _, typ := range []discordgo.InteractionType{discordgo.InteractionPing, discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit, 99} {
		i := decode(t, `{"type":`+strconv.Itoa(int(typ))+`,"id":"1","data":{"name":"agreement","options":[{"name":"query","value":"x"}]}}`)
		if got := query(i); got.Text != "" {
			t.Errorf("query(type %d) = %+v, want no text", typ, got)
		}
	}
}

// answer returns the JSON body of the response to i, and the kind of
// answer for Hooks.Answered, as the HTTP endpoint would send it for an
// answer without files; the tests and benchmarks use it.
func (rs *responder) answer(ctx context.Context, i *discordgo.Interaction) (body []byte, kind string, err error) {
	resp, err := rs.respond(ctx, i)
	if err != nil {
		return nil, "", err
	}
	body, err = resp.json()
	return body, resp.kind, err
}

func TestAnswer(t *testing.T) {
	rs := &responder{h: stubHandler, c: stubCompleter}
	ctx := context.Background()

	body, kind, err := rs.answer(ctx, decode(t, `{"type":1,"id":"1","token":"t"}`))
	if err != nil || kind != kindPing || string(body) != `{"type":1}` {
		t.Errorf("PING: %s %q %v, want {\"type\":1}", body, kind, err)
	}

	body, kind, err = rs.answer(ctx, decode(t, guildCommand))
	if err != nil || kind != string(bot.KindCountry) {
		t.Fatalf("command: kind %q, %v", kind, err)
	}
	want, _ := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: Render(ugandaReply())})
	if string(body) != string(want) {
		t.Errorf("command answer differs from the rendering of the reply:\n%s\nwant\n%s", body, want)
	}
	// Rendered afresh every time: a changed reply shows at once.
	changed := bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		r := ugandaReply()
		r.Summary = "changed"
		return r
	})
	body, _, _ = (&responder{h: changed}).answer(ctx, decode(t, guildCommand))
	if !strings.Contains(string(body), "changed") {
		t.Errorf("a changed reply was not rendered: %s", body)
	}

	body, kind, err = rs.answer(ctx, decode(t, dmAutocomplete))
	if err != nil || kind != kindAutocomplete {
		t.Fatalf("autocomplete: kind %q, %v", kind, err)
	}
	cs := checkChoices(t, body)
	if len(cs) != maxChoices || cs[0].Name != "Uganda (signed, disputed)" || cs[0].Value != "uganda" {
		t.Errorf("choices = %d, first %+v", len(cs), cs[0])
	}

	for _, c := range []bot.Completer{nil, bot.CompleterFunc(func(context.Context, string) []bot.Choice { return []bot.Choice{{Name: "no value"}} })} {
		body, _, err = (&responder{h: stubHandler, c: c}).answer(ctx, decode(t, dmAutocomplete))
		if err != nil || string(body) != `{"type":8,"data":{"choices":[]}}` {
			t.Errorf("no choices: %s %v, want an empty list", body, err)
		}
	}

	for _, typ := range []string{"5", "99"} {
		if _, _, err := rs.answer(ctx, decode(t, `{"type":`+typ+`,"id":"1","data":{}}`)); !errors.Is(err, errUnsupported) {
			t.Errorf("type %s: %v, want errUnsupported", typ, err)
		}
	}
}

func TestAutocompleteChoices(t *testing.T) {
	long := strings.Repeat("x", maxChoiceValue+1)
	cs := autocompleteChoices([]bot.Choice{
		{Name: "@everyone\nUganda", Value: "uganda"},
		{Name: "", Value: "empty name"},
		{Name: "empty value", Value: ""},
		{Name: "long value", Value: long},
		{Name: strings.Repeat("é", 150), Value: "long name"},
	})
	if len(cs) != 2 {
		t.Fatalf("%d choices, want 2: %+v", len(cs), cs)
	}
	if cs[0].Name != "@\u200beveryone Uganda" || cs[0].Value != "uganda" {
		t.Errorf("first choice %+v, want the name made plain", cs[0])
	}
	if width(cs[1].Name) != maxChoiceName || cs[1].Value != "long name" {
		t.Errorf("second choice %q (%d characters), want its name cut to %d", cs[1].Name, width(cs[1].Name), maxChoiceName)
	}
}

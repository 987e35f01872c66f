package discord

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// guildCommand is an interaction as Discord sends it for /agreement
// query:uganda in a server (ids and token made up).
const guildCommand = `{"app_permissions":"562949953601536","application_id":"1090000000000000000","authorizing_integration_owners":{"0":"1100000000000000000"},"channel":{"flags":0,"guild_id":"1100000000000000000","icon_emoji":{"id":null,"name":"👋"},"id":"1100000000000000001","last_message_id":"1300000000000000000","name":"general","nsfw":false,"parent_id":"1100000000000000002","permissions":"2248473465835073","position":0,"rate_limit_per_user":0,"theme_color":null,"topic":null,"type":0},"channel_id":"1100000000000000001","context":0,"data":{"guild_id":"1100000000000000000","id":"1300000000000000001","name":"agreement","options":[{"name":"query","type":3,"value":"uganda"}],"type":1},"entitlement_sku_ids":[],"entitlements":[],"guild":{"features":["NEWS","COMMUNITY"],"id":"1100000000000000000","locale":"en-US"},"guild_id":"1100000000000000000","guild_locale":"en-US","id":"1300000000000000002","locale":"en-GB","member":{"avatar":null,"banner":null,"communication_disabled_until":null,"deaf":false,"flags":0,"joined_at":"2023-03-01T12:00:00.000000+00:00","mute":false,"nick":null,"pending":false,"permissions":"2248473465835073","premium_since":null,"roles":["1100000000000000005"],"unusual_dm_activity_until":null,"user":{"avatar":"a_0123456789abcdef0123456789abcdef","avatar_decoration_data":null,"clan":null,"discriminator":"0","global_name":"Reporter","id":"1000000000000000001","public_flags":0,"username":"reporter"}},"token":"` + guildToken + `","type":2,"version":1}`

const guildToken = "aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMjpYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhY"

// dmAutocomplete is an autocomplete interaction from a DM: user, not member.
const dmAutocomplete = `{"application_id":"1090000000000000000","channel_id":"1400000000000000000","context":1,"data":{"id":"1300000000000000001","name":"agreement","options":[{"focused":true,"name":"query","type":3,"value":"ug\u00e1"}],"type":1},"id":"1300000000000000003","locale":"fr","token":"dG9rZW4","type":4,"user":{"id":"1000000000000000002","username":"dm-user"},"version":1}`

func TestParseInteraction(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       interaction
	}{
		{"guild command", guildCommand, interaction{Type: 2, ID: "1300000000000000002", Token: guildToken, GuildID: "1100000000000000000", UserID: "1000000000000000001", Command: "agreement", Query: "uganda"}},
		{"dm autocomplete", dmAutocomplete, interaction{Type: 4, ID: "1300000000000000003", Token: "dG9rZW4", UserID: "1000000000000000002", Command: "agreement", Query: "ugá", Focused: true}},
		{"ping", `{"type":1,"id":"1","token":"t"}`, interaction{Type: 1, ID: "1", Token: "t"}},
		{"no options", `{"type":2,"data":{"name":"agreement"}}`, interaction{Type: 2, Command: "agreement"}},
		{"escapes", `{"type":2,"data":{"options":[{"name":"qu\u0065ry","value":"a\"b\\c\nd\ud83d\ude00"}]}}`, interaction{Type: 2, Query: "a\"b\\c\nd😀"}},
		{"other option ignored", `{"type":2,"data":{"options":[{"name":"other","value":"x"}]}}`, interaction{Type: 2}},
		{"number value ignored", `{"type":2,"data":{"options":[{"name":"query","value":5}]}}`, interaction{Type: 2}},
		{"null member", `{"type":2,"member":null,"user":{"id":"7"}}`, interaction{Type: 2, UserID: "7"}},
		{"member wins", `{"type":2,"user":{"id":"7"},"member":{"user":{"id":"8"}}}`, interaction{Type: 2, UserID: "8"}},
		{"last duplicate wins", `{"type":2,"type":4,"id":"1","id":2}`, interaction{Type: 4}},
		{"type as float", `{"type":2.0}`, interaction{Type: 2}},
		{"type out of range", `{"type":256}`, interaction{}},
		{"whitespace", " \n{ \"type\" : 2 , \"data\" : { \"options\" : [ { \"name\" : \"query\" , \"value\" : \"x\" } ] } } \t", interaction{Type: 2, Query: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseInteraction([]byte(tc.body))
			if err != nil {
				t.Fatalf("parseInteraction: %v", err)
			}
			if got != tc.want {
				t.Errorf("parseInteraction = %+v, want %+v", got, tc.want)
			}
			checkAgainstReference(t, []byte(tc.body))
		})
	}
	for _, bad := range []string{"", "null", "[]", `"x"`, "{", `{"type":}`, `{"type":2,}`, `{"type":2}x`, `{"a":tru}`,
		`{"a":"\x"}`, "{\"a\":\"\x01\"}", `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a" 1}`, `{1:2}`, `{"a":[1,]}`, `{"a":"\u12"}`} {
		if _, err := parseInteraction([]byte(bad)); err == nil {
			t.Errorf("parseInteraction(%q) accepted invalid JSON", bad)
		}
		checkAgainstReference(t, []byte(bad))
	}
}

func TestParseInteractionDepth(t *testing.T) {
	for _, depth := range []int{maxDepth - 1, maxDepth} { // the top object adds one
		body := `{"x":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`
		_, err := parseInteraction([]byte(body))
		if valid := json.Valid([]byte(body)); (err == nil) != valid {
			t.Errorf("depth %d: parseInteraction error %v, json.Valid %v", depth, err, valid)
		}
	}
}

// TestFromDiscordgo checks that the gateway's conversion of discordgo's
// decoding agrees with parseInteraction.
func TestFromDiscordgo(t *testing.T) {
	for _, body := range []string{guildCommand, dmAutocomplete} {
		var i discordgo.Interaction
		if err := json.Unmarshal([]byte(body), &i); err != nil {
			t.Fatal(err)
		}
		want, err := parseInteraction([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := fromDiscordgo(&i); got != want {
			t.Errorf("fromDiscordgo = %+v, parseInteraction = %+v", got, want)
		}
	}
	// Types whose data is not a command's must not panic.
	for _, typ := range []discordgo.InteractionType{discordgo.InteractionPing, discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit} {
		var i discordgo.Interaction
		if err := json.Unmarshal([]byte(`{"type":`+strconv.Itoa(int(typ))+`,"id":"1","data":{}}`), &i); err != nil {
			t.Fatal(err)
		}
		if got := fromDiscordgo(&i); got.Type != typ || got.Command != "" {
			t.Errorf("fromDiscordgo(type %d) = %+v", typ, got)
		}
	}
}

// reference decodes body the slow, obvious way: encoding/json into a map,
// then the same field rules as parseInteraction.
func reference(body []byte) (interaction, bool) {
	if !json.Valid(body) {
		return interaction{}, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return interaction{}, false
	}
	str := func(v any) string { s, _ := v.(string); return s }
	obj := func(v any) map[string]any { o, _ := v.(map[string]any); return o }
	var in interaction
	if n, ok := m["type"].(json.Number); ok {
		if f, err := strconv.ParseFloat(string(n), 64); err == nil && f == float64(int(f)) && f >= 0 && f <= 255 {
			in.Type = discordgo.InteractionType(f)
		}
	}
	in.ID, in.Token, in.GuildID = str(m["id"]), str(m["token"]), str(m["guild_id"])
	in.UserID = str(obj(obj(m["member"])["user"])["id"])
	if in.UserID == "" {
		in.UserID = str(obj(m["user"])["id"])
	}
	data := obj(m["data"])
	in.Command = str(data["name"])
	opts, _ := data["options"].([]any)
	for _, o := range opts {
		om := obj(o)
		if v, ok := om["value"].(string); ok && om["name"] == queryOption {
			in.Query = v
			in.Focused = om["focused"] == true
		}
	}
	return in, true
}

func checkAgainstReference(t *testing.T, body []byte) {
	t.Helper()
	want, valid := reference(body)
	got, err := parseInteraction(body)
	if (err == nil) != valid {
		t.Fatalf("parseInteraction(%q) error = %v, but json.Valid = %v", body, err, valid)
	}
	if valid && got != want {
		t.Fatalf("parseInteraction(%q) = %+v, reference = %+v", body, got, want)
	}
}

// FuzzParseInteraction checks parseInteraction against encoding/json: it
// accepts exactly the valid JSON objects and reads the same fields.
func FuzzParseInteraction(f *testing.F) {
	for _, s := range []string{guildCommand, dmAutocomplete, `{"type":1}`, `{"data":{"options":[{"name":"query","value":"\u00e9\ud800","focused":true}]}}`,
		`{"member":{"user":{"id":"1"}},"member":{}}`, `{"type":-0}`, `{"type":1e2}`, "{\"\xff\":1}", `{"a":[{"b":[null,true,false,-1.5e-3]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgainstReference(t, body)
	})
}

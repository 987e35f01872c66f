package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// sent is an interaction response (or follow-up message) as Discord reads
// it. discordgo's InteractionResponseData cannot decode components (an
// interface type), so the tests decode what was sent into this.
type sent struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *sentData                         `json:"data"`
}

type sentData struct {
	Content         string                                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	Components      []sentRow                                   `json:"components"`
	AllowedMentions *discordgo.MessageAllowedMentions           `json:"allowed_mentions"`
	Flags           discordgo.MessageFlags                      `json:"flags"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

type sentRow struct {
	Type       discordgo.ComponentType `json:"type"`
	Components []sentButton            `json:"components"`
}

type sentButton struct {
	Type     discordgo.ComponentType `json:"type"`
	Style    discordgo.ButtonStyle   `json:"style"`
	Label    string                  `json:"label"`
	CustomID string                  `json:"custom_id"`
	Disabled bool                    `json:"disabled"`
}

func decodeSent(t testing.TB, body []byte) sent {
	t.Helper()
	var s sent
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("decoding a response: %v: %s", err, body)
	}
	return s
}

// buttons lists the buttons of a response, in order.
func (d *sentData) buttons() []sentButton {
	if d == nil {
		return nil
	}
	var bs []sentButton
	for _, r := range d.Components {
		bs = append(bs, r.Components...)
	}
	return bs
}

package discord

import (
	"slices"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// Discord's limits on message components.
// https://discord.com/developers/docs/components/reference
const (
	maxRowButtons = 5   // buttons in an action row
	maxRows       = 5   // action rows in a message
	maxLabel      = 80  // a button's label
	maxCustomID   = 100 // a button's custom_id
)

// components lays out the reply's buttons under the message: grey
// (secondary) buttons, five to an action row, each with its value as the
// custom_id, sent back as it is when pressed. A button Discord would
// refuse (no label, a custom_id empty, longer than 100 characters or
// already used in the message) is left out rather than changed, since a
// changed value would not be the bot's any more; the bidirectional
// controls are removed from both, as from everything sent.
func components(bs []bot.Button) []discordgo.MessageComponent {
	if len(bs) == 0 {
		return nil
	}
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	ids := make([]string, 0, len(bs))
	for _, b := range bs {
		id, label := bot.StripBidi(b.Value), plain(b.Label, maxLabel)
		if id == "" || width(id) > maxCustomID || label == "" || slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		row = append(row, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
		if len(row) == maxRowButtons {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
			if len(rows) == maxRows {
				return rows
			}
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

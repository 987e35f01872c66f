package slack

// This file reads what the bot needs of an interaction payload.

import (
	// The v1 API of encoding/json built on encoding/json/v2, from the
	// module that mirrors the standard library's (Go 1.27 ships it as
	// encoding/json): the same rules as encoding/json, whose slack-go
	// reads Socket Mode's payloads, in one pass over the input instead of
	// two. A press's payload carries the pressed message whole, and
	// reading it took half of handling the press.
	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/slack-go/slack"
)

// interactionPayload is what the bot reads of an interaction payload: who pressed
// which of its buttons, on which message, and where to answer. The rest
// of the payload, the pressed message's blocks above all (Slack sends the
// bot's own answer back whole), is not named here, so encoding/json skips
// it without decoding it into slack-go's block types, which cost more than
// all the rest of answering a press.
type interactionPayload struct {
	Type string `json:"type"`
	User struct {
		ID     string `json:"id"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	Team struct {
		ID string `json:"id"`
	} `json:"team"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Container struct {
		ChannelID   string `json:"channel_id"`
		IsEphemeral bool   `json:"is_ephemeral"`
		MessageTS   string `json:"message_ts"`
		ThreadTS    string `json:"thread_ts"`
	} `json:"container"`
	// Message is the pressed message; Slack leaves it out when it is
	// ephemeral.
	Message struct {
		TS       string `json:"ts"`
		ThreadTS string `json:"thread_ts"`
	} `json:"message"`
	ResponseURL string         `json:"response_url"`
	Actions     []buttonAction `json:"actions"`
}

// buttonAction is one action of a block_actions payload: for a button, its
// action_id and value.
type buttonAction struct {
	ActionID string `json:"action_id"`
	Value    string `json:"value"`
}

// parseInteraction reads an interaction payload (the HTTP route's payload
// field) as encoding/json would. The members it reads must have their
// types (a string ts, say); the others, the payload being signed by Slack,
// are only checked to be JSON.
func parseInteraction(payload []byte) (interactionPayload, error) {
	var in interactionPayload
	err := jsonv1.Unmarshal(payload, &in)
	return in, err
}

// interactionOf is what the bot reads of an interaction slack-go parsed:
// the Socket Mode client hands interactions over parsed.
func interactionOf(ic slack.InteractionCallback) interactionPayload {
	var in interactionPayload
	in.Type = string(ic.Type)
	in.User.ID, in.User.TeamID = ic.User.ID, ic.User.TeamID
	in.Team.ID = ic.Team.ID
	in.Channel.ID = ic.Channel.ID
	in.Container.ChannelID = ic.Container.ChannelID
	in.Container.IsEphemeral = ic.Container.IsEphemeral
	in.Container.MessageTS, in.Container.ThreadTS = ic.Container.MessageTs, ic.Container.ThreadTs
	in.Message.TS, in.Message.ThreadTS = ic.Message.Timestamp, ic.Message.ThreadTimestamp
	in.ResponseURL = ic.ResponseURL
	for _, a := range ic.ActionCallback.BlockActions {
		if a != nil {
			in.Actions = append(in.Actions, buttonAction{ActionID: a.ActionID, Value: a.Value})
		}
	}
	return in
}

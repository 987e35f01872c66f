// Package slack connects agreementbot to Slack. It is the only package that
// imports github.com/slack-go/slack.
//
// It turns what Slack sends (a `/agreement` slash command, an @mention, a
// direct message) into a bot.Query, asks a bot.Handler, and turns the
// bot.Reply into a Block Kit message. It has no knowledge of the facts and
// makes no decisions about them: what to answer and who may see it come from
// package bot.
//
// Two transports carry the same conversation:
//
//   - Socket Mode (NewSocketMode): an outbound WebSocket, no public URL
//     needed. Slash commands are answered in the acknowledgement itself;
//     mentions and DMs are acknowledged at once and answered in their thread
//     with chat.postMessage; button presses are acknowledged at once and
//     answered privately. The connection is re-opened when it drops or Slack
//     asks for a refresh; Run returns only when its context ends or the tokens
//     are rejected (errors.Is(err, ErrAuth)).
//   - HTTP (NewHTTPHandler): POST /slack/commands, POST /slack/events and
//     POST /slack/interactions, each request verified against the signing
//     secret before anything in it is parsed. Verification and parsing are
//     slack-go's (NewSecretsVerifier, SlashCommandParse,
//     slackevents.ParseEvent), but for a button press, of which
//     encoding/json reads only the few fields the bot needs.
//
// Render turns a Reply into Block Kit within every Slack limit, escaping all
// text taken from the Reply so that no answer can ping a channel or a user,
// and removing bidirectional controls. Unless the reply asks for the whole
// answer, it is the short form: a card's essentials, or one page of a list,
// with the reply's buttons under it. A button's value is the bot's, sent
// back as it is; the bot parses it. The answer to a press is only ever
// seen by the person who pressed: through the action's response_url
// (ephemeral, replacing only the presser's own ephemeral page), or with
// chat.postEphemeral in a thread. A map is an image block at
// Config.PublicURL, or a PNG uploaded to the conversation (files:write).
// Manifest prints the app manifest that creates the Slack app.
//
// The package logs through the *slog.Logger it is given, never a token, a
// signing secret or a response_url, and shows users nothing of an internal
// error.
package slack

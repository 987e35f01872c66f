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
//     with chat.postMessage. The connection is re-opened when it drops or Slack
//     asks for a refresh; Run returns only when its context ends or the tokens
//     are rejected (errors.Is(err, ErrAuth)).
//   - HTTP (NewHTTPHandler): POST /slack/commands and POST /slack/events,
//     each request verified against the signing secret before anything in
//     it is parsed. Verification and parsing are slack-go's
//     (NewSecretsVerifier, SlashCommandParse, slackevents.ParseEvent).
//
// Render turns a Reply into Block Kit within every Slack limit, escaping all
// text taken from the Reply so that no answer can ping a channel or a user.
// Manifest prints the app manifest that creates the Slack app.
//
// The package logs through the *slog.Logger it is given, never a token or
// a signing secret, and shows users nothing of an internal error.
package slack

// Package discord is agreementbot's Discord adapter: the /agreement
// application command and the buttons under its answers, answered over a
// gateway connection (Gateway) or an HTTP interactions endpoint
// (NewHTTPHandler), with answers rendered as embeds (Render) and
// autocomplete on the command's one option.
//
// It is the only package that imports github.com/bwmarrin/discordgo, and it
// does nothing but translate: an interaction becomes a bot.Query for the
// bot.Handler (a button press carries its custom_id as Query.Button, which
// the bot parses), or a prefix for the bot.Completer, and the bot.Reply
// becomes an interaction response. It holds no facts and makes no
// decisions about them. Interactions are decoded, and responses encoded,
// with encoding/json and discordgo's own types, on the gateway and the
// HTTP endpoint alike (of the message a button press comes with, the
// endpoint decodes only the flags). A command's answer with a cache key
// (bot.Reply.CacheKey) is encoded once and its bytes sent again for the
// same key, over either; button presses, autocomplete and maps are
// rendered every time.
//
// Answers are short unless the reply asks for the whole (Reply.Full): a
// card in at most 1,200 visible characters, a list one page of ten, with
// the reply's buttons under them for the rest. A button's answer is
// private: a new ephemeral message, or the person's own ephemeral page
// updated in place; a message others read is never changed. A map's image
// is attached to the gateway's callback; the HTTP endpoint shows it from
// PUBLIC_URL, or defers and posts it in a follow-up message, work that its
// Drain method waits for at shutdown.
//
// It recovers no panics: the program wraps the Handler and Completer it
// passes in bot.Recover and bot.RecoverCompleter, so a panic reaches the
// adapter as an apology (a reply of kind error) or no choices.
//
// What it guarantees on Discord's side:
//   - Every response is within Discord's limits (embed title, description,
//     fields, footer, 6,000 characters in all; 25 autocomplete choices of at
//     most 100 characters); long answers are shortened where they overflow
//     and point to the command that shows the rest.
//   - No response pings anyone: allowed_mentions is {"parse":[]}, and all
//     text taken from a reply has its markdown escaped, so user input echoed
//     back cannot format, link or mention. No bidirectional control
//     (bot.IsBidiControl) is sent.
//   - Buttons are within Discord's limits: five to an action row, labels
//     of at most 80 characters, custom_ids of 1 to 100, none twice.
//   - An interaction is answered within its 3 seconds: the callback is
//     retried after a 429 or a 5xx only while time remains.
//   - The HTTP endpoint verifies every request's Ed25519 signature before
//     parsing it, and never caches the result. It reads a body only as its
//     bytes arrive, and logs rejections with a fixed reason, sampled to at
//     most one line a second for each reason.
//   - The gateway asks for no intents, resumes dropped connections, and
//     stops with a clear error on an invalid token or a fatal close code
//     instead of reconnecting forever.
//
// DISCORD_API_URL (Config.APIURL) moves every REST call, the gateway lookup
// included, to another server, through the HTTP client rather than by
// changing discordgo's package variables; the tests use it to run the real
// discordgo session against a fake Discord on 127.0.0.1.
package discord

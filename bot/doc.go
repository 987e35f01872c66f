// Package bot is agreementbot's platform-neutral core: it parses what a user
// typed with the one grammar every platform shares, answers it from the
// knowledge store, and returns a Reply, the model every platform renders.
//
// It must not import a chat SDK, log, or keep mutable package state: the
// adapters in bot/console, bot/slack and bot/discord translate to and from
// their platform and nothing more.
package bot

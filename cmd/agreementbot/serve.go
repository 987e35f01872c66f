package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/knowledge"
)

// serve runs the configured platforms until ctx ends. (Wired as the
// adapters land.)
func serve(ctx context.Context, cfg *config, log *slog.Logger, store *knowledge.Store, b *bot.Bot, all bool) int {
	log.Error("no chat platform is built into this version yet")
	return 1
}

func slackManifest(cfg *config, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "agreementbot: slack-manifest is not available yet")
	return 1
}

func discordCommands(ctx context.Context, cfg *config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "agreementbot: discord-commands is not available yet")
	return 1
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/discord"
	"github.com/agreementbot/agreementbot/bot/slack"
)

// slackManifest prints the Slack app manifest: the HTTP variant when
// PUBLIC_URL is set, Socket Mode otherwise.
func slackManifest(cfg *config, stdout, stderr io.Writer) int {
	b, err := slack.Manifest(cfg.PublicURL)
	if err != nil {
		fmt.Fprintf(stderr, "agreementbot: %v\n", err)
		return 1
	}
	stdout.Write(b)
	return 0
}

// discordCommands prints the Discord command definitions, or registers
// them with --register.
func discordCommands(ctx context.Context, cfg *config, log *slog.Logger, args []string, now func() time.Time, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		b, err := discord.CommandsJSON()
		if err != nil {
			fmt.Fprintf(stderr, "agreementbot: %v\n", err)
			return 1
		}
		stdout.Write(append(b, '\n'))
		return 0
	case len(args) == 1 && (args[0] == "--register" || args[0] == "-register"):
		var missing []string
		if cfg.DiscordBotToken == "" {
			missing = append(missing, "DISCORD_BOT_TOKEN")
		}
		if cfg.DiscordAppID == "" {
			missing = append(missing, "DISCORD_APP_ID")
		}
		if len(missing) > 0 {
			fmt.Fprintf(stderr, "agreementbot: discord-commands --register needs %v\n", missing)
			return 2
		}
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := discord.Register(rctx, discordConfig(cfg, log, bot.Hooks{}, now)); err != nil {
			fmt.Fprintf(stderr, "agreementbot: registering the Discord command: %v\n", err)
			return 1
		}
		where := "globally (may take up to an hour to appear)"
		if cfg.DiscordGuildID != "" {
			where = "in guild " + cfg.DiscordGuildID
		}
		fmt.Fprintf(stdout, "registered /agreement %s\n", where)
		return 0
	}
	fmt.Fprintln(stderr, "usage: agreementbot discord-commands [--register]")
	return 2
}

package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// CommandName is the one application command.
const CommandName = "agreement"

// Commands returns the application commands to register: one chat command,
// agreement, with one optional string option, query, that carries the whole
// shared grammar. There are no subcommands, since a command with
// subcommands cannot be run on its own, and /agreement alone shows help.
// The command can be used in servers, in DMs with the bot and, when a user
// installs the app to their account, anywhere.
func Commands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{{
		Type:        discordgo.ChatApplicationCommand,
		Name:        CommandName,
		Description: "Third-country deportation agreements with the US: who agreed, on what terms, with sources",
		DescriptionLocalizations: &map[discordgo.Locale]string{
			discordgo.SpanishES:    "Acuerdos con EE. UU. para recibir deportados de otros países: quién, en qué condiciones, fuentes",
			discordgo.French:       "Accords avec les États-Unis pour accueillir des expulsés d'autres pays : qui, à quelles conditions",
			discordgo.PortugueseBR: "Acordos com os EUA para receber deportados de outros países: quem, em que condições, com fontes",
		},
		IntegrationTypes: &[]discordgo.ApplicationIntegrationType{
			discordgo.ApplicationIntegrationGuildInstall,
			discordgo.ApplicationIntegrationUserInstall,
		},
		Contexts: &[]discordgo.InteractionContextType{
			discordgo.InteractionContextGuild,
			discordgo.InteractionContextBotDM,
			discordgo.InteractionContextPrivateChannel,
		},
		Options: []*discordgo.ApplicationCommandOption{{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        queryOption,
			Description: "A country, or: list, search <words>, from <nationality>, latest, sources, about, help",
			DescriptionLocalizations: map[discordgo.Locale]string{
				discordgo.SpanishES:    "Un país, o: list, search <palabras>, from <nacionalidad>, latest, sources, about, help",
				discordgo.French:       "Un pays, ou : list, search <mots>, from <nationalité>, latest, sources, about, help",
				discordgo.PortugueseBR: "Um país, ou: list, search <palavras>, from <nacionalidade>, latest, sources, about, help",
			},
			Required:     false,
			Autocomplete: true,
			MaxLength:    maxChoiceValue,
		}},
	}}
}

// CommandsJSON returns the commands as the JSON array that Register sends,
// indented and with <, > and & left readable, for
// `agreementbot discord-commands`.
func CommandsJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Commands()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ErrInvalidToken is returned when Discord rejects the bot token (HTTP 401).
var ErrInvalidToken = errors.New("discord: Discord rejected the bot token (401 Unauthorized): check DISCORD_BOT_TOKEN, and reset the token in the developer portal (Bot page) if it leaked")

// Register overwrites the application's commands with Commands(): in one
// guild when GuildID is set (instant, for testing), globally otherwise.
// One bulk overwrite replaces whatever was registered before, so
// registering the same commands again is harmless. A 429 or 5xx answer is
// retried after the time Discord asks for, within ctx.
func Register(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	if err := cfg.checkREST(true); err != nil {
		return err
	}
	client, err := cfg.httpClient()
	if err != nil {
		return err
	}
	s, err := newSession(cfg, client)
	if err != nil {
		return err
	}
	return register(ctx, cfg, s)
}

func register(ctx context.Context, cfg Config, s *discordgo.Session) error {
	where := "globally"
	if cfg.GuildID != "" {
		where = "in guild " + cfg.GuildID
	}
	want := Commands()
	var got []*discordgo.ApplicationCommand
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		got, err = s.ApplicationCommandBulkOverwrite(cfg.AppID, cfg.GuildID, want, restOptions(ctx)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("discord: registering the /%s command %s for application %s: %w", CommandName, where, cfg.AppID, describe(err))
	}
	if len(got) != len(want) || got[0] == nil || got[0].Name != CommandName {
		return fmt.Errorf("discord: registering the /%s command %s: Discord answered with %d commands", CommandName, where, len(got))
	}
	cfg.Logger.Info("discord: registered commands", "where", where, "app_id", cfg.AppID, "command_id", got[0].ID)
	return nil
}

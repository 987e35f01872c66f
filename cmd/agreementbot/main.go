// Command agreementbot answers questions about US third-country deportation
// agreements in Slack, Discord, or a local console, from facts embedded in
// the binary. See README.md for the commands and the configuration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/console"
	"github.com/agreementbot/agreementbot/knowledge"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, ".env", time.Now, os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  agreementbot                     run every configured platform; with none, the local console
  agreementbot ask [--json] TEXT   answer once and exit
  agreementbot map [-o FILE] [FILTER]
                                   draw the map (world, a region, a status or a country) to a PNG
  agreementbot check [--notes] [DIR]
                                   validate data files (the embedded ones without DIR);
                                   --notes also prints the maintainers' editor notes
  agreementbot serve               run the HTTP server only (Slack and Discord HTTP endpoints)
  agreementbot slack-manifest      print the Slack app manifest (HTTP variant when PUBLIC_URL is set)
  agreementbot discord-commands [--register]
                                   print (or register) the Discord command definitions
  agreementbot version             print the version
Configuration comes from the environment and ./.env; see config.example.env.`

// run is the whole program, with its environment passed in so tests can
// drive it in-process: getenv reads variables, dotenv names the .env file
// read after them ("" for none), now is the clock (the facts' age, latencies,
// rate limits). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, dotenv string, now func() time.Time,
	stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "check":
		return check(args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, buildVersion())
		return 0
	case "", "ask", "map", "serve", "slack-manifest", "discord-commands":
	default:
		fmt.Fprintf(stderr, "agreementbot: unknown command %q\n%s\n", cmd, usage)
		return 2
	}

	var fileVals map[string]string
	if dotenv != "" {
		var err error
		if fileVals, err = readDotEnv(os.DirFS(filepath.Dir(dotenv)), filepath.Base(dotenv)); err != nil {
			return configFailed(stderr, err)
		}
	}
	cfg, err := loadConfig(getenv, fileVals)
	if err == nil {
		switch cmd {
		case "":
			err = cfg.checkPlatforms(modeAll)
		case "serve":
			err = cfg.checkPlatforms(modeHTTP)
		}
	}
	if err != nil {
		return configFailed(stderr, err)
	}
	log := newLogger(cfg, stderr)

	switch cmd {
	case "slack-manifest":
		return slackManifest(cfg, stdout, stderr)
	case "discord-commands":
		return discordCommands(ctx, cfg, log, args, now, stdout, stderr)
	}

	store, err := loadStore(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "agreementbot: %v\n", err)
		return 1
	}
	b := newBot(cfg, store, now)

	switch cmd {
	case "ask":
		// One answer and out: nothing is built that this answer does not
		// need (see Bot.Warm).
		return ask(ctx, b, args, stdout, stderr)
	case "map":
		return drawMap(ctx, b, args, stdout, stderr)
	}
	// Every other mode runs for a while: build now, in the background,
	// what the first questions would otherwise wait for.
	b.Warm(ctx)
	if cmd == "" && !cfg.anyChat() {
		banner := fmt.Sprintf("agreementbot %s: US third-country deportation agreements, facts as of %s.\nAsk a question (how much did the US pay Eswatini?) or type a country (uganda), list, map, search <words>, from <nationality>, latest, help; quit to leave.",
			buildVersion(), store.AsOf().ISO())
		if err := console.Run(ctx, b, stdin, stdout, console.Options{Banner: banner, SaveImage: saveImage("")}); err != nil {
			fmt.Fprintf(stderr, "agreementbot: %v\n", err)
			return 1
		}
		return 0
	}
	cfg.logEffective(log)
	m := modeAll
	if cmd == "serve" {
		m = modeHTTP
	}
	return serve(ctx, newService(cfg, log, b, now), m)
}

// configFailed reports a configuration error, every problem on its own
// line, and returns exit code 2.
func configFailed(stderr io.Writer, err error) int {
	var ce *ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, "agreementbot: invalid configuration:")
		for _, p := range ce.Problems {
			fmt.Fprintln(stderr, "  "+p)
		}
		return 2
	}
	fmt.Fprintf(stderr, "agreementbot: %v\n", err)
	return 2
}

// newBot builds the bot every mode answers with.
func newBot(cfg *config, store *knowledge.Store, now func() time.Time) *bot.Bot {
	return bot.New(store, bot.Options{Visibility: cfg.Visibility, Version: buildVersion(), CorrectionsURL: cfg.CorrectionsURL, Now: now})
}

func loadStore(cfg *config) (*knowledge.Store, error) {
	var fsys fs.FS = knowledge.Embedded()
	if cfg.KnowledgeDir != "" {
		fsys = os.DirFS(cfg.KnowledgeDir)
	}
	return knowledge.Load(fsys)
}

// ask answers one question and exits 0, also for not-found answers.
func ask(ctx context.Context, b *bot.Bot, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the answer as JSON (see docs/json.md)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: agreementbot ask [--json] TEXT")
		fs.PrintDefaults()
	}
	// A question may start with a dash (a pasted bullet, "- uganda"): the
	// words are read as flags only when the first is one of ask's.
	if len(args) > 0 && askFlag(args[0]) {
		if code, ok := parseFlags(fs, args); !ok {
			return code
		}
		args = fs.Args()
	}
	r := b.Handle(ctx, bot.Query{Text: strings.Join(args, " "), Platform: "console"})
	if *asJSON {
		out, err := r.JSON()
		if err != nil {
			fmt.Fprintf(stderr, "agreementbot: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, string(out))
		return 0
	}
	fmt.Fprintln(stdout, strings.TrimRight(r.Text(), "\n"))
	return 0
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// buildVersion is the version about shows: the one deploy/build.sh stamps
// (from git describe, or VERSION in the image build); for go build and go
// install, the one the Go toolchain records (a module version, or the
// commit it was built from); "dev" only when none is known.
func buildVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return "devel-" + rev
}

// modulePath is the module's path, for when the build records none.
const modulePath = "github.com/agreementbot/agreementbot"

// defaultCorrectionsURL is the issues page of the repository the module
// path names.
func defaultCorrectionsURL() string {
	path := modulePath
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Path, "github.com/") {
		path = bi.Main.Path
	}
	return "https://" + path + "/issues"
}

// drawMap is `agreementbot map [-o FILE] [FILTER]`: it writes the map to
// FILE (agreement-map.png unless given), prints where and the map's text,
// and exits 0, or 2 for a filter it does not know.
func drawMap(ctx context.Context, b *bot.Bot, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("map", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "agreement-map.png", "the PNG file to write")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: agreementbot map [-o FILE] [FILTER]")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	r := b.Handle(ctx, bot.Query{Text: strings.TrimSpace("map " + strings.Join(fs.Args(), " ")), Platform: "console"})
	if r.Kind != bot.KindMap || r.Image == nil {
		fmt.Fprintf(stderr, "agreementbot map: %s\n", r.Notice)
		return 2
	}
	path, err := saveImage(*out)(r.Image)
	if err != nil {
		fmt.Fprintf(stderr, "agreementbot map: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	fmt.Fprintln(stdout, strings.TrimRight(r.Text(), "\n"))
	return 0
}

// askFlag reports whether arg is one of ask's flags (-json, -h, -help,
// with one dash or two, and --json=true and the like) or "--", which ends
// them.
func askFlag(arg string) bool {
	if arg == "--" {
		return true
	}
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	name, _, _ = strings.Cut(name, "=")
	return name != arg && (name == "json" || name == "h" || name == "help")
}

// parseFlags parses a subcommand's flags. When it cannot go on, it says
// with what exit code: 0 after -h or --help (the usage is printed), 2
// for a flag it does not know (printed with the usage).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	case err != nil:
		return 2, false
	}
	return 0, true
}

// saveImage returns a function that writes an answer's picture to path, or
// to its own name in the current directory when path is "".
func saveImage(path string) func(*bot.Image) (string, error) {
	return func(img *bot.Image) (string, error) {
		p := path
		if p == "" {
			p = img.Name
		}
		if err := os.WriteFile(p, img.PNG, 0o644); err != nil {
			return "", err
		}
		return p, nil
	}
}

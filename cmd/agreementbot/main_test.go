package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// env builds a getenv from pairs.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// testNow is the clock of in-process runs: a fixed day, so the facts' age
// in answers and examples does not change from one day to the next.
func testNow() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }

// runIn runs the program in-process with no .env file and returns exit
// code, stdout and stderr.
func runIn(t *testing.T, getenv func(string) string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, getenv, "", testNow, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAskText(t *testing.T) {
	code, out, _ := runIn(t, env(), "", "ask", "uganda")
	if code != 0 || !strings.HasPrefix(out, "Uganda [signed, disputed]") || !strings.Contains(out, "Facts as of 2026-03-") {
		t.Errorf("ask uganda = %d\n%s", code, out)
	}
	code, out, _ = runIn(t, env(), "", "ask", "xyzzy")
	if code != 0 || !strings.Contains(out, "No country or topic found") {
		t.Errorf("ask xyzzy = %d, want 0 with a not-found answer\n%s", code, out)
	}
}

// TestSubcommandFlags: -h and --help print a subcommand's usage and exit 0
// without answering; a flag it does not know exits 2 with the usage.
func TestSubcommandFlags(t *testing.T) {
	for _, args := range [][]string{{"ask", "--help"}, {"ask", "-h"}, {"map", "--help"}} {
		code, out, errs := runIn(t, env(), "", args...)
		if code != 0 || out != "" || !strings.Contains(errs, "usage: agreementbot "+args[0]) {
			t.Errorf("%v = %d, stdout %q, stderr %q; want 0 and the usage", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"ask", "--json", "--bogus", "uganda"}, {"map", "--bogus"}} {
		code, out, errs := runIn(t, env(), "", args...)
		if code != 2 || out != "" || !strings.Contains(errs, "-bogus") || !strings.Contains(errs, "usage: agreementbot "+args[0]) {
			t.Errorf("%v = %d, stdout %q, stderr %q; want 2 naming the flag", args, code, out, errs)
		}
	}
	// A question's words are the question's, dashes and all: after it, or
	// leading it when they are not ask's flags (a pasted bullet).
	for _, args := range [][]string{{"ask", "uganda", "-h"}, {"ask", "-", "uganda"}, {"ask", "-uganda"}, {"ask", "--", "-h", "uganda"}} {
		if code, out, _ := runIn(t, env(), "", args...); code != 0 || !strings.HasPrefix(out, "Uganda") {
			t.Errorf("%v = %d\n%s", args, code, out)
		}
	}
	if code, out, _ := runIn(t, env(), "", "ask", "--json=true", "uganda"); code != 0 || !strings.HasPrefix(out, "{") {
		t.Errorf("ask --json=true uganda = %d\n%s", code, out)
	}
}

func TestAskJSON(t *testing.T) {
	code, out, errs := runIn(t, env(), "", "ask", "--json", "which", "countries", "took", "people", "from", "Cuba?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a struct {
		Kind    string
		Query   string
		Country *struct{}
		Results []struct{ Code, Name, Status string }
		AsOf    string `json:"as_of"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if a.Kind != "from" || a.Query != "which countries took people from Cuba?" || a.Country != nil || len(a.Results) == 0 || a.AsOf == "" {
		t.Errorf("ask --json = %+v", a)
	}
}

func TestConsoleIsTheDefault(t *testing.T) {
	code, out, _ := runIn(t, env(), "uganda\nlist\n")
	if code != 0 || !strings.Contains(out, "agreementbot") || !strings.Contains(out, "Uganda [signed") || !strings.Contains(out, "Countries on record") {
		t.Errorf("console = %d\n%s", code, out)
	}
}

func TestCheck(t *testing.T) {
	code, out, _ := runIn(t, env(), "", "check")
	if code != 0 || !strings.HasPrefix(out, "ok: embedded data") {
		t.Errorf("check = %d %q", code, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sources.yaml"), []byte("- id: S1\n  outlet: X\n  urls: [\"https://x\"]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "topics.yaml"), []byte("[]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "nationalities.yaml"), []byte("demonyms: {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ug.yaml"), []byte("code: UG\nname: Uganda\nstatus: signd\nsumary: x\n"), 0o644)
	code, _, errs := runIn(t, env(), "", "check", dir)
	if code != 1 || !strings.Contains(errs, "ug.yaml:4:") || !strings.Contains(errs, "sumary") {
		t.Errorf("check bad dir = %d\n%s", code, errs)
	}
}

// TestCheckEditedCopy: an edited copy of the repository's data checks ok,
// with nothing more to do before committing.
func TestCheckEditedCopy(t *testing.T) {
	data, err := filepath.Abs(filepath.Join("..", "..", "knowledge", "data"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(data)); err != nil {
		t.Fatal(err)
	}
	ug := filepath.Join(dir, "ug.yaml")
	b, err := os.ReadFile(ug)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ug, append(b, "\n# an editor's comment\n"...), 0o644)
	code, out, _ := runIn(t, env(), "", "check", dir)
	if code != 0 || !strings.HasPrefix(out, "ok: ") || strings.Count(out, "\n") != 1 {
		t.Errorf("check of an edited copy = %d %q, want one ok line", code, out)
	}
}

func TestConfigErrorsAreReportedAtOnce(t *testing.T) {
	code, _, errs := runIn(t, env("REPLY_VISIBILITY", "everyone", "LOG_FORMAT", "xml", "RATE_LIMIT_PER_USER", "lots", "DISCORD_PUBLIC_KEY", "nothex", "SLACK_BOT_TOKEN", "xoxb-secret-value-1"), "", "ask", "uganda")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, v := range []string{"REPLY_VISIBILITY", "LOG_FORMAT", "RATE_LIMIT_PER_USER", "DISCORD_PUBLIC_KEY"} {
		if !strings.Contains(errs, v) {
			t.Errorf("config error does not name %s:\n%s", v, errs)
		}
	}
	if strings.Contains(errs, "xoxb-secret-value-1") || strings.Contains(errs, "nothex") {
		t.Errorf("config error leaks a secret:\n%s", errs)
	}
}

// TestConfigRejectsPublicKeyOffTheCurve: 64 hex characters that are not a
// point on the curve are reported with the other problems, exit 2, since
// no signature could ever verify with them.
func TestConfigRejectsPublicKeyOffTheCurve(t *testing.T) {
	key := "02" + strings.Repeat("0", 62)
	code, _, errs := runIn(t, env("DISCORD_PUBLIC_KEY", key, "LOG_FORMAT", "xml"), "", "ask", "uganda")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{"DISCORD_PUBLIC_KEY", "not a point on the curve", "LOG_FORMAT"} {
		if !strings.Contains(errs, want) {
			t.Errorf("config error lacks %q:\n%s", want, errs)
		}
	}
	// A real key passes.
	if _, err := loadConfig(env("DISCORD_PUBLIC_KEY", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), nil); err != nil {
		t.Errorf("the RFC 8032 test key: %v", err)
	}
}

func TestDotEnv(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile(".env", []byte("# comment\nREPLY_VISIBILITY=private\nexport LOG_LEVEL='warn'\nSHUTDOWN_TIMEOUT=\"3s\" \n"), 0o644)
	vals, err := readDotEnv(os.DirFS("."), ".env")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(env("LOG_LEVEL", "error"), vals)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Visibility.String() != "private" || cfg.LogLevel.String() != "ERROR" || cfg.ShutdownTimeout.String() != "3s" {
		t.Errorf("got visibility %v level %v timeout %v; the real environment must win over .env", cfg.Visibility, cfg.LogLevel, cfg.ShutdownTimeout)
	}
	os.WriteFile(".env", []byte("OK=1\nnot a line\n"), 0o644)
	if _, err := readDotEnv(os.DirFS("."), ".env"); err == nil || !strings.Contains(err.Error(), ".env:2") {
		t.Errorf("bad .env error = %v, want it to name .env:2", err)
	}
}

func TestEmptyValueMeansUnset(t *testing.T) {
	cfg, err := loadConfig(env("HTTP_ADDR", "", "REPLY_VISIBILITY", "  "), nil)
	if err != nil || cfg.HTTPAddr != ":8080" || cfg.Visibility.String() != "public" {
		t.Errorf("loadConfig = %+v, %v", cfg, err)
	}
}

// TestExampleEnvInSync keeps config.example.env, the variables table and
// the code that reads variables in step, and every secret empty.
func TestExampleEnvInSync(t *testing.T) {
	b, err := os.ReadFile("../../config.example.env")
	if err != nil {
		t.Fatal(err)
	}
	inFile := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("config.example.env: bad line %q", line)
			continue
		}
		inFile[name] = true
		if val != "" {
			t.Errorf("config.example.env: %s has a value; leave values empty and give the default in the comment", name)
		}
	}
	inTable := map[string]bool{}
	for _, v := range variables {
		inTable[v.name] = true
		if !inFile[v.name] {
			t.Errorf("%s is read but not documented in config.example.env", v.name)
		}
		if !strings.Contains(string(b), "# "+v.doc) {
			t.Errorf("config.example.env: %s's comment differs from its doc in config.go: %q", v.name, v.doc)
		}
		if !strings.Contains(string(b), "Default: ") {
			t.Errorf("config.example.env gives no defaults")
		}
	}
	for name := range inFile {
		if !inTable[name] {
			t.Errorf("config.example.env documents %s, which the code does not read", name)
		}
	}
	// Every get("NAME") in the code is in the table.
	files, _ := filepath.Glob("*.go")
	files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
	re := regexp.MustCompile(`get\("([A-Z_]+)"\)`)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if !inTable[m[1]] {
				t.Errorf("%s reads %s, which is not in the variables table", f, m[1])
			}
		}
	}
}

func TestAboutShowsCorrectionsAndVersion(t *testing.T) {
	code, out, _ := runIn(t, env(), "", "ask", "about")
	if code != 0 || !strings.Contains(out, "https://github.com/agreementbot/agreementbot/issues") {
		t.Errorf("about without CORRECTIONS_URL = %d\n%s", code, out)
	}
	code, out, _ = runIn(t, env("CORRECTIONS_URL", "https://news.example/report-a-fact"), "", "ask", "uganda")
	if code != 0 || !strings.Contains(out, "Report a wrong fact: https://news.example/report-a-fact") {
		t.Errorf("uganda with CORRECTIONS_URL = %d\n%s", code, out)
	}
	code, _, errs := runIn(t, env("CORRECTIONS_URL", "not a url"), "", "ask", "uganda")
	if code != 2 || !strings.Contains(errs, "CORRECTIONS_URL") {
		t.Errorf("bad CORRECTIONS_URL = %d %s", code, errs)
	}
}

func TestMapCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "africa.png")
	code, stdout, errs := runIn(t, env(), "", "map", "-o", out, "africa")
	if code != 0 || !strings.HasPrefix(stdout, out+"\n") || !strings.Contains(stdout, "Map of ") {
		t.Fatalf("map -o %s africa = %d\n%s%s", out, code, stdout, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) > 400<<10 {
		t.Errorf("%s: %v, %d bytes", out, err, len(b))
	}
	code, _, errs = runIn(t, env(), "", "map", "atlantis")
	if code != 2 || !strings.Contains(errs, "atlantis") {
		t.Errorf("map atlantis = %d %q, want 2 naming the filter", code, errs)
	}
	// ask never writes a file: kind map, image "".
	code, stdout, _ = runIn(t, env(), "", "ask", "--json", "map")
	var a struct {
		Kind, Image string
		Results     []any
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &a) != nil || a.Kind != "map" || a.Image != "" || len(a.Results) == 0 {
		t.Errorf("ask --json map = %d %+v", code, a)
	}
}

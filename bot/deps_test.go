package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps imports pointing inward, in the spirit of
// go/build's deps_test.go: the core never sees a chat SDK, and each SDK
// stays inside the one adapter that wraps it.
func TestDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	out, err := exec.Command("go", "list", "-e", "-deps", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "github.com/agreementbot/agreementbot/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/agreementbot/agreementbot"
	// allowed[sdk] is the only package of this module that may import it.
	only := map[string]string{
		"github.com/slack-go/slack":               mod + "/bot/slack",
		"github.com/bwmarrin/discordgo":           mod + "/bot/discord",
		"github.com/kljensen/snowball":            mod + "/knowledge",
		"go.yaml.in/yaml/v3":                      mod + "/knowledge",
		"github.com/oasisprotocol/curve25519-voi": mod + "/bot/discord",
		"golang.org/x/image":                      mod + "/internal/worldmap",
		"github.com/hashicorp/golang-lru":         mod + "/bot",
		"github.com/go-json-experiment/json":      mod + "/bot/slack",
	}
	// The core may also use the map drawing package: pure Go, no I/O, no
	// SDK (its own data subpackage with it).
	core := map[string]bool{mod + "/bot": true, mod + "/knowledge": true, mod + "/bot/console": true,
		mod + "/internal/worldmap": true, mod + "/internal/worldmap/internal/mapdata": true}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if !strings.HasPrefix(pkg, mod) {
			continue
		}
		checked++
		for _, imp := range strings.Fields(imports) {
			for sdk, owner := range only {
				if (imp == sdk || strings.HasPrefix(imp, sdk+"/")) && pkg != owner {
					t.Errorf("%s imports %s; only %s may", pkg, imp, owner)
				}
			}
			if core[pkg] && strings.HasPrefix(imp, mod+"/") && !core[imp] {
				t.Errorf("%s imports %s: the core must not depend on adapters or commands", pkg, imp)
			}
			if pkg == mod+"/knowledge" && strings.HasPrefix(imp, mod+"/") {
				t.Errorf("knowledge imports %s: it must depend on nothing in this module", imp)
			}
		}
	}
	if checked < 3 {
		t.Fatalf("checked only %d packages; go list output:\n%s", checked, out)
	}
}

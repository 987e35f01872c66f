package worldmap

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps golang.org/x/image inside this package, and this
// package free of the fact store and the chat platforms: it draws, nothing
// more. (Tests may load the fact store; the package may not.)
func TestDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	const mod = "github.com/agreementbot/agreementbot"
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, mod+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	self := mod + "/internal/worldmap"
	seen := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if !strings.HasPrefix(pkg, mod) {
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if strings.HasPrefix(imp, "golang.org/x/image/") && pkg != self {
				t.Errorf("%s imports %s; only %s may", pkg, imp, self)
			}
			if pkg == self {
				seen = true
				if strings.HasPrefix(imp, mod+"/") && !strings.HasPrefix(imp, self+"/") {
					t.Errorf("%s imports %s: it must not depend on the rest of the bot", pkg, imp)
				}
				for _, sdk := range []string{"github.com/slack-go/", "github.com/bwmarrin/"} {
					if strings.HasPrefix(imp, sdk) {
						t.Errorf("%s imports %s", pkg, imp)
					}
				}
			}
		}
	}
	if !seen {
		t.Fatalf("go list did not list %s:\n%s", self, out)
	}
}

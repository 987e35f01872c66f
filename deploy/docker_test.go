package deploy

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// There is no container engine on the development machines or in CI, so
// these tests check what `docker build` would do: the Dockerfile runs
// deploy/build.sh (the one build command, which .ci/run also runs), the
// .dockerignore keeps secrets out but the sources in, and the build script,
// run on exactly the files Docker would send, produces a static binary that
// answers from its embedded data in an empty directory with no environment.

const (
	repoRoot    = ".."
	buildScript = "build.sh"
	// The exact build command of the issue, as the script writes it.
	buildCommand = `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=$version" -o "$out" ./cmd/agreementbot`
	// The version the context build stamps, as docker build --build-arg
	// VERSION=... would.
	contextVersion = "1.2.3-context"
	// What the Dockerfile's build stage must run, word for word.
	dockerBuildStep = "sh deploy/build.sh /out/agreementbot"
	binaryInImage   = "/agreementbot"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY, ...
	args string
	line int
}

// stage is one FROM and the instructions after it.
type stage struct {
	image, name string
	body        []instruction
}

var argRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// parseDockerfile splits a Dockerfile into stages, with the FROM images'
// ${ARG} references resolved from the ARG defaults declared before the
// first FROM.
func parseDockerfile(b []byte) (stages []stage, err error) {
	var ins []instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		ins = append(ins, instruction{strings.ToUpper(cmd), strings.TrimSpace(args), start})
		cur.Reset()
	}
	args := map[string]string{}
	for _, in := range ins {
		switch {
		case in.cmd == "ARG" && len(stages) == 0:
			name, def, _ := strings.Cut(in.args, "=")
			args[name] = def
		case in.cmd == "FROM":
			f := strings.Fields(in.args)
			if len(f) > 0 && strings.HasPrefix(f[0], "--platform=") {
				f = f[1:]
			}
			if len(f) != 1 && !(len(f) == 3 && strings.EqualFold(f[1], "AS")) {
				return nil, fmt.Errorf("line %d: FROM %s: want IMAGE [AS NAME]", in.line, in.args)
			}
			st := stage{image: argRef.ReplaceAllStringFunc(f[0], func(m string) string {
				return args[argRef.FindStringSubmatch(m)[1]]
			})}
			if len(f) == 3 {
				st.name = f[2]
			}
			stages = append(stages, st)
		case len(stages) == 0:
			return nil, fmt.Errorf("line %d: %s before the first FROM", in.line, in.cmd)
		default:
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		}
	}
	if len(stages) == 0 {
		return nil, errors.New("no FROM")
	}
	return stages, nil
}

func (s stage) all(cmd string) []instruction {
	var out []instruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

func (s stage) last(cmd string) (instruction, bool) {
	all := s.all(cmd)
	if len(all) == 0 {
		return instruction{}, false
	}
	return all[len(all)-1], true
}

// execForm decodes ["a", "b"] (the JSON form of ENTRYPOINT and CMD).
func execForm(s string) ([]string, error) {
	var out []string
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

func TestBuildScript(t *testing.T) {
	b, err := os.ReadFile(buildScript)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == buildCommand {
			found++
		} else if strings.Contains(line, "go build") && !strings.HasPrefix(line, "#") {
			t.Errorf("%s: a second build command: %s", buildScript, line)
		}
	}
	if found != 1 {
		t.Errorf("%s: want the build command exactly once:\n\t%s", buildScript, buildCommand)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("go build")) {
		t.Error("Dockerfile: builds with its own go build; run deploy/build.sh instead, so CI builds the same way")
	}
	stages, err := parseDockerfile(b)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: %d stage(s), want a build stage and a runtime stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	if !strings.HasPrefix(build.image, "golang:1.26") {
		t.Errorf("Dockerfile: build stage FROM %q, want golang:1.26 (the go.mod version)", build.image)
	}
	if !slices.ContainsFunc(build.all("ARG"), func(in instruction) bool { return in.args == "VERSION" }) {
		t.Error("Dockerfile: build stage has no ARG VERSION: the image would not know its version")
	}
	runs := build.all("RUN")
	if !slices.ContainsFunc(runs, func(in instruction) bool { return in.args == dockerBuildStep }) {
		t.Errorf("Dockerfile: build stage %q does not RUN %q", build.name, dockerBuildStep)
	}
	if !slices.ContainsFunc(build.all("COPY"), func(in instruction) bool { return in.args == ". ." }) {
		t.Error("Dockerfile: build stage does not COPY . . (the build context, filtered by .dockerignore)")
	}

	switch img := final.image; {
	case strings.HasPrefix(img, "gcr.io/distroless/static"):
		if !strings.HasSuffix(img, ":nonroot") {
			t.Errorf("Dockerfile: runtime image %q: want the :nonroot variant", img)
		}
	case img == "scratch":
		if len(final.all("COPY")) < 2 {
			t.Error("Dockerfile: scratch needs the CA certificates copied in as well as the binary")
		}
	default:
		t.Errorf("Dockerfile: runtime image %q: want gcr.io/distroless/static-debian12:nonroot or scratch", img)
	}
	wantCopy := fmt.Sprintf("--from=%s /out/agreementbot %s", build.name, binaryInImage)
	if !slices.ContainsFunc(final.all("COPY"), func(in instruction) bool { return in.args == wantCopy }) {
		t.Errorf("Dockerfile: runtime stage does not COPY %s", wantCopy)
	}
	if final.all("RUN") != nil {
		t.Error("Dockerfile: the runtime stage has no shell: no RUN there")
	}

	// A numeric, non-zero user, so Kubernetes can verify runAsNonRoot.
	user, ok := final.last("USER")
	uid, err := strconv.Atoi(strings.SplitN(user.args, ":", 2)[0])
	if !ok || err != nil || uid == 0 {
		t.Errorf("Dockerfile: USER %q: want a numeric non-root user such as 65532:65532", user.args)
	}

	// Entry point and default command agree with the Deployment.
	if in, ok := final.last("ENTRYPOINT"); !ok {
		t.Error("Dockerfile: no ENTRYPOINT")
	} else if ep, err := execForm(in.args); err != nil || !slices.Equal(ep, []string{binaryInImage}) {
		t.Errorf("Dockerfile: ENTRYPOINT %s, want [%q]", in.args, binaryInImage)
	}
	ms := loadManifests(t, manifestDir)
	_, c, dwhere := deployment(t, ms)
	if in, ok := final.last("CMD"); !ok {
		t.Error("Dockerfile: no CMD")
	} else if cmd, err := execForm(in.args); err != nil || !slices.Equal(cmd, c.Args) {
		t.Errorf("Dockerfile: CMD %s, but %s runs args %q", in.args, dwhere, c.Args)
	}
	exposed := map[string]bool{}
	for _, in := range final.all("EXPOSE") {
		for _, p := range strings.Fields(in.args) {
			exposed[strings.TrimSuffix(p, "/tcp")] = true
		}
	}
	// The image's default HTTP_ADDR port; METRICS_ADDR is off by default.
	if p := portNumber(c, intstr.FromString("http")); !exposed[strconv.Itoa(int(p))] {
		t.Errorf("Dockerfile: does not EXPOSE %d, the http port of %s", p, dwhere)
	}
}

// dockerignore returns the matcher Docker builds from .dockerignore.
func dockerignore(t *testing.T) *patternmatcher.PatternMatcher {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

func excluded(t *testing.T, pm *patternmatcher.PatternMatcher, rel string) bool {
	t.Helper()
	ex, err := pm.MatchesOrParentMatches(rel)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestDockerignore(t *testing.T) {
	pm := dockerignore(t)
	for _, rel := range []string{".env", ".env.local", ".git/config", "knowledge.test", "agreementbot", "deploy/k8s/deployment.yaml"} {
		if !excluded(t, pm, rel) {
			t.Errorf(".dockerignore: %s would be sent to the image build", rel)
		}
	}
	for _, rel := range []string{"go.mod", "go.sum", "deploy/build.sh", "cmd/agreementbot/main.go", "knowledge/embed.go", "knowledge/data/ug.yaml", "knowledge/data/README.md", "bot/bot.go"} {
		if excluded(t, pm, rel) {
			t.Errorf(".dockerignore: %s is excluded, but the build needs it", rel)
		}
	}
}

// checkStatic reports why the ELF file at path is not a static executable:
// a program interpreter (the dynamic loader) or needed shared libraries.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			interp, _ := io.ReadAll(io.LimitReader(p.Open(), 256))
			return fmt.Errorf("%s: dynamically linked, interpreter %s", path, bytes.TrimRight(interp, "\x00"))
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return err
	}
	if len(libs) > 0 {
		return fmt.Errorf("%s: needs shared libraries %v", path, libs)
	}
	return nil
}

func TestCheckStaticCatchesDynamic(t *testing.T) {
	const dynamic = "/bin/sh" // dash on Debian: dynamically linked
	if _, err := os.Stat(dynamic); err != nil {
		t.Skip(dynamic, "missing")
	}
	if err := checkStatic(dynamic); err == nil {
		t.Errorf("checkStatic(%s) = nil, want it reported as dynamically linked", dynamic)
	}
}

// TestStaticBinary checks the binary CI built with deploy/build.sh (its path
// in AGREEMENTBOT_STATIC_BIN); .ci/run sets it.
func TestStaticBinary(t *testing.T) {
	bin := os.Getenv("AGREEMENTBOT_STATIC_BIN")
	if bin == "" {
		t.Skip("AGREEMENTBOT_STATIC_BIN not set (.ci/run sets it)")
	}
	if err := checkStatic(bin); err != nil {
		t.Error(err)
	}
	runEmbeddedCheck(t, bin)
}

// runEmbeddedCheck runs `BIN check` as the image would: in an empty
// directory, with an empty environment. It must find the embedded data.
func runEmbeddedCheck(t *testing.T, bin string) {
	t.Helper()
	cmd := exec.Command(bin, "check")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok: embedded data") {
		t.Errorf("%s check: %v\n%s", bin, err, out)
	}
}

// TestBuildFromDockerContext does the image's build stage without Docker:
// it copies the files that .dockerignore lets through to a fresh directory,
// runs the Dockerfile's build step there, and checks the result.
func TestBuildFromDockerContext(t *testing.T) {
	bin := contextBinary(t)
	if err := checkStatic(bin); err != nil {
		t.Error(err)
	}
	runEmbeddedCheck(t, bin)
	out, err := exec.Command(bin, "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != contextVersion {
		t.Errorf("%s version = %q, %v; want the VERSION build argument %q", bin, out, err, contextVersion)
	}
}

var contextBuild struct {
	once sync.Once
	dir  string // removed by TestMain
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if contextBuild.dir != "" {
		os.RemoveAll(contextBuild.dir)
	}
	os.Exit(code)
}

// contextBinary builds the binary as the image's build stage does, once per
// test run, and returns its path.
func contextBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in PATH")
	}
	contextBuild.once.Do(func() {
		contextBuild.dir, contextBuild.err = os.MkdirTemp("", "agreementbot-context-")
		if contextBuild.err == nil {
			contextBuild.bin, contextBuild.err = buildFromContext(t, contextBuild.dir)
		}
	})
	if contextBuild.err != nil {
		t.Fatal(contextBuild.err)
	}
	return contextBuild.bin
}

// buildFromContext copies the build context into tmp/src, runs the
// Dockerfile's build step there and returns the binary's path.
func buildFromContext(t *testing.T, tmp string) (string, error) {
	pm := dockerignore(t)
	src := filepath.Join(tmp, "src")
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(repoRoot, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" {
				return fs.SkipDir // excluded, and large
			}
			return nil
		}
		if excluded(t, pm, rel) {
			return nil
		}
		dst := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, info.Mode().Perm())
	})
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(src, "deploy", "k8s")); err == nil {
		return "", errors.New("the build context holds deploy/k8s: .dockerignore should leave it out")
	}

	out := filepath.Join(tmp, "out", "agreementbot")
	f := strings.Fields(dockerBuildStep)
	f[len(f)-1] = out // the image's /out/agreementbot
	cmd := exec.Command(f[0], f[1:]...)
	cmd.Dir = src                                             // WORKDIR /src
	cmd.Env = append(os.Environ(), "VERSION="+contextVersion) // ARG VERSION
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s in the build context: %v\n%s", strings.Join(f, " "), err, b)
	}
	// Without the build argument the build stops rather than say "dev".
	bare := exec.Command(f[0], f[1:]...)
	bare.Dir = src
	bare.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "VERSION=") })
	if b, err := bare.CombinedOutput(); err == nil || !strings.Contains(string(b), "VERSION") {
		return "", fmt.Errorf("the build without VERSION and without .git succeeded or did not say why: %v\n%s", err, b)
	}
	return out, nil
}

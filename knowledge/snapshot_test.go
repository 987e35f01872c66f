package knowledge

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite snapshot_gen.go from knowledge/data")

const snapshotFile = "snapshot_gen.go"

// decodeEmbedded parses the embedded files the slow way, as if there were
// no snapshot.
func decodeEmbedded(t *testing.T) (*rawDir, *files) {
	t.Helper()
	var p problems
	raw, err := readDir(Embedded(), &p)
	if err != nil {
		t.Fatal(err)
	}
	f := raw.decode(&p)
	if len(p.list) > 0 {
		t.Fatalf("the embedded data does not decode cleanly; fix it first (go run ./cmd/agreementbot check):\n%v", (&LoadError{Problems: p.list}).Error())
	}
	return raw, f
}

// TestSnapshot keeps snapshot_gen.go equal to what the YAML decodes to,
// and rewrites it with -update (go generate ./knowledge).
func TestSnapshot(t *testing.T) {
	raw, f := decodeEmbedded(t)
	src, err := renderSnapshot(raw.digest(), raw.names, f)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(snapshotFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(snapshotFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatalf("knowledge/%s is out of date with knowledge/data: start-up falls back to parsing the YAML (correct, but slower). Run: go generate ./knowledge", snapshotFile)
	}
	// The values compiled in, not only the source text, must equal a fresh
	// decode, and Load must be taking them.
	if snapshotDigest != raw.digest() {
		t.Fatal("snapshotDigest differs from the embedded files' digest")
	}
	if !reflect.DeepEqual(&snapshot, f) {
		t.Fatal("the compiled snapshot differs from a fresh decode of the embedded files")
	}
}

// TestSnapshotSameStore checks that a store built from the snapshot and one
// built from parsing the YAML are the same store.
func TestSnapshotSameStore(t *testing.T) {
	_, f := decodeEmbedded(t)
	var p1, p2 problems
	fromYAML := build(f, &p1)
	fromSnap := build(&snapshot, &p2)
	if len(p1.list)+len(p2.list) > 0 {
		t.Fatalf("problems: %v %v", p1.list, p2.list)
	}
	for _, s := range []*Store{fromYAML, fromSnap} {
		s.waitIndexed()
		s.derive()
	}
	if diff := storeDiff(fromYAML, fromSnap); diff != "" {
		t.Fatalf("the store built from the snapshot differs from the one built from the YAML in %s", diff)
	}
	// And the build itself is deterministic.
	again := build(f, &p1)
	again.waitIndexed()
	again.derive()
	if diff := storeDiff(fromYAML, again); diff != "" {
		t.Fatalf("two builds from the same files differ in %s", diff)
	}
}

// storeDiff names the first field in which two stores differ, leaving out
// the build's synchronisation.
func storeDiff(a, b *Store) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		if name == "indexed" || name == "buildOnce" || name == "deriveOnce" {
			continue
		}
		fa, fb := va.Field(i), vb.Field(i)
		x := reflect.NewAt(fa.Type(), fa.Addr().UnsafePointer()).Elem().Interface()
		y := reflect.NewAt(fb.Type(), fb.Addr().UnsafePointer()).Elem().Interface()
		if !reflect.DeepEqual(x, y) {
			return name
		}
	}
	return ""
}

// TestSnapshotOnlyForSameBytes checks the snapshot is used for the exact
// embedded bytes and for nothing else: an edited file is parsed, so the
// edit shows, and an edit that breaks a rule fails loading.
func TestSnapshotOnlyForSameBytes(t *testing.T) {
	copyFS := func() fstest.MapFS { return EmbeddedCopy(t) }

	var p problems
	raw, err := readDir(copyFS(), &p)
	if err != nil || len(p.list) > 0 {
		t.Fatal(err, p.list)
	}
	if raw.digest() != snapshotDigest {
		t.Fatal("an exact copy of the embedded files should match the snapshot")
	}

	edited := copyFS()
	ug := string(edited["ug.yaml"].Data)
	summary := "summary: >-\n"
	if !strings.Contains(ug, summary) {
		t.Fatal("ug.yaml has no folded summary to edit")
	}
	edited["ug.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(ug, summary, summary+"  EDITED.\n", 1))}
	if raw, _ := readDir(edited, &p); raw.digest() == snapshotDigest {
		t.Fatal("an edited file has the snapshot's digest")
	}
	s, err := Load(edited)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Country("UG"); c == nil || !strings.HasPrefix(c.Summary, "EDITED.") {
		t.Fatalf("the edit does not show: %+v", c)
	}

	broken := copyFS()
	broken["ug.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(ug, "status: signed", "status: singed", 1))}
	if _, err := Load(broken); err == nil || !strings.Contains(err.Error(), `ug.yaml`) || !strings.Contains(err.Error(), `"singed"`) {
		t.Fatalf("a broken edit should fail loading, got %v", err)
	}

	renamed := copyFS()
	renamed["zz.yaml"] = renamed["ug.yaml"]
	if raw, _ := readDir(renamed, &p); raw.digest() == snapshotDigest {
		t.Fatal("an added file has the snapshot's digest")
	}
}

// EmbeddedCopy returns the embedded data files as an in-memory file system
// that a test may edit. Exported for the knowledge_test package.
func EmbeddedCopy(tb testing.TB) fstest.MapFS {
	tb.Helper()
	m := fstest.MapFS{}
	entries, err := fs.ReadDir(Embedded(), ".")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(Embedded(), e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

// TestSchemaChangesDigest checks a change to the decoding types changes
// the digest, so a snapshot made for other types is never used.
func TestSchemaChangesDigest(t *testing.T) {
	type a struct {
		X str `yaml:"x"`
	}
	type b struct {
		X str `yaml:"y"`
	}
	type c struct {
		X []str `yaml:"x"`
	}
	seen := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeFor[a](), reflect.TypeFor[b](), reflect.TypeFor[c](), reflect.TypeFor[files]()} {
		s := schemaOf(typ)
		if seen[s] {
			t.Fatalf("two types share the schema %s", s)
		}
		seen[s] = true
	}
	if !strings.Contains(schemaOf(reflect.TypeFor[files]()), `Payments "yaml:\"payments\""`) {
		t.Fatal("the schema does not describe the country file's fields")
	}
}

// renderSnapshot writes the decoded files as Go source.
func renderSnapshot(digest string, names []string, f *files) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go generate ./knowledge (TestSnapshot -update); DO NOT EDIT.\n\n")
	b.WriteString("package knowledge\n\n")
	b.WriteString("// snapshotDigest is the digest of the files snapshot was decoded from.\n")
	fmt.Fprintf(&b, "const snapshotDigest = %q\n\n", digest)
	b.WriteString("// snapshotNames is the directory listing snapshot was made from.\n")
	fmt.Fprintf(&b, "var snapshotNames = %#v\n\n", names)
	b.WriteString("// snapshot is knowledge/data decoded; see snapshot.go.\n")
	b.WriteString("var snapshot = ")
	writeLiteral(&b, reflect.ValueOf(*f), true)
	b.WriteString("\n")
	return format.Source(b.Bytes())
}

// writeLiteral writes v as a Go composite literal. Inside a slice the
// element type is elided, as gofmt -s would.
func writeLiteral(b *bytes.Buffer, v reflect.Value, typed bool) {
	typeName := func() string { return strings.ReplaceAll(v.Type().String(), "knowledge.", "") }
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Pointer:
		b.WriteString("new(")
		writeLiteral(b, v.Elem(), true)
		b.WriteString(")")
	case reflect.Slice:
		if typed {
			b.WriteString(typeName())
		}
		b.WriteString("{")
		for i := range v.Len() {
			if v.Index(i).Kind() != reflect.Struct || v.Len() > 1 {
				b.WriteString("\n")
			}
			writeLiteral(b, v.Index(i), false)
			b.WriteString(",")
		}
		b.WriteString("\n}")
	case reflect.Struct:
		if typed {
			b.WriteString(typeName())
		}
		if v.Type() == reflect.TypeFor[str]() {
			fmt.Fprintf(b, "{%s, %d}", strconv.Quote(v.Field(0).String()), v.Field(1).Int())
			return
		}
		b.WriteString("{")
		for i := range v.NumField() {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			fmt.Fprintf(b, "\n%s: ", v.Type().Field(i).Name)
			writeLiteral(b, f, true)
			b.WriteString(",")
		}
		b.WriteString("\n}")
	default:
		panic(fmt.Sprintf("snapshot: cannot write a %s", v.Kind()))
	}
}

// BenchmarkLoadFromYAML is Load without the snapshot: parsing every file.
func BenchmarkLoadFromYAML(b *testing.B) {
	for b.Loop() {
		var p problems
		raw, err := readDir(Embedded(), &p)
		if err != nil {
			b.Fatal(err)
		}
		if s := build(raw.decode(&p), &p); s == nil || len(p.list) > 0 {
			b.Fatal(p.list)
		}
	}
}

// BenchmarkWarm is what Warm adds to Load: the nine-language name index,
// the typo and prefix indexes, full-text search, and the from and event
// lists.
func BenchmarkWarm(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := Load(Embedded())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s.waitIndexed()
		s.derive()
	}
}

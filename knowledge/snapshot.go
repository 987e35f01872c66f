package knowledge

//go:generate go test -run ^TestSnapshot$ . -update

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// The snapshot is a start-up cache. snapshot_gen.go holds the embedded data
// files already decoded from YAML, as Go values the linker lays out in the
// binary, together with the digest of the exact bytes and decoding types
// they were made from. Load uses it only when the files it reads have that
// same digest, so an edited file, a KNOWLEDGE_DIR with other content, or a
// change to the decoding types all fall back to parsing the YAML. Either
// way every validation runs on the decoded values. The snapshot is made
// only from files that decode without a single problem.
//
// After editing knowledge/data, run go generate ./knowledge (a test fails
// until the snapshot matches the data again). The digest covers the
// decoding types but not the decoding code (the UnmarshalYAML methods, the
// YAML library): a change there is caught by TestSnapshot, which compares
// the snapshot with a fresh decode, so run the tests before a release.

// digest identifies the input of decode: the decoding types, the directory
// listing and every file's bytes. The files are streamed through the hash,
// not copied. A file that cannot be read gives "", which matches nothing.
func (r *rawDir) digest() string {
	h := sha256.New()
	var n [8]byte
	length := func(l int64) {
		binary.LittleEndian.PutUint64(n[:], uint64(l))
		h.Write(n[:])
	}
	field := func(s string) {
		length(int64(len(s)))
		io.WriteString(h, s)
	}
	field(schema())
	for _, name := range r.names {
		field(name)
	}
	buf := make([]byte, 8<<10)
	for _, name := range r.files() {
		field(name)
		f, err := r.fsys.Open(name)
		if err != nil {
			return ""
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return ""
		}
		length(st.Size())
		got, err := io.CopyBuffer(h, f, buf)
		f.Close()
		if err != nil || got != st.Size() {
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// schema is the fingerprint of the decoding types, computed once.
var schema = sync.OnceValue(func() string { return schemaOf(reflect.TypeFor[files]()) })

// schemaOf describes a type with every field's name, type and tag, so that
// a change to what is decoded changes the digest.
func schemaOf(t reflect.Type) string {
	var b strings.Builder
	writeSchema(&b, t, map[reflect.Type]bool{})
	return b.String()
}

func writeSchema(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		b.WriteString(t.Kind().String())
		b.WriteString("(")
		writeSchema(b, t.Elem(), seen)
		b.WriteString(")")
	case reflect.Map:
		b.WriteString("map(")
		writeSchema(b, t.Key(), seen)
		b.WriteString(",")
		writeSchema(b, t.Elem(), seen)
		b.WriteString(")")
	case reflect.Struct:
		b.WriteString(t.Name())
		if seen[t] {
			return
		}
		seen[t] = true
		b.WriteString("{")
		for i := range t.NumField() {
			f := t.Field(i)
			b.WriteString(f.Name)
			b.WriteString(" ")
			b.WriteString(strconv.Quote(string(f.Tag)))
			b.WriteString(" ")
			writeSchema(b, f.Type, seen)
			b.WriteString(";")
		}
		b.WriteString("}")
	default:
		b.WriteString(t.Kind().String())
	}
}

// SnapshotCurrent reports whether fsys holds exactly the files the
// compiled-in snapshot was made from, so that Load skips parsing them.
func SnapshotCurrent(fsys fs.FS) bool {
	var p problems
	raw, err := readDir(fsys, &p)
	return err == nil && len(p.list) == 0 && raw.digest() == snapshotDigest
}

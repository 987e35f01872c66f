package knowledge

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

// TestREADMEDocumentsEveryField: every YAML field the loader accepts is
// written, as "field:", in data/README.md, so an editor can find it there.
func TestREADMEDocumentsEveryField(t *testing.T) {
	b, err := fs.ReadFile(Embedded(), "README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range []any{countryFile{}, factFile{}, noteFile{}, eventFile{}, groupFile{}, arrivalFile{},
		paymentFile{}, countFile{}, sourceFile{}, topicFile{}} {
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag := rt.Field(i).Tag.Get("yaml")
			if tag == "" {
				continue
			}
			if !strings.Contains(readme, tag+":") {
				t.Errorf("data/README.md does not document %s's field %q", rt.Name(), tag)
			}
		}
	}
	for _, c := range []Caveat{SingleSource, Weak, Unconfirmed, Disputed, UnverifiedWording} {
		if !strings.Contains(readme, "`"+string(c)+"`") || !strings.Contains(readme, c.Label()) {
			t.Errorf("data/README.md does not document caveat %q with its label %q", c, c.Label())
		}
	}
}

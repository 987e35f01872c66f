package knowledge_test

import (
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/knowledge"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    knowledge.Date
		wantErr bool
	}{
		{in: "2025", want: knowledge.Date{Year: 2025, Precision: knowledge.Year}},
		{in: "2025-08", want: knowledge.Date{Year: 2025, Month: 8, Precision: knowledge.Month}},
		{in: "2025-08-21", want: knowledge.Date{Year: 2025, Month: 8, Day: 21, Precision: knowledge.Day}},
		{in: "2024-02-29", want: knowledge.Date{Year: 2024, Month: 2, Day: 29, Precision: knowledge.Day}},
		{in: "2025-12-31", want: knowledge.Date{Year: 2025, Month: 12, Day: 31, Precision: knowledge.Day}},
		{in: "2026-01", want: knowledge.Date{Year: 2026, Month: 1, Precision: knowledge.Month}},
		{in: "unknown", want: knowledge.Date{Precision: knowledge.Unknown}},

		{in: "2025-13-01", wantErr: true},
		{in: "2025-13", wantErr: true},
		{in: "2025-00", wantErr: true},
		{in: "2025-02-30", wantErr: true},
		{in: "2025-02-29", wantErr: true}, // not a leap year
		{in: "2025-04-31", wantErr: true},
		{in: "2025-08-00", wantErr: true},
		{in: "2025-08-32", wantErr: true},
		{in: "Aug 2025", wantErr: true},
		{in: "August 21, 2025", wantErr: true},
		{in: "mid-August 2025", wantErr: true},
		{in: "2025-8", wantErr: true},
		{in: "2025-08-1", wantErr: true},
		{in: "25-08-21", wantErr: true},
		{in: "2025/08/21", wantErr: true},
		{in: "21.08.2025", wantErr: true},
		{in: "2025-08-21T10:00", wantErr: true},
		{in: "2025-08-21-01", wantErr: true},
		{in: "20250821", wantErr: true},
		{in: "2025-", wantErr: true},
		{in: "-2025", wantErr: true},
		{in: "+2025", wantErr: true},
		{in: "202５", wantErr: true}, // a full-width digit
		{in: "Unknown", wantErr: true},
		{in: "", wantErr: true},
		{in: "0000", wantErr: true},
		{in: "1899", wantErr: true},
		{in: "2101-01-01", wantErr: true},
	}
	for _, tt := range tests {
		got, err := knowledge.ParseDate(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseDate(%q) = %+v, nil; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v, nil", tt.in, got, err, tt.want)
		}
	}
}

func mustDate(t *testing.T, s string) knowledge.Date {
	t.Helper()
	d, err := knowledge.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestDateString(t *testing.T) {
	approx := func(d knowledge.Date, note string) knowledge.Date {
		d.Approximate, d.Note = true, note
		return d
	}
	unknown := mustDate(t, "unknown")
	unknown.Note = "the report gives no date"
	tests := []struct {
		d         knowledge.Date
		want, iso string
	}{
		{mustDate(t, "2025"), "2025", "2025"},
		// A month stays a month: never "2025-08-01".
		{mustDate(t, "2025-08"), "2025-08", "2025-08"},
		{mustDate(t, "2025-08-21"), "2025-08-21", "2025-08-21"},
		{mustDate(t, "2026-03-01"), "2026-03-01", "2026-03-01"},
		{approx(mustDate(t, "2025-08"), "mid-August 2025"), "mid-August 2025", "2025-08"},
		{approx(mustDate(t, "2025-08"), ""), "about 2025-08", "2025-08"},
		{approx(mustDate(t, "2025"), ""), "about 2025", "2025"},
		{approx(mustDate(t, "2025-08-15"), ""), "about 2025-08-15", "2025-08-15"},
		{unknown, "date unknown", ""},
		{knowledge.Date{}, "date unknown", ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if got := tt.d.ISO(); got != tt.iso {
			t.Errorf("%+v.ISO() = %q, want %q", tt.d, got, tt.iso)
		}
		if got, want := tt.d.Known(), tt.iso != ""; got != want {
			t.Errorf("%+v.Known() = %v, want %v", tt.d, got, want)
		}
	}
}

func TestDateRange(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in               string
		earliest, latest time.Time
	}{
		{"2025", day(2025, 1, 1), day(2025, 12, 31)},
		{"2025-08", day(2025, 8, 1), day(2025, 8, 31)},
		{"2025-02", day(2025, 2, 1), day(2025, 2, 28)},
		{"2024-02", day(2024, 2, 1), day(2024, 2, 29)},
		{"2025-04", day(2025, 4, 1), day(2025, 4, 30)},
		{"2025-12", day(2025, 12, 1), day(2025, 12, 31)},
		{"2025-08-21", day(2025, 8, 21), day(2025, 8, 21)},
		{"unknown", time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		d := mustDate(t, tt.in)
		if got := d.Earliest(); !got.Equal(tt.earliest) {
			t.Errorf("ParseDate(%q).Earliest() = %v, want %v", tt.in, got, tt.earliest)
		}
		if got := d.Latest(); !got.Equal(tt.latest) {
			t.Errorf("ParseDate(%q).Latest() = %v, want %v", tt.in, got, tt.latest)
		}
		// Being approximate does not change the range a date stands for.
		d.Approximate = true
		if !d.Earliest().Equal(tt.earliest) || !d.Latest().Equal(tt.latest) {
			t.Errorf("approximate %q: range %v..%v, want %v..%v", tt.in, d.Earliest(), d.Latest(), tt.earliest, tt.latest)
		}
	}
}

// TestDataDates checks that dates in the data show exactly as precisely as
// they are stored: a month-precise event never prints a day.
func TestDataDates(t *testing.T) {
	s := store(t)
	var n [4]int
	for _, c := range s.Countries() {
		for _, e := range c.Timeline {
			n[e.Date.Precision]++
			got := e.Date.String()
			if e.Date.Approximate && e.Date.Note != "" {
				if got != e.Date.Note {
					t.Errorf("%s event %q: String() = %q, want its note", c.Code, short(e.Text), got)
				}
				continue
			}
			want := e.Date.ISO()
			if e.Date.Approximate {
				want = "about " + want
			}
			if !e.Date.Known() {
				want = "date unknown"
			}
			if got != want {
				t.Errorf("%s event %q: String() = %q, want %q", c.Code, short(e.Text), got, want)
			}
			if back, err := knowledge.ParseDate(e.Date.ISO()); e.Date.Known() && (err != nil || back.Precision != e.Date.Precision) {
				t.Errorf("%s: ParseDate(%q) = %+v, %v; want precision %v", c.Code, e.Date.ISO(), back, err, e.Date.Precision)
			}
		}
	}
	// The data really uses every precision, so the checks above mean
	// something.
	for p, count := range n {
		if count == 0 {
			t.Errorf("no timeline event has precision %d", p)
		}
	}
}

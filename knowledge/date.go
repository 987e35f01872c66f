package knowledge

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision int

// Date precisions, from none to a full day.
const (
	Unknown Precision = iota
	Year
	Month
	Day
)

// Date is a date exactly as precise as the sources give it: a year, a month
// or a day, possibly approximate, or explicitly unknown with a note.
type Date struct {
	Year, Month, Day int
	Precision        Precision
	Approximate      bool
	Note             string // how to say it, e.g. "mid-August 2025", or why it is unknown
}

// ParseDate reads "YYYY", "YYYY-MM", "YYYY-MM-DD" or "unknown".
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "unknown" {
		return Date{}, nil
	}
	var d Date
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return d, fmt.Errorf("malformed date %q: want YYYY, YYYY-MM, YYYY-MM-DD or unknown", s)
	}
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || !isDigits(p) {
			return d, fmt.Errorf("malformed date %q: want YYYY, YYYY-MM, YYYY-MM-DD or unknown", s)
		}
	}
	d.Year, _ = strconv.Atoi(parts[0])
	d.Precision = Year
	if len(parts) > 1 {
		d.Month, _ = strconv.Atoi(parts[1])
		d.Precision = Month
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("malformed date %q: month out of range", s)
		}
	}
	if len(parts) > 2 {
		d.Day, _ = strconv.Atoi(parts[2])
		d.Precision = Day
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day {
			return Date{}, fmt.Errorf("malformed date %q: no such day", s)
		}
	}
	if d.Year < 1900 || d.Year > 2100 {
		return Date{}, fmt.Errorf("malformed date %q: year out of range", s)
	}
	return d, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Known reports whether the date has at least a year.
func (d Date) Known() bool { return d.Precision != Unknown }

// ISO returns the date in ISO form at its own precision ("2025", "2025-08",
// "2025-08-21"), or "" when unknown.
func (d Date) ISO() string {
	switch d.Precision {
	case Year:
		return fmt.Sprintf("%04d", d.Year)
	case Month:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case Day:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// String says the date for people, never more precisely than it is known:
// "2025-08-21", "2025-08", "about 2025-08", "mid-August 2025",
// "date unknown".
func (d Date) String() string {
	if !d.Known() {
		return "date unknown"
	}
	if d.Approximate {
		if d.Note != "" {
			return d.Note
		}
		return "about " + d.ISO()
	}
	return d.ISO()
}

// Earliest is the first day the date can mean, for sorting: 2025-08 sorts
// as 2025-08-01. Unknown dates give the zero time.
func (d Date) Earliest() time.Time {
	switch d.Precision {
	case Year:
		return time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(d.Year, time.Month(d.Month), 1, 0, 0, 0, 0, time.UTC)
	case Day:
		return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// Latest is the last day the date can mean: 2025-08 gives 2025-08-31.
func (d Date) Latest() time.Time {
	switch d.Precision {
	case Year:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	case Day:
		return d.Earliest()
	}
	return time.Time{}
}

package bot

import (
	"encoding/json"
)

// SchemaVersion is the version of the `ask --json` contract. Each change to
// the contract raises it by one; docs/json.md lists what changed in each.
//
//  1. the first contract
//  2. schema_version; sources carry id, date_text and reliability; dates
//     are ISO 8601 at their precision in date, with the wording in
//     date_text; country carries disputed and is filled for latest and
//     sources about one country; since has its own kind; from results
//     carry stage and count
//  3. aspect and filter on every kind; kinds ranking and totals, whose
//     results carry count, at_least, date and date_text
//  4. kind map (results: every country shown); image on every kind: the
//     path of the picture written with the answer, "" when none was (ask
//     never writes one)
const SchemaVersion = 4

// The JSON contract of `agreementbot ask --json`: every key is always
// present, arrays are never null, and country is null when the answer is
// about no one country. See docs/json.md for an example of each kind.
type jsonAnswer struct {
	SchemaVersion int              `json:"schema_version"`
	Kind          Kind             `json:"kind"`
	Query         string           `json:"query"`
	Aspect        string           `json:"aspect"`
	Filter        jsonFilter       `json:"filter"`
	Country       *jsonCountry     `json:"country"`
	Results       []any            `json:"results"`
	Suggestions   []jsonSuggestion `json:"suggestions"`
	Sources       []jsonSource     `json:"sources"`
	AsOf          string           `json:"as_of"`
	Image         string           `json:"image"`
	Text          string           `json:"text"`
}

// jsonFilter is what a list was narrowed to; both keys always present.
type jsonFilter struct {
	Region string `json:"region"`
	Status string `json:"status"`
}

// jsonCount is a row of ranking and totals answers.
type jsonCount struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Count    *int   `json:"count"`
	AtLeast  bool   `json:"at_least"`
	Date     string `json:"date"`
	DateText string `json:"date_text"`
}

type jsonCountry struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Disputed bool   `json:"disputed"`
}

// jsonResult is a row of list and search answers.
type jsonResult struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// jsonEvent is a row of latest and since answers.
type jsonEvent struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Date     string `json:"date"`
	DateText string `json:"date_text"`
	Event    string `json:"event"`
}

// jsonFrom is a row of from answers.
type jsonFrom struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Stage  string `json:"stage"`
	Count  *int   `json:"count"`
}

type jsonSuggestion struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type jsonSource struct {
	ID          string `json:"id"`
	Outlet      string `json:"outlet"`
	Title       string `json:"title"`
	Date        string `json:"date"`
	DateText    string `json:"date_text"`
	URL         string `json:"url"`
	Reliability string `json:"reliability"`
}

// JSON encodes the reply in the `ask --json` contract. ask writes no file,
// so image is always "".
func (r Reply) JSON() ([]byte, error) {
	a := jsonAnswer{
		SchemaVersion: SchemaVersion,
		Kind:          r.Kind,
		Query:         r.Query,
		Aspect:        string(r.Aspect),
		Filter:        jsonFilter{Region: r.Filter.Region, Status: r.Filter.Status},
		Results:       []any{},
		Suggestions:   []jsonSuggestion{},
		Sources:       []jsonSource{},
		AsOf:          r.AsOf,
		Text:          r.Text(),
	}
	if c := r.Country; c != nil {
		a.Country = &jsonCountry{Code: c.Code, Name: c.Name, Status: c.Status, Disputed: c.Disputed}
	}
	for _, res := range r.Results {
		switch r.Kind {
		case KindLatest, KindSince:
			a.Results = append(a.Results, jsonEvent{Code: res.Code, Name: res.Name, Status: res.Status,
				Date: res.DateISO, DateText: res.Date, Event: res.Event})
		case KindRanking, KindTotals:
			c := jsonCount{Code: res.Code, Name: res.Name, Status: res.Status, AtLeast: res.AtLeast, Date: res.DateISO, DateText: res.Date}
			if res.HasCount {
				c.Count = &res.Count
			}
			a.Results = append(a.Results, c)
		case KindFrom:
			f := jsonFrom{Code: res.Code, Name: res.Name, Status: res.Status, Stage: res.Stage}
			if res.HasCount {
				f.Count = &res.Count
			}
			a.Results = append(a.Results, f)
		default:
			a.Results = append(a.Results, jsonResult{Code: res.Code, Name: res.Name, Status: res.Status})
		}
	}
	for _, s := range r.Suggestions {
		a.Suggestions = append(a.Suggestions, jsonSuggestion{Code: s.Code, Name: s.Name})
	}
	for _, s := range r.Sources {
		rel := "normal"
		if s.Low {
			rel = "low"
		}
		a.Sources = append(a.Sources, jsonSource{ID: s.ID, Outlet: s.Outlet, Title: s.Title,
			Date: s.DateISO, DateText: s.Date, URL: s.URL, Reliability: rel})
	}
	return json.MarshalIndent(a, "", "  ")
}

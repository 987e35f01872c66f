package bot

import (
	"encoding/json"
)

// The JSON contract of `agreementbot ask --json`: every key is always
// present, arrays are never null, and country is null when it does not
// apply. See README.md for an example of each kind.
type jsonAnswer struct {
	Kind        Kind             `json:"kind"`
	Query       string           `json:"query"`
	Country     *jsonCountry     `json:"country"`
	Results     []any            `json:"results"`
	Suggestions []jsonSuggestion `json:"suggestions"`
	Sources     []jsonSource     `json:"sources"`
	AsOf        string           `json:"as_of"`
	Text        string           `json:"text"`
}

type jsonCountry struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type jsonEvent struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Date   string `json:"date"`
	Event  string `json:"event"`
}

type jsonSuggestion struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type jsonSource struct {
	Outlet string `json:"outlet"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	URL    string `json:"url"`
}

// JSON encodes the reply in the `ask --json` contract.
func (r Reply) JSON() ([]byte, error) {
	a := jsonAnswer{
		Kind:        r.Kind,
		Query:       r.Query,
		Results:     []any{},
		Suggestions: []jsonSuggestion{},
		Sources:     []jsonSource{},
		AsOf:        r.AsOf,
		Text:        r.Text(),
	}
	if r.Country != nil && (r.Kind == KindCountry || r.Kind == KindNoAgreement) {
		a.Country = &jsonCountry{Code: r.Country.Code, Name: r.Country.Name, Status: r.Country.Status}
	}
	for _, res := range r.Results {
		if r.Kind == KindLatest {
			a.Results = append(a.Results, jsonEvent{Code: res.Code, Name: res.Name, Status: res.Status, Date: res.Date, Event: res.Event})
		} else {
			a.Results = append(a.Results, jsonCountry{Code: res.Code, Name: res.Name, Status: res.Status})
		}
	}
	for _, s := range r.Suggestions {
		a.Suggestions = append(a.Suggestions, jsonSuggestion{Code: s.Code, Name: s.Name})
	}
	for _, s := range r.Sources {
		a.Sources = append(a.Sources, jsonSource{Outlet: s.Outlet, Title: s.Title, Date: s.Date, URL: s.URL})
	}
	return json.MarshalIndent(a, "", "  ")
}

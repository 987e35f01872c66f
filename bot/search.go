package bot

// This file answers search: full-text hits across every fact.

import (
	"fmt"
	"strings"

	"github.com/agreementbot/agreementbot/knowledge"
)

// maxResults bounds the search results kept (the short form shows a page
// of them); the total is always stated.
const maxResults = 50

func (b *Bot) search(arg string) Reply {
	if strings.TrimSpace(arg) == "" {
		return b.help("search needs words to look for, e.g. search children.")
	}
	if len(knowledge.SearchTerms(arg)) == 0 {
		return b.help(fmt.Sprintf("%q has only very common words; search for something more specific.", clip(arg, 60)))
	}
	return b.searchResults(arg, b.store.Search(arg))
}

// searchResults is the answer to a search for arg that found hits.
func (b *Bot) searchResults(arg string, hits []knowledge.SearchHit) Reply {
	r := Reply{Kind: KindSearch, Title: fmt.Sprintf("Search: %s (%d found)", clip(arg, 80), len(hits)), Key: keySearch(arg)}
	if len(hits) == 0 {
		r.Summary = "No fact contains all of those words. Try fewer or other words, or a country name."
		return r
	}
	if len(hits) > maxResults {
		r.Summary = fmt.Sprintf("The %d best matches of %d.", maxResults, len(hits))
		hits = hits[:maxResults]
	} else {
		r.Summary = "Best matches first."
	}
	for _, h := range hits {
		if h.Country != nil {
			res := countryResult(h.Country)
			res.Snippet = h.Snippet
			r.Results = append(r.Results, res)
		} else {
			r.Results = append(r.Results, Result{Name: h.Topic.Title, Snippet: h.Snippet})
		}
	}
	return r
}

package bot

// This file says which answers the platforms show in a short form, and
// which part of a paged one a page holds, so that the adapters and the
// buttons under their answers agree.

// pagedKind reports whether answers of kind k are lists shown one page of
// PageSize entries at a time (unless Full).
func pagedKind(k Kind) bool {
	switch k {
	case KindList, KindSearch, KindLatest, KindSince, KindFrom, KindRanking, KindSources:
		return true
	}
	return false
}

// Paged reports whether r is shown one page at a time: a list, search,
// latest, since, from, ranking or sources answer, unless r.Full.
func (r Reply) Paged() bool { return !r.Full && pagedKind(r.Kind) }

// ShortCard reports whether r is a card shown in its short form: a
// country's or topic's whole card, unless r.Full. Focused answers (an
// Aspect) are short already.
func (r Reply) ShortCard() bool {
	return !r.Full && (r.Kind == KindCountry || r.Kind == KindTopic) && r.Aspect == ""
}

// entries is how many entries the list of r has: its sources for a
// sources answer, else its results.
func (r Reply) entries() int {
	if r.Kind == KindSources {
		return len(r.Sources)
	}
	return len(r.Results)
}

// PageBounds says which entries the page r.PageNumber names holds:
// entries lo to hi-1 of total (the sources of a sources answer, else the
// results). lo == hi == total == 0 for an empty list.
func (r Reply) PageBounds() (lo, hi, total int) {
	total = r.entries()
	lo = min((r.PageNumber()-1)*PageSize, total)
	return lo, min(lo+PageSize, total), total
}

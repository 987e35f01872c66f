package knowledge_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/knowledge"
)

// TestSourcesNotOlderThanEvents: a source cannot report an event that had
// not happened yet. No event cites a source dated, at the precision known,
// wholly before the event; a source without a date is not checked. An
// event dated by its report (dated_by: report) carries the report's date,
// so the report is never older than it. The same holds for payments and
// counts (their dates are when they were reported or stand at).
func TestSourcesNotOlderThanEvents(t *testing.T) {
	s := store(t)
	check := func(where string, d knowledge.Date, reported bool, ids []string) {
		if !d.Known() {
			return
		}
		for _, id := range ids {
			src := s.Source(id)
			if src == nil || !src.Date.Known() {
				continue
			}
			if src.Date.Latest().Before(d.Earliest()) {
				what := "event"
				if reported {
					what = "event dated by its report"
				}
				t.Errorf("%s: %s of %s cites %s, dated %s, before it happened: cite the source that reports it", where, what, d.ISO(), id, src.Date.ISO())
			}
		}
	}
	for _, c := range s.Countries() {
		for _, e := range c.Timeline {
			check(c.File+": "+short(e.Text), e.Date, e.Reported, e.Sources)
		}
		for _, p := range c.Payments {
			check(c.File+" payment: "+short(p.Text), p.Date, false, p.Sources)
		}
		for _, p := range c.People {
			check(c.File+" people: "+short(p.Text), p.AsOf, false, p.Sources)
		}
		for _, a := range c.Received {
			check(c.File+" received "+a.Code, a.Date, false, a.Sources)
		}
		for _, g := range c.Groups {
			check(c.File+" group "+g.Name, g.Date, false, g.Sources)
		}
	}
	for _, tp := range s.Topics() {
		for _, e := range tp.Timeline {
			check("topic "+tp.ID+": "+short(e.Text), e.Date, e.Reported, e.Sources)
		}
		for _, tot := range tp.Totals {
			check("topic "+tp.ID+" total: "+short(tot.Text), tot.AsOf, false, tot.Sources)
		}
	}
}

// stagingHost reports whether a host looks like a publisher's staging,
// test or development copy rather than its public site.
func stagingHost(host string) bool {
	for _, p := range []string{"uat.", "staging.", "dev-", "dev.", "test.", "preview."} {
		if strings.HasPrefix(host, p) {
			return true
		}
	}
	return false
}

// TestSourceURLs: one page has one source id (no two sources share a URL,
// so a citation is never split over two ids), and links go to the
// publisher's own site. A staging or test copy may only follow the
// publisher's URL for the same path, as a second copy: the bot links the
// first URL.
func TestSourceURLs(t *testing.T) {
	s := store(t)
	owner := map[string]string{}
	for _, src := range s.Sources() {
		for i, u := range src.URLs {
			key := strings.TrimSuffix(strings.ToLower(u), "/")
			key = strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")
			if other, ok := owner[key]; ok && other != src.ID {
				t.Errorf("sources %s and %s share the URL %s: merge them into one id", other, src.ID, u)
			}
			owner[key] = src.ID
			p, err := url.Parse(u)
			if err != nil {
				t.Errorf("source %s: %v", src.ID, err)
				continue
			}
			if !stagingHost(p.Hostname()) {
				continue
			}
			publisher := false
			for _, earlier := range src.URLs[:i] {
				if q, err := url.Parse(earlier); err == nil && !stagingHost(q.Hostname()) && q.Path == p.Path {
					publisher = true
				}
			}
			if !publisher {
				t.Errorf("source %s: %s is a staging or test copy; link the publisher's own site first (same path)", src.ID, u)
			}
		}
	}
	for host, staging := range map[string]bool{
		"uat.apnews.com": true, "staging.quotetab.com": true, "dev-v4.freemalaysiatoday.com": true,
		"test.daily8.com": true, "preview.example.org": true, "dev.example.org": true,
		"apnews.com": false, "www.quotetab.com": false, "www.freemalaysiatoday.com": false, "developer.example.org": false,
	} {
		if stagingHost(host) != staging {
			t.Errorf("stagingHost(%q) = %v, want %v", host, !staging, staging)
		}
	}
}

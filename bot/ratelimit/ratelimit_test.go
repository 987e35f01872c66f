package ratelimit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func answered() (bot.Handler, *int) {
	n := 0
	return bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		n++
		return bot.Reply{Kind: bot.KindCountry, Query: q.Text}
	}), &n
}

func ask(l *Limiter, platform, team, user string) bot.Reply {
	return l.Handle(context.Background(), bot.Query{Text: "uganda", Platform: platform, Team: team, User: user})
}

func TestPerUserLimit(t *testing.T) {
	h, n := answered()
	c := &clock{time.Unix(1e9, 0)}
	l := New(h, Rate{3, time.Minute}, Rate{}, c.now)
	var scopes []string
	l.OnLimited = func(p, s string) { scopes = append(scopes, p+":"+s) }
	for i := range 3 {
		if r := ask(l, "slack", "T1", "U1"); r.Kind != bot.KindCountry {
			t.Fatalf("question %d refused: %+v", i+1, r)
		}
	}
	r := ask(l, "slack", "T1", "U1")
	if r.Kind != bot.KindRateLimited || r.Visibility != bot.Private || r.Summary == "" {
		t.Errorf("4th question = %+v, want a private rate-limited note", r)
	}
	// Keys include platform and workspace: the same user id elsewhere is someone else.
	for _, k := range [][3]string{{"slack", "T2", "U1"}, {"discord", "T1", "U1"}, {"slack", "T1", "U2"}} {
		if r := ask(l, k[0], k[1], k[2]); r.Kind != bot.KindCountry {
			t.Errorf("%v refused: %+v", k, r)
		}
	}
	c.t = c.t.Add(20 * time.Second) // one token back at 3/min
	if r := ask(l, "slack", "T1", "U1"); r.Kind != bot.KindCountry {
		t.Errorf("after 20 s: %+v, want an answer", r)
	}
	if *n != 7 || len(scopes) != 1 || scopes[0] != "slack:user" {
		t.Errorf("answered %d, limited %v", *n, scopes)
	}
}

func TestGlobalLimit(t *testing.T) {
	h, _ := answered()
	c := &clock{time.Unix(1e9, 0)}
	l := New(h, Rate{}, Rate{2, time.Second}, c.now)
	ask(l, "slack", "T", "a")
	ask(l, "slack", "T", "b")
	if r := ask(l, "slack", "T", "c"); r.Kind != bot.KindRateLimited {
		t.Errorf("3rd question in a second = %s, want rate_limited", r.Kind)
	}
}

func TestOffMeansOff(t *testing.T) {
	h, n := answered()
	l := New(h, Rate{}, Rate{}, time.Now)
	for range 1000 {
		ask(l, "slack", "T", "U")
	}
	if *n != 1000 || l.Users() != 0 {
		t.Errorf("answered %d, %d limiters held", *n, l.Users())
	}
}

// TestIdleLimitersExpire keeps memory bounded: limiters of users who have
// gone quiet are forgotten.
func TestIdleLimitersExpire(t *testing.T) {
	h, _ := answered()
	c := &clock{time.Unix(1e9, 0)}
	l := New(h, Rate{5, time.Minute}, Rate{}, c.now)
	for i := range 500 {
		ask(l, "discord", "G", fmt.Sprint(i))
	}
	if l.Users() != 500 {
		t.Fatalf("%d limiters, want 500", l.Users())
	}
	c.t = c.t.Add(2 * time.Minute)
	ask(l, "discord", "G", "new")
	if got := l.Users(); got != 1 {
		t.Errorf("after two idle minutes %d limiters remain, want 1", got)
	}
}

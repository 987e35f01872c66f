// Package ratelimit limits how often agreementbot answers, per user and for
// the whole process, as a bot.Handler middleware. It is the only package
// that uses golang.org/x/time/rate. Limits are per process (per replica).
package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/agreementbot/agreementbot/bot"
)

// Rate is N answers per Per; N == 0 turns the limit off.
type Rate struct {
	N   int
	Per time.Duration
}

func (r Rate) limit() rate.Limit { return rate.Limit(float64(r.N) / r.Per.Seconds()) }

// Limiter is a bot.Handler that answers through h while within the limits.
type Limiter struct {
	h       bot.Handler
	perUser Rate
	global  *rate.Limiter
	now     func() time.Time
	// OnLimited, if set, is told each refusal: scope is "user" or "global".
	OnLimited func(platform, scope string)

	mu        sync.Mutex
	users     map[string]*user
	lastSweep time.Time
}

type user struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxUsers bounds memory even under a flood of distinct users: beyond it,
// new users share only the global limit until idle entries expire.
const maxUsers = 100_000

// New wraps h. now is the clock (time.Now in production).
func New(h bot.Handler, perUser, global Rate, now func() time.Time) *Limiter {
	l := &Limiter{h: h, perUser: perUser, now: now, users: map[string]*user{}}
	if global.N > 0 {
		l.global = rate.NewLimiter(global.limit(), global.N)
	}
	return l
}

// idleAfter is how long after its last use a user's limiter is full again
// and can be forgotten without changing any answer.
func (l *Limiter) idleAfter() time.Duration { return l.perUser.Per }

// Handle answers q unless the asker or the process is over its limit, in
// which case the asker gets a friendly private note.
func (l *Limiter) Handle(ctx context.Context, q bot.Query) bot.Reply {
	now := l.now()
	if l.perUser.N > 0 && q.User != "" {
		if !l.allowUser(q.Platform+"/"+q.Team+"/"+q.User, now) {
			return l.refuse(q, "user")
		}
	}
	if l.global != nil && !l.global.AllowN(now, 1) {
		return l.refuse(q, "global")
	}
	return l.h.Handle(ctx, q)
}

func (l *Limiter) allowUser(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.idleAfter() {
		l.sweep(now)
	}
	u := l.users[key]
	if u == nil {
		if len(l.users) >= maxUsers {
			return true
		}
		u = &user{lim: rate.NewLimiter(l.perUser.limit(), l.perUser.N)}
		l.users[key] = u
	}
	u.seen = now
	return u.lim.AllowN(now, 1)
}

// sweep forgets users idle long enough for their limiter to be full again.
func (l *Limiter) sweep(now time.Time) {
	for k, u := range l.users {
		if now.Sub(u.seen) >= l.idleAfter() {
			delete(l.users, k)
		}
	}
	l.lastSweep = now
}

// Users reports how many per-user limiters are held (for tests and metrics).
func (l *Limiter) Users() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}

func (l *Limiter) refuse(q bot.Query, scope string) bot.Reply {
	if l.OnLimited != nil {
		l.OnLimited(q.Platform, scope)
	}
	msg := fmt.Sprintf("You have asked a lot in a short time: at most %d answers per %s for each person. Please try again in a moment.", l.perUser.N, per(l.perUser.Per))
	if scope == "global" {
		msg = "Many people are asking right now. Please try again in a moment."
	}
	return bot.Reply{Kind: bot.KindRateLimited, Query: q.Text, Visibility: bot.Private, Title: "One moment, please", Summary: msg}
}

func per(d time.Duration) string {
	switch d {
	case time.Second:
		return "second"
	case time.Minute:
		return "minute"
	case time.Hour:
		return "hour"
	}
	return d.String()
}

package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"sync"
	"unicode/utf8"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// platform is Query.Platform for Discord.
const platform = "discord"

// usage is how to reach the bot on Discord, shown first by help.
var usage = []string{
	"/agreement query:<query>, e.g. /agreement query:uganda (suggestions appear as you type)",
	"/agreement with no query shows this help",
}

// Kinds passed to Hooks.Answered besides the reply kinds.
const (
	kindAutocomplete = "autocomplete"
	kindPing         = "ping"
)

// pong answers Discord's PING.
var pong = []byte(`{"type":1}`)

// responder turns interactions into response bodies. The gateway and the
// HTTP endpoint share it; only the delivery differs.
type responder struct {
	h     bot.Handler
	c     bot.Completer
	log   *slog.Logger
	cache renderCache
}

// answer returns the JSON body of the response to in, and the kind of
// answer for Hooks.Answered. ok is false for interactions this adapter does
// not handle (buttons, modals). A panic in the handler or completer is
// recovered: the user gets a short apology and the outcome says so.
func (rs *responder) answer(ctx context.Context, in interaction) (body []byte, kind string, panicked, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			rs.log.Error("discord: panic while answering", "panic", p, "kind", kind, "stack", string(debug.Stack()))
			body, panicked, ok = rs.apology(in.Type), true, true
		}
	}()
	switch in.Type {
	case discordgo.InteractionPing:
		return pong, kindPing, false, true
	case discordgo.InteractionApplicationCommand:
		kind = "command"
		r := rs.h.Handle(ctx, bot.Query{Text: in.Query, Platform: platform, Team: in.GuildID, User: in.UserID, Usage: usage})
		return rs.cache.body(r), string(r.Kind), false, true
	case discordgo.InteractionApplicationCommandAutocomplete:
		kind = kindAutocomplete
		var cs []bot.Choice
		if rs.c != nil {
			cs = rs.c.Complete(ctx, in.Query)
		}
		return appendChoices(make([]byte, 0, 64+len(cs)*96), cs), kindAutocomplete, false, true
	}
	return nil, "", false, false
}

// apology is the answer after a panic.
func (rs *responder) apology(t discordgo.InteractionType) []byte {
	if t == discordgo.InteractionApplicationCommandAutocomplete {
		return appendChoices(nil, nil)
	}
	return encodeResponse(bot.Apology(bot.Query{}))
}

// encodeResponse encodes a channel-message response (type 4) for r.
func encodeResponse(r bot.Reply) []byte {
	b, err := json.Marshal(discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: Render(r),
	})
	if err != nil {
		// Render builds only strings, ints and slices of them.
		panic("discord: encoding a response: " + err.Error())
	}
	return b
}

// appendChoices encodes an autocomplete response (type 8) with at most 25
// choices. Names are cut to 100 characters; a choice whose value is empty
// or longer than 100 characters is dropped, since cutting it would change
// the query it runs.
func appendChoices(b []byte, cs []bot.Choice) []byte {
	b = append(b, `{"type":8,"data":{"choices":[`...)
	n := 0
	for _, c := range cs {
		if n == maxChoices {
			break
		}
		if c.Value == "" || width(c.Value) > maxChoiceValue {
			continue
		}
		name := c.Name
		if !plainShort(name, maxChoiceName) {
			name = plain(name, maxChoiceName)
		}
		if name == "" {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, name)
		b = append(b, `,"value":`...)
		b = appendString(b, c.Value)
		b = append(b, '}')
		n++
	}
	return append(b, "]}}"...)
}

// plainShort reports whether plain(s, max) would return s unchanged,
// without allocating: printable ASCII without '@', at most max long.
func plainShort(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '@' {
			return false
		}
	}
	return true
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// maxCached bounds the render cache. The store answers a few hundred
// distinct cards; anything beyond is churn from free-text not-found
// answers, and the cache starts afresh.
const maxCached = 1024

// renderCache keeps the encoded response of recent replies. The store is
// immutable, so the same question gets the same reply, and rendering and
// encoding a card costs far more than comparing it. An entry is used only
// when the new reply is equal to the cached one in every field Render reads,
// so a reloaded store can never be answered from stale renderings.
type renderCache struct {
	mu sync.RWMutex
	m  map[cacheKey]*cached
}

type cacheKey struct {
	kind                   bot.Kind
	title, notice, summary string
}

type cached struct {
	r    bot.Reply // a deep copy
	body []byte    // never modified once cached
}

func (c *renderCache) body(r bot.Reply) []byte {
	k := cacheKey{r.Kind, r.Title, r.Notice, r.Summary}
	c.mu.RLock()
	e := c.m[k]
	c.mu.RUnlock()
	if e != nil && e.r.Equal(&r) {
		return e.body
	}
	e = &cached{r: r.Clone(), body: encodeResponse(r)}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[cacheKey]*cached)
	}
	c.m[k] = e
	c.mu.Unlock()
	return e.body
}

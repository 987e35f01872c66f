package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/knowledge"
	"github.com/bwmarrin/discordgo"
)

// The engine answers from precomputed cards, so a realistic stub returns
// the same reply (sharing its slices) every time.
var (
	benchReply   = ugandaReply()
	benchHandler = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return benchReply })
	benchChoices = stubCompleter(context.Background(), "ug")[:28]
	benchComp    = bot.CompleterFunc(func(context.Context, string) []bot.Choice { return benchChoices })
)

// benchAnswer decodes body and answers it as the HTTP endpoint does after
// verifying the signature (decodePress, respond, encode).
func benchAnswer(b *testing.B, rs *responder, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		i, err := decodePress(body)
		if err != nil {
			b.Fatal(err)
		}
		out, _, err := rs.answer(context.Background(), i)
		if err != nil || len(out) == 0 {
			b.Fatal("no answer", err)
		}
	}
}

// BenchmarkGuildCommand is the guard for one Discord interaction, at most
// 60 µs without the signature check: the guild slash command uganda (a
// 2 KB interaction) answered by the real bot over the embedded data,
// wrapped in bot.Recover as the program wraps it.
//
//   - answer: decode, answer, render, marshal: what the guard bounds;
//   - http: the whole request through the HTTP handler, signature included;
//   - verify: the signature check alone (http minus verify ≈ answer plus
//     reading the request).
func BenchmarkGuildCommand(b *testing.B) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	engine := bot.New(store, bot.Options{})
	engine.Warm(context.Background())
	h, c := bot.Recover(engine, nil), bot.RecoverCompleter(engine, nil)
	body := []byte(guildCommand)
	b.Run("answer", func(b *testing.B) { benchAnswer(b, &responder{h: h, c: c}, body) })

	s := newSigner(b)
	sig := s.sign(ts, body)
	b.Run("http", func(b *testing.B) {
		hh, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, h, c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("POST", "/discord/interactions", nil)
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Signature-Timestamp", ts)
			r.Header.Set("X-Signature-Ed25519", sig)
			w := httptest.NewRecorder()
			hh.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("verify", func(b *testing.B) {
		k, err := parsePublicKey(s.publicHex())
		if err != nil {
			b.Fatal(err)
		}
		msg, raw := append([]byte(ts), body...), unhexT(b, sig)
		b.ReportAllocs()
		for b.Loop() {
			if !verify(k, msg, raw) {
				b.Fatal("rejected")
			}
		}
	})
}

// BenchmarkInteraction is BenchmarkGuildCommand/answer with a hand-built
// reply, so that it does not move when the data does.
func BenchmarkInteraction(b *testing.B) {
	benchAnswer(b, &responder{h: benchHandler}, []byte(guildCommand))
}

// BenchmarkAutocomplete measures an autocomplete interaction: decode, ask
// the completer (28 choices), cut to 25 and marshal.
func BenchmarkAutocomplete(b *testing.B) {
	benchAnswer(b, &responder{h: benchHandler, c: benchComp}, []byte(dmAutocomplete))
}

// BenchmarkDecode is decoding the 2 KB guild interaction alone.
func BenchmarkDecode(b *testing.B) {
	body := []byte(guildCommand)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeInteraction(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender is rendering the embed and marshalling the response.
func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: Render(benchReply)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkButtonPress is the guard for one button press, at most 60 µs
// without the signature check: a component interaction decoded, answered
// by the real bot over the embedded data (wrapped in bot.Recover as the
// program wraps it), rendered and marshalled. The presses are those under
// the uganda card and on the first page of list, on the person's own
// ephemeral message, which Discord sends along whole (embed and buttons);
// "next-page" is the update in place.
func BenchmarkButtonPress(b *testing.B) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	engine := bot.New(store, bot.Options{})
	engine.Warm(context.Background())
	h := bot.Recover(engine, nil)
	for _, c := range []struct{ name, query, label string }{
		{"timeline", "uganda", "Timeline"},
		{"sources", "uganda", "Sources"},
		{"full-card", "uganda", "Full card"},
		{"next-page", "list", "Next page"},
	} {
		b.Run(c.name, func(b *testing.B) { benchAnswer(b, &responder{h: h}, pressBody(b, engine, c.query, c.label)) })
	}
}

// pressBody is the interaction Discord sends when label is pressed under
// the answer to query, shown privately: the message comes with it.
func pressBody(b *testing.B, engine *bot.Bot, query, label string) []byte {
	r := engine.Handle(context.Background(), bot.Query{Text: query, Platform: platform})
	r.Visibility = bot.Private
	data := Render(r)
	msg, err := json.Marshal(map[string]any{
		"id": "1400000000000000001", "channel_id": "1100000000000000001", "type": 20, "flags": data.Flags,
		"content": "", "embeds": data.Embeds, "components": data.Components, "author": map[string]any{"id": fakeAppID, "username": "agreementbot", "bot": true},
		"timestamp": "2026-11-20T12:00:00.000000+00:00", "interaction_metadata": map[string]any{"id": "1300000000000000002", "type": 2, "user": map[string]any{"id": "1000000000000000001"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, bt := range r.Buttons {
		if bt.Label == label {
			body := strings.Replace(componentJSON("1300000000000000060", guildToken, bt.Value, 2, 64),
				`"message":{"id":"1400000000000000001","channel_id":"1100000000000000001","flags":64,"content":"","embeds":[],"components":[]}`, `"message":`+string(msg), 1)
			if !strings.Contains(body, `"embeds":[{`) {
				b.Fatal("the message was not put in the interaction")
			}
			return []byte(body)
		}
	}
	b.Fatalf("%s has no %s button", query, label)
	return nil
}

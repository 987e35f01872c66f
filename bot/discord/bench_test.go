package discord

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

// The engine answers from precomputed cards, so a realistic stub returns
// the same reply (sharing its slices) every time.
var (
	benchReply   = ugandaReply()
	benchHandler = bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return benchReply })
	benchChoices = stubCompleter(context.Background(), "ug")[:28]
	benchComp    = bot.CompleterFunc(func(context.Context, string) []bot.Choice { return benchChoices })
)

// BenchmarkInteraction measures answering a command interaction as the
// HTTP endpoint does after verifying the signature: parse the 2 KB guild
// interaction, ask the handler, render the embed and encode the response.
// "cached" is the steady state (the reply was rendered before); "uncached"
// renders and encodes every time.
func BenchmarkInteraction(b *testing.B) {
	body := []byte(guildCommand)
	run := func(b *testing.B, rs *responder) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			in, err := parseInteraction(body)
			if err != nil {
				b.Fatal(err)
			}
			out, _, _, ok := rs.answer(context.Background(), in)
			if !ok || len(out) == 0 {
				b.Fatal("no answer")
			}
			io.Discard.Write(out)
		}
	}
	b.Run("cached", func(b *testing.B) { run(b, &responder{h: benchHandler}) })
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			in, err := parseInteraction(body)
			if err != nil {
				b.Fatal(err)
			}
			r := benchHandler.Handle(context.Background(), bot.Query{Text: in.Query})
			io.Discard.Write(encodeResponse(r))
		}
	})
}

// BenchmarkAutocomplete measures an autocomplete interaction: parse, ask
// the completer (28 choices), cut to 25 and encode.
func BenchmarkAutocomplete(b *testing.B) {
	body := []byte(dmAutocomplete)
	rs := &responder{h: benchHandler, c: benchComp}
	b.ReportAllocs()
	for b.Loop() {
		in, err := parseInteraction(body)
		if err != nil {
			b.Fatal(err)
		}
		out, _, _, ok := rs.answer(context.Background(), in)
		if !ok || len(out) == 0 {
			b.Fatal("no answer")
		}
	}
}

// BenchmarkParse compares parseInteraction with decoding into discordgo's
// Interaction, which is what encoding/json would cost.
func BenchmarkParse(b *testing.B) {
	body := []byte(guildCommand)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := parseInteraction(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender measures Render and encoding alone, uncached.
func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		encodeResponse(benchReply)
	}
}

// BenchmarkHTTPEndpoint is the whole HTTP path with the signature check,
// which dominates it (see BenchmarkVerify).
func BenchmarkHTTPEndpoint(b *testing.B) {
	s := newSigner(b)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, benchHandler, benchComp)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(guildCommand)
	sig := s.sign(ts, body)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/discord/interactions", nil)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Signature-Timestamp", ts)
		r.Header.Set("X-Signature-Ed25519", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

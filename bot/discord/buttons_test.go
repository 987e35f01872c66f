package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/knowledge"
	"github.com/bwmarrin/discordgo"
)

// The real bot over the embedded data, loaded once for the tests that
// need its content.
var realBot = sync.OnceValues(func() (*bot.Bot, error) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		return nil, err
	}
	return bot.New(store, bot.Options{Now: fixedNow}), nil
})

func theBot(t testing.TB) *bot.Bot {
	t.Helper()
	b, err := realBot()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sender delivers an interaction (its JSON) the way a test drives the
// adapter, and returns the response's body.
type sender func(t *testing.T, interaction string) []byte

// startGateway runs a Gateway against fake until the test ends.
func startGateway(t *testing.T, fake *fakeDiscord, h bot.Handler, hooks Hooks) {
	t.Helper()
	g, err := NewGateway(Config{BotToken: fakeBotToken, APIURL: fake.URL(), Hooks: hooks}, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	wait(t, fake.handshakes, "READY")
	t.Cleanup(func() {
		cancel()
		if err := wait(t, done, "Run to return"); err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}

// gatewaySender dispatches interactions over the fake's gateway and
// returns the callback each gets, after checking where it went.
func gatewaySender(fake *fakeDiscord) sender {
	return func(t *testing.T, interaction string) []byte {
		t.Helper()
		var i struct{ ID, Token string }
		if err := json.Unmarshal([]byte(interaction), &i); err != nil {
			t.Fatal(err)
		}
		fake.dispatch("INTERACTION_CREATE", interaction)
		cb := wait(t, fake.callbacks, "the callback")
		if want := "/api/v9/interactions/" + i.ID + "/" + i.Token + "/callback"; cb.path != want {
			t.Fatalf("callback to %s, want %s", cb.path, want)
		}
		if ct := cb.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("callback Content-Type %q", ct)
		}
		return cb.body
	}
}

// httpSender posts signed interactions to the HTTP endpoint.
func httpSender(h http.Handler, s signer) sender {
	return func(t *testing.T, interaction string) []byte {
		t.Helper()
		w := serve(h, s.request(ts, []byte(interaction)))
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s for %s", w.Code, w.Body, interaction)
		}
		return w.Body.Bytes()
	}
}

// checkSent decodes a message response and checks it against Discord's
// limits, its components and the bidi controls included.
func checkSent(t *testing.T, body []byte) sent {
	t.Helper()
	s := decodeSent(t, body)
	if s.Data == nil {
		t.Fatalf("response without data: %s", body)
	}
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	checkLimits(t, &discordgo.InteractionResponseData{Embeds: s.Data.Embeds, AllowedMentions: s.Data.AllowedMentions})
	checkComponents(t, raw.Data)
	checkNoBidi(t, body)
	return s
}

// presser sends commands and button presses, each with its own id and
// token.
type presser struct {
	t    *testing.T
	send sender
	n    int
}

func (p *presser) next() (id, token string) {
	p.n++
	return fmt.Sprint(1300000000000001000 + p.n), fmt.Sprintf("tok-%d", p.n)
}

func (p *presser) command(q string) sent {
	p.t.Helper()
	id, tok := p.next()
	return checkSent(p.t, p.send(p.t, interactionJSON(2, id, tok, q, false)))
}

func (p *presser) press(customID string, componentType, messageFlags int) sent {
	p.t.Helper()
	id, tok := p.next()
	return checkSent(p.t, p.send(p.t, componentJSON(id, tok, customID, componentType, messageFlags)))
}

// raw sends an interaction built by fill from an id and a token.
func (p *presser) raw(fill func(id, token string) string) sent {
	p.t.Helper()
	id, tok := p.next()
	return checkSent(p.t, p.send(p.t, fill(id, tok)))
}

// checkPress checks the answer to a press: private always; an update in
// place (type 7) only for a page button pressed on the person's own
// ephemeral message, and then never for anything else.
func checkPress(t *testing.T, what string, s sent, ownEphemeral, pageButton bool) {
	t.Helper()
	if ownEphemeral && pageButton {
		if s.Type != discordgo.InteractionResponseUpdateMessage {
			t.Errorf("%s on the person's own ephemeral message: type %d, want 7 (update in place)", what, s.Type)
		}
		if len(s.Data.Components) == 0 {
			t.Errorf("%s: the updated page has no buttons", what)
		}
		return
	}
	if s.Type != discordgo.InteractionResponseChannelMessageWithSource || s.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("%s: type %d, flags %d; want 4 with the ephemeral flag 64", what, s.Type, s.Data.Flags)
	}
}

// helpTitle is the title of the bot's help, which is its polite answer to
// a button it did not make.
const helpTitle = "agreementbot: US third-country deportation agreements"

func checkPolite(t *testing.T, what string, s sent) {
	t.Helper()
	checkPress(t, what, s, false, false)
	if e := s.Data.Embeds[0]; e.Title != helpTitle || !strings.Contains(e.Description, "That button is not one") {
		t.Errorf("%s: %q %q, want the bot's polite note about the button", what, e.Title, e.Description)
	}
}

// testButtons presses every button of a country card, a list and a search,
// on a public message and on the person's own ephemeral one, turns the
// pages of a list in place, and presses buttons the bot did not make.
func testButtons(t *testing.T, send sender, noData bool) {
	p := &presser{t: t, send: send}
	var digest string
	for _, q := range []string{"uganda", "list", "search deportees"} {
		a := p.command(q)
		if a.Type != discordgo.InteractionResponseChannelMessageWithSource || a.Data.Flags != 0 {
			t.Errorf("%s: type %d flags %d, want a public message", q, a.Type, a.Data.Flags)
		}
		bs := a.Data.buttons()
		if len(bs) < 2 {
			t.Fatalf("%s: buttons %+v", q, bs)
		}
		digest = bs[0].CustomID[3:11]
		for _, b := range bs {
			page := b.Label == "Next page" || b.Label == "Previous page"
			for _, flags := range []int{0, 64} {
				what := fmt.Sprintf("%s > %s (message flags %d)", q, b.Label, flags)
				s := p.press(b.CustomID, int(discordgo.ButtonComponent), flags)
				checkPress(t, what, s, flags == 64, page)
				if e := s.Data.Embeds[0]; e.Title == helpTitle {
					t.Errorf("%s: help, not an answer: %q", what, e.Description)
				}
			}
		}
	}

	// Turning the pages of one's own list: each page updates the message.
	list := p.command("list")
	at := func(s sent, label string) string {
		t.Helper()
		for _, b := range s.Data.buttons() {
			if b.Label == label {
				return b.CustomID
			}
		}
		t.Fatalf("no %q button among %+v", label, s.Data.buttons())
		return ""
	}
	own := int(discordgo.MessageFlagsEphemeral)
	p2 := p.press(at(list, "Next page"), 2, own)
	p3 := p.press(at(p2, "Next page"), 2, own)
	back := p.press(at(p3, "Previous page"), 2, own)
	for want, s := range map[string]sent{"Page 2 of": p2, "Page 3 of": p3, "Page 2 of ": back} {
		checkPress(t, want, s, true, true)
		if !strings.Contains(s.Data.Embeds[0].Description, strings.TrimSpace(want)) {
			t.Errorf("turning pages: %q lacks %q", s.Data.Embeds[0].Description, want)
		}
	}
	// The Full list from one's own page is a new private message.
	checkPress(t, "Full list", p.press(at(p2, "Full list"), 2, own), true, false)

	// Buttons the bot did not make get its polite private note.
	good := "v1:" + digest + ":timeline:c/UG"
	for _, c := range []struct {
		name     string
		customID string
		typ      discordgo.ComponentType
	}{
		{"tampered action", "v1:" + digest + ":timelinx:c/UG", discordgo.ButtonComponent},
		{"unknown country", "v1:" + digest + ":timeline:c/ZZ", discordgo.ButtonComponent},
		{"tampered page", "v1:" + digest + ":page:0:l//", discordgo.ButtonComponent},
		{"not ours", "hello", discordgo.ButtonComponent},
		{"bidi", "v1:" + digest + ":timeline:c/UG\u202e", discordgo.ButtonComponent},
		{"empty", "", discordgo.ButtonComponent},
		{"over-long", good + strings.Repeat("A", 101-len(good)), discordgo.ButtonComponent},
		{"very long", good + strings.Repeat("A", 4000), discordgo.ButtonComponent},
		{"a select menu", good, discordgo.SelectMenuComponent},
	} {
		for _, flags := range []int{0, own} {
			checkPolite(t, fmt.Sprintf("%s (message flags %d)", c.name, flags), p.press(c.customID, int(c.typ), flags))
		}
	}
	if noData {
		for name, tmpl := range map[string]string{
			"no data":    `{"type":3,"id":%q,"token":%q,"application_id":"` + fakeAppID + `","user":{"id":"42"}}`,
			"null data":  `{"type":3,"id":%q,"token":%q,"application_id":"` + fakeAppID + `","user":{"id":"42"},"data":null}`,
			"wrong data": `{"type":3,"id":%q,"token":%q,"application_id":"` + fakeAppID + `","user":{"id":"42"},"data":{"custom_id":5,"component_type":"x"}}`,
		} {
			checkPolite(t, name, p.raw(func(id, token string) string { return fmt.Sprintf(tmpl, id, token) }))
		}
	}
}

func TestGatewayButtons(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	startGateway(t, fake, theBot(t), Hooks{})
	testButtons(t, gatewaySender(fake), true)
}

func TestHTTPButtons(t *testing.T) {
	t.Parallel()
	s := newSigner(t)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex()}, theBot(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	testButtons(t, httpSender(h, s), true)
}

// TestComponentQuery checks what the bot is passed for a press: the
// custom_id as received, who pressed it and where, the Discord usage; and
// for a press with no usable custom_id, a value the bot rejects.
func TestComponentQuery(t *testing.T) {
	base := bot.Query{Platform: platform, Team: fakeGuildID, User: "1000000000000000001", Usage: usage}
	for _, c := range []struct {
		name, body, want string
	}{
		{"button", componentJSON("1", "t", "v1:0db34b73:card:c/UG", 2, 0), "v1:0db34b73:card:c/UG"},
		{"as received", componentJSON("1", "t", " v1:0DB34B73:card:c/UG\u202e ", 2, 64), " v1:0DB34B73:card:c/UG\u202e "},
		{"over-long", componentJSON("1", "t", strings.Repeat("x", 150), 2, 0), strings.Repeat("x", 150)},
		{"empty", componentJSON("1", "t", "", 2, 0), unreadableButton},
		{"select menu", componentJSON("1", "t", "v1:0db34b73:card:c/UG", 3, 0), unreadableButton},
	} {
		q := buttonQuery(decode(t, c.body))
		want := base
		want.Button = c.want
		if q.Text != "" || q.Button != want.Button || q.Platform != want.Platform || q.Team != want.Team || q.User != want.User || len(q.Usage) != len(usage) {
			t.Errorf("%s: buttonQuery = %+v, want %+v", c.name, q, want)
		}
	}
	if _, err := bot.ParseButton(unreadableButton); err == nil {
		t.Errorf("bot.ParseButton accepts %q", unreadableButton)
	}
}

// TestComponentNeverUpdatesPublic answers page presses with a stub: type 7
// only on the person's own ephemeral message, and only for a page.
func TestComponentNeverUpdatesPublic(t *testing.T) {
	var answer bot.Reply
	rs := &responder{h: bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return answer })}
	for _, c := range []struct {
		name   string
		reply  bot.Reply
		flags  int
		update bool
	}{
		{"page, own ephemeral", listPage(2), 64, true},
		{"page, public message", listPage(2), 0, false},
		{"page, other flags", listPage(2), 4, false},
		{"full list, own ephemeral", func() bot.Reply { r := listPage(2); r.Full = true; return r }(), 64, false},
		{"card, own ephemeral", ugandaReply(), 64, false},
		{"rate limited", bot.Reply{Kind: bot.KindRateLimited, Summary: "Too many questions."}, 64, false},
	} {
		answer = c.reply
		answer.Visibility = bot.Public // the adapter makes it private whatever comes back
		resp, err := rs.respond(context.Background(), decode(t, componentJSON("1", "t", "v1:0db34b73:page:2:l//", 2, c.flags)))
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Type == discordgo.InteractionResponseUpdateMessage; got != c.update {
			t.Errorf("%s: type %d, want update %v", c.name, resp.Type, c.update)
		}
		if !c.update && resp.Data.Flags != discordgo.MessageFlagsEphemeral {
			t.Errorf("%s: flags %d, want 64", c.name, resp.Data.Flags)
		}
	}
}

// mapHandler answers "map" with the map fixture, privately for "map
// private", and everything else as the stub does.
var mapHandler = bot.HandlerFunc(func(ctx context.Context, q bot.Query) bot.Reply {
	switch q.Text {
	case "map":
		return mapReply()
	case "map private":
		r := mapReply()
		r.Visibility = bot.Private
		return r
	}
	return stubHandler(ctx, q)
})

// checkMapMessage checks a map message and its one file: the embed shows
// attachment://<name>, the alt text is the description, no mentions, and
// the file is the PNG.
func checkMapMessage(t *testing.T, payload []byte, files []part) sentData {
	t.Helper()
	var d sentData
	if err := json.Unmarshal(payload, &d); err != nil {
		t.Fatalf("%v: %s", err, payload)
	}
	want := mapReply()
	if len(d.Embeds) != 1 || d.Embeds[0].Image == nil || d.Embeds[0].Image.URL != "attachment://agreement-map-africa.png" {
		t.Fatalf("embeds %s, want one with the image attachment://agreement-map-africa.png", payload)
	}
	if d.Embeds[0].Description != esc(want.Image.Alt) {
		t.Errorf("description %q, want the alt text", d.Embeds[0].Description)
	}
	if !bytes.Contains(payload, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf(`payload lacks "allowed_mentions":{"parse":[]: %s`, payload)
	}
	if len(files) != 1 || files[0].field != "files[0]" || files[0].filename != "agreement-map-africa.png" || files[0].contentType != "image/png" {
		t.Fatalf("files %+v, want files[0] agreement-map-africa.png, image/png", files)
	}
	if !bytes.Equal(files[0].data, want.Image.PNG) {
		t.Errorf("the file is not the map's PNG")
	}
	if _, err := png.Decode(bytes.NewReader(files[0].data)); err != nil {
		t.Errorf("the file is not a valid PNG: %v", err)
	}
	return d
}

// TestGatewayMap: over the gateway the callback itself carries the image,
// as multipart/form-data.
func TestGatewayMap(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	answers := make(chan answer, 4)
	startGateway(t, fake, mapHandler, Hooks{Answered: func(kind string, o bot.Outcome, _ time.Duration) { answers <- answer{kind, o} }})
	fake.dispatch("INTERACTION_CREATE", interactionJSON(2, "1300000000000000040", "tok-map", "map", false))
	cb := wait(t, fake.callbacks, "the map's callback")
	if cb.path != "/api/v9/interactions/1300000000000000040/tok-map/callback" {
		t.Errorf("callback to %s", cb.path)
	}
	payload, files := multipartBody(t, cb)
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil || resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Fatalf("payload_json %s, want type 4", payload)
	}
	checkMapMessage(t, resp.Data, files)
	if got := wait(t, answers, "the answer hook"); got != (answer{"map", bot.OutcomeOK}) {
		t.Errorf("Answered(%v)", got)
	}
}

// TestHTTPMapFollowup: without PUBLIC_URL the endpoint defers, then posts
// the answer with its image to the interaction's webhook.
func TestHTTPMapFollowup(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	s := newSigner(t)
	answers := make(chan answer, 4)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), APIURL: fake.URL(),
		Hooks: Hooks{Answered: func(kind string, o bot.Outcome, _ time.Duration) { answers <- answer{kind, o} }}}, mapHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query, deferred string
		flags           discordgo.MessageFlags
	}{
		{"map", `{"type":5}`, 0},
		{"map private", `{"type":5,"data":{"flags":64}}`, discordgo.MessageFlagsEphemeral},
	} {
		token := "tok-" + strings.ReplaceAll(c.query, " ", "-")
		w := serve(h, s.request(ts, []byte(interactionJSON(2, "1300000000000000041", token, c.query, false))))
		if w.Code != 200 || w.Body.String() != c.deferred {
			t.Fatalf("%s: %d %s, want %s", c.query, w.Code, w.Body, c.deferred)
		}
		fu := wait(t, fake.followups, "the follow-up")
		if want := "/api/v9/webhooks/" + fakeAppID + "/" + token; fu.method != "POST" || fu.path != want {
			t.Errorf("follow-up %s %s, want POST %s", fu.method, fu.path, want)
		}
		payload, files := multipartBody(t, fu)
		if d := checkMapMessage(t, payload, files); d.Flags != c.flags {
			t.Errorf("%s: follow-up flags %d, want %d", c.query, d.Flags, c.flags)
		}
		if got := wait(t, answers, "the follow-up's answer hook"); got != (answer{"map", bot.OutcomeOK}) {
			t.Errorf("Answered(%v)", got)
		}
	}
	if err := h.(interface{ Drain(context.Context) error }).Drain(context.Background()); err != nil {
		t.Errorf("Drain = %v", err)
	}
}

// TestHTTPMapPublicURL: with PUBLIC_URL the image is shown from there, in
// the inline answer.
func TestHTTPMapPublicURL(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t)
	s := newSigner(t)
	for public, want := range map[string]string{
		"https://bot.example.org/":     "https://bot.example.org/maps/0db34b73/africa.png",
		"https://bot.example.org":      "https://bot.example.org/maps/0db34b73/africa.png",
		"http://example.org:8080/bot/": "http://example.org:8080/bot/maps/0db34b73/africa.png",
	} {
		h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), APIURL: fake.URL(), PublicURL: public}, mapHandler, nil)
		if err != nil {
			t.Fatal(err)
		}
		w := serve(h, s.request(ts, []byte(interactionJSON(2, "1300000000000000042", "tok-m", "map", false))))
		resp := checkSent(t, w.Body.Bytes())
		e := resp.Data.Embeds[0]
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || e.Image == nil || e.Image.URL != want {
			t.Errorf("PUBLIC_URL %s: inline answer %s, want type 4 with the image at %s", public, w.Body, want)
		}
		if e.Description != esc(mapReply().Image.Alt) {
			t.Errorf("description %q, want the alt text", e.Description)
		}
	}
	if _, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), PublicURL: "ftp://x"}, mapHandler, nil); err == nil || !strings.Contains(err.Error(), "PUBLIC_URL") {
		t.Errorf("NewHTTPHandler with PUBLIC_URL ftp://x = %v, want an error naming PUBLIC_URL", err)
	}
	select {
	case fu := <-fake.followups:
		t.Errorf("a follow-up was posted to %s", fu.path)
	default:
	}
}

// TestHTTPFollowupsBoundedAndDrained holds the follow-ups at the fake:
// past maxFollowups a map is answered inline without its image; Drain
// with a deadline that has passed stops the ones in flight and says so.
func TestHTTPFollowupsBoundedAndDrained(t *testing.T) {
	t.Parallel()
	fake := newFakeDiscord(t, func(f *fakeDiscord) { f.hold = make(chan struct{}) })
	s := newSigner(t)
	answers := make(chan answer, maxFollowups+4)
	h, err := NewHTTPHandler(Config{PublicKey: s.publicHex(), APIURL: fake.URL(),
		Hooks: Hooks{Answered: func(kind string, o bot.Outcome, _ time.Duration) { answers <- answer{kind, o} }}}, mapHandler, nil)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(n int) []byte {
		return serve(h, s.request(ts, []byte(interactionJSON(2, fmt.Sprint(1300000000000000100+n), fmt.Sprintf("tok-%d", n), "map", false)))).Body.Bytes()
	}
	for n := range maxFollowups {
		if got := ask(n); string(got) != `{"type":5}` {
			t.Fatalf("map %d: %s, want a deferral", n, got)
		}
		wait(t, fake.followups, "a held follow-up")
	}
	// Every slot is taken: inline, without the image.
	resp := checkSent(t, ask(maxFollowups))
	if e := resp.Data.Embeds[0]; resp.Type != discordgo.InteractionResponseChannelMessageWithSource || e.Image != nil || e.Description != esc(mapReply().Image.Alt) {
		t.Errorf("past the bound: %+v, want type 4 with the alt text and no image", resp)
	}
	if got := wait(t, answers, "the inline answer's hook"); got != (answer{"map", bot.OutcomeOK}) {
		t.Errorf("Answered(%v)", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the shutdown deadline has passed
	if err := h.(interface{ Drain(context.Context) error }).Drain(ctx); err == nil {
		t.Errorf("Drain with follow-ups in flight at the deadline = nil, want an error")
	}
	// Drain has returned, so every follow-up has reported: as errors.
	for range maxFollowups {
		if got := wait(t, answers, "a stopped follow-up's hook"); got.outcome != bot.OutcomeError {
			t.Errorf("a stopped follow-up reported %v", got)
		}
	}
	// After Drain, no follow-up is started.
	if resp := checkSent(t, ask(maxFollowups+1)); resp.Data.Embeds[0].Image != nil {
		t.Errorf("after Drain: an image with no way to send it")
	}
}

package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// mapHandler answers every question with mapReply, private when private
// is set.
func mapHandler(private bool) bot.Handler {
	return bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		r := mapReply()
		if private {
			r.Visibility = bot.Private
		}
		return r
	})
}

// mapCommand is Slack's documented slash command, asking for the map,
// from the fake's channel, with a response_url that reaches the fake.
func mapCommand() request {
	body := strings.NewReplacer("text=", "text=map", "channel_id=G8PSS9T3V", "channel_id="+fakeChannel).Replace(docBody)
	return signedAt(time.Now(), CommandsPath, formType, body)
}

// decodeMessage decodes a slash command's response.
func decodeMessage(t testing.TB, b []byte) Message {
	t.Helper()
	var raw struct {
		ResponseType string       `json:"response_type"`
		Text         string       `json:"text"`
		Blocks       slack.Blocks `json:"blocks"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("response %s: %v", b, err)
	}
	return Message{ResponseType: raw.ResponseType, Text: raw.Text, Blocks: raw.Blocks.BlockSet}
}

func imageOf(m Message) *slack.ImageBlock {
	for _, b := range m.Blocks {
		if im, ok := b.(*slack.ImageBlock); ok {
			return im
		}
	}
	return nil
}

// checkUpload checks a map as it arrived at the fake: a valid PNG, the
// bytes the bot had, its alt text, in channel and thread.
func checkUpload(t *testing.T, u fakeUpload, channel, thread string) {
	t.Helper()
	alt := mapReply().Image.Alt
	if _, err := png.Decode(bytes.NewReader(u.data)); err != nil || !bytes.Equal(u.data, testPNG) || u.length != len(testPNG) {
		t.Errorf("uploaded %d bytes (said %d), not the map's PNG: %v", len(u.data), u.length, err)
	}
	if !u.authorized || !u.multipartFile {
		t.Errorf("upload without the token or not as a multipart file")
	}
	if u.alt != alt {
		t.Errorf("alt_txt = %q, want %q", u.alt, alt)
	}
	if want, _ := escape(alt, 3000, false); u.comment != want {
		t.Errorf("initial_comment = %q, want the escaped alt text %q", u.comment, want)
	}
	if u.channel != channel || u.threadTS != thread {
		t.Errorf("shared in %s thread %q, want %s thread %q", u.channel, u.threadTS, channel, thread)
	}
	if u.filename != "agreement-map.png" || u.title != "Countries on record: map" {
		t.Errorf("file %q titled %q", u.filename, u.title)
	}
}

// TestMapImageBlock: with a public URL, a map is an image block at that
// URL and the image's path, with its alt text, also shown as text; nothing
// is uploaded.
func TestMapImageBlock(t *testing.T) {
	fx := newHTTPFixture(t, docSecret, func(c *Config) { c.PublicURL = "https://bot.example.org/" })
	fx.h.answerer.h = mapHandler(false)
	w := fx.do(mapCommand())
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	m := decodeMessage(t, w.Body.Bytes())
	im := imageOf(m)
	if im == nil || im.ImageURL != "https://bot.example.org/maps/0db34b73/all.png" || im.AltText != mapReply().Image.Alt {
		t.Fatalf("image block %+v in %s", im, w.Body)
	}
	checkMessageOpts(t, mapReply(), m, renderOpts{publicURL: "https://bot.example.org"})
	if m.ResponseType != "in_channel" {
		t.Errorf("response_type %q", m.ResponseType)
	}
	// A mention gets the image block in its thread too.
	body, _ := json.Marshal(eventCallback("Ev300", mentionEvent("<@U0BOT> map", "1700000000.000300")))
	fx.do(event(body, nil))
	p := fx.fake.nextPost(t)
	if !strings.Contains(p.form.Get("blocks"), `"image_url":"https://bot.example.org/maps/0db34b73/all.png"`) || p.form.Get("thread_ts") != "1700000000.000300" {
		t.Errorf("mention answered with %v", p.form)
	}
	// A button's private answer can show it too: the server publishes it.
	fx.do(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG", pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: fx.fake.hookURL("x")})))
	if h := fx.fake.nextHook(t); imageOf(hookMsg(t, h)) == nil || h.msg.ResponseType != "ephemeral" {
		t.Errorf("press answered with %s", h.raw)
	}
	fx.h.drain()
	fx.fake.noHooks(t)
	fx.fake.noPosts(t)
}

// TestMapUploadHTTP: without a public URL, the slash command's response
// carries the alt text only, and the PNG is uploaded to the channel.
func TestMapUploadHTTP(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	fx.h.answerer.h = mapHandler(false)
	w := fx.do(mapCommand())
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	m := decodeMessage(t, w.Body.Bytes())
	if imageOf(m) != nil || !strings.Contains(visibleText(m), "A world map of the 14 countries") || m.ResponseType != "in_channel" {
		t.Errorf("response %s", w.Body)
	}
	checkUpload(t, fx.fake.nextUpload(t), fakeChannel, "")
	// A mention: the upload is the answer, in the thread; no other post.
	body, _ := json.Marshal(eventCallback("Ev301", mentionEvent("<@U0BOT> map", "1700000000.000301")))
	fx.do(event(body, nil))
	checkUpload(t, fx.fake.nextUpload(t), fakeChannel, "1700000000.000301")
	fx.h.drain()
	fx.fake.noHooks(t)
	fx.fake.noPosts(t)
	if n := fx.hooks.answered.Load(); n != 2 {
		t.Errorf("answered %d times, want 2", n)
	}
}

// TestMapUploadSocketMode: in Socket Mode maps are always uploaded: after
// the slash command's acknowledgement, and as the answer to a mention or
// a DM, in its thread.
func TestMapUploadSocketMode(t *testing.T) {
	f := newFakeSlack(t)
	cfg := f.config()
	cfg.PublicURL = "https://bot.example.org" // ignored: nothing publishes images in Socket Mode
	startSocketMode(t, f, cfg, mapHandler(false))
	c := f.nextConn(t)
	c.send(slashEnvelope("env-map", "map"))
	a := c.nextAck(t)
	m := decodeMessage(t, a.Payload)
	if imageOf(m) != nil || !strings.Contains(visibleText(m), "A world map") {
		t.Errorf("ack %s", a.Payload)
	}
	checkUpload(t, f.nextUpload(t), fakeChannel, "")
	c.send(eventEnvelope("env-map-2", "Ev302", 0, mentionEvent("<@U0BOT> map", "1700000000.000302")))
	c.nextAck(t)
	checkUpload(t, f.nextUpload(t), fakeChannel, "1700000000.000302")
	c.send(eventEnvelope("env-map-3", "Ev303", 0, dmEvent("map", "1700000000.000303")))
	c.nextAck(t)
	checkUpload(t, f.nextUpload(t), fakeDM, "1700000000.000303")
}

// TestMapCannotUpload: when the map cannot be posted (no bot token, the
// bot not in the channel, no files:write), the asker is told privately why
// and how to fix it; the answer's text was given already.
func TestMapCannotUpload(t *testing.T) {
	for _, tc := range []struct {
		name, fail, want string
		noToken          bool
	}{
		{name: "no token", noToken: true, want: "SLACK_BOT_TOKEN"},
		{name: "not in channel", fail: "not_in_channel", want: "/invite @agreementbot"},
		{name: "channel not found", fail: "channel_not_found", want: "/invite @agreementbot"},
		{name: "missing scope", fail: "missing_scope", want: "files:write"},
		{name: "other", fail: "fatal_error", want: "try again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newHTTPFixture(t, docSecret, func(c *Config) {
				if tc.noToken {
					c.BotToken = ""
				}
			})
			fx.fake.uploadError = tc.fail
			fx.h.answerer.h = mapHandler(false)
			w := fx.do(mapCommand())
			if m := decodeMessage(t, w.Body.Bytes()); w.Code != http.StatusOK || !strings.Contains(visibleText(m), "A world map") {
				t.Fatalf("response %d %s", w.Code, w.Body)
			}
			h := fx.fake.nextHook(t)
			m := hookMsg(t, h)
			if h.msg.ResponseType != "ephemeral" || h.msg.ReplaceOriginal || !strings.Contains(m.Text, tc.want) || !strings.Contains(visibleText(m), tc.want) {
				t.Errorf("why: %s, want it private and saying %q", h.raw, tc.want)
			}
			if tc.name == "missing scope" && !strings.Contains(m.Text, "reinstall") {
				t.Errorf("why does not say to reinstall: %s", m.Text)
			}
			if !strings.Contains(h.path, "/hooks/commands/T1DC2JH3J/") {
				t.Errorf("why posted to %s, want the command's response_url", h.path)
			}
			if !strings.Contains(fx.logged(), "slack: map not uploaded") {
				t.Errorf("log: %s", fx.logged())
			}
			fx.h.drain()
			fx.fake.noHooks(t)
			fx.fake.noPosts(t)
		})
	}
	// A mention: the answer and the why come together, privately, in the thread.
	fx := newHTTPFixture(t, docSecret)
	fx.fake.uploadError = "not_in_channel"
	fx.h.answerer.h = mapHandler(false)
	body, _ := json.Marshal(eventCallback("Ev304", mentionEvent("<@U0BOT> map", "1700000000.000304")))
	fx.do(event(body, nil))
	p := fx.fake.nextPost(t)
	text := visibleText(postMsg(t, p))
	if p.method != "chat.postEphemeral" || p.form.Get("thread_ts") != "1700000000.000304" || !strings.Contains(text, "A world map") || !strings.Contains(text, "/invite") {
		t.Errorf("mention answered with %s %v", p.method, p.form)
	}
}

// TestMapPrivate: an upload would show the map to everyone, so a private
// answer without a public URL has the alt text and a word on why, and
// nothing is uploaded.
func TestMapPrivate(t *testing.T) {
	fx := newHTTPFixture(t, docSecret)
	fx.h.answerer.h = mapHandler(true)
	w := fx.do(mapCommand())
	m := decodeMessage(t, w.Body.Bytes())
	if m.ResponseType != "ephemeral" || imageOf(m) != nil || !strings.Contains(visibleText(m), "PUBLIC_URL") {
		t.Errorf("private map: %s", w.Body)
	}
	fx.do(interaction(blockActions("agreementbot.card", "v1:0db34b73:card:c/UG", pressAt{channel: fakeChannel, messageTS: "1.2", responseURL: fx.fake.hookURL("x")})))
	if h := fx.fake.nextHook(t); !strings.Contains(visibleText(hookMsg(t, h)), "PUBLIC_URL") {
		t.Errorf("press: %s", h.raw)
	}
	fx.h.drain()
	fx.fake.noHooks(t)
	fx.fake.noPosts(t)
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"agreement-map-africa.png": "agreement-map-africa.png",
		"../../etc/passwd":         "etcpasswd.png",
		"":                         "agreement-map.png",
		"\u202egnp.exe":            "gnp.exe.png",
		"map":                      "map.png",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

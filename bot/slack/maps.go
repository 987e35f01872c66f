package slack

// This file delivers the pictures that go with answers (maps). With a
// public URL (HTTP mode, PUBLIC_URL) a map is an image block that Slack
// fetches from the server; otherwise the PNG is uploaded to the
// conversation with the files upload v2 flow (files:write), and the answer
// itself carries the alt text.

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// noPrivateMap follows a map's alt text where the picture cannot be
// shown: an upload would show it to the whole channel.
const noPrivateMap = "(The picture is not shown in private answers here: that needs the bot served over HTTP with PUBLIC_URL set.)"

// errNoToken is why a map cannot be uploaded without SLACK_BOT_TOKEN.
var errNoToken = errors.New("slack: no bot token: files cannot be uploaded")

// mapOpts chooses how the map of r, if any, is shown: the render options,
// and whether its picture is to be uploaded after the answer. private says
// that the answer is for the asker alone; an upload shows a picture to
// everyone in the conversation, so a private answer gets the alt text and
// a word on why, unless the server publishes the picture itself.
func (a *answerer) mapOpts(r bot.Reply, private bool) (renderOpts, bool) {
	o := renderOpts{publicURL: a.publicURL}
	if r.Kind != bot.KindMap || r.Image == nil || len(r.Image.PNG) == 0 || a.publicURL != "" {
		return o, false
	}
	if private {
		o.noImage = noPrivateMap
		return o, false
	}
	return o, true
}

// upload posts a map's PNG to channel, in the thread threadTS if set, with
// its alt text as the message: slack-go's UploadFileContext, which calls
// files.getUploadURLExternal, sends the bytes to the URL it returns and
// shares the file with files.completeUploadExternal.
func (a *answerer) upload(ctx context.Context, img *bot.Image, title, channel, threadTS string) error {
	if !a.canPost {
		return errNoToken
	}
	alt := clipRunes(bot.StripBidi(img.Alt), 1000) // files.getUploadURLExternal's limit
	comment, _ := escape(alt, 3000, false)
	title = clipRunes(bot.StripBidi(strings.TrimSpace(title)), 200)
	return retry(ctx, func(ctx context.Context) error {
		_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader:          bytes.NewReader(img.PNG),
			FileSize:        len(img.PNG),
			Filename:        fileName(img.Name),
			Title:           title,
			AltTxt:          alt,
			InitialComment:  comment,
			Channel:         channel,
			ThreadTimestamp: threadTS,
		})
		return err
	})
}

// fileName is a safe name for an uploaded file: the image's own name
// reduced to letters, digits, '.', '-' and '_', ending in .png.
func fileName(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		}
	}
	n := strings.TrimLeft(b.String(), ".")
	if len(n) > 80 {
		n = n[:80]
	}
	if n == "" {
		n = "agreement-map"
	}
	if !strings.HasSuffix(n, ".png") {
		n += ".png"
	}
	return n
}

// uploadProblem says why a map could not be posted and how to fix it, in
// words for the asker, and as a fixed reason for the log.
func uploadProblem(err error) (say, reason string) {
	code := ""
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		code = se.Err
	}
	switch {
	case errors.Is(err, errNoToken):
		return "I could not post the map picture here: uploads need the bot's token, and this bot runs without one. " +
			"Whoever runs it must set SLACK_BOT_TOKEN.", "no bot token"
	case code == "not_in_channel" || code == "channel_not_found":
		return "I could not post the map picture in this channel: I am not a member of it. " +
			"Invite me with /invite @agreementbot, then ask again.", code
	case code == "missing_scope" || code == "no_permission" || code == "not_allowed_token_type":
		return "I could not post the map picture: this Slack app may not upload files. Whoever manages the app must add " +
			"the files:write scope (update the app from the new manifest) and reinstall it to the workspace, then ask again.", code
	}
	return "I could not post the map picture just now; please try again in a while.", "upload failed"
}

// note is a short private message: one sentence, escaped.
func note(say string) Message {
	text, _ := escape(bot.StripBidi(say), maxSectionText-100, false)
	return Message{ResponseType: slack.ResponseTypeEphemeral, Text: text, Blocks: []slack.Block{
		&slack.SectionBlock{Type: slack.MBTSection, Text: mrkdwn(text)},
	}}
}

// deliverMap uploads a map after its answer; when that fails, it tells
// the asker why privately, through tell.
func (a *answerer) deliverMap(ctx context.Context, r bot.Reply, channel, threadTS string, tell func(context.Context, Message) error) {
	err := a.upload(ctx, r.Image, r.Title, channel, threadTS)
	if err == nil {
		a.log.Debug("slack: map uploaded", "channel", channel)
		return
	}
	say, reason := uploadProblem(err)
	a.log.Warn("slack: map not uploaded", "reason", reason, "channel", channel, "err", safeErr(err))
	if err := tell(ctx, note(say)); err != nil {
		a.log.Warn("slack: why the map is missing not sent", "err", safeErr(err))
	}
}

// tellByResponseURL returns a tell that answers privately through a
// slash command's response_url, if it is a Slack address.
func (a *answerer) tellByResponseURL(responseURL string) func(context.Context, Message) error {
	return func(ctx context.Context, m Message) error {
		if !a.responseURLOK(responseURL) {
			return errors.New(reasonResponseURL)
		}
		body, err := responseJSON(m, false)
		if err != nil {
			return err
		}
		return a.respond(ctx, responseURL, body)
	}
}

// safeErr is an error for the log without the address it was about:
// response_urls and upload URLs are capabilities, good for a while to
// anyone who has them.
func safeErr(err error) string {
	if err == nil {
		return ""
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}

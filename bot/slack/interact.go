package slack

// This file answers button presses (block_actions), over either
// transport: privately, through the action's response_url, or with
// chat.postEphemeral in the thread of the pressed message.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// press is a press of one of the bot's buttons.
type press struct {
	team, user  string
	channel     string // where the pressed message is
	value       string // the button's value, as received: the bot parses it
	action      string // its action_id
	responseURL string
	threadTS    string // the thread the pressed message is in, "" when it is in none
	ephemeral   bool   // the pressed message is the presser's own ephemeral message
}

// paging reports whether the press turns a page (agreementbot.page.*).
func (p press) paging() bool {
	return p.action == actionPrefix+bot.ActPage || strings.HasPrefix(p.action, actionPrefix+bot.ActPage+".")
}

// pressOf reads a press of one of the bot's buttons from an interaction.
// It returns why the interaction is not one, for the debug log, or "".
func pressOf(in interactionPayload) (press, string) {
	if in.Type != string(slack.InteractionTypeBlockActions) {
		return press{}, "interaction type " + excerpt(in.Type)
	}
	var act *buttonAction
	for i := range in.Actions {
		if strings.HasPrefix(in.Actions[i].ActionID, actionPrefix) {
			act = &in.Actions[i]
			break
		}
	}
	switch {
	case act == nil:
		return press{}, "no button of the bot's"
	case act.Value == "":
		return press{}, "button without a value"
	case in.User.ID == "":
		return press{}, "no user"
	}
	p := press{
		team:        in.Team.ID,
		user:        in.User.ID,
		channel:     in.Channel.ID,
		value:       act.Value,
		action:      act.ActionID,
		responseURL: in.ResponseURL,
		ephemeral:   in.Container.IsEphemeral,
	}
	if p.team == "" {
		p.team = in.User.TeamID
	}
	if p.channel == "" {
		p.channel = in.Container.ChannelID
	}
	// A thread's first message has its own ts as thread_ts: it is in the
	// channel, and so is an answer through response_url.
	ts := in.Container.MessageTS
	if ts == "" {
		ts = in.Message.TS
	}
	thread := in.Message.ThreadTS
	if thread == "" {
		thread = in.Container.ThreadTS
	}
	if thread != ts {
		p.threadTS = thread
	}
	return p, ""
}

// Why a response_url is refused: a fixed reason, never the address.
const reasonResponseURL = "response_url is not a Slack address"

// responseURLOK reports whether raw is an address Slack gives for
// responses: https on hooks.slack.com or hooks.slack-gov.com, or the Web
// API's own scheme and host (SLACK_API_URL: tests reach the fake there).
// Anything else could make the bot post wherever a forged payload says.
func (a *answerer) responseURLOK(raw string) bool {
	if raw == "" || len(raw) > 2000 {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return false
	}
	if u.Scheme == "https" && (u.Host == "hooks.slack.com" || u.Host == "hooks.slack-gov.com") {
		return true
	}
	return a.apiURL != nil && a.apiURL.Host != "" && u.Scheme == a.apiURL.Scheme && strings.EqualFold(u.Host, a.apiURL.Host)
}

// responseJSON is m as posted to a response_url: ephemeral, replacing
// the pressed message when replace is set. It encodes the message itself:
// slack.WebhookMessage holds blocks in slack.Blocks, whose encoder
// re-compacts the whole message, which cost nearly half of encoding it.
func responseJSON(m Message, replace bool) ([]byte, error) {
	m.ResponseType = slack.ResponseTypeEphemeral
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Slack reads < > & as they are, in links above all: escaping them for
	// HTML, as json.Marshal does, made the post longer and a fifth slower
	// to encode.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(responseBody{Message: m, ReplaceOriginal: replace}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// respond posts body, a message as responseJSON encodes it, to a
// response_url. The errors are slack-go's, so that retry reads them.
func (a *answerer) respond(ctx context.Context, responseURL string, body []byte) error {
	return retry(ctx, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := a.hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		said, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			return &slack.RateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
		case resp.StatusCode != http.StatusOK:
			// Slack says why in the body: expired_url, used_url, no_text...
			return fmt.Errorf("response_url: %w: %s", slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}, excerpt(string(said)))
		}
		return nil
	})
}

// responseBody is what is posted to a response_url.
type responseBody struct {
	Message
	ReplaceOriginal bool `json:"replace_original"`
}

// postEphemeral posts m to user alone in channel, in thread threadTS if
// set, with chat.postEphemeral.
func (a *answerer) postEphemeral(ctx context.Context, channel, user, threadTS string, m Message) error {
	opts := msgOptions(m, threadTS)
	return retry(ctx, func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
}

// msgOptions are the options of m posted with the Web API: its text and
// blocks, without link or media unfurling, in thread threadTS if set.
func msgOptions(m Message, threadTS string) []slack.MsgOption {
	opts := []slack.MsgOption{
		slack.MsgOptionText(m.Text, false), // already escaped
		slack.MsgOptionBlocks(m.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	return opts
}

// route says how the answer to a press reaches the presser, privately.
type route int

const (
	routeNone      route = iota // nowhere: the response_url is refused and there is no thread to post in
	routeReplace                // response_url, replacing the presser's own ephemeral page
	routeThread                 // chat.postEphemeral in the thread of the pressed message
	routeEphemeral              // response_url, a new ephemeral message
)

func (rt route) String() string {
	return [...]string{"none", "replace_original", "chat.postEphemeral", "response_url"}[rt]
}

// routeOf chooses how to answer p: a page turned on the presser's own
// ephemeral message replaces it; in a thread, where response_url answers
// would land in the channel, chat.postEphemeral in the thread (with a bot
// token); else a new ephemeral message through response_url. A public
// message is never replaced.
func (a *answerer) routeOf(p press) route {
	okURL := a.responseURLOK(p.responseURL)
	switch {
	case okURL && p.ephemeral && p.paging():
		return routeReplace
	case p.threadTS != "" && a.canPost && p.channel != "":
		return routeThread
	case okURL:
		return routeEphemeral
	}
	return routeNone
}

// press answers a button press privately. Everyone who presses one
// button gets the same bytes through a response_url (the answer's cache
// key says all they depend on): rendered and encoded once.
func (a *answerer) press(ctx context.Context, p press, start time.Time) {
	ctx, cancel := context.WithTimeout(ctx, postTimeout)
	defer cancel()
	reply := a.h.Handle(ctx, bot.Query{Button: p.value, Platform: platform, Team: p.team, User: p.user, Usage: usage})
	rt := a.routeOf(p)
	if rt == routeNone {
		a.hooks.OnAnswered(string(reply.Kind), bot.OutcomeError, a.now().Sub(start))
		a.log.Warn("slack: button answer not sent", "reason", reasonResponseURL, "action", excerpt(p.action), "team", excerpt(p.team))
		return
	}
	// Private: an upload would show the map to the whole channel.
	o, _ := a.mapOpts(reply, true)
	o.ephemeral = true
	var err error
	if rt == routeThread {
		m, _ := renderMessage(reply, o)
		err = a.postEphemeral(ctx, p.channel, p.user, p.threadTS, m)
	} else {
		var body []byte
		body, err = a.pressBody(reply, o, rt)
		if err == nil {
			err = a.respond(ctx, p.responseURL, body)
		}
	}
	d := a.now().Sub(start)
	a.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
	if err != nil {
		a.log.Warn("slack: button answer not posted", "route", rt.String(), "kind", reply.Kind, "err", safeErr(err))
		return
	}
	a.log.Debug("slack: button answered", "route", rt.String(), "action", excerpt(p.action), "kind", reply.Kind, "duration", d)
}

// pressBody is the response_url body of a press's answer, for route rt.
// An answer with a cache key is rendered and encoded once for everyone
// who presses that button (the key says all it depends on), by route: a
// page replaced in place and a new message differ. A body that could not
// be encoded is not kept.
func (a *answerer) pressBody(reply bot.Reply, o renderOpts, rt route) ([]byte, error) {
	key := ""
	if reply.CacheKey != "" && reply.Image == nil {
		key = reply.CacheKey + "|" + rt.String()
		if b, ok := a.rendered.Get(key); ok {
			return b, nil
		}
	}
	m, _ := renderMessage(reply, o)
	b, err := responseJSON(m, rt == routeReplace)
	if err == nil && key != "" {
		a.rendered.Add(key, b)
	}
	return b, err
}

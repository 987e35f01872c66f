package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/agreementbot/agreementbot/bot"
)

// callback is the outer Events API payload, as POSTed to /slack/events and
// as carried in a Socket Mode events_api envelope. Only what the bot needs
// is decoded, so event types slack-go does not know are no error.
type callback struct {
	Type           string `json:"type"`
	Challenge      string `json:"challenge"`
	TeamID         string `json:"team_id"`
	EventID        string `json:"event_id"`
	Authorizations []struct {
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
	Event innerEvent `json:"event"`
}

type innerEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
}

// botUser returns the bot's own user id as the event's authorizations
// name it, or "".
func (cb *callback) botUser() string {
	for _, a := range cb.Authorizations {
		if a.IsBot {
			return a.UserID
		}
	}
	return ""
}

// question is a message that asks the bot something.
type question struct {
	text     string // the query, mention removed and Slack's markup undone
	team     string
	user     string
	channel  string
	threadTS string // where to answer
	dm       bool
}

// asks decides whether an event asks the bot something: an app_mention, or
// a message in a DM with the bot; never the bot's own messages or another
// bot's, nor edits, deletions and other message subtypes. ownUser may be ""
// when unknown. The reason is for the debug log.
func (cb *callback) asks(ownUser string) (question, string) {
	ev := cb.Event
	if u := cb.botUser(); u != "" {
		ownUser = u
	}
	switch {
	case ev.Type != "app_mention" && ev.Type != "message":
		return question{}, "event type " + ev.Type
	case ev.Type == "message" && ev.ChannelType != "im":
		return question{}, "message outside a DM"
	case ev.Subtype != "":
		return question{}, "message subtype " + ev.Subtype
	case ev.BotID != "" || ev.User == "" || ev.User == ownUser:
		return question{}, "message from a bot"
	case ev.Channel == "" || ev.TS == "":
		return question{}, "no channel or ts"
	}
	thread := ev.ThreadTS
	if thread == "" {
		thread = ev.TS
	}
	return question{
		text:     queryText(stripMention(ev.Text, ownUser)),
		team:     cb.TeamID,
		user:     ev.User,
		channel:  ev.Channel,
		threadTS: thread,
		dm:       ev.ChannelType == "im" || strings.HasPrefix(ev.Channel, "D"),
	}, ""
}

// dedupKeys are the keys under which an event is remembered: its id, and
// the message it is about, so that a message that arrives both as an
// app_mention and as message.im is answered once.
func (cb *callback) dedupKeys() []string {
	return []string{"event:" + cb.EventID, "msg:" + cb.Event.Channel + ":" + cb.Event.TS}
}

// stripMention removes the bot's own mention (<@U123> or <@U123|name>)
// from a message; when the bot's id is unknown, only a leading mention.
func stripMention(text, ownUser string) string {
	if ownUser != "" {
		for _, m := range []string{"<@" + ownUser + ">", "<@" + ownUser + "|"} {
			for {
				i := strings.Index(text, m)
				if i < 0 {
					break
				}
				j := i + len(m)
				if strings.HasSuffix(m, "|") {
					k := strings.IndexByte(text[j:], '>')
					if k < 0 {
						break
					}
					j += k + 1
				}
				text = text[:i] + " " + text[j:]
			}
		}
		return strings.TrimSpace(text)
	}
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "<@") {
		if k := strings.IndexByte(t, '>'); k >= 0 {
			t = t[k+1:]
		}
	}
	return strings.TrimSpace(t)
}

// queryText undoes Slack's message markup so the grammar sees what the user
// typed: <url|label> and <#C123|name> become their label, other <...>
// tokens (user and special mentions, bare links) are dropped or kept as
// their URL, and &amp; &lt; &gt; become & < >.
func queryText(s string) string {
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		return collapseSpace(s)
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		tok := s[i+1 : i+j]
		switch {
		case strings.Contains(tok, "|"):
			label := tok[strings.IndexByte(tok, '|')+1:]
			if strings.HasPrefix(tok, "#") {
				label = "#" + label
			}
			b.WriteString(label)
		case strings.HasPrefix(tok, "@"), strings.HasPrefix(tok, "!"), strings.HasPrefix(tok, "#"):
			// a mention without a label: nothing a query can use
		default:
			b.WriteString(tok)
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return collapseSpace(strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(b.String()))
}

// collapseSpace trims s and turns each run of white space into one space;
// it allocates only when there is something to change inside s.
func collapseSpace(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' && i+1 < len(s) && s[i+1] <= ' ' || c != ' ' && c <= ' ' || c >= utf8.RuneSelf {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// answerer answers questions from events with chat.postMessage.
type answerer struct {
	api   *slack.Client
	h     bot.Handler
	log   *slog.Logger
	hooks Hooks
}

func newAPI(cfg Config, opts ...slack.Option) *slack.Client {
	opts = append([]slack.Option{
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(&http.Client{Timeout: postTimeout}),
	}, opts...)
	return slack.New(cfg.BotToken, opts...)
}

// answer asks the handler and posts the reply in the thread of the
// question: in a channel, a private reply goes to the asker alone.
func (a *answerer) answer(ctx context.Context, q question, start time.Time) {
	ctx, cancel := context.WithTimeout(ctx, postTimeout)
	defer cancel()
	reply := a.h.Handle(ctx, bot.Query{Text: q.text, Platform: platform, Team: q.team, User: q.user, Usage: usage})
	m := Render(reply)
	opts := []slack.MsgOption{
		slack.MsgOptionText(m.Text, false), // already escaped
		slack.MsgOptionBlocks(m.Blocks...),
		slack.MsgOptionTS(q.threadTS),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	method := "chat.postMessage"
	post := func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, q.channel, opts...)
		return err
	}
	if reply.Visibility == bot.Private && !q.dm {
		method = "chat.postEphemeral"
		post = func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, q.channel, q.user, opts...)
			return err
		}
	}
	err := retry(ctx, post)
	d := time.Since(start)
	a.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
	if err != nil {
		a.log.Warn("slack: answer not posted", "method", method, "channel", q.channel, "kind", reply.Kind, "err", err)
		return
	}
	if a.log.Enabled(ctx, slog.LevelDebug) {
		a.log.Debug("slack: answered", "method", method, "channel", q.channel, "kind", reply.Kind, "duration", d)
	}
}

// retry calls post until it succeeds, honouring Slack's 429 Retry-After and
// backing off on 5xx answers, but only within ctx's deadline: a wait that
// would outlast it gives up at once with the last error.
func retry(ctx context.Context, post func(context.Context) error) error {
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := post(ctx)
		if err == nil || attempt == maxPostAttempts {
			return err
		}
		var wait time.Duration
		var rl *slack.RateLimitedError
		var sc slack.StatusCodeError
		switch {
		case errors.As(err, &rl):
			wait = max(rl.RetryAfter, 100*time.Millisecond)
		case errors.As(err, &sc) && sc.Code >= 500:
			wait = backoff
			backoff *= 2
		default:
			return err // a 4xx or an API error: retrying cannot help
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// maxPostAttempts bounds retries of one answer.
const maxPostAttempts = 4

// parseCallback decodes an Events API payload.
func parseCallback(b []byte) (*callback, error) {
	cb := new(callback)
	if err := json.Unmarshal(b, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

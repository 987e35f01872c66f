package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/agreementbot/agreementbot/bot"
)

// question is a message that asks the bot something.
type question struct {
	eventID  string
	text     string // the query, mention removed and Slack's markup undone
	team     string
	user     string
	channel  string
	ts       string // the message's own timestamp
	threadTS string // where to answer
	dm       bool
}

// dedupKeys are the keys under which a question is remembered: its event
// id, and the message it is about, so that a message that arrives both as
// an app_mention and as message.im is answered once.
func (q question) dedupKeys() []string {
	return []string{"event:" + q.eventID, "msg:" + q.channel + ":" + q.ts}
}

// message is what the bot reads of an app_mention or message event.
type message struct {
	typ, subtype, user, botID, text, ts, threadTS, channel, channelType string
}

// asks decides whether an Events API event, as slack-go parsed it, asks
// the bot something: an app_mention, or a message in a DM with the bot;
// never the bot's own messages or another bot's, nor edits, deletions and
// other message subtypes. ownUser may be "" when unknown; the event's
// authorizations name it too. The question carries the event id even when
// the reason, for the debug log, says it asks nothing.
func asks(ev slackevents.EventsAPIEvent, ownUser string) (question, string) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return question{}, "not an event callback"
	}
	q := question{eventID: cb.EventID, team: cb.TeamID}
	for _, a := range cb.Authorizations {
		if a.IsBot && a.UserID != "" {
			ownUser = a.UserID
			break
		}
	}
	var m message
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		m = message{typ: e.Type, user: e.User, botID: e.BotID, text: e.Text, ts: e.TimeStamp,
			threadTS: e.ThreadTimeStamp, channel: e.Channel}
	case *slackevents.MessageEvent:
		m = message{typ: e.Type, subtype: e.SubType, user: e.User, botID: e.BotID, text: e.Text, ts: e.TimeStamp,
			threadTS: e.ThreadTimeStamp, channel: e.Channel, channelType: e.ChannelType}
	default:
		return q, "event type " + ev.InnerEvent.Type
	}
	switch {
	case m.typ == "message" && m.channelType != "im":
		return q, "message outside a DM"
	case m.subtype != "":
		return q, "message subtype " + m.subtype
	case m.botID != "" || m.user == "" || m.user == ownUser:
		return q, "message from a bot"
	case m.channel == "" || m.ts == "":
		return q, "no channel or ts"
	}
	q.text = queryText(stripMention(m.text, ownUser))
	q.user, q.channel, q.ts, q.threadTS = m.user, m.channel, m.ts, m.threadTS
	if q.threadTS == "" {
		q.threadTS = m.ts
	}
	q.dm = m.channelType == "im" || strings.HasPrefix(m.channel, "D")
	return q, ""
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

// answerer answers what is not answered in an acknowledgement: questions
// from events (chat.postMessage), button presses (response_url or
// chat.postEphemeral) and the maps that go with answers (file uploads).
type answerer struct {
	api       *slack.Client
	hc        *http.Client // for response_url posts, which are not Web API calls
	apiURL    *url.URL     // Config.APIURL: response_urls may point at its host
	canPost   bool         // a bot token is configured
	publicURL string       // Config.PublicURL
	h         bot.Handler
	log       *slog.Logger
	hooks     Hooks
	now       func() time.Time   // Config.Now
	rendered  *bot.Cache[[]byte] // slash-command answers and response_url bodies as rendered, by Reply.CacheKey
}

// renderedAnswers bounds the answers kept rendered, commands' and
// buttons': a few KB each.
const renderedAnswers = 512

func newAnswerer(cfg Config, api *slack.Client, h bot.Handler) *answerer {
	u, _ := url.Parse(cfg.APIURL) // nil (no response_url allowed there) if it does not parse
	return &answerer{
		api:       api,
		hc:        &http.Client{Timeout: postTimeout},
		apiURL:    u,
		canPost:   cfg.BotToken != "",
		publicURL: cfg.PublicURL,
		h:         h,
		log:       cfg.Logger,
		hooks:     cfg.Hooks,
		now:       cfg.Now,
		rendered:  bot.NewCache[[]byte](renderedAnswers),
	}
}

func newAPI(cfg Config, opts ...slack.Option) *slack.Client {
	opts = append([]slack.Option{
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(&http.Client{Timeout: postTimeout}),
	}, opts...)
	return slack.New(cfg.BotToken, opts...)
}

// command answers a slash command, over either transport: the reply, the
// payload that acknowledges the command (JSON), and whether the reply's
// map is to be uploaded after it. An answer with a cache key, the same
// words, data, day and audience as one rendered before, reuses its bytes,
// so that rendering runs once.
func (a *answerer) command(ctx context.Context, cmd slack.SlashCommand) (reply bot.Reply, payload []byte, upload bool) {
	reply = a.h.Handle(ctx, bot.Query{Text: queryText(cmd.Text), Platform: platform, Team: cmd.TeamID, User: cmd.UserID, Usage: usage})
	o, upload := a.mapOpts(reply, reply.Visibility == bot.Private)
	if key := reply.CacheKey; key != "" && !upload {
		payload = a.rendered.GetOrAdd(key, func() []byte { _, b := renderJSON(reply, o); return b })
	} else {
		_, payload = renderJSON(reply, o)
	}
	return reply, payload, upload
}

// answer asks the handler and posts the reply in the thread of the
// question: in a channel, a private reply goes to the asker alone. A map
// to upload is the answer itself, its alt text the message of the file;
// if it cannot be uploaded, the asker gets the text privately with why.
func (a *answerer) answer(ctx context.Context, q question, start time.Time) {
	ctx, cancel := context.WithTimeout(ctx, postTimeout)
	defer cancel()
	reply := a.h.Handle(ctx, bot.Query{Text: q.text, Platform: platform, Team: q.team, User: q.user, Usage: usage})
	o, upload := a.mapOpts(reply, reply.Visibility == bot.Private && !q.dm)
	if upload {
		err := a.upload(ctx, reply.Image, reply.Title, q.channel, q.threadTS)
		if err == nil {
			d := a.now().Sub(start)
			a.hooks.OnAnswered(string(reply.Kind), bot.OutcomeOK, d)
			a.log.Debug("slack: answered with a map", "channel", q.channel, "duration", d)
			return
		}
		say, reason := uploadProblem(err)
		a.log.Warn("slack: map not uploaded", "reason", reason, "channel", q.channel, "err", safeErr(err))
		o.noImage = say
		reply.Visibility = bot.Private // the why is for the asker
	}
	m, _ := renderMessage(reply, o)
	method := "chat.postMessage"
	var err error
	if reply.Visibility == bot.Private && !q.dm {
		method = "chat.postEphemeral"
		err = a.postEphemeral(ctx, q.channel, q.user, q.threadTS, m)
	} else {
		opts := msgOptions(m, q.threadTS)
		err = retry(ctx, func(ctx context.Context) error {
			_, _, err := a.api.PostMessageContext(ctx, q.channel, opts...)
			return err
		})
	}
	d := a.now().Sub(start)
	a.hooks.OnAnswered(string(reply.Kind), bot.DeliveryOutcome(err), d)
	if err != nil {
		a.log.Warn("slack: answer not posted", "method", method, "channel", q.channel, "kind", reply.Kind, "err", safeErr(err))
		return
	}
	a.log.Debug("slack: answered", "method", method, "channel", q.channel, "kind", reply.Kind, "duration", d)
}

// retry calls post until it succeeds, honouring Slack's 429 Retry-After and
// backing off on 5xx answers, but only within ctx's deadline: a wait that
// would outlast it gives up at once with the last error. Deadlines are on
// the system clock, so the waits are too.
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

package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// userAgent is the User-Agent Discord asks bots to send.
const userAgent = "DiscordBot (https://github.com/agreementbot/agreementbot, 1)"

// newSession returns a discordgo session for REST calls and the gateway,
// configured for this adapter: discordgo neither retries nor reconnects by
// itself (the adapter does both, within deadlines and with fatal errors
// recognised), keeps no state, and asks for no intents at all, privileged or
// not: application commands need none.
func newSession(cfg Config, client *http.Client) (*discordgo.Session, error) {
	s, err := discordgo.New(cfg.authorization())
	if err != nil {
		return nil, err
	}
	s.Client = client
	s.UserAgent = userAgent
	s.ShouldRetryOnRateLimit = false
	s.ShouldReconnectOnError = false
	s.ShouldReconnectVoiceOnSessionError = false
	s.StateEnabled = false
	s.Identify.Intents = discordgo.IntentsNone
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	s.LogLevel = discordgo.LogError
	return s, nil
}

// restOptions make a discordgo REST call honour ctx and leave a 429 to
// retry. (discordgo itself retries only a 502, at once, a few times.)
func restOptions(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{
		discordgo.WithContext(ctx),
		discordgo.WithRetryOnRatelimit(false),
	}
}

// maxAttempts bounds the calls retry makes.
const maxAttempts = 5

// errNoTime is wrapped in the error retry returns when Discord asked to
// wait longer than ctx allows.
var errNoTime = errors.New("no time left to wait before retrying")

// retry calls f until it succeeds, waiting as Discord asks after a 429
// (Retry-After) and backing off after a 5xx or a network error, for at most
// maxAttempts calls and never past ctx's deadline: when the wait would end
// after the deadline it gives up at once, so that an interaction reply is
// retried only within what is left of its 3 seconds.
func retry(ctx context.Context, f func(ctx context.Context) error) error {
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		wait, ok := retryAfter(err)
		if !ok || attempt == maxAttempts {
			return err
		}
		if wait < 0 {
			wait = backoff
			backoff *= 2
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("%w %v: %w", errNoTime, wait, err)
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

// retryAfter says whether err is worth retrying, and how long Discord
// asked to wait (negative: back off).
func retryAfter(err error) (time.Duration, bool) {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return max(rl.RetryAfter, 0), true
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		return -1, re.Response != nil && re.Response.StatusCode >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	var ne interface{ Timeout() bool }
	return -1, errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// isRateLimit reports whether err is, or ends in, a 429.
func isRateLimit(err error) bool {
	var rl *discordgo.RateLimitError
	return errors.As(err, &rl)
}

// describe turns an error from a REST call into one an operator can act
// on: the status and Discord's message, never a URL (an interaction
// callback URL holds the interaction's token) or a header.
func describe(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Response.StatusCode == http.StatusUnauthorized {
			return ErrInvalidToken
		}
		msg := "HTTP " + re.Response.Status
		if re.Message != nil && re.Message.Message != "" {
			msg += ": " + re.Message.Message
			if re.Message.Code != 0 {
				msg += " (code " + strconv.Itoa(re.Message.Code) + ")"
			}
		}
		if re.Response.StatusCode == http.StatusBadRequest && len(re.ResponseBody) > 0 {
			// Discord lists what it rejected in the body.
			msg += ": " + string(clipBytes(re.ResponseBody, 2000))
		}
		return errors.New(msg)
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.TooManyRequests != nil {
		if errors.Is(err, errNoTime) {
			return fmt.Errorf("rate limited by Discord: asked to wait %v, longer than the time left", rl.RetryAfter)
		}
		return fmt.Errorf("rate limited by Discord (retry after %v)", rl.RetryAfter)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request failed: %w", ue.Op, ue.Err)
	}
	return err
}

func clipBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// postCallback sends the response to an interaction, once; retry, with
// the interaction's deadline in ctx, decides whether to send it again.
//
// It does not use discordgo's InteractionRespond, because an interaction
// must be answered within 3 seconds and discordgo does not respect that:
// with ShouldRetryOnRateLimit it retries a 429 without limit inside the
// call, sleeping as long as Discord asks, and its rate limiter sleeps on a
// global limit without regard to any deadline, so one rate-limited answer
// could block far past the moment Discord gave up on it. Its limiter also
// keys buckets by the full callback URL, which holds the interaction's id
// and token, so every interaction would leave a bucket (and its token) in
// the session's map for the life of the process. Interaction callbacks
// are not bound by the bot's rate limits anyway.
func postCallback(ctx context.Context, client *http.Client, id, token, contentType string, body []byte) error {
	if !isSnowflake(id) || !isToken(token) {
		return errors.New("interaction without a valid id and token")
	}
	return post(ctx, client, discordgo.EndpointInteractionResponse(id, token), contentType, body)
}

// postFollowup posts a follow-up message for an interaction to its
// webhook, POST /webhooks/{application_id}/{token}, once; retry decides
// whether to send it again. It is not discordgo's FollowupMessageCreate,
// for the reasons postCallback gives: the URL holds the token, which
// discordgo's rate limiter would keep as a bucket key for the life of the
// process.
func postFollowup(ctx context.Context, client *http.Client, appID, token, contentType string, body []byte) error {
	if !isSnowflake(appID) || !isToken(token) {
		return errors.New("interaction without a valid application id and token")
	}
	return post(ctx, client, discordgo.EndpointWebhookToken(appID, token), contentType, body)
}

// post sends body to an interaction endpoint (whose URL holds the
// interaction's token, so errors never carry it).
func post(ctx context.Context, client *http.Client, endpoint, contentType string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return errors.New("building the request failed")
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err // the URL holds the token
		}
		return err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests:
		return &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
			TooManyRequests: &discordgo.TooManyRequests{RetryAfter: parseRetryAfter(resp.Header, rb)},
		}}
	}
	re := &discordgo.RESTError{Response: resp, ResponseBody: rb}
	var m discordgo.APIErrorMessage
	if json.Unmarshal(rb, &m) == nil {
		re.Message = &m
	}
	return re
}

// parseRetryAfter reads how long a 429 asks to wait: retry_after in the
// JSON body (seconds, fractional), else the Retry-After header (seconds).
func parseRetryAfter(h http.Header, body []byte) time.Duration {
	var tm discordgo.TooManyRequests
	if json.Unmarshal(body, &tm) == nil && tm.RetryAfter > 0 {
		return tm.RetryAfter
	}
	if f, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && f > 0 && f < 1e6 {
		return time.Duration(f * float64(time.Second))
	}
	return time.Second
}

// isToken reports whether s can be an interaction token: URL-safe
// characters only, so it cannot change the callback URL's path.
func isToken(s string) bool {
	if s == "" || len(s) > 1024 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

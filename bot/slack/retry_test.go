package slack

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func postVia(f *fakeSlack) func(context.Context) error {
	api := newAPI(f.config())
	return func(ctx context.Context) error {
		_, _, err := api.PostMessageContext(ctx, fakeChannel, slack.MsgOptionText("hi", false))
		return err
	}
}

func (f *fakeSlack) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.chatCalls
}

// TestRetryBacksOffOn5xx: the real client gets two 503s, then success.
func TestRetryBacksOffOn5xx(t *testing.T) {
	f := newFakeSlack(t)
	f.chatFailures = []string{"503", "503"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := retry(ctx, postVia(f)); err != nil {
		t.Fatalf("retry = %v, want success after two 503s", err)
	}
	if got := f.calls(); got != 3 {
		t.Errorf("%d calls, want 3", got)
	}
}

// TestRetryHonoursRetryAfterWithinDeadline: a 429 whose Retry-After fits
// in what is left of the deadline is waited out and retried.
func TestRetryHonoursRetryAfterWithinDeadline(t *testing.T) {
	f := newFakeSlack(t)
	f.chatFailures = []string{"429:1"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := retry(ctx, postVia(f)); err != nil || f.calls() != 2 {
		t.Fatalf("retry = %v after %d calls, want success on the 2nd", err, f.calls())
	}
}

// TestRetryGivesUpWhenRetryAfterOutlastsDeadline: waiting 30 s would miss
// the deadline, so it returns the rate-limit error at once, with the
// context still live (it did not sit out the deadline).
func TestRetryGivesUpWhenRetryAfterOutlastsDeadline(t *testing.T) {
	f := newFakeSlack(t)
	f.chatFailures = []string{"429:30"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := retry(ctx, postVia(f))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Fatalf("retry = %v, want the 429 with Retry-After 30s", err)
	}
	if ctx.Err() != nil {
		t.Error("retry waited until the deadline instead of giving up")
	}
	if f.calls() != 1 {
		t.Errorf("%d calls, want 1", f.calls())
	}
}

// TestRetryStopsOnClientErrors: an API error is not retried.
func TestRetryStopsOnClientErrors(t *testing.T) {
	f := newFakeSlack(t)
	cfg := f.config()
	cfg.BotToken = "xoxb-wrong"
	api := newAPI(cfg)
	err := retry(context.Background(), func(ctx context.Context) error {
		_, _, err := api.PostMessageContext(ctx, fakeChannel, slack.MsgOptionText("hi", false))
		return err
	})
	if err == nil || f.calls() != 1 {
		t.Errorf("retry = %v after %d calls, want invalid_auth after 1", err, f.calls())
	}
}

package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/agreementbot/agreementbot/bot/console"
	"github.com/agreementbot/agreementbot/internal/testkit"
	"github.com/agreementbot/agreementbot/knowledge"
)

// TestTranscript replays a session against the real store and compares the
// whole screen with testdata/transcript.golden.
func TestTranscript(t *testing.T) {
	store, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Join([]string{"/agreement uganda", "ugnada", "list refused", "", "France", "xyzzy", "from cuba", "quit", "never read"}, "\n")
	var out bytes.Buffer
	if err := console.Run(context.Background(), bot.New(store, bot.Options{Version: "test", Now: func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }}), strings.NewReader(in), &out, console.Options{Banner: "banner"}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, "never read") {
		t.Error("input after quit was answered")
	}
	testkit.Golden(t, "testdata/transcript.golden", []byte(got))
}

func TestLongLineIsRefusedPolitely(t *testing.T) {
	var asked []string
	h := bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
		asked = append(asked, q.Text)
		return bot.Reply{Kind: bot.KindHelp, Title: "answer to " + q.Text}
	})
	in := strings.Repeat("x", 10000) + "\nuganda\n"
	var out bytes.Buffer
	if err := console.Run(context.Background(), h, strings.NewReader(in), &out, console.Options{}); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0] != "uganda" {
		t.Errorf("handler asked %q, want only uganda", asked)
	}
	if !strings.Contains(out.String(), "longer than 4096 bytes") || !strings.Contains(out.String(), "answer to uganda") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestStopsOnContextCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- console.Run(ctx, bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply { return bot.Reply{} }), pr, io.Discard, console.Options{})
	}()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil on cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel while input was still open")
	}
}

func TestMapIsSaved(t *testing.T) {
	img := &bot.Image{Name: "agreement-map-world.png", PNG: []byte("\x89PNG"), Alt: "Map of 3 countries"}
	h := bot.HandlerFunc(func(context.Context, bot.Query) bot.Reply {
		return bot.Reply{Kind: bot.KindMap, Title: "Map", Summary: img.Alt, Image: img}
	})
	var saved *bot.Image
	var out bytes.Buffer
	err := console.Run(context.Background(), h, strings.NewReader("map\n"), &out, console.Options{SaveImage: func(i *bot.Image) (string, error) {
		saved = i
		return "/tmp/x/" + i.Name, nil
	}})
	if err != nil || saved != img || !strings.Contains(out.String(), "Map saved to /tmp/x/agreement-map-world.png") || !strings.Contains(out.String(), "Map of 3 countries") {
		t.Errorf("map in the console: %v, saved %v\n%s", err, saved != nil, out.String())
	}
}

// Command ceiling is the load test's reference point: a bare net/http
// server that only verifies Slack's and Discord's request signatures with
// the standard library and returns a fixed reply. It parses nothing, looks
// nothing up and renders nothing, so its throughput is the most a Go HTTP
// server doing the same verification can reach on this machine; bench/load.sh
// compares agreementbot serve against it.
//
// It reads the same variables as agreementbot serve: HTTP_ADDR (default
// 127.0.0.1:0), SLACK_SIGNING_SECRET (enables POST /slack/commands) and
// DISCORD_PUBLIC_KEY (enables POST /discord/interactions); MAX_BODY_BYTES
// bounds request bodies (default 65536). GET /healthz always answers.
// Once listening it prints "listening on HOST:PORT" on standard output.
//
// CEILING_REPLY_FILE replaces the fixed reply of both routes with the
// contents of a file. load.sh uses it for one diagnostic run with the bot's
// own reply, to separate what sending a large answer costs from what the
// bot's own work costs.
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

const maxSkew = 5 * time.Minute

var (
	slackReply   = []byte(`{"response_type":"ephemeral","text":"ok"}`)
	discordReply = []byte(`{"type":4,"data":{"content":"ok"}}`)
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ceiling: ")
	addr := env("HTTP_ADDR", "127.0.0.1:0")
	maxBody, err := strconv.ParseInt(env("MAX_BODY_BYTES", "65536"), 10, 64)
	if err != nil || maxBody < 1 {
		log.Fatalf("MAX_BODY_BYTES: want a positive number of bytes")
	}

	if f := os.Getenv("CEILING_REPLY_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatalf("CEILING_REPLY_FILE: %v", err)
		}
		slackReply, discordReply = b, b
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	if s := os.Getenv("SLACK_SIGNING_SECRET"); s != "" {
		mux.Handle("POST /slack/commands", slackHandler([]byte(s), maxBody))
	}
	if k := os.Getenv("DISCORD_PUBLIC_KEY"); k != "" {
		pub, err := hex.DecodeString(k)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			log.Fatalf("DISCORD_PUBLIC_KEY: want %d hex characters", 2*ed25519.PublicKeySize)
		}
		mux.Handle("POST /discord/interactions", discordHandler(ed25519.PublicKey(pub), maxBody))
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	fmt.Printf("listening on %s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// readBody reads the whole body, at most limit bytes; ok is false when it
// has answered already.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, tooBig := err.(*http.MaxBytesError); tooBig {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	return body, true
}

// reply writes a fixed JSON reply with its length, so that net/http need
// not switch to chunked encoding when it is large.
func reply(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// slackHandler verifies Slack's v0 signature as Slack documents it
// (https://api.slack.com/authentication/verifying-requests-from-slack):
// HMAC-SHA256 keyed with the signing secret over "v0:" + timestamp + ":" +
// body, hex-encoded after "v0=", compared in constant time, with the
// timestamp within five minutes of now.
func slackHandler(secret []byte, limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, limit)
		if !ok {
			return
		}
		ts := r.Header.Get("X-Slack-Request-Timestamp")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if d := time.Since(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("v0:" + ts + ":"))
		mac.Write(body)
		want := "v0=" + hex.EncodeToString(mac.Sum(nil))
		if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Slack-Signature"))) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		reply(w, slackReply)
	}
}

// discordHandler verifies Discord's Ed25519 signature (header
// X-Signature-Ed25519, hex) over X-Signature-Timestamp + body with
// crypto/ed25519.
func discordHandler(pub ed25519.PublicKey, limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readBody(w, r, limit)
		if !ok {
			return
		}
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		if err != nil || len(sig) != ed25519.SignatureSize {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		msg := append([]byte(r.Header.Get("X-Signature-Timestamp")), body...)
		if !ed25519.Verify(pub, msg, sig) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		reply(w, discordReply)
	}
}

package discord

import (
	"encoding/hex"
	"errors"
	"strings"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// verifyOptions select curve25519-voi's standard-library-compatible rules, so
// verify accepts exactly the signatures crypto/ed25519 accepts (cofactorless,
// canonical S, non-canonical and small-order public keys allowed); the
// differential fuzz test FuzzVerifyMatchesStdlib checks that.
var verifyOptions = &ed25519.Options{Verify: ed25519.VerifyOptionsStdLib}

// publicKey is an application's public key, expanded once at start-up:
// the precomputed tables make each verification about twice as fast as
// crypto/ed25519, which matters because every request to the interactions
// endpoint must be verified and results may never be cached.
type publicKey = ed25519.ExpandedPublicKey

// CheckPublicKey reports whether hexKey can verify Discord's signatures:
// 64 hex characters that decode to a point on the curve. crypto/ed25519
// takes any 32 bytes as a key and only fails every verification later, so
// the program calls this while loading its configuration, to report a
// mistyped key with every other configuration error instead of answering
// each request with 401.
func CheckPublicKey(hexKey string) error {
	_, err := parsePublicKey(strings.TrimSpace(hexKey))
	return err
}

// parsePublicKey decodes the hex public key from the developer portal.
func parsePublicKey(hexKey string) (*publicKey, error) {
	raw, err := hex.DecodeString(hexKey)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("must be 64 hex characters (the application's public key from the developer portal)")
	}
	k, err := ed25519.NewExpandedPublicKey(raw)
	if err != nil {
		return nil, errors.New("is not a valid Ed25519 public key (not a point on the curve): copy it again from the developer portal")
	}
	return k, nil
}

// verify reports whether sig is a valid Ed25519 signature of msg by pub.
// Discord signs timestamp+body; the caller builds msg.
func verify(pub *publicKey, msg, sig []byte) bool {
	if pub == nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.VerifyExpandedWithOptions(pub, msg, sig, verifyOptions)
}

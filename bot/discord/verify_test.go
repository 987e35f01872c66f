package discord

import (
	stded25519 "crypto/ed25519"
	"crypto/sha512"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

func unhexT(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rfc8032 holds test vectors from RFC 8032 section 7.1 (Ed25519).
var rfc8032 = []struct{ name, secret, public, message, signature string }{
	{"TEST 1",
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2",
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3",
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		"af82",
		"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST SHA(abc)",
		"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		"", // SHA-512("abc"), filled in by rfcMessage
		"dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
}

func rfcMessage(t testing.TB, i int) []byte {
	if rfc8032[i].name == "TEST SHA(abc)" {
		h := sha512.Sum512([]byte("abc"))
		return h[:]
	}
	return unhexT(t, rfc8032[i].message)
}

func TestVerifyRFC8032(t *testing.T) {
	for i, v := range rfc8032 {
		t.Run(v.name, func(t *testing.T) {
			msg, sig := rfcMessage(t, i), unhexT(t, v.signature)
			// The vector is what it says: the key pair signs msg to sig.
			priv := stded25519.NewKeyFromSeed(unhexT(t, v.secret))
			if got := hex.EncodeToString(priv.Public().(stded25519.PublicKey)); got != v.public {
				t.Fatalf("public key from the secret = %s, want %s", got, v.public)
			}
			if got := hex.EncodeToString(stded25519.Sign(priv, msg)); got != v.signature {
				t.Fatalf("signature = %s, want %s", got, v.signature)
			}
			k, err := parsePublicKey(v.public)
			if err != nil {
				t.Fatal(err)
			}
			if !verify(k, msg, sig) {
				t.Errorf("verify rejects the RFC 8032 signature")
			}
			for _, bad := range [][]byte{
				flip(sig, 0), flip(sig, 63), sig[:63], append(sig[:64:64], 0),
				addL(sig), nil,
			} {
				if verify(k, msg, bad) {
					t.Errorf("verify accepts the altered signature %x", bad)
				}
			}
			if verify(k, append(msg[:len(msg):len(msg)], 0), sig) {
				t.Errorf("verify accepts another message")
			}
			other, _ := parsePublicKey(rfc8032[(i+1)%len(rfc8032)].public)
			if verify(other, msg, sig) {
				t.Errorf("verify accepts the signature for another key")
			}
		})
	}
	if verify(nil, nil, make([]byte, 64)) {
		t.Errorf("verify accepts with no key")
	}
}

func TestParsePublicKey(t *testing.T) {
	for _, bad := range []string{"", "zz", "d75a98", rfc8032[0].public + "00", rfc8032[0].public[:63] + "g",
		"0200000000000000000000000000000000000000000000000000000000000000", // not a point
	} {
		if _, err := parsePublicKey(bad); err == nil {
			t.Errorf("parsePublicKey(%q) accepted it", bad)
		}
		if err := CheckPublicKey(bad); err == nil {
			t.Errorf("CheckPublicKey(%q) accepted it", bad)
		}
	}
	for _, v := range rfc8032 {
		if err := CheckPublicKey(" " + v.public + "\n"); err != nil {
			t.Errorf("CheckPublicKey(%q) = %v", v.public, err)
		}
	}
	err := CheckPublicKey("02" + strings.Repeat("0", 62))
	if err == nil || !strings.Contains(err.Error(), "not a point on the curve") {
		t.Errorf("CheckPublicKey(02 and 62 zeros) = %v, want it named not a point", err)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

// order is the order L of the Ed25519 base point, little-endian.
var order = [32]byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}

// addL returns sig with L added to S: the same S modulo L, but not
// canonical, which both verifiers must reject (malleability).
func addL(sig []byte) []byte {
	c := append([]byte(nil), sig...)
	carry := 0
	for i := range 32 {
		s := int(c[32+i]) + int(order[i]) + carry
		c[32+i], carry = byte(s), s>>8
	}
	return c
}

// smallOrder lists encodings of the points of small order, including
// non-canonical ones.
var smallOrder = []string{
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // non-canonical
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // non-canonical
}

// speccheck holds the cases of "Taming the many EdDSAs" (Chalkias, Garillot,
// Nikolaenko, 2020), github.com/novifinancial/ed25519-speccheck
// scripts/cases.json: small-order keys and R, non-canonical encodings, S
// out of range. message, public key, signature.
var speccheck = [][3]string{
	{"8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000"},
	{"9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"},
	{"aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab", "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e"},
	{"9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79", "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d", "9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009"},
	{"e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c", "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d", "160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09"},
	{"e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c", "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d", "21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405"},
	{"85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40", "442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623", "e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514"},
	{"85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40", "442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623", "8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22"},
	{"9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41", "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f"},
	{"9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41", "f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908"},
	{"e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"},
	{"39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04"},
}

// sameAsStdlib fails t unless verify and crypto/ed25519 agree on
// (pub, msg, sig).
func sameAsStdlib(t testing.TB, pub, msg, sig []byte) {
	t.Helper()
	if len(pub) != stded25519.PublicKeySize {
		return // crypto/ed25519 panics; verify never sees such keys
	}
	want := stded25519.Verify(pub, msg, sig)
	k, err := ed25519.NewExpandedPublicKey(pub)
	if err != nil {
		if want {
			t.Fatalf("crypto/ed25519 accepts a signature by %x, which curve25519-voi cannot expand: %v", pub, err)
		}
		return
	}
	if got := verify(k, msg, sig); got != want {
		t.Fatalf("verify(%x, %x, %x) = %v, crypto/ed25519 says %v", pub, msg, sig, got, want)
	}
}

// verifySeeds are the fuzz seeds: the RFC vectors and their mutations,
// the speccheck cases, and signatures under small-order keys.
func verifySeeds(t testing.TB) [][3][]byte {
	var seeds [][3][]byte
	for i, v := range rfc8032 {
		pub, msg, sig := unhexT(t, v.public), rfcMessage(t, i), unhexT(t, v.signature)
		seeds = append(seeds, [3][]byte{pub, msg, sig}, [3][]byte{pub, msg, addL(sig)},
			[3][]byte{pub, msg, flip(sig, 5)}, [3][]byte{pub, msg, flip(sig, 40)},
			[3][]byte{pub, append([]byte("x"), msg...), sig})
	}
	for _, c := range speccheck {
		seeds = append(seeds, [3][]byte{unhexT(t, c[1]), unhexT(t, c[0]), unhexT(t, c[2])})
	}
	identity := unhexT(t, smallOrder[0])
	for _, p := range smallOrder {
		pub := unhexT(t, p)
		// R = identity, S = 0: valid under a small-order key for any message.
		sig := append(append([]byte(nil), identity...), make([]byte, 32)...)
		seeds = append(seeds, [3][]byte{pub, []byte("hello"), sig}, [3][]byte{pub, nil, append(pub[:32:32], make([]byte, 32)...)})
	}
	return seeds
}

func TestVerifyMatchesStdlib(t *testing.T) {
	for _, s := range verifySeeds(t) {
		sameAsStdlib(t, s[0], s[1], s[2])
	}
}

func FuzzVerifyMatchesStdlib(f *testing.F) {
	for _, s := range verifySeeds(f) {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		sameAsStdlib(t, pub, msg, sig)
	})
}

func BenchmarkVerify(b *testing.B) {
	pub, priv, _ := stded25519.GenerateKey(nil)
	msg := append([]byte("1700000000"), make([]byte, 2000)...)
	sig := stded25519.Sign(priv, msg)
	b.Run("voi-expanded", func(b *testing.B) {
		k, err := ed25519.NewExpandedPublicKey(ed25519.PublicKey(pub))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if !verify(k, msg, sig) {
				b.Fatal("rejected")
			}
		}
	})
	b.Run("crypto-ed25519", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !stded25519.Verify(pub, msg, sig) {
				b.Fatal("rejected")
			}
		}
	})
}

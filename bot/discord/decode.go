package discord

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// decodePress decodes an interaction as decodeInteraction does, except
// that of the message a button press comes with it keeps only the flags,
// which is all the adapter reads of it (whether the message is the
// person's own ephemeral one). Discord sends the whole message, embeds and
// buttons, and discordgo decodes its components and embeds in several
// nested passes: for a short card that was more than half the cost of
// answering the press. The message is cut out of the body by a scan of the
// top-level object, and its flags read by another; discordgo decodes the
// rest as usual, and any body the scans do not follow whole.
func decodePress(body []byte) (*discordgo.Interaction, error) {
	if !bytes.Contains(body, []byte(`"message"`)) {
		return decodeInteraction(body)
	}
	start, end, ok := topLevelValue(body, "message")
	if !ok || start < 0 {
		return decodeInteraction(body)
	}
	flags, ok := messageFlags(body[start:end])
	if !ok {
		return decodeInteraction(body)
	}
	small := make([]byte, 0, len(body)-(end-start)+32)
	small = append(small, body[:start]...)
	small = append(small, `{"flags":`...)
	small = strconv.AppendInt(small, int64(flags), 10)
	small = append(small, '}')
	small = append(small, body[end:]...)
	return decodeInteraction(small)
}

// messageFlags reads the flags of a message object (or null), as
// encoding/json would into discordgo.Message.Flags; ok is false for
// anything it does not read the same way.
func messageFlags(msg []byte) (discordgo.MessageFlags, bool) {
	if string(msg) == "null" {
		return 0, true
	}
	start, end, ok := topLevelValue(msg, "flags")
	switch {
	case !ok:
		return 0, false
	case start < 0:
		return 0, true
	}
	v := string(msg[start:end])
	if v == "null" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || v[0] == '+' || strings.HasPrefix(strings.TrimPrefix(v, "-"), "0") && len(strings.TrimPrefix(v, "-")) > 1 {
		return 0, false // not as JSON writes an integer
	}
	return discordgo.MessageFlags(n), true
}

// topLevelValue finds the value of key in the JSON object body, by a scan
// that skips every value without decoding it: body[start:end] is the value
// (the last of its keys, matched without regard to case, as
// encoding/json matches and takes them), or start is -1 when key is not a
// key of body. ok is false when body is not an object the scan can follow
// to its end, or a key has an escape; the scan does not validate the
// values: the decoding afterwards does.
func topLevelValue(body []byte, key string) (start, end int, ok bool) {
	start, end = -1, -1
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return 0, 0, false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return start, end, skipSpace(body, i+1) == len(body)
	}
	for {
		if i >= len(body) || body[i] != '"' {
			return 0, 0, false
		}
		kEnd, ok := skipValue(body, i)
		if !ok {
			return 0, 0, false
		}
		k := body[i+1 : kEnd-1]
		if bytes.IndexByte(k, '\\') >= 0 {
			return 0, 0, false
		}
		i = skipSpace(body, kEnd)
		if i >= len(body) || body[i] != ':' {
			return 0, 0, false
		}
		i = skipSpace(body, i+1)
		vEnd, ok := skipValue(body, i)
		if !ok {
			return 0, 0, false
		}
		if bytes.EqualFold(k, []byte(key)) {
			start, end = i, vEnd
		}
		i = skipSpace(body, vEnd)
		switch {
		case i < len(body) && body[i] == ',':
			i = skipSpace(body, i+1)
		case i < len(body) && body[i] == '}':
			return start, end, skipSpace(body, i+1) == len(body)
		default:
			return 0, 0, false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns where the JSON value starting at b[i] ends: after a
// string's closing quote, an object's or array's closing bracket, or the
// last character of a number or literal.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, true
			}
		}
		return 0, false
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			case '"':
				end, ok := skipValue(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			}
		}
		return 0, false
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j, j > i
}

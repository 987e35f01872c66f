package slack

// This file reads an interaction's payload with slack-go, but for the
// pressed message's own content.

import (
	"bytes"
	"encoding/json"

	"github.com/slack-go/slack"
)

// parseInteraction reads an interaction payload with slack-go's types:
// InteractionCallback, and BlockAction for the actions. Two members are
// cut out of the payload first and read on their own, because slack-go's
// way with them cost more than all the rest of answering a press:
//
//   - the pressed message comes back whole, blocks and all; it is the
//     bot's own answer, and the bot needs only its ts and thread_ts, not
//     its blocks decoded into slack-go's block types;
//   - the actions are decoded by ActionCallbacks into maps, then again
//     into BlockAction or AttachmentAction; here they are decoded into
//     BlockAction at once (the bot's buttons are block actions).
//
// A payload that cannot be cut (not a JSON object, say) is handed to
// slack-go whole, which refuses it or reads it.
func parseInteraction(payload []byte) (slack.InteractionCallback, error) {
	var ic slack.InteractionCallback
	rest, cut, ok := cutMembers(payload, "message", "actions")
	if !ok {
		err := json.Unmarshal(payload, &ic)
		return ic, err
	}
	var m struct {
		Timestamp       string `json:"ts"`
		ThreadTimestamp string `json:"thread_ts"`
	}
	if msg := cut[0]; msg != nil {
		if err := readMessage(msg, &m.Timestamp, &m.ThreadTimestamp); err != nil {
			return ic, err
		}
	}
	var actions []*slack.BlockAction
	if acts := cut[1]; acts != nil {
		if err := json.Unmarshal(acts, &actions); err != nil {
			return ic, err
		}
	}
	if err := json.Unmarshal(rest, &ic); err != nil {
		return ic, err
	}
	ic.Message.Timestamp, ic.Message.ThreadTimestamp = m.Timestamp, m.ThreadTimestamp
	ic.ActionCallback.BlockActions = actions
	return ic, nil
}

// readMessage reads the ts and thread_ts of the pressed message, msg. The
// rest of the message, the bot's own blocks, is neither decoded nor checked
// (the payload is signed by Slack): reading it with encoding/json even into
// two strings scanned it twice. What the scanner cannot read, encoding/json
// reads or refuses.
func readMessage(msg []byte, ts, threadTS *string) error {
	_, vals, ok := cutMembers(msg, "ts", "thread_ts")
	if !ok {
		var m struct {
			Timestamp       string `json:"ts"`
			ThreadTimestamp string `json:"thread_ts"`
		}
		err := json.Unmarshal(msg, &m)
		*ts, *threadTS = m.Timestamp, m.ThreadTimestamp
		return err
	}
	for i, dst := range []*string{ts, threadTS} {
		if vals[i] == nil || string(vals[i]) == "null" {
			continue
		}
		if err := json.Unmarshal(vals[i], dst); err != nil {
			return err
		}
	}
	return nil
}

// cutMembers finds the members named keys (written plainly, without
// escapes; the first of each name) at the top level of the JSON object
// data. It returns data with their values replaced by null, and the values
// in the order of keys (nil for a member not there). ok is false when data
// is not an object it can scan; it does not validate what it skips: the
// decoders that read the results do.
func cutMembers(data []byte, keys ...string) (rest []byte, values [][]byte, ok bool) {
	values = make([][]byte, len(keys))
	type span struct{ start, stop int }
	var spans []span // in the order they appear
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, nil, false
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] != '}' {
		if data[i] != '"' {
			return nil, nil, false
		}
		end := skipString(data, i)
		if end < 0 {
			return nil, nil, false
		}
		name := data[i+1 : end-1]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return nil, nil, false
		}
		start := skipSpace(data, i+1)
		stop := skipValue(data, start)
		if stop < 0 {
			return nil, nil, false
		}
		for k, key := range keys {
			if values[k] == nil && string(name) == key {
				values[k] = data[start:stop]
				spans = append(spans, span{start, stop})
			}
		}
		i = skipSpace(data, stop)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
			if i < len(data) && data[i] == '}' {
				return nil, nil, false // a trailing comma
			}
		} else if i >= len(data) || data[i] != '}' {
			return nil, nil, false
		}
	}
	if i >= len(data) {
		return nil, nil, false
	}
	rest = make([]byte, 0, len(data)+4*len(spans))
	last := 0
	for _, sp := range spans {
		rest = append(append(rest, data[last:sp.start]...), "null"...)
		last = sp.stop
	}
	return append(rest, data[last:]...), values, true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at
// data[i] (a quote), or -1 if it does not end.
func skipString(data []byte, i int) int {
	for j := i + 1; j < len(data); {
		k := bytes.IndexAny(data[j:], `"\`)
		if k < 0 {
			return -1
		}
		j += k
		if data[j] == '"' {
			return j + 1
		}
		j += 2 // a backslash and the byte it escapes
	}
	return -1
}

// skipValue returns the index just past the value that starts at data[i],
// or -1 if there is none: a string, an object or array (counting nesting,
// strings skipped whole), or a literal up to the next delimiter.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipString(data, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	case ',', '}', ']', ':':
		return -1
	}
	j := i
	for ; j < len(data); j++ {
		switch data[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
	}
	return j
}

package discord

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// interaction is the part of an interaction the adapter uses. The HTTP
// endpoint fills it with parseInteraction; the gateway converts the
// *discordgo.Interaction that discordgo has already decoded.
type interaction struct {
	Type    discordgo.InteractionType
	ID      string
	Token   string
	GuildID string
	UserID  string // member.user.id in a guild, user.id elsewhere
	Command string // data.name
	Query   string // the value of the "query" option, "" when absent
	Focused bool   // the "query" option has focus (autocomplete)
}

// queryOption is the name of the one option of the agreement command.
const queryOption = "query"

// fromDiscordgo converts an interaction decoded by discordgo.
func fromDiscordgo(i *discordgo.Interaction) interaction {
	in := interaction{Type: i.Type, ID: i.ID, Token: i.Token, GuildID: i.GuildID}
	switch {
	case i.Member != nil && i.Member.User != nil:
		in.UserID = i.Member.User.ID
	case i.User != nil:
		in.UserID = i.User.ID
	}
	// Switch on the type first: ApplicationCommandData panics on others.
	if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		return in
	}
	d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return in
	}
	in.Command = d.Name
	for _, o := range d.Options {
		if o == nil || o.Name != queryOption {
			continue
		}
		s, ok := o.Value.(string)
		if !ok {
			continue
		}
		in.Query, in.Focused = s, o.Focused
	}
	return in
}

// errSyntax reports a body that is not one valid JSON object.
var errSyntax = errors.New("discord: interaction is not valid JSON")

// maxDepth matches encoding/json's nesting limit, so that parseInteraction
// accepts exactly the documents json.Valid accepts.
const maxDepth = 10000

// parseInteraction decodes the fields the adapter needs from an interaction
// body and validates the rest of the document without decoding it.
//
// encoding/json spends 12 µs on a typical 2 KB guild interaction on the
// reference machine, more than the whole per-interaction budget; this
// single pass takes a fraction of that. Semantics are those of decoding
// into a map with encoding/json: exact key matches, the last duplicate
// wins, and a value of the wrong type counts as absent. FuzzParseInteraction
// checks it against exactly that.
func parseInteraction(b []byte) (interaction, error) {
	s := scanner{b: b}
	var in interaction
	var memberUser, user string
	s.ws()
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			in.Type, err = s.smallInt()
		case "id":
			in.ID, err = s.stringOrSkip()
		case "token":
			in.Token, err = s.stringOrSkip()
		case "guild_id":
			in.GuildID, err = s.stringOrSkip()
		case "member":
			memberUser = ""
			if !s.peek('{') {
				return s.skip()
			}
			return s.object(func(key []byte) error {
				if string(key) != "user" {
					return s.skip()
				}
				memberUser, err = s.userID()
				return err
			})
		case "user":
			user, err = s.userID()
		case "data":
			in.Command, in.Query, in.Focused = "", "", false
			if !s.peek('{') {
				return s.skip()
			}
			return s.object(func(key []byte) error {
				switch string(key) {
				case "name":
					in.Command, err = s.stringOrSkip()
					return err
				case "options":
					in.Query, in.Focused, err = s.options()
					return err
				}
				return s.skip()
			})
		default:
			err = s.skip()
		}
		return err
	})
	if err != nil {
		return interaction{}, err
	}
	s.ws()
	if s.i != len(s.b) {
		return interaction{}, errSyntax
	}
	in.UserID = memberUser
	if in.UserID == "" {
		in.UserID = user
	}
	return in, nil
}

// scanner walks a JSON document. Its methods start at a value (after
// whitespace) and leave the position after it and the whitespace that
// follows.
type scanner struct {
	b     []byte
	i     int
	depth int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

// object walks an object, calling member with each key (decoded, and
// valid only during the call) positioned at its value; member must consume
// the value.
func (s *scanner) object(member func(key []byte) error) error {
	if !s.peek('{') {
		return errSyntax
	}
	s.depth++
	if s.depth > maxDepth {
		return errSyntax
	}
	s.i++
	s.ws()
	if s.peek('}') {
		s.i++
		s.depth--
		s.ws()
		return nil
	}
	for {
		key, err := s.key()
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		if s.i >= len(s.b) {
			return errSyntax
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			s.depth--
			s.ws()
			return nil
		default:
			return errSyntax
		}
	}
}

// key reads an object key and the colon after it. Keys are compared, not
// kept, so an unescaped key is returned in place, without a copy.
func (s *scanner) key() ([]byte, error) {
	if !s.peek('"') {
		return nil, errSyntax
	}
	start := s.i
	if err := s.skipString(); err != nil {
		return nil, err
	}
	k := s.b[start+1 : s.i]
	for len(k) > 0 && k[len(k)-1] != '"' {
		k = k[:len(k)-1] // the whitespace after the key
	}
	k = k[:len(k)-1]
	for _, c := range k {
		if c == '\\' || c >= utf8.RuneSelf {
			// Rare: decode escapes (and invalid UTF-8) as encoding/json does.
			var v string
			if err := json.Unmarshal(s.b[start:s.i], &v); err != nil {
				return nil, errSyntax
			}
			k = []byte(v)
			break
		}
	}
	if !s.peek(':') {
		return nil, errSyntax
	}
	s.i++
	s.ws()
	return k, nil
}

// array walks an array, calling elem positioned at each element.
func (s *scanner) array(elem func() error) error {
	if !s.peek('[') {
		return errSyntax
	}
	s.depth++
	if s.depth > maxDepth {
		return errSyntax
	}
	s.i++
	s.ws()
	if s.peek(']') {
		s.i++
		s.depth--
		s.ws()
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if s.i >= len(s.b) {
			return errSyntax
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.ws()
		case ']':
			s.i++
			s.depth--
			s.ws()
			return nil
		default:
			return errSyntax
		}
	}
}

// userID reads a user object's id: "" for null or a value of another type.
func (s *scanner) userID() (string, error) {
	if !s.peek('{') {
		return "", s.skip()
	}
	id := ""
	err := s.object(func(key []byte) error {
		if string(key) != "id" {
			return s.skip()
		}
		var err error
		id, err = s.stringOrSkip()
		return err
	})
	return id, err
}

// options reads data.options: the value of the "query" string option and
// whether it has focus.
func (s *scanner) options() (query string, focused bool, err error) {
	if !s.peek('[') {
		return "", false, s.skip()
	}
	err = s.array(func() error {
		if !s.peek('{') {
			return s.skip()
		}
		var name, value string
		var isString, foc bool
		err := s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "name":
				name, err = s.stringOrSkip()
			case "value":
				isString = s.peek('"')
				value, err = s.stringOrSkip()
			case "focused":
				foc, err = s.boolOrSkip()
			default:
				err = s.skip()
			}
			return err
		})
		if err == nil && name == queryOption && isString {
			query, focused = value, foc
		}
		return err
	})
	return query, focused, err
}

// stringOrSkip reads a string value, or skips a value of another type and
// returns "".
func (s *scanner) stringOrSkip() (string, error) {
	if !s.peek('"') {
		return "", s.skip()
	}
	return s.str()
}

func (s *scanner) boolOrSkip() (bool, error) {
	if s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "true" {
		return true, s.skip()
	}
	return false, s.skip()
}

// smallInt reads the interaction type: a number that is a whole number
// from 0 to 255, or 0 for anything else.
func (s *scanner) smallInt() (discordgo.InteractionType, error) {
	start := s.i
	if s.i >= len(s.b) || (s.b[s.i] != '-' && (s.b[s.i] < '0' || s.b[s.i] > '9')) {
		return 0, s.skip()
	}
	if err := s.number(); err != nil {
		return 0, err
	}
	lit := s.b[start:s.i]
	for len(lit) > 0 && isSpace(lit[len(lit)-1]) {
		lit = lit[:len(lit)-1]
	}
	n := 0
	for _, c := range lit {
		if c < '0' || c > '9' || n > 255 {
			n = -1
			break
		}
		n = n*10 + int(c-'0')
	}
	if n < 0 {
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil || f != float64(int(f)) {
			return 0, nil
		}
		n = int(f)
	}
	if n < 0 || n > 255 {
		return 0, nil
	}
	return discordgo.InteractionType(n), nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// str reads a string and returns its decoded value. Strings without
// escapes and with valid UTF-8, nearly all of them, are copied directly;
// the rest are decoded by encoding/json so that escapes, surrogates and
// invalid bytes are handled exactly as it handles them.
func (s *scanner) str() (string, error) {
	start := s.i
	s.i++ // the opening quote
	escaped := false
	ascii := true
	for {
		if s.i >= len(s.b) {
			return "", errSyntax
		}
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := s.b[start+1 : s.i]
			s.i++
			s.ws()
			if !escaped && (ascii || utf8.Valid(raw)) {
				return string(raw), nil
			}
			var v string
			if err := json.Unmarshal(s.b[start:s.i], &v); err != nil {
				return "", errSyntax
			}
			return v, nil
		case c == '\\':
			escaped = true
			if s.i+1 >= len(s.b) {
				return "", errSyntax
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return "", errSyntax
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !isHex(h) {
						return "", errSyntax
					}
				}
				s.i += 6
			default:
				return "", errSyntax
			}
		case c < 0x20:
			return "", errSyntax
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			s.i++
		}
	}
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// skip validates and skips one value of any type.
func (s *scanner) skip() error {
	if s.i >= len(s.b) {
		return errSyntax
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == '"':
		return s.skipString()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number()
	}
	return errSyntax
}

// skipString validates a string without decoding it.
func (s *scanner) skipString() error {
	s.i++
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			s.ws()
			return nil
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return errSyntax
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return errSyntax
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !isHex(h) {
						return errSyntax
					}
				}
				s.i += 6
			default:
				return errSyntax
			}
		case c < 0x20:
			return errSyntax
		default:
			s.i++
		}
	}
	return errSyntax
}

func (s *scanner) literal(lit string) error {
	if s.i+len(lit) > len(s.b) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return errSyntax
	}
	s.i += len(lit)
	s.ws()
	return nil
}

// number validates a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return errSyntax
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSyntax
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSyntax
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	s.i = i
	s.ws()
	return nil
}

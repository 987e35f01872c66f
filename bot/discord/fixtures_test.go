package discord

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/agreementbot/agreementbot/bot"
)

// Hand-built replies shaped like the engine's, for goldens, tests and
// benchmarks that must not change when the data does.

func ugandaReply() bot.Reply {
	r := bot.Reply{
		Kind:     bot.KindCountry,
		Query:    "uganda",
		Title:    "Uganda",
		Status:   "signed",
		Disputed: true,
		Summary:  "Uganda agreed in August 2025 to take deportees from the US who are nationals of other African countries, as long as they have no criminal record and are not unaccompanied minors. Its foreign ministry first denied the deal, then confirmed it.",
		Fields: []bot.Field{
			{Name: "Accepts", Items: []string{
				"Nationals of other African countries whom the US deports [S1, S6]",
				"Group: African nationals [S6]",
			}},
			{Name: "Conditions", Items: []string{
				"No one with a criminal record, and no unaccompanied minors. [S6]",
				"Uganda prefers Africans and may refuse individuals case by case. [S7] (single source)",
			}},
			{Name: "Numbers", Items: []string{"About a dozen people on a first flight (date not known). [S56] (unconfirmed)"}},
			{Name: "Key dates", Items: []string{"2025-07: agreed", "2025-08-21: signed"}},
			{Name: "Human rights", Items: []string{"Rights groups point to Uganda's record on detention and on LGBTQ people (the 2023 Anti-Homosexuality Act). [S8]"}},
		},
		Timeline: []bot.Event{
			{Date: "2025-07", Text: "Uganda agrees to take African deportees, per internal US documents. [S1]"},
			{Date: "2025-08-20", Text: "Uganda's foreign ministry denies any deal. [S6]"},
			{Date: "2025-08-21", Text: "Uganda confirms a \"temporary arrangement\" with conditions. [S6, S7]"},
			{Date: "date unknown", Text: "First flight with about a dozen people. [S56]"},
		},
		Sources: []bot.Source{
			{ID: "S1", Outlet: "CBS News (via daily8)", Title: "U.S. broadens search for deportation agreements", Date: "2025-08-19", URL: "https://www.daily8.com/en/article/1fc81c4f9c1d8e2b1079761947a879fe"},
			{ID: "S6", Outlet: "Reuters", Title: "Uganda agrees deal with US to take deported migrants", Date: "2025-08-21", URL: "https://www.reuters.com/world/africa/uganda-agrees-deal-with-us-take-deported-migrants-2025-08-21/"},
			{ID: "S7", Outlet: "AP", Date: "2025-08-21", URL: "https://apnews.com/article/uganda-deportation-agreement"},
			{ID: "S8", Outlet: "Human Rights Watch", Date: "2025-08", URL: "https://www.hrw.org/news/2025/08/uganda"},
			{ID: "S56", Outlet: "Daily Monitor (low reliability)", URL: "https://www.monitor.co.ug/uganda/news/national/deportees-(first-flight)"},
		},
		Country: &bot.Country{Code: "UG", Name: "Uganda", Status: "signed"},
		Key:     "c/UG",
		Highlights: []string{
			"Accepts: Nationals of other African countries whom the US deports. [S1, S6]",
			"People received: about a dozen on a first flight (date not known). [S56] (unconfirmed)",
			"Latest: 2025-08-21: Uganda confirms a \"temporary arrangement\" with conditions. [S6, S7]",
		},
		AsOf:        "2026-03-14",
		Age:         "8 months ago",
		Stale:       true,
		Corrections: "https://github.com/agreementbot/agreementbot/issues",
		More: []bot.More{
			{Label: "all sources", Command: "sources uganda"},
			{Label: "newest events", Command: "latest uganda"},
		},
		Buttons: []bot.Button{
			{Label: "Timeline", Action: bot.ActTimeline, Value: "v1:0db34b73:timeline:c/UG"},
			{Label: "Sources", Action: bot.ActSources, Value: "v1:0db34b73:sources:c/UG"},
			{Label: "Full card", Action: bot.ActCard, Value: "v1:0db34b73:card:c/UG"},
		},
	}
	r.ShortSources = []bot.Source{r.Sources[0], r.Sources[1], r.Sources[4]}
	return r
}

// ugandaFull is the whole card, as the Full card button shows it.
func ugandaFull() bot.Reply {
	r := ugandaReply()
	r.Full = true
	r.Visibility = bot.Private
	r.Buttons = r.Buttons[:2]
	return r
}

// focusedReply is a focused answer: one aspect of a country.
func focusedReply() bot.Reply {
	return bot.Reply{
		Kind:    bot.KindCountry,
		Query:   "how much did the US pay Eswatini",
		Aspect:  "money",
		Title:   "Eswatini: payments",
		Status:  "received",
		Summary: "The US pledged $5.1 million to Eswatini for border and migration management, per the agreement's text. [S3]",
		Fields: []bot.Field{
			{Name: "Headline status", Items: []string{"received: people were actually transferred there"}},
			{Name: "Facts", Items: []string{"$5.1 million for border and migration management, for up to 160 people (2025-05). [S3]"}},
		},
		Sources: []bot.Source{{ID: "S3", Outlet: "AP", Title: "Eswatini deal text", Date: "2025-09-12", URL: "https://apnews.com/article/eswatini"}},
		Country: &bot.Country{Code: "SZ", Name: "Eswatini", Status: "received"},
		Key:     "c/SZ",
		AsOf:    "2026-03-14",
		Age:     "8 months ago",
		More:    []bot.More{{Label: "the whole card", Command: "eswatini"}},
		Buttons: []bot.Button{
			{Label: "Timeline", Action: bot.ActTimeline, Value: "v1:0db34b73:timeline:c/SZ"},
			{Label: "Sources", Action: bot.ActSources, Value: "v1:0db34b73:sources:c/SZ"},
			{Label: "Full card", Action: bot.ActCard, Value: "v1:0db34b73:card:c/SZ"},
		},
	}
}

// mapPNG is a small valid PNG, for map answers.
func mapPNG() []byte {
	img := image.NewPaletted(image.Rect(0, 0, 4, 3), color.Palette{color.White, color.RGBA{0xe7, 0x4c, 0x3c, 0xff}})
	img.SetColorIndex(1, 1, 1)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// mapReply is a map answer, with its image.
func mapReply() bot.Reply {
	alt := "A map of Africa: Eswatini, Ghana, Rwanda and South Sudan received people; Uganda signed; Nigeria refused."
	return bot.Reply{
		Kind:    bot.KindMap,
		Query:   "map africa",
		Title:   "Map: Africa",
		Summary: alt,
		Image:   &bot.Image{Name: "agreement-map-africa.png", PNG: mapPNG(), Alt: alt, Path: "/maps/0db34b73/africa.png"},
		AsOf:    "2026-03-14",
		Age:     "8 months ago",
	}
}

// listReply is a list of 23 countries in four groups: three pages.
func listReply() bot.Reply {
	r := bot.Reply{
		Kind:    bot.KindList,
		Query:   "list",
		Title:   "Countries on record (23)",
		Summary: "Grouped by headline status: the furthest stage reached.",
		Key:     "l//",
		AsOf:    "2026-03-14",
		Age:     "8 months ago",
	}
	groups := []struct {
		heading   string
		countries []string
		status    string
	}{
		{"Received (8): people were actually transferred", []string{"Cameroon", "Costa Rica", "El Salvador", "Equatorial Guinea", "Eswatini", "Ghana", "Guatemala", "Rwanda"}, "received"},
		{"Signed (4): a written agreement was signed", []string{"Belize", "Honduras", "Palau", "Uganda"}, "signed"},
		{"Agreed (3): the government says it agreed", []string{"Dominica", "Ecuador", "Kosovo"}, "agreed"},
		{"Refused (8): the government said no", []string{"Angola", "Burkina Faso", "Guinea-Bissau", "Libya", "Moldova", "Nigeria", "Peru", "Ukraine"}, "refused"},
	}
	for _, g := range groups {
		for _, c := range g.countries {
			r.Results = append(r.Results, bot.Result{Code: strings.ToUpper(c[:2]), Name: c, Status: g.status, Disputed: c == "Uganda", Group: g.heading})
		}
	}
	r.Buttons = listButtons(r)
	return r
}

// listPage is listReply at page p, as the bot answers a page button.
func listPage(p int) bot.Reply {
	r := listReply()
	r.Page = p
	r.Visibility = bot.Private
	r.Buttons = listButtons(r)
	return r
}

// listButtons are the page buttons the bot gives a list page.
func listButtons(r bot.Reply) []bot.Button {
	var bs []bot.Button
	p := r.PageNumber()
	if p > 1 {
		bs = append(bs, bot.Button{Label: "Previous page", Action: bot.ActPage, Value: fmt.Sprintf("v1:0db34b73:page:%d:l//", p-1)})
	}
	if p < r.Pages() {
		bs = append(bs, bot.Button{Label: "Next page", Action: bot.ActPage, Value: fmt.Sprintf("v1:0db34b73:page:%d:l//", p+1)})
	}
	return append(bs, bot.Button{Label: "Full list", Action: bot.ActAll, Value: "v1:0db34b73:all:l//"})
}

func helpReply() bot.Reply {
	return bot.Reply{
		Kind:       bot.KindHelp,
		Query:      "search",
		Visibility: bot.Private,
		Notice:     "search needs words to look for, e.g. search children.",
		Title:      "agreementbot: US third-country deportation agreements",
		Summary:    "Ask about a country, a topic, or use a command. Every answer cites its sources and says how recent the facts are.",
		Fields: []bot.Field{{Name: "Commands", Items: []string{
			"<country>: status, terms, numbers, dates and sources for one country (any language, ISO code, typos welcome) (e.g. uganda)",
			"list [status | paid]: every country on record grouped by status (e.g. list refused)",
			"search <words>: full-text search of every fact (e.g. search children)",
			"from <nationality or country>: which countries received, or agreed to take, people of that nationality (e.g. from cuba)",
			"sources [country]: who reported it, with links and dates (e.g. sources uganda)",
			"help: this list (e.g. help)",
		}}},
		AsOf: "2026-03-14",
	}
}

func notFoundReply() bot.Reply {
	q := "@everyone [x](http://evil) **b**"
	return bot.Reply{
		Kind:        bot.KindNotFound,
		Query:       q,
		Visibility:  bot.Private,
		Title:       "No country or topic found",
		Summary:     fmt.Sprintf("Nothing on record matches %q. Type a country (any language or ISO code), a topic (law, court, overview, money), or help for the commands.", q),
		Suggestions: []bot.Suggestion{{Code: "UG", Name: "Uganda"}, {Code: "UA", Name: "Ukraine"}},
		More:        []bot.More{{Label: "all commands", Command: "help"}},
		AsOf:        "2026-03-14",
	}
}

// stubHandler answers a few queries with the fixtures.
var stubHandler = bot.HandlerFunc(func(_ context.Context, q bot.Query) bot.Reply {
	switch strings.ToLower(strings.TrimSpace(q.Text)) {
	case "uganda":
		return ugandaReply()
	case "list":
		return listReply()
	case "", "help":
		return helpReply()
	}
	r := notFoundReply()
	r.Query = q.Text
	return r
})

// stubCompleter offers 30 choices, more than Discord takes, one of them
// with a name over the limit and one with an empty value.
var stubCompleter = bot.CompleterFunc(func(_ context.Context, prefix string) []bot.Choice {
	cs := []bot.Choice{
		{Name: "Uganda (signed, disputed)", Value: "uganda"},
		{Name: strings.Repeat("Very long name ", 10), Value: "long"},
		{Name: "empty value", Value: ""},
	}
	for i := 0; len(cs) < 30; i++ {
		cs = append(cs, bot.Choice{Name: fmt.Sprintf("Country %d (agreed)", i), Value: fmt.Sprintf("country %d", i)})
	}
	return cs
})

// guildCommand is an interaction as Discord sends it for /agreement
// query:uganda in a server (ids and token made up).
const guildCommand = `{"app_permissions":"562949953601536","application_id":"1090000000000000000","authorizing_integration_owners":{"0":"1100000000000000000"},"channel":{"flags":0,"guild_id":"1100000000000000000","icon_emoji":{"id":null,"name":"👋"},"id":"1100000000000000001","last_message_id":"1300000000000000000","name":"general","nsfw":false,"parent_id":"1100000000000000002","permissions":"2248473465835073","position":0,"rate_limit_per_user":0,"theme_color":null,"topic":null,"type":0},"channel_id":"1100000000000000001","context":0,"data":{"guild_id":"1100000000000000000","id":"1300000000000000001","name":"agreement","options":[{"name":"query","type":3,"value":"uganda"}],"type":1},"entitlement_sku_ids":[],"entitlements":[],"guild":{"features":["NEWS","COMMUNITY"],"id":"1100000000000000000","locale":"en-US"},"guild_id":"1100000000000000000","guild_locale":"en-US","id":"1300000000000000002","locale":"en-GB","member":{"avatar":null,"banner":null,"communication_disabled_until":null,"deaf":false,"flags":0,"joined_at":"2023-03-01T12:00:00.000000+00:00","mute":false,"nick":null,"pending":false,"permissions":"2248473465835073","premium_since":null,"roles":["1100000000000000005"],"unusual_dm_activity_until":null,"user":{"avatar":"a_0123456789abcdef0123456789abcdef","avatar_decoration_data":null,"clan":null,"discriminator":"0","global_name":"Reporter","id":"1000000000000000001","public_flags":0,"username":"reporter"}},"token":"` + guildToken + `","type":2,"version":1}`

const guildToken = "aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMjpYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhY"

// dmAutocomplete is an autocomplete interaction from a DM: user, not member.
const dmAutocomplete = `{"application_id":"1090000000000000000","channel_id":"1400000000000000000","context":1,"data":{"id":"1300000000000000001","name":"agreement","options":[{"focused":true,"name":"query","type":3,"value":"ug\u00e1"}],"type":1},"id":"1300000000000000003","locale":"fr","token":"dG9rZW4","type":4,"user":{"id":"1000000000000000002","username":"dm-user"},"version":1}`

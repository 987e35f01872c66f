package bot_test

import (
	"strings"
	"testing"

	"github.com/agreementbot/agreementbot/bot"
)

// questions is what people type, in English and Spanish, and what each
// must get. Read it as a list of questions and answers. The answer is
// written as:
//
//	card XX            the whole card of the country XX
//	XX aspect          a focused answer about one aspect of XX
//	none XX            a real country with nothing on record
//	list [region] [status]   a list of countries, narrowed ("-" for none)
//	from XX [region]   the countries that took people from XX
//	topic id           a topic's card
//	ranking, totals    the countries ranked by people received; the totals
//	since, latest      dated events (latest XX: one country's)
//	sources XX         the sources command for one country
//	search, not_found, help
var questions = []struct{ q, want string }{
	// Money, for ten countries and more.
	{"how much did the US pay Eswatini", "SZ money"},
	{"how much did the us pay eswatini?", "SZ money"},
	{"did the us pay el salvador", "SV money"},
	{"how much money did Rwanda get", "RW money"},
	{"was equatorial guinea paid", "GQ money"},
	{"payments to palau", "PW money"},
	{"how much did ghana get paid", "GH money"},
	{"did uganda receive money from the US?", "UG money"},
	{"how much is Honduras paid", "HN money"},
	{"cost of the costa rica deal", "CR money"},
	{"did panama get any money", "PA money"},
	{"how much did mexico receive", "MX money"},
	{"¿cuánto pagó EE.UU. a Eswatini?", "SZ money"},
	{"¿cuánto dinero recibió Ruanda?", "RW money"},
	{"pagos a Guinea Ecuatorial", "GQ money"},
	// Numbers.
	{"how many people has ghana received", "GH numbers"},
	{"how many deportees did honduras take", "HN numbers"},
	{"how many people were sent to eswatini", "SZ numbers"},
	{"number of deportees in rwanda", "RW numbers"},
	{"how many migrants did costa rica receive?", "CR numbers"},
	{"how many went to south sudan", "SS numbers"},
	{"how many people did panama take", "PA numbers"},
	{"how many did el salvador receive", "SV numbers"},
	{"how many deportees in equatorial guinea", "GQ numbers"},
	{"how many people in cameroon", "CM numbers"},
	{"how many has uganda taken", "UG numbers"},
	{"¿cuántos deportados recibió Ghana?", "GH numbers"},
	{"¿cuántas personas llegaron a Costa Rica?", "CR numbers"},
	// People: who was sent, which nationalities.
	{"who was sent to south sudan", "SS people"},
	{"which nationalities went to eswatini", "SZ people"},
	{"nationalities of the people sent to ghana", "GH people"},
	{"who were the deportees sent to rwanda", "RW people"},
	{"where were the people sent to costa rica from", "CR people"},
	{"who was sent to el salvador", "SV people"},
	{"nationalities sent to panama", "PA people"},
	{"who did equatorial guinea receive", "GQ people"},
	{"who was sent to cameroon?", "CM people"},
	{"nationalities in kosovo", "XK people"},
	{"¿quiénes fueron enviados a Sudán del Sur?", "SS people"},
	{"nacionalidades enviadas a Ghana", "GH people"},
	// Dates.
	{"when did uganda sign the deal", "UG dates"},
	{"when did honduras agree", "HN dates"},
	{"when did ghana start receiving deportees", "GH dates"},
	{"when did eswatini get the first deportees", "SZ dates"},
	{"when did el salvador agree to take venezuelans", "SV dates"},
	{"when did rwanda sign", "RW dates"},
	{"timeline for palau", "PW dates"},
	{"when did kosovo agree", "XK dates"},
	{"what date did paraguay sign", "PY dates"},
	{"when did costa rica receive people", "CR dates"},
	{"¿cuándo firmó Uganda?", "UG dates"},
	{"¿desde cuándo recibe Ghana deportados?", "GH dates"},
	// Terms and conditions.
	{"what are the conditions of the uganda deal", "UG terms"},
	{"who does uganda accept", "UG terms"},
	{"terms of the honduras agreement", "HN terms"},
	{"what kind of people does ghana accept", "GH terms"},
	{"conditions for eswatini", "SZ terms"},
	{"restrictions in the rwanda deal", "RW terms"},
	{"does palau accept people with criminal records", "PW terms"},
	{"what are the terms for paraguay", "PY terms"},
	{"requirements of the kosovo agreement", "XK terms"},
	{"conditions of the antigua deal", "AG terms"},
	{"conditions of the guatemala deal", "GT terms"},
	{"¿cuáles son las condiciones del acuerdo con Uganda?", "UG terms"},
	{"condiciones de Honduras", "HN terms"},
	// Status.
	{"is mexico taking deportees from other countries?", "MX status"},
	{"did ghana agree", "GH status"},
	{"is uganda still taking deportees", "UG status"},
	{"did rwanda agree to take deportees", "RW status"},
	{"is costa rica still accepting", "CR status"},
	{"status of the honduras deal", "HN status"},
	{"has argentina agreed yet", "AR status"},
	{"is panama still taking people", "PA status"},
	{"did peru agree", "PE status"},
	{"is libya taking deportees", "LY status"},
	{"¿sigue México recibiendo deportados?", "MX status"},
	{"estado del acuerdo con Ghana", "GH status"},
	// Sources.
	{"who reported the uganda deal", "UG sources"},
	{"sources for eswatini", "sources SZ"},
	{"who reported the ghana deportations", "GH sources"},
	{"where does the rwanda information come from according to whom", "RW sources"},
	{"sources on el salvador", "sources SV"},
	{"citations for honduras", "HN sources"},
	{"who reported on palau", "PW sources"},
	{"sources about costa rica", "sources CR"},
	{"who reported kosovo", "XK sources"},
	{"sources on panama", "sources PA"},
	{"fuentes sobre Uganda", "UG sources"},
	{"who reported on el salvador", "SV sources"},
	{"who reported the costa rica deal", "CR sources"},
	{"who reported on panama", "PA sources"},
	{"who reported eswatini's deal", "SZ sources"},
	// Human rights.
	{"human rights in uganda", "UG rights"},
	{"human rights concerns in eswatini", "SZ rights"},
	{"are deportees detained in south sudan", "SS rights"},
	{"abuses in el salvador prison", "SV rights"},
	{"what is the treatment of deportees in ghana", "GH rights"},
	{"human rights in rwanda", "RW rights"},
	{"torture in equatorial guinea", "GQ rights"},
	{"human rights record of cameroon", "CM rights"},
	{"detention in costa rica", "CR rights"},
	{"human rights in honduras", "HN rights"},
	{"derechos humanos en Uganda", "UG rights"},
	// Legal basis.
	{"is mexico a safe third country?", "MX law"},
	{"legal basis for the uganda deal", "UG law"},
	{"what law is the honduras agreement based on", "HN law"},
	{"legal basis of the ghana deal", "GH law"},
	{"is the eswatini deal legal", "SZ law"},
	{"legal basis of the rwanda agreement", "RW law"},
	{"is the guatemala deal a safe third country agreement", "GT law"},
	{"legal basis paraguay", "PY law"},
	{"what law covers the el salvador deal", "SV law"},
	{"is the palau deal legal", "PW law"},
	{"base legal del acuerdo con Honduras", "HN law"},
	// A country named, no aspect: the card.
	{"uganda", "card UG"},
	{"tell us about ghana", "card GH"},
	{"what about eswatini?", "card SZ"},
	{"Ouganda", "card UG"},
	{"ugnada", "card UG"},
	{"south sudn", "card SS"},
	{"ug", "card UG"},
	{"HND", "card HN"},
	{"El Salvador", "card SV"},
	{"Suazilandia", "card SZ"},
	{"st vincent", "card VC"},
	{"saint vincent", "card VC"},
	{"st. vincent", "card VC"},
	{"saint vincent and the grenadines", "card VC"},
	{"the bahamas", "card BS"},
	{"tonga", "card TO"},
	{"france", "none FR"},
	{"what about canada", "none CA"},
	{"Niger", "none NE"},
	// Regions.
	{"which african countries took deportees?", "list africa received"},
	{"african countries", "list africa -"},
	{"countries in africa", "list africa -"},
	{"central american countries that agreed", "list central-america agreed"},
	{"central america", "list central-america -"},
	{"caribbean countries", "list caribbean -"},
	{"which caribbean countries signed", "list caribbean signed"},
	{"south american countries", "list south-america -"},
	{"latin america", "list latin-america -"},
	{"which latin american countries refused", "list latin-america refused"},
	{"european countries", "list europe -"},
	{"which asian countries were asked", "list asia requested"},
	{"pacific countries", "list oceania -"},
	{"oceania", "list oceania -"},
	{"list africa", "list africa -"},
	{"list caribbean signed", "list caribbean signed"},
	{"list latin america received", "list latin-america received"},
	{"¿qué países africanos aceptan deportados?", "list africa agreed"},
	{"países de Centroamérica", "list central-america -"},
	{"países del Caribe que firmaron", "list caribbean signed"},
	{"países de Sudamérica", "list south-america -"},
	{"países de América Latina que se negaron", "list latin-america refused"},
	{"países europeos", "list europe -"},
	{"países asiáticos", "list asia -"},
	{"países del Pacífico", "list oceania -"},
	// Status words.
	{"which countries refused", "list - refused"},
	{"which countries said no", "list - refused"},
	{"which countries rejected the request", "list - refused"},
	{"which countries received deportees", "list - received"},
	{"which countries actually took people", "list - received"},
	{"which countries have deals", "list - agreed"},
	{"which countries accept deportees from the US?", "list - agreed"},
	{"which countries agreed", "list - agreed"},
	{"which countries got paid", "list - paid"},
	{"which countries were paid", "list - paid"},
	{"which countries signed", "list - signed"},
	{"which countries were asked", "list - requested"},
	{"list refused", "list - refused"},
	{"list paid", "list - paid"},
	{"list disputed", "list - disputed"},
	{"list denied", "list - denied"},
	{"¿qué países se negaron?", "list - refused"},
	{"¿qué países aceptan deportados de EE.UU.?", "list - agreed"},
	{"¿qué países recibieron deportados?", "list - received"},
	{"¿qué países firmaron?", "list - signed"},
	// Totals and rankings.
	{"how many countries have agreed", "list - agreed"},
	{"how many countries refused", "list - refused"},
	{"which country received the most deportees", "ranking"},
	{"who took the most people", "ranking"},
	{"which african country received the most deportees", "ranking africa"},
	{"total number of people sent to third countries", "totals"},
	{"how many people were deported to third countries in total", "totals"},
	{"how many people in total", "totals"},
	{"¿qué país recibió más deportados?", "ranking"},
	{"¿cuántas personas en total?", "totals"},
	// From: a nationality or a country other than the US.
	{"which countries took people from Cuba?", "from CU"},
	{"from cuba", "from CU"},
	{"from venezuelans", "from VE"},
	{"which countries take Venezuelans?", "from VE"},
	{"where were nigerians sent", "from NG"},
	{"which african countries took people from nigeria", "from NG africa"},
	{"¿qué países recibieron deportados de Cuba?", "from CU"},
	{"deportados de Venezuela", "from VE"},
	{"people from honduras", "from HN"},
	// Topics.
	{"what did the senate report find", "topic money"},
	{"senate report", "topic money"},
	{"money", "topic money"},
	{"payments", "topic money"},
	{"supreme court", "topic court"},
	{"what did the court decide", "topic court"},
	{"court", "topic court"},
	{"is this legal", "topic law"},
	{"safe third country", "topic law"},
	{"law", "topic law"},
	{"overview", "topic overview"},
	{"informe del senado", "topic money"},
	{"¿es legal?", "topic law"},
	// Time.
	{"since february 2026", "since"},
	{"what's new this week", "since"},
	{"in january 2026", "since"},
	{"since 2026-01-01", "since"},
	{"since february", "since"},
	{"what happened in march 2026", "since"},
	{"latest", "latest"},
	{"what's new", "latest"},
	{"what's new in ghana", "latest GH"},
	{"desde febrero de 2026", "since"},
	{"novedades", "latest"},
	// Traps.
	{"tell us about the deals", "list - agreed"},
	{"what about us", "help"},
	{"es", "card ES"},
	{"does es take deportees", "list - agreed"},
	{"how many per month", "totals"},
	{"central african republic", "none CF"},
	{"new zealand", "none NZ"},
	{"papua new guinea", "none PG"},
	{"what may happen to uganda", "card UG"},
	{"united states", "help"},
	{"CECOT", "search"},
	{"Bundase", "search"},
	{"congo", "not_found"},
	{"xyzzy", "not_found"},
	{"", "help"},
	{"help", "help"},
}

// TestQuestions asks every question of the table.
func TestQuestions(t *testing.T) {
	if len(questions) < 200 {
		t.Fatalf("%d questions; the table needs at least 200", len(questions))
	}
	for _, tc := range questions {
		r := ask(tc.q)
		if got := describe(r); got != tc.want {
			t.Errorf("%q: got %q, want %q\n%s", tc.q, got, tc.want, firstLines(r.Text(), 3))
		}
	}
}

// describe writes an answer the way the table does.
func describe(r bot.Reply) string {
	code := ""
	if r.Country != nil {
		code = r.Country.Code
	}
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	switch r.Kind {
	case bot.KindCountry:
		if r.Aspect != "" {
			return code + " " + string(r.Aspect)
		}
		return "card " + code
	case bot.KindNoAgreement:
		return "none " + code
	case bot.KindList:
		return "list " + dash(r.Filter.Region) + " " + dash(r.Filter.Status)
	case bot.KindFrom:
		s := "from " + fromCode(r)
		if r.Filter.Region != "" {
			s += " " + r.Filter.Region
		}
		return s
	case bot.KindTopic:
		return "topic " + topicID(r)
	case bot.KindRanking:
		if r.Filter.Region != "" {
			return "ranking " + r.Filter.Region
		}
		return "ranking"
	case bot.KindLatest, bot.KindSources:
		if code != "" {
			return string(r.Kind) + " " + code
		}
	}
	return string(r.Kind)
}

// fromCode is the nationality a from answer is about, read from its title.
func fromCode(r bot.Reply) string {
	for code, name := range map[string]string{"CU": "Cuba", "VE": "Venezuela", "NG": "Nigeria", "HN": "Honduras"} {
		if strings.Contains(r.Title, "people from "+name) {
			return code
		}
	}
	return "?"
}

// topicID names a topic answer by its sources' command.
func topicID(r bot.Reply) string {
	for _, m := range r.More {
		if id, ok := strings.CutPrefix(m.Command, "sources "); ok {
			return id
		}
	}
	return "?"
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

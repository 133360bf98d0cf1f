package train

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/internal/tsv"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

// Synthetic wire copy. None of the training corpora has sports pages or
// market reports, where news puts most of its organisations: clubs named
// after their city, results tables, company earnings. These generators write
// such text from the shippable name lists with the CoNLL convention (clubs
// and city-named teams are ORG, national teams LOC). The sentence patterns
// are generic wire-copy forms written for this project.

type pools struct {
	clubsByCountry map[string][]string
	countries      []string
	nations        []string
	bigCities      []string
	cityByCountry  map[string][]string
	regions        []string
	first, sur     []string
	companies      []string
	events         []string
	demonyms       []string
}

func titleCase(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for i, w := range f {
		if len(w) <= 3 && (w == "of" || w == "and" || w == "the" || w == "de") && i > 0 {
			continue
		}
		f[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(f, " ")
}

func loadPools(gazDir, demonymFile string) (*pools, error) {
	p := &pools{clubsByCountry: map[string][]string{}, cityByCountry: map[string][]string{}}
	j := func(f string) string { return filepath.Join(gazDir, f) }
	err := tsv.Read(j("football-clubs.tsv"), func(r map[string]string) {
		if r["is_reserve_team"] == "1" {
			return
		}
		c := r["country"]
		if _, ok := p.clubsByCountry[c]; !ok {
			p.countries = append(p.countries, c)
		}
		names := []string{r["name"]}
		for _, a := range strings.Split(r["alt_names"], "|") {
			if a != "" && isTitleASCII(a) && !strings.Contains(a, ".") {
				names = append(names, a)
			}
		}
		p.clubsByCountry[c] = append(p.clubsByCountry[c], strings.Join(names, "|"))
	})
	if err != nil {
		return nil, err
	}
	if err := tsv.Read(j("national-football-teams.tsv"), func(r map[string]string) {
		if n, _ := strconv.Atoi(r["matches"]); n >= 150 {
			p.nations = append(p.nations, r["team"])
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("geonames-cities15000.tsv"), func(r map[string]string) {
		pop, _ := strconv.Atoi(r["population"])
		name := r["asciiname"]
		if pop < 150000 || !isTitleASCII(name) {
			return
		}
		if pop >= 400000 {
			p.bigCities = append(p.bigCities, name)
		}
		cc := r["country_code"]
		p.cityByCountry[cc] = append(p.cityByCountry[cc], name)
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("geonames-admin1.tsv"), func(r map[string]string) {
		cc, _, _ := strings.Cut(r["code"], ".")
		if (cc == "US" || cc == "AU" || cc == "IN" || cc == "CA" || cc == "ZA" || cc == "NZ") && isTitleASCII(r["asciiname"]) {
			p.regions = append(p.regions, r["asciiname"])
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("first-names.tsv"), func(r map[string]string) {
		if n, _ := strconv.Atoi(r["count_1880_2023"]); n >= 20000 {
			p.first = append(p.first, r["name"])
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("surnames.tsv"), func(r map[string]string) {
		if rank, _ := strconv.Atoi(r["rank_1990"]); rank > 0 && rank <= 20000 {
			p.sur = append(p.sur, titleCase(r["name_upper"]))
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("companies.tsv"), func(r map[string]string) {
		n := titleCase(strings.NewReplacer(",", "", "/DE/", "", "/NEW/", "", "/", " ").Replace(r["name"]))
		if n != "" && !strings.ContainsAny(n, "0123456789") {
			p.companies = append(p.companies, n)
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(j("football-tournaments.tsv"), func(r map[string]string) {
		if n, _ := strconv.Atoi(r["matches"]); n >= 50 && r["tournament"] != "Friendly" {
			p.events = append(p.events, r["tournament"])
		}
	}); err != nil {
		return nil, err
	}
	if err := readLines(demonymFile, func(f []string) {
		if len(f) >= 2 && !strings.Contains(f[1], " ") {
			p.demonyms = append(p.demonyms, f[1])
		}
	}); err != nil {
		return nil, err
	}
	if len(p.countries) == 0 || len(p.nations) == 0 || len(p.bigCities) == 0 || len(p.first) == 0 || len(p.sur) == 0 ||
		len(p.companies) == 0 || len(p.events) == 0 || len(p.demonyms) == 0 {
		return nil, fmt.Errorf("synthetic: a name list is empty")
	}
	return p, nil
}

// gen writes one sentence from slots.
type gen struct {
	rng   *rand.Rand
	items []Item
}

func (g *gen) words(s string) {
	for w := range strings.FieldsSeq(s) {
		g.items = append(g.items, Item{Text: w, Tag: tagger.O})
	}
}

func (g *gen) name(s string, class int) {
	for i, w := range strings.Fields(phrase(s)) {
		t := 1 + 2*class
		if i > 0 {
			t++
		}
		g.items = append(g.items, Item{Text: w, Tag: t})
	}
}

func (g *gen) num(lo, hi int) { g.words(strconv.Itoa(lo + g.rng.IntN(hi-lo+1))) }

func (g *gen) take() []Item {
	s := g.items
	g.items = nil
	return s
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

var (
	sports   = []string{"SOCCER", "FOOTBALL", "CRICKET", "BASEBALL", "RUGBY UNION", "RUGBY LEAGUE", "ICE HOCKEY", "BASKETBALL"}
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	leagues  = []string{"league", "first division", "premier division", "championship", "cup", "second division"}
	agencies = []string{"Reuters", "Associated Press", "Agence France-Presse", "Bloomberg", "Xinhua", "Interfax", "Itar-Tass", "Kyodo"}
	exchange = []string{"New York Stock Exchange", "Nasdaq", "London Stock Exchange", "Tokyo Stock Exchange", "Frankfurt Stock Exchange"}
	numWords = []string{"two", "three", "four", "five", "six", "seven", "eight", "nine"}
	roles    = []string{"chief executive", "chairman", "president", "finance director", "spokesman", "analyst"}
)

// synth writes the synthetic documents: a sentence writer with the name
// pools and, while a sports document is written, its league.
type synth struct {
	*gen
	p         *pools
	teams     []string
	teamClass int
}

// Synthesize writes n sports and n business documents.
func Synthesize(p *pools, n int, seed uint64) []Doc {
	s := &synth{gen: &gen{rng: rand.New(rand.NewPCG(seed, 0xabcdef))}, p: p}
	var docs []Doc
	for range n {
		docs = append(docs, s.sportsDoc())
	}
	for range n {
		docs = append(docs, s.businessDoc())
	}
	return docs
}

func (s *synth) player() {
	switch s.rng.IntN(4) {
	case 0:
		s.name(pick(s.rng, s.p.sur), 0)
	case 1:
		s.name(pick(s.rng, s.p.first)[:1]+". "+pick(s.rng, s.p.sur), 0)
	default:
		s.name(pick(s.rng, s.p.first)+" "+pick(s.rng, s.p.sur), 0)
	}
}

func (s *synth) dateline() {
	s.name(strings.ToUpper(pick(s.rng, s.p.bigCities)), 2)
	s.words(fmt.Sprintf("%d-%02d-%02d", 1990+s.rng.IntN(35), 1+s.rng.IntN(12), 1+s.rng.IntN(28)))
}

// team writes a team of the current league, in capitals when up.
func (s *synth) team(up bool) {
	t := pick(s.rng, s.teams)
	if up {
		t = strings.ToUpper(t)
	}
	s.name(t, s.teamClass)
}

func (s *synth) businessDoc() Doc {
	doc := Doc{Corpus: "synthetic"}
	co := pick(s.rng, s.p.companies)
	short := shortName(co)
	s.name(strings.ToUpper(short), 1)
	s.words(pick(s.rng, []string{"SAYS PROFIT ROSE", "SHARES FALL", "TO CUT JOBS", "Q2 NET UP", "SEES LOWER SALES"}))
	doc.Sents = append(doc.Sents, s.take())
	s.dateline()
	for range 3 + s.rng.IntN(5) {
		s.businessSentence(co, short)
		doc.Sents = append(doc.Sents, s.take())
	}
	return doc
}

// businessSentence writes one sentence about company co (short name
// short) of a kind drawn at random.
func (s *synth) businessSentence(co, short string) {
	switch s.rng.IntN(6) {
	case 0:
		s.name(co, 1)
		s.words("said on " + pick(s.rng, weekdays) + " its net profit rose")
		s.num(2, 60)
		s.words("percent in the " + pick(s.rng, []string{"first", "second", "third"}) + " quarter .")
	case 1:
		s.words("Shares of")
		s.name(short, 1)
		s.words(pick(s.rng, []string{"rose", "fell", "closed up", "closed down"}))
		s.num(1, 90)
		s.words("cents on the")
		s.name(pick(s.rng, exchange), 1)
		s.words(".")
	case 2:
		s.name(pick(s.rng, s.p.first)+" "+pick(s.rng, s.p.sur), 0)
		s.words(", " + pick(s.rng, roles) + " of")
		s.name(short, 1)
		s.words(", told")
		s.name(pick(s.rng, agencies), 1)
		s.words("the company would expand in")
		s.name(pick(s.rng, s.p.bigCities), 2)
		s.words(".")
	case 3:
		s.name(short, 1)
		s.words("agreed to buy")
		s.name(pick(s.rng, s.p.companies), 1)
		s.words("for")
		s.num(10, 900)
		s.words("million dollars in " + pick(s.rng, months) + " .")
	case 4:
		s.words("Analysts at")
		s.name(pick(s.rng, s.p.companies), 1)
		s.words("said")
		s.name(short, 1)
		s.words("faced stiff competition from")
		s.name(pick(s.rng, s.p.demonyms), 3)
		s.words("rivals .")
	default:
		s.name(short, 1)
		s.words(", based in")
		s.name(pick(s.rng, s.p.bigCities), 2)
		s.words(", employs")
		s.num(100, 9000)
		s.words("people .")
	}
}

// shortName drops a company's legal suffix: "Pirelli SpA" -> "Pirelli".
func shortName(co string) string {
	if f := strings.Fields(co); len(f) > 1 && companySuffix[strings.ToLower(f[len(f)-1])] {
		return strings.Join(f[:len(f)-1], " ")
	}
	return co
}

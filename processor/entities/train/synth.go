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

// Synthesize writes n sports and n business documents.
func Synthesize(p *pools, n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 0xabcdef))
	g := &gen{rng: rng}
	player := func() {
		switch rng.IntN(4) {
		case 0:
			g.name(pick(rng, p.sur), 0)
		case 1:
			g.name(pick(rng, p.first)[:1]+". "+pick(rng, p.sur), 0)
		default:
			g.name(pick(rng, p.first)+" "+pick(rng, p.sur), 0)
		}
	}
	dateline := func() {
		g.name(strings.ToUpper(pick(rng, p.bigCities)), 2)
		g.words(fmt.Sprintf("%d-%02d-%02d", 1990+rng.IntN(35), 1+rng.IntN(12), 1+rng.IntN(28)))
	}
	var docs []Doc
	for d := 0; d < n; d++ {
		doc := Doc{Corpus: "synthetic"}
		// a league: clubs of one country, cities as teams, or nations
		var teams []string
		teamClass := 1
		switch k := rng.IntN(10); {
		case k < 6:
			c := pick(rng, p.countries)
			for _, s := range p.clubsByCountry[c] {
				alts := strings.Split(s, "|")
				// wire copy mostly uses the short name
				best := alts[0]
				for _, a := range alts[1:] {
					if len(a) < len(best) && rng.IntN(3) > 0 {
						best = a
					}
				}
				teams = append(teams, best)
			}
		case k == 6:
			// state and provincial sides
			teams = p.regions
		case k < 8:
			var cc string
			for len(p.cityByCountry[cc]) < 4 {
				cc = pick(rng, []string{"US", "GB", "DE", "IT", "ES", "FR", "JP", "KR", "AU", "CA", "NL", "BR"})
			}
			teams = p.cityByCountry[cc]
		default:
			teams = p.nations
			teamClass = 2
		}
		if len(teams) < 4 {
			teams = p.nations
			teamClass = 2
		}
		team := func(up bool) {
			t := pick(rng, teams)
			if up {
				t = strings.ToUpper(t)
			}
			g.name(t, teamClass)
		}
		sport := pick(rng, sports)
		// headline in capitals
		g.words(sport + " -")
		switch rng.IntN(3) {
		case 0:
			team(true)
			g.words(pick(rng, []string{"BEAT", "HOLD", "DRAW WITH", "CRUSH", "EDGE"}))
			team(true)
		case 1:
			g.name(strings.ToUpper(pick(rng, p.demonyms)), 3)
			g.words(pick(rng, []string{"LEAGUE RESULTS", "FIRST DIVISION RESULTS", "LEAGUE STANDINGS", "CUP RESULTS"}))
		default:
			team(true)
			g.words("SIGN")
			g.name(strings.ToUpper(pick(rng, p.first)+" "+pick(rng, p.sur)), 0)
		}
		doc.Sents = append(doc.Sents, g.take())
		dateline()
		for range 3 + rng.IntN(6) {
			switch rng.IntN(14) {
			case 10: // match report prose: innings and runs
				team(false)
				g.words(pick(rng, []string{"reached", "closed on", "were bowled out for", "made", "declared on"}))
				g.num(80, 520)
				if rng.IntN(2) == 0 {
					g.words("for " + pick(rng, numWords))
				}
				g.words(pick(rng, []string{".", ", a lead of", "against"}))
				if w := g.items[len(g.items)-1].Text; w == "of" {
					g.num(10, 300)
					g.words(".")
				} else if w == "against" {
					team(false)
					g.words(".")
				}
			case 11:
				player()
				switch rng.IntN(3) {
				case 0:
					g.words("took " + pick(rng, numWords) + " for")
					g.num(10, 90)
				case 1:
					g.words("homered twice")
				default:
					g.words("kicked three penalties")
				}
				g.words("as")
				team(false)
				g.words(pick(rng, []string{"beat", "edged", "routed"}))
				team(false)
				g.num(1, 12)
				g.words("-")
				g.num(0, 9)
				g.words(".")
			case 12:
				g.words(pick(rng, []string{"Title rivals", "Leaders", "Champions", "Bottom club"}))
				team(false)
				if rng.IntN(2) == 0 {
					g.words(",")
					team(false)
				}
				g.words("and")
				team(false)
				g.words(pick(rng, []string{"all won .", "both lost .", "closed in on victory .", "drew ."}))
			case 13:
				g.words("The loss was")
				team(false)
				g.words("'s " + pick(rng, []string{"third", "fifth", "seventh", "ninth"}) + " in its last")
				g.num(10, 30)
				g.words("games , and")
				team(false)
				g.words("'s lead over")
				team(false)
				g.words("grew to")
				g.num(2, 9)
				g.words(".")
			case 9: // fixtures, flattened
				up := rng.IntN(3) == 0
				for range 2 + rng.IntN(4) {
					team(up)
					g.words(pick(rng, []string{"v", "vs", "v.", "at"}))
					team(up)
				}
			case 0:
				team(false)
				g.words(pick(rng, []string{"beat", "drew with", "lost to", "were beaten by", "held"}))
				team(false)
				g.num(0, 5)
				g.words("-")
				g.num(0, 5)
				g.words("on " + pick(rng, weekdays) + " .")
			case 1:
				player()
				g.words(pick(rng, []string{"scored twice as", "struck late as", "was sent off as"}))
				team(false)
				g.words(pick(rng, []string{"beat", "drew with", "lost at home to"}))
				team(false)
				g.words("in the " + pick(rng, leagues) + " .")
			case 2: // results table, flattened
				for range 2 + rng.IntN(5) {
					team(false)
					g.num(0, 6)
					team(false)
					g.num(0, 6)
				}
			case 3: // standings, in capitals in some feeds
				up := rng.IntN(2) == 0
				if up {
					g.words(pick(rng, []string{"EASTERN DIVISION", "WESTERN DIVISION", "CENTRAL DIVISION", "GROUP A", "GROUP B"}))
					g.words("W L PCT GB")
				}
				for range 2 + rng.IntN(4) {
					team(up)
					for range 4 + rng.IntN(4) {
						g.num(0, 90)
					}
				}
			case 4:
				g.words("Scorers :")
				for k := range 1 + rng.IntN(3) {
					if k > 0 {
						g.words(",")
					}
					player()
					g.words("(")
					g.num(1, 90)
					g.words(")")
				}
			case 5:
				team(false)
				g.words(pick(rng, []string{"coach", "manager", "captain", "striker", "goalkeeper"}))
				player()
				g.words("said the " + pick(rng, leagues) + " title was still open .")
			case 6:
				player()
				g.words(", who joined")
				team(false)
				g.words("from")
				team(false)
				g.words("last season , will miss the match in")
				g.name(pick(rng, p.bigCities), 2)
				g.words(".")
			case 7:
				g.name(pick(rng, p.nations), 2)
				g.words(pick(rng, []string{"beat", "drew with", "lost to"}))
				g.name(pick(rng, p.nations), 2)
				g.words("in a")
				g.name(pick(rng, p.events), 3)
				g.words("match in")
				g.name(pick(rng, p.bigCities), 2)
				g.words(".")
			default:
				g.words("The")
				g.name(pick(rng, p.demonyms), 3)
				g.words("international")
				player()
				g.words("has signed a two-year contract with")
				team(false)
				g.words(".")
			}
			doc.Sents = append(doc.Sents, g.take())
		}
		docs = append(docs, doc)
	}
	for d := 0; d < n; d++ {
		doc := Doc{Corpus: "synthetic"}
		co := pick(rng, p.companies)
		short := shortName(co)
		g.name(strings.ToUpper(short), 1)
		g.words(pick(rng, []string{"SAYS PROFIT ROSE", "SHARES FALL", "TO CUT JOBS", "Q2 NET UP", "SEES LOWER SALES"}))
		doc.Sents = append(doc.Sents, g.take())
		dateline()
		for range 3 + rng.IntN(5) {
			switch rng.IntN(6) {
			case 0:
				g.name(co, 1)
				g.words("said on " + pick(rng, weekdays) + " its net profit rose")
				g.num(2, 60)
				g.words("percent in the " + pick(rng, []string{"first", "second", "third"}) + " quarter .")
			case 1:
				g.words("Shares of")
				g.name(short, 1)
				g.words(pick(rng, []string{"rose", "fell", "closed up", "closed down"}))
				g.num(1, 90)
				g.words("cents on the")
				g.name(pick(rng, exchange), 1)
				g.words(".")
			case 2:
				g.name(pick(rng, p.first)+" "+pick(rng, p.sur), 0)
				g.words(", " + pick(rng, roles) + " of")
				g.name(short, 1)
				g.words(", told")
				g.name(pick(rng, agencies), 1)
				g.words("the company would expand in")
				g.name(pick(rng, p.bigCities), 2)
				g.words(".")
			case 3:
				g.name(short, 1)
				g.words("agreed to buy")
				g.name(pick(rng, p.companies), 1)
				g.words("for")
				g.num(10, 900)
				g.words("million dollars in " + pick(rng, months) + " .")
			case 4:
				g.words("Analysts at")
				g.name(pick(rng, p.companies), 1)
				g.words("said")
				g.name(short, 1)
				g.words("faced stiff competition from")
				g.name(pick(rng, p.demonyms), 3)
				g.words("rivals .")
			default:
				g.name(short, 1)
				g.words(", based in")
				g.name(pick(rng, p.bigCities), 2)
				g.words(", employs")
				g.num(100, 9000)
				g.words("people .")
			}
			doc.Sents = append(doc.Sents, g.take())
		}
		docs = append(docs, doc)
	}
	return docs
}

// shortName drops a company's legal suffix: "Pirelli SpA" -> "Pirelli".
func shortName(co string) string {
	if f := strings.Fields(co); len(f) > 1 && companySuffix[strings.ToLower(f[len(f)-1])] {
		return strings.Join(f[:len(f)-1], " ")
	}
	return co
}

package train

// The sports wire copy of the synthetic training documents: results,
// tables, transfers, and the teams and players they name.

import "strings"

// sportsDoc writes a capitals headline, a dateline and 3 to 8 sentences
// about one league.
func (s *synth) sportsDoc() Doc {
	doc := Doc{Corpus: "synthetic"}
	s.chooseLeague()
	s.sportsHeadline(pick(s.rng, sports))
	doc.Sents = append(doc.Sents, s.take())
	s.dateline()
	for range 3 + s.rng.IntN(6) {
		s.sportsSentence()
		doc.Sents = append(doc.Sents, s.take())
	}
	return doc
}

// chooseLeague sets the teams of the document: clubs of one country,
// cities as teams, or nations.
func (s *synth) chooseLeague() {
	p, rng := s.p, s.rng
	var teams []string
	teamClass := 1
	switch k := rng.IntN(10); {
	case k < 6:
		c := pick(rng, p.countries)
		for _, club := range p.clubsByCountry[c] {
			alts := strings.Split(club, "|")
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
	s.teams, s.teamClass = teams, teamClass
}

// sportsHeadline writes a headline in capitals.
func (s *synth) sportsHeadline(sport string) {
	s.words(sport + " -")
	switch s.rng.IntN(3) {
	case 0:
		s.team(true)
		s.words(pick(s.rng, []string{"BEAT", "HOLD", "DRAW WITH", "CRUSH", "EDGE"}))
		s.team(true)
	case 1:
		s.name(strings.ToUpper(pick(s.rng, s.p.demonyms)), 3)
		s.words(pick(s.rng, []string{"LEAGUE RESULTS", "FIRST DIVISION RESULTS", "LEAGUE STANDINGS", "CUP RESULTS"}))
	default:
		s.team(true)
		s.words("SIGN")
		s.name(strings.ToUpper(pick(s.rng, s.p.first)+" "+pick(s.rng, s.p.sur)), 0)
	}
}

// sportsSentence writes one sentence of a kind drawn at random.
func (s *synth) sportsSentence() {
	switch s.rng.IntN(14) {
	case 10:
		s.inningsReport()
	case 11:
		s.starTurn()
	case 12:
		s.rivalsRound()
	case 13:
		s.lossRun()
	case 9:
		s.fixtures()
	case 0:
		s.matchResult()
	case 1:
		s.scorerReport()
	case 2:
		s.resultsTable()
	case 3:
		s.standings()
	case 4:
		s.scorersList()
	case 5:
		s.staffQuote()
	case 6:
		s.transferNews()
	case 7:
		s.internationalMatch()
	default:
		s.signingNews()
	}
}

// inningsReport writes a match report in prose: innings and runs.
func (s *synth) inningsReport() {
	s.team(false)
	s.words(pick(s.rng, []string{"reached", "closed on", "were bowled out for", "made", "declared on"}))
	s.num(80, 520)
	if s.rng.IntN(2) == 0 {
		s.words("for " + pick(s.rng, numWords))
	}
	s.words(pick(s.rng, []string{".", ", a lead of", "against"}))
	if w := s.items[len(s.items)-1].Text; w == "of" {
		s.num(10, 300)
		s.words(".")
	} else if w == "against" {
		s.team(false)
		s.words(".")
	}
}

// starTurn writes a player's feat in a win.
func (s *synth) starTurn() {
	s.player()
	switch s.rng.IntN(3) {
	case 0:
		s.words("took " + pick(s.rng, numWords) + " for")
		s.num(10, 90)
	case 1:
		s.words("homered twice")
	default:
		s.words("kicked three penalties")
	}
	s.words("as")
	s.team(false)
	s.words(pick(s.rng, []string{"beat", "edged", "routed"}))
	s.team(false)
	s.num(1, 12)
	s.words("-")
	s.num(0, 9)
	s.words(".")
}

// rivalsRound writes how the title rivals did.
func (s *synth) rivalsRound() {
	s.words(pick(s.rng, []string{"Title rivals", "Leaders", "Champions", "Bottom club"}))
	s.team(false)
	if s.rng.IntN(2) == 0 {
		s.words(",")
		s.team(false)
	}
	s.words("and")
	s.team(false)
	s.words(pick(s.rng, []string{"all won .", "both lost .", "closed in on victory .", "drew ."}))
}

// lossRun writes a losing run and the lead it gave.
func (s *synth) lossRun() {
	s.words("The loss was")
	s.team(false)
	s.words("'s " + pick(s.rng, []string{"third", "fifth", "seventh", "ninth"}) + " in its last")
	s.num(10, 30)
	s.words("games , and")
	s.team(false)
	s.words("'s lead over")
	s.team(false)
	s.words("grew to")
	s.num(2, 9)
	s.words(".")
}

// fixtures writes fixtures, flattened.
func (s *synth) fixtures() {
	up := s.rng.IntN(3) == 0
	for range 2 + s.rng.IntN(4) {
		s.team(up)
		s.words(pick(s.rng, []string{"v", "vs", "v.", "at"}))
		s.team(up)
	}
}

// matchResult writes a result with its day.
func (s *synth) matchResult() {
	s.team(false)
	s.words(pick(s.rng, []string{"beat", "drew with", "lost to", "were beaten by", "held"}))
	s.team(false)
	s.num(0, 5)
	s.words("-")
	s.num(0, 5)
	s.words("on " + pick(s.rng, weekdays) + " .")
}

// scorerReport writes a player who decided a match.
func (s *synth) scorerReport() {
	s.player()
	s.words(pick(s.rng, []string{"scored twice as", "struck late as", "was sent off as"}))
	s.team(false)
	s.words(pick(s.rng, []string{"beat", "drew with", "lost at home to"}))
	s.team(false)
	s.words("in the " + pick(s.rng, leagues) + " .")
}

// resultsTable writes a results table, flattened.
func (s *synth) resultsTable() {
	for range 2 + s.rng.IntN(5) {
		s.team(false)
		s.num(0, 6)
		s.team(false)
		s.num(0, 6)
	}
}

// standings writes standings, in capitals in some feeds.
func (s *synth) standings() {
	up := s.rng.IntN(2) == 0
	if up {
		s.words(pick(s.rng, []string{"EASTERN DIVISION", "WESTERN DIVISION", "CENTRAL DIVISION", "GROUP A", "GROUP B"}))
		s.words("W L PCT GB")
	}
	for range 2 + s.rng.IntN(4) {
		s.team(up)
		for range 4 + s.rng.IntN(4) {
			s.num(0, 90)
		}
	}
}

// scorersList writes a list of scorers with minutes.
func (s *synth) scorersList() {
	s.words("Scorers :")
	for k := range 1 + s.rng.IntN(3) {
		if k > 0 {
			s.words(",")
		}
		s.player()
		s.words("(")
		s.num(1, 90)
		s.words(")")
	}
}

// staffQuote writes a coach or player on the title race.
func (s *synth) staffQuote() {
	s.team(false)
	s.words(pick(s.rng, []string{"coach", "manager", "captain", "striker", "goalkeeper"}))
	s.player()
	s.words("said the " + pick(s.rng, leagues) + " title was still open .")
}

// transferNews writes a transfer and a missed match.
func (s *synth) transferNews() {
	s.player()
	s.words(", who joined")
	s.team(false)
	s.words("from")
	s.team(false)
	s.words("last season , will miss the match in")
	s.name(pick(s.rng, s.p.bigCities), 2)
	s.words(".")
}

// internationalMatch writes nations meeting at an event.
func (s *synth) internationalMatch() {
	s.name(pick(s.rng, s.p.nations), 2)
	s.words(pick(s.rng, []string{"beat", "drew with", "lost to"}))
	s.name(pick(s.rng, s.p.nations), 2)
	s.words("in a")
	s.name(pick(s.rng, s.p.events), 3)
	s.words("match in")
	s.name(pick(s.rng, s.p.bigCities), 2)
	s.words(".")
}

// signingNews writes a foreign international signing.
func (s *synth) signingNews() {
	s.words("The")
	s.name(pick(s.rng, s.p.demonyms), 3)
	s.words("international")
	s.player()
	s.words("has signed a two-year contract with")
	s.team(false)
	s.words(".")
}

// businessDoc writes a capitals headline, a dateline and 3 to 7 sentences
// about one company.

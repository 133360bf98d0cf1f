package entities

import (
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// The model knows CoNLL's four classes; the guidelines have seven types.
// types refines each span with the knowledge base and the name's own
// words: places split into GPE (countries, regions, towns), LOC (seas,
// mountains, continents) and FAC (airports, squares, bridges); MISC names
// become EVENT or NORP where they are one; outlets and agencies the model
// took for people are organisations; and nationality, religion and party
// words the model left out are added as NORP.

// facWords end the name of a building, a structure or a road.
var facWords = wordSet(`Airport Aerodrome Airfield Terminal Station Stadium Arena Ballpark Coliseum Colosseum
	Bridge Tunnel Dam Square Street Road Avenue Boulevard Highway Motorway Freeway Expressway Lane Drive
	Hall Tower Towers Building Palace Castle Cathedral Mosque Church Chapel Temple Synagogue Abbey Basilica
	Prison Jail Penitentiary Monument Memorial Gardens Pier Port Harbour Harbor Racecourse Speedway Circuit
	Mall Market Theatre Theater Hotel Field Mine Cemetery Lodge Yard Complex Headquarters Ranch Plaza Park
	Observatory Route Interstate Zoo Facility Telescope Telescopes Junction Corner Base Pipeline`)

// facFirst start the name of a road or a square in other languages
// ("Rue du Château du Roi").
var facFirst = wordSet(`Rue Via Calle Avenida Avenue Boulevard Place Piazza Plaza`)

// facStrong end only facilities, even when the model called the name an
// organisation ("Stavanger Airport").
var facStrong = wordSet(`Airport Stadium Arena Bridge Square Street Avenue Boulevard Tunnel Cathedral Mosque Zoo Lodge`)

// venueWords before "Center" or "Centre" make a venue, not an institution
// ("Mesquite Convention Center", "Kennedy Space Center"; but "Carter
// Center").
var venueWords = wordSet(`Convention Congress Conference Exhibition Shopping Space Trade Civic Events`)

// facName reports whether a name the model called an organisation is a
// facility by its last words.
func facName(doc *text.Doc, s *span) bool {
	last := doc.TokenText(s.end - 1)
	if facStrong[last] {
		return true
	}
	return s.end-s.start > 2 && (last == "Center" || last == "Centre") && venueWords[doc.TokenText(s.end-2)]
}

// locWords end the name of a natural place.
var locWords = wordSet(`River Lake Sea Ocean Bay Gulf Strait Channel Sound Mountains Mountain Mount Hills Hill
	Valley Desert Island Islands Isle Peninsula Coast Forest Cape Plain Plains Basin Reef Glacier Volcano
	Canyon Falls Delta Archipelago Lagoon Creek`)

// directions start the name of a part of a place.
var directions = wordSet(`North South East West Northern Southern Eastern Western Central Northeast Northwest
	Southeast Southwest Upper Lower Greater Inner Outer`)

// orgWords end the name of an organisation that the model took for a
// place ("Kennedy Space Center", "Mayo Clinic").
var orgWords = wordSet(`Center Centre Hospital Clinic Museum Club Library Zoo School College
	University Institute Court Council Committee Agency Service Office Ministry Department Company
	Railway Railways Airlines Airways Patrol Police Force Corps Society`)

// celestial bodies are not annotated (the modern set's convention), nor
// are time zones.
// Nor are the acronyms of common nouns (diseases, job titles, degrees)
// that the model takes for organisations, nor the names of languages.
var notNames = wordSet(`Earth Moon Sun Mars Venus Mercury Jupiter Saturn Uranus Neptune Pluto UTC GMT
	HIV AIDS COVID SARS MERS TB STD STDs LGBT LGBTQ LGBTQ+ FGM PrEP UBI GDP CEO CEOs CFO NGO NGOs DNA RNA
	OS EOL PhD AI CCTV GPS MRI ICU PPE VPN
	Arabic Hindi Farsi Urdu Mandarin Cantonese Swahili Tagalog Bengali Punjabi Esperanto`)

// gpeWords end the name of an administrative area ("Palm Beach County",
// "Hubei Province"); gpeFirst start one ("County Galway").
var (
	gpeWords = wordSet(`County Province Prefecture Oblast Krai Governorate Municipality District Borough Parish
		Township City Town Village State Republic Emirate Canton Region Territory Shire`)
	gpeFirst = wordSet(`County Province State Republic City Kingdom`)
)

// eventWords end the name of an event ("Vietnam War", "2019 Rugby World
// Cup", "Republican National Convention"); stormWords start one
// ("Hurricane Dorian").
var (
	eventWords = wordSet(`War Wars Olympics Olympiad Games Cup Championship Championships Election Elections
		Summit Festival Fest Convention Conference Expo Exposition Fair Faire Marathon Tournament Grand Prix
		Revolution Uprising Massacre Bombing Bombings Attack Attacks Earthquake Tsunami Eruption Pandemic
		Crisis Riots Protests Awards Contest Derby Open Prix Jubilee`)
	stormWords = wordSet(`Hurricane Typhoon Cyclone Storm Depression`)
	// orgEventWords end an event even when the model called it an
	// organisation ("Democratic National Convention").
	orgEventWords = wordSet(`Convention Championship Championships Olympiad Olympics Games Cup Summit Festival`)
)

// types applies the seven-type refinements to st.spans.
func (r *Recognizer) types(doc *text.Doc, st *state) {
	if r.kb == nil {
		return
	}
	toks := st.toks
	sports := teamPage(doc) || r.tableRows(doc, st) >= 2
	st.storms(doc)
	st.elections(doc)
	// a lone name that is a person's surname here ("Bloomberg" after
	// "Michael Bloomberg") stays the person
	if st.surnames == nil {
		st.surnames = make(map[uint64]bool)
	}
	clear(st.surnames)
	for _, s := range st.spans {
		if s.class == clsPer && s.end-s.start > 1 {
			st.surnames[toks[s.end-1].Lower] = true
		}
	}
	for i := range st.spans {
		s := &st.spans[i]
		if s.typ != "" {
			continue
		}
		last := doc.TokenText(s.end - 1)
		cands := r.kb.Lookup(st.key(doc, s.start, s.end))
		has := func(typ string) bool { return hasType(cands, typ) }
		own := ownList(cands)
		bits, _ := r.gaz.Lookup(toks[s.start:s.end])
		if s.end-s.start == 1 && (notNames[last] && s.class != clsPer ||
			s.class == clsPer && tagger.Has(bits, tagger.GTitle) && (!tagger.Has(bits, tagger.GSur) || afterThe(doc, s.start)) ||
			currencyUse(doc, s.end) || (s.class == clsMisc && isLanguageUse(doc, s.start))) {
			// "Earth", "UTC"; "Pope" alone is a title, not a name; "US" in
			// "US$50" or "US dollars" names a currency, "Spanish language"
			// a language
			s.typ = drop
			continue
		}
		if s.class == clsPer {
			st.stripTitles(doc, s)
			if s.end-s.start == 1 && notPersons[doc.TokenText(s.start)] {
				s.typ = drop
				continue
			}
		}
		if s.class == clsOrg && s.end-s.start == 1 && doc.TokenText(s.start) == "Who" {
			// a question, not the World Health Organization
			s.typ = drop
			continue
		}
		// "The New York Times", "The Associated Press": the article is part
		// of the outlet's name
		if s.start > 0 && doc.TokenText(s.start-1) == "The" && s.class != clsPer {
			if c := r.kb.Lookup(st.key(doc, s.start-1, s.end)); ownList(c) == kb.Org {
				s.start--
				s.class, s.typ = clsOrg, event.TypeOrg
				continue
			}
		}
		if s.end-s.start == 1 && (s.class != clsPer || st.pluralNotPerson(doc, s.start)) && r.groupWord(st, doc, s.start) {
			s.typ = event.TypeNORP
			continue
		}
		switch {
		case s.end-s.start == 1 && st.stormNames[toks[s.start].Lower]:
			// "Haiyan" after "Typhoon Haiyan"
			s.typ = event.TypeEvent
		case s.class != clsLoc && s.end-s.start == 1 && tagger.Has(bits, tagger.GDemonym) && !tagger.Has(bits, tagger.GCountry):
			s.typ = event.TypeNORP
		case s.class == clsOrg && !sports && statePlace(cands):
			// a country or a state standing for its government ("Nevada
			// sued"): the guidelines keep it a GPE
			s.class, s.typ = clsLoc, event.TypeGPE
		case own == kb.Org && s.class != clsLoc && !(s.class == clsPer && st.surnames[toks[s.start].Lower]):
			// outlets, agencies, parties the model took for people or works
			s.class, s.typ = clsOrg, event.TypeOrg
		case s.class == clsPer && brandNotPerson(cands, toks[s.start:s.end]):
			// "Red Hat", "Ocado": a company the index knows well, whose
			// name is no one's first name or surname
			s.class, s.typ = clsOrg, event.TypeOrg
		case own == kb.Event, s.end-s.start > 1 && eventWords[last] && !has(kb.Org) &&
			(s.class == clsMisc || s.class == clsOrg && orgEventWords[last]):
			s.typ = event.TypeEvent
		case own == kb.NORP:
			s.typ = event.TypeNORP
		case own == kb.GPE:
			// countries that no longer exist ("Soviet Union")
			s.class, s.typ = clsLoc, event.TypeGPE
		case own == kb.Loc && s.class != clsPer && (s.class != clsOrg || s.end-s.start > 1):
			// several words of the own list's regions are a region even
			// where the model read an organisation ("West Bank", "Far
			// East"); one word may be a team or a company ("Pacific")
			s.class, s.typ = clsLoc, event.TypeLoc
		case s.class == clsLoc || s.class == clsOrg && has(kb.Fac) && !has(kb.Org):
			s.typ = r.placeType(doc, st, s, cands, bits)
		case s.class == clsOrg && s.end-s.start > 1 && facName(doc, s) && !has(kb.Org):
			s.typ = event.TypeFac
		case s.class == clsMisc && has(kb.Fac):
			s.typ = event.TypeFac
		case s.class == clsMisc && s.end-s.start == 1 && tagger.Has(bits, tagger.GDemonym):
			s.typ = event.TypeNORP
		}
	}
	out := st.spans[:0]
	for _, s := range st.spans {
		if s.typ != drop {
			out = append(out, s)
		}
	}
	st.spans = out
	st.joinDC(doc)
	st.joinCampus(doc)
	st.numbersInNames(doc)
	st.stations(doc)
	st.partyNames(doc)
	st.surnameParticles(doc)
	r.splitCountryPrefix(doc, st)
	st.addGroupWords(r, doc)
}

// numbersInNames grows events over the year they are named with ("2020
// US Presidential Election", "Beyond Fest 2019") and roads and addresses
// over their number ("Interstate 80", "10 Downing Street").
func (st *state) numbersInNames(doc *text.Doc) {
	toks := st.toks
	isYear := func(k int) bool {
		if k < 0 || k >= len(toks) || toks[k].Cls != tagger.ClsNumber {
			return false
		}
		w := doc.TokenText(k)
		return len(w) == 4 && (w[:2] == "19" || w[:2] == "20")
	}
	free := func(k, i int) bool {
		return (i == 0 || st.spans[i-1].end <= k) && (i+1 == len(st.spans) || st.spans[i+1].start > k)
	}
	for i := range st.spans {
		s := &st.spans[i]
		switch s.typ {
		case event.TypeEvent:
			if isYear(s.start-1) && free(s.start-1, i) {
				s.start--
			}
			if isYear(s.end) && free(s.end, i) && !toks[s.end].SentStart {
				s.end++
			}
		case event.TypeFac:
			last := doc.TokenText(s.end - 1)
			if (last == "Route" || last == "Interstate" || last == "Highway") && s.end < len(toks) &&
				toks[s.end].Cls == tagger.ClsNumber && free(s.end, i) {
				s.end++
			}
			if s.start > 0 && toks[s.start-1].Cls == tagger.ClsNumber && !toks[s.start].SentStart &&
				(last == "Street" || last == "Road" || last == "Avenue") && free(s.start-1, i) {
				s.start--
			}
		}
	}
}

// notPersons are names the guidelines do not annotate as people.
var notPersons = wordSet(`God Allah`)

// moreTitles are honorifics and roles the model leaves inside a person's
// span ("Taoiseach Leo Varadkar", "Cde Mugabe", "Mme Spanton").
var moreTitles = wordSet(`Taoiseach Cde Mme Mlle Swami Mufti Imam Rabbi Pastor Sheikh Sri Shri Smt Hon Dy
	Pilot Co-author Author Elder Monsignor Monsenor Fr Sr Br Archdeacon Deacon Ayatollah Mullah Maulana
	Commissioner Councillor Councilor Alderman Chancellor Premier Minister Senator Representative Speaker`)

// stripTitles drops leading honorifics, roles and ages from a person's
// span ("Fourteen-year-old Zoe").
func (st *state) stripTitles(doc *text.Doc, s *span) {
	for s.end-s.start > 1 {
		w := doc.TokenText(s.start)
		if !moreTitles[w] && !strings.HasSuffix(w, "-year-old") {
			return
		}
		s.start++
	}
}

// brandNotPerson reports whether a name the model took for a person is a
// company the index knows (an id, in several categories or countries)
// and no person the knowledge base knows, and its first word is no first
// name (or, alone, no surname either).
func brandNotPerson(cands []kb.Entry, toks []tagger.Tok) bool {
	if hasType(cands, kb.Person) || ownList(cands) != "" {
		return false
	}
	org := false
	for _, c := range cands {
		if c.Type == kb.Org && c.QID != "" && c.Prior >= 3 {
			org = true
		}
	}
	if !org {
		return false
	}
	g := toks[0].Gaz
	if tagger.Has(g, tagger.GFirst) || tagger.Has(g, tagger.GFirstRare) {
		return false
	}
	return len(toks) > 1 || !tagger.Has(g, tagger.GSur)
}

// joinCampus makes "University of California, San Diego" one
// organisation: a university named after a place, a comma, and the campus
// town.
func (st *state) joinCampus(doc *text.Doc) {
	out := st.spans[:0]
	for i := 0; i < len(st.spans); i++ {
		s := st.spans[i]
		if s.class == clsOrg && s.end-s.start >= 3 && doc.TokenText(s.start) == "University" &&
			doc.TokenText(s.start+1) == "of" && s.end+1 < len(doc.Tokens) && doc.TokenText(s.end) == "," &&
			i+1 < len(st.spans) && st.spans[i+1].start == s.end+1 && st.spans[i+1].end-st.spans[i+1].start <= 3 &&
			(st.spans[i+1].typ == event.TypeGPE || st.spans[i+1].class == clsLoc) {
			s.end = st.spans[i+1].end
			s.typ = event.TypeOrg
			i++
		}
		out = append(out, s)
	}
	st.spans = out
}

// splitCountryPrefix splits "US Green Party" and "United States
// Democratic Party" into the country and the party, as the annotators
// write them (but "United States Senate" stays whole).
func (r *Recognizer) splitCountryPrefix(doc *text.Doc, st *state) {
	n := len(st.spans)
	for i := 0; i < n; i++ {
		s := &st.spans[i]
		if s.class != clsOrg || s.end-s.start < 2 {
			continue
		}
		for k := s.start + 1; k < s.end && k <= s.start+2; k++ {
			c := r.kb.Lookup(st.key(doc, s.start, k))
			if !isCountry(c) {
				continue
			}
			// the dev set keeps "United States Senate" whole: only
			// parties are split
			if doc.TokenText(s.end-1) != "Party" {
				break
			}
			st.spans = append(st.spans, span{start: s.start, end: k, class: clsLoc, typ: event.TypeGPE})
			s = &st.spans[i]
			s.start = k
			break
		}
	}
	if len(st.spans) > n {
		sortSpans(st.spans)
	}
}

func isCountry(cands []kb.Entry) bool {
	for _, c := range cands {
		if c.Kind == kb.KindCountry {
			return true
		}
	}
	return false
}

func afterThe(doc *text.Doc, i int) bool {
	return i > 0 && strings.EqualFold(doc.TokenText(i-1), "the")
}

// currencyUse reports whether the token at i makes the name before it a
// currency's ("US$", "US dollars").
func currencyUse(doc *text.Doc, i int) bool {
	if i >= len(doc.Tokens) {
		return false
	}
	w := doc.TokenText(i)
	if w == "$" {
		return doc.Tokens[i].Flags&text.SpaceBefore == 0
	}
	return w == "dollar" || w == "dollars"
}

// joinDC makes "Washington, D.C." one place, as the guidelines write it.
func (st *state) joinDC(doc *text.Doc) {
	out := st.spans[:0]
	for i := 0; i < len(st.spans); i++ {
		s := st.spans[i]
		if s.end-s.start == 1 && doc.TokenText(s.start) == "Washington" && s.end+1 < len(doc.Tokens) &&
			doc.TokenText(s.end) == "," && (doc.TokenText(s.end+1) == "D.C." || doc.TokenText(s.end+1) == "DC") {
			s.end += 2
			s.class, s.typ = clsLoc, event.TypeGPE
			if i+1 < len(st.spans) && st.spans[i+1].start < s.end {
				i++
			}
		}
		out = append(out, s)
	}
	st.spans = out
}

// drop marks a span that types removes.
const drop = "-"

// statePlace reports whether a name is best known as a country or a
// first-level region.
func statePlace(cands []kb.Entry) bool {
	best, bs := kb.Entry{}, -1.0
	for _, c := range cands {
		if s := kb.Score(c, nil); s > bs {
			best, bs = c, s
		}
	}
	return best.Type == kb.GPE && (best.Kind == kb.KindCountry || best.Kind == kb.KindRegion)
}

// placeType types a place: a building or road, a natural place, or a
// political one.
func (r *Recognizer) placeType(doc *text.Doc, st *state, s *span, cands []kb.Entry, bits uint32) string {
	first, last := doc.TokenText(s.start), doc.TokenText(s.end-1)
	multi := s.end-s.start > 1
	switch {
	case hasType(cands, kb.Fac) && !hasType(cands, kb.GPE):
		return event.TypeFac
	case multi && (facWords[last] || facFirst[first] || facName(doc, s)):
		return event.TypeFac
	case tagger.Has(bits, tagger.GDemonym) && !tagger.Has(bits, tagger.GCountry):
		return event.TypeNORP
	case hasType(cands, kb.Org) && !hasType(cands, kb.GPE):
		// a team or a company named after its place ("Utah Jazz")
		return event.TypeOrg
	case hasType(cands, kb.GPE), bits&placeBits != 0:
		return event.TypeGPE
	case multi && (orgWords[last] || tagger.Has(st.toks[s.end-1].Gaz, tagger.GOrgKey)):
		return event.TypeOrg
	case multi && directions[first]:
		// a part of a place: "Northern Syria", "South London"
		return event.TypeLoc
	case multi && (last == "Reserve" || last == "Estuary"):
		return event.TypeLoc
	case multi && (locWords[last] || first == "Mount" || first == "Lake"):
		return event.TypeLoc
	case multi && (gpeWords[last] || gpeFirst[first]):
		return event.TypeGPE
	}
	return event.TypeGPE
}

func hasType(cands []kb.Entry, typ string) bool {
	for _, c := range cands {
		if c.Type == typ {
			return true
		}
	}
	return false
}

// ownCanonical is the name the project's own lists give ("" if none).
func ownCanonical(cands []kb.Entry) string {
	for _, c := range cands {
		if c.Source == "compiled.tsv" {
			return c.Canonical
		}
	}
	return ""
}

// ownList returns the type the project's own lists give a name ("" when
// they do not list it).
func ownList(cands []kb.Entry) string {
	for _, c := range cands {
		if c.Source == "compiled.tsv" {
			return c.Type
		}
	}
	return ""
}

// key returns the knowledge-base key of tokens [a, b) in st's scratch.
func (st *state) key(doc *text.Doc, a, b int) []byte {
	st.kbKey = st.kbKey[:0]
	for k := a; k < b; k++ {
		st.kbKey = kb.AppendKeyToken(st.kbKey, doc.TokenText(k))
	}
	return st.kbKey
}

// isLanguageUse reports whether a nationality word names a language ("in
// English", "speaks French"), which is not a NORP.
func isLanguageUse(doc *text.Doc, i int) bool {
	if i+1 < len(doc.Tokens) && doc.TokenText(i+1) == "language" {
		return true
	}
	if i == 0 {
		return false
	}
	switch strings.ToLower(doc.TokenText(i - 1)) {
	case "in", "speak", "speaks", "spoke", "speaking", "into", "learn", "learning", "fluent":
		return true
	}
	return false
}

// stations grows a place over a lower-case "station" after it, which
// makes it the station ("Waterloo station", "Cité station").
func (st *state) stations(doc *text.Doc) {
	for i := range st.spans {
		s := &st.spans[i]
		e := s.end
		if s.class != clsLoc || e >= len(st.toks) || doc.TokenText(e) != "station" ||
			(i+1 < len(st.spans) && st.spans[i+1].start <= e) {
			continue
		}
		s.end, s.typ = e+1, event.TypeFac
	}
}

package tagger

import "strings"

// Hand-written word lists (the project's own), added to every gazetteer.

// Titles precede person names but are not part of them.
var Titles = strings.Fields(`mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady
president president-elect vice-president prime minister premier chancellor secretary secretary-general
secretary-of-state senator sen. sen rep. rep representative congressman congresswoman governor gov. gov
mayor king queen prince princess duke duchess pope cardinal bishop archbishop rev. reverend father sister
brother general gen. gen colonel col. col lieutenant lt. major maj. captain capt. capt sergeant sgt. admiral
adm. commander cmdr. judge justice chairman chairwoman chair ceo coach manager striker midfielder defender
goalkeeper skipper captain ambassador envoy spokesman spokeswoman spokesperson minister deputy leader
chief director officer inspector detective constable sheriff agent commissioner emir sheikh ayatollah
chairperson coach trainer champion`)

// OrgSuffixes end company and club names.
var OrgSuffixes = strings.Fields(`inc inc. corp corp. corporation co co. ltd ltd. limited plc llc l.p. lp
ag gmbh s.a. sa n.v. nv b.v. bv spa s.p.a. group holdings holding bancorp fc f.c. afc sc cf ac united city
rovers wanderers athletic athletico club association bros bros.`)

// OrgKeys are words that name organisations wherever they appear in a name.
var OrgKeys = strings.Fields(`university college institute school academy party council committee commission
ministry department agency bureau office bank court parliament assembly congress senate army navy police
federation union league association society foundation trust fund church board authority service
organisation organization company corporation airlines airways railways news times post journal herald
tribune telegraph gazette press network television radio broadcasting exchange reserve front movement
alliance coalition brigade forces guard team`)

// LocKeys are words that name places.
var LocKeys = strings.Fields(`river lake mountain mountains mount mt. island islands sea ocean bay gulf
valley desert street road avenue square park bridge airport station county province state region district
peninsula strait canal coast hills forest plain basin cape`)

// Groups are religious, ethnic and regional adjectives and nouns that news
// (and CoNLL) treat like nationalities.
var Groups = strings.Fields(`muslim muslims moslem moslems islamic islamist islamists jewish jew jews christian
christians catholic catholics roman protestant protestants orthodox buddhist buddhists hindu hindus sikh sikhs
shi'ite shiite shi'ites shiites sunni sunnis arab arabs arabic kurdish kurd kurds serb serbs croat croats
bosnian bosnians tamil tamils hutu hutus tutsi tutsis pashtun pashtuns basque basques catalan catalans
palestinian palestinians european europeans african africans asian asians latin scandinavian scandinavians
baltic balkan caribbean arabian persian celtic slavic nordic afrikaner afrikaners chechen chechens
flemish walloon corsican sardinian sicilian bavarian texan texans californian californians
scot scots scottish english welsh irish briton britons yankee`)

// CountryAliases are short forms news uses for countries. They carry no
// Wikidata id: ids come from data files (the knowledge base links these
// names through the country-codes rows).
var CountryAliases = strings.Fields(`U.S. US USA U.S.A. America UK U.K. Britain Russia Holland Netherlands
	Burma Iran Syria Vietnam Laos Taiwan Bolivia Venezuela Tanzania Moldova Macedonia Vatican Palestine UAE Congo
	Zaire Bosnia Kosovo`)

// AddBuiltins adds the hand-written lists to g.
func AddBuiltins(g *Gazetteer) {
	for _, w := range Titles {
		g.Add(w, GTitle, "")
	}
	for _, w := range OrgSuffixes {
		g.Add(w, GOrgSuffix, "")
	}
	for _, w := range OrgKeys {
		g.Add(w, GOrgKey, "")
	}
	for _, w := range CountryAliases {
		g.Add(w, GCountry, "")
	}
	for _, w := range []string{"United States", "Great Britain", "United Kingdom", "South Korea", "North Korea",
		"Czech Republic", "Ivory Coast", "DR Congo"} {
		g.Add(w, GCountry, "")
	}
	for _, w := range Groups {
		g.Add(w, GDemonym, "")
	}
	for _, w := range LocKeys {
		g.Add(w, GLocKey, "")
	}
}

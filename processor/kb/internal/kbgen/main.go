// Command kbgen compiles the knowledge base's data files from the shared
// open data (../shared/data/kb and ../shared/data/gazetteers) into the
// package's data folder. Files under different licences are written
// separately: kb.tsv.gz (public domain, CC0, PDDL, BSD-3, MIT, ISC, CC BY
// 4.0), kb-odbl.tsv.gz (ODbL 1.0) and kb-bysa3.tsv.gz (CC BY-SA 3.0).
//
//	go run ./processor/kb/internal/kbgen -kb ../shared/data/kb \
//	    -gazetteers ../shared/data/gazetteers -out processor/kb/data
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/internal/tsv"
	"github.com/newsenrich/newsenrich/processor/kb/internal/key"
)

func main() {
	kbDir := flag.String("kb", "../shared/data/kb", "folder of the kb/*.tsv files")
	gazDir := flag.String("gazetteers", "../shared/data/gazetteers", "folder of the gazetteers")
	out := flag.String("out", "processor/kb/data", "output folder")
	flag.Parse()
	if err := run(*kbDir, *gazDir, *out); err != nil {
		log.Fatal(err)
	}
}

type writer struct {
	seen  map[string]bool
	lines []string
}

func newWriter() *writer { return &writer{seen: map[string]bool{}} }

// add writes one name of an entry. Names longer than 8 tokens are left
// out (the entity stage's spans rarely are).
func (w *writer) add(name, canonical, typ, qid string, prior float64, country, kind string) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.ContainsAny(name, "\t\n") {
		return
	}
	k := string(key.Append(nil, name))
	if k == "" || strings.Count(k, " ") >= 8 {
		return
	}
	if canonical == "" {
		canonical = name
	}
	p := ""
	if prior > 0 {
		p = strconv.FormatFloat(prior, 'f', -1, 64)
	}
	line := strings.Join([]string{k, canonical, typ, qid, p, strings.ToUpper(country), kind}, "\t")
	if w.seen[line] {
		return
	}
	w.seen[line] = true
	w.lines = append(w.lines, line)
}

func (w *writer) write(path, header string) error {
	return tsv.WriteLines(path, header, w.lines, true)
}

// countryNames are the names news uses for countries whose data-file name
// is the long official one. They are names only: the id is taken from the
// country-codes row of the same ISO code.
var countryNames = map[string]string{
	"US": "United States", "GB": "United Kingdom", "RU": "Russia", "KR": "South Korea", "KP": "North Korea",
	"IR": "Iran", "SY": "Syria", "VN": "Vietnam", "LA": "Laos", "TW": "Taiwan", "BO": "Bolivia",
	"VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "CZ": "Czech Republic", "CD": "Democratic Republic of the Congo",
	"CG": "Republic of the Congo", "NL": "Netherlands", "PS": "Palestine", "VA": "Vatican City", "BN": "Brunei",
	"FM": "Micronesia", "MK": "North Macedonia", "CI": "Ivory Coast", "SZ": "Eswatini", "TR": "Turkey",
	"AE": "United Arab Emirates", "PH": "Philippines", "BS": "Bahamas", "GM": "Gambia", "KM": "Comoros",
	"DO": "Dominican Republic", "CF": "Central African Republic", "NE": "Niger", "SD": "Sudan",
}

// countryAliases are other names of countries in news copy.
var countryAliases = map[string][]string{
	"US": {"U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the United States"},
	"GB": {"UK", "U.K.", "Britain", "Great Britain"},
	"RU": {"Russian Federation"}, "KR": {"Republic of Korea"}, "KP": {"DPRK"},
	"NL": {"Holland", "The Netherlands"}, "CZ": {"Czechia"}, "CI": {"Côte d'Ivoire", "Cote d'Ivoire"},
	"MM": {"Burma"}, "CD": {"DR Congo", "DRC", "Congo-Kinshasa"}, "AE": {"UAE", "U.A.E."},
	"VA": {"Vatican"}, "BA": {"Bosnia"}, "MK": {"Macedonia"}, "TR": {"Türkiye", "Turkiye"},
	"SZ": {"Swaziland"}, "CV": {"Cape Verde"}, "TL": {"East Timor"},
}

func run(kbDir, gazDir, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	main, odbl, bysa := newWriter(), newWriter(), newWriter()
	g := func(f string) string { return filepath.Join(gazDir, f) }
	kf := func(f string) string { return filepath.Join(kbDir, f) }

	// Countries (PDDL) with their population (GeoNames, CC BY 4.0).
	pop := map[string]float64{}
	if err := tsv.Read(g("geonames-countries.tsv"), func(r map[string]string) {
		pop[r["iso2"]], _ = strconv.ParseFloat(r["population"], 64)
	}); err != nil {
		return err
	}
	if err := tsv.Read(g("country-codes-pd.tsv"), func(r map[string]string) {
		iso, q := r["iso2"], r["wikidata_id"]
		if iso == "" || q == "" {
			return
		}
		canon := countryNames[iso]
		if canon == "" {
			canon = r["name"]
		}
		names := append([]string{canon, r["name"], r["official_name_en"], strings.TrimSuffix(r["unterm_short"], " (the)"),
			longForm(r["official_name_en"])}, countryAliases[iso]...)
		for _, n := range names {
			main.add(n, canon, "GPE", q, pop[iso], iso, "country")
		}
	}); err != nil {
		return err
	}
	// Cities (GeoNames, CC BY 4.0): population and country; an id where
	// the index names the city as an operator (see cityIDs). Big cities
	// keep their ASCII title-case alternate names ("New York" for New
	// York City), so that a namesake region does not take their name.
	cityQID, err := cityIDs(kf, g)
	if err != nil {
		return err
	}
	capitals := map[string]bool{}
	if err := tsv.Read(g("geonames-cities15000.tsv"), func(r map[string]string) {
		p, _ := strconv.ParseFloat(r["population"], 64)
		kind := "city"
		if r["feature_code"] == "PPLC" {
			kind = "capital"
			capitals[r["country_code"]+"\t"+r["name"]] = true
		}
		seen := map[string]bool{}
		names := []string{r["name"], r["asciiname"]}
		if p >= 500000 {
			for _, a := range strings.Split(r["alternatenames"], "|") {
				if titleASCII(a) {
					names = append(names, a)
				}
			}
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				main.add(n, r["name"], "GPE", cityQID[r["geonameid"]], p, r["country_code"], kind)
			}
		}
	}); err != nil {
		return err
	}
	// US Congress and executive (CC0).
	if err := tsv.Read(kf("us-congress-executive.tsv"), func(r map[string]string) {
		canon := r["enwiki_title"]
		if i := strings.Index(canon, " ("); i > 0 {
			canon = canon[:i]
		}
		if canon == "" {
			canon = r["name"]
		}
		names := append([]string{r["name"], canon}, strings.Split(r["alt_names"], "|")...)
		for _, n := range names {
			main.add(n, canon, "PERSON", r["wikidata"], 0, "US", "")
		}
	}); err != nil {
		return err
	}
	// Brands, operators and agencies (BSD-3, labels CC0). The prior is the
	// number of rows (categories and countries) an id has.
	type nsiRow struct{ name, alt, label, countries string }
	rows := map[string][]nsiRow{}
	// Wikidata's English label of every id the index names (CC0): a row of
	// another file whose name is not its id's label has a wrong id
	// (London's row in the regions file carries the City of London's).
	labels := map[string]string{}
	var subjects []map[string]string // flags' subjects, see flagSubjects
	if err := tsv.Read(kf("nsi-brands-operators.tsv"), func(r map[string]string) {
		if r["wikidata"] != "" && r["wikidata_label"] != "" {
			labels[r["wikidata"]] = r["wikidata_label"]
		}
		if r["nsi_role"] == "subject" && r["wikidata"] != "" && r["wikidata_label"] != "" {
			subjects = append(subjects, r)
			return
		}
		if r["nsi_role"] == "subject" || strings.HasPrefix(r["nsi_category"], "transit/") ||
			strings.HasPrefix(r["nsi_category"], "operators/power") {
			// flags of countries; bus routes and power lines are not
			// news organisations
			return
		}
		x := nsiRow{r["name"], r["alt_names"], r["wikidata_label"], r["countries"]}
		if r["wikidata"] == "" {
			return
		}
		rows[r["wikidata"]] = append(rows[r["wikidata"]], x)
	}); err != nil {
		return err
	}
	for q, rs := range rows {
		canon := rs[0].label
		if canon == "" {
			canon = rs[0].name
		}
		country := ""
		if cs := strings.Split(rs[0].countries, "|"); len(cs) == 1 && len(cs[0]) == 2 {
			country = cs[0]
		}
		for _, x := range rs {
			for _, n := range append([]string{x.name, x.label}, strings.Split(x.alt, "|")...) {
				main.add(n, canon, "ORG", q, float64(len(rs)), country, "")
			}
		}
	}
	// Airports (public domain) and football stadiums (CC0): no ids.
	if err := tsv.Read(kf("ourairports-airports.tsv"), func(r map[string]string) {
		p := 1.0
		if r["airport_size"] == "large" {
			p = 10
		}
		main.add(r["name"], r["name"], "FAC", "", p, r["country_code"], "airport")
		if t := r["enwiki_title"]; t != "" && !strings.Contains(t, "(") {
			main.add(t, r["name"], "FAC", "", p, r["country_code"], "airport")
		}
	}); err != nil {
		return err
	}
	if err := tsv.Read(kf("openfootball-stadiums.tsv"), func(r map[string]string) {
		for _, n := range append([]string{r["name"]}, strings.Split(r["alt_names"], "|")...) {
			main.add(n, r["name"], "FAC", "", 1, "", "stadium")
		}
	}); err != nil {
		return err
	}
	// NBA and WNBA (MIT): teams are organisations, players people.
	if err := tsv.Read(kf("nba-wnba-teams-players.tsv"), func(r map[string]string) {
		if r["subtype"] == "team" {
			main.add(r["name"], r["name"], "ORG", "", 1, "US", "team")
			main.add(r["nickname"], r["name"], "ORG", "", 1, "US", "team")
			return
		}
		main.add(r["name"], r["name"], "PERSON", "", 0, "", "athlete")
	}); err != nil {
		return err
	}
	// Regions and cities with ids (ODbL): a separate file. Some regions
	// are cities (Kyiv, Moscow, Paris, Berlin): they are written as cities
	// so that they join GeoNames' city of the same name at load time, and
	// the cities file's second row for the same place is left out.
	// Populations that several regions share are copying errors of the
	// source (Florida, Uruguay has Florida, USA's): they are dropped.
	type stateRow struct {
		name, qid, cc, kind string
		pop                 float64
	}
	var states []stateRow
	popCount := map[string]int{}
	byQID := map[string]int{} // index+1 of the id's row in states
	if err := tsv.Read(kf("csc-states.tsv"), func(r map[string]string) {
		p, _ := strconv.ParseFloat(r["population"], 64)
		popCount[r["population"]]++
		kind := "district"
		switch t := r["subdivision_type"]; t {
		case "province", "region", "state", "department", "governorate", "prefecture", "administrative region",
			"republic", "autonomous region", "autonomous community", "voivodship", "country", "constituent country",
			"territory", "federal district", "oblast", "krai", "autonomous republic", "emirate", "canton",
			"metropolitan department", "county", "metropolitan city":
			// an Italian metropolitan city is the province around the
			// city (Rome's has an id of its own)
			kind = "region"
		case "city", "autonomous city", "federal city", "capital city", "capital district", "municipality",
			"metropolitan collectivity with special status", "special city":
			kind = "city"
		case "land":
			if capitals[r["country_code"]+"\t"+r["name"]] {
				kind = "city"
			}
		}
		if wrongLabel(labels, r["wikidata"], r["name"]) {
			return
		}
		s := stateRow{r["name"], r["wikidata"], r["country_code"], kind, p}
		if p > 0 && r["population"] != "" {
			s.pop = p
		}
		if i := byQID[s.qid] - 1; i >= 0 && s.qid != "" {
			// the same id twice (Florida the US state and a Puerto Rican
			// municipality): the region wins
			if states[i].kind == "city" && kind == "region" {
				states[i] = s
			}
			return
		}
		states = append(states, s)
		byQID[s.qid] = len(states)
	}); err != nil {
		return err
	}
	cityStates := map[string]bool{}
	for _, s := range states {
		if popCount[strconv.FormatFloat(s.pop, 'f', -1, 64)] > 1 {
			s.pop = 0
		}
		if s.kind == "city" {
			cityStates[s.cc+"\t"+s.name] = true
		}
		odbl.add(s.name, s.name, "GPE", s.qid, s.pop, s.cc, s.kind)
	}
	if err := tsv.Read(kf("csc-cities.tsv"), func(r map[string]string) {
		if cityStates[r["country_code"]+"\t"+r["name"]] || wrongLabel(labels, r["wikidata"], r["name"]) || (r["wikidata"] != "" && byQID[r["wikidata"]] > 0) {
			return
		}
		p, _ := strconv.ParseFloat(r["population"], 64)
		kind := "city"
		if r["settlement_type"] == "capital" {
			kind = "capital"
		}
		odbl.add(r["name"], r["name"], "GPE", r["wikidata"], p, r["country_code"], kind)
	}); err != nil {
		return err
	}
	// MLB teams and parks (CC BY-SA 3.0): a separate file.
	if err := tsv.Read(kf("lahman-mlb-teams.tsv"), func(r map[string]string) {
		p := 0.0
		if r["current_name"] == "1" {
			p = 1
		}
		bysa.add(r["name"], r["name"], "ORG", "", p, "US", "team")
	}); err != nil {
		return err
	}
	if err := tsv.Read(kf("lahman-mlb-parks.tsv"), func(r map[string]string) {
		for _, n := range append([]string{r["name"]}, strings.Split(r["alt_names"], "|")...) {
			bysa.add(n, r["name"], "FAC", "", 0, r["country"], "stadium")
		}
	}); err != nil {
		return err
	}
	flagSubjects(subjects, main, odbl)
	const head = "# key\tcanonical\ttype\twikidata\tprior\tcountry\tkind\n"
	for _, f := range []struct {
		w      *writer
		name   string
		header string
	}{
		{main, "kb.tsv.gz", "# newsenrich knowledge base: country-codes (PDDL), GeoNames (CC BY 4.0), US Congress (CC0), name-suggestion-index (BSD-3), OurAirports (public domain), openfootball (CC0), nba_api (MIT); see NOTICE\n"},
		{odbl, "kb-odbl.tsv.gz", "# Data by Countries States Cities Database / https://github.com/dr5hn/countries-states-cities-database | ODbL v1.0 (derived table, offered under ODbL 1.0)\n"},
		{bysa, "kb-bysa3.tsv.gz", "# Lahman Baseball Database, SABR (sabr.org/lahman-database), CC BY-SA 3.0 (derived table, offered under CC BY-SA 3.0)\n"},
	} {
		if err := f.w.write(filepath.Join(out, f.name), f.header+head); err != nil {
			return err
		}
		fmt.Printf("%s: %d names\n", f.name, len(f.w.lines))
	}
	return nil
}

// titleASCII reports whether s is an ASCII name whose words start with a
// capital letter ("New York"), as English news writes a city's name.
func titleASCII(s string) bool {
	if len(s) < 3 {
		return false
	}
	for _, w := range strings.Fields(s) {
		if w[0] < 'A' || w[0] > 'Z' {
			return false
		}
		for i := 0; i < len(w); i++ {
			if w[i] >= 0x80 {
				return false
			}
		}
	}
	return true
}

// wrongLabel reports whether Wikidata's label of qid is known and is not
// name.
func wrongLabel(labels map[string]string, qid, name string) bool {
	l, ok := labels[qid]
	return ok && !strings.EqualFold(l, name)
}

package train

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/internal/tsv"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Output file names of the compiled gazetteers. They are separate files
// because their sources carry different licences: gazetteer.tsv.gz holds
// attribution-only and public-domain lists, intl-orgs.tsv is CC BY-SA 4.0
// and demonyms.tsv is ODbL 1.0.
const (
	GazetteerFile = "gazetteer.tsv.gz"
	IntlOrgsFile  = "intl-orgs.tsv"
	DemonymsFile  = "demonyms.tsv"
)

// phrase tokenizes a name with the shared tokenizer, so gazetteer keys split
// exactly as article text does.
func phrase(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	d := text.New(s)
	parts := make([]string, 0, len(d.Tokens))
	for i := range d.Tokens {
		parts = append(parts, d.TokenText(i))
	}
	return strings.Join(parts, " ")
}

type gazWriter struct {
	seen  map[string]bool
	lines []string
}

func (g *gazWriter) add(class, name, qid string) {
	p := phrase(name)
	if p == "" || len(p) > 120 {
		return
	}
	key := class + "\t" + strings.ToLower(p)
	if g.seen[key] {
		return
	}
	g.seen[key] = true
	line := class + "\t" + p
	if qid != "" {
		line += "\t" + qid
	}
	g.lines = append(g.lines, line)
}

func (g *gazWriter) write(path string, gz bool, header string) error {
	return tsv.WriteLines(path, header, g.lines, gz)
}

// minNationMatches is the number of internationals a national football
// team needs to count as a country in the gazetteer.
const minNationMatches = 30

var companySuffix = map[string]bool{"inc": true, "inc.": true, "corp": true, "corp.": true, "co": true, "co.": true,
	"ltd": true, "ltd.": true, "plc": true, "llc": true, "lp": true, "l.p.": true, "holdings": true, "group": true,
	"corporation": true, "company": true, "limited": true, "trust": true, "/de/": true, "de": true, "sa": true,
	"ag": true, "nv": true, "n.v.": true, "s.a.": true, "se": true, "/": true, "ltd/": true, "class": true, "a": true}

// BuildGazetteers compiles the name lists in dir into out. It returns the
// number of entries per file.
func BuildGazetteers(dir, out string) (map[string]int, error) {
	main := &gazWriter{seen: map[string]bool{}}
	orgs := &gazWriter{seen: map[string]bool{}}
	dem := &gazWriter{seen: map[string]bool{}}
	p := func(f string) string { return filepath.Join(dir, f) }
	steps := []struct {
		file string
		fn   func(map[string]string)
	}{
		{"first-names.tsv", func(r map[string]string) {
			n, _ := strconv.Atoi(r["count_1880_2023"])
			switch {
			case n >= 2000:
				main.add("FIRST", r["name"], "")
			case n >= 100:
				main.add("FIRSTRARE", r["name"], "")
			}
		}},
		{"surnames.tsv", func(r map[string]string) {
			if rank, _ := strconv.Atoi(r["rank_1990"]); rank > 0 && rank <= 40000 {
				main.add("SUR", r["name_upper"], "")
			}
		}},
		{"country-codes-pd.tsv", func(r map[string]string) {
			for _, k := range []string{"name", "official_name_en", "unterm_short"} {
				main.add("COUNTRY", r[k], r["wikidata_id"])
			}
		}},
		{"geonames-countries.tsv", func(r map[string]string) {
			main.add("COUNTRY", r["name"], "")
			main.add("CITY", r["capital"], "")
		}},
		{"geonames-admin1.tsv", func(r map[string]string) {
			main.add("ADMIN1", r["name"], "")
			main.add("ADMIN1", r["asciiname"], "")
		}},
		{"geonames-cities15000.tsv", func(r map[string]string) {
			pop, _ := strconv.Atoi(r["population"])
			class := "TOWN"
			if pop >= 100000 || r["feature_code"] == "PPLC" {
				class = "CITY"
			}
			main.add(class, r["name"], "")
			main.add(class, r["asciiname"], "")
			for _, a := range strings.Split(r["alternatenames"], "|") {
				if isTitleASCII(a) {
					main.add(class, a, "")
				}
			}
		}},
		{"football-clubs.tsv", func(r map[string]string) {
			main.add("CLUB", r["name"], "")
			for _, a := range strings.Split(r["alt_names"], "|") {
				main.add("CLUB", a, "")
			}
		}},
		{"national-football-teams.tsv", func(r map[string]string) {
			// sides with few internationals are mostly regions and
			// counties (Yorkshire, Surrey, Corsica) that also field clubs:
			// they are not countries
			if n, _ := strconv.Atoi(r["matches"]); n < minNationMatches {
				return
			}
			main.add("COUNTRY", r["team"], "")
		}},
		{"football-tournaments.tsv", func(r map[string]string) {
			if n, _ := strconv.Atoi(r["matches"]); n >= 20 && r["tournament"] != "Friendly" {
				main.add("EVENT", r["tournament"], "")
			}
		}},
		{"companies.tsv", func(r map[string]string) {
			name := r["name"]
			main.add("COMPANY", name, "")
			f := strings.Fields(strings.ToLower(strings.ReplaceAll(name, ",", " ")))
			for len(f) > 1 && companySuffix[f[len(f)-1]] {
				f = f[:len(f)-1]
			}
			if len(f) > 0 && len(strings.Join(f, " ")) > 2 {
				main.add("COMPANY", strings.Join(f, " "), "")
			}
		}},
		{"intl-orgs.tsv", func(r map[string]string) {
			q := r["wikidata_id"]
			orgs.add("INTLORG", r["name_en"], q)
			if a := r["abbreviation_en"]; a != "" {
				orgs.add("INTLORG", a, q)
				// news writes short abbreviations with periods: "U.N."
				if d := dotted(a); d != "" {
					orgs.add("INTLORG", d, q)
				}
			}
			for _, o := range strings.Split(r["other_names_en"], "|") {
				orgs.add("INTLORG", o, q)
			}
		}},
		{"countries.tsv", func(r map[string]string) {
			for _, d := range strings.Split(r["demonyms_en"], "|") {
				dem.add("DEMONYM", d, "")
				if d != "" && !strings.HasSuffix(d, "s") && !strings.HasSuffix(d, "ese") && !strings.HasSuffix(d, "ish") && !strings.HasSuffix(d, "ch") {
					dem.add("DEMONYM", d+"s", "")
				}
			}
		}},
	}
	for _, s := range steps {
		if err := tsv.Read(p(s.file), s.fn); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if err := main.write(filepath.Join(out, GazetteerFile), true,
		"# Compiled by `newsenrich train` from GeoNames (CC BY 4.0), US SSA first names and US Census surnames (public domain),\n"+
			"# SEC company tickers (US government), openfootball clubs and international results (CC0), datasets/country-codes (PDDL).\n"+
			"# See NOTICE. Format: CLASS<TAB>tokens separated by spaces[<TAB>Wikidata id]\n"); err != nil {
		return nil, err
	}
	if err := orgs.write(filepath.Join(out, IntlOrgsFile), false,
		"# International organisation list from supraverden by Confirmordeny (https://github.com/confirmordeny/supraverden),\n"+
			"# licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). Contains public sector information\n"+
			"# licensed under the Open Government Licence v3.0. Wikidata identifiers CC0. Modified: names, abbreviations and\n"+
			"# other names re-tokenized one per line with their Wikidata id; short capitals abbreviations also written with\n"+
			"# periods (UN -> U.N.). This file is CC BY-SA 4.0.\n"); err != nil {
		return nil, err
	}
	if err := dem.write(filepath.Join(out, DemonymsFile), false,
		"# Contains information from mledoze/countries (https://github.com/mledoze/countries), which is made available\n"+
			"# here under the Open Database License (ODbL) (https://opendatacommons.org/licenses/odbl/1-0/).\n"+
			"# Modified: only the English demonyms column, one per line, plus plural forms. This file is ODbL 1.0.\n"); err != nil {
		return nil, err
	}
	return map[string]int{GazetteerFile: len(main.lines), IntlOrgsFile: len(orgs.lines), DemonymsFile: len(dem.lines)}, nil
}

func isTitleASCII(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return s[0] >= 'A' && s[0] <= 'Z'
}

// dotted spells a short capitals abbreviation with periods ("UN" ->
// "U.N."); "" when a is not one.
func dotted(a string) string {
	if len(a) < 2 || len(a) > 4 {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(a); i++ {
		if a[i] < 'A' || a[i] > 'Z' {
			return ""
		}
		b.WriteByte(a[i])
		b.WriteByte('.')
	}
	return b.String()
}

package main

import (
	"regexp"
	"strings"

	"github.com/newsenrich/newsenrich/internal/tsv"
)

// cityWords in a Wikidata description say that the item is a city or a
// town itself ("capital city of the U.S. state of Colorado"). A
// "municipality" is left out: in several countries it is an item of its
// own beside the town (Amsterdam's, Drammen's).
var cityWords = regexp.MustCompile(`\b(city|town|capital|commune|borough|village|county seat)\b`)

type gnCity struct{ id, admin1 string }

// cityIDs gives GeoNames cities the Wikidata ids of the name-suggestion-
// index's operators that are those cities (the City and County of Denver
// runs parks; its Wikidata label is "Denver", its description "… city …",
// its area "us-co"). The label must be a GeoNames name of a city of the
// area's country, and where the area names a first-level region (always
// in the United States, where namesakes abound), of that region; else the
// name must be the only city of that name in the country. Names that the
// regions-and-cities file gives an id are left to it. The map is keyed by
// GeoNames id.
func cityIDs(kf, g func(string) string) (map[string]string, error) {
	cities := map[string][]gnCity{} // cc + "\t" + name
	if err := tsv.Read(g("geonames-cities15000.tsv"), func(r map[string]string) {
		c := gnCity{r["geonameid"], r["admin1_code"]}
		cities[r["country_code"]+"\t"+r["name"]] = append(cities[r["country_code"]+"\t"+r["name"]], c)
		if r["asciiname"] != r["name"] {
			cities[r["country_code"]+"\t"+r["asciiname"]] = append(cities[r["country_code"]+"\t"+r["asciiname"]], c)
		}
	}); err != nil {
		return nil, err
	}
	// ISO 3166-2 region code -> GeoNames admin1 code, joined by name
	admin1 := map[string]string{} // cc + "\t" + name -> admin1 code
	if err := tsv.Read(g("geonames-admin1.tsv"), func(r map[string]string) {
		cc, code, ok := strings.Cut(r["code"], ".")
		if ok {
			admin1[cc+"\t"+r["name"]] = code
			admin1[cc+"\t"+r["asciiname"]] = code
		}
	}); err != nil {
		return nil, err
	}
	iso := map[string]string{}
	withID := map[string]bool{} // cc + "\t" + name of the ODbL rows with an id
	if err := tsv.Read(kf("csc-states.tsv"), func(r map[string]string) {
		if code, ok := admin1[r["country_code"]+"\t"+r["name"]]; ok && r["iso3166_2"] != "" {
			iso[strings.ToLower(r["iso3166_2"])] = code
		}
		if r["wikidata"] != "" {
			withID[r["country_code"]+"\t"+r["name"]] = true
		}
	}); err != nil {
		return nil, err
	}
	if err := tsv.Read(kf("csc-cities.tsv"), func(r map[string]string) {
		if r["wikidata"] != "" {
			withID[r["country_code"]+"\t"+r["name"]] = true
		}
	}); err != nil {
		return nil, err
	}
	out := map[string]string{}
	clash := map[string]bool{} // GeoNames ids two index items claim
	if err := tsv.Read(kf("nsi-brands-operators.tsv"), func(r map[string]string) {
		q, label := r["wikidata"], r["wikidata_label"]
		if q == "" || label == "" || (r["nsi_role"] != "operator" && r["nsi_role"] != "subject") ||
			!cityWords.MatchString(r["wikidata_description"]) || strings.Contains(r["wikidata_description"], "municipality") {
			return
		}
		areas := strings.Split(r["countries"], "|")
		if len(areas) != 1 {
			return
		}
		area := strings.TrimSuffix(areas[0], ".geojson")
		cc, region, _ := strings.Cut(area, "-")
		if len(cc) != 2 {
			return
		}
		region, _, _ = strings.Cut(region, "-") // us-tx-austin
		cc = strings.ToUpper(cc)
		if withID[cc+"\t"+label] {
			return
		}
		cands := cities[cc+"\t"+label]
		var match []gnCity
		switch code, known := iso[strings.ToLower(cc+"-"+region)], region != ""; {
		case cc == "US" && known:
			code = strings.ToUpper(region)
			fallthrough
		case known && code != "":
			for _, c := range cands {
				if c.admin1 == code {
					match = append(match, c)
				}
			}
		case cc != "US":
			match = cands
		}
		if len(match) != 1 {
			return
		}
		id := match[0].id
		if prev, ok := out[id]; ok && prev != q {
			clash[id] = true
		}
		out[id] = q
	}); err != nil {
		return nil, err
	}
	for id := range clash {
		delete(out, id)
	}
	return out, nil
}

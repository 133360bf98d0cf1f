package main

import (
	"regexp"
	"strings"

	"github.com/newsenrich/newsenrich/processor/kb/internal/key"
)

func keyOf(name string) string { return string(key.Append(nil, strings.TrimSpace(name))) }

// longForm turns the country-codes form "Iran (Islamic Republic of)" into
// the one news writes, "Islamic Republic of Iran" ("" if s has no such
// parenthesis).
func longForm(s string) string {
	i := strings.Index(s, " (")
	if i <= 0 || !strings.HasSuffix(s, " of)") {
		return ""
	}
	return s[i+2:len(s)-1] + " " + s[:i]
}

var (
	// subjectCountry and the others read a flag subject's Wikidata
	// description (CC0) for the kind of place it is.
	subjectCountry = regexp.MustCompile(`^(former |island |archipelagic |landlocked )?(country|sovereign state|microstate|state) in\b|^former (country|state)\b|^(sovereign )?microstate\b`)
	subjectCapital = regexp.MustCompile(`^capital (city )?of\b|^capital and largest city\b`)
	subjectRegion  = regexp.MustCompile(`\b(state|province|prefecture|territory|region|department)\b`)
	subjectOrg     = regexp.MustCompile(`\b(branch of|service branch|armed forces|organization)\b`)
)

// flagSubjects adds the places and bodies whose flags the
// name-suggestion-index lists (Soviet Union, Washington, D.C., the United
// States Navy) under their Wikidata label, typed by the label's
// description: a country, a capital, a first-level region or an
// organisation; anything else (a people, a language, a cause) is left
// out. A continent is a LOC region (Europe). A name another file already
// gives a place id keeps that file's: two ids for one name would leave it
// unlinked.
func flagSubjects(subjects []map[string]string, main, odbl *writer) {
	placed := map[string]bool{}
	for _, w := range []*writer{main, odbl} {
		for _, l := range w.lines {
			f := strings.Split(l, "\t")
			if len(f) >= 4 && f[2] == "GPE" && f[3] != "" {
				placed[f[0]] = true
			}
		}
	}
	for _, r := range subjects {
		label, q, d := r["wikidata_label"], r["wikidata"], r["wikidata_description"]
		cc := ""
		if c := r["countries"]; len(c) == 2 {
			cc = c
		} else if len(c) > 3 && c[2] == '-' {
			cc = c[:2]
		}
		key := keyOf(label)
		switch {
		case strings.HasPrefix(d, "terrestrial continent"):
			main.add(label, label, "LOC", q, 0, "", "region")
		case placed[key]:
		case subjectCountry.MatchString(d):
			main.add(label, label, "GPE", q, 0, "", "country")
		case subjectCapital.MatchString(d):
			main.add(label, label, "GPE", q, 0, cc, "capital")
		case subjectRegion.MatchString(d) && !subjectOrg.MatchString(d):
			main.add(label, label, "GPE", q, 0, cc, "region")
		case subjectOrg.MatchString(d):
			main.add(label, label, "ORG", q, 0, "", "")
		}
	}
}

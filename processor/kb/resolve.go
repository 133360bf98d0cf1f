package kb

import "math"

// Margin is how far (in powers of ten of the prior) the chosen candidate
// must lead the next one: a tenfold lead, or the article's country.
const Margin = 1.0

// Resolve picks the candidate that a name of type typ refers to. inContext
// reports whether a country (ISO alpha-2) is one the article is about; it
// may be nil. ok is false when no candidate of the type has a Wikidata id,
// when the best one does not lead the next by Margin, or when a candidate
// of another type scores as high: a wrong id is worse than none.
func Resolve(cands []Entry, typ string, inContext func(country string) bool) (best Entry, ok bool) {
	bestScore, second, other := math.Inf(-1), math.Inf(-1), math.Inf(-1)
	for _, c := range cands {
		if c.Type != typ {
			other = math.Max(other, Score(c, inContext))
			continue
		}
		s := Score(c, inContext)
		switch {
		case best.QID != "" && c.QID == best.QID:
			if s > bestScore {
				bestScore = s
			}
		case s > bestScore:
			if best.Type != "" {
				second = bestScore
			}
			best, bestScore = c, s
		case s > second:
			second = s
		}
	}
	// a name whose best-known sense is of another type (Liverpool the
	// city, not the Mexican retailer) is not linked as this type either
	if best.QID == "" || bestScore-second < Margin || other >= bestScore {
		return Entry{}, false
	}
	return best, true
}

// Score is a candidate's weight: the decimal log of its prior (at least 6
// for a first-level region), plus one for a country and two for a capital
// called by its own name (news names them far more often than their
// namesakes), plus three when its country is the article's.
func Score(c Entry, inContext func(string) bool) float64 {
	s := math.Log10(c.Prior + 1)
	if c.Kind == KindRegion {
		// a state or province is named far more often than a town of
		// the same name, and the source lacks many regions' population
		s = math.Max(s, 6)
	}
	if c.Source == "compiled.tsv" {
		// the project's own lists name the well-known sense
		s = math.Max(s, 2)
	}
	switch c.Kind {
	case KindCountry:
		s++
	case KindCapital:
		// a capital is news's Moscow, whatever Idaho's Moscow has; not
		// under another name ("Mexico" is the country, not Mexico City)
		if !c.Alias {
			s += 2
		}
	}
	if inContext != nil && c.Country != "" && inContext(c.Country) {
		s += 3
	}
	return s
}

package decode

import "strings"

// languages maps the forms wires use for a language — ISO 639-2/B and
// 639-2/T (= 639-3 for these) codes and the English name — to its ISO
// 639-1 code. Two-letter codes and BCP 47 tags need no table.
var languages = func() map[string]string {
	m := map[string]string{}
	for _, l := range [...]struct{ one, codes, names string }{
		{"en", "eng", "english"},
		{"fr", "fre fra", "french"},
		{"de", "ger deu", "german"},
		{"es", "spa", "spanish castilian"},
		{"it", "ita", "italian"},
		{"pt", "por", "portuguese"},
		{"nl", "dut nld", "dutch flemish"},
		{"sv", "swe", "swedish"},
		{"da", "dan", "danish"},
		{"no", "nor", "norwegian"},
		{"nb", "nob", "bokmål bokmal"},
		{"nn", "nno", "nynorsk"},
		{"fi", "fin", "finnish"},
		{"is", "ice isl", "icelandic"},
		{"pl", "pol", "polish"},
		{"cs", "cze ces", "czech"},
		{"sk", "slo slk", "slovak"},
		{"sl", "slv", "slovenian slovene"},
		{"hr", "hrv", "croatian"},
		{"sr", "srp", "serbian"},
		{"bs", "bos", "bosnian"},
		{"bg", "bul", "bulgarian"},
		{"ro", "rum ron", "romanian moldavian"},
		{"hu", "hun", "hungarian"},
		{"el", "gre ell", "greek"},
		{"tr", "tur", "turkish"},
		{"ru", "rus", "russian"},
		{"uk", "ukr", "ukrainian"},
		{"be", "bel", "belarusian"},
		{"lt", "lit", "lithuanian"},
		{"lv", "lav", "latvian"},
		{"et", "est", "estonian"},
		{"ga", "gle", "irish"},
		{"cy", "wel cym", "welsh"},
		{"ca", "cat", "catalan"},
		{"eu", "baq eus", "basque"},
		{"gl", "glg", "galician"},
		{"mt", "mlt", "maltese"},
		{"sq", "alb sqi", "albanian"},
		{"mk", "mac mkd", "macedonian"},
		{"ar", "ara", "arabic"},
		{"he", "heb", "hebrew"},
		{"fa", "per fas", "persian farsi"},
		{"ur", "urd", "urdu"},
		{"hi", "hin", "hindi"},
		{"bn", "ben", "bengali bangla"},
		{"ta", "tam", "tamil"},
		{"zh", "chi zho", "chinese"},
		{"ja", "jpn", "japanese"},
		{"ko", "kor", "korean"},
		{"vi", "vie", "vietnamese"},
		{"th", "tha", "thai"},
		{"id", "ind", "indonesian"},
		{"ms", "may msa", "malay"},
		{"tl", "tgl", "tagalog filipino"},
		{"sw", "swa", "swahili"},
		{"af", "afr", "afrikaans"},
		{"eo", "epo", "esperanto"},
		{"la", "lat", "latin"},
	} {
		for _, c := range strings.Fields(l.codes) {
			m[c] = l.one
		}
		for _, n := range strings.Fields(l.names) {
			m[n] = l.one
		}
		m[l.one] = l.one
	}
	// The names of more than one word.
	m["norwegian bokmål"], m["norwegian bokmal"], m["norwegian nynorsk"] = "nb", "nb", "nn"
	return m
}()

// normLanguage reads a language given as an ISO 639-1/2/3 code, a BCP 47
// tag ("en-GB", "en_gb") or an English name ("French"), and returns a BCP 47
// tag whose primary subtag is the two-letter code where one exists. ok is
// false when the value is none of these.
func normLanguage(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if one, ok := languages[strings.ToLower(s)]; ok {
		return one, true
	}
	if !validLangTag(s) {
		return "", false
	}
	tag := normLang(s)
	primary, rest, hasRest := strings.Cut(tag, "-")
	if len(primary) > 3 {
		// BCP 47 reserves 4-letter primaries and uses 5-8 only for
		// registered ones; wires that write "english-gb" mean a name.
		one, ok := languages[primary]
		if !ok {
			return "", false
		}
		primary = one
	} else if one, ok := languages[primary]; ok {
		primary = one
	}
	if hasRest {
		return primary + "-" + rest, true
	}
	return primary, true
}

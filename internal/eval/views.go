package eval

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Short views of a topic set show how the topic stage does on the short
// items of a wire feed: the same articles and gold topics, with the body cut
// down. A view's set is named SET@VIEW ("bbc-dev@headline"), so floors can
// name it like any set.
const (
	// ViewHeadline sends the headline alone, as the body (a feed item
	// without a body carries its headline there).
	ViewHeadline = "headline"
	// ViewLead sends the headline as the title and the body's first
	// sentence as the body.
	ViewLead = "lead"
	// ViewHeadlineTitleCase and ViewLeadTitleCase are the two views with
	// the headline in Title Case, as wire feeds write it ("Militants Fire
	// Rockets Into Town"), whatever the set's own style.
	ViewHeadlineTitleCase = "headline-tc"
	ViewLeadTitleCase     = "lead-tc"
)

// ShortViews are the short views of a topic set, in the order eval runs
// them.
func ShortViews() []string {
	return []string{ViewHeadline, ViewLead, ViewHeadlineTitleCase, ViewLeadTitleCase}
}

// ShortView returns the title and body that view makes of an article with
// this headline (title) and body; a headline alone has no title.
func ShortView(view, title, body string) (string, string) {
	switch view {
	case ViewHeadline:
		return "", title
	case ViewLead:
		return title, FirstSentence(body)
	case ViewHeadlineTitleCase:
		return "", TitleCase(title)
	case ViewLeadTitleCase:
		return TitleCase(title), FirstSentence(body)
	}
	return title, body
}

// TopicViews returns the short views of a set with topic gold: headline
// only, and headline plus first sentence, each with the headline as written
// and in Title Case. Articles without a title are left out of every view.
// A set without topic gold has no views.
func TopicViews(s *Set) []*Set {
	if !s.HasTopics() {
		return nil
	}
	var out []*Set
	for _, view := range ShortViews() {
		v := &Set{Name: s.Name + "@" + view, Gold: map[string]*Gold{}}
		for _, a := range s.Articles {
			g := s.Gold[a.ID]
			if g == nil || !g.HasTopics {
				continue
			}
			var rec map[string]any
			if json.Unmarshal(a.Raw, &rec) != nil {
				continue
			}
			title, _ := rec["title"].(string)
			title = strings.TrimSpace(title)
			if title == "" {
				continue
			}
			vt, vb := ShortView(view, title, a.Body)
			if vt == "" {
				delete(rec, "title")
			} else {
				rec["title"] = vt
			}
			rec["body"] = vb
			raw, err := json.Marshal(rec)
			if err != nil {
				continue
			}
			body := rec["body"].(string)
			v.Articles = append(v.Articles, Article{ID: a.ID, Body: body, Raw: raw, Words: len(strings.Fields(body))})
			v.Gold[a.ID] = &Gold{ID: g.ID, Topics: g.Topics, AnyOf: g.AnyOf, HasTopics: true}
		}
		if len(v.Articles) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// TitleCase capitalises the first letter of every word of a headline but
// articles, short conjunctions and prepositions after the first word ("Oil
// Prices Reach Three-Month Low"); letters after the first keep their case.
func TitleCase(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if i > 0 && titleCaseSmall[strings.ToLower(strings.Trim(w, "'\"‘’“”:"))] {
			continue
		}
		for j, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				words[i] = w[:j] + string(unicode.ToUpper(r)) + w[j+utf8.RuneLen(r):]
				break
			}
		}
	}
	return strings.Join(words, " ")
}

var titleCaseSmall = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "but": true, "or": true, "nor": true, "for": true,
	"so": true, "yet": true, "as": true, "at": true, "by": true, "in": true, "of": true, "off": true,
	"on": true, "per": true, "to": true, "up": true, "via": true, "vs": true, "v": true, "with": true,
	"from": true, "into": true, "over": true,
}

// FirstSentence is the body's first sentence: up to the first . ! or ?
// followed by a space and a capital letter (or a quotation mark), or the
// end of the first paragraph. A period after a one-letter word or a
// common abbreviation (Mr., Dr., U.S.) does not end it.
func FirstSentence(body string) string {
	body = strings.TrimSpace(body)
	if i := strings.Index(body, "\n"); i >= 0 {
		body = strings.TrimSpace(body[:i])
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(body) && (body[j] == '"' || body[j] == '\'' || body[j] == ')') {
			j++
		}
		if j >= len(body) || body[j] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(body[j+1:])
		if !unicode.IsUpper(r) && r != '"' && r != '“' {
			continue
		}
		if c == '.' && isAbbrevBefore(body[:i]) {
			continue
		}
		return body[:j]
	}
	return body
}

func isAbbrevBefore(s string) bool {
	w := s
	if k := strings.LastIndexAny(s, " \t"); k >= 0 {
		w = s[k+1:]
	}
	if utf8.RuneCountInString(w) <= 1 || strings.Contains(w, ".") {
		return true // "J." and "U.S"
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov", "Gen", "Prof", "Jr", "Sr", "No", "vs":
		return true
	}
	return false
}

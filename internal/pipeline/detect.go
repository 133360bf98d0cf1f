package pipeline

import (
	"strings"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// detectBytes is how much of the body language detection reads: a few
// paragraphs decide the language as well as the whole article, at a fixed
// cost per article.
const detectBytes = 2048

// DetectLanguage guesses the ISO 639-1 code of text from its character
// trigrams (whatlanggo). It returns "" when the guess is not reliable, which
// short or mixed texts often are.
func DetectLanguage(text string) string {
	if len(text) > detectBytes {
		cut := detectBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	info := whatlanggo.Detect(text)
	if !info.IsReliable() {
		return ""
	}
	if code := info.Lang.Iso6391(); code != "" {
		return code
	}
	return strings.ToLower(info.Lang.Iso6393())
}

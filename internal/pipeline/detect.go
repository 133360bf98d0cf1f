package pipeline

import (
	"strings"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// detectBytes is how much of the text language detection reads: the title
// and first paragraph decide the language of a news article as well as the
// whole of it, and whatlanggo's cost grows with the text (2 KiB cost about
// as much as enriching the article; 512 bytes about a third of that).
const detectBytes = 512

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

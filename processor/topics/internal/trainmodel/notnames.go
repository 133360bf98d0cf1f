package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/newsenrich/newsenrich/internal/tsv"
)

// notNameCorpora are the NER training corpora whose lower-case words are
// ordinary words: novels, news, interviews, government and SEC text. Left
// out: the Wikipedia corpora (CC BY-SA), the lower-cased one (its names are
// lower case too) and the social-media ones (names are often written in
// lower case there).
var notNameCorpora = []string{
	"ner/train/litbank.conll",
	"ner/train/gum-news.conll",
	"ner/train/gum-interviews.conll",
	"ner/train/re3d-open.conll",
	"ner/train/sec-filings.conll",
}

// notNamePlaces are the GeoNames tables whose one-word names are places:
// columns read, and the least population of a city kept.
var notNamePlaces = []struct {
	file   string
	cols   []string
	minPop int
	popCol string
}{
	{file: "gazetteers/geonames-countries.tsv", cols: []string{"name"}},
	{file: "gazetteers/geonames-admin1.tsv", cols: []string{"name", "asciiname"}},
	{file: "gazetteers/geonames-cities15000.tsv", cols: []string{"name", "asciiname"}, minPop: 100000, popCol: "population"},
}

// writeNotNames writes, gzip-compressed and sorted, the words that alone
// are not the name of a person or an organisation, for the topic stage's
// reading of headlines: every word the corpora write in lower
// case outside any name ("Jobs", "Button" are words there), and the
// one-word names of countries, regions and cities of 100,000 people or
// more ("Wales", "York"), which the stage never takes for a name.
func writeNotNames(data, path string) (int, error) {
	words := map[string]bool{}
	for _, src := range notNameCorpora {
		err := eachLine(filepath.Join(data, src), func(l string) {
			if l == "" || l[0] == '#' {
				return
			}
			tok, tag, ok := strings.Cut(l, "\t")
			if ok && strings.TrimSpace(tag) == "O" && ordinaryWord(tok) {
				words[tok] = true
			}
		})
		if err != nil {
			return 0, err
		}
	}
	for _, p := range notNamePlaces {
		err := tsv.Read(filepath.Join(data, p.file), func(row map[string]string) {
			if p.popCol != "" {
				if n, _ := strconv.Atoi(row[p.popCol]); n < p.minPop {
					return
				}
			}
			for _, c := range p.cols {
				if w := row[c]; w != "" && !strings.ContainsAny(w, " -'") {
					words[strings.ToLower(w)] = true
				}
			}
		})
		if err != nil {
			return 0, err
		}
	}
	list := make([]string, 0, len(words))
	for w := range words {
		list = append(list, w)
	}
	return len(list), tsv.WriteLines(path, "", list, true)
}

// eachLine calls fn with every line of the file at path.
func eachLine(path string, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		fn(sc.Text())
	}
	return sc.Err()
}

// ordinaryWord is a lower-case word of letters, with inner apostrophes or
// hyphens.
func ordinaryWord(w string) bool {
	for i, r := range w {
		switch {
		case unicode.IsLower(r):
		case i > 0 && (r == '\'' || r == '-'):
		default:
			return false
		}
	}
	return w != ""
}

// Package articles embeds the sample input records (see ATTRIBUTION.md for
// their sources and licences), so the demo and the tests run from the
// repository alone.
package samples

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/newsenrich/newsenrich/event"
)

//go:embed seed.json
var seed []byte

//go:embed ATTRIBUTION.md
var attribution string

// Attribution returns the sources and licences of the sample articles.
func Attribution() string { return attribution }

//go:embed wikinews.jsonl
var wikinews []byte

//go:embed wikinews-interviews.jsonl
var interviews []byte

// Seed is the reference article as one compact JSON record.
func Seed() []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, seed); err != nil {
		panic(fmt.Sprintf("embedded seed.json: %v", err)) // caught by the tests
	}
	return b.Bytes()
}

// Wikinews returns the Wikinews news articles, one JSON record each.
func Wikinews() [][]byte { return lines(wikinews) }

// Interviews returns the Wikinews interviews, one JSON record each.
func Interviews() [][]byte { return lines(interviews) }

// All returns the seed article followed by every Wikinews record.
func All() [][]byte {
	out := [][]byte{Seed()}
	out = append(out, Wikinews()...)
	return append(out, Interviews()...)
}

func lines(data []byte) [][]byte {
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			out = append(out, append([]byte(nil), l...))
		}
	}
	return out
}

// SeedArticle is the reference article, decoded: the stages' golden tests
// start from it.
func SeedArticle() event.Article { return decodeArticles([][]byte{Seed()})[0] }

// WikinewsArticles returns the Wikinews news articles, decoded.
func WikinewsArticles() []event.Article { return decodeArticles(Wikinews()) }

func decodeArticles(records [][]byte) []event.Article {
	out := make([]event.Article, len(records))
	for i, r := range records {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			panic(fmt.Sprintf("embedded sample article %d: %v", i, err)) // caught by the tests
		}
	}
	return out
}

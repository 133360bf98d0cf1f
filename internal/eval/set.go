// Package eval scores enriched events against gold sets. It is a Go port of
// the reference scorer (shared/tools/score.py): the same matching rules, the
// same type maps and the same figures, so `newsenrich eval` and score.py agree
// on any predictions file. It also runs a processor over a set to time it.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsenrich/newsenrich/processor/text"
)

// Article is one line of an articles JSONL file. Raw keeps the line's bytes
// so the processor sees exactly what a worker would read from the topic.
type Article struct {
	ID    string
	Body  string
	Raw   []byte
	Words int // whitespace-separated words of Body, as score.py counts them
}

// GoldQuote is a gold direct quote; offsets are code points.
type GoldQuote struct {
	Start       int       `json:"start"`
	End         int       `json:"end"`
	Text        string    `json:"text"`
	Speaker     *GoldSpan `json:"speaker"`
	SpeakerName string    `json:"speaker_name"`
}

// GoldSpan is a gold span with a type (entities) or without (speakers).
type GoldSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
	Text  string `json:"text"`
}

// Gold is one line of a gold JSONL file. The Has* fields record which keys
// were present: a task is scored only where the gold file has its key.
type Gold struct {
	ID          string      `json:"id"`
	Entities    []GoldSpan  `json:"entities"`
	Quotes      []GoldQuote `json:"quotes"`
	Topics      []any       `json:"topics"` // codes, or objects with code/qcode/id
	AnyOf       bool        `json:"any_of"`
	HasEntities bool        `json:"-"`
	HasQuotes   bool        `json:"-"`
	HasTopics   bool        `json:"-"`
}

// Set is an articles file with its gold file.
type Set struct {
	Name     string
	Articles []Article
	Gold     map[string]*Gold
}

// HasNER, HasQuotes and HasTopics say which tasks the gold file covers.
func (s *Set) HasNER() bool    { return s.any(func(g *Gold) bool { return g.HasEntities }) }
func (s *Set) HasQuotes() bool { return s.any(func(g *Gold) bool { return g.HasQuotes }) }
func (s *Set) HasTopics() bool { return s.any(func(g *Gold) bool { return g.HasTopics }) }

func (s *Set) any(f func(*Gold) bool) bool {
	for _, g := range s.Gold {
		if f(g) {
			return true
		}
	}
	return false
}

// Words is the total word count of the set's bodies.
func (s *Set) Words() int {
	n := 0
	for _, a := range s.Articles {
		n += a.Words
	}
	return n
}

// Limit keeps only the first n articles (n <= 0 keeps all).
func (s *Set) Limit(n int) {
	if n <= 0 || n >= len(s.Articles) {
		return
	}
	s.Articles = s.Articles[:n]
	keep := make(map[string]bool, n)
	for _, a := range s.Articles {
		keep[a.ID] = true
	}
	for id := range s.Gold {
		if !keep[id] {
			delete(s.Gold, id)
		}
	}
}

// LoadSet reads an articles file and its gold file. Gold lines whose id is
// not among the articles are dropped, as score.py does.
func LoadSet(name, articlesPath, goldPath string) (*Set, error) {
	arts, err := ReadArticles(articlesPath)
	if err != nil {
		return nil, err
	}
	gold, err := readGold(goldPath)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(arts))
	for _, a := range arts {
		ids[a.ID] = true
	}
	for id := range gold {
		if !ids[id] {
			delete(gold, id)
		}
	}
	return &Set{Name: name, Articles: arts, Gold: gold}, nil
}

// ReadArticles reads an articles JSONL file; every non-blank line must be a
// JSON object with a string id and body.
func ReadArticles(path string) ([]Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Article
	err = eachLine(f, func(n int, line []byte) error {
		var a struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		}
		if err := json.Unmarshal(line, &a); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		raw := make([]byte, len(line))
		copy(raw, line)
		out = append(out, Article{ID: a.ID, Body: a.Body, Raw: raw, Words: text.CountWords(a.Body)})
		return nil
	})
	return out, err
}

func readGold(path string) (map[string]*Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*Gold{}
	err = eachLine(f, func(n int, line []byte) error {
		g := &Gold{}
		if err := json.Unmarshal(line, g); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(line, &keys); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		_, g.HasEntities = keys["entities"]
		_, g.HasQuotes = keys["quotes"]
		_, g.HasTopics = keys["topics"]
		out[g.ID] = g
		return nil
	})
	return out, err
}

func eachLine(r io.Reader, f func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := f(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

const (
	articlesSuffix = ".articles.jsonl"
	goldSuffix     = ".gold.jsonl"
)

// ResolveSet finds a set the way score.py does: NAME may be a path prefix
// (".../conll2003-dev", with or without ".articles.jsonl") or a bare name
// looked up as DATA/*/dev/NAME.articles.jsonl under each data directory.
func ResolveSet(name string, dataDirs []string) (articles, gold string, err error) {
	name = strings.TrimSuffix(name, articlesSuffix)
	cands := []string{name}
	for _, d := range dataDirs {
		m, _ := filepath.Glob(filepath.Join(d, "*", "dev", name+articlesSuffix))
		sort.Strings(m)
		for _, p := range m {
			cands = append(cands, strings.TrimSuffix(p, articlesSuffix))
		}
	}
	for _, c := range cands {
		if fileExists(c+articlesSuffix) && fileExists(c+goldSuffix) {
			return c + articlesSuffix, c + goldSuffix, nil
		}
	}
	return "", "", fmt.Errorf("set %q not found (looked for NAME%s and NAME%s, and in %s/*/dev/)",
		name, articlesSuffix, goldSuffix, strings.Join(dataDirs, ", "))
}

// DevSets lists every DATA/*/dev/*.articles.jsonl that has a gold file, as
// path prefixes, sorted.
func DevSets(dataDir string) ([]string, error) {
	out, err := setsMatching(filepath.Join(dataDir, "*", "dev", "*"+articlesSuffix))
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no dev sets under " + dataDir + "/*/dev/")
	}
	return out, nil
}

// SetName is the base name of a set path prefix ("conll2003-dev").
func SetName(prefix string) string {
	return filepath.Base(strings.TrimSuffix(prefix, articlesSuffix))
}

// setsMatching lists the articles files matching pattern that have a gold
// file beside them, as path prefixes, sorted.
func setsMatching(pattern string) ([]string, error) {
	m, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range m {
		c := strings.TrimSuffix(p, articlesSuffix)
		if fileExists(c + goldSuffix) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// RepoSetsDir is where the repository keeps the sets it owns (the modern
// Wikinews dev set, our annotations), relative to the repository root.
const RepoSetsDir = "internal/eval/sets"

// RepoSets lists dir/*.articles.jsonl that have a gold file, as path
// prefixes, sorted.
func RepoSets(dir string) ([]string, error) {
	out, err := setsMatching(filepath.Join(dir, "*"+articlesSuffix))
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no sets in " + dir)
	}
	return out, nil
}

// Command linkceiling measures how far linking can go with the licensed
// data: for every entity cluster of the modern dev sets (the gold ones and
// the ones the entity stage outputs, which `newsenrich eval` counts), does a
// data file with a licence carry a row with a Wikidata id for one of the
// cluster's names, or an obvious alias ("U.S." for the United States, a
// surname beside the full name), with a compatible type? It prints the
// ceiling beside the clusters linked now, per set and type, and with
// -misses the clusters the files have an id for that stay unlinked. A match
// means an id exists for the name, not that it is the right one.
//
//	go run ./tools/linkceiling -data ../shared/data -sets internal/eval/sets -misses
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/tsv"
	"github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/text"
)

func main() {
	data := flag.String("data", "../shared/data", "shared data folder (kb/ and gazetteers/)")
	sets := flag.String("sets", "internal/eval/sets", "folder of the modern-dev-{a,b} sets")
	misses := flag.Bool("misses", false, "list the clusters a file has an id for that stay unlinked")
	flag.Parse()
	if err := run(*data, *sets, *misses); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type hit struct{ typ, qid, file string }

// index maps normalised names to the ids the files give them.
type index map[string]map[hit]bool

func (x index) add(name, typ, qid, file string) {
	k := norm(name)
	if k == "" || qid == "" {
		return
	}
	if x[k] == nil {
		x[k] = map[hit]bool{}
	}
	x[k][hit{typ, qid, file}] = true
}

var (
	spaces = regexp.MustCompile(`\s+`)
	// place words in a Wikidata description (name-suggestion-index, CC0)
	placeWords = regexp.MustCompile(`\b(city|town|capital|commune|borough|village|county seat|state of|province of|country|sovereign state|region of|territory|county in)\b`)
)

// norm folds a name: case, periods ("U.S."), a leading "the", a possessive.
func norm(s string) string {
	s = strings.NewReplacer("\u2013", "-", "\u2014", "-", "\u2019", "'").Replace(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "'s")
	s = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	s = strings.TrimPrefix(s, "the ")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

func build(data string) (index, error) {
	x := index{}
	kb := func(f string) string { return filepath.Join(data, "kb", f) }
	gz := func(f string) string { return filepath.Join(data, "gazetteers", f) }
	iso := map[string]string{}
	steps := []struct {
		path string
		fn   func(r map[string]string)
	}{
		{kb("nsi-brands-operators.tsv"), func(r map[string]string) {
			q := r["wikidata"]
			for _, n := range append([]string{r["name"], r["wikidata_label"]}, strings.Split(r["alt_names"], "|")...) {
				x.add(n, "ORG", q, "nsi")
			}
			switch d := r["wikidata_description"]; {
			case strings.Contains(d, "continent"):
				x.add(r["wikidata_label"], "LOC", q, "nsi-place")
			case placeWords.MatchString(d):
				x.add(r["wikidata_label"], "GPE", q, "nsi-place")
			}
		}},
		{kb("us-congress-executive.tsv"), func(r map[string]string) {
			for _, n := range append([]string{r["name"], r["enwiki_title"]}, strings.Split(r["alt_names"], "|")...) {
				if i := strings.Index(n, " ("); i > 0 {
					n = n[:i]
				}
				x.add(n, "PERSON", r["wikidata"], "congress")
			}
		}},
		{kb("csc-states.tsv"), func(r map[string]string) { x.add(r["name"], "GPE", r["wikidata"], "csc-states") }},
		{kb("csc-cities.tsv"), func(r map[string]string) { x.add(r["name"], "GPE", r["wikidata"], "csc-cities") }},
		{gz("country-codes-pd.tsv"), func(r map[string]string) {
			iso[r["iso2"]] = r["wikidata_id"]
			for _, n := range []string{r["name"], r["official_name_en"], r["unterm_short"]} {
				x.add(n, "GPE", r["wikidata_id"], "country-codes")
			}
		}},
		{gz("countries.tsv"), func(r map[string]string) {
			// names only; the id is country-codes' for the same ISO code
			for _, n := range append([]string{r["name_common"], r["name_official"]}, strings.Split(r["alt_spellings"], "|")...) {
				if len(n) > 2 || n == "US" || n == "UK" {
					x.add(n, "GPE", iso[r["cca2"]], "countries+country-codes")
				}
			}
		}},
		{gz("intl-orgs.tsv"), func(r map[string]string) {
			for _, n := range append([]string{r["name_en"], r["abbreviation_en"]}, strings.Split(r["other_names_en"], "|")...) {
				x.add(n, "ORG", r["wikidata_id"], "intl-orgs")
			}
		}},
	}
	for _, s := range steps {
		if err := tsv.Read(s.path, s.fn); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// compatible are the file types that may give an id to a cluster type.
var compatible = map[string]string{"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC"}

func (x index) hits(names []string, typ string) map[hit]bool {
	out := map[hit]bool{}
	for _, n := range names {
		for h := range x[norm(n)] {
			if h.typ == compatible[typ] {
				out[h] = true
			}
		}
	}
	return out
}

type cluster struct {
	typ   string
	names []string
	spans [][2]int
}

type goldEntity struct {
	Start, End int
	Type, Text string
}

// goldClusters groups an article's gold mentions: one cluster per type
// and folded name, a lone surname joined to the one full name holding it,
// and names the files give one id joined ("U.S.", "United States").
func (x index) goldClusters(es []goldEntity) []*cluster {
	var out []*cluster
	by := map[string]*cluster{}
	for _, e := range es {
		k := e.Type + "\t" + norm(e.Text)
		c := by[k]
		if c == nil {
			c = &cluster{typ: e.Type}
			by[k] = c
			out = append(out, c)
		}
		c.names = append(c.names, e.Text)
		c.spans = append(c.spans, [2]int{e.Start, e.End})
	}
	merge := func(i, j int) {
		out[i].names = append(out[i].names, out[j].names...)
		out[i].spans = append(out[i].spans, out[j].spans...)
		out = append(out[:j], out[j+1:]...)
	}
	for j := 0; j < len(out); j++ {
		w := strings.Fields(norm(out[j].names[0]))
		if out[j].typ != "PERSON" || len(w) != 1 {
			continue
		}
		full := -1
		for i, c := range out {
			if i != j && c.typ == "PERSON" && contains(strings.Fields(norm(c.names[0])), w[0]) && len(strings.Fields(norm(c.names[0]))) > 1 {
				if full >= 0 {
					full = -2
					break
				}
				full = i
			}
		}
		if full >= 0 {
			merge(full, j)
			j--
		}
	}
	for i := 0; i < len(out); i++ {
		qi := qids(x.hits(out[i].names, out[i].typ))
		for j := i + 1; j < len(out); j++ {
			if out[j].typ == out[i].typ && len(qi) > 0 && overlaps(qi, qids(x.hits(out[j].names, out[j].typ))) {
				merge(i, j)
				j--
			}
		}
	}
	return out
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

func qids(h map[hit]bool) map[string]bool {
	out := map[string]bool{}
	for x := range h {
		out[x.qid] = true
	}
	return out
}

func overlaps(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

var types = []string{"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}

type counts struct{ n, ceil, linked map[string]int }

func newCounts() counts {
	return counts{map[string]int{}, map[string]int{}, map[string]int{}}
}

func run(data, sets string, showMisses bool) error {
	x, err := build(data)
	if err != nil {
		return err
	}
	r, err := entities.New(entities.Config{})
	if err != nil {
		return err
	}
	var misses []string
	for _, half := range []string{"a", "b"} {
		name := "modern-dev-" + half
		arts, err := readJSONL[event.Article](filepath.Join(sets, name+".articles.jsonl"))
		if err != nil {
			return err
		}
		golds, err := readJSONL[struct {
			ID       string
			Entities []goldEntity
		}](filepath.Join(sets, name+".gold.jsonl"))
		if err != nil {
			return err
		}
		body := map[string]string{}
		for _, a := range arts {
			body[a.ID] = a.Body
		}
		gold, pred := newCounts(), newCounts()
		var doc text.Doc
		for _, g := range golds {
			doc.Reset(body[g.ID])
			es := r.Entities(&doc)
			for _, c := range x.goldClusters(g.Entities) {
				h := x.hits(c.names, c.typ)
				gold.n[c.typ]++
				if len(h) > 0 {
					gold.ceil[c.typ]++
				}
				linked := linkedOver(es, c)
				if linked {
					gold.linked[c.typ]++
				}
				if len(h) > 0 && !linked {
					misses = append(misses, fmt.Sprintf("%s\tgold\t%.40s\t%s\t%s\t%s", half, g.ID, c.typ, strings.Join(uniq(c.names), " | "), hitList(h)))
				}
			}
			for _, e := range es {
				if !contains(types, e.Type) {
					continue
				}
				names := []string{e.Text}
				for _, m := range e.Mentions {
					names = append(names, m.Text)
				}
				h := x.hits(names, e.Type)
				pred.n[e.Type]++
				if len(h) > 0 {
					pred.ceil[e.Type]++
				}
				if e.Wikidata != "" {
					pred.linked[e.Type]++
				}
				if len(h) > 0 && e.Wikidata == "" {
					misses = append(misses, fmt.Sprintf("%s\toutput\t%.40s\t%s\t%s\t%s", half, g.ID, e.Type, strings.Join(uniq(names), " | "), hitList(h)))
				}
			}
		}
		fmt.Printf("== %s\n%-7s %28s %22s | %28s %22s\n", name, "type", "gold clusters: ceiling", "linked now", "output clusters: ceiling", "linked now")
		for _, t := range append(types, "ALL") {
			fmt.Printf("%-7s %28s %22s | %28s %22s\n", t, frac(gold.ceil, gold.n, t), frac(gold.linked, gold.n, t), frac(pred.ceil, pred.n, t), frac(pred.linked, pred.n, t))
		}
	}
	if showMisses {
		fmt.Println("\n== clusters a licensed file has an id for that stay unlinked (the id may be a namesake's)")
		for _, m := range misses {
			fmt.Println(m)
		}
	}
	return nil
}

// linkedOver reports whether an output entity of the cluster's type with
// an id has a mention overlapping one of the cluster's.
func linkedOver(es []event.Entity, c *cluster) bool {
	for _, e := range es {
		if e.Wikidata == "" || e.Type != c.typ {
			continue
		}
		for _, m := range e.Mentions {
			for _, s := range c.spans {
				if m.Start < s[1] && s[0] < m.End {
					return true
				}
			}
		}
	}
	return false
}

func frac(num, den map[string]int, t string) string {
	a, b := num[t], den[t]
	if t == "ALL" {
		a, b = 0, 0
		for _, x := range types {
			a += num[x]
			b += den[x]
		}
	}
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d = %.3f", a, b, float64(a)/float64(b))
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func hitList(h map[hit]bool) string {
	var out []string
	for x := range h {
		out = append(out, x.qid+":"+x.file)
	}
	sort.Strings(out)
	if len(out) > 4 {
		out = append(out[:4], "…")
	}
	return strings.Join(out, " ")
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

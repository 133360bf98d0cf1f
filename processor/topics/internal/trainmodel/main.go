// Command trainmodel builds the topic stage's data files from shippable
// data in the shared data directory: the learned model
// (data/model.bin.gz), the entity gazetteer (data/entity-topics.tsv) and
// the list of words that alone are no name (data/not-names.txt.gz).
//
// The model's labels come from the lexicon tagger (without the model) on
// full texts: Wikinews articles (minus the ids of any development set,
// -exclude) and the documents of the NER training corpora. Each labelled
// text gives the model several examples: its headline, its first
// sentence, and chunks of about 40 words, so it learns to decide from
// little text. The names of the compiled list of known names
// (data/known-entities.txt) are examples too, each of its section's topic:
// a headline often names people and teams and nothing else. Evaluation
// sets are never read.
//
//	go run ./processor/topics/internal/trainmodel -data ../shared/data -exclude ids.txt
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsenrich/newsenrich/processor/topics"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "trainmodel:", err)
		os.Exit(1)
	}
}

type doc struct {
	id    string
	title string
	body  string // as written (articles only)
	sents []string
}

func run() error {
	data := flag.String("data", "../shared/data", "shared data directory")
	exclude := flag.String("exclude", "", "file of article ids to leave out (one per line): development sets")
	out := flag.String("out", "processor/topics/data/model.bin.gz", "model output (empty: write only the word list)")
	entsOut := flag.String("entities-out", "processor/topics/data/entity-topics.tsv.gz", "gazetteer output, gzip-compressed (empty: skip)")
	notNamesOut := flag.String("not-names-out", "processor/topics/data/not-names.txt.gz", "list of words that alone are no name (ordinary words, places), gzip-compressed (empty: skip)")
	minScore := flag.Float64("min-score", 0.45, "least lexicon score of a label")
	chunk := flag.Int("chunk", 20, "words per chunk example")
	buckets := flag.Int("buckets", 1<<15, "hash buckets")
	epochs := flag.Int("epochs", 6, "training epochs")
	balance := flag.Float64("balance", 0, "class balance exponent (0 = corpus mix, 1 = equal classes)")
	noPrior := flag.Bool("no-prior", false, "drop the class bias")
	rate := flag.Float64("rate", 0.5, "learning rate")
	labelFiles := flag.String("labels", "", "comma list of gold JSONL files ({id, topics}) whose hand-made topic labels replace the lexicon's for those articles")
	labelRepeat := flag.Int("label-repeat", 1, "times each hand-labelled article's examples are given (in-domain labels weigh more)")
	iptcRepeat := flag.Int("iptc", 0, "times each IPTC concept's label and definition is an example (0 = none)")
	namesFile := flag.String("names", "processor/topics/data/known-entities.txt", "list of known names (the known-entities format) whose names are short examples of their topic, with -names-repeat")
	namesRepeat := flag.Int("names-repeat", 1, "times each known name is an example (0 = none)")
	gazNames := flag.Int("gazetteer-names", 0, "names of the generated gazetteer (-entities-in) given as examples, at most this many per top-level topic, spread evenly over the file (0 = none)")
	gazIn := flag.String("entities-in", "processor/topics/data/entity-topics.tsv.gz", "generated gazetteer read by -gazetteer-names")
	vecBalance := flag.Float64("vectors-balance", 0, "class balance exponent of the word-vector part, as -balance")
	vecOut := flag.String("vectors-out", "processor/topics/data/wordvec-model.txt", "word-vector model output (empty: skip)")
	calibOut := flag.String("calibration-out", "processor/topics/data/calibration.txt", "score calibration output (empty: skip)")
	calibLabels := flag.String("calibration-labels", "processor/entities/train/wikinews/train*.gold.jsonl", "glob of gold JSONL files ({id, topics}) whose articles the score calibration is fitted on; the model the fit reads is trained without them")
	calibL2 := flag.Float64("calibration-l2", 1, "ridge penalty of the calibration fit")
	grams := flag.String("grams", "4-5", "lengths of the letter n-grams of each word the model reads too, MIN-MAX (\"\" = words and word pairs only)")
	flag.Parse()

	if *notNamesOut != "" {
		n, err := writeNotNames(*data, *notNamesOut)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "trainmodel: wrote %s (%d words)\n", *notNamesOut, n)
	}
	if *out == "" {
		return nil
	}
	skip := map[string]bool{}
	if *exclude != "" {
		b, err := os.ReadFile(*exclude)
		if err != nil {
			return err
		}
		for _, l := range strings.Fields(string(b)) {
			skip[l] = true
		}
	}
	var docs []doc
	arts, _ := filepath.Glob(filepath.Join(*data, "articles", "*.jsonl"))
	for _, p := range arts {
		ds, err := readArticles(p, skip)
		if err != nil {
			return err
		}
		docs = append(docs, ds...)
	}
	conlls, _ := filepath.Glob(filepath.Join(*data, "ner", "train", "*.conll"))
	for _, p := range conlls {
		ds, err := readConll(p)
		if err != nil {
			return err
		}
		docs = append(docs, ds...)
	}
	if len(docs) == 0 {
		return fmt.Errorf("no training text under %s", *data)
	}
	hand := map[string]string{}
	for _, f := range strings.Split(*labelFiles, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if err := readLabels(f, skip, hand); err != nil {
			return err
		}
	}
	// the labels come from the lexicon and the names the model learns
	lex, err := topics.New(topics.Config{NoModel: true, NoKnownPeople: true})
	if err != nil {
		return err
	}
	build := func(leaveOut map[string]bool) ([]topics.Example, map[string]int, error) {
		return examples(docs, leaveOut, hand, lex, exampleOptions{
			data: *data, minScore: *minScore, chunk: *chunk, labelRepeat: *labelRepeat,
			iptcRepeat: *iptcRepeat, namesFile: *namesFile, namesRepeat: *namesRepeat,
			gazNames: *gazNames, gazIn: *gazIn,
		})
	}
	ex, perCode, err := build(nil)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(perCode))
	for c := range perCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(os.Stderr, "  %s %d texts\n", c, perCode[c])
	}
	fmt.Fprintf(os.Stderr, "trainmodel: %d texts read, %d labelled, %d examples\n", len(docs), sum(perCode), len(ex))
	var g topics.Grams
	if *grams != "" {
		if _, err := fmt.Sscanf(*grams, "%d-%d", &g.Min, &g.Max); err != nil {
			return fmt.Errorf("-grams %q: want MIN-MAX, as 4-5", *grams)
		}
	}
	opt := topics.TrainOptions{Buckets: *buckets, Epochs: *epochs, Seed: 1, Balance: *balance, NoPrior: *noPrior, Rate: *rate, Grams: g}
	var buf bytes.Buffer
	if err := topics.TrainModel(ex, opt, &buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trainmodel: wrote %s (%d bytes)\n", *out, buf.Len())
	vopt := topics.VectorTrainOptions{Seed: 1, Balance: *vecBalance}
	if *vecOut != "" {
		var vb bytes.Buffer
		header := fmt.Sprintf(`Word-vector part of the topic stage's learned model (processor/topics/vecmodel.go),
written by trainmodel: multinomial logistic regression over each text's mean
WordPiece vector (data/wordvec.bin.gz), fitted on the %d examples of the
hashed part.`, len(ex))
		if err := topics.TrainVectorModel(ex, vopt, header, &vb); err != nil {
			return err
		}
		if err := os.WriteFile(*vecOut, vb.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "trainmodel: wrote %s (%d bytes)\n", *vecOut, vb.Len())
	}
	if *entsOut != "" {
		n, err := writeGazetteer(*data, *entsOut)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "trainmodel: wrote %s (%d names)\n", *entsOut, n)
	}
	if *calibOut != "" {
		return writeCalibration(*calibOut, *calibLabels, *calibL2, docs, skip, build, opt, vopt)
	}
	return nil
}

// readLabels reads the main (first) topic of each article of a gold file.
// Ids in skip (development sets) are refused: they must never train.
func readLabels(path string, skip map[string]bool, out map[string]string) error {
	all := map[string][]string{}
	if err := readTopicLists(path, skip, all); err != nil {
		return err
	}
	for id, ts := range all {
		out[id] = ts[0]
	}
	return nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func readArticles(path string, skip map[string]bool) ([]doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var a struct{ ID, Title, Body string }
		if strings.HasSuffix(path, ".json") {
			continue
		}
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if skip[a.ID] {
			continue
		}
		var sents []string
		for _, p := range strings.Split(a.Body, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				sents = append(sents, p)
			}
		}
		out = append(out, doc{id: a.ID, title: a.Title, body: a.Body, sents: sents})
	}
	return out, sc.Err()
}

// readConll groups a token<TAB>tag file into documents: "# doc" lines
// start one; a file without them is cut into runs of 8 sentences.
func readConll(path string) ([]doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []doc
	var cur doc
	var sent []string
	hasDocs := false
	flushSent := func() {
		if len(sent) > 0 {
			cur.sents = append(cur.sents, strings.Join(sent, " "))
			sent = sent[:0]
		}
		if !hasDocs && len(cur.sents) >= 8 {
			out = append(out, cur)
			cur = doc{}
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "# doc") {
			hasDocs = true
			flushSent()
			if len(cur.sents) > 0 {
				out = append(out, cur)
			}
			cur = doc{}
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.TrimSpace(l) == "" {
			flushSent()
			continue
		}
		tok, _, _ := strings.Cut(l, "\t")
		sent = append(sent, tok)
	}
	flushSent()
	if len(cur.sents) > 0 {
		out = append(out, cur)
	}
	return out, sc.Err()
}

// readGazetteerNames reads a gzip-compressed name<TAB>code[<TAB>types]
// file; a sponsor's name marked $$...$$ is left out of the name.
func readGazetteerNames(path string) ([]knownName, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []knownName
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(l, "\t")
		code, _, _ := strings.Cut(rest, "\t")
		if !ok {
			continue
		}
		for {
			i := strings.Index(name, "$$")
			j := -1
			if i >= 0 {
				j = strings.Index(name[i+2:], "$$")
			}
			if j < 0 {
				break
			}
			name = name[:i] + name[i+2+j+2:]
		}
		if name = strings.Join(strings.Fields(name), " "); name != "" {
			out = append(out, knownName{name, code})
		}
	}
	return out, sc.Err()
}

type knownName struct{ name, code string }

// readKnownNames reads the names of a known-entities list with the code
// of their section; the sections without a code (surnames-ignore,
// not-in-lexicon) give none.
func readKnownNames(path string) ([]knownName, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []knownName
	code := ""
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "="); ok {
			code = ""
			if f := strings.Fields(rest); len(f) > 0 && strings.HasPrefix(f[0], "medtop:") {
				code = f[0]
			}
			continue
		}
		if code != "" {
			out = append(out, knownName{l, code})
		}
	}
	return out, nil
}

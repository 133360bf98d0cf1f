// Package train builds the entity model: it compiles the gazetteers,
// normalises the CoNLL training corpora to one label convention and trains
// an averaged perceptron over the features of package tagger. Given the same
// data and seed it writes byte-identical files.
package train

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

// ModelFile is the weights file name inside the output directory.
const ModelFile = "ner.bin.gz"

// SecondModelFile holds the second-pass weights (Options.SecondPass).
const SecondModelFile = "ner2.bin.gz"

// Options configure a training run.
type Options struct {
	Data       string             // folder of *.conll files
	Gazetteers string             // folder of the name-list TSVs
	Out        string             // model folder to write
	Corpora    map[string]float64 // corpus name (file base without .conll) -> share of its documents used per epoch; absent = skipped
	Epochs     int
	Bits       uint // log2 of the feature rows
	Seed       uint64
	// UpperHeadline is the chance that a document's first sentence is
	// upper-cased, UpperSentence that of any other sentence: news has
	// capitals headlines and the corpora have almost none.
	UpperHeadline, UpperSentence float64
	// Synthetic is the number of generated sports and of business documents
	// (see synth.go); their share is Corpora["synthetic"].
	Synthetic int
	// DropLexical is the chance that a token's own-word features are left
	// out of one training step.
	DropLexical float64
	// Viterbi trains a first-order structured perceptron decoded with
	// Viterbi instead of the greedy left-to-right tagger.
	Viterbi bool
	// SecondPass also trains a second model that sees, for each word, the
	// labels the first pass gave the same word elsewhere in the document.
	SecondPass bool
	// ModernArticles and ModernGold are in-domain annotations (articles
	// JSONL and annotate_tool gold files, seven types) read as the corpus
	// ModernCorpus; ids in the gold files of DevSets are refused.
	ModernArticles string
	ModernGold     []string
	DevSets        string
	// ModernRepeat is how many times each in-domain document is used per
	// epoch (they are few beside the other corpora).
	ModernRepeat int
	// Clusters learns word clusters from the text of every training
	// document (ClusterOptions) and writes tagger.ClustersFile; without it
	// that file is removed and the model has no cluster features.
	Clusters       bool
	ClusterOptions ClusterOptions
}

// DefaultCorpora weights the shipped corpora: news-like text fully, noisy
// and domain-distant text less.
func DefaultCorpora() map[string]float64 {
	return map[string]float64{
		"gum-news": 1, "gum-interviews": 1, "wikigold": 1, "re3d-open": 1, "crossner": 1, "redocred": 1,
		"multiconer2-lowercase": 1, "synthetic": 1, ModernCorpus: 1,
		"litbank": 0.5, "btc": 0.5, "wnut17": 0.5,
	}
}

// Validate checks the options.
func (o *Options) Validate() error {
	var errs []error
	if o.Data == "" {
		errs = append(errs, errors.New("data folder is required"))
	}
	if o.Gazetteers == "" {
		errs = append(errs, errors.New("gazetteers folder is required"))
	}
	if o.Out == "" {
		errs = append(errs, errors.New("output folder is required"))
	}
	if o.Epochs < 1 || o.Epochs > 100 {
		errs = append(errs, fmt.Errorf("epochs must be 1..100, got %d", o.Epochs))
	}
	if o.Bits < 16 || o.Bits > 24 {
		errs = append(errs, fmt.Errorf("bits must be 16..24, got %d", o.Bits))
	}
	if o.Synthetic < 0 || o.Synthetic > 100000 {
		errs = append(errs, fmt.Errorf("synthetic must be 0..100000, got %d", o.Synthetic))
	}
	if len(o.Corpora) == 0 {
		errs = append(errs, errors.New("no corpora selected"))
	}
	if c := o.ClusterOptions; o.Clusters && (c.MinCount < 1 || c.Contexts < 10 || c.Iters < 1 || c.Dims < 2) {
		errs = append(errs, fmt.Errorf("cluster options need min count >= 1, contexts >= 10, iterations >= 1, dims >= 2, got %+v", c))
	}
	return errors.Join(errs...)
}

type instance struct {
	toks  []tagger.Tok
	gold  []int
	sents []tagger.Span
	feats []uint32 // static feature rows of every token, concatenated
	offs  []int32  // token i's rows are feats[offs[i]:offs[i+1]]
}

// Run trains and writes the model and gazetteers into o.Out.
func Run(o Options, log *slog.Logger) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	start := time.Now()
	counts, err := BuildGazetteers(o.Gazetteers, o.Out)
	if err != nil {
		return fmt.Errorf("train: gazetteers: %w", err)
	}
	log.Info("gazetteers compiled", "entries", counts)
	gaz, err := tagger.LoadGazetteer(os.DirFS(o.Out))
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	norm := &Normalizer{Titles: map[string]bool{}, Demonyms: map[string]bool{}}
	for _, t := range tagger.Titles {
		norm.Titles[t] = true
	}
	for _, t := range tagger.Groups {
		norm.Demonyms[t] = true
	}
	if err := readLines(filepath.Join(o.Out, DemonymsFile), func(f []string) {
		if len(f) >= 2 {
			norm.Demonyms[strings.ToLower(f[1])] = true
		}
	}); err != nil {
		return fmt.Errorf("train: %w", err)
	}

	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	var docs []Doc
	var st Stats
	names := make([]string, 0, len(o.Corpora))
	for n := range o.Corpora {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if n == "synthetic" || n == ModernCorpus {
			continue
		}
		d, err := ReadCoNLL(filepath.Join(o.Data, n+".conll"))
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		toks := 0
		for i := range d {
			norm.Normalize(&d[i], &st)
			for _, s := range d[i].Sents {
				toks += len(s)
			}
		}
		log.Info("corpus", "name", n, "docs", len(d), "tokens", toks, "share", o.Corpora[n])
		docs = append(docs, d...)
	}
	if o.ModernArticles != "" && len(o.ModernGold) > 0 && o.Corpora[ModernCorpus] > 0 {
		dev, err := DevIDs(o.DevSets)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if len(dev) == 0 {
			return fmt.Errorf("train: no development ids in %q: refusing in-domain data that could overlap them", o.DevSets)
		}
		d, err := ReadGold(o.ModernArticles, o.ModernGold, dev)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		toks := 0
		for i := range d {
			norm.Normalize(&d[i], &st)
			for _, s := range d[i].Sents {
				toks += len(s)
			}
		}
		log.Info("corpus", "name", ModernCorpus, "docs", len(d), "tokens", toks, "share", o.Corpora[ModernCorpus],
			"repeat", max(o.ModernRepeat, 1), "dev_ids_refused", len(dev))
		for range max(o.ModernRepeat, 1) {
			docs = append(docs, d...)
		}
	}
	if o.Synthetic > 0 && o.Corpora["synthetic"] > 0 {
		p, err := loadPools(o.Gazetteers, filepath.Join(o.Out, DemonymsFile))
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		syn := Synthesize(p, o.Synthetic, o.Seed)
		toks := 0
		for _, d := range syn {
			for _, s := range d.Sents {
				toks += len(s)
			}
		}
		log.Info("corpus", "name", "synthetic", "docs", len(syn), "tokens", toks, "share", o.Corpora["synthetic"])
		docs = append(docs, syn...)
	}
	log.Info("normalised", "titles_stripped", st.TitlesStripped, "demonyms_to_misc", st.DemonymsToMisc,
		"uncased_spans_dropped", st.UncasedDropped)

	gaz.Clusters = nil
	if o.Clusters {
		c, n, err := writeAndLoadClusters(docs, o.ClusterOptions, o.Seed, o.Out)
		if err != nil {
			return err
		}
		gaz.Clusters = c
		log.Info("word clusters", "words", n, "elapsed", time.Since(start).Round(time.Millisecond))
	} else if err := os.Remove(filepath.Join(o.Out, tagger.ClustersFile)); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("train: %w", err)
	}

	model := tagger.NewModel(o.Bits)
	insts := make([]instance, len(docs))
	var ds tagger.DocStats
	var scratch []byte
	ntok := 0
	for di := range docs {
		d := &docs[di]
		in := &insts[di]
		upperFirst := len(d.Sents) > 1 && d.Corpus != "multiconer2-lowercase" && rng.Float64() < o.UpperHeadline
		for si, s := range d.Sents {
			up := d.Corpus != "multiconer2-lowercase" && ((si == 0 && upperFirst) || rng.Float64() < o.UpperSentence)
			a := len(in.toks)
			for _, it := range s {
				txt := it.Text
				if up {
					txt = strings.ToUpper(txt)
				}
				var t tagger.Tok
				scratch = tagger.Fill(&t, txt, scratch)
				in.toks = append(in.toks, t)
				in.gold = append(in.gold, it.Tag)
			}
			in.sents = append(in.sents, tagger.Span{Start: a, End: len(in.toks)})
		}
		tagger.PrepareDoc(in.toks, in.sents, gaz, &ds)
		in.offs = make([]int32, 0, len(in.toks)+1)
		for _, sp := range in.sents {
			st := in.toks[sp.Start:sp.End]
			for i := range st {
				in.offs = append(in.offs, int32(len(in.feats)))
				in.feats = model.Static(st, i, in.feats)
			}
		}
		in.offs = append(in.offs, int32(len(in.feats)))
		ntok += len(in.toks)
	}
	log.Info("features extracted", "docs", len(insts), "tokens", ntok, "elapsed", time.Since(start).Round(time.Millisecond))

	share := make([]float64, len(insts))
	for i := range insts {
		share[i] = o.Corpora[docs[i].Corpus]
	}
	all := make([]int, len(insts))
	for i := range all {
		all[i] = i
	}
	fit(model, insts, all, share, o, rng, log.With("pass", 1), start)
	if err := writeModel(model, filepath.Join(o.Out, ModelFile)); err != nil {
		return err
	}
	if o.SecondPass {
		if err := secondPass(insts, all, share, o, rng, log, start); err != nil {
			return err
		}
	} else if err := os.Remove(filepath.Join(o.Out, SecondModelFile)); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("train: %w", err)
	}
	log.Info("model written", "dir", o.Out, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// fit trains model on the instances listed in idx (averaged perceptron).
func fit(model *tagger.Model, insts []instance, idx []int, share []float64, o Options, rng *rand.Rand, log *slog.Logger, start time.Time) {
	acc := make([]float64, len(model.W))
	var c float64 = 1
	order := slices.Clone(idx)
	var dyn []uint32
	var vsc tagger.ViterbiScratch
	var pred []int
	model.UseViterbi = o.Viterbi
	for ep := 0; ep < o.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		seen, wrong := 0, 0
		for _, di := range order {
			if share[di] < 1 && rng.Float64() >= share[di] {
				continue
			}
			in := &insts[di]
			if o.Viterbi {
				for _, sp := range in.sents {
					s, w := trainViterbi(model, acc, c, in, sp, &vsc, &pred, &dyn)
					seen += s
					wrong += w
					c++
				}
				continue
			}
			for _, sp := range in.sents {
				st := in.toks[sp.Start:sp.End]
				prev, prev2 := tagger.O, tagger.O
				for i := range st {
					k := sp.Start + i
					static := in.feats[in.offs[k]:in.offs[k+1]]
					if o.DropLexical > 0 && rng.Float64() < o.DropLexical {
						static = static[tagger.NLexical:]
					}
					dyn = model.Dynamic(st, i, prev, prev2, dyn[:0])
					pred := predict(model.W, static, dyn, prev)
					gold := in.gold[k]
					if pred != gold {
						wrong++
						for _, fs := range [2][]uint32{static, dyn} {
							for _, r := range fs {
								model.W[int(r)+gold]++
								model.W[int(r)+pred]--
								acc[int(r)+gold] += c
								acc[int(r)+pred] -= c
							}
						}
					}
					c++
					seen++
					prev2, prev = prev, pred
				}
			}
		}
		log.Info("epoch", "n", ep+1, "tokens", seen, "error_rate", fmt.Sprintf("%.4f", float64(wrong)/float64(max(seen, 1))),
			"elapsed", time.Since(start).Round(time.Millisecond))
	}
	for i := range model.W {
		model.W[i] -= float32(acc[i] / c)
	}
}

func writeModel(m *tagger.Model, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := m.Write(f); err != nil {
		f.Close()
		return fmt.Errorf("train: write model: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}

// secondPass trains the model that also reads the first pass's labels of
// the same word elsewhere in the document. Its history comes from two-fold
// jack-knifing: each half is tagged by a first-pass model trained on the
// other half, so it is as noisy as it will be at run time.
func secondPass(insts []instance, all []int, share []float64, o Options, rng *rand.Rand, log *slog.Logger, start time.Time) error {
	var folds [2][]int
	for _, i := range all {
		folds[i%2] = append(folds[i%2], i)
	}
	hist := make(map[uint64][4]uint8)
	var vsc tagger.ViterbiScratch
	var sc tagger.Scratch
	for f := 0; f < 2; f++ {
		m := tagger.NewModel(o.Bits)
		fit(m, insts, folds[f], share, o, rng, log.With("pass", 1, "fold", f), start)
		for _, di := range folds[1-f] {
			in := &insts[di]
			tags := make([]int, len(in.toks))
			for _, sp := range in.sents {
				st := in.toks[sp.Start:sp.End]
				k0 := sp.Start
				if o.Viterbi {
					m.Viterbi(st, tags[sp.Start:sp.End], &vsc, func(i int, out []uint32) []uint32 {
						k := k0 + i
						return append(out, in.feats[in.offs[k]:in.offs[k+1]]...)
					})
				} else {
					m.Decode(st, tags[sp.Start:sp.End], &sc)
				}
			}
			tagger.SetHistory(in.toks, tags, hist)
		}
	}
	m2 := tagger.NewModel(o.Bits)
	m2.Second = true
	for i := range insts {
		in := &insts[i]
		in.feats, in.offs = in.feats[:0], in.offs[:0]
		for _, sp := range in.sents {
			st := in.toks[sp.Start:sp.End]
			for k := range st {
				in.offs = append(in.offs, int32(len(in.feats)))
				in.feats = m2.Static(st, k, in.feats)
			}
		}
		in.offs = append(in.offs, int32(len(in.feats)))
	}
	fit(m2, insts, all, share, o, rng, log.With("pass", 2), start)
	return writeModel(m2, filepath.Join(o.Out, SecondModelFile))
}

// trainViterbi makes one structured-perceptron step on one sentence and
// returns the tokens seen and mis-tagged.
func trainViterbi(model *tagger.Model, acc []float64, c float64, in *instance, sp tagger.Span, vsc *tagger.ViterbiScratch, pred *[]int, dyn *[]uint32) (int, int) {
	st := in.toks[sp.Start:sp.End]
	n := len(st)
	if cap(*pred) < n {
		*pred = make([]int, n)
	}
	p := (*pred)[:n]
	static := func(i int, out []uint32) []uint32 {
		k := sp.Start + i
		return append(out, in.feats[in.offs[k]:in.offs[k+1]]...)
	}
	model.Viterbi(st, p, vsc, static)
	gold := in.gold[sp.Start:sp.End]
	wrong := 0
	upd := func(rows []uint32, t int, d float32) {
		for _, r := range rows {
			model.W[int(r)+t] += d
			acc[int(r)+t] += c * float64(d)
		}
	}
	for i := 0; i < n; i++ {
		gp, pp := tagger.O, tagger.O
		if i > 0 {
			gp, pp = gold[i-1], p[i-1]
		}
		if p[i] != gold[i] {
			wrong++
		}
		if p[i] == gold[i] && gp == pp {
			continue
		}
		k := sp.Start + i
		static := in.feats[in.offs[k]:in.offs[k+1]]
		if p[i] != gold[i] {
			upd(static, gold[i], 1)
			upd(static, p[i], -1)
		}
		*dyn = model.DynamicV(st, i, gp, (*dyn)[:0])
		upd(*dyn, gold[i], 1)
		*dyn = model.DynamicV(st, i, pp, (*dyn)[:0])
		upd(*dyn, p[i], -1)
	}
	return n, wrong
}

func predict(w []float32, static, dyn []uint32, prev int) int {
	var s [tagger.NTags]float32
	for _, fs := range [2][]uint32{static, dyn} {
		for _, r := range fs {
			row := w[r : r+tagger.NTags : r+tagger.NTags]
			for t := range s {
				s[t] += row[t]
			}
		}
	}
	best, bs := 0, s[0]
	for t := 1; t < tagger.NTags; t++ {
		if s[t] > bs {
			best, bs = t, s[t]
		}
	}
	_ = prev
	return best
}

func readLines(path string, fn func([]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") {
			continue
		}
		fn(strings.Split(l, "\t"))
	}
	return sc.Err()
}

// ParseCorpora parses "name=share,name=share".
func ParseCorpora(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, v, ok := strings.Cut(part, "=")
		share := 1.0
		if ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 || f > 1 {
				return nil, fmt.Errorf("corpus %q: share must be in (0,1]", name)
			}
			share = f
		}
		out[name] = share
	}
	return out, nil
}

// Package entities is the named-entity stage: it tags a tokenized article
// with an averaged-perceptron model (package tagger) trained by `newsenrich
// train`, fixes the tagging up with article-level rules (titles out of
// names, one label per name across the article, surnames joining the full
// name) and groups the mentions into one event.Entity per real-world thing
// with a canonical name, a count, a salience and a Wikidata id where a
// gazetteer gives one.
package entities

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sync"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// The model folder holds the weights and the gazetteers, each file under its
// own licence (see model/NOTICE).
//
//go:embed model/*.gz model/intl-orgs.tsv model/demonyms.tsv
//go:embed model/NOTICE model/LICENSE-CC-BY-SA-4.0 model/LICENSE-ODbL-1.0
var embedded embed.FS

// Notice returns the licence notices of the embedded model files (the
// binary carries CC BY-SA 4.0 and ODbL 1.0 data files; their notices must
// travel with it).
func Notice() string {
	var out []byte
	for _, f := range []string{"model/NOTICE", "model/LICENSE-CC-BY-SA-4.0", "model/LICENSE-ODbL-1.0"} {
		b, _ := embedded.ReadFile(f)
		out = append(out, b...)
		out = append(out, '\n')
	}
	return string(out)
}

// ModelFiles returns the embedded model folder, so that the data files can
// be offered to recipients as their licences ask.
func ModelFiles() fs.FS {
	sub, _ := fs.Sub(embedded, "model")
	return sub
}

// ModelFile is the weights file inside a model folder; SecondModelFile,
// when present, is the second pass that reads the first pass's labels of
// the same word elsewhere in the article.
const (
	ModelFile       = "ner.bin.gz"
	SecondModelFile = "ner2.bin.gz"
)

// Config selects the model.
type Config struct {
	// ModelDir, when set, loads the model from this folder instead of the
	// embedded one (for trying a freshly trained model).
	ModelDir string
	// Beam prunes Viterbi decoding: previous tags scoring more than Beam
	// below the best are not extended. 0 selects DefaultBeam; a negative
	// value decodes exactly.
	Beam float32
	// ModelOnly turns the article-level rules off (span clean-up, titles,
	// one label per name, surname joining, gazetteer extension), to measure
	// what they add. Mentions are still grouped into entities.
	ModelOnly bool
	// NoKB leaves the knowledge base out: CoNLL's four classes only, ids
	// from the gazetteers only (to measure what the knowledge base adds).
	NoKB bool
}

// DefaultBeam is wide enough that the shipped model's output on the
// development set is unchanged to within one mention, and about a third
// faster than exact decoding.
const DefaultBeam = 160

// Validate checks the configuration.
func (c Config) Validate() error {
	if math.IsNaN(float64(c.Beam)) {
		return fmt.Errorf("entities: beam is NaN")
	}
	if c.ModelDir == "" {
		return nil
	}
	st, err := os.Stat(c.ModelDir)
	if err != nil {
		return fmt.Errorf("entities: model dir: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("entities: model dir %q is not a directory", c.ModelDir)
	}
	return nil
}

// Recognizer finds entities. It is safe for concurrent use; per-article
// scratch space is pooled.
type Recognizer struct {
	modelOnly bool
	model     *tagger.Model
	second    *tagger.Model
	gaz       *tagger.Gazetteer
	kb        *kb.KB
	pool      sync.Pool
}

// New loads the model once.
func New(cfg Config) (*Recognizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var fsys fs.FS
	if cfg.ModelDir != "" {
		fsys = os.DirFS(cfg.ModelDir)
	} else {
		sub, err := fs.Sub(embedded, "model")
		if err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
		fsys = sub
	}
	// The two models, the gazetteer and the knowledge base are
	// independent: reading them at once halves the start-up on two cores.
	var (
		m, m2 *tagger.Model
		g     *tagger.Gazetteer
		k     *kb.KB
		errs  [3]error
		wg    sync.WaitGroup
	)
	wg.Go(func() { m, m2, errs[0] = readModels(fsys) })
	wg.Go(func() { g, errs[1] = tagger.LoadGazetteer(fsys) })
	if !cfg.NoKB {
		wg.Go(func() { k, errs[2] = kb.Load() })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	for _, mm := range []*tagger.Model{m, m2} {
		if mm == nil {
			continue
		}
		switch {
		case cfg.Beam == 0:
			mm.Beam = DefaultBeam
		case cfg.Beam > 0:
			mm.Beam = cfg.Beam
		}
	}
	r := &Recognizer{model: m, second: m2, gaz: g, kb: k, modelOnly: cfg.ModelOnly}
	r.pool.New = func() any { return new(state) }
	return r, nil
}

// readModels reads the model and, when the folder has one, the second
// pass (the two side by side in memory, see tagger.ReadPair).
func readModels(fsys fs.FS) (m, m2 *tagger.Model, err error) {
	f, err := fsys.Open(ModelFile)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	f2, err := fsys.Open(SecondModelFile)
	if errors.Is(err, fs.ErrNotExist) {
		m, err = tagger.Read(f)
		return m, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	defer f2.Close()
	return tagger.ReadPair(f, f2)
}

// state is one article's scratch space.
type state struct {
	toks     []tagger.Tok
	tags     []int
	sents    []tagger.Span
	spans    []span
	spare    []span
	covered  []bool
	sc       tagger.Scratch
	vsc      tagger.ViterbiScratch
	ds       tagger.DocStats
	scratch  []byte
	votes    map[uint64]*vote
	hist     map[uint64][4]uint8
	kbKey    []byte
	surnames map[uint64]bool
	// stormNames are the names of storms ("Dorian") in the article
	stormNames map[uint64]bool
}

// span is a mention as a token range with a CoNLL class (0 PER, 1 ORG, 2 LOC, 3 MISC).
type span struct {
	start, end int
	class      int
	typ        string // a guideline type that overrides the class's (set by types)
}

// Entities implements processor.EntityStage.
func (r *Recognizer) Entities(doc *text.Doc) []event.Entity {
	if len(doc.Tokens) == 0 {
		return []event.Entity{}
	}
	st := r.pool.Get().(*state)
	defer r.pool.Put(st)
	r.tag(doc, st)
	if !r.modelOnly {
		r.fix(doc, st)
		r.types(doc, st)
	}
	return r.group(doc, st)
}

func (r *Recognizer) decode(m *tagger.Model, st *state) {
	for _, s := range st.sents {
		toks := st.toks[s.Start:s.End]
		if m.Second && !hasHistory(toks) {
			// nothing for the second pass to read: keep the first pass
			continue
		}
		if m.UseViterbi {
			m.Viterbi(toks, st.tags[s.Start:s.End], &st.vsc, func(i int, out []uint32) []uint32 {
				return m.Static(toks, i, out)
			})
		} else {
			m.Decode(toks, st.tags[s.Start:s.End], &st.sc)
		}
	}
}

func hasHistory(toks []tagger.Tok) bool {
	for i := range toks {
		if toks[i].Hist != [4]uint8{} {
			return true
		}
	}
	return false
}

// tag runs the sequence model over every sentence.
func (r *Recognizer) tag(doc *text.Doc, st *state) {
	n := len(doc.Tokens)
	if cap(st.toks) < n {
		st.toks = make([]tagger.Tok, n)
		st.tags = make([]int, n)
	}
	st.toks, st.tags = st.toks[:n], st.tags[:n]
	for i := range doc.Tokens {
		t := doc.Tokens[i]
		st.scratch = tagger.Fill(&st.toks[i], doc.Text[t.Start:t.End], st.scratch)
	}
	st.sents = st.sents[:0]
	for _, s := range doc.Sentences {
		st.sents = append(st.sents, tagger.Span{Start: int(s.Start), End: int(s.End)})
	}
	tagger.PrepareDoc(st.toks, st.sents, r.gaz, &st.ds)
	r.decode(r.model, st)
	if r.second != nil {
		if st.hist == nil {
			st.hist = make(map[uint64][4]uint8)
		}
		tagger.SetHistory(st.toks, st.tags, st.hist)
		r.decode(r.second, st)
	}
	st.spans = st.spans[:0]
	for i := 0; i < n; {
		t := st.tags[i]
		if t == tagger.O {
			i++
			continue
		}
		c := tagger.Class(t)
		j := i + 1
		for j < n && st.tags[j] == 2+2*c {
			j++
		}
		st.spans = append(st.spans, span{start: i, end: j, class: c})
		i = j
	}
}

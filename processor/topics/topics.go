// Package topics tags an article with IPTC Media Topics: the 17 top-level
// topics, and a deeper code where the evidence for it is strong.
//
// The tagger is a weighted lexicon, compiled once into a flat hash table:
// hand-written news vocabulary per topic (data/lexicon.txt), the IPTC
// vocabulary's own labels and definitions (data/iptc-mediatopics.tsv, CC BY
// 4.0, see data/NOTICE.md), and cues from the names of ORG entities. Tagging
// is one pass over the title and body tokens with a hash lookup per token (and
// per phrase prefix); repeated words count less each time, title words count
// more, and evidence for a deeper concept rolls up to its top-level topic.
// Beside the lexicon, known entities (an embedded gazetteer, or any
// EntityTopics such as a knowledge base) and a small learned model add
// evidence: a hashed linear classifier (data/model.bin.gz) and one over word
// vectors derived from a sentence encoder (vecmodel.go), which knows names no
// list holds. A headline's known names are also looked
// up directly where the entity stage missed them (headlines.go), so that a
// headline alone still gets its best topic: every text with words gets one,
// scored by the strength of its evidence, with the calibrated probability
// that it applies (calibrate.go).
package topics

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics/internal/wordvec"
)

//go:embed data/iptc-mediatopics.tsv
var iptcTSV string

//go:embed data/lexicon.txt
var handLexicon string

//go:embed data/NOTICE.md
var notice string

//go:embed data/model.bin.gz
var modelFile []byte

//go:embed data/wordvec.bin.gz
var wordVectorsGz []byte

//go:embed data/wordvec-model.txt
var vecModelFile string

//go:embed data/entity-topics.tsv.gz
var entityTopicsGz []byte

//go:embed data/not-names.txt.gz
var notNamesGz []byte

//go:embed data/known-entities.txt
var knownEntities string

//go:embed data/known-people.txt
var knownPeople string

// knownList is the list of known names: known-entities.txt, whose names
// also train the learned model, and known-people.txt (unless withoutPeople),
// whose names count only when the tagger runs.
func knownList(withoutPeople bool) string {
	if withoutPeople {
		return knownEntities
	}
	return knownEntities + "\n" + knownPeople
}

//go:embed data/calibration.txt
var calibrationFile string

// Notice returns the attribution of the embedded IPTC vocabulary (CC BY 4.0)
// and the origin of the hand-written lexicon.
func Notice() string { return notice }

// Tagger assigns topics. It is immutable after New and safe for concurrent
// use; per-article scratch space is pooled.
type Tagger struct {
	cfg      Config
	vocab    *vocabulary
	lex      lexicon
	policy   []policyLink
	model    *model
	vec      *vecModel      // the learned model's word-vector part (nil: left out)
	vecTab   *wordvec.Table // its vectors
	mnodes   []int          // vocabulary node of each model class
	mclass   []int          // model class of each vocabulary node, -1 for none
	calib    *Calibration   // nil: no probabilities (Config.NoCalibration)
	sport    int            // node of the sport topic, -1 if absent
	ents     EntityTopics
	notNames map[uint64]struct{} // words that alone are no name, by name key
	shared   map[uint64]struct{} // one-word names that may be a person's or a word (sharedWords)
	damp     [256]float32        // weight of the n-th hit of the same term: 1/sqrt(n)
	scratch  sync.Pool
}

// New compiles the embedded vocabulary and lexicons.
func New(cfg Config) (*Tagger, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v, err := parseVocabulary(iptcTSV)
	if err != nil {
		return nil, err
	}
	terms := newBuilder()
	org, role, remap, policy, err := parseHand(handLexicon, v, terms)
	if err != nil {
		return nil, err
	}
	if cfg.IPTCOnly {
		terms, org, role = newBuilder(), newBuilder(), newBuilder()
		policy = nil
	}
	var shared map[string]bool // one-word names people or the language share
	if !cfg.IPTCOnly {
		list := knownList(cfg.NoKnownPeople)
		shared = sharedWords(list)
		addKnownNames(list, v, terms, shared)
	}
	if !cfg.NoIPTC {
		addIPTC(v, terms, remap)
	}
	t := &Tagger{cfg: cfg, vocab: v, policy: policy, lex: lexicon{
		terms: freeze(terms.entries), org: freeze(org.entries), role: freeze(role.entries)}}
	t.mclass = make([]int, len(v.nodes))
	for i := range t.mclass {
		t.mclass[i] = -1
	}
	mf := modelFile
	if cfg.ModelData != nil {
		mf = cfg.ModelData
	}
	if !cfg.NoModel && !cfg.IPTCOnly && len(mf) > 0 {
		m, err := decodeModel(mf)
		if err != nil {
			return nil, err
		}
		for i, c := range m.classes {
			n, ok := v.byCode[c]
			if !ok {
				return nil, fmt.Errorf("topics model: class %s is not in the vocabulary", c)
			}
			t.mnodes = append(t.mnodes, n)
			t.mclass[n] = i
		}
		t.model = m
		if !cfg.NoVectors {
			if err := t.loadVectors(cfg); err != nil {
				return nil, err
			}
		}
	}
	if !cfg.NoCalibration {
		c, err := ParseCalibration(strings.NewReader(calibrationFile))
		if err != nil {
			return nil, err
		}
		t.calib = &c
	}
	t.sport = -1
	if n, ok := v.byCode["medtop:15000000"]; ok && !cfg.IPTCOnly {
		t.sport = n
	}
	t.ents = cfg.Entities
	if t.ents == nil && !cfg.IPTCOnly && len(entityTopicsGz) > 0 {
		g, err := embeddedGazetteer(cfg.NoKnownPeople)
		if err != nil {
			return nil, err
		}
		t.ents = g
	}
	if t.ents != nil && len(notNamesGz) > 0 {
		list, err := gunzip(notNamesGz)
		if err != nil {
			return nil, fmt.Errorf("topics: not-names list: %w", err)
		}
		t.notNames = parseNotNames(list)
		t.shared = map[uint64]struct{}{}
		for w := range shared {
			t.shared[nameKey(w)] = struct{}{}
		}
	}
	for i := 1; i < len(t.damp); i++ {
		t.damp[i] = float32(1 / math.Sqrt(float64(i)))
	}
	dims := 0
	if t.vecTab != nil {
		dims = t.vecTab.Dims()
	}
	t.scratch.New = func() any {
		nc := len(t.mnodes)
		return &scratch{
			hits:        make([]uint8, len(t.lex.terms.slots)),
			node:        make([]float32, len(v.nodes)),
			sub:         make([]float32, len(v.nodes)),
			creditAfter: math.MaxInt,
			prob:        make([]float64, nc),
			vprob:       make([]float64, nc),
			learned:     make([]float32, nc),
			vec:         make([]float32, dims),
		}
	}
	return t, nil
}

// scratch is one article's working state. Only touched cells are reset.
type scratch struct {
	hits         []uint8 // per table slot: how often the term was seen
	hitsTouched  []int32
	node         []float32 // evidence per concept
	nodeTouched  []int32
	sub          []float32 // evidence per concept including its subtree
	subTouched   []int32
	names        [maxNames]roleName
	nnames       int
	seen         [maxSeenNames]uint64 // keys of the known names counted
	nseen        int
	others       []uint64 // keys of the entity stage's places, events, works and products (readEntities)
	persons      []string // the entity stage's names of people, mentions included (readEntities)
	entitiesRead bool
	title, body  text.Doc // the title and body without credits (trimDoc)
	// the body's credits end at creditBefore and start at creditAfter
	// (bytes); an entity named only there is no evidence
	creditBefore, creditAfter int
	feats                     []uint64  // learned-model features
	prob                      []float64 // learned-model probabilities (both parts), one per class
	vprob                     []float64 // the word-vector part's probabilities, one per class
	learned                   []float32 // evidence the learned model gave each class
	pieces                    []int32   // the word-vector part's input pieces
	pieceScratch              wordvec.Scratch
	vec                       []float32 // the text's vector (Table.Dims)
	modelRan                  bool      // prob holds this text's probabilities
	modelTop                  int       // the model's most probable class
}

// maxNames bounds the surnames remembered per article; later ones are
// ignored (the first people introduced are the article's protagonists).
const maxNames = 16

// roleName is a surname introduced by a role word ("Home Secretary Charles
// Clarke"): each later mention is evidence for the role's topic.
type roleName struct {
	hash uint64
	role int32 // slot in the role table
	seen uint8
}

func (s *scratch) reset() {
	for _, i := range s.hitsTouched {
		s.hits[i] = 0
	}
	for _, i := range s.nodeTouched {
		s.node[i] = 0
	}
	for _, i := range s.subTouched {
		s.sub[i] = 0
	}
	s.hitsTouched, s.nodeTouched, s.subTouched = s.hitsTouched[:0], s.nodeTouched[:0], s.subTouched[:0]
	s.nnames, s.nseen = 0, 0
	s.modelRan = false
	s.others, s.persons, s.entitiesRead = s.others[:0], s.persons[:0], false
	s.creditBefore, s.creditAfter = 0, math.MaxInt
	// keep the buffers, not the article
	s.title = text.Doc{Sentences: s.title.Sentences[:0]}
	s.body = text.Doc{Sentences: s.body.Sentences[:0]}
}

// roleWeight is the evidence of one later mention of a role-introduced name.
const roleWeight = 1.0

// mention adds the evidence of a capitalised word that may be a surname
// introduced earlier by a role word.
func (t *Tagger) mention(s *scratch, h uint64, mult float32) {
	for i := 0; i < s.nnames; i++ {
		nm := &s.names[i]
		if nm.hash != h {
			continue
		}
		if nm.seen < 255 {
			nm.seen++
		}
		sl := &t.lex.role.slots[nm.role]
		for _, p := range t.lex.role.post[sl.start : sl.start+uint32(sl.count)] {
			s.addNode(int(p.node), p.weight*roleWeight*mult*t.damp[nm.seen])
		}
		return
	}
}

func (s *scratch) remember(h uint64, role int) {
	for i := 0; i < s.nnames; i++ {
		if s.names[i].hash == h {
			return
		}
	}
	if s.nnames < maxNames {
		s.names[s.nnames] = roleName{hash: h, role: int32(role)}
		s.nnames++
	}
}

// hit adds the evidence of table slot si, seen once with weight mult.
func (t *Tagger) hit(s *scratch, si int, capital bool, mult float32) {
	sl := &t.lex.terms.slots[si]
	if sl.count == 0 {
		return
	}
	n := s.hits[si]
	if n == 0 {
		s.hitsTouched = append(s.hitsTouched, int32(si))
	}
	if n < 255 {
		n++
		s.hits[si] = n
	}
	m := mult * t.damp[n]
	for _, p := range t.lex.terms.post[sl.start : sl.start+uint32(sl.count)] {
		if p.mode == caseCap && !capital || p.mode == caseLower && capital {
			continue
		}
		s.addNode(int(p.node), p.weight*m)
	}
}

func (s *scratch) addNode(n int, w float32) {
	if s.node[n] == 0 {
		s.nodeTouched = append(s.nodeTouched, int32(n))
	}
	s.node[n] += w
}

// scan adds the evidence of one tokenized text: tokens before index lead
// weigh leadMult, the rest rest.
func (t *Tagger) scan(s *scratch, d *text.Doc, leadMult float32, lead int, rest float32) {
	if d == nil {
		return
	}
	tab := t.lex.terms
	src := d.Text
	// Phrase state: the key of the phrase prefix ending at the previous
	// token (one and two words long), valid only if the table knows it as a
	// prefix, and whether the phrase's first word was capitalised.
	var p1, p2 uint64
	var ok1, ok2, cap1, cap2 bool
	// Role state: the role slot of the last role word, and the last
	// capitalised word of the name that follows it.
	role, nameLen := -1, 0
	var nameLast uint64
	mult := leadMult
	for i := range d.Tokens {
		if i == lead {
			mult = rest
		}
		tok := &d.Tokens[i]
		valid := tok.Kind == text.Word || tok.Kind == text.Number
		if !valid || tok.End > int32(len(src)) || tok.Start < 0 || tok.Start > tok.End {
			ok1, ok2 = false, false
			if role >= 0 && nameLen > 0 {
				s.remember(nameLast, role)
			}
			role = -1
			continue
		}
		w := src[tok.Start:tok.End]
		capital := tok.Flags&text.Upper != 0
		if t.sport >= 0 && i > 0 && i+1 < len(d.Tokens) &&
			d.Tokens[i-1].Flags&text.Upper != 0 && d.Tokens[i+1].Flags&text.Upper != 0 &&
			d.Tokens[i-1].Kind == text.Word && d.Tokens[i+1].Kind == text.Word && isMatchCue(w, tok.Kind == text.Number) {
			// "Dundee Utd 4-1 Aberdeen", "Worcester v Sale": a fixture
			s.addNode(t.sport, matchWeight*mult)
		}
		h, hb := hashWord(w)
		if capital && tok.Kind == text.Word && tok.Flags&text.SentStart == 0 {
			if role >= 0 {
				nameLast, nameLen = h, nameLen+1
			} else if s.nnames > 0 {
				t.mention(s, h, mult)
			}
		} else if role >= 0 {
			if nameLen > 0 {
				s.remember(nameLast, role)
			}
			role = -1
		}
		if r := t.lex.role.find(h); r >= 0 {
			role, nameLen = r, 0
		}
		si := tab.find(h)
		if si < 0 && len(w) > 3 && (w[len(w)-1]|0x20) == 's' {
			// plural fallback: "goals" -> "goal" when only the singular is
			// listed, and "crashes" -> "crash", "taxes" -> "tax"
			if sj := tab.find(hb); sj >= 0 {
				h, si = hb, sj
			} else if len(w) > 4 && (w[len(w)-2]|0x20) == 'e' {
				he, _ := hashWord(w[:len(w)-2])
				if sj := tab.find(he); sj >= 0 {
					h, si = he, sj
				}
			}
		}
		if si >= 0 {
			t.hit(s, si, capital, mult)
		}
		var n1, n2 bool
		var k2 uint64
		if ok2 {
			if sj := tab.find(combine(p2, h)); sj >= 0 {
				t.hit(s, sj, cap2, mult)
			}
		}
		if ok1 {
			k2 = combine(p1, h)
			if sj := tab.find(k2); sj >= 0 {
				t.hit(s, sj, cap1, mult)
				n2 = tab.slots[sj].flags&slotPrefix != 0
			}
		}
		n1 = si >= 0 && tab.slots[si].flags&slotPrefix != 0
		p2, ok2, cap2 = k2, n2, cap1
		p1, ok1, cap1 = h, n1, capital
	}
	if role >= 0 && nameLen > 0 {
		s.remember(nameLast, role)
	}
}

// matchWeight is the evidence of a fixture or a result between two names.
const matchWeight = 3

// isMatchCue reports a score ("4-1", "31-37") or "v"/"vs" between names.
func isMatchCue(w string, number bool) bool {
	if !number {
		return w == "v" || w == "vs" || w == "v." || w == "vs."
	}
	dash := strings.IndexByte(w, '-')
	if dash < 1 || dash > 3 || len(w)-dash-1 < 1 || len(w)-dash-1 > 3 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if i != dash && (w[i] < '0' || w[i] > '9') {
			return false
		}
	}
	return true
}

// entityCues adds evidence from ORG names: "... plc" is a company, "... FC"
// a football club, "... Party" politics.
func (t *Tagger) entityCues(s *scratch, entities []event.Entity) {
	tab := t.lex.org
	for i := range entities {
		e := &entities[i]
		if e.Type != event.TypeOrg {
			continue
		}
		c := e.Count
		if c < 1 {
			c = 1
		}
		w := float32(0.8 * (1 + math.Log(float64(c))))
		name := e.Text
		for start := 0; start < len(name); {
			end := start
			for end < len(name) && isNameByte(name[end]) {
				end++
			}
			if end > start {
				h, _ := hashWord(name[start:end])
				if si := tab.find(h); si >= 0 {
					sl := &tab.slots[si]
					for _, p := range tab.post[sl.start : sl.start+uint32(sl.count)] {
						s.addNode(int(p.node), p.weight*w)
					}
				}
			}
			start = end + 1
		}
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// Topics returns the article's topics, best first. title may be nil or
// empty; entities may be nil (the entity cues are then simply absent).
func (t *Tagger) Topics(title, body *text.Doc, entities []event.Entity) []event.Topic {
	s := t.getScratch()
	defer t.putScratch(s)
	t.evidence(s, title, body, entities, nil)
	return t.decide(s)
}

// getScratch takes a cleared scratch from the pool; putScratch clears it
// and gives it back, keeping its buffers.
func (t *Tagger) getScratch() *scratch { return t.scratch.Get().(*scratch) }

func (t *Tagger) putScratch(s *scratch) {
	s.reset()
	t.scratch.Put(s)
}

// The sources of evidence, in the order evidence adds them (Explain).
const (
	SourceLexicon       = "lexicon"        // the hand lexicon, the IPTC vocabulary, fixtures and role-introduced names
	SourceEntityCues    = "entity-cues"    // words in ORG names ("plc", "FC")
	SourceKnownEntities = "known-entities" // the entity stage's entities found in the gazetteer
	SourceHeadlineNames = "headline-names" // a headline's known names looked up directly
	SourceModel         = "model"          // the learned model's hashed part
	SourceWordVectors   = "word-vectors"   // the learned model's word-vector part
)

// evidence gathers every source's evidence for the text into s; done, when
// not nil, is called after each source (Explain).
func (t *Tagger) evidence(s *scratch, title, body *text.Doc, entities []event.Entity, done func(source string)) {
	mark := func(source string) {
		if done != nil {
			done(source)
		}
	}
	title, body = s.withoutCredits(title, body)
	tw := float32(t.cfg.TitleWeight)
	t.scan(s, title, tw, 0, tw)
	lead := 0
	if body != nil && len(body.Sentences) > 1 {
		lead = int(body.Sentences[0].End)
	}
	t.scan(s, body, float32(t.cfg.LeadWeight), lead, 1)
	mark(SourceLexicon)
	if !t.cfg.IPTCOnly {
		t.entityCues(s, entities)
		mark(SourceEntityCues)
		t.entityTopics(s, entities)
		mark(SourceKnownEntities)
		t.headlineNames(s, title, entities, true)
		t.headlineNames(s, body, entities, false)
		mark(SourceHeadlineNames)
	}
	if t.model != nil {
		s.feats = appendFeatures(s.feats[:0], title, body, modelTokens, t.model.grams)
		s.modelRan = len(s.feats) > 0
	}
	if s.modelRan {
		t.hashedEvidence(s)
	}
	mark(SourceModel)
	if t.vec != nil {
		if s.modelRan {
			t.vectorEvidence(s, title, body)
		}
		mark(SourceWordVectors)
	}
	if s.modelRan {
		s.modelTop = 0
		for c, p := range s.prob {
			if p > s.prob[s.modelTop] {
				s.modelTop = c
			}
		}
	}
}

// hashedEvidence adds the learned model's hashed part's evidence: its
// weight spread over the topics by its probabilities, which s.prob holds.
func (t *Tagger) hashedEvidence(s *scratch) {
	t.model.predict(s.feats, s.prob)
	for c, n := range t.mnodes {
		s.learned[c] = 0
		if w := float32(t.cfg.ModelWeight * s.prob[c]); w > 1e-3 {
			s.learned[c] = w
			s.addNode(n, w)
		}
	}
}

// vectorEvidence adds the word-vector part's evidence the same way, and
// makes s.prob the two parts' mixture in the proportion of their weights,
// which the calibration reads as the learned model's probability.
func (t *Tagger) vectorEvidence(s *scratch, title, body *text.Doc) {
	s.pieces = appendPieces(s.pieces[:0], &s.pieceScratch, t.vecTab, title, body)
	if !t.vecTab.Mean(s.vec, s.pieces) {
		return
	}
	t.vec.predict(s.vec, s.vprob)
	mw, vw := t.cfg.ModelWeight, t.cfg.VectorWeight
	for c, n := range t.mnodes {
		if w := float32(vw * s.vprob[c]); w > 1e-3 {
			s.learned[c] += w
			s.addNode(n, w)
		}
		s.prob[c] = (mw*s.prob[c] + vw*s.vprob[c]) / (mw + vw)
	}
}

// loadVectors loads the word-vector part of the learned model, whose classes
// must be the hashed part's, in the same order.
func (t *Tagger) loadVectors(cfg Config) error {
	src := vecModelFile
	if cfg.VectorModelData != nil {
		src = string(cfg.VectorModelData)
	}
	vm, err := parseVecModel(src)
	if err != nil {
		return err
	}
	if !slices.Equal(vm.classes, t.model.classes) {
		return fmt.Errorf("topics: the word-vector model's classes %v are not the learned model's %v", vm.classes, t.model.classes)
	}
	tab, err := embeddedVectors()
	if err != nil {
		return err
	}
	if vm.dims != tab.Dims() {
		return fmt.Errorf("topics: the word-vector model reads %d dimensions, the vectors have %d", vm.dims, tab.Dims())
	}
	t.vec, t.vecTab = vm, tab
	return nil
}

// embeddedVectors parses data/wordvec.bin.gz.
func embeddedVectors() (*wordvec.Table, error) {
	tab, err := wordvec.Parse(wordVectorsGz)
	if err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	return tab, nil
}

// modelClass is the learned model's class for vocabulary node n, -1 when
// the model has none for it or did not run on this text.
func (t *Tagger) modelClass(s *scratch, n int) int {
	if !s.modelRan {
		return -1
	}
	return t.mclass[n]
}

// modelEvidence is the evidence the learned model (both parts) gave its
// class c.
func (t *Tagger) modelEvidence(s *scratch, c int) float32 { return s.learned[c] }

// TopLevel maps every code the tagger can emit to its top-level topic code
// (for scoring against top-level gold labels, e.g. score.py --topic-map).
func (t *Tagger) TopLevel() map[string]string {
	m := make(map[string]string, len(t.vocab.nodes))
	for _, n := range t.vocab.nodes {
		m[n.code] = t.vocab.nodes[n.top].code
	}
	return m
}

func (t *Tagger) topic(n int, score float64) event.Topic {
	nd := &t.vocab.nodes[n]
	return event.Topic{Code: nd.code, Label: nd.label, Score: round3(score)}
}

// EmbeddedGazetteer parses the embedded entity gazetteer
// (data/entity-topics.tsv.gz, generated from open name lists) and adds the
// compiled lists of well-known names (data/known-entities.txt and
// data/known-people.txt), which win where both list a name. It is the default Config.Entities, exported so
// that it can be chained with a knowledge base.
func EmbeddedGazetteer() (*Gazetteer, error) { return embeddedGazetteer(false) }

func embeddedGazetteer(withoutPeople bool) (*Gazetteer, error) {
	tsv, err := gunzip(entityTopicsGz)
	if err != nil {
		return nil, fmt.Errorf("topics: entity gazetteer: %w", err)
	}
	g, err := ParseGazetteer(tsv)
	if err != nil {
		return nil, err
	}
	if err := g.AddList(knownList(withoutPeople), true); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	return g, nil
}

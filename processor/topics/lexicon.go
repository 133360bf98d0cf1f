package topics

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/processor/text"
)

// node is one active concept of the IPTC Media Topics vocabulary.
type node struct {
	code   string
	label  string
	def    string
	parent int32 // -1 for a top-level topic
	top    int32 // index of the top-level ancestor (itself for a top-level topic)
	level  int8
}

// vocabulary is the tree of active Media Topics.
type vocabulary struct {
	nodes  []node
	byCode map[string]int
	tops   []int // indexes of the top-level topics, in code order
}

// parseVocabulary reads the IPTC TSV (header: code parent_code level
// label_en definition_en wikidata retired). Retired concepts are dropped.
func parseVocabulary(tsv string) (*vocabulary, error) {
	v := &vocabulary{byCode: make(map[string]int)}
	parents := []string{}
	sc := bufio.NewScanner(strings.NewReader(tsv))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if !strings.HasPrefix(sc.Text(), "code\tparent_code\tlevel\tlabel_en") {
				return nil, fmt.Errorf("iptc vocabulary: unexpected header %q", sc.Text())
			}
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("iptc vocabulary line %d: %d fields, want 7", line, len(f))
		}
		if f[6] == "yes" {
			continue
		}
		lvl, err := strconv.Atoi(f[2])
		if err != nil || lvl < 1 || lvl > 9 {
			return nil, fmt.Errorf("iptc vocabulary line %d: bad level %q", line, f[2])
		}
		if _, dup := v.byCode[f[0]]; dup {
			return nil, fmt.Errorf("iptc vocabulary line %d: duplicate code %s", line, f[0])
		}
		v.byCode[f[0]] = len(v.nodes)
		v.nodes = append(v.nodes, node{code: f[0], label: f[3], def: f[4], parent: -1, level: int8(lvl)})
		parents = append(parents, f[1])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("iptc vocabulary: %w", err)
	}
	if len(v.nodes) > math.MaxUint16 {
		return nil, fmt.Errorf("iptc vocabulary: %d concepts, at most %d supported", len(v.nodes), math.MaxUint16)
	}
	for i, p := range parents {
		if p == "" {
			v.tops = append(v.tops, i)
			continue
		}
		pi, ok := v.byCode[p]
		if !ok {
			return nil, fmt.Errorf("iptc vocabulary: %s has unknown or retired parent %s", v.nodes[i].code, p)
		}
		v.nodes[i].parent = int32(pi)
	}
	for i := range v.nodes {
		j, depth := i, 0
		for v.nodes[j].parent >= 0 {
			j = int(v.nodes[j].parent)
			if depth++; depth > 16 {
				return nil, fmt.Errorf("iptc vocabulary: cycle at %s", v.nodes[i].code)
			}
		}
		v.nodes[i].top = int32(j)
	}
	if len(v.tops) == 0 {
		return nil, fmt.Errorf("iptc vocabulary: no top-level topics")
	}
	return v, nil
}

// under reports whether node n is anc or one of its descendants.
func (v *vocabulary) under(n, anc int) bool {
	for n >= 0 {
		if n == anc {
			return true
		}
		n = int(v.nodes[n].parent)
	}
	return false
}

// lexicon is the compiled evidence: the term table plus the ORG-name cues.
type lexicon struct {
	terms *table
	org   *table // word hash -> postings for ORG entity names
	role  *table // word hash -> postings for role words that introduce a name
}

// builder accumulates terms before they are frozen into a table.
type builder struct {
	entries map[uint64]*entry
	doc     text.Doc
}

func newBuilder() *builder { return &builder{entries: make(map[uint64]*entry)} }

func (b *builder) entry(key uint64) *entry {
	e := b.entries[key]
	if e == nil {
		e = &entry{}
		b.entries[key] = e
	}
	return e
}

// words splits a term exactly as the runtime tokenizer will, so that
// "alzheimer's" or "100m" match the tokens the text stage produces. It
// returns nil when the term holds anything but word and number tokens.
func (b *builder) words(term string) []string {
	b.doc.Reset(term)
	out := make([]string, 0, len(b.doc.Tokens))
	for i, t := range b.doc.Tokens {
		if t.Kind != text.Word && t.Kind != text.Number {
			return nil
		}
		out = append(out, b.doc.TokenText(i))
	}
	return out
}

// add makes words (1..maxPhrase of them) evidence for node.
func (b *builder) add(words []string, nd int, mode uint8, w float32) {
	var key uint64
	for i, word := range words {
		h, _ := hashWord(word)
		b.entry(h).flags |= slotKnown
		if i == 0 {
			key = h
		} else {
			key = combine(key, h)
		}
		if i < len(words)-1 {
			b.entry(key).flags |= slotPrefix
		}
	}
	e := b.entry(key)
	for i := range e.post {
		if int(e.post[i].node) == nd && e.post[i].mode == mode {
			if w > e.post[i].weight {
				e.post[i].weight = w
			}
			return
		}
	}
	e.post = append(e.post, posting{node: uint16(nd), mode: mode, weight: w})
}

const maxPhrase = 3

// lookup returns the entry of a term, or nil.
func (b *builder) lookup(words []string) *entry {
	var key uint64
	for i, word := range words {
		h, _ := hashWord(word)
		if i == 0 {
			key = h
		} else {
			key = combine(key, h)
		}
	}
	return b.entries[key]
}

// parseHand reads the hand-written lexicon (format in data/lexicon.txt) into
// b, returns the ORG-name cues and the remapping of IPTC-derived evidence.
func parseHand(src string, v *vocabulary, b *builder) (org, role *builder, remap map[int]int, policy []policyLink, err error) {
	org, role = newBuilder(), newBuilder()
	remap = map[int]int{}
	cur := -1
	sc := bufio.NewScanner(strings.NewReader(src))
	line := 0
	lookup := func(code string) (int, error) {
		n, ok := v.byCode[code]
		if !ok {
			return 0, fmt.Errorf("lexicon line %d: unknown or retired topic %q", line, code)
		}
		return n, nil
	}
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		switch {
		case s[0] == '[':
			if !strings.HasSuffix(s, "]") {
				return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: unterminated section %q", line, s)
			}
			if cur, err = lookup(strings.TrimSpace(s[1 : len(s)-1])); err != nil {
				return nil, nil, nil, nil, err
			}
			continue
		case strings.HasPrefix(s, "@remap "):
			f := strings.Fields(s)
			if len(f) != 3 {
				return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: want @remap FROM TO", line)
			}
			from, err := lookup(f[1])
			if err != nil {
				return nil, nil, nil, nil, err
			}
			to, err := lookup(f[2])
			if err != nil {
				return nil, nil, nil, nil, err
			}
			remap[from] = to
			continue
		case strings.HasPrefix(s, "@org "), strings.HasPrefix(s, "@role "):
			f := strings.Fields(s)
			if len(f) < 3 {
				return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: want %s CODE WORD [WORD ...]", line, f[0])
			}
			nd, err := lookup(f[1])
			if err != nil {
				return nil, nil, nil, nil, err
			}
			into := org
			if f[0] == "@role" {
				into = role
			}
			for _, w := range f[2:] {
				into.add([]string{w}, nd, caseAny, 1)
			}
			continue
		case strings.HasPrefix(s, "@policy "):
			f := strings.Fields(s)
			if len(f) != 3 {
				return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: want @policy DOMAIN POLICY", line)
			}
			d, err := lookup(f[1])
			if err != nil {
				return nil, nil, nil, nil, err
			}
			p, err := lookup(f[2])
			if err != nil {
				return nil, nil, nil, nil, err
			}
			if v.nodes[d].parent >= 0 || v.nodes[p].top == int32(d) {
				return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: @policy needs a top-level domain and a concept outside it", line)
			}
			policy = append(policy, policyLink{domain: d, policy: p})
			continue
		case s[0] == '@':
			return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: unknown directive %q", line, s)
		}
		if cur < 0 {
			return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: term %q before any [medtop:...] section", line, s)
		}
		mode := caseAny
		switch s[0] {
		case '^':
			mode, s = caseCap, s[1:]
		case '!':
			mode, s = caseLower, s[1:]
		}
		weight := float32(1)
		if i := strings.LastIndexByte(s, ' '); i > 0 {
			if w, perr := strconv.ParseFloat(s[i+1:], 32); perr == nil {
				if w <= 0 || w > 10 {
					return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: weight %v out of range (0,10]", line, w)
				}
				weight, s = float32(w), strings.TrimSpace(s[:i])
			}
		}
		words := b.words(s)
		if len(words) == 0 || len(words) > maxPhrase {
			return nil, nil, nil, nil, fmt.Errorf("lexicon line %d: term %q must be 1-%d words", line, s, maxPhrase)
		}
		b.add(words, cur, mode, weight)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("lexicon: %w", err)
	}
	return org, role, remap, policy, nil
}

// policyLink says that evidence for a domain (education) together with
// evidence for politics is evidence for the domain's policy concept under
// politics (medtop:20001338 education policy), as IPTC files it.
type policyLink struct {
	domain int // top-level topic
	policy int // concept under another top-level topic
}

// Weights of the evidence taken from the IPTC vocabulary itself. They are
// small next to the hand-written lexicon (1-3): the labels and definitions
// are precise but use few of the words reporters use.
const (
	iptcLabelWeight = 0.6
	iptcDefWeight   = 0.12
)

// addIPTC turns the labels and definitions into evidence. A label segment
// ("climate change", "cinema") is evidence for its own concept; a content
// word of a definition is weak evidence for the concept's top-level topic.
// Words shared by several top-level topics are divided among them, and
// words found under more than three are dropped as uninformative.
func addIPTC(v *vocabulary, b *builder, remap map[int]int) {
	type use struct {
		node  int
		label bool
	}
	tops := map[string]map[int32]bool{}
	uses := map[string][]use{}
	note := func(term string, n int, label bool) {
		if tops[term] == nil {
			tops[term] = map[int32]bool{}
		}
		tops[term][v.nodes[n].top] = true
		uses[term] = append(uses[term], use{n, label})
	}
	for n := range v.nodes {
		for _, seg := range labelSegments(v.nodes[n].label) {
			note(seg, n, true)
		}
		seen := map[string]bool{}
		for _, w := range contentWords(v.nodes[n].def) {
			if !seen[w] {
				seen[w] = true
				note(w, n, false)
			}
		}
	}
	for term, us := range uses {
		nt := len(tops[term])
		if nt > 3 {
			continue
		}
		words := b.words(term)
		if len(words) == 0 || len(words) > maxPhrase {
			continue
		}
		done := map[int]bool{}
		for _, u := range us {
			target := u.node
			for from, to := range remap {
				if v.under(u.node, from) {
					target = to
					if !u.label {
						target = int(v.nodes[to].top)
					}
				}
			}
			w := float32(iptcLabelWeight)
			if !u.label {
				w = iptcDefWeight
				target = int(v.nodes[target].top)
			}
			if done[target] {
				continue
			}
			done[target] = true
			b.add(words, target, caseAny, w/float32(nt))
		}
	}
}

// labelSegments splits a label such as "arts, culture, entertainment and
// media" or "non-governmental organisation (NGO)" into its lower-cased parts.
func labelSegments(label string) []string {
	l := strings.ToLower(label)
	l = strings.NewReplacer("(", ",", ")", ",", " and ", ",", " or ", ",", "/", ",").Replace(l)
	var out []string
	for _, seg := range strings.Split(l, ",") {
		seg = strings.TrimSpace(seg)
		if len(seg) < 3 || stopwords[seg] {
			continue
		}
		out = append(out, seg)
	}
	return out
}

// contentWords lower-cases a definition and keeps the words that carry
// meaning.
func contentWords(def string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(def), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '-' || r == '\'')
	}) {
		w = strings.Trim(w, "-'")
		if len(w) < 4 || stopwords[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stopwords are function words plus the boilerplate of IPTC definitions
// ("news about activities related to ...").
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or of to in on at by for from with without into onto upon about
		as is are was were be been being has have had do does did this that these those it its their them they
		which who whom whose what when where why how than then there here such other others another any all
		some each every both either neither more most less least many much few very also only not no nor
		can could may might must shall should will would one two three first second new old same own
		including include includes included related relating relation relations regarding concerning involving
		involve involves issue issues matter matters activity activities aspect aspects area areas type types
		form forms kind kinds way ways use used uses using general specific particular various variety
		generally usually often especially etc e.g i.e news story stories coverage report reports topic topics
		subject subjects category categories event events thing things part parts group groups individual
		individuals person people someone something anything everything within between among through over under
		after before during while against toward towards across around along beyond via per like unlike
		whether however although though because since until unless so if but yet just even still already
		made make makes making done given give gives take takes taken based level levels term terms field fields
		practice practices process processes system systems means mean meaning known called described
		refers refer referring covering covers cover describes describe`) {
		m[w] = true
	}
	return m
}()

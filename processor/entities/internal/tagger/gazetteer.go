package tagger

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"strings"
)

// Gazetteer classes. A match sets bit 2*class on its first token and bit
// 2*class+1 on the others.
const (
	GFirst = iota
	GSur
	GCountry
	GCity
	GTown
	GAdmin1
	GClub
	GCompany
	GIntlOrg
	GDemonym
	GTitle
	GOrgSuffix
	GOrgKey
	GLocKey
	GEvent
	GFirstRare
	NumClasses
)

// GazClassNames are the class names used in gazetteer files.
var GazClassNames = [NumClasses]string{"FIRST", "SUR", "COUNTRY", "CITY", "TOWN", "ADMIN1", "CLUB", "COMPANY",
	"INTLORG", "DEMONYM", "TITLE", "ORGSUF", "ORGKEY", "LOCKEY", "EVENT", "FIRSTRARE"}

// GazClassOf parses a class name, -1 if unknown.
func GazClassOf(s string) int {
	for i, n := range GazClassNames {
		if n == s {
			return i
		}
	}
	return -1
}

const maxPhrase = 8

// Gazetteer maps lower-cased token sequences to class bits.
type Gazetteer struct {
	phrases  map[uint64]uint32
	prefixes map[uint64]struct{}
	wikidata map[uint64]string
	scratch  []byte
	// table is phrases and prefixes frozen into one open-addressing hash
	// table (keys are already well-mixed hashes): matching probes it for
	// every token, and Go maps re-hash the key and cost twice as much.
	table []slot
	shift uint
	// Clusters, when set, gives PrepareDoc the tokens' word clusters.
	Clusters *Clusters
}

type slot struct {
	key  uint64
	bits uint32 // class bits | prefixBit; 0 = empty slot
}

const prefixBit = 1 << 31

// freeze builds the probe table from the maps.
func (g *Gazetteer) freeze() {
	n := len(g.phrases) + len(g.prefixes)
	size := 1024
	for size < 2*n {
		size <<= 1
	}
	g.table = make([]slot, size)
	g.shift = uint(64 - bits.TrailingZeros(uint(size)))
	put := func(k uint64, v uint32) {
		mask := uint64(len(g.table) - 1)
		for i := k >> g.shift; ; i = (i + 1) & mask {
			s := &g.table[i]
			if s.bits == 0 || s.key == k {
				s.key = k
				s.bits |= v
				return
			}
		}
	}
	for k, v := range g.phrases {
		put(k, v)
	}
	for k := range g.prefixes {
		put(k, prefixBit)
	}
}

// probe returns the bits stored for k (0 if absent).
func (g *Gazetteer) probe(k uint64) uint32 {
	mask := uint64(len(g.table) - 1)
	for i := k >> g.shift; ; i = (i + 1) & mask {
		s := &g.table[i]
		if s.key == k && s.bits != 0 {
			return s.bits
		}
		if s.bits == 0 {
			return 0
		}
	}
}

// NewGazetteer returns an empty gazetteer.
func NewGazetteer() *Gazetteer {
	return &Gazetteer{phrases: map[uint64]uint32{}, prefixes: map[uint64]struct{}{}, wikidata: map[uint64]string{}}
}

// Len is the number of distinct phrases.
func (g *Gazetteer) Len() int { return len(g.phrases) }

const phraseSeed = 0x5bd1e995

// PhraseHash folds token hashes (Tok.Lower) into a phrase key.
func PhraseHash(h uint64, tokLower uint64) uint64 { return mix(h, tokLower) }

// PhraseSeed starts a phrase key.
const PhraseSeed uint64 = phraseSeed

// Add records phrase (tokens separated by single spaces) under class, with an
// optional Wikidata id.
func (g *Gazetteer) Add(phrase string, class int, qid string) {
	h := uint64(phraseSeed)
	n := 0
	for tok := range strings.SplitSeq(phrase, " ") {
		if tok == "" {
			continue
		}
		if n > 0 {
			g.prefixes[h] = struct{}{}
		}
		var th uint64
		th, g.scratch = HashLower(tok, g.scratch)
		h = mix(h, th)
		n++
		if n == maxPhrase {
			break
		}
	}
	if n == 0 {
		return
	}
	g.phrases[h] |= 1 << (2 * class)
	g.table = nil
	if qid != "" {
		if _, ok := g.wikidata[h]; !ok {
			g.wikidata[h] = qid
		}
	}
}

// Load reads lines "CLASS<TAB>phrase[<TAB>wikidata]".
func (g *Gazetteer) Load(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 2 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		c := GazClassOf(f[0])
		if c < 0 {
			return fmt.Errorf("gazetteer line %d: unknown class %q", line, f[0])
		}
		q := ""
		if len(f) > 2 {
			q = f[2]
		}
		g.Add(f[1], c, q)
	}
	return sc.Err()
}

// Mark sets the Gaz bits of one sentence's tokens.
func (g *Gazetteer) Mark(toks []Tok) {
	if g.table == nil {
		g.freeze()
	}
	for i := range toks {
		if toks[i].Cls == ClsPunct {
			// phrases may contain punctuation but never start with it
			continue
		}
		h := uint64(phraseSeed)
		for k := 0; k < maxPhrase && i+k < len(toks); k++ {
			h = mix(h, toks[i+k].Lower)
			v := g.probe(h)
			if b := v &^ prefixBit; b != 0 {
				toks[i].Gaz |= b
				for j := i + 1; j <= i+k; j++ {
					toks[j].Gaz |= b << 1
				}
			}
			if v&prefixBit == 0 {
				break
			}
		}
	}
}

// Lookup returns the start-class bits of the exact phrase toks (0 if absent)
// and its Wikidata id.
func (g *Gazetteer) Lookup(toks []Tok) (uint32, string) {
	if len(toks) == 0 || len(toks) > maxPhrase {
		return 0, ""
	}
	h := uint64(phraseSeed)
	for i := range toks {
		h = mix(h, toks[i].Lower)
	}
	return g.phrases[h], g.wikidata[h]
}

// Has reports whether start-class bits include class c.
func Has(bits uint32, c int) bool { return bits&(1<<(2*c)) != 0 }

// GazetteerFiles are the gazetteer data files a model directory holds; the
// first is gzip-compressed.
var GazetteerFiles = []string{"gazetteer.tsv.gz", "intl-orgs.tsv", "demonyms.tsv"}

// LoadGazetteer reads the gazetteer files from fsys and adds the built-in
// lists.
func LoadGazetteer(fsys fs.FS) (*Gazetteer, error) {
	g := NewGazetteer()
	AddBuiltins(g)
	for _, name := range GazetteerFiles {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: %w", err)
		}
		var r io.Reader = f
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("gazetteer %s: %w", name, err)
			}
			r = zr
		}
		err = g.Load(r)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("gazetteer %s: %w", name, err)
		}
	}
	g.freeze()
	c, err := LoadClusters(fsys)
	if err != nil {
		return nil, err
	}
	g.Clusters = c
	return g, nil
}

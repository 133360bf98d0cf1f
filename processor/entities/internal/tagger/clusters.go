package tagger

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"strconv"
	"strings"
)

// ClustersFile is the word-cluster file of a model directory (optional: a
// model directory without it gives no cluster features).
const ClustersFile = "clusters.tsv.gz"

// Word clusters: a word's path in a tree of distributional classes learnt
// from unlabelled text, ClusterLevels digits of ClusterBits bits each. Words
// that occur in similar contexts share long prefixes, so a name the training
// data never labelled still shares features with the names it resembles.
const (
	ClusterLevels = 4
	ClusterBits   = 3
	clusterSet    = 1 << 15 // marks a known word; a path alone may be 0
)

// Clusters maps lower-cased words (Tok.Lower) to their cluster path.
type Clusters struct {
	keys  []uint64
	vals  []uint16
	shift uint
	n     int
}

// NewClusters builds the table from word → path (digits, first level
// first; each digit < 1<<ClusterBits).
func NewClusters(paths map[string][]int) (*Clusters, error) {
	size := 1024
	for size < 2*len(paths) {
		size <<= 1
	}
	c := &Clusters{keys: make([]uint64, size), vals: make([]uint16, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
	var scratch []byte
	for w, p := range paths {
		v, err := encodePath(p)
		if err != nil {
			return nil, fmt.Errorf("clusters: %q: %w", w, err)
		}
		var h uint64
		h, scratch = HashLower(w, scratch)
		c.put(h, v)
	}
	return c, nil
}

func encodePath(p []int) (uint16, error) {
	if len(p) == 0 || len(p) > ClusterLevels {
		return 0, fmt.Errorf("path of %d levels", len(p))
	}
	v := uint16(0)
	for l := range ClusterLevels {
		d := 0
		if l < len(p) {
			d = p[l]
		}
		if d < 0 || d >= 1<<ClusterBits {
			return 0, fmt.Errorf("digit %d out of range", d)
		}
		v = v<<ClusterBits | uint16(d)
	}
	return v | clusterSet, nil
}

func (c *Clusters) put(k uint64, v uint16) {
	mask := uint64(len(c.keys) - 1)
	for i := k >> c.shift; ; i = (i + 1) & mask {
		if c.vals[i] == 0 || c.keys[i] == k {
			if c.vals[i] == 0 {
				c.n++
			}
			c.keys[i], c.vals[i] = k, v
			return
		}
	}
}

// Len is the number of words with a cluster.
func (c *Clusters) Len() int { return c.n }

func (c *Clusters) get(k uint64) uint16 {
	mask := uint64(len(c.keys) - 1)
	for i := k >> c.shift; ; i = (i + 1) & mask {
		v := c.vals[i]
		if v == 0 {
			return 0
		}
		if c.keys[i] == k {
			return v
		}
	}
}

// Mark sets Tok.Clu of toks.
func (c *Clusters) Mark(toks []Tok) {
	for i := range toks {
		toks[i].Clu = c.get(toks[i].Lower)
	}
}

// ClusterPrefix returns the first level digits of a Tok.Clu value (0 for an
// unknown word), with the level in the high bits so prefixes of different
// lengths never collide.
func ClusterPrefix(clu uint16, level int) uint64 {
	if clu == 0 {
		return 0
	}
	p := uint64(clu&^clusterSet) >> (ClusterBits * (ClusterLevels - level))
	return uint64(level)<<16 | p
}

// ReadClusters reads lines "word<TAB>d.d.d.d".
func ReadClusters(r io.Reader) (*Clusters, error) {
	paths := map[string][]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		w, p, ok := strings.Cut(sc.Text(), "\t")
		if !ok || w == "" {
			return nil, fmt.Errorf("clusters line %d: want word<TAB>path", line)
		}
		var ds []int
		for f := range strings.SplitSeq(p, ".") {
			d, err := strconv.Atoi(f)
			if err != nil {
				return nil, fmt.Errorf("clusters line %d: %w", line, err)
			}
			ds = append(ds, d)
		}
		paths[w] = ds
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	return NewClusters(paths)
}

// LoadClusters reads ClustersFile from fsys; a missing file is no clusters
// (nil, nil).
func LoadClusters(fsys fs.FS) (*Clusters, error) {
	f, err := fsys.Open(ClustersFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	return ReadClusters(zr)
}

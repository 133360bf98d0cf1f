package train

import (
	"compress/gzip"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/processor/entities/internal/tagger"
)

// ClusterOptions shape the word clusters learnt from the training text.
type ClusterOptions struct {
	MinCount int // words seen fewer times get no cluster
	Contexts int // the most frequent words, left and right, describe a word
	Iters    int // k-means rounds per split
	Dims     int // dimensions the context vectors are reduced to
	// NoSynthetic leaves the generated documents out of the text.
	NoSynthetic bool
}

// DefaultClusterOptions are the shipped settings.
func DefaultClusterOptions() ClusterOptions {
	return ClusterOptions{MinCount: 3, Contexts: 1000, Iters: 10, Dims: 100}
}

// BuildClusters learns a tree of word classes from unlabelled sentences
// (tokens as written; they are lower-cased here): each word is described by
// the positive pointwise mutual information of its left and right
// neighbours among the most frequent words, and the words are split by
// spherical k-means into 1<<tagger.ClusterBits classes, each class again,
// tagger.ClusterLevels times — a cheap stand-in for Brown clusters' bit
// paths, whose prefixes are features at several granularities. The result
// maps each lower-cased word to its path; the same input and seed give the
// same paths.
func BuildClusters(sents [][]string, o ClusterOptions, seed uint64) map[string][]int {
	count := map[string]int{}
	low := make([][]string, len(sents))
	for i, s := range sents {
		l := make([]string, len(s))
		for j, w := range s {
			l[j] = strings.ToLower(w)
			count[l[j]]++
		}
		low[i] = l
	}
	byFreq := make([]string, 0, len(count))
	for w := range count {
		byFreq = append(byFreq, w)
	}
	slices.SortFunc(byFreq, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	var vocab []string
	vid := map[string]int32{}
	for _, w := range byFreq {
		if count[w] >= o.MinCount {
			vid[w] = int32(len(vocab))
			vocab = append(vocab, w)
		}
	}
	// context dimensions: the Contexts most frequent words plus the
	// sentence boundary, once as left and once as right neighbour
	nc := min(o.Contexts, len(byFreq))
	cid := map[string]int32{}
	for i, w := range byFreq[:nc] {
		cid[w] = int32(i)
	}
	side := int32(nc + 1)
	ctxOf := func(s []string, j int) int32 {
		if j < 0 || j >= len(s) {
			return int32(nc)
		}
		if c, ok := cid[s[j]]; ok {
			return c
		}
		return -1
	}
	pair := map[uint64]float64{}
	ctxTotal := make([]float64, 2*side)
	total := 0.0
	for _, s := range low {
		for j, w := range s {
			v, ok := vid[w]
			if !ok {
				continue
			}
			if c := ctxOf(s, j-1); c >= 0 {
				pair[uint64(v)<<32|uint64(c)]++
				ctxTotal[c]++
			}
			if c := ctxOf(s, j+1); c >= 0 {
				pair[uint64(v)<<32|uint64(side+c)]++
				ctxTotal[side+c]++
			}
			total += 2
		}
	}
	// PPMI with the context distribution smoothed (power 0.75), as
	// distributional word vectors usually are
	ctxP := make([]float64, len(ctxTotal))
	sum := 0.0
	for i, c := range ctxTotal {
		ctxP[i] = math.Pow(c, 0.75)
		sum += ctxP[i]
	}
	for i := range ctxP {
		ctxP[i] /= sum
	}
	vecs := make([]sparseVec, len(vocab))
	keys := make([]uint64, 0, len(pair))
	for k := range pair {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, c := int(k>>32), int32(k&0xffffffff)
		pw := float64(count[vocab[v]]*2) / total
		pmi := math.Log(pair[k] / total / (pw * ctxP[c]))
		if pmi > 0 {
			vecs[v].idx = append(vecs[v].idx, c)
			vecs[v].val = append(vecs[v].val, float32(pmi))
		}
	}
	for i := range vecs {
		vecs[i].normalise()
	}
	emb := project(vecs, int(2*side), o.Dims, rng(seed))
	paths := make([][]int, len(vocab))
	members := make([]int32, 0, len(vocab))
	for i := range vocab {
		if len(vecs[i].idx) > 0 {
			members = append(members, int32(i))
		}
	}
	split(emb, members, paths, 0, o.Iters, rng(seed+1))
	out := make(map[string][]int, len(vocab))
	for i, w := range vocab {
		if paths[i] != nil {
			out[w] = paths[i]
		}
	}
	return out
}

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)) }

// project maps the sparse context vectors onto the dims leading principal
// directions of their context space (subspace iteration on the context
// covariance): the dense vectors keep the strong regularities and drop the
// noise of rare co-occurrences, which k-means on the raw vectors clusters
// by. Each result is unit length.
func project(vecs []sparseVec, dim, dims int, r *rand.Rand) [][]float32 {
	cov := make([]float64, dim*dim)
	for _, v := range vecs {
		for a, i := range v.idx {
			row := cov[int(i)*dim:]
			va := float64(v.val[a])
			for b, j := range v.idx {
				row[j] += va * float64(v.val[b])
			}
		}
	}
	q := make([][]float64, dims) // columns, each of length dim
	for k := range q {
		q[k] = make([]float64, dim)
		for i := range q[k] {
			q[k][i] = r.NormFloat64()
		}
	}
	orthonormalise(q)
	y := make([][]float64, dims)
	for k := range y {
		y[k] = make([]float64, dim)
	}
	for range 8 {
		for k := range q {
			for i := 0; i < dim; i++ {
				row := cov[i*dim : i*dim+dim]
				s := 0.0
				for j, x := range row {
					s += x * q[k][j]
				}
				y[k][i] = s
			}
		}
		q, y = y, q
		orthonormalise(q)
	}
	out := make([][]float32, len(vecs))
	for w, v := range vecs {
		e := make([]float32, dims)
		for k := range q {
			s := 0.0
			for a, i := range v.idx {
				s += float64(v.val[a]) * q[k][i]
			}
			e[k] = float32(s)
		}
		normalise(e)
		out[w] = e
	}
	return out
}

// orthonormalise applies modified Gram-Schmidt to the columns q.
func orthonormalise(q [][]float64) {
	for k := range q {
		for j := 0; j < k; j++ {
			d := 0.0
			for i := range q[k] {
				d += q[k][i] * q[j][i]
			}
			for i := range q[k] {
				q[k][i] -= d * q[j][i]
			}
		}
		n := 0.0
		for _, x := range q[k] {
			n += x * x
		}
		if n > 0 {
			n = 1 / math.Sqrt(n)
			for i := range q[k] {
				q[k][i] *= n
			}
		}
	}
}

func normalise(v []float32) {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	r := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= r
	}
}

func dot(a, b []float32) float32 {
	s := float32(0)
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

type sparseVec struct {
	idx []int32
	val []float32
}

func (v *sparseVec) normalise() {
	s := 0.0
	for _, x := range v.val {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	r := float32(1 / math.Sqrt(s))
	for i := range v.val {
		v.val[i] *= r
	}
}

// split assigns members to 1<<ClusterBits classes at level (spherical
// k-means, k-means++ seeding), appends each member's class to its path and
// recurses into the classes.
func split(emb [][]float32, members []int32, paths [][]int, level, iters int, rng *rand.Rand) {
	if level == tagger.ClusterLevels {
		return
	}
	k := 1 << tagger.ClusterBits
	if len(members) < 2*k {
		// too few to split: one class
		for _, m := range members {
			paths[m] = append(paths[m], 0)
		}
		split(emb, members, paths, level+1, iters, rng)
		return
	}
	dim := len(emb[members[0]])
	cents := make([][]float32, k)
	best := make([]float32, len(members))
	for i := range best {
		best[i] = 2
	}
	for c := 0; c < k; c++ {
		pick := 0
		if c == 0 {
			pick = rng.IntN(len(members))
		} else {
			total := 0.0
			for _, d := range best {
				total += float64(d)
			}
			r := rng.Float64() * total
			for i, d := range best {
				r -= float64(d)
				if r <= 0 {
					pick = i
					break
				}
			}
		}
		cents[c] = slices.Clone(emb[members[pick]])
		for i, m := range members {
			if d := max(1-dot(emb[m], cents[c]), 0); d < best[i] {
				best[i] = d
			}
		}
	}
	assign := make([]int, len(members))
	for it := 0; it < iters; it++ {
		for i, m := range members {
			b, bs := 0, float32(-2)
			for c := range cents {
				if s := dot(emb[m], cents[c]); s > bs {
					b, bs = c, s
				}
			}
			assign[i] = b
		}
		if it == iters-1 {
			break
		}
		for c := range cents {
			cents[c] = make([]float32, dim)
		}
		for i, m := range members {
			cc := cents[assign[i]]
			for j, x := range emb[m] {
				cc[j] += x
			}
		}
		for c := range cents {
			normalise(cents[c])
		}
	}
	groups := make([][]int32, k)
	for i, m := range members {
		paths[m] = append(paths[m], assign[i])
		groups[assign[i]] = append(groups[assign[i]], m)
	}
	for _, g := range groups {
		if len(g) > 0 {
			split(emb, g, paths, level+1, iters, rng)
		}
	}
}

// writeClusters writes word → path lines sorted by word, gzip-compressed.
func writeClusters(paths map[string][]int, path string) error {
	words := make([]string, 0, len(paths))
	for w := range paths {
		if !strings.ContainsAny(w, "\t\n") {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return fmt.Errorf("train: %w", err)
	}
	var b strings.Builder
	for _, w := range words {
		b.Reset()
		b.WriteString(w)
		b.WriteByte('\t')
		for i, d := range paths[w] {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(strconv.Itoa(d))
		}
		b.WriteByte('\n')
		if _, err := zw.Write([]byte(b.String())); err != nil {
			f.Close()
			return fmt.Errorf("train: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("train: %w", err)
	}
	return f.Close()
}

// clusterText gathers the sentences clusters are learnt from: every
// document once (in-domain documents are repeated in docs for training).
func clusterText(docs []Doc, noSynthetic bool) [][]string {
	var out [][]string
	seen := map[*Item]bool{}
	for _, d := range docs {
		if noSynthetic && d.Corpus == "synthetic" {
			continue
		}
		for _, s := range d.Sents {
			if len(s) == 0 || seen[&s[0]] {
				continue
			}
			seen[&s[0]] = true
			ws := make([]string, len(s))
			for i, it := range s {
				ws[i] = it.Text
			}
			out = append(out, ws)
		}
	}
	return out
}

// writeAndLoadClusters learns the clusters from docs, writes them into dir
// and returns them loaded.
func writeAndLoadClusters(docs []Doc, o ClusterOptions, seed uint64, dir string) (*tagger.Clusters, int, error) {
	paths := BuildClusters(clusterText(docs, o.NoSynthetic), o, seed)
	file := filepath.Join(dir, tagger.ClustersFile)
	if err := writeClusters(paths, file); err != nil {
		return nil, 0, err
	}
	c, err := tagger.LoadClusters(os.DirFS(dir))
	if err != nil {
		return nil, 0, fmt.Errorf("train: %w", err)
	}
	return c, len(paths), nil
}

package tagger

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sync"
)

// Feature templates. The numbers are part of the model format: changing one
// invalidates trained weights.
const (
	tBias uint64 = iota + 1
	tW0
	tX0
	tWm1
	tWp1
	tWm2
	tWp2
	tSh0
	tShm1
	tShp1
	tShm1Sh0
	tSh0Shp1
	tSuf2
	tSuf3
	tSuf4
	tPre3
	tWm1W0
	tW0Wp1
	tClsW0
	tStart
	tDoc
	tGaz0
	tGazM1
	tGazP1
	tWm1Sh0
	tPrev
	tPrevW0
	tPrev2
	tPrevSh0
	tGazPair
	tDocW0
	tHist
	tHistW
	tClu
	tCluCased
	tCluM1
	tCluP1
)

const (
	bos = 0x1234567
	eos = 0x7654321
)

// Model holds the weights: one row of NTags per hashed feature.
type Model struct {
	Bits uint
	W    []float32
	// Q and Scale hold the weights of a loaded model as int16 (W is then
	// nil): half the memory traffic of float32, and decoding is bound by
	// memory, not arithmetic.
	Q     []int16
	Scale float32
	// Beam, when positive, skips previous tags scoring more than Beam
	// below the best one (their lexical transition rows are the costly
	// memory reads); 0 is exact Viterbi.
	Beam float32
	// Second marks a second-pass model, which reads Tok.Hist.
	Second bool
	// Viterbi selects first-order Viterbi decoding (the model was trained
	// as a structured perceptron) over greedy decoding.
	UseViterbi bool
	// trans caches the transition rows of a loaded model (see prepare).
	trans [NTags][NTags]int32
	// stride is the distance between rows in W or Q (see row).
	stride uint32
}

// NewModel returns a zero model with 2^bits feature rows.
func NewModel(bits uint) *Model {
	return &Model{Bits: bits, W: make([]float32, (1<<bits)*NTags), stride: NTags}
}

// row is the offset of a feature's row: rows are stride weights apart,
// NTags unless ReadPair put two models' rows side by side.
func (m *Model) row(h uint64) uint32 { return uint32(h>>(64-m.Bits)) * m.stride }

// Static appends the row offsets of token i's features that do not depend on
// earlier decisions.
func (m *Model) Static(toks []Tok, i int, out []uint32) []uint32 {
	t := &toks[i]
	n := len(toks)
	var lm1, lm2, lp1, lp2 uint64 = bos, bos + 1, eos, eos + 1
	var sm1, sp1 uint64 = bos, eos
	var gm1, gp1 uint32
	if i > 0 {
		lm1, sm1, gm1 = toks[i-1].Lower, toks[i-1].Shape, toks[i-1].Gaz
	}
	if i > 1 {
		lm2 = toks[i-2].Lower
	}
	if i+1 < n {
		lp1, sp1, gp1 = toks[i+1].Lower, toks[i+1].Shape, toks[i+1].Gaz
	}
	if i+2 < n {
		lp2 = toks[i+2].Lower
	}
	mode := uint64(t.Mode)
	cls := uint64(t.Cls)
	// The first NLexical rows name the token itself; training drops them
	// now and then so that context and name lists learn to carry unseen
	// names.
	out = append(out,
		m.row(mix(tW0, t.Lower)),
		m.row(mix(tX0, t.Exact)),
		m.row(mix(tClsW0, mix(t.Lower, cls<<4|mode))),
		m.row(mix(tDocW0, mix(t.Lower, uint64(t.DocCap)<<8|uint64(t.DocLow)<<12|mode))),
		m.row(mix(tWm1W0, mix(lm1, t.Lower))),
		m.row(mix(tW0Wp1, mix(t.Lower, lp1))),
		m.row(mix(tBias, mode)),
		m.row(mix(tWm1, lm1)),
		m.row(mix(tWp1, lp1)),
		m.row(mix(tWm2, lm2)),
		m.row(mix(tWp2, lp2)),
		m.row(mix(tSh0, t.Shape^mode)),
		m.row(mix(tShm1, sm1^mode)),
		m.row(mix(tShp1, sp1^mode)),
		m.row(mix(tShm1Sh0, mix(sm1, t.Shape)^mode)),
		m.row(mix(tSh0Shp1, mix(t.Shape, sp1)^mode)),
		m.row(mix(tWm1Sh0, mix(lm1, t.Shape)^mode)),
		m.row(mix(tDoc, cls|mode<<4|uint64(t.DocCap)<<8|uint64(t.DocLow)<<12|uint64(t.DocUpper)<<16)),
	)
	if m.Second {
		seen := false
		for c, n := range t.Hist {
			if n > 0 {
				seen = true
				out = append(out, m.row(mix(tHist, uint64(c)<<8|uint64(min(n, 3))<<4|cls)))
			}
		}
		if seen {
			h := uint64(0)
			for _, n := range t.Hist {
				h = h<<4 | uint64(min(n, 3))
			}
			out = append(out, m.row(mix(tHistW, h<<4|cls)))
		}
	}
	if t.Clu != 0 {
		out = append(out,
			m.row(mix(tClu, ClusterPrefix(t.Clu, 2))),
			m.row(mix(tClu, ClusterPrefix(t.Clu, 3))),
			m.row(mix(tClu, ClusterPrefix(t.Clu, 4))),
			m.row(mix(tCluCased, ClusterPrefix(t.Clu, 4)|cls<<24|mode<<28)),
		)
	}
	if i > 0 && toks[i-1].Clu != 0 {
		out = append(out, m.row(mix(tCluM1, ClusterPrefix(toks[i-1].Clu, 3))))
	}
	if i+1 < n && toks[i+1].Clu != 0 {
		out = append(out, m.row(mix(tCluP1, ClusterPrefix(toks[i+1].Clu, 3))))
	}
	if t.Suf2 != 0 {
		out = append(out, m.row(mix(tSuf2, t.Suf2)), m.row(mix(tPre3, t.Pre3)))
	}
	if t.Suf3 != 0 {
		out = append(out, m.row(mix(tSuf3, t.Suf3)))
	}
	if t.Suf4 != 0 {
		out = append(out, m.row(mix(tSuf4, t.Suf4)))
	}
	if t.SentStart {
		out = append(out, m.row(mix(tStart, cls|mode<<4)))
	}
	cased := uint64(0)
	if Cased(t.Cls) {
		cased = 1
	}
	for g := t.Gaz; g != 0; g &= g - 1 {
		b := uint64(trailingZeros(g))
		out = append(out, m.row(mix(tGaz0, b<<4|cased<<2|mode)))
		for g2 := gp1; g2 != 0; g2 &= g2 - 1 {
			b2 := uint64(trailingZeros(g2))
			out = append(out, m.row(mix(tGazPair, b<<8|b2)))
		}
	}
	for g := gm1; g != 0; g &= g - 1 {
		out = append(out, m.row(mix(tGazM1, uint64(trailingZeros(g)))))
	}
	for g := gp1; g != 0; g &= g - 1 {
		out = append(out, m.row(mix(tGazP1, uint64(trailingZeros(g)))))
	}
	return out
}

func trailingZeros(x uint32) int { return bits.TrailingZeros32(x) }

// NLexical is the number of leading Static rows that depend on the token's
// own word.
const NLexical = 6

// Dynamic appends the row offsets of the features that depend on the two
// previous tags.
func (m *Model) Dynamic(toks []Tok, i, prev, prev2 int, out []uint32) []uint32 {
	t := &toks[i]
	p := uint64(prev)
	return append(out,
		m.row(mix(tPrev, p)),
		m.row(mix(tPrevW0, mix(p, t.Lower))),
		m.row(mix(tPrev2, p|uint64(prev2)<<4)),
		m.row(mix(tPrevSh0, mix(p, t.Shape^uint64(t.Mode)))),
	)
}

// Scratch is per-goroutine decoding space.
type Scratch struct {
	feats []uint32
}

// Decode tags one sentence greedily, left to right, allowing only valid BIO
// sequences. tags must have len(toks) elements.
func (m *Model) Decode(toks []Tok, tags []int, sc *Scratch) {
	prev, prev2 := O, O
	for i := range toks {
		var s [NTags]float32
		sc.feats = m.Static(toks, i, sc.feats[:0])
		sc.feats = m.Dynamic(toks, i, prev, prev2, sc.feats)
		m.addRows(&s, sc.feats)
		best, bs := O, float32(math.Inf(-1))
		for t := 0; t < NTags; t++ {
			if s[t] > bs && validAfter(prev, t) {
				best, bs = t, s[t]
			}
		}
		tags[i] = best
		prev2, prev = prev, best
	}
}

const magic = "NEWSENRICH-NER\x00\x02"

// Write stores the model, gzip-compressed, with weights quantised to int16
// (the averaged weights need far less precision than float32 holds).
func (m *Model) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var maxAbs float32
	for _, v := range m.W {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v))))
	}
	scale := maxAbs / 32767
	if scale == 0 {
		scale = 1
	}
	h := header{Bits: uint32(m.Bits), NTags: NTags, Scale: scale}
	if m.UseViterbi {
		h.Dec |= 1
	}
	if m.Second {
		h.Dec |= 2
	}
	bw.WriteString(magic)
	// bufio keeps the first write error; Flush below reports it.
	_ = binary.Write(bw, binary.LittleEndian, h)
	buf := make([]byte, 2)
	for _, v := range m.W {
		q := int16(math.Round(float64(v / scale)))
		binary.LittleEndian.PutUint16(buf, uint16(q))
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// header follows the magic bytes of a model file (little-endian).
type header struct {
	Bits, NTags, Dec uint32
	Scale            float32
}

// Read loads a model written by Write.
func Read(r io.Reader) (*Model, error) {
	m, br, err := openModel(r)
	if err != nil {
		return nil, err
	}
	m.Q = newWeights((1 << m.Bits) * NTags)
	if err := m.readWeights(br, m.Q, NTags); err != nil {
		return nil, err
	}
	m.prepare()
	return m, nil
}

// ReadPair loads a first-pass and a second-pass model written by Write,
// reading the two at once. When they are the same size their rows are laid
// side by side, each pair in 2*NTags adjacent weights: the second pass
// hashes the same features as the first (plus a few of its own) over the
// same tokens, so its rows then sit in the cache lines the first pass
// brought in. Decoding results do not depend on the layout.
func ReadPair(r1, r2 io.Reader) (m1, m2 *Model, err error) {
	m1, br1, err := openModel(r1)
	if err != nil {
		return nil, nil, err
	}
	m2, br2, err := openModel(r2)
	if err != nil {
		return nil, nil, err
	}
	if m1.Bits == m2.Bits {
		q := newWeights((1 << m1.Bits) * 2 * NTags)
		m1.Q, m2.Q = q, q[NTags:]
		m1.stride, m2.stride = 2*NTags, 2*NTags
	} else {
		m1.Q = newWeights((1 << m1.Bits) * NTags)
		m2.Q = newWeights((1 << m2.Bits) * NTags)
	}
	var errs [2]error
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = m1.readWeights(br1, m1.Q, int(m1.stride)) })
	wg.Go(func() { errs[1] = m2.readWeights(br2, m2.Q, int(m2.stride)) })
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, nil, err
	}
	m1.prepare()
	m2.prepare()
	return m1, m2, nil
}

// openModel reads a model's header and returns the model without weights
// and the reader positioned at them.
func openModel(r io.Reader) (*Model, *bufio.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("model: %w", err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, nil, errors.New("model: not a newsenrich NER model (bad magic)")
	}
	var h header
	if err := binary.Read(br, binary.LittleEndian, &h); err != nil {
		return nil, nil, fmt.Errorf("model: header: %w", err)
	}
	bits, ntags, dec, scale := h.Bits, h.NTags, h.Dec, h.Scale
	if ntags != NTags || bits < 10 || bits > 26 {
		return nil, nil, fmt.Errorf("model: unsupported shape bits=%d tags=%d", bits, ntags)
	}
	m := &Model{Bits: uint(bits), Scale: scale, UseViterbi: dec&1 != 0, Second: dec&2 != 0, stride: NTags}
	return m, br, nil
}

// readWeights reads m's rows of NTags weights into q, stride weights apart.
func (m *Model) readWeights(br *bufio.Reader, q []int16, stride int) error {
	buf := make([]byte, 1<<16)
	row, col := 0, 0
	for total := (1 << m.Bits) * NTags; total > 0; {
		n := min(len(buf), total*2)
		if _, err := io.ReadFull(br, buf[:n]); err != nil {
			return fmt.Errorf("model: weights: %w", err)
		}
		total -= n / 2
		for j := 0; j < n; j += 2 {
			q[row+col] = int16(binary.LittleEndian.Uint16(buf[j:]))
			if col++; col == NTags {
				row, col = row+stride, 0
			}
		}
	}
	return nil
}

// DynamicV appends the rows of the first-order features for previous tag
// prev (Viterbi decoding has no second previous tag).
func (m *Model) DynamicV(toks []Tok, i, prev int, out []uint32) []uint32 {
	t := &toks[i]
	p := uint64(prev)
	return append(out,
		m.row(mix(tPrev, p)),
		m.row(mix(tPrevW0, mix(p, t.Lower))),
		m.row(mix(tPrevSh0, mix(p, t.Shape^uint64(t.Mode)))),
	)
}

// ViterbiScratch is per-goroutine space for Viterbi decoding.
type ViterbiScratch struct {
	feats []uint32
	delta []float32
	back  []int8
	// emit holds the static scores of a sentence's tokens (int16 models).
	emit []int32
}

func (m *Model) addRows(s *[NTags]float32, rows []uint32) {
	if m.Q != nil {
		var a [NTags]int32
		q := m.Q
		for _, r := range rows {
			row := q[r : r+NTags : r+NTags]
			a[0] += int32(row[0])
			a[1] += int32(row[1])
			a[2] += int32(row[2])
			a[3] += int32(row[3])
			a[4] += int32(row[4])
			a[5] += int32(row[5])
			a[6] += int32(row[6])
			a[7] += int32(row[7])
			a[8] += int32(row[8])
		}
		for t := range a {
			s[t] += float32(a[t]) * m.Scale
		}
		return
	}
	w := m.W
	for _, r := range rows {
		row := w[r : r+NTags : r+NTags]
		s[0] += row[0]
		s[1] += row[1]
		s[2] += row[2]
		s[3] += row[3]
		s[4] += row[4]
		s[5] += row[5]
		s[6] += row[6]
		s[7] += row[7]
		s[8] += row[8]
	}
}

// Viterbi tags one sentence with the best BIO-valid sequence under the
// first-order model. static(i, out) must append token i's static rows (the
// training loop passes cached rows; decoding computes them).
func (m *Model) Viterbi(toks []Tok, tags []int, sc *ViterbiScratch, static func(i int, out []uint32) []uint32) {
	n := len(toks)
	if n == 0 {
		return
	}
	if m.Q != nil {
		m.viterbiQ(toks, tags, sc, static)
		return
	}
	m.viterbiRef(toks, tags, sc, static)
}

// viterbiRef is Viterbi reading the rows as it goes: the training
// decoder, and the reference viterbiQ is tested against.
func (m *Model) viterbiRef(toks []Tok, tags []int, sc *ViterbiScratch, static func(i int, out []uint32) []uint32) {
	n := len(toks)
	if cap(sc.delta) < n*NTags {
		sc.delta = make([]float32, n*NTags)
		sc.back = make([]int8, n*NTags)
	}
	delta, back := sc.delta[:n*NTags], sc.back[:n*NTags]
	neg := float32(math.Inf(-1))
	for i := 0; i < n; i++ {
		var e [NTags]float32
		sc.feats = static(i, sc.feats[:0])
		m.addRows(&e, sc.feats)
		cur := delta[i*NTags : i*NTags+NTags]
		if i == 0 {
			var d [NTags]float32
			sc.feats = m.DynamicV(toks, i, O, sc.feats[:0])
			m.addRows(&d, sc.feats)
			for t := 0; t < NTags; t++ {
				if validAfter(O, t) {
					cur[t] = e[t] + d[t]
				} else {
					cur[t] = neg
				}
				back[t] = O
			}
			continue
		}
		prevRow := delta[(i-1)*NTags : i*NTags]
		for t := range cur {
			cur[t] = neg
		}
		bestPrev := neg
		for _, v := range prevRow {
			bestPrev = max(bestPrev, v)
		}
		cut := bestPrev - m.Beam
		for p := 0; p < NTags; p++ {
			if prevRow[p] == neg || (m.Beam > 0 && prevRow[p] < cut) {
				continue
			}
			var d [NTags]float32
			sc.feats = m.DynamicV(toks, i, p, sc.feats[:0])
			m.addRows(&d, sc.feats)
			for t := 0; t < NTags; t++ {
				if !validAfter(p, t) {
					continue
				}
				if v := prevRow[p] + d[t] + e[t]; v > cur[t] {
					cur[t] = v
					back[i*NTags+t] = int8(p)
				}
			}
		}
	}
	best, bs := 0, neg
	last := delta[(n-1)*NTags:]
	for t := 0; t < NTags; t++ {
		if last[t] > bs {
			best, bs = t, last[t]
		}
	}
	for i := n - 1; i >= 0; i-- {
		tags[i] = best
		best = int(back[i*NTags+best])
	}
}

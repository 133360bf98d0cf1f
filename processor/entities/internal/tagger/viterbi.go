package tagger

import "math"

// prepare caches the rows every token reads alike. The transition rows
// (tPrev) depend on the previous tag alone, so the nine of them are read
// once per model instead of once per token and previous tag.
func (m *Model) prepare() {
	for p := range NTags {
		r := m.row(mix(tPrev, uint64(p)))
		for t := range NTags {
			m.trans[p][t] = int32(m.Q[r+uint32(t)])
		}
	}
}

// sumQ sets a to the sum of the int16 rows at the given offsets. The sums
// live in registers and each row is bounds-checked once, so that few
// instructions separate the loads and many of them are in flight at once.
func (m *Model) sumQ(a *[NTags]int32, rows []uint32) {
	var a0, a1, a2, a3, a4, a5, a6, a7, a8 int32
	q := m.Q
	for _, r := range rows {
		row := (*[NTags]int16)(q[r:])
		a0 += int32(row[0])
		a1 += int32(row[1])
		a2 += int32(row[2])
		a3 += int32(row[3])
		a4 += int32(row[4])
		a5 += int32(row[5])
		a6 += int32(row[6])
		a7 += int32(row[7])
		a8 += int32(row[8])
	}
	*a = [NTags]int32{a0, a1, a2, a3, a4, a5, a6, a7, a8}
}

// viterbiQ is Viterbi over the int16 weights of a loaded model, with the
// same result to the bit as the float path: integer sums are exact in any
// order, and every float operation is the one the float path does, in the
// same order. What changes is when the rows are read. Decoding waits on
// memory (the rows are random reads from a table far larger than the
// caches), so the reads are grouped where nothing depends on them: every
// token's static rows first, then per token the rows of all previous tags
// that survive the beam before any of them is used, so that no branch on a
// score sits between two reads.
func (m *Model) viterbiQ(toks []Tok, tags []int, sc *ViterbiScratch, static func(i int, out []uint32) []uint32) {
	n := len(toks)
	if cap(sc.delta) < n*NTags {
		sc.delta = make([]float32, n*NTags)
		sc.back = make([]int8, n*NTags)
	}
	if cap(sc.emit) < n*NTags {
		sc.emit = make([]int32, n*NTags)
	}
	delta, back, emit := sc.delta[:n*NTags], sc.back[:n*NTags], sc.emit[:n*NTags]
	for i := range n {
		sc.feats = static(i, sc.feats[:0])
		m.sumQ((*[NTags]int32)(emit[i*NTags:]), sc.feats)
	}
	neg := float32(math.Inf(-1))
	scale := m.Scale
	q := m.Q
	for i := range n {
		var e [NTags]float32
		for t := range e {
			e[t] = float32(emit[i*NTags+t]) * scale
		}
		tok := &toks[i]
		lower, shape := tok.Lower, tok.Shape^uint64(tok.Mode)
		cur := delta[i*NTags : i*NTags+NTags]
		if i == 0 {
			d := m.dynRow(O, lower, shape)
			for t := range NTags {
				if validAfter(O, t) {
					cur[t] = e[t] + float32(float32(d[t])*scale)
				} else {
					cur[t] = neg
				}
				back[t] = O
			}
			continue
		}
		prevRow := delta[(i-1)*NTags : i*NTags]
		bestPrev := neg
		for _, v := range prevRow {
			bestPrev = max(bestPrev, v)
		}
		cut := bestPrev - m.Beam
		// The surviving previous tags and their row offsets first, so that
		// the reads below are independent of each other and overlap.
		var alive [NTags]int
		var rw, rs [NTags]uint32
		na := 0
		for p := range NTags {
			if prevRow[p] == neg || (m.Beam > 0 && prevRow[p] < cut) {
				continue
			}
			alive[na] = p
			rw[na] = m.row(mix(tPrevW0, mix(uint64(p), lower)))
			rs[na] = m.row(mix(tPrevSh0, mix(uint64(p), shape)))
			na++
		}
		var d [NTags][NTags]int32
		for j := range na {
			a := m.trans[alive[j]]
			w := q[rw[j] : rw[j]+NTags : rw[j]+NTags]
			s := q[rs[j] : rs[j]+NTags : rs[j]+NTags]
			for t := range NTags {
				a[t] += int32(w[t]) + int32(s[t])
			}
			d[j] = a
		}
		for t := range cur {
			cur[t] = neg
		}
		for j := range na {
			p := alive[j]
			for t := range NTags {
				if !validAfter(p, t) {
					continue
				}
				if v := prevRow[p] + float32(float32(d[j][t])*scale) + e[t]; v > cur[t] {
					cur[t] = v
					back[i*NTags+t] = int8(p)
				}
			}
		}
	}
	best, bs := 0, neg
	last := delta[(n-1)*NTags:]
	for t := range NTags {
		if last[t] > bs {
			best, bs = t, last[t]
		}
	}
	for i := n - 1; i >= 0; i-- {
		tags[i] = best
		best = int(back[i*NTags+best])
	}
}

// dynRow is the sum of the first-order rows for previous tag p.
func (m *Model) dynRow(p int, lower, shape uint64) [NTags]int32 {
	a := m.trans[p]
	w := m.row(mix(tPrevW0, mix(uint64(p), lower)))
	s := m.row(mix(tPrevSh0, mix(uint64(p), shape)))
	for t := range NTags {
		a[t] += int32(m.Q[w+uint32(t)]) + int32(m.Q[s+uint32(t)])
	}
	return a
}

package topics

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/newsenrich/newsenrich/processor/text"
)

// The learned model is a hashed linear classifier over the 17 top-level
// topics: each lower-cased word (and word pair) of the title and the start
// of the body is hashed into one of a fixed number of buckets, and each
// bucket holds one int8 weight per topic. It sits beside the lexicon and
// matters most where the lexicon has little to go on: a headline, a
// one-sentence wire item. It was trained (internal/trainmodel) on
// shippable text labelled by the lexicon on full articles, with the
// headlines and first sentences of those articles as extra short examples.

// modelMagic opens a model file of words and word pairs; modelMagicGrams
// one whose features also include the letter n-grams of each word, the two
// bytes after it giving the n-gram lengths.
const (
	modelMagic      = "NETM1\n"
	modelMagicGrams = "NETM2\n"
)

// modelTokens is how many body tokens the model reads: enough for a lead,
// and it keeps the model's cost flat on long articles, where the lexicon
// has evidence to spare.
const modelTokens = 120

// model is the decoded linear classifier.
type model struct {
	buckets uint32
	grams   Grams
	classes []string // top-level codes, one per output
	scale   float32  // weight = int8 * scale
	bias    []float32
	w       []int8 // buckets × len(classes)
}

// Grams are the lengths of the letter n-grams a model reads of each word
// besides the word itself ("<ele", "elec", … "ion>" for 4), Min 0 for
// none. A word a headline inflects or coins ("savours", "spammers",
// "Bortolami") shares most of its n-grams with words the model has seen.
type Grams struct{ Min, Max int }

// valid reports lengths a model can use: none, or 2 <= Min <= Max <= 8.
func (g Grams) valid() bool { return g.Min == 0 || g.Min >= 2 && g.Max >= g.Min && g.Max <= 8 }

// appendFeatures appends the hash of every feature of the texts to dst:
// each word, its letter n-grams of the lengths g gives, and each pair of
// adjacent words; title first, then at most maxBody body tokens. It is the
// one featuriser both training and tagging use.
func appendFeatures(dst []uint64, title, body *text.Doc, maxBody int, g Grams) []uint64 {
	each := func(d *text.Doc, limit int) {
		if d == nil {
			return
		}
		var prev uint64
		havePrev := false
		for i := range d.Tokens {
			if i >= limit {
				return
			}
			tok := &d.Tokens[i]
			if tok.Kind != text.Word && tok.Kind != text.Number || tok.Start < 0 || tok.End > int32(len(d.Text)) || tok.Start > tok.End {
				havePrev = false
				continue
			}
			h, _ := hashWord(d.Text[tok.Start:tok.End])
			if tok.Kind == text.Number {
				h = 0x9e3779b97f4a7c15 // every number is one feature
			}
			dst = append(dst, h)
			if g.Min > 0 && tok.Kind == text.Word {
				dst = appendGrams(dst, d.Text[tok.Start:tok.End], g)
			}
			if havePrev {
				dst = append(dst, combine(prev, h))
			}
			prev, havePrev = h, true
		}
	}
	each(title, 1<<30)
	each(body, maxBody)
	return dst
}

// appendGrams appends the hashes of the letter n-grams of a word of 4 to
// 24 bytes, lower-cased and marked at both ends. Shorter words are whole
// features already; longer ones are rarely words.
func appendGrams(dst []uint64, w string, g Grams) []uint64 {
	if len(w) < 4 || len(w) > 24 {
		return dst
	}
	var buf [26]byte
	buf[0] = '<'
	n := 1
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	buf[n] = '>'
	n++
	for k := g.Min; k <= g.Max; k++ {
		for i := 0; i+k <= n; i++ {
			h := uint64(fnvOffset) ^ uint64(k)*0x9E3779B97F4A7C15 // an n-gram never hashes as a word
			for _, c := range buf[i : i+k] {
				h ^= uint64(c)
				h *= fnvPrime
			}
			dst = append(dst, h)
		}
	}
	return dst
}

// bucket maps a feature hash to its bucket.
func bucketOf(h uint64, buckets uint32) uint32 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return uint32(h % uint64(buckets))
}

// predict writes the class probabilities for the features into p (len =
// number of classes). Each feature counts 1/sqrt(len(feats)).
func (m *model) predict(feats []uint64, p []float64) {
	n := len(m.classes)
	var acc [32]int32
	for _, h := range feats {
		b := int(bucketOf(h, m.buckets)) * n
		for c, w := range m.w[b : b+n] {
			acc[c] += int32(w)
		}
	}
	norm := 0.0
	if len(feats) > 0 {
		norm = float64(m.scale) / math.Sqrt(float64(len(feats)))
	}
	best := math.Inf(-1)
	for c := 0; c < n; c++ {
		p[c] = float64(m.bias[c]) + float64(acc[c])*norm
		best = math.Max(best, p[c])
	}
	sum := 0.0
	for c := 0; c < n; c++ {
		p[c] = math.Exp(p[c] - best)
		sum += p[c]
	}
	for c := 0; c < n; c++ {
		p[c] /= sum
	}
}

func gunzip(b []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	raw, err := io.ReadAll(zr)
	return string(raw), err
}

// decodeModel reads a gzip-compressed model file.
func decodeModel(b []byte) (*model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("topics model: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("topics model: %w", err)
	}
	var g Grams
	switch {
	case bytes.HasPrefix(raw, []byte(modelMagic)):
		raw = raw[len(modelMagic):]
	case bytes.HasPrefix(raw, []byte(modelMagicGrams)) && len(raw) > len(modelMagicGrams)+2:
		g = Grams{int(raw[len(modelMagicGrams)]), int(raw[len(modelMagicGrams)+1])}
		raw = raw[len(modelMagicGrams)+2:]
		if g.Min == 0 || !g.valid() {
			return nil, fmt.Errorf("topics model: letter n-grams %d-%d", g.Min, g.Max)
		}
	default:
		return nil, errors.New("topics model: bad magic")
	}
	r := bytes.NewReader(raw)
	var hdr struct {
		Buckets uint32
		Classes uint8
		Scale   float32
	}
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, fmt.Errorf("topics model header: %w", err)
	}
	if hdr.Classes == 0 || hdr.Classes > 32 || hdr.Buckets == 0 || hdr.Buckets > 1<<22 {
		return nil, fmt.Errorf("topics model: %d classes, %d buckets", hdr.Classes, hdr.Buckets)
	}
	m := &model{buckets: hdr.Buckets, grams: g, scale: hdr.Scale, bias: make([]float32, hdr.Classes)}
	for i := 0; i < int(hdr.Classes); i++ {
		var code [15]byte // "medtop:01000000"
		if _, err := io.ReadFull(r, code[:]); err != nil {
			return nil, fmt.Errorf("topics model classes: %w", err)
		}
		m.classes = append(m.classes, string(code[:]))
	}
	if err := binary.Read(r, binary.LittleEndian, m.bias); err != nil {
		return nil, fmt.Errorf("topics model bias: %w", err)
	}
	m.w = make([]int8, int(hdr.Buckets)*int(hdr.Classes))
	if err := binary.Read(r, binary.LittleEndian, m.w); err != nil {
		return nil, fmt.Errorf("topics model weights: %w", err)
	}
	return m, nil
}

// encode writes the model in the format decodeModel reads.
func (m *model) encode(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if m.grams.Min > 0 {
		buf.WriteString(modelMagicGrams)
		buf.WriteByte(byte(m.grams.Min))
		buf.WriteByte(byte(m.grams.Max))
	} else {
		buf.WriteString(modelMagic)
	}
	hdr := struct {
		Buckets uint32
		Classes uint8
		Scale   float32
	}{m.buckets, uint8(len(m.classes)), m.scale}
	_ = binary.Write(&buf, binary.LittleEndian, hdr)
	for _, c := range m.classes {
		if len(c) != 15 {
			return fmt.Errorf("topics model: class code %q is not medtop:NNNNNNNN", c)
		}
		buf.WriteString(c)
	}
	_ = binary.Write(&buf, binary.LittleEndian, m.bias)
	_ = binary.Write(&buf, binary.LittleEndian, m.w)
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

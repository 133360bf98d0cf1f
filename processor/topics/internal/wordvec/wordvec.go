// Package wordvec turns a short text into one fixed-size vector: the text is
// cut into the WordPiece pieces of an uncased BERT vocabulary, and the
// vector is the normalised mean of a static vector per piece.
//
// The vectors come from a sentence encoder (tools/wordvec/build.py: each
// piece run through the encoder alone, reduced to a few dimensions, stored
// as int8). They carry what the encoder learned from a billion sentence
// pairs: that "Springsteen" and "Beyonce" are music, "Kershaw" and "Messi"
// sport, "Pelosi" politics — knowledge no word list of the project holds. A text costs one table lookup per piece, not a transformer pass.
package wordvec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const magic = "newsenrich-wordvec 1"

// maxWordRunes is BERT's limit: a longer word is one unknown piece.
const maxWordRunes = 100

// Table holds the vocabulary and a vector per piece.
type Table struct {
	dims int
	// start maps a piece that begins a word to its id, cont a piece that
	// continues one (written "##piece" in the vocabulary) without its "##".
	start, cont map[string]int32
	maxPiece    int // bytes of the longest piece
	// fold is what the tokenizer makes of each letter from U+0080 to
	// U+07FF and of Latin Extended Additional (folded), computed once:
	// the decomposition allocates
	fold  [][]byte
	scale []float32
	vec   []int8 // len(scale) × dims
}

// Parse reads a table file as tools/wordvec/build.py writes it, gzip
// compressed.
func Parse(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("wordvec: %w", err)
	}
	r := bufio.NewReaderSize(zr, 1<<16)
	line := func() (string, error) {
		l, err := r.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("wordvec: truncated file: %w", err)
		}
		return l[:len(l)-1], nil
	}
	head, err := line()
	if err != nil {
		return nil, err
	}
	if head != magic {
		return nil, fmt.Errorf("wordvec: not a word-vector file (first line %q)", head)
	}
	size, err := line()
	if err != nil {
		return nil, err
	}
	f := strings.Fields(size)
	if len(f) != 2 {
		return nil, fmt.Errorf("wordvec: size line %q: want COUNT DIMS", size)
	}
	n, err1 := strconv.Atoi(f[0])
	d, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || n <= 0 || d <= 0 || n > 1<<22 || d > 4096 {
		return nil, fmt.Errorf("wordvec: size line %q: want two positive numbers", size)
	}
	t := &Table{dims: d, start: make(map[string]int32, n), cont: make(map[string]int32, n/4),
		scale: make([]float32, n), vec: make([]int8, n*d)}
	for id := 0; id < n; id++ {
		p, err := line()
		if err != nil {
			return nil, err
		}
		if c, ok := strings.CutPrefix(p, "##"); ok && c != "" {
			t.cont[c] = int32(id)
			t.maxPiece = max(t.maxPiece, len(c))
		} else if !special(p) {
			t.start[p] = int32(id)
			t.maxPiece = max(t.maxPiece, len(p))
		}
	}
	if err := binary.Read(r, binary.LittleEndian, t.scale); err != nil {
		return nil, fmt.Errorf("wordvec: scales: %w", err)
	}
	raw := make([]byte, len(t.vec))
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("wordvec: vectors: %w", err)
	}
	for i, b := range raw {
		t.vec[i] = int8(b)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, errors.New("wordvec: data after the vectors")
	}
	t.fold = make([][]byte, foldEnd-foldStart+extraEnd-extraStart)
	for i := range t.fold {
		r := rune(foldStart + i)
		if i >= foldEnd-foldStart {
			r = rune(extraStart + i - (foldEnd - foldStart))
		}
		t.fold[i] = appendFolded(nil, r, nil)
	}
	return t, nil
}

// The letters whose folding is computed once (Latin, Greek, Cyrillic,
// Hebrew, Arabic and Vietnamese's Latin Extended Additional).
const (
	foldStart, foldEnd   = 0x80, 0x800
	extraStart, extraEnd = 0x1E00, 0x1F00
)

// appendFolded appends r lower-cased, decomposed and without its combining
// marks ("É" → "e"); dec is scratch space for the decomposition.
func appendFolded(dst []byte, r rune, dec []byte) []byte {
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], unicode.ToLower(r))
	for d, j := norm.NFD.Append(dec[:0], enc[:n]...), 0; j < len(d); {
		m, sz := utf8.DecodeRune(d[j:])
		j += sz
		if !unicode.Is(unicode.Mn, m) {
			dst = utf8.AppendRune(dst, m)
		}
	}
	return dst
}

// folded returns r as the tokenizer reads it, from the table when it is
// there.
func (t *Table) folded(r rune, sc *Scratch) []byte {
	switch {
	case r >= foldStart && r < foldEnd:
		return t.fold[r-foldStart]
	case r >= extraStart && r < extraEnd:
		return t.fold[foldEnd-foldStart+r-extraStart]
	}
	sc.dec = appendFolded(sc.dec[:0], r, sc.enc[:0])
	return sc.dec
}

// special reports the vocabulary's markers ("[CLS]", "[unused3]"), which
// no text spells.
func special(p string) bool { return len(p) > 2 && p[0] == '[' && p[len(p)-1] == ']' }

// Dims is the length of a text's vector.
func (t *Table) Dims() int { return t.dims }

// Pieces is the size of the vocabulary.
func (t *Table) Pieces() int { return len(t.scale) }

// Scratch is AppendIDs' working space; reusing one across calls saves
// allocating it again.
type Scratch struct{ word, enc, dec []byte }

// AppendIDs appends to ids the piece ids of s until ids holds limit, as
// BERT's uncased tokenizer cuts s: lower case, accents stripped, every
// punctuation mark and CJK character a word of its own, each word cut
// greedily into the longest pieces of the vocabulary; the first limit
// pieces, as BERT truncates. A word the vocabulary cannot spell adds
// nothing. sc may be nil.
func (t *Table) AppendIDs(ids []int32, s string, limit int, sc *Scratch) []int32 {
	if sc == nil {
		sc = new(Scratch)
	}
	word := sc.word[:0]
	// alone appends the character r as a word of its own
	alone := func(r rune) {
		ids, word = t.appendWord(ids, word, limit), word[:0]
		sc.enc = utf8.AppendRune(sc.enc[:0], r)
		ids = t.appendWord(ids, sc.enc, limit)
	}
	for i := 0; i < len(s) && len(ids) < limit; {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				ids, word = t.appendWord(ids, word, limit), word[:0]
			case c < 0x20 || c == 0x7f:
				// control characters are dropped
			case isASCIIPunct(c):
				alone(r)
			default:
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				word = append(word, c)
			}
		case r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf):
			// invalid bytes, U+FFFD and format characters are dropped
		case unicode.Is(unicode.Zs, r):
			ids, word = t.appendWord(ids, word, limit), word[:0]
		case unicode.IsPunct(r) || isCJK(r):
			alone(unicode.ToLower(r))
		default:
			// lower case, then the canonical decomposition without its
			// combining marks: "É" → "e"
			f := t.folded(r, sc)
			for j := 0; j < len(f); {
				m, sz := utf8.DecodeRune(f[j:])
				j += sz
				if unicode.IsPunct(m) {
					alone(m)
				} else {
					word = utf8.AppendRune(word, m)
				}
			}
		}
	}
	ids = t.appendWord(ids, word, limit)
	sc.word = word[:0]
	return ids
}

// appendWord appends the pieces of one word, greedily longest first: all of
// them, or none when some part of the word is no piece. Like BERT's
// truncation, the limit may cut a word.
func (t *Table) appendWord(ids []int32, w []byte, limit int) []int32 {
	if len(w) == 0 || len(ids) >= limit || utf8.RuneCount(w) > maxWordRunes {
		return ids
	}
	mark := len(ids)
	for start := 0; start < len(w); {
		end := min(len(w), start+t.maxPiece)
		id := int32(-1)
		for ; end > start; end-- {
			if end < len(w) && !utf8.RuneStart(w[end]) {
				continue
			}
			m := t.start
			if start > 0 {
				m = t.cont
			}
			if v, ok := m[string(w[start:end])]; ok {
				id = v
				break
			}
		}
		if id < 0 {
			return ids[:mark]
		}
		ids = append(ids, id)
		start = end
	}
	return ids[:min(len(ids), limit)]
}

// isASCIIPunct is BERT's punctuation below 128: every printable character
// that is neither a letter, a digit nor a space ("$", "+", "^" included).
func isASCIIPunct(c byte) bool {
	return c >= 33 && c <= 47 || c >= 58 && c <= 64 || c >= 91 && c <= 96 || c >= 123 && c <= 126
}

// isCJK reports the CJK ideographs BERT splits into words of one character.
func isCJK(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0x20000 && r <= 0x2A6DF ||
		r >= 0x2A700 && r <= 0x2B73F || r >= 0x2B740 && r <= 0x2B81F || r >= 0x2B820 && r <= 0x2CEAF ||
		r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F
}

// Mean sets v (of length Dims) to the unit-length mean of the ids' vectors
// and reports whether there was any.
func (t *Table) Mean(v []float32, ids []int32) bool {
	clear(v)
	if len(ids) == 0 {
		return false
	}
	d := t.dims
	v = v[:d]
	for _, id := range ids {
		row := t.vec[int(id)*d : int(id)*d+d]
		sc := t.scale[id]
		// four at a time, bounds checked once per four: this loop is most
		// of the model's cost
		k := 0
		for ; k+4 <= d; k += 4 {
			r, o := row[k:k+4:k+4], v[k:k+4:k+4]
			o[0] += sc * float32(r[0])
			o[1] += sc * float32(r[1])
			o[2] += sc * float32(r[2])
			o[3] += sc * float32(r[3])
		}
		for ; k < d; k++ {
			v[k] += sc * float32(row[k])
		}
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return false
	}
	inv := float32(1 / math.Sqrt(n))
	for k := range v {
		v[k] *= inv
	}
	return true
}

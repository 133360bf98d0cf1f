package eval

import "unicode/utf8"

// Diag counts oddities in predictions (the same keys as score.py's
// diagnostics), so a scoring surprise can be traced to its cause.
type Diag map[string]int

// offsets converts predicted UTF-8 byte offsets to the code-point offsets
// gold files use, and back for slicing.
type offsets struct {
	body   string
	nbytes int
	toCP   []int // byte offset -> code point offset, -1 inside a rune
	toByte []int // code point offset -> byte offset
}

func newOffsets(body string) *offsets {
	o := &offsets{body: body, nbytes: len(body), toCP: make([]int, len(body)+1)}
	for i := range o.toCP {
		o.toCP[i] = -1
	}
	o.toByte = make([]int, 0, utf8.RuneCountInString(body)+1)
	cp := 0
	for i := range body {
		o.toCP[i] = cp
		o.toByte = append(o.toByte, i)
		cp++
	}
	o.toCP[len(body)] = cp
	o.toByte = append(o.toByte, len(body))
	return o
}

// span converts a predicted byte span to code points. Out-of-range spans are
// clamped and spans that cut a rune are widened, both counted in d; ok is
// false when nothing is left.
func (o *offsets) span(s, e int, d Diag) (cs, ce int, ok bool) {
	n := o.nbytes
	if s < 0 || e > n || s >= e {
		d["pred_spans_out_of_range"]++
		s, e = max(0, s), min(n, e)
		if s >= e {
			return 0, 0, false
		}
	}
	if o.toCP[s] < 0 || o.toCP[e] < 0 {
		d["pred_spans_not_on_char_boundary"]++
		for s > 0 && o.toCP[s] < 0 {
			s--
		}
		for e < n && o.toCP[e] < 0 {
			e++
		}
	}
	return o.toCP[s], o.toCP[e], true
}

// text returns the body between two code-point offsets (clamped).
func (o *offsets) text(cs, ce int) string {
	last := len(o.toByte) - 1
	cs, ce = min(max(cs, 0), last), min(max(ce, 0), last)
	if cs >= ce {
		return ""
	}
	return o.body[o.toByte[cs]:o.toByte[ce]]
}

// checkText counts predicted spans whose text differs from the body slice,
// and among them those that would match if the offsets were code points —
// the commonest offset bug.
func (o *offsets) checkText(s, e int, text string, cs, ce int, d Diag) {
	if o.text(cs, ce) == text {
		return
	}
	d["pred_span_text_mismatch"]++
	if s >= 0 && e >= s && e < len(o.toByte) && o.text(s, e) == text {
		d["pred_span_text_matches_if_codepoints"]++
	}
}

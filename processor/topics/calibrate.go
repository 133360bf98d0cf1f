package topics

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// calibrate.go turns a top-level topic's evidence into the probability that
// the topic applies to the article (event.Topic.Probability), the figure a
// consumer can threshold on.
//
// The score, the strength of the evidence, is no probability. A headline's
// best topic has two or three units of evidence, which the score reads as
// 0.2-0.3, yet such answers are right three times in four; a full article's
// main topic scores 0.98 and is right a little less often than that. A small
// logistic model over the evidence (how much, how far ahead of the rest,
// whether the learned model agrees, how much the text says at all) maps it to
// a probability. Its weights (data/calibration.txt) are fitted by trainmodel
// on hand-labelled Wikinews articles, in every short view, with a learned
// model trained without those articles, so the fit sees the model as it is on
// text it never read. The probability changes nothing else: which topics are
// emitted, their order and their scores still follow the evidence.

// calibFeatures is the number of inputs of the calibration model.
const calibFeatures = 9

// calibNames names the inputs, in order, as the calibration file writes them.
var calibNames = [calibFeatures]string{
	"bias",          // 1
	"log_evidence",  // ln(1+e), e the topic's evidence
	"share_of_best", // e / the best topic's evidence
	"rival_ratio",   // the strongest other topic's evidence / e, at most 5
	"model_prob",    // the learned model's probability for the topic
	"model_top",     // 1 when the topic is the learned model's first choice
	"log_text",      // ln(1+ the evidence of all topics but the model's)
	"log_own_text",  // ln(1+ the topic's evidence but the model's)
	"first",         // 1 for the topic with the most evidence
}

// maxRivalRatio caps rival_ratio: beyond it a topic is far behind either way.
const maxRivalRatio = 5

// calibCandidates is how many topics per text the fit learns from: the
// emitted ones, almost always.
const calibCandidates = 3

// Calibration is the logistic model that maps a topic's evidence to the
// probability that it applies.
type Calibration struct {
	Weights [calibFeatures]float64
}

// prob is the calibrated probability for the inputs f.
func (c *Calibration) prob(f *[calibFeatures]float64) float64 {
	z := 0.0
	for i, w := range c.Weights {
		z += w * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// ParseCalibration reads a calibration file: "name weight" lines in any
// order, every input named once; '#' starts a comment.
func ParseCalibration(r io.Reader) (Calibration, error) {
	var c Calibration
	seen := [calibFeatures]bool{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		if s == "" {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 2 {
			return c, fmt.Errorf("topics calibration line %d: want \"name weight\"", line)
		}
		i := calibIndex(f[0])
		if i < 0 {
			return c, fmt.Errorf("topics calibration line %d: unknown input %q", line, f[0])
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			return c, fmt.Errorf("topics calibration line %d: weight %q is not a finite number", line, f[1])
		}
		if seen[i] {
			return c, fmt.Errorf("topics calibration line %d: %s given twice", line, f[0])
		}
		c.Weights[i], seen[i] = w, true
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("topics calibration: %w", err)
	}
	var missing []string
	for i, ok := range seen {
		if !ok {
			missing = append(missing, calibNames[i])
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("topics calibration: no weight for %s", strings.Join(missing, ", "))
	}
	return c, nil
}

func calibIndex(name string) int { return slices.Index(calibNames[:], name) }

// writeComment writes each non-empty line of header as a "# " comment line,
// as the data files trainmodel writes open.
func writeComment(w *bufio.Writer, header string) {
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		if l != "" {
			fmt.Fprintf(w, "# %s\n", l)
		}
	}
}

// Encode writes the calibration in the format ParseCalibration reads, after
// the comment lines of header.
func (c Calibration) Encode(w io.Writer, header string) error {
	bw := bufio.NewWriter(w)
	writeComment(bw, header)
	for i, n := range calibNames {
		fmt.Fprintf(bw, "%s %s\n", n, strconv.FormatFloat(c.Weights[i], 'f', 6, 64))
	}
	return bw.Flush()
}

// calibrated is the probability that top-level candidate i of ts applies.
// A topic only the learned model speaks for is as likely as the model says:
// such a guess is rarer than the fit can learn from, and the model's own
// probability is the smaller and the better estimate.
func (t *Tagger) calibrated(s *scratch, ts []scored, i int, text float64) float64 {
	if ts[i].modelOnly() {
		if c := t.modelClass(s, ts[i].node); c >= 0 {
			return s.prob[c]
		}
		return 0
	}
	var f [calibFeatures]float64
	t.calibInputs(s, ts, i, text, &f)
	return t.calib.prob(&f)
}

// modelOnly reports a topic that only the learned model speaks for: the
// calibration leaves it to the model's probability.
func (tp scored) modelOnly() bool { return tp.text <= 0 }

// calibInputs fills f with the inputs of top-level candidate i of ts (sorted
// by evidence, best first).
func (t *Tagger) calibInputs(s *scratch, ts []scored, i int, text float64, f *[calibFeatures]float64) {
	e, best := ts[i].raw, ts[0].raw
	rival := best
	if i == 0 {
		rival = 0
		if len(ts) > 1 {
			rival = ts[1].raw
		}
	}
	f[0] = 1
	f[1] = math.Log1p(e)
	f[2] = e / best
	f[3] = maxRivalRatio
	if e > 0 {
		f[3] = math.Min(rival/e, maxRivalRatio)
	}
	f[4], f[5] = 0, 0
	if c := t.modelClass(s, ts[i].node); c >= 0 {
		f[4] = s.prob[c]
		if c == s.modelTop {
			f[5] = 1
		}
	}
	f[6] = math.Log1p(text)
	f[7] = math.Log1p(ts[i].text)
	f[8] = 0
	if i == 0 {
		f[8] = 1
	}
}

// CalibrationExample is one labelled text for FitCalibration: the tokenized
// title (may be nil) and body, the entity stage's entities, and the codes
// of the topics that apply (any depth; they count at top level).
type CalibrationExample struct {
	Title, Body *text.Doc
	Entities    []event.Entity
	Codes       []string
}

// FitCalibration fits the calibration model to labelled texts: for each
// text, its first calibCandidates topics by evidence that have evidence of
// their own besides the learned model's, each right when its top-level code
// is among the text's. l2 is the ridge penalty on every
// weight but the bias. The tagger's own calibration plays no part.
func (t *Tagger) FitCalibration(ex []CalibrationExample, l2 float64) (Calibration, error) {
	var xs [][calibFeatures]float64
	var ys []float64
	for _, e := range ex {
		gold := map[int]bool{}
		for _, c := range e.Codes {
			n, ok := t.vocab.byCode[c]
			if !ok {
				return Calibration{}, fmt.Errorf("calibration: unknown topic code %q", c)
			}
			gold[int(t.vocab.nodes[n].top)] = true
		}
		s := t.getScratch()
		t.evidence(s, e.Title, e.Body, e.Entities, nil)
		var buf [32]scored
		ts, text := t.rank(s, buf[:0])
		for i := 0; i < len(ts) && i < calibCandidates; i++ {
			if ts[i].modelOnly() {
				continue
			}
			var f [calibFeatures]float64
			t.calibInputs(s, ts, i, text, &f)
			xs = append(xs, f)
			y := 0.0
			if gold[ts[i].node] {
				y = 1
			}
			ys = append(ys, y)
		}
		t.putScratch(s)
	}
	if len(xs) == 0 {
		return Calibration{}, errors.New("calibration: no text has a topic")
	}
	w, err := fitLogistic(xs, ys, l2)
	return Calibration{Weights: w}, err
}

// fitLogistic fits a logistic regression by Newton's method (a few
// iterations converge on so few inputs), with a ridge penalty on every
// weight but the first (the bias).
func fitLogistic(xs [][calibFeatures]float64, ys []float64, l2 float64) ([calibFeatures]float64, error) {
	const n = calibFeatures
	var w [n]float64
	for iter := 0; iter < 50; iter++ {
		var g [n]float64
		var h [n][n]float64
		for k, x := range xs {
			z := 0.0
			for i := range x {
				z += w[i] * x[i]
			}
			p := 1 / (1 + math.Exp(-z))
			for i := range x {
				g[i] += (p - ys[k]) * x[i]
				for j := range x {
					h[i][j] += p * (1 - p) * x[i] * x[j]
				}
			}
		}
		for i := 1; i < n; i++ {
			g[i] += l2 * w[i]
			h[i][i] += l2
		}
		step, err := solve(h, g)
		if err != nil {
			return w, fmt.Errorf("calibration fit: %w", err)
		}
		size := 0.0
		for i := range w {
			w[i] -= step[i]
			size = math.Max(size, math.Abs(step[i]))
		}
		if size < 1e-10 {
			break
		}
	}
	return w, nil
}

// solve solves a x = b by Gaussian elimination with partial pivoting.
func solve(a [calibFeatures][calibFeatures]float64, b [calibFeatures]float64) ([calibFeatures]float64, error) {
	const n = calibFeatures
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return b, errors.New("singular system: an input never varies")
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			m := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= m * a[c][k]
			}
			b[r] -= m * b[c]
		}
	}
	var x [n]float64
	for r := n - 1; r >= 0; r-- {
		v := b[r]
		for k := r + 1; k < n; k++ {
			v -= a[r][k] * x[k]
		}
		x[r] = v / a[r][r]
	}
	return x, nil
}

package topics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics/internal/wordvec"
)

// The word-vector model is the learned model's second part: a linear
// classifier over the 17 top-level topics whose input is one vector per
// text, the mean of the static vectors of its WordPiece pieces
// (internal/wordvec, data/wordvec.bin.gz). The hashed model knows the words
// its training text had; the vectors carry what a sentence encoder learned
// from far more text, so a name or a word the training text never had
// still lands near its kind ("Springsteen", "Kershaw", "Pelosi"). It was
// trained (internal/trainmodel) on the hashed model's examples.

// vecMagic opens a word-vector model file.
const vecMagic = "newsenrich-vecmodel 1"

// vecPieces is how many pieces of the title and body the model reads: a
// headline and its lead, as the hashed model reads them.
const vecPieces = 64

// vecModel is the decoded classifier: logits = w·v + bias.
type vecModel struct {
	dims    int
	classes []string
	bias    []float32
	w       []float32 // classes × dims
}

// parseVecModel reads a model file as TrainVectorModel writes it.
func parseVecModel(src string) (*vecModel, error) {
	m := &vecModel{}
	seenMagic := false
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if !seenMagic {
			if line != vecMagic {
				return nil, fmt.Errorf("word-vector model: line %d: want %q first", i+1, vecMagic)
			}
			seenMagic = true
			continue
		}
		f := strings.Fields(line)
		if f[0] == "dims" {
			if len(f) != 2 || m.dims != 0 {
				return nil, fmt.Errorf("word-vector model: line %d: want one dims line", i+1)
			}
			d, err := strconv.Atoi(f[1])
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("word-vector model: line %d: dims %q", i+1, f[1])
			}
			m.dims = d
			continue
		}
		if m.dims == 0 || len(f) != m.dims+2 {
			return nil, fmt.Errorf("word-vector model: line %d: want CODE BIAS and %d weights after the dims line", i+1, m.dims)
		}
		m.classes = append(m.classes, f[0])
		for j, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("word-vector model: line %d: number %q", i+1, s)
			}
			if j == 0 {
				m.bias = append(m.bias, float32(x))
			} else {
				m.w = append(m.w, float32(x))
			}
		}
	}
	if len(m.classes) == 0 {
		return nil, fmt.Errorf("word-vector model: no classes")
	}
	return m, nil
}

// predict writes the class probabilities for the text vector v into p.
func (m *vecModel) predict(v []float32, p []float64) {
	for c := range m.classes {
		row := m.w[c*m.dims : c*m.dims+m.dims]
		z := m.bias[c]
		for k, x := range v[:m.dims] {
			z += row[k] * x
		}
		p[c] = float64(z)
	}
	softmax(p[:len(m.classes)])
}

// appendPieces appends the piece ids of the title, then of the body, up to
// vecPieces in all. Credits are already trimmed from the documents.
func appendPieces(ids []int32, sc *wordvec.Scratch, tab *wordvec.Table, title, body *text.Doc) []int32 {
	for _, d := range [2]*text.Doc{title, body} {
		if d == nil {
			continue
		}
		for i := range d.Tokens {
			if len(ids) >= vecPieces {
				return ids
			}
			tok := &d.Tokens[i]
			if tok.Start < 0 || tok.End > int32(len(d.Text)) || tok.Start >= tok.End {
				continue
			}
			ids = tab.AppendIDs(ids, d.Text[tok.Start:tok.End], vecPieces, sc)
		}
	}
	return ids
}

// VectorTrainOptions tune TrainVectorModel. Zero values mean the defaults.
type VectorTrainOptions struct {
	Epochs int     // passes over the examples (default 10)
	Rate   float64 // Adam step size (default 0.05)
	L2     float64 // penalty on the squared weights (default 1e-5)
	Batch  int     // examples per step (default 512)
	Seed   int64
	// Balance weighs each example by (mean class size / its class size)^Balance,
	// as TrainOptions.Balance does.
	Balance float64
}

// TrainVectorModel fits the word-vector model on the examples (multinomial
// logistic regression over each text's vector, Adam on mini-batches) and
// writes it to w: the file New embeds as data/wordvec-model.txt. header is
// written first as comment lines.
func TrainVectorModel(ex []Example, opt VectorTrainOptions, header string, w io.Writer) error {
	if opt.Epochs <= 0 {
		opt.Epochs = 10
	}
	if opt.Rate <= 0 {
		opt.Rate = 0.05
	}
	if opt.L2 <= 0 {
		opt.L2 = 1e-5
	}
	if opt.Batch <= 0 {
		opt.Batch = 512
	}
	tab, err := embeddedVectors()
	if err != nil {
		return err
	}
	classes, index, err := topClasses()
	if err != nil {
		return err
	}
	nc, d := len(classes), tab.Dims()
	var xs []float32
	var ys []int
	var td, bd text.Doc
	var ids []int32
	var sc wordvec.Scratch
	vec := make([]float32, d)
	for _, e := range ex {
		y, ok := index[e.Code]
		if !ok {
			return fmt.Errorf("train: unknown top-level code %q", e.Code)
		}
		td.Reset(e.Title)
		bd.Reset(e.Body)
		ids = appendPieces(ids[:0], &sc, tab, &td, &bd)
		if !tab.Mean(vec, ids) {
			continue
		}
		xs = append(xs, vec...)
		ys = append(ys, y)
	}
	if len(ys) == 0 {
		return fmt.Errorf("train: no usable examples")
	}
	W := fitSoftmax(xs, ys, d, nc, classWeights(ys, nc, opt.Balance), opt)
	bw := bufio.NewWriter(w)
	writeComment(bw, header)
	fmt.Fprintf(bw, "%s\ndims %d\n", vecMagic, d)
	for c, code := range classes {
		row := W[c*(d+1) : c*(d+1)+d+1]
		bw.WriteString(code)
		bw.WriteByte(' ')
		bw.WriteString(strconv.FormatFloat(row[d], 'g', 6, 32))
		for _, x := range row[:d] {
			bw.WriteByte(' ')
			bw.WriteString(strconv.FormatFloat(x, 'g', 6, 32))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// fitSoftmax fits multinomial logistic regression to the rows of xs (d
// columns each) and their labels ys, each example weighed by its class's
// weight, with Adam on shuffled mini-batches. It returns nc rows of d
// weights and a bias.
func fitSoftmax(xs []float32, ys []int, d, nc int, cw []float64, opt VectorTrainOptions) []float64 {
	n := len(ys)
	// nc rows of d weights and a bias, with Adam's moments
	np := nc * (d + 1)
	W := make([]float64, np)
	m1, m2, g := make([]float64, np), make([]float64, np), make([]float64, np)
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewSource(opt.Seed))
	p := make([]float64, nc)
	step := 0
	for ep := 0; ep < opt.Epochs; ep++ {
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		for lo := 0; lo < n; lo += opt.Batch {
			batch := order[lo:min(n, lo+opt.Batch)]
			clear(g)
			for _, i := range batch {
				x := xs[i*d : i*d+d]
				for c := 0; c < nc; c++ {
					row := W[c*(d+1) : c*(d+1)+d+1]
					z := row[d]
					for k, xv := range x {
						z += row[k] * float64(xv)
					}
					p[c] = z
				}
				softmax(p)
				p[ys[i]]--
				wi := cw[ys[i]]
				for c := 0; c < nc; c++ {
					gc := p[c] * wi
					gr := g[c*(d+1) : c*(d+1)+d+1]
					for k, xv := range x {
						gr[k] += gc * float64(xv)
					}
					gr[d] += gc
				}
			}
			inv := 1 / float64(len(batch))
			step++
			c1 := 1 - math.Pow(beta1, float64(step))
			c2 := 1 - math.Pow(beta2, float64(step))
			for j := range W {
				gj := g[j] * inv
				if j%(d+1) != d {
					gj += 2 * opt.L2 * W[j]
				}
				m1[j] = beta1*m1[j] + (1-beta1)*gj
				m2[j] = beta2*m2[j] + (1-beta2)*gj*gj
				W[j] -= opt.Rate * (m1[j] / c1) / (math.Sqrt(m2[j]/c2) + eps)
			}
		}
	}
	return W
}

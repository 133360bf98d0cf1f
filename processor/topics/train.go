package topics

import (
	"fmt"
	"io"
	"math"
	"math/rand"

	"github.com/newsenrich/newsenrich/processor/text"
)

// Example is one training text for TrainModel: a title (may be empty), a
// body and its top-level topic code.
type Example struct {
	Title, Body string
	Code        string
}

// TrainOptions tune TrainModel. Zero values mean the defaults.
type TrainOptions struct {
	Buckets int     // hash buckets (default 1<<15)
	Epochs  int     // passes over the examples (default 6)
	Rate    float64 // SGD learning rate (default 0.5)
	L2      float64 // weight decay per update of a bucket (default 1e-5)
	Seed    int64
	// Balance weighs each example by (mean class size / its class size)^Balance:
	// 0 keeps the corpus's class mix, 1 weighs every class equally. The
	// training text is mostly not news, so its mix is not the news mix.
	Balance float64
	// NoPrior drops the learned class bias from the model, so a text with
	// no known word gets no topic from the corpus's class mix.
	NoPrior bool
	// Grams are the letter n-grams of each word the model reads too;
	// the zero value reads words and word pairs only.
	Grams Grams
}

// TrainModel fits the hashed linear model on the examples (multinomial
// logistic regression, plain SGD) and writes it, quantised to int8 and
// gzip-compressed, to w: the file New embeds as data/model.bin.gz.
func TrainModel(ex []Example, opt TrainOptions, w io.Writer) error {
	if opt.Buckets <= 0 {
		opt.Buckets = 1 << 15
	}
	if opt.Epochs <= 0 {
		opt.Epochs = 6
	}
	if opt.Rate <= 0 {
		opt.Rate = 0.5
	}
	if opt.L2 <= 0 {
		opt.L2 = 1e-5
	}
	if g := opt.Grams; !g.valid() {
		return fmt.Errorf("train: letter n-grams %d-%d: want 2 <= min <= max <= 8", g.Min, g.Max)
	}
	classes, index, err := topClasses()
	if err != nil {
		return err
	}
	nc := len(classes)
	type item struct {
		feats []uint32
		y     int
	}
	items := make([]item, 0, len(ex))
	var td, bd text.Doc
	var buf []uint64
	for _, e := range ex {
		y, ok := index[e.Code]
		if !ok {
			return fmt.Errorf("train: unknown top-level code %q", e.Code)
		}
		td.Reset(e.Title)
		bd.Reset(e.Body)
		buf = appendFeatures(buf[:0], &td, &bd, modelTokens, opt.Grams)
		if len(buf) == 0 {
			continue
		}
		f := make([]uint32, len(buf))
		for i, h := range buf {
			f[i] = bucketOf(h, uint32(opt.Buckets))
		}
		items = append(items, item{f, y})
	}
	if len(items) == 0 {
		return fmt.Errorf("train: no usable examples")
	}
	W := make([]float64, opt.Buckets*nc)
	bias := make([]float64, nc)
	labels := make([]int, len(items))
	for i, it := range items {
		labels[i] = it.y
	}
	cw := classWeights(labels, nc, opt.Balance)
	rng := rand.New(rand.NewSource(opt.Seed))
	p := make([]float64, nc)
	for ep := 0; ep < opt.Epochs; ep++ {
		rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		rate := opt.Rate / (1 + float64(ep))
		for _, it := range items {
			x := 1 / math.Sqrt(float64(len(it.feats)))
			r := rate * cw[it.y]
			for c := range p {
				p[c] = bias[c]
			}
			for _, b := range it.feats {
				row := W[int(b)*nc : int(b)*nc+nc]
				for c := range p {
					p[c] += row[c] * x
				}
			}
			softmax(p)
			for c := range p {
				g := p[c]
				if c == it.y {
					g--
				}
				bias[c] -= r * g * 0.1
				p[c] = g
			}
			for _, b := range it.feats {
				row := W[int(b)*nc : int(b)*nc+nc]
				for c := range row {
					row[c] -= r * (p[c]*x + opt.L2*row[c])
				}
			}
		}
	}
	maxAbs := 0.0
	for _, x := range W {
		maxAbs = math.Max(maxAbs, math.Abs(x))
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	m := &model{buckets: uint32(opt.Buckets), grams: opt.Grams, classes: classes, scale: float32(maxAbs / 127),
		bias: make([]float32, nc), w: make([]int8, len(W))}
	for i, x := range W {
		m.w[i] = int8(math.Round(x / maxAbs * 127))
	}
	for c, b := range bias {
		if !opt.NoPrior {
			m.bias[c] = float32(b)
		}
	}
	return m.encode(w)
}

// topClasses returns the 17 top-level codes in the vocabulary's order, the
// classes of both parts of the learned model, and each code's index.
func topClasses() ([]string, map[string]int, error) {
	v, err := parseVocabulary(iptcTSV)
	if err != nil {
		return nil, nil, err
	}
	classes := make([]string, len(v.tops))
	index := make(map[string]int, len(v.tops))
	for i, n := range v.tops {
		classes[i] = v.nodes[n].code
		index[v.nodes[n].code] = i
	}
	return classes, index, nil
}

// classWeights weighs each class by (mean class size / its size)^balance
// over the classes that have examples: 0 keeps the corpus's mix, 1 weighs
// every class equally.
func classWeights(labels []int, nc int, balance float64) []float64 {
	count := make([]float64, nc)
	for _, y := range labels {
		count[y]++
	}
	nonEmpty := 0.0
	for _, c := range count {
		if c > 0 {
			nonEmpty++
		}
	}
	cw := make([]float64, nc)
	for c := range cw {
		if count[c] > 0 {
			cw[c] = math.Pow(float64(len(labels))/nonEmpty/count[c], balance)
		}
	}
	return cw
}

func softmax(p []float64) {
	best := math.Inf(-1)
	for _, x := range p {
		best = math.Max(best, x)
	}
	sum := 0.0
	for i, x := range p {
		p[i] = math.Exp(x - best)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

package eval

import (
	"math"
)

// PRF is precision, recall and F1 with the counts behind them. Figures are
// rounded to 4 places, as score.py reports them.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
	TP int     `json:"tp"`
	FP int     `json:"fp"`
	FN int     `json:"fn"`
}

func prf(tp, fp, fn int) PRF {
	var p, r, f float64
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{P: round4(p), R: round4(r), F1: round4(f), TP: tp, FP: fp, FN: fn}
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func setPRF[K comparable](gold, pred map[K]struct{}) PRF {
	tp := 0
	for k := range pred {
		if _, ok := gold[k]; ok {
			tp++
		}
	}
	return prf(tp, len(pred)-tp, len(gold)-tp)
}

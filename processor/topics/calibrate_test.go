package topics

import (
	"bytes"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor/text"
)

const validCalibration = `# a comment
bias 0.5
log_evidence -0.25
share_of_best -0.5
rival_ratio -0.4   # trailing comment
model_prob 2
model_top -0.1
log_text -1.3
log_own_text 2.4
first 1
`

func TestParseCalibration(t *testing.T) {
	for _, tc := range []struct {
		name, src, err string
	}{
		{"valid", validCalibration, ""},
		{"unknown input", validCalibration + "colour 1\n", `unknown input "colour"`},
		{"given twice", validCalibration + "bias 1\n", "bias given twice"},
		{"missing", strings.Replace(validCalibration, "first 1\n", "", 1), "no weight for first"},
		{"not a number", strings.Replace(validCalibration, "bias 0.5", "bias half", 1), "not a finite number"},
		{"infinite", strings.Replace(validCalibration, "bias 0.5", "bias +Inf", 1), "not a finite number"},
		{"three fields", strings.Replace(validCalibration, "bias 0.5", "bias 0.5 1", 1), `want "name weight"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCalibration(strings.NewReader(tc.src))
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.Weights[0] != 0.5 || c.Weights[3] != -0.4 || c.Weights[8] != 1 {
					t.Fatalf("weights %v", c.Weights)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestCalibrationEncodeRoundTrip(t *testing.T) {
	want := Calibration{Weights: [calibFeatures]float64{0.811309, -0.25, 3, 0, -1e-6, 2, -1.5, 0.125, 1}}
	var buf bytes.Buffer
	if err := want.Encode(&buf, "line one\nline two"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "# line one\n# line two\n") {
		t.Fatalf("header not written as comments:\n%s", buf.String())
	}
	got, err := ParseCalibration(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("round trip: got %v, want %v", got.Weights, want.Weights)
	}
}

// The fit must find the weights that generated the outcomes.
func TestFitLogisticRecoversWeights(t *testing.T) {
	truth := [calibFeatures]float64{0.5, 1, -1, 0.5, 2, -0.5, -1, 1.5, 0.8}
	rng := rand.New(rand.NewSource(7))
	var xs [][calibFeatures]float64
	var ys []float64
	for range 40000 {
		var x [calibFeatures]float64
		x[0] = 1
		for i := 1; i < calibFeatures; i++ {
			x[i] = rng.NormFloat64()
		}
		z := 0.0
		for i := range x {
			z += truth[i] * x[i]
		}
		y := 0.0
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			y = 1
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	got, err := fitLogistic(xs, ys, 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	for i := range truth {
		if math.Abs(got[i]-truth[i]) > 0.08 {
			t.Errorf("%s: fitted %.3f, generated with %.3f", calibNames[i], got[i], truth[i])
		}
	}
}

func TestFitLogisticRefusesAConstantInput(t *testing.T) {
	xs := [][calibFeatures]float64{{1, 1}, {1, 2}, {1, 3}, {1, 4}}
	if _, err := fitLogistic(xs, []float64{0, 0, 1, 1}, 0); err == nil {
		t.Fatal("fit with inputs that never vary and no penalty succeeded")
	}
}

// The probability rides along: the same topics, in the same order, with the
// same scores, as without calibration.
func TestCalibrationKeepsDecisions(t *testing.T) {
	cal, plain := newTagger(t, Config{}), newTagger(t, Config{NoCalibration: true})
	for _, a := range samples.WikinewsArticles() {
		for _, v := range [][2]string{{a.Title, a.Body}, {"", a.Title}} {
			c, p := tag(cal, v[0], v[1], nil), tag(plain, v[0], v[1], nil)
			if len(c) != len(p) {
				t.Fatalf("%s %q: calibrated %v, plain %v", a.ID, v[0], c, p)
			}
			prev := 1.0
			for i := range c {
				if p[i].Probability != 0 {
					t.Fatalf("%s: NoCalibration gave a probability: %v", a.ID, p)
				}
				pr := c[i].Probability
				c[i].Probability = 0
				if c[i] != p[i] {
					t.Fatalf("%s %q: calibrated %v, plain %v", a.ID, v[0], c, p)
				}
				if pr <= 0 || pr > 1 {
					t.Fatalf("%s: probability %v", a.ID, pr)
				}
				if isTop := strings.HasSuffix(c[i].Code, "000000"); isTop {
					if pr > prev {
						t.Fatalf("%s: a top-level topic with less evidence is likelier: %v", a.ID, c)
					}
					prev = pr
				}
			}
		}
	}
}

func TestCalibratedScores(t *testing.T) {
	tg := newTagger(t, Config{})
	strong := tag(tg, "Striker's hat-trick wins the cup final", "The striker scored three goals as the club won the league cup final at the stadium.", nil)
	weak := tag(tg, "", "Champions win again", nil)
	if len(strong) == 0 || len(weak) == 0 || strong[0].Code != "medtop:15000000" || weak[0].Code != "medtop:15000000" {
		t.Fatalf("want sport first: strong %v, weak %v", strong, weak)
	}
	if strong[0].Probability <= weak[0].Probability || strong[0].Probability < 0.95 {
		t.Errorf("strong evidence: probability %.3f, weak %.3f: want the strong one higher and at least 0.95", strong[0].Probability, weak[0].Probability)
	}
	// a headline with a little evidence is far likelier right than its
	// evidence strength says
	if weak[0].Probability <= weak[0].Score {
		t.Errorf("weak headline: probability %.3f, evidence strength %.3f", weak[0].Probability, weak[0].Score)
	}
}

// FitCalibration learns from the tagger's own candidates: labelled with
// the raw tagger's first topic, the fit must score first topics above the
// others.
func TestFitCalibrationOnTaggerCandidates(t *testing.T) {
	raw := newTagger(t, Config{NoCalibration: true})
	var ex []CalibrationExample
	for _, a := range samples.WikinewsArticles() {
		for _, v := range [][2]string{{a.Title, a.Body}, {"", a.Title}} {
			ts := tag(raw, v[0], v[1], nil)
			if len(ts) == 0 {
				continue
			}
			ex = append(ex, CalibrationExample{Title: text.New(v[0]), Body: text.New(v[1]), Codes: []string{raw.TopLevel()[ts[0].Code]}})
		}
	}
	c, err := raw.FitCalibration(ex, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range c.Weights {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			t.Fatalf("%s: weight %v", calibNames[i], w)
		}
	}
	if c.Weights[calibIndex("first")] <= 0 {
		t.Errorf("first: weight %.3f, want > 0 when every first topic is right", c.Weights[calibIndex("first")])
	}
	if _, err := raw.FitCalibration(ex[:1:1], 1); err != nil {
		t.Errorf("one example, with the ridge penalty: %v", err)
	}
	if _, err := raw.FitCalibration([]CalibrationExample{{Body: text.New("x"), Codes: []string{"medtop:99"}}}, 1); err == nil {
		t.Error("unknown code accepted")
	}
}

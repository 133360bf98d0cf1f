package check

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
)

// Exported is what one /metrics scrape exposes, by series name as PromQL sees
// it (histograms as name_bucket, name_sum, name_count).
type Exported struct {
	// Labels maps a series name to each label and the values seen for it.
	Labels map[string]map[string]map[string]bool
	// Buckets holds the finite upper bounds of each histogram, by family name.
	Buckets map[string][]float64
	// Families is the raw scrape, by family name.
	Families map[string]*dto.MetricFamily
}

// ParseExposition reads the Prometheus text format.
func ParseExposition(r io.Reader) (*Exported, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parse exposition: %w", err)
	}
	e := &Exported{Labels: map[string]map[string]map[string]bool{}, Buckets: map[string][]float64{}, Families: fams}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			base := map[string]string{}
			for _, lp := range m.GetLabel() {
				base[lp.GetName()] = lp.GetValue()
			}
			switch f.GetType() {
			case dto.MetricType_HISTOGRAM:
				e.add(name+"_sum", base)
				e.add(name+"_count", base)
				var bounds []float64
				for _, b := range m.GetHistogram().GetBucket() {
					if math.IsInf(b.GetUpperBound(), +1) {
						continue // added below whether or not the scrape lists it
					}
					le := maps.Clone(base)
					le["le"] = strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64)
					e.add(name+"_bucket", le)
					bounds = append(bounds, b.GetUpperBound())
				}
				inf := maps.Clone(base)
				inf["le"] = "+Inf"
				e.add(name+"_bucket", inf)
				e.Buckets[name] = bounds
			case dto.MetricType_SUMMARY:
				e.add(name+"_sum", base)
				e.add(name+"_count", base)
				for _, q := range m.GetSummary().GetQuantile() {
					ql := maps.Clone(base)
					ql["quantile"] = strconv.FormatFloat(q.GetQuantile(), 'g', -1, 64)
					e.add(name, ql)
				}
			default:
				e.add(name, base)
			}
		}
	}
	return e, nil
}

func (e *Exported) add(series string, lbls map[string]string) {
	ls, ok := e.Labels[series]
	if !ok {
		ls = map[string]map[string]bool{}
		e.Labels[series] = ls
	}
	for k, v := range lbls {
		if ls[k] == nil {
			ls[k] = map[string]bool{}
		}
		ls[k][v] = true
	}
}

// Names returns the exported series names, sorted.
func (e *Exported) Names() []string {
	return slices.Sorted(maps.Keys(e.Labels))
}

// targetLabels are attached by Prometheus (or the Prometheus Operator) at
// scrape time, so queries may use them although the worker never exports them.
var targetLabels = map[string]bool{
	"job": true, "instance": true, "namespace": true, "pod": true,
	"service": true, "endpoint": true, "container": true,
}

// Check reports why s cannot select anything from e: an unknown metric, a
// label the metric does not carry, or an equality matcher on a value the
// worker never exports (labelled series are pre-initialised, so every valid
// value is visible in one scrape). A nil result means the selector is sound.
func (e *Exported) Check(s Selector) []string {
	ls, ok := e.Labels[s.Name]
	if !ok {
		return []string{fmt.Sprintf("metric %s is not exported", s.Name)}
	}
	var probs []string
	for _, m := range s.Matchers {
		if targetLabels[m.Name] {
			continue
		}
		vals, ok := ls[m.Name]
		if !ok {
			probs = append(probs, fmt.Sprintf("%s has no label %q", s.Name, m.Name))
			continue
		}
		if m.Type == labels.MatchEqual && !vals[m.Value] {
			probs = append(probs, fmt.Sprintf("%s{%s=%q}: value never exported (have %v)", s.Name, m.Name, m.Value, slices.Sorted(maps.Keys(vals))))
		}
	}
	for _, g := range s.GroupBy {
		if targetLabels[g] {
			continue
		}
		if _, ok := ls[g]; !ok {
			probs = append(probs, fmt.Sprintf("%s: grouped by %q, which it does not carry", s.Name, g))
		}
	}
	return probs
}

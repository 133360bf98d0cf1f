package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Selector is one metric a query reads: its name, the label matchers other
// than the name, and the labels an enclosing aggregation groups by.
type Selector struct {
	Name     string
	Matchers []*labels.Matcher
	// GroupBy holds the `by (...)` labels of every aggregation around the
	// selector; each must exist on the metric (or be a scrape target label).
	GroupBy []string
}

var promqlParser = parser.NewParser(parser.Options{})

// Selectors parses expr and returns every metric selector in it. A selector
// without a metric name (e.g. {job="x"}) is an error: a check could not say
// which metric it depends on.
func Selectors(expr string) ([]Selector, error) {
	ast, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", expr, err)
	}
	var out []Selector
	var walkErr error
	parser.Inspect(ast, func(node parser.Node, path []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		s := Selector{Name: vs.Name}
		for _, m := range vs.LabelMatchers {
			if m.Name == labels.MetricName {
				if s.Name == "" && m.Type == labels.MatchEqual {
					s.Name = m.Value
				}
				continue
			}
			s.Matchers = append(s.Matchers, m)
		}
		if s.Name == "" {
			walkErr = fmt.Errorf("selector %s in %q has no metric name", vs, expr)
		}
		for _, p := range path {
			if agg, ok := p.(*parser.AggregateExpr); ok && !agg.Without {
				for _, g := range agg.Grouping {
					if !slices.Contains(s.GroupBy, g) {
						s.GroupBy = append(s.GroupBy, g)
					}
				}
			}
		}
		out = append(out, s)
		return nil
	})
	return out, walkErr
}

var grafanaVar = regexp.MustCompile(`\$\{?(__[a-z_]+|[A-Za-z][A-Za-z0-9_]*)(?::[a-z]+)?\}?`)

// ExpandGrafana replaces Grafana template variables with values that keep
// the query valid PromQL: interval variables become a duration, other
// variables a plain word (they sit inside label matchers).
func ExpandGrafana(expr string) string {
	return grafanaVar.ReplaceAllStringFunc(expr, func(v string) string {
		name := strings.Trim(v, "${}")
		name, _, _ = strings.Cut(name, ":")
		switch name {
		case "__rate_interval", "__interval", "__range":
			return "5m"
		case "__interval_ms", "__range_ms", "__range_s":
			return "300000"
		}
		return "var_" + name
	})
}

var labelValues = regexp.MustCompile(`^\s*label_values\(\s*(.*?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$`)

// GrafanaVariableQuery turns a Prometheus template variable query such as
// label_values(metric{job="x"}, instance) into the selector it reads, with
// the label it lists as a grouping label.
func GrafanaVariableQuery(q string) ([]Selector, error) {
	m := labelValues.FindStringSubmatch(ExpandGrafana(q))
	if m == nil {
		return nil, fmt.Errorf("variable query %q: only label_values(<selector>, <label>) is checked", q)
	}
	sels, err := Selectors(m[1])
	if err != nil {
		return nil, err
	}
	for i := range sels {
		sels[i].GroupBy = append(sels[i].GroupBy, m[2])
	}
	return sels, nil
}

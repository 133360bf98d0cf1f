package check

import (
	"slices"
	"strings"
	"testing"
)

func TestSelectors(t *testing.T) {
	tests := []struct {
		expr    string
		names   []string
		groupBy map[string][]string
		wantErr bool
	}{
		{expr: `up`, names: []string{"up"}},
		{expr: `sum by (stage, le) (rate(a_bucket{job="x"}[5m]))`, names: []string{"a_bucket"}, groupBy: map[string][]string{"a_bucket": {"stage", "le"}}},
		{expr: `sum by (job) (rate(a[5m])) / sum without (x) (b)`, names: []string{"a", "b"}, groupBy: map[string][]string{"a": {"job"}, "b": nil}},
		{expr: `{__name__="named"}`, names: []string{"named"}},
		{expr: `sum(max by (topic, partition) (lag))`, names: []string{"lag"}, groupBy: map[string][]string{"lag": {"topic", "partition"}}},
		{expr: `{job="x"}`, wantErr: true},
		{expr: `sum(rate(x[5m]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			sels, err := Selectors(tt.expr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			var names []string
			for _, s := range sels {
				names = append(names, s.Name)
				if want, ok := tt.groupBy[s.Name]; ok && !slices.Equal(s.GroupBy, want) {
					t.Errorf("%s grouped by %v, want %v", s.Name, s.GroupBy, want)
				}
			}
			if !slices.Equal(names, tt.names) {
				t.Errorf("names %v, want %v", names, tt.names)
			}
		})
	}
}

func TestExpandGrafana(t *testing.T) {
	in := `rate(x{job=~"$job", instance=~"${instance}", a="${a:regex}"}[$__rate_interval])`
	got := ExpandGrafana(in)
	want := `rate(x{job=~"var_job", instance=~"var_instance", a="var_a"}[5m])`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if _, err := Selectors(got); err != nil {
		t.Error(err)
	}
}

func TestGrafanaVariableQuery(t *testing.T) {
	sels, err := GrafanaVariableQuery(`label_values(m{job=~"$job"}, instance)`)
	if err != nil || len(sels) != 1 || sels[0].Name != "m" || !slices.Equal(sels[0].GroupBy, []string{"instance"}) {
		t.Errorf("got %+v, %v", sels, err)
	}
	if _, err := GrafanaVariableQuery(`query_result(up)`); err == nil {
		t.Error("unsupported variable query: want an error")
	}
}

const sampleExposition = `# HELP c_total A counter.
# TYPE c_total counter
c_total{outcome="enriched"} 3
c_total{outcome="dead_letter"} 0
# HELP h_seconds A histogram.
# TYPE h_seconds histogram
h_seconds_bucket{stage="decode",le="0.1"} 1
h_seconds_bucket{stage="decode",le="1"} 2
h_seconds_bucket{stage="decode",le="+Inf"} 2
h_seconds_sum{stage="decode"} 0.3
h_seconds_count{stage="decode"} 2
# HELP g A gauge.
# TYPE g gauge
g 1
`

func TestExportedCheck(t *testing.T) {
	e, err := ParseExposition(strings.NewReader(sampleExposition))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"c_total", "g", "h_seconds_bucket", "h_seconds_count", "h_seconds_sum"}; !slices.Equal(e.Names(), want) {
		t.Errorf("names %v, want %v", e.Names(), want)
	}
	if b := e.Buckets["h_seconds"]; !slices.Equal(b, []float64{0.1, 1}) {
		t.Errorf("buckets %v", b)
	}
	tests := []struct {
		expr string
		ok   bool
	}{
		{`sum by (outcome) (rate(c_total{outcome="dead_letter", job="w"}[5m]))`, true},
		{`sum by (stage, le) (rate(h_seconds_bucket[5m]))`, true},
		{`g{instance="x"}`, true},
		{`c_total{outcome="dlq"}`, false},    // value never exported
		{`c_total{reason="x"}`, false},       // label never exported
		{`sum by (reason) (c_total)`, false}, // grouping label never exported
		{`h_seconds`, false},                 // histograms are read as _bucket/_sum/_count
		{`rate(missing_total[5m])`, false},   // not exported at all
		{`c_total{outcome=~"dead.*"}`, true}, // regex values are not checked
		{`sum by (instance) (g)`, true},      // target label
	}
	for _, tt := range tests {
		sels, err := Selectors(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		var probs []string
		for _, s := range sels {
			probs = append(probs, e.Check(s)...)
		}
		if (len(probs) == 0) != tt.ok {
			t.Errorf("%s: problems %v, want ok=%v", tt.expr, probs, tt.ok)
		}
	}
}

func TestScrapeStorage(t *testing.T) {
	later := strings.Replace(sampleExposition, `c_total{outcome="enriched"} 3`, `c_total{outcome="enriched"} 9`, 1)
	db := scrapeStorage(t, []byte(sampleExposition), []byte(later))
	for expr, want := range map[string]int{
		`c_total`:                          2,
		`rate(c_total[5m]) > 0`:            1,
		`c_total{outcome="x"}`:             0,
		`g{job="newsenrich"}`:              1,
		`g{job="other"}`:                   0,
		`sum by (stage) (h_seconds_count)`: 1,
		`histogram_quantile(0.5, sum by (le) (rate(h_seconds_bucket[5m])))`:                                         1,
		`sum(rate(c_total{job=~"` + expandGrafanaAll("$job") + `"}[` + expandGrafanaAll("$__rate_interval") + `]))`: 1,
	} {
		if got := db.query(t, expr); got != want {
			t.Errorf("%s: %d series, want %d", expr, got, want)
		}
	}
}

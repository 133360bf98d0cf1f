package check

import (
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
)

// alertRule is one alerting rule with the selectors its expression reads.
type alertRule struct {
	rulefmt.Rule
	selectors []Selector
}

// loadAlerts parses alerts.yaml with Prometheus' own rule loader (the one
// `promtool check rules` and the server use).
func loadAlerts(t *testing.T) []alertRule {
	t.Helper()
	groups, errs := rulefmt.ParseFile(deployFile(t, "prometheus", "alerts.yaml"), false, model.UTF8Validation, promqlParser, slog.New(slog.DiscardHandler))
	for _, err := range errs {
		t.Error(err)
	}
	if groups == nil {
		t.FailNow()
	}
	var out []alertRule
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			sels, err := Selectors(r.Expr)
			if err != nil {
				t.Errorf("alert %s: %v", r.Alert, err)
			}
			out = append(out, alertRule{r, sels})
		}
	}
	return out
}

func TestAlertRules(t *testing.T) {
	rules := loadAlerts(t)
	byName := map[string]alertRule{}
	for _, r := range rules {
		if _, dup := byName[r.Alert]; dup {
			t.Errorf("alert %s defined twice", r.Alert)
		}
		byName[r.Alert] = r
		if s := r.Labels["severity"]; s != "warning" && s != "critical" {
			t.Errorf("%s: severity %q, want warning or critical", r.Alert, s)
		}
		for _, a := range []string{"summary", "description", "runbook"} {
			if strings.TrimSpace(r.Annotations[a]) == "" {
				t.Errorf("%s: no %s annotation", r.Alert, a)
			}
		}
		if len(strings.Split(strings.TrimSpace(r.Annotations["runbook"]), "\n")) < 2 {
			t.Errorf("%s: runbook is one line; say what to check, in order", r.Alert)
		}
		if r.For == 0 {
			t.Errorf("%s: no `for`: one bad scrape would page", r.Alert)
		}
	}
	// The alerts operators need: lag growing, dead-letter rate high, no throughput while lag > 0,
	// not ready, latency high.
	for _, want := range []struct {
		alert  string
		reads  []string
		reason string
	}{
		{"NewsenrichConsumerLagGrowing", []string{"newsenrich_consumer_lag_records"}, "lag growing"},
		{"NewsenrichDeadLetterRateHigh", []string{"newsenrich_processor_articles_total"}, "dead-letter rate"},
		{"NewsenrichNoThroughput", []string{"newsenrich_producer_records_total", "newsenrich_consumer_lag_records"}, "no throughput while lag > 0"},
		{"NewsenrichNotReady", []string{"newsenrich_ready"}, "not ready"},
		{"NewsenrichProcessingLatencyHigh", []string{"newsenrich_processor_duration_seconds_bucket"}, "latency high"},
		{"NewsenrichEndToEndLatencyHigh", []string{"newsenrich_end_to_end_latency_seconds_bucket"}, "latency high"},
	} {
		r, ok := byName[want.alert]
		if !ok {
			t.Errorf("no alert %s (%s)", want.alert, want.reason)
			continue
		}
		for _, m := range want.reads {
			if !slices.ContainsFunc(r.selectors, func(s Selector) bool { return s.Name == m }) {
				t.Errorf("%s does not read %s", want.alert, m)
			}
		}
	}
}

// TestAlertUnitTestsCoverEveryAlert reads alerts_test.yaml (run by `promtool
// test rules` in make check-deploy) and requires, for every alert, one case
// where it fires and one where it must stay quiet.
func TestAlertUnitTestsCoverEveryAlert(t *testing.T) {
	doc := yamlDocs(t, deployFile(t, "prometheus", "alerts_test.yaml"))[0]
	if rf := asSlice(doc["rule_files"]); len(rf) != 1 || rf[0] != "alerts.yaml" {
		t.Errorf("rule_files %v, want [alerts.yaml]", rf)
	}
	fires, quiet := map[string]int{}, map[string]int{}
	for _, tc := range asSlice(doc["tests"]) {
		for _, at := range asSlice(tc.(map[string]any)["alert_rule_test"]) {
			at := at.(map[string]any)
			name, _ := at["alertname"].(string)
			if len(asSlice(at["exp_alerts"])) > 0 {
				fires[name]++
			} else {
				quiet[name]++
			}
		}
	}
	for _, r := range loadAlerts(t) {
		if fires[r.Alert] == 0 {
			t.Errorf("alerts_test.yaml never expects %s to fire", r.Alert)
		}
		if quiet[r.Alert] == 0 {
			t.Errorf("alerts_test.yaml never expects %s to stay quiet", r.Alert)
		}
	}
	prom := yamlDocs(t, deployFile(t, "prometheus", "prometheus.yml"))[0]
	if rf := asSlice(prom["rule_files"]); !slices.Contains(rf, any("alerts.yaml")) {
		t.Errorf("prometheus.yml rule_files %v does not load alerts.yaml", rf)
	}
}

package check

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// dashboard is the part of a Grafana dashboard JSON the checks read.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Datasource *datasourceRef  `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type panel struct {
	ID         int            `json:"id"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource *datasourceRef `json:"datasource"`
	GridPos    struct{ H, W, X, Y int }
	Targets    []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	var d dashboard
	if err := json.Unmarshal(readFile(t, deployFile(t, "grafana", "newsenrich.json")), &d); err != nil {
		t.Fatalf("newsenrich.json: %v", err)
	}
	return d
}

// allPanels flattens rows (collapsed rows nest their panels).
func (d dashboard) allPanels() []panel {
	var out []panel
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			out = append(out, p)
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// dashboardQuery is one PromQL query of the dashboard, with where it is.
type dashboardQuery struct {
	where     string
	expr      string
	selectors []Selector
}

// dashboardQueries returns every query in the dashboard, panels and template
// variables, parsed.
func dashboardQueries(t *testing.T, d dashboard) []dashboardQuery {
	t.Helper()
	var out []dashboardQuery
	for _, p := range d.allPanels() {
		for _, tg := range p.Targets {
			where := "panel " + p.Title + " query " + tg.RefID
			if strings.TrimSpace(tg.Expr) == "" {
				t.Errorf("%s: empty expression", where)
				continue
			}
			sels, err := Selectors(ExpandGrafana(tg.Expr))
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			out = append(out, dashboardQuery{where, tg.Expr, sels})
		}
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			if err := json.Unmarshal(v.Query, &q.Query); err != nil {
				t.Errorf("variable %s: query %s: %v", v.Name, v.Query, err)
				continue
			}
		}
		sels, err := GrafanaVariableQuery(q.Query)
		if err != nil {
			t.Errorf("variable %s: %v", v.Name, err)
			continue
		}
		out = append(out, dashboardQuery{"variable " + v.Name, q.Query, sels})
	}
	return out
}

func TestGrafanaDashboard(t *testing.T) {
	d := loadDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Errorf("dashboard uid %q title %q: both are needed for provisioning and links", d.UID, d.Title)
	}
	panels := d.allPanels()
	ids := map[int]string{}
	for _, p := range panels {
		if prev, dup := ids[p.ID]; dup {
			t.Errorf("panel id %d used by %q and %q", p.ID, prev, p.Title)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q: datasource %v, want the ${datasource} variable so the dashboard imports anywhere", p.Title, p.Datasource)
		}
		if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: grid position %+v off the 24-column grid", p.Title, p.GridPos)
		}
	}

	for i, a := range panels {
		for _, b := range panels[i+1:] {
			ag, bg := a.GridPos, b.GridPos
			if ag.X < bg.X+bg.W && bg.X < ag.X+ag.W && ag.Y < bg.Y+bg.H && bg.Y < ag.Y+ag.H {
				t.Errorf("panels %q %+v and %q %+v overlap", a.Title, ag, b.Title, bg)
			}
		}
	}

	queries := dashboardQueries(t, d)
	reads := map[string]bool{}
	for _, q := range queries {
		for _, s := range q.selectors {
			reads[s.Name] = true
		}
	}
	// What the dashboard must show, by the series that show it.
	for what, series := range map[string][]string{
		"throughput in":              {"newsenrich_consumer_records_total"},
		"throughput out":             {"newsenrich_producer_records_total"},
		"enriched vs dead-lettered":  {"newsenrich_processor_articles_total"},
		"dead letters by reason":     {"newsenrich_dlq_records_total"},
		"per-stage latency":          {"newsenrich_processor_stage_duration_seconds_bucket"},
		"end-to-end latency":         {"newsenrich_end_to_end_latency_seconds_bucket"},
		"consumer lag per partition": {"newsenrich_consumer_lag_records"},
		"in-flight":                  {"newsenrich_inflight_records"},
		"entities per article":       {"newsenrich_processor_entities_total"},
		"quotes per article":         {"newsenrich_processor_quotes_total"},
		"Go runtime":                 {"go_goroutines", "go_memstats_heap_inuse_bytes", "process_cpu_seconds_total"},
	} {
		for _, s := range series {
			if !reads[s] {
				t.Errorf("dashboard shows no %s: no query reads %s", what, s)
			}
		}
	}
	for _, q := range queries {
		for _, s := range q.selectors {
			if s.Name == "newsenrich_processor_stage_duration_seconds_bucket" && !slices.Contains(s.GroupBy, "stage") {
				t.Errorf("%s: stage latency not split by stage", q.where)
			}
			if s.Name == "newsenrich_dlq_records_total" && !slices.Contains(s.GroupBy, "reason") {
				t.Errorf("%s: dead letters not split by reason", q.where)
			}
			if s.Name == "newsenrich_consumer_lag_records" && strings.Contains(q.where, "per partition") && !slices.Contains(s.GroupBy, "partition") {
				t.Errorf("%s: lag not split by partition", q.where)
			}
		}
	}
}

func TestGrafanaProvisioning(t *testing.T) {
	ds := yamlDocs(t, deployFile(t, "grafana", "provisioning", "datasources", "prometheus.yaml"))[0]
	var uids []string
	for _, d := range asSlice(ds["datasources"]) {
		d := d.(map[string]any)
		if d["type"] == "prometheus" {
			uids = append(uids, d["uid"].(string))
			if d["url"] != "http://prometheus:9090" {
				t.Errorf("datasource url %v: want the compose service http://prometheus:9090", d["url"])
			}
		}
	}
	d := loadDashboard(t)
	for _, v := range d.Templating.List {
		if v.Type != "datasource" {
			continue
		}
		var q string
		_ = json.Unmarshal(v.Query, &q)
		if q != "prometheus" {
			t.Errorf("datasource variable %s selects type %q, want prometheus", v.Name, q)
		}
	}
	if len(uids) != 1 {
		t.Errorf("want one provisioned Prometheus datasource, got %v", uids)
	}
	prov := yamlDocs(t, deployFile(t, "grafana", "provisioning", "dashboards", "newsenrich.yaml"))[0]
	for _, p := range asSlice(prov["providers"]) {
		opts := p.(map[string]any)["options"].(map[string]any)
		if opts["path"] != "/var/lib/grafana/dashboards" {
			t.Errorf("dashboard provider path %v: compose mounts the dashboard at /var/lib/grafana/dashboards", opts["path"])
		}
	}
}

package check

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/storage"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// liveWorker is the real worker binary, started the way deploy/kubernetes
// starts it: the Deployment's args and the ConfigMap's environment, with only
// the brokers and the HTTP address pointed at this test.
type liveWorker struct {
	bin, healthcheck string
	httpAddr         string
	cmd              *exec.Cmd
	log              *syncBuffer
	done             chan struct{} // closed when the process has exited
	exitErr          error         // valid after done
	records          int           // records published to the input topic
	// renamed maps configured topic names to the ones used (they differ only
	// on shared NEWSENRICH_TEST_BROKERS).
	renamed map[string]string
}

// Bounds on waiting for the worker. They are deadlines for something that
// normally takes seconds, not performance assertions.
const (
	startDeadline   = 3 * time.Minute
	processDeadline = 5 * time.Minute
)

func TestLiveWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the worker; skipped with -short")
	}
	m := loadManifests(t)
	cm := one(t, "ConfigMap", m.configMaps)
	dep := one(t, "Deployment", m.deployments)
	w := startLiveWorker(t, cm.Data, dep.Spec.Template.Spec.Containers[0].Args)
	first, scrape := w.waitProcessed(t)
	exp, err := ParseExposition(bytes.NewReader(scrape))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("worker processed %d records; %d series names exported", w.records, len(exp.Names()))

	t.Run("exposition passes promtool check metrics", func(t *testing.T) {
		promtool := os.Getenv("PROMTOOL")
		if promtool == "" {
			t.Skip("PROMTOOL not set (make check-deploy sets it)")
		}
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = bytes.NewReader(scrape)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	})

	// Two scrapes stored as Prometheus would store them (with the job and
	// instance target labels), for queries to run against.
	db := scrapeStorage(t, first, scrape)
	t.Run("dashboard queries return data from the worker's series", func(t *testing.T) {
		for _, q := range dashboardQueries(t, loadDashboard(t)) {
			if strings.HasPrefix(q.where, "variable ") {
				continue // label_values() is Grafana's, not PromQL
			}
			if n := db.query(t, expandGrafanaAll(q.expr)); n == 0 {
				t.Errorf("%s returns no series:\n  %s", q.where, q.expr)
			}
		}
	})

	t.Run("autoscaler query returns the lag", func(t *testing.T) {
		for _, tr := range one(t, "ScaledObject", m.scaledObject).Spec.Triggers {
			if tr.Type == "prometheus" {
				if n := db.query(t, w.withTopics(tr.Metadata["query"])); n == 0 {
					t.Errorf("ScaledObject query returns nothing: %s", tr.Metadata["query"])
				}
			}
		}
	})

	t.Run("dashboard queries read exported series", func(t *testing.T) {
		for _, q := range dashboardQueries(t, loadDashboard(t)) {
			for _, s := range q.selectors {
				for _, p := range exp.Check(s) {
					t.Errorf("%s: %s\n  %s", q.where, p, q.expr)
				}
			}
		}
	})

	t.Run("alert expressions read exported series", func(t *testing.T) {
		for _, r := range loadAlerts(t) {
			for _, s := range r.selectors {
				for _, p := range exp.Check(s) {
					t.Errorf("alert %s: %s", r.Alert, p)
				}
			}
		}
	})

	t.Run("autoscaler query reads exported series", func(t *testing.T) {
		so := one(t, "ScaledObject", m.scaledObject)
		for _, tr := range so.Spec.Triggers {
			if tr.Type != "prometheus" {
				continue
			}
			sels, err := Selectors(w.withTopics(tr.Metadata["query"]))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sels {
				for _, p := range exp.Check(s) {
					t.Errorf("ScaledObject query: %s", p)
				}
			}
		}
	})

	t.Run("latency alert thresholds lie inside the histogram buckets", func(t *testing.T) {
		// histogram_quantile never returns more than the largest finite
		// bucket bound, so a threshold above it can never fire.
		re := regexp.MustCompile(`(?s)histogram_quantile\(.*?(newsenrich_[a-z_]+)_bucket.*\)\s*>\s*([0-9.]+)\s*$`)
		n := 0
		for _, r := range loadAlerts(t) {
			mm := re.FindStringSubmatch(strings.TrimSpace(r.Expr))
			if mm == nil {
				continue
			}
			n++
			threshold, _ := strconv.ParseFloat(mm[2], 64)
			bounds := exp.Buckets[mm[1]]
			if len(bounds) == 0 {
				t.Errorf("%s: %s is not an exported histogram", r.Alert, mm[1])
				continue
			}
			if top := slices.Max(bounds); threshold >= top {
				t.Errorf("%s: threshold %g >= largest bucket %g of %s: it can never fire", r.Alert, threshold, top, mm[1])
			}
		}
		if n == 0 {
			t.Error("found no histogram_quantile alert to check")
		}
	})

	t.Run("README lists every exported newsenrich metric", func(t *testing.T) {
		docs := string(readFile(t, filepath.Join(repoRoot(t), "README.md")))
		documented := map[string]bool{}
		for _, mm := range regexp.MustCompile("`(newsenrich_[a-z0-9_]+)(?:\\{[^`]*\\})?`").FindAllStringSubmatch(docs, -1) {
			documented[mm[1]] = true
		}
		for name, f := range exp.Families {
			if !strings.HasPrefix(name, "newsenrich_") || strings.HasPrefix(name, "newsenrich_kafka_") {
				continue // kafka-go stats are documented as a group
			}
			if !documented[name] {
				t.Errorf("README.md does not document %s (%s)", name, f.GetType())
			}
		}
		for name := range documented {
			if strings.HasPrefix(name, "newsenrich_kafka_") {
				continue
			}
			if _, ok := exp.Families[name]; !ok && !strings.HasSuffix(name, "_bucket") {
				t.Errorf("README.md documents %s, which the worker does not export", name)
			}
		}
	})

	t.Run("deploy files set only settings the worker knows", func(t *testing.T) {
		known := w.knownEnv(t)
		for _, f := range []string{"compose.yaml", "kubernetes/configmap.yaml", "kubernetes/deployment.yaml", "Dockerfile"} {
			for _, mm := range regexp.MustCompile(`NEWSENRICH_[A-Z0-9_]+`).FindAllString(string(readFile(t, deployFile(t, f))), -1) {
				if strings.HasSuffix(mm, "_") {
					continue // a family in a comment, e.g. NEWSENRICH_SASL_*
				}
				if !known[mm] {
					t.Errorf("%s sets %s, which `newsenrich run -h` does not list", f, mm)
				}
			}
		}
	})

	t.Run("README lists every setting", func(t *testing.T) {
		docs := string(readFile(t, filepath.Join(repoRoot(t), "README.md")))
		for v := range w.knownEnv(t) {
			if !strings.Contains(docs, "`"+v+"`") {
				t.Errorf("README.md does not document %s", v)
			}
		}
	})

	t.Run("container healthcheck probe sees the worker healthy", func(t *testing.T) {
		for _, tc := range []struct {
			addr string
			ok   bool
		}{{w.httpAddr, true}, {closedAddr(t), false}} {
			cmd := exec.Command(w.healthcheck, "/healthz")
			cmd.Env = append(os.Environ(), "NEWSENRICH_HTTP_ADDR="+tc.addr)
			out, err := cmd.CombinedOutput()
			if (err == nil) != tc.ok {
				t.Errorf("healthcheck against %s: err=%v, want ok=%v (%s)", tc.addr, err, tc.ok, out)
			}
		}
	})

	t.Run("memory limit leaves room above the measured RSS", func(t *testing.T) {
		rss := gaugeValue(exp.Families["process_resident_memory_bytes"])
		if rss <= 0 {
			t.Fatal("process_resident_memory_bytes not exported")
		}
		limit := dep.Spec.Template.Spec.Containers[0].Resources.Limits.Memory().Value()
		t.Logf("resident memory after the sample articles: %.0f MiB; limit %d MiB", rss/(1<<20), limit>>20)
		if float64(limit) < 1.5*rss {
			t.Errorf("memory limit %d MiB is less than 1.5 x the %.0f MiB the worker uses idle after the samples", limit>>20, rss/(1<<20))
		}
	})

	t.Run("SIGTERM shuts down cleanly within the termination grace period", func(t *testing.T) {
		grace := time.Duration(*dep.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second
		start := time.Now()
		if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-w.done:
			t.Logf("exited (%v) %v after SIGTERM", w.exitErr, time.Since(start).Round(time.Millisecond))
			if w.exitErr != nil {
				t.Errorf("worker exit after SIGTERM: %v; log:\n%s", w.exitErr, tail(w.log.String(), 30))
			}
		case <-time.After(grace):
			t.Errorf("worker still running %v after SIGTERM: Kubernetes would SIGKILL it; log:\n%s", grace, tail(w.log.String(), 30))
		}
	})
}

func startLiveWorker(t *testing.T, config map[string]string, args []string) *liveWorker {
	t.Helper()
	dir := t.TempDir()
	root := repoRoot(t)
	w := &liveWorker{
		bin:         filepath.Join(dir, "newsenrich"),
		healthcheck: filepath.Join(dir, "healthcheck"),
		log:         &syncBuffer{},
		done:        make(chan struct{}),
	}
	// Built as the Dockerfile builds it: static, no cgo.
	for _, b := range []struct{ dir, out, pkg string }{
		{root, w.bin, "./cmd/newsenrich"},
		{filepath.Join(root, "deploy", "healthcheck"), w.healthcheck, "."},
	} {
		cmd := exec.Command("go", "build", "-o", b.out, b.pkg)
		cmd.Dir = b.dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}

	topics := map[string]string{}
	for _, k := range []string{"NEWSENRICH_INPUT_TOPIC", "NEWSENRICH_OUTPUT_TOPIC", "NEWSENRICH_DLQ_TOPIC"} {
		topics[k] = config[k]
	}
	brokers := testBrokers(t, topics)
	w.renamed = map[string]string{}
	for k, name := range topics {
		w.renamed[config[k]] = name
	}

	// The ConfigMap, with only the brokers, the HTTP address and (for real
	// test brokers) the topic names replaced.
	w.httpAddr = closedAddr(t)
	settings := maps.Clone(config)
	maps.Copy(settings, topics)
	settings["NEWSENRICH_BROKERS"] = strings.Join(brokers, ",")
	settings["NEWSENRICH_HTTP_ADDR"] = w.httpAddr
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEWSENRICH_") {
			env = append(env, kv)
		}
	}
	for k, v := range settings {
		env = append(env, k+"="+v)
	}

	w.records = publishSamples(t, brokers, topics["NEWSENRICH_INPUT_TOPIC"])

	w.cmd = exec.Command(w.bin, args...)
	// Like the container: a directory holding nothing but the binaries, so a
	// worker that needs files beside it fails here rather than in the image.
	w.cmd.Dir = dir
	w.cmd.Env = env
	w.cmd.Stdout = w.log
	w.cmd.Stderr = w.log
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w.exitErr = w.cmd.Wait()
		close(w.done)
	}()
	t.Cleanup(func() {
		select {
		case <-w.done:
		default:
			_ = w.cmd.Process.Kill()
			<-w.done
		}
		if t.Failed() {
			t.Logf("worker log (tail):\n%s", tail(w.log.String(), 40))
		}
	})
	return w
}

// waitProcessed waits until the worker is ready and has acknowledged an
// output (enriched or dead letter) for every published record. It returns
// the first /metrics scrape after readiness and the one taken at the end.
func (w *liveWorker) waitProcessed(t *testing.T) (first, last []byte) {
	t.Helper()
	base := "http://" + w.httpAddr
	deadline := time.Now().Add(startDeadline)
	for {
		if code, _ := get(base + "/readyz"); code == http.StatusOK {
			break
		}
		w.checkAlive(t, deadline, "answer /readyz with 200")
	}
	deadline = time.Now().Add(processDeadline)
	for {
		code, body := get(base + "/metrics")
		if code == http.StatusOK {
			exp, err := ParseExposition(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			acked := counterSum(exp.Families["newsenrich_producer_records_total"])
			_, lag := exp.Labels["newsenrich_consumer_lag_records"]
			if first == nil {
				first = body
			}
			if acked >= float64(w.records) && lag {
				return first, body
			}
		}
		w.checkAlive(t, deadline, fmt.Sprintf("acknowledge %d outputs and report lag", w.records))
	}
}

func (w *liveWorker) checkAlive(t *testing.T, deadline time.Time, what string) {
	t.Helper()
	select {
	case <-w.done:
		t.Fatalf("worker exited (%v) before it could %s; log:\n%s", w.exitErr, what, tail(w.log.String(), 40))
	case <-time.After(250 * time.Millisecond):
	}
	if time.Now().After(deadline) {
		t.Fatalf("worker did not %s in time; log:\n%s", what, tail(w.log.String(), 40))
	}
}

// withTopics rewrites quoted topic names in a query to the topics the
// worker actually used.
func (w *liveWorker) withTopics(query string) string {
	for from, to := range w.renamed {
		query = strings.ReplaceAll(query, `"`+from+`"`, `"`+to+`"`)
	}
	return query
}

// knownEnv lists the NEWSENRICH_* variables that `newsenrich run -h` names.
func (w *liveWorker) knownEnv(t *testing.T) map[string]bool {
	t.Helper()
	out, _ := exec.Command(w.bin, "run", "-h").CombinedOutput() // -h exits non-zero by flag convention
	known := map[string]bool{}
	for _, mm := range regexp.MustCompile(`\$(NEWSENRICH_[A-Z0-9_]+)`).FindAllStringSubmatch(string(out), -1) {
		known[mm[1]] = true
	}
	if len(known) < 10 {
		t.Fatalf("`newsenrich run -h` names only %d NEWSENRICH_* variables:\n%s", len(known), out)
	}
	return known
}

// testBrokers returns NEWSENRICH_TEST_BROKERS, with fresh topics named after
// the configured ones, or an in-process kfake cluster with the configured
// topics. The input topic gets 6 partitions like compose's.
func testBrokers(t *testing.T, topics map[string]string) []string {
	t.Helper()
	partitions := map[string]int32{"NEWSENRICH_INPUT_TOPIC": 6, "NEWSENRICH_OUTPUT_TOPIC": 6, "NEWSENRICH_DLQ_TOPIC": 1}
	if env := os.Getenv("NEWSENRICH_TEST_BROKERS"); env != "" {
		brokers := strings.Split(env, ",")
		cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		adm := kadm.NewClient(cl)
		suffix := fmt.Sprintf(".check-%d", time.Now().UnixNano())
		for k, name := range topics {
			topics[k] = name + suffix
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, err := adm.CreateTopic(ctx, partitions[k], -1, nil, topics[k])
			cancel()
			if err != nil {
				t.Fatalf("create topic %s: %v", topics[k], err)
			}
		}
		t.Cleanup(func() {
			cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
			if err != nil {
				return
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for _, name := range topics {
				_, _ = kadm.NewClient(cl).DeleteTopics(ctx, name)
			}
		})
		return brokers
	}
	opts := []kfake.Opt{kfake.NumBrokers(1)}
	for k, name := range topics {
		opts = append(opts, kfake.SeedTopics(partitions[k], name))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// publishSamples writes the repository's sample articles (internal/samples,
// the same files the compose feeder publishes) plus two records that must be
// dead-lettered, and returns how many records it wrote.
func publishSamples(t *testing.T, brokers []string, topic string) int {
	t.Helper()
	records := sampleArticles(t)
	records = append(records, []byte(`{"id": "broken`), []byte(`{"title": "an article without id or body"}`))
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topic), kgo.RequiredAcks(kgo.AllISRAcks()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var rs []*kgo.Record
	for _, r := range records {
		rs = append(rs, &kgo.Record{Value: r})
	}
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatalf("publish samples: %v", err)
	}
	return len(rs)
}

// sampleArticles reads every JSON value in internal/samples/*.json{,l}.
func sampleArticles(t *testing.T) [][]byte {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "internal", "samples")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json*"))
	var out [][]byte
	for _, f := range files {
		dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(readFile(t, f))))
		for {
			var raw json.RawMessage
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.Bytes())
		}
	}
	if len(out) == 0 {
		t.Fatalf("no sample articles in %s", dir)
	}
	return out
}

func get(url string) (int, []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// closedAddr returns a loopback address nothing listens on (yet).
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func counterSum(f *dto.MetricFamily) float64 {
	var s float64
	for _, m := range f.GetMetric() {
		s += m.GetCounter().GetValue()
	}
	return s
}

func gaugeValue(f *dto.MetricFamily) float64 {
	for _, m := range f.GetMetric() {
		return m.GetGauge().GetValue()
	}
	return 0
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// syncBuffer collects the worker's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// scrapeDB holds scrapes in a Prometheus TSDB and answers PromQL.
type scrapeDB struct {
	engine  *promql.Engine
	storage storage.Storage
	at      time.Time
}

const scrapeInterval = 15 * time.Second

// scrapeStorage loads the scrapes, scrapeInterval apart, labelled
// job="newsenrich" (the ServiceMonitor's and compose's job name).
func scrapeStorage(t *testing.T, scrapes ...[]byte) *scrapeDB {
	t.Helper()
	series := map[string][]string{}
	for i, raw := range scrapes {
		parser := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := parser.TextToMetricFamilies(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		for name, f := range fams {
			for _, m := range f.GetMetric() {
				for _, smp := range flatten(name, f.GetType(), m) {
					ls := labels.NewBuilder(smp.labels)
					ls.Set("job", "newsenrich")
					ls.Set("instance", "worker:8080")
					key := ls.Labels().String()
					if series[key] == nil {
						series[key] = slices.Repeat([]string{"_"}, len(scrapes))
					}
					series[key][i] = strconv.FormatFloat(smp.value, 'g', -1, 64)
				}
			}
		}
	}
	var load strings.Builder
	fmt.Fprintf(&load, "load %s\n", scrapeInterval)
	for _, k := range slices.Sorted(maps.Keys(series)) {
		fmt.Fprintf(&load, "  %s %s\n", k, strings.Join(series[k], " "))
	}
	return &scrapeDB{
		engine:  promqltest.NewTestEngine(t, false, 5*time.Minute, 10_000_000),
		storage: promqltest.LoadedStorage(t, load.String()),
		at:      time.Unix(0, 0).Add(time.Duration(len(scrapes)-1) * scrapeInterval),
	}
}

// query runs an instant query at the last scrape and returns how many
// series (or 1 for a scalar) it yields.
func (db *scrapeDB) query(t *testing.T, expr string) int {
	t.Helper()
	q, err := db.engine.NewInstantQuery(context.Background(), db.storage, nil, expr, db.at)
	if err != nil {
		t.Errorf("%s: %v", expr, err)
		return -1
	}
	defer q.Close()
	res := q.Exec(context.Background())
	if res.Err != nil {
		t.Errorf("%s: %v", expr, res.Err)
		return -1
	}
	switch v := res.Value.(type) {
	case promql.Vector:
		return len(v)
	case promql.Matrix:
		return len(v)
	case promql.Scalar:
		return 1
	}
	return 0
}

type sample struct {
	labels labels.Labels
	value  float64
}

// flatten turns one exposition metric into the float series Prometheus
// stores for it (classic histograms and summaries as several series).
func flatten(name string, typ dto.MetricType, m *dto.Metric) []sample {
	base := labels.NewBuilder(labels.EmptyLabels())
	for _, lp := range m.GetLabel() {
		base.Set(lp.GetName(), lp.GetValue())
	}
	with := func(series string, extra ...string) labels.Labels {
		b := labels.NewBuilder(base.Labels())
		b.Set(labels.MetricName, series)
		for i := 0; i+1 < len(extra); i += 2 {
			b.Set(extra[i], extra[i+1])
		}
		return b.Labels()
	}
	switch typ {
	case dto.MetricType_COUNTER:
		return []sample{{with(name), m.GetCounter().GetValue()}}
	case dto.MetricType_GAUGE:
		return []sample{{with(name), m.GetGauge().GetValue()}}
	case dto.MetricType_UNTYPED:
		return []sample{{with(name), m.GetUntyped().GetValue()}}
	case dto.MetricType_HISTOGRAM:
		h := m.GetHistogram()
		out := []sample{{with(name + "_sum"), h.GetSampleSum()}, {with(name + "_count"), float64(h.GetSampleCount())}}
		inf := false
		for _, b := range h.GetBucket() {
			le := strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64)
			if math.IsInf(b.GetUpperBound(), +1) {
				le, inf = "+Inf", true
			}
			out = append(out, sample{with(name+"_bucket", "le", le), float64(b.GetCumulativeCount())})
		}
		if !inf {
			out = append(out, sample{with(name+"_bucket", "le", "+Inf"), float64(h.GetSampleCount())})
		}
		return out
	case dto.MetricType_SUMMARY:
		sm := m.GetSummary()
		out := []sample{{with(name + "_sum"), sm.GetSampleSum()}, {with(name + "_count"), float64(sm.GetSampleCount())}}
		for _, q := range sm.GetQuantile() {
			out = append(out, sample{with(name, "quantile", strconv.FormatFloat(q.GetQuantile(), 'g', -1, 64)), q.GetValue()})
		}
		return out
	}
	return nil
}

// expandGrafanaAll expands the dashboard's variables as Grafana does with
// "All" selected: every label regex matches everything.
func expandGrafanaAll(expr string) string {
	return grafanaVar.ReplaceAllStringFunc(expr, func(v string) string {
		name := strings.Trim(v, "${}")
		name, _, _ = strings.Cut(name, ":")
		if strings.HasPrefix(name, "__") {
			return ExpandGrafana(v)
		}
		return ".*"
	})
}

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/redrive"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// outcome is what became of one input id on the output or dead-letter topic.
type outcome struct {
	kind    string // "enriched", "passed" or a dead-letter reason
	redrive string // newsenrich-redrive-count of the dead letter
}

// feedsOutputs reads the output and dead-letter topics from the start and
// keeps the latest outcome per id.
type feedsOutputs struct {
	mu  sync.Mutex
	by  map[string][]outcome
	cl  *kgo.Client
	end chan struct{}
}

func readOutputs(t *testing.T, brokers []string, output, dlq string) *feedsOutputs {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(output, dlq),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	o := &feedsOutputs{by: map[string][]outcome{}, cl: cl, end: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(o.end)
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(func(r *kgo.Record) {
				o.add(r, r.Topic == dlq)
			})
		}
	}()
	t.Cleanup(func() { cancel(); <-o.end; cl.Close() })
	return o
}

func (o *feedsOutputs) add(r *kgo.Record, dead bool) {
	var oc outcome
	id := string(r.Key)
	if dead {
		for _, h := range r.Headers {
			switch h.Key {
			case event.HeaderError:
				oc.kind = string(h.Value)
			case event.HeaderRedriveCount:
				oc.redrive = string(h.Value)
			}
		}
	} else {
		var ev event.Enriched
		if json.Unmarshal(r.Value, &ev) != nil {
			oc.kind = "unreadable event"
		} else if oc.kind = metrics.OutcomeEnriched; ev.Enrichment.Skipped != "" {
			oc.kind = metrics.OutcomePassed
		}
	}
	o.mu.Lock()
	o.by[id] = append(o.by[id], oc)
	o.mu.Unlock()
}

// latest counts the last outcome of every id.
func (o *feedsOutputs) latest() (map[string]int, map[string]outcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	counts, last := map[string]int{}, map[string]outcome{}
	for id, ocs := range o.by {
		last[id] = ocs[len(ocs)-1]
		counts[last[id].kind]++
	}
	return counts, last
}

// waitFor polls until the outputs of n ids are in, or fails.
func (o *feedsOutputs) waitFor(t *testing.T, n int, cond func(map[string]int) bool) map[string]outcome {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		counts, last := o.latest()
		if len(last) >= n && cond(counts) {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("outputs after 90s: %v (%d ids, want %d)", counts, len(last), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startFeedsWorker runs the real worker in-process with the stage-less
// processor: what is under test is the path from wire shapes to topics.
func startFeedsWorker(t *testing.T, e *Env, name string, tweak func(*config.Config)) (stop func(), m *metrics.Metrics) {
	t.Helper()
	cfg := config.Default()
	cfg.Brokers, cfg.InputTopic, cfg.OutputTopic, cfg.DLQTopic, cfg.Group = e.Brokers, e.Input, e.Output, e.DLQ, e.Group
	cfg.HTTPAddr, cfg.ClientID = "", name
	cfg.CommitInterval, cfg.LagInterval, cfg.ShutdownTimeout = 200*time.Millisecond, time.Second, 10*time.Second
	cfg.Concurrency = 2
	tweak(&cfg)
	m = metrics.New(metrics.Topics{Input: cfg.InputTopic, Output: cfg.OutputTopic, DLQ: cfg.DLQTopic}, metrics.Build{Version: "test"})
	proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}, Version: "test", Model: "none"}, nil, nil, nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})).With("worker", name)
	}
	w, err := worker.New(cfg, log, m, proc, worker.WithGroupTiming(300*time.Millisecond, 6*time.Second, 5*time.Second), worker.WithMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("worker %s: %v", name, err)
			}
		})
	}
	t.Cleanup(stop)
	return stop, m
}

func goldenFeed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "processor", "decode", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFeedsMixedBatchAndRedrive sends what real wires deliver — plain dates,
// RFC 822 dates, epoch numbers, source objects, RSS items, Atom entries,
// French and German articles — with poison records, and checks the exact
// counts of enriched, passed-through and dead-lettered records. Then the
// configuration changes (a larger --max-bytes) and a re-drive of the
// too_large dead letters brings them back as events, while a re-drive of
// records that still fail stops at --max-redrives.
func TestFeedsMixedBatchAndRedrive(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	e := NewEnv(t, brokers, 2)
	out := readOutputs(t, brokers, e.Output, e.DLQ)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	english := "The city council met on Monday evening to vote on next year's budget. The mayor said local taxes would not be raised this year."
	art := func(id, extra string) Record {
		return Record{ID: id, Class: "article", Value: []byte(fmt.Sprintf(`{"id":%q,"body":%q%s}`, id, english, extra))}
	}
	rss := goldenFeed(t, "rss_item.xml")
	atom := goldenFeed(t, "atom_entry.xml")
	var recs []Record
	for i, extra := range []string{
		`,"published_at":"2019-01-26"`,
		`,"published_at":"Thu, 07 Feb 2019 10:00:00 GMT","language":"eng"`,
		`,"published_at":"2019-02-07T10:00:00","source":{"name":"Wikinews"}`,
		`,"published_at":1549533600000,"authors":[{"name":"Jo Smith"}]`,
		`,"published_at":"next Tuesday","language":"English"`,
	} {
		recs = append(recs, art(fmt.Sprintf("plain-%d", i), extra))
	}
	for i := range 3 {
		id := fmt.Sprintf("rss-%d", i)
		recs = append(recs, Record{ID: id, Class: "article", Value: []byte(strings.Replace(rss, "example-wire-2026-0042", id, 1))})
		id = fmt.Sprintf("atom-%d", i)
		recs = append(recs, Record{ID: id, Class: "article", Value: []byte(strings.Replace(atom, "tag:news.example.com,2026:bridge", id, 1))})
	}
	for i, body := range []string{
		"Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année prochaine. La maire a déclaré que les impôts locaux ne seraient pas augmentés.",
		"Der Stadtrat hat am Montagabend den Haushalt für das kommende Jahr beschlossen. Die Bürgermeisterin sagte, die Steuern würden nicht erhöht.",
	} {
		recs = append(recs, Record{ID: fmt.Sprintf("other-%d", i), Class: "article", Value: []byte(fmt.Sprintf(`{"id":"other-%d","body":%q}`, i, body))})
		recs = append(recs, Record{ID: fmt.Sprintf("other-tagged-%d", i), Class: "article",
			Value: []byte(fmt.Sprintf(`{"id":"other-tagged-%d","body":%q,"language":%q}`, i, body, []string{"French", "deu"}[i]))})
	}
	const maxBytes = 4096
	big := strings.Repeat(english+" ", maxBytes/len(english)+1)
	poison := []Record{
		{ID: "poison-truncated", Value: []byte(`{"id":"poison-truncated","body":"cut off`)},
		{ID: "poison-no-body", Value: []byte(`{"id":"poison-no-body","title":"Headline only"}`)},
		{ID: "poison-feed", Value: []byte(`<rss version="2.0"><channel><item><guid>a</guid><description>x</description></item></channel></rss>`)},
		{ID: "poison-utf8", Value: []byte("{\"id\":\"poison-utf8\",\"body\":\"caf\xc3\x28\"}")},
		{ID: "big-0", Value: []byte(fmt.Sprintf(`{"id":"big-0","body":%q}`, big))},
		{ID: "big-1", Value: []byte(fmt.Sprintf(`<item><guid>big-1</guid><description>%s</description></item>`, big))},
	}
	recs = append(recs, poison...)
	e.Produce(ctx, recs)

	stop, m := startFeedsWorker(t, e, "feeds-1", func(c *config.Config) { c.MaxBytes = maxBytes })
	last := out.waitFor(t, len(recs), func(c map[string]int) bool { return true })
	counts, _ := out.latest()
	want := map[string]int{
		metrics.OutcomeEnriched:       11, // 5 JSON with every date form, 3 RSS items, 3 Atom entries
		metrics.OutcomePassed:         4,  // French and German, detected or named
		event.ReasonInvalidJSON:       1,
		event.ReasonMissingField:      1,
		event.ReasonUnsupportedFormat: 1,
		event.ReasonInvalidUTF8:       1,
		event.ReasonTooLarge:          2,
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("outcomes %v, want %v\nper id: %v", counts, want, last)
	}
	for _, id := range []string{"other-0", "other-tagged-0", "other-1", "other-tagged-1"} {
		if last[id].kind != metrics.OutcomePassed {
			t.Errorf("%s: %v, want passed", id, last[id])
		}
	}
	// The worker counts what it decided.
	waitMetric(t, func() float64 { return counterValue(m.Articles.WithLabelValues(metrics.OutcomeDeadLetter)) }, 6)
	if got := counterValue(m.OtherLanguage.WithLabelValues(metrics.ActionPassed)); got != 4 {
		t.Errorf("processor_other_language_total{action=passed} = %v, want 4", got)
	}
	if got := counterValue(m.DecodeWarnings.WithLabelValues(decode.FieldPublishedAt)); got != 2 {
		t.Errorf("decode_warnings_total{field=published_at} = %v, want 2 (no zone, unreadable)", got)
	}
	stop()

	// The fix: a larger --max-bytes. Re-driving the too_large dead letters
	// brings both articles back as events.
	startFeedsWorker(t, e, "feeds-2", func(c *config.Config) { c.MaxBytes = 1 << 20 })
	var progress strings.Builder
	rc := redrive.Config{Brokers: brokers, DLQTopic: e.DLQ, InputTopic: e.Input, ClientID: "redrive-test",
		Reason: event.ReasonTooLarge, MaxRedrives: 1}
	dry := rc
	dry.DryRun = true
	sum, err := redrive.Run(ctx, dry, &progress)
	if err != nil || sum.Matched != 2 || sum.Redriven != 2 || sum.Scanned != 6 {
		t.Fatalf("dry run: %+v, %v\n%s", sum, err, progress.String())
	}
	sum, err = redrive.Run(ctx, rc, &progress)
	if err != nil || sum.Redriven != 2 || len(sum.Skipped) != 0 {
		t.Fatalf("re-drive: %+v, %v\n%s", sum, err, progress.String())
	}
	last = out.waitFor(t, len(recs), func(c map[string]int) bool { return c[metrics.OutcomeEnriched] == 13 })
	for _, id := range []string{"big-0", "big-1"} {
		if last[id].kind != metrics.OutcomeEnriched {
			t.Errorf("%s after re-drive: %v", id, last[id])
		}
	}

	// Records that still fail come back as dead letters carrying their
	// re-drive count, and the next re-drive skips them: no loop.
	rc.Reason = event.ReasonInvalidJSON
	if sum, err = redrive.Run(ctx, rc, &progress); err != nil || sum.Redriven != 1 {
		t.Fatalf("re-drive invalid_json: %+v, %v", sum, err)
	}
	out.waitFor(t, len(recs), func(map[string]int) bool {
		_, l := out.latest()
		return l["poison-truncated"].redrive == "1"
	})
	if sum, err = redrive.Run(ctx, rc, &progress); err != nil || sum.Redriven != 1 || len(sum.Skipped) != 1 {
		t.Fatalf("second re-drive: %+v, %v\n%s", sum, err, progress.String())
	}
	t.Logf("re-drive output:\n%s", progress.String())
}

func waitMetric(t *testing.T, get func() float64, want float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for get() != want {
		if time.Now().After(deadline) {
			t.Fatalf("metric %v, want %v", get(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// TestFeedsDropPolicyCommits: with --other-languages=drop an article in
// another language leaves no record anywhere, yet its offset is committed
// like every other.
func TestFeedsDropPolicyCommits(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	e := NewEnv(t, brokers, 1)
	out := readOutputs(t, brokers, e.Output, e.DLQ)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fr := "Le conseil municipal s'est réuni lundi soir pour voter le budget de l'année prochaine. La maire a déclaré que les impôts locaux ne seraient pas augmentés."
	recs := []Record{
		{ID: "fr-0", Value: []byte(fmt.Sprintf(`{"id":"fr-0","body":%q}`, fr))},
		{ID: "en-0", Value: []byte(`{"id":"en-0","body":"The council met on Monday and agreed the budget for next year."}`)},
		{ID: "fr-1", Value: []byte(fmt.Sprintf(`{"id":"fr-1","body":%q,"language":"fra"}`, fr))},
	}
	e.Produce(ctx, recs)
	_, m := startFeedsWorker(t, e, "drop-1", func(c *config.Config) { c.OtherLanguages = "drop" })
	waitMetric(t, func() float64 { return counterValue(m.Articles.WithLabelValues(metrics.OutcomeDropped)) }, 2)
	waitMetric(t, func() float64 { return counterValue(m.Articles.WithLabelValues(metrics.OutcomeEnriched)) }, 1)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := e.Committed(ctx)
		if err == nil && c[0] == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("committed %v (%v), want offset 3 on partition 0", c, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out.waitFor(t, 1, func(map[string]int) bool { return true })
	if counts, last := out.latest(); len(last) != 1 || counts[metrics.OutcomeEnriched] != 1 {
		t.Fatalf("outputs %v, want only en-0 enriched", last)
	}
	if got := counterValue(m.OtherLanguage.WithLabelValues(metrics.ActionDropped)); got != 2 {
		t.Errorf("processor_other_language_total{action=dropped} = %v, want 2", got)
	}
}

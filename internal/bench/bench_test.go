package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"50MB", 50_000_000, false},
		{"50mb", 50_000_000, false},
		{"1.5GB", 1_500_000_000, false},
		{"512KiB", 512 << 10, false},
		{"2MiB", 2 << 20, false},
		{"1000", 1000, false},
		{"10B", 10, false},
		{"lots", 0, true},
		{"-1MB", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseSize(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d (bad=%v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 100; i++ {
		v = append(v, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 95: 95, 99: 99, 100: 100, 1: 1} {
		if got := Percentile(v, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if Percentile(nil, 99) != 0 {
		t.Error("empty")
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("single value: %v", got)
	}
}

func testCorpus(t *testing.T) *Corpus {
	t.Helper()
	c := &Corpus{}
	c.AddRaw("repo", samples.All())
	c.AddRaw("bad", [][]byte{[]byte(`{"id":"x"}`), []byte(`not json`)})
	if len(c.Records) == 0 || c.Skipped != 2 {
		t.Fatalf("records=%d skipped=%d", len(c.Records), c.Skipped)
	}
	return c
}

func TestCorpusCycling(t *testing.T) {
	c := testCorpus(t)
	total := c.Bytes()
	if n := c.Count(total); n != len(c.Records) {
		t.Errorf("Count(one pass) = %d, want %d", n, len(c.Records))
	}
	if n := c.Count(2*total + 1); n != 2*len(c.Records)+1 {
		t.Errorf("Count(two passes + 1 byte) = %d", n)
	}
	if c.At(len(c.Records)) != c.At(0) {
		t.Error("At does not cycle")
	}
	s := c.Sample(5)
	if len(s.Records) != 5 {
		t.Errorf("Sample(5) has %d", len(s.Records))
	}
	if c.Words() <= 0 {
		t.Error("no words counted")
	}
}

func TestUniqueStampsID(t *testing.T) {
	c := testCorpus(t)
	for i := 0; i < len(c.Records); i++ {
		raw := c.Unique(i, ID(1000+i))
		var a struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if a.ID != ID(1000+i) || a.Body == "" {
			t.Fatalf("record %d: id %q body %d bytes", i, a.ID, len(a.Body))
		}
	}
	if seq, ok := seqOf([]byte(ID(42))); !ok || seq != 42 {
		t.Errorf("seqOf = %d, %v", seq, ok)
	}
	if _, ok := seqOf([]byte("other-1")); ok {
		t.Error("seqOf accepted a foreign key")
	}
}

// countingProc fails every third record and counts calls.
type countingProc struct{ calls atomic.Int64 }

func (p *countingProc) Process(raw []byte, _ processor.Observer) (event.Enriched, error) {
	if p.calls.Add(1)%3 == 0 {
		return event.Enriched{}, errors.New("boom")
	}
	return event.Enriched{}, nil
}

type countProgress struct{ n atomic.Int64 }

func (c *countProgress) Add(n int) error { c.n.Add(int64(n)); return nil }

func TestRunProcessorCountsEverything(t *testing.T) {
	c := testCorpus(t)
	p := &countingProc{}
	prog := &countProgress{}
	n := 3*len(c.Records) + 7
	r := RunProcessor(context.Background(), "processor", p, c, n, 2, prog)
	if r.Articles != n || int(p.calls.Load()) != n || int(prog.n.Load()) != n {
		t.Fatalf("articles=%d calls=%d progress=%d, want %d", r.Articles, p.calls.Load(), prog.n.Load(), n)
	}
	if r.Errors != n/3 {
		t.Errorf("errors=%d, want %d", r.Errors, n/3)
	}
	var words, bytes int64
	for i := 0; i < n; i++ {
		words += int64(c.At(i).Words)
		bytes += int64(len(c.At(i).Raw))
	}
	if r.Words != words || r.Bytes != bytes {
		t.Errorf("words=%d bytes=%d, want %d %d", r.Words, r.Bytes, words, bytes)
	}
	if r.WordsPerSec <= 0 || r.P99 < r.P50 {
		t.Errorf("rates/latencies not filled: %+v", r)
	}
}

func TestTableAndTargets(t *testing.T) {
	rows := []Result{
		{Mode: "processor", Workers: 1, Articles: 10, WordsPerSec: 300000, P50: 0.1, P99: 0.5, PeakRSSMiB: 40},
		{Mode: "processor", Workers: 2, Articles: 10, WordsPerSec: 500000, P50: 0.1, P99: 0.5},
		{Mode: "worker kfake", Workers: 2, Articles: 10, WordsPerSec: 350000, PeakRSSMiB: 100},
		{Mode: "worker kfake @50%", Workers: 2, Articles: 10, WordsPerSec: 175000, P50: 2, P99: 12},
		{Mode: ModeProseReused, Workers: 1, Articles: 10, WordsPerSec: 7000, P50: 40, P99: 90},
		{Mode: ModeProseNaive, Workers: 1, Articles: 2, WordsPerSec: 700, P50: 400, P99: 500},
	}
	var buf bytes.Buffer
	WriteTable(&buf, rows)
	out := buf.String()
	for _, want := range []string{"42.9x", "428.6x", "1.0x", "worker kfake @50%"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	want := []bool{true, true, false, false, true} // 300k, 42.9x, 70%, 12 ms, 105 MB
	i := 0
	for _, tg := range Targets(rows, "worker kfake", "worker kfake @50%", 2) {
		if !tg.Known {
			t.Errorf("target %q not evaluated", tg.Name)
		}
		if tg.Met != want[i] {
			t.Errorf("%s: met=%v, want %v (measured %s)", tg.Name, tg.Met, want[i], tg.Measured)
		}
		i++
	}
	WriteTargets(io.Discard, Targets(nil, "worker kfake", "worker kfake @50%", 2))
}

type passProc struct{}

func (passProc) Process(raw []byte, _ processor.Observer) (event.Enriched, error) {
	var a event.Article
	if err := json.Unmarshal(raw, &a); err != nil {
		return event.Enriched{}, &processor.Error{Reason: event.ReasonInvalidJSON, Detail: err.Error()}
	}
	return event.Enriched{ID: a.ID, Body: a.Body, Language: "en"}, nil
}

// A small drain and paced run through the real worker over the embedded
// broker: every record comes back exactly once and latencies are filled.
func TestWorkerOverEmbeddedBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a broker and a worker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	addrs, stop, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c := testCorpus(t)
	tp := NewTopics("benchtest")
	n := 2 * len(c.Records)
	load, err := NewLoad(ctx, addrs, tp, 2, n)
	if err != nil {
		t.Fatal(err)
	}
	defer load.Close()
	if err := load.Backlog(ctx, c, n, nil); err != nil {
		t.Fatal(err)
	}
	cctx, stopCollect := context.WithCancel(ctx)
	defer stopCollect()
	go load.Collect(cctx, n, nil)

	wctx, stopWorker := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- RunWorker(wctx, WorkerConfig(addrs, tp, 2), passProc{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	if err := load.WaitFor(ctx, n, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	drain := load.DrainResult("worker kfake", c, n, 2)
	if drain.Articles <= 0 || drain.Articles >= n || drain.ArticlesPerSec <= 0 {
		t.Errorf("drain %+v", drain)
	}
	m := 50
	load.Grow(n + m)
	t0 := time.Now()
	if err := load.Paced(ctx, c, n, m, 200); err != nil {
		t.Fatal(err)
	}
	if err := load.WaitFor(ctx, n+m, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	paced := load.PacedResult("worker kfake @50%", c, n, m, 2, 200, time.Since(t0))
	if paced.Articles != m || paced.P99 < paced.P50 || paced.WrittenP99 <= 0 {
		t.Errorf("paced %+v", paced)
	}
	stopWorker()
	if err := <-done; err != nil {
		t.Errorf("worker: %v", err)
	}
	if d := load.Duplicates(); d != 0 {
		t.Errorf("%d duplicates in a clean run", d)
	}
}

// The baseline modes build prose's entity recogniser alone whatever
// --engine says; the other modes build the named engine of the registry.
func TestEngineProcessorModes(t *testing.T) {
	raw := []byte(`{"id":"a","body":"Mark Rutte met Donald Trump in Florida. \"We talked about NATO,\" Rutte said on Friday."}`)
	tests := []struct {
		mode, engine     string
		entities, quotes bool
	}{
		{ModeProseReused, "none", true, false},
		{ModeProseNaive, "none", true, false},
		{"processor", "none", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.mode+"/"+tc.engine, func(t *testing.T) {
			p, err := EngineProcessor(tc.mode, tc.engine, processor.Config{})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := p.Process(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if (len(ev.Entities) > 0) != tc.entities || (len(ev.Quotes) > 0) != tc.quotes {
				t.Errorf("%d entities, %d quotes", len(ev.Entities), len(ev.Quotes))
			}
		})
	}
	if _, err := EngineProcessor("processor", "spacy", processor.Config{}); err == nil {
		t.Error("unknown engine accepted")
	}
}

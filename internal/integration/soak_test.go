package integration

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// TestSoak runs the worker at a steady load over a real broker for
// NEWSENRICH_SOAK_DURATION (make soak; skipped otherwise), sampling its RSS,
// goroutines, GC pauses and lag, and fails if one of them keeps growing or a
// record has no output at the end. Accounting is by event id only, so the
// test itself stays small however long it runs.
func TestSoak(t *testing.T) {
	dur, err := time.ParseDuration(os.Getenv("NEWSENRICH_SOAK_DURATION"))
	if err != nil || dur <= 0 {
		t.Skip("set NEWSENRICH_SOAK_DURATION (make soak)")
	}
	rate := 800 // about half of the worker's measured peak over a broker (docs/bench.md)
	if v, err := strconv.Atoi(os.Getenv("NEWSENRICH_SOAK_RATE")); err == nil && v > 0 {
		rate = v
	}
	every := 10 * time.Second
	if v, err := time.ParseDuration(os.Getenv("NEWSENRICH_SOAK_SAMPLE")); err == nil && v > 0 {
		every = v
	}
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), dur+5*time.Minute)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ProducerLinger(2*time.Millisecond))
	must(t, err)
	defer cl.Close()
	adm := kadm.NewClient(cl)
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	in, out, dlq, group := "soak.in."+suffix, "soak.out."+suffix, "soak.dlq."+suffix, "soak.g."+suffix
	for _, tp := range []string{in, out, dlq} {
		resp, err := adm.CreateTopic(ctx, 3, 1, nil, tp)
		if err == nil {
			err = resp.Err
		}
		must(t, err)
	}
	defer func() { _, _ = adm.DeleteTopics(context.Background(), in, out, dlq) }()

	w := StartWorker(t, "soak", []string{
		"NEWSENRICH_BROKERS=" + strings.Join(brokers, ","), "NEWSENRICH_INPUT_TOPIC=" + in,
		"NEWSENRICH_OUTPUT_TOPIC=" + out, "NEWSENRICH_DLQ_TOPIC=" + dlq, "NEWSENRICH_GROUP=" + group,
		"NEWSENRICH_LOG_LEVEL=warn", "NEWSENRICH_LOG_FORMAT=json",
	})
	must(t, w.WaitReady(ctx))

	// Outputs, by event id.
	var mu sync.Mutex
	seen := map[string]bool{}
	outs, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(out, dlq),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	must(t, err)
	defer outs.Close()
	var dups atomic.Int64
	go func() {
		for ctx.Err() == nil {
			fs := outs.PollFetches(ctx)
			fs.EachRecord(func(r *kgo.Record) {
				for _, h := range r.Headers {
					if h.Key == event.HeaderEventID {
						mu.Lock()
						if seen[string(h.Value)] {
							dups.Add(1)
						}
						seen[string(h.Value)] = true
						mu.Unlock()
					}
				}
			})
		}
	}()

	// Input at a steady rate, 20 batches a second.
	arts := Articles(t, "soak", 2000)
	var produced []string
	var pmu sync.Mutex
	prodDone := make(chan struct{})
	go func() {
		defer close(prodDone)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		end := time.Now().Add(dur)
		i := 0
		for time.Now().Before(end) && ctx.Err() == nil {
			<-tick.C
			n := max(1, rate/20)
			recs := make([]*kgo.Record, n)
			for j := range recs {
				a := arts[(i+j)%len(arts)]
				recs[j] = &kgo.Record{Topic: in, Key: []byte(a.ID), Value: a.Value, Timestamp: time.Now()}
			}
			i += n
			res := cl.ProduceSync(ctx, recs...)
			if err := res.FirstErr(); err != nil {
				t.Errorf("produce: %v", err)
				return
			}
			pmu.Lock()
			for _, r := range res {
				produced = append(produced, event.EventID(r.Record.Topic, int(r.Record.Partition), r.Record.Offset))
			}
			pmu.Unlock()
		}
	}()

	type sample struct {
		at                     time.Duration
		rss, goroutines, lag   float64
		gcPauseMax, gcPauseSum float64
	}
	var samples []sample
	start := time.Now()
	metric := func(name, match string) float64 { v, _ := w.Metric(name, match); return v }
	tick := time.NewTicker(every)
sampling:
	for {
		select {
		case <-prodDone:
			break sampling
		case <-tick.C:
		}
		s := sample{at: time.Since(start).Round(time.Second), rss: metric("process_resident_memory_bytes", ""),
			goroutines: metric("go_goroutines", ""), lag: metric("newsenrich_consumer_lag_records", ""),
			gcPauseMax: metric("go_gc_duration_seconds", `quantile="1"`), gcPauseSum: metric("go_gc_duration_seconds_sum", "")}
		samples = append(samples, s)
		t.Logf("soak %6s: rss %5.1f MiB, goroutines %3.0f, lag %5.0f, max GC pause %.2f ms, GC pause total %.0f ms",
			s.at, s.rss/(1<<20), s.goroutines, s.lag, s.gcPauseMax*1000, s.gcPauseSum*1000)
		if !w.Running() {
			t.Fatalf("worker exited: %v", w.ExitErr())
		}
	}
	tick.Stop()

	// Every produced record has an output.
	pmu.Lock()
	want := produced
	pmu.Unlock()
	var missing []string
	for deadline := time.Now().Add(2 * time.Minute); ; {
		missing = missing[:0]
		mu.Lock()
		for _, id := range want {
			if !seen[id] {
				missing = append(missing, id)
			}
		}
		mu.Unlock()
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if _, err := w.Stop(30 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}
	sort.Strings(missing)
	line := fmt.Sprintf("SOAK %s at %d articles/s: in=%d missing=%d duplicates=%d", dur, rate, len(want), len(missing), dups.Load())
	if len(samples) >= 4 {
		q := len(samples) / 4
		mean := func(ss []sample, f func(sample) float64) float64 {
			var s float64
			for _, x := range ss {
				s += f(x)
			}
			return s / float64(len(ss))
		}
		early, late := samples[q:2*q], samples[len(samples)-q:]
		for _, m := range []struct {
			name  string
			f     func(sample) float64
			slack float64 // growth allowed on top of 25%
		}{
			{"rss", func(s sample) float64 { return s.rss }, 16 << 20},
			{"goroutines", func(s sample) float64 { return s.goroutines }, 10},
			{"lag", func(s sample) float64 { return s.lag }, float64(2 * rate)},
		} {
			e, l := mean(early, m.f), mean(late, m.f)
			line += fmt.Sprintf(" %s %.0f->%.0f", m.name, e, l)
			if l > 1.25*e+m.slack {
				t.Errorf("%s grows: mean %.0f in the second quarter, %.0f in the last", m.name, e, l)
			}
		}
		var maxPause float64
		for _, s := range samples {
			maxPause = max(maxPause, s.gcPauseMax)
		}
		line += fmt.Sprintf(" max_gc_pause=%.2fms", maxPause*1000)
	} else {
		t.Errorf("only %d samples: run longer than 4 sample intervals (%v)", len(samples), every)
	}
	t.Log(line)
	if p := os.Getenv("NEWSENRICH_FAULT_SUMMARY"); p != "" {
		if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(f, line)
			f.Close()
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d records without output, first %v", len(missing), head(missing, 10))
	}
}

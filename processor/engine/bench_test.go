package engine

import (
	"sync"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/text"
)

// benchCorpus is the repo's sample articles with their word counts (as
// score.py counts words: whitespace-separated).
type benchRecord struct {
	raw   []byte
	words int
}

func loadBenchCorpus(b *testing.B) []benchRecord {
	b.Helper()
	var out []benchRecord
	for _, raw := range samples.All() {
		art, err := decode.Decode(raw, decode.Limits{})
		if err != nil {
			continue
		}
		out = append(out, benchRecord{raw: raw, words: text.CountWords(art.Body)})
	}
	if len(out) == 0 {
		b.Fatal("no sample articles")
	}
	return out
}

func newBenchProcessor(b *testing.B) *processor.Processor {
	b.Helper()
	p, err := New(processor.Config{Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkProcessor is the whole processor, one article per op, cycling
// through the sample articles. words/s is the headline speed figure.
func BenchmarkProcessor(b *testing.B) {
	corpus := loadBenchCorpus(b)
	p := newBenchProcessor(b)
	words := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := corpus[i%len(corpus)]
		if _, err := p.Process(r.raw, nil); err != nil {
			b.Fatal(err)
		}
		words += r.words
	}
	b.ReportMetric(float64(words)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkStage times each stage inside the real processor through its
// Observer, so a stage is measured on exactly the input it gets in
// production. ns/op is still the whole article; stage-ns/op and words/s are
// the stage's own.
func BenchmarkStage(b *testing.B) {
	corpus := loadBenchCorpus(b)
	p := newBenchProcessor(b)
	for _, stage := range []string{processor.StageDecode, processor.StageTokenize, processor.StageEntities,
		processor.StageQuotes, processor.StageTopics} {
		b.Run(stage, func(b *testing.B) {
			var mu sync.Mutex
			var spent time.Duration
			seen := false
			obs := func(s string, d time.Duration) {
				if s == stage {
					mu.Lock()
					spent += d
					seen = true
					mu.Unlock()
				}
			}
			words := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := corpus[i%len(corpus)]
				if _, err := p.Process(r.raw, obs); err != nil {
					b.Fatal(err)
				}
				words += r.words
			}
			if !seen {
				b.Skipf("stage %s is not wired into engine.New yet", stage)
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "stage-ns/op")
			if spent > 0 {
				b.ReportMetric(float64(words)/spent.Seconds(), "words/s")
			}
		})
	}
}

// BenchmarkNew is the processor's start-up (every stage's model loaded);
// the target is well under a second.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		newBenchProcessor(b)
	}
}

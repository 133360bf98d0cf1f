package worker_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/samples"
	"github.com/newsenrich/newsenrich/metrics"
)

// BenchmarkPipeline measures the worker's own overhead — fetch, lanes,
// acks=all writes, offset tracking and commits — with the processor core
// but no NLP stages, over the wire to the test broker. One op is one sample
// article from fetch to committed offset; the clock starts when the worker
// does, so the group join is included.
func BenchmarkPipeline(b *testing.B) {
	e := newEnv(b, 4)
	sample := samples.All()
	recs := make([]*kgo.Record, b.N)
	for i := range recs {
		recs[i] = &kgo.Record{Topic: e.in, Key: []byte(fmt.Sprint(i)), Value: sample[i%len(sample)]}
	}
	kafkatest.Produce(b, e.brokers, recs...)
	b.ResetTimer()
	t0 := time.Now()
	r := startWith(b, e, "bench", 0, func(c *config.Config) { c.Concurrency = 2; c.MaxInflight = 256 })
	waitFor(b, "every offset committed", 5*time.Minute, func() bool {
		return kafkatest.Sum(kafkatest.Committed(b, e.brokers, e.grp, e.in)) >= int64(b.N)
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "records/s")
	if got := value(r.m.Articles.WithLabelValues(metrics.OutcomeEnriched)); got != float64(b.N) {
		b.Fatalf("%v enriched of %d", got, b.N)
	}
}

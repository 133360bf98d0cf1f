package worker_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// TestSameKeyKeepsInputOrderWhenAWriteIsRetried fails one output write
// twice, so kafka-go gives up on it and the producer retries it after a
// backoff while the lane goes on with later records of the same keys. Had a
// later batch been written before the retried one (two writes in flight per
// lane, say), those keys' events would reach the output out of input order.
func TestSameKeyKeepsInputOrderWhenAWriteIsRetried(t *testing.T) {
	if kafkatest.Real() {
		t.Skip("needs an embedded broker that fails chosen produce requests")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.GroupMinSessionTimeout(time.Second),
		kfake.SeedTopics(1, "in", "out", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var produces, failed atomic.Int32
	c.ControlKey(int16(kmsg.Produce), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := kr.(*kmsg.ProduceRequest)
		if len(req.Topics) == 0 || req.Topics[0].Topic != "out" {
			return nil, nil, false
		}
		// Both of kafka-go's attempts at the output's second request fail.
		if n := produces.Add(1); n != 2 && n != 3 {
			return nil, nil, false
		}
		failed.Add(1)
		resp := req.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range req.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic = rt.Topic
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.NotLeaderForPartition.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	brokers := c.ListenAddrs()
	const n = 200
	var recs []*kgo.Record
	for i := range n {
		key := fmt.Sprintf("k%d", i%3)
		recs = append(recs, &kgo.Record{Topic: "in", Key: []byte(key), Value: article(key, fmt.Sprintf("seq %03d", i))})
	}
	kafkatest.Produce(t, brokers, recs...)
	e := env{brokers: brokers, in: "in", out: "out", dlq: "dlq", grp: "order", maxBytes: 64 << 10}
	// One lane: every batch holds all three keys.
	r := startWith(t, e, "worker-retry-order", 0, func(c *config.Config) { c.Concurrency = 1 })
	out := kafkatest.Consume(t, brokers, "out", n, 30*time.Second)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if failed.Load() != 2 {
		t.Fatalf("%d produce requests failed, want 2: the test did not make a write retry", failed.Load())
	}
	if len(out) != n {
		t.Fatalf("got %d events, want %d", len(out), n)
	}
	requirePerKeyOrder(t, out)
}

package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/newsenrich/newsenrich/internal/config"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/internal/worker"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/producer"
)

// TestSASLMechanisms runs the worker against a broker that demands SASL,
// once per supported mechanism (kfake only: it needs a broker we configure).
func TestSASLMechanisms(t *testing.T) {
	if kafkatest.Real() {
		t.Skip("needs an embedded broker with SASL users")
	}
	const user, pass = "worker", "s3cret"
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "admin", "admin"),
		kfake.Superuser("PLAIN", user, pass),
		kfake.Superuser("SCRAM-SHA-256", user, pass),
		kfake.Superuser("SCRAM-SHA-512", user, pass),
		kfake.GroupMinSessionTimeout(time.Second),
		kfake.SeedTopics(1, "in", "out", "dlq"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	brokers := c.ListenAddrs()
	admin := kgo.SASL(plain.Auth{User: "admin", Pass: "admin"}.AsMechanism())
	// The broker really checks: wrong credentials cannot even read metadata.
	for _, mech := range []string{"plain", "scram-sha-256"} {
		cfg := config.Default()
		cfg.Brokers, cfg.SASLMechanism, cfg.SASLUsername, cfg.SASLPassword = brokers, mech, user, "wrong"
		m, err := cfg.SASL()
		if err != nil {
			t.Fatal(err)
		}
		p, err := producer.New(producer.Config{Brokers: brokers, OutputTopic: "out", DLQTopic: "dlq", SASL: m}, logger(t), metrics.New(metrics.Topics{}, metrics.Build{}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := p.Check(ctx); err == nil {
			t.Fatalf("%s: wrong password accepted", mech)
		}
		cancel()
		p.Close()
	}
	for i, mech := range []string{"plain", "scram-sha-256", "scram-sha-512"} {
		t.Run(mech, func(t *testing.T) {
			id := fmt.Sprintf("sasl-%d", i)
			pctx, pcancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer pcancel()
			rec := &kgo.Record{Topic: "in", Key: []byte(id), Value: article(id, "body")}
			if err := kafkatest.Client(t, brokers, admin).ProduceSync(pctx, rec).FirstErr(); err != nil {
				t.Fatal(err)
			}
			cfg := env{brokers: brokers, in: "in", out: "out", dlq: "dlq", grp: "g-" + mech, maxBytes: 1 << 20}.config("sasl-" + mech)
			cfg.SASLMechanism, cfg.SASLUsername, cfg.SASLPassword = mech, user, pass
			m := metrics.New(metrics.Topics{Input: "in", Output: "out", DLQ: "dlq"}, metrics.Build{})
			proc := processor.New(processor.Config{Decode: decode.Limits{MaxBytes: cfg.MaxBytes}}, nil, nil, nil)
			w, err := worker.New(cfg, logger(t), m, proc, worker.WithGroupTiming(300*time.Millisecond, 6*time.Second, 5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- w.Run(ctx) }()
			// Everything in "in" so far (one record per mechanism tested) is
			// re-read by this new group.
			waitFor(t, "record enriched over SASL", 30*time.Second, func() bool {
				return value(m.Articles.WithLabelValues(metrics.OutcomeEnriched)) == float64(i+1)
			})
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("worker: %v", err)
			}
		})
	}
}

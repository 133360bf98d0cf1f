// Package kafkatest gives tests a Kafka cluster and unique topics: the
// brokers in NEWSENRICH_TEST_BROKERS (comma list) when set, otherwise an
// in-process kfake broker per test. Its helpers use franz-go, a different
// client from the worker's kafka-go, so tests check the worker from outside.
package kafkatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/embeddedkafka"
)

// EnvBrokers selects a real cluster for the tests.
const EnvBrokers = "NEWSENRICH_TEST_BROKERS"

// RealBrokers returns the brokers named by NEWSENRICH_TEST_BROKERS, or nil
// when it is unset.
func RealBrokers() []string {
	var out []string
	for _, b := range strings.Split(os.Getenv(EnvBrokers), ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// Real reports whether the tests run against a real cluster.
func Real() bool { return RealBrokers() != nil }

// RequireReal skips t unless a real cluster is configured, and returns its
// brokers: some faults (killing the broker) cannot be staged in-process.
func RequireReal(t testing.TB) []string {
	t.Helper()
	b := RealBrokers()
	if b == nil {
		t.Skipf("real-broker test: set %s (make test-kafka does)", EnvBrokers)
	}
	return b
}

// Brokers returns the test cluster's bootstrap addresses. Without
// NEWSENRICH_TEST_BROKERS it starts kfake, stopped when the test ends.
func Brokers(t testing.TB) []string {
	t.Helper()
	if b := RealBrokers(); b != nil {
		return b
	}
	b, err := embeddedkafka.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addrs()
}

var unsafe = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// Name returns a name unique to this test run, for topics and groups.
func Name(t testing.TB, suffix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafe.ReplaceAllString(t.Name(), "_")
	if len(name) > 80 {
		name = name[:80]
	}
	return "test." + name + "." + suffix + "." + hex.EncodeToString(b[:])
}

// Topic creates a unique topic with the given partitions and deletes it
// when the test ends.
func Topic(t testing.TB, brokers []string, suffix string, partitions int32) string {
	t.Helper()
	name := Name(t, suffix)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := embeddedkafka.CreateTopics(ctx, brokers, partitions, name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cl := Client(t, brokers)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = kadm.NewClient(cl).DeleteTopics(ctx, name)
	})
	return name
}

// Client returns a franz-go client for the cluster, closed when the test ends.
func Client(t testing.TB, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// Produce writes records synchronously (acks=all).
func Produce(t testing.TB, brokers []string, recs ...*kgo.Record) {
	t.Helper()
	cl := Client(t, brokers)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// Consume reads topic from the start until it has n records or timeout
// passes, and returns what it read.
func Consume(t testing.TB, brokers []string, topic string, n int, timeout time.Duration) []*kgo.Record {
	t.Helper()
	cl := Client(t, brokers, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n && ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// Committed returns the group's committed offsets for topic by partition
// (none while the group or its coordinator does not exist yet: poll it).
func Committed(t testing.TB, brokers []string, group, topic string) map[int32]int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...)) // polled in loops: closed right away
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if errors.Is(err, kerr.GroupIDNotFound) || kerr.IsRetriable(err) {
		// No group yet, or a fresh cluster still creating __consumer_offsets.
		return map[int32]int64{}
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[int32]int64{}
	for p, o := range offs[topic] {
		if o.Err == nil {
			out[p] = o.At
		}
	}
	return out
}

// Sum adds up offsets (with one partition per record run from offset 0, the
// sum of committed offsets is the number of records committed).
func Sum(offs map[int32]int64) int64 {
	var n int64
	for _, o := range offs {
		n += o
	}
	return n
}

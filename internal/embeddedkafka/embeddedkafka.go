// Package embeddedkafka runs an in-process Kafka-protocol broker (franz-go's
// kfake) on 127.0.0.1 for the demo and the tests. It is for speed and
// convenience, not proof: the real-broker suite runs against Apache Kafka.
package embeddedkafka

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Broker is a running in-process cluster.
type Broker struct {
	c *kfake.Cluster
}

// Start starts a single-node cluster on a free loopback port. It accepts
// kafka-go's consumer group session timeouts down to one second.
func Start() (*Broker, error) {
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.GroupMinSessionTimeout(time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("starting embedded kafka: %w", err)
	}
	return &Broker{c: c}, nil
}

// Addrs are the bootstrap addresses (host:port).
func (b *Broker) Addrs() []string { return b.c.ListenAddrs() }

// CreateTopics creates topics with the given partition count.
func (b *Broker) CreateTopics(ctx context.Context, partitions int32, topics ...string) error {
	return CreateTopics(ctx, b.Addrs(), partitions, topics...)
}

// Close stops the broker.
func (b *Broker) Close() { b.c.Close() }

// CreateTopics creates topics on any Kafka cluster (embedded or real), with
// replication factor 1 and the given partition count. Topics that already
// exist are left alone.
func CreateTopics(ctx context.Context, brokers []string, partitions int32, topics ...string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, 1, nil, topics...)
	if err != nil {
		return fmt.Errorf("creating topics: %w", err)
	}
	for _, r := range resp.Sorted() {
		if r.Err != nil && !isExists(r.Err) {
			return fmt.Errorf("creating topic %s: %w", r.Topic, r.Err)
		}
	}
	return nil
}

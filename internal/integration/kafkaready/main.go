// Command kafkaready waits until a Kafka broker really serves clients: metadata lists a broker and
// an active controller, a probe topic can be created, and a record is acknowledged with acks=all.
// An open TCP port is not enough: a KRaft broker accepts connections before it has caught up with
// the metadata log and before partitions have leaders. scripts/kafka.sh uses it after start-up.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

const probeTopic = "__newsenrich_ready"

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "comma-separated bootstrap brokers")
	timeout := flag.Duration("timeout", 60*time.Second, "give up after this long")
	quiet := flag.Bool("quiet", false, "print nothing on success")
	flag.Parse()

	if err := wait(strings.Split(*brokers, ","), *timeout, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "kafkaready:", err)
		os.Exit(1)
	}
}

// wait probes until the brokers are ready or timeout passes.
func wait(brokers []string, timeout time.Duration, quiet bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	var last error
	for {
		last = probe(ctx, brokers)
		if last == nil {
			if !quiet {
				fmt.Printf("kafkaready: %s ready after %s\n", strings.Join(brokers, ","), time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready after %s: %w", strings.Join(brokers, ","), timeout, last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// probe makes one attempt with a fresh client, so a half-open connection from an earlier attempt
// cannot make a later one look good or bad.
func probe(ctx context.Context, brokers []string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.DefaultProduceTopic(probeTopic),
		kgo.RetryTimeout(5*time.Second),
		kgo.DialTimeout(2*time.Second),
	)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)

	md, err := adm.BrokerMetadata(ctx)
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	if len(md.Brokers) == 0 {
		return errors.New("metadata lists no brokers")
	}
	if md.Controller < 0 {
		return errors.New("metadata names no active controller")
	}
	resp, err := adm.CreateTopic(ctx, 1, 1, nil, probeTopic)
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("create %s: %w", probeTopic, err)
	}
	if resp.Err != nil && !errors.Is(resp.Err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("create %s: %w", probeTopic, resp.Err)
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte("ready")}).FirstErr(); err != nil {
		return fmt.Errorf("produce to %s: %w", probeTopic, err)
	}
	return nil
}

package integration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// TestKafkaGoSmoke proves the broker speaks the protocol versions kafka-go v0.4.x sends (Kafka
// 4.0.0 rejected its JoinGroup): topic creation, acks=all produce, group consume, commit, committed
// offsets and ListOffsets through both the Conn and the Client APIs.
func TestKafkaGoSmoke(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	topic, group := "smoke-"+suffix, "smoke-group-"+suffix
	const partitions, n = 3, 30

	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	ctrl, err := conn.Controller()
	if err != nil {
		t.Fatalf("controller: %v", err)
	}
	cconn, err := kafka.DialContext(ctx, "tcp", net.JoinHostPort(ctrl.Host, strconv.Itoa(ctrl.Port)))
	if err != nil {
		t.Fatalf("dial controller: %v", err)
	}
	defer cconn.Close()
	if err := cconn.CreateTopics(kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1}); err != nil {
		t.Fatalf("create topic: %v", err)
	}

	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		RequiredAcks: kafka.RequireAll,
		Balancer:     &kafka.Hash{},
		BatchTimeout: 10 * time.Millisecond,
	}
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("v%d", i))}
	}
	// A just-created topic may not have leaders yet; retry only that case.
	for attempt := 0; ; attempt++ {
		err = w.WriteMessages(ctx, msgs...)
		if err == nil || attempt == 20 || !errors.Is(err, kafka.LeaderNotAvailable) && !errors.Is(err, kafka.UnknownTopicOrPartition) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("produce acks=all: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close writer: %v", err)
	}

	// Consume half in a group and commit, then a second reader in the same group must resume
	// after the committed offsets: together they see every message exactly once.
	seen := map[string]int{}
	consume := func(limit int) {
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers: brokers, GroupID: group, Topic: topic,
			StartOffset: kafka.FirstOffset, MaxWait: 100 * time.Millisecond,
			HeartbeatInterval: time.Second, SessionTimeout: 10 * time.Second,
		})
		defer func() {
			if err := r.Close(); err != nil {
				t.Errorf("close reader: %v", err)
			}
		}()
		for i := 0; i < limit; i++ {
			m, err := r.FetchMessage(ctx)
			if err != nil {
				t.Fatalf("fetch %d: %v", i, err)
			}
			seen[string(m.Key)]++
			if err := r.CommitMessages(ctx, m); err != nil {
				t.Fatalf("commit: %v", err)
			}
		}
	}
	consume(n / 2)
	consume(n - n/2)
	if len(seen) != n {
		t.Fatalf("group consumed %d distinct keys, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("key %s consumed %d times, want 1 (commit not honoured)", k, c)
		}
	}

	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	parts := []int{0, 1, 2}
	committed, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil || committed.Error != nil {
		t.Fatalf("offset fetch: %v %v", err, committed.Error)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range parts {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		t.Fatalf("list offsets: %v", err)
	}
	end := map[int]int64{}
	var total int64
	for _, po := range lo.Topics[topic] {
		if po.Error != nil {
			t.Fatalf("list offsets partition %d: %v", po.Partition, po.Error)
		}
		end[po.Partition] = po.LastOffset
		total += po.LastOffset
	}
	if total != n {
		t.Errorf("high watermarks sum to %d, want %d", total, n)
	}
	for _, c := range committed.Topics[topic] {
		if c.Error != nil {
			t.Fatalf("committed offset partition %d: %v", c.Partition, c.Error)
		}
		if c.CommittedOffset != end[c.Partition] {
			t.Errorf("partition %d committed %d, high watermark %d", c.Partition, c.CommittedOffset, end[c.Partition])
		}
	}

	// The Conn API uses its own fixed ListOffsets version.
	lconn, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, 0)
	if err != nil {
		t.Fatalf("dial leader: %v", err)
	}
	defer lconn.Close()
	first, last, err := lconn.ReadOffsets()
	if err != nil {
		t.Fatalf("conn read offsets: %v", err)
	}
	if first != 0 || last != end[0] {
		t.Errorf("conn offsets partition 0 = [%d,%d), want [0,%d)", first, last, end[0])
	}
}

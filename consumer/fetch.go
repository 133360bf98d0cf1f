package consumer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
	fetchapi "github.com/segmentio/kafka-go/protocol/fetch"
	"github.com/segmentio/kafka-go/sasl"
)

// Read-committed input. kafka-go's Reader hands transaction markers out as
// records and does not drop records of aborted transactions even with
// IsolationLevel ReadCommitted (kafka-go issue #1332). The consumer does not
// use the Reader: each partition loop sends Fetch requests itself through
// kafka-go's Transport with isolation level read_committed, so the broker
// returns nothing past the last stable offset and lists the aborted
// transactions of the range, and kafka-go's protocol package keeps every
// batch's producer id, transactional flag and control flag. decodeFetch
// filters with those the way the Java consumer does. Doing it here rather
// than in a patched copy of kafka-go keeps the module unforked (no copy of
// kafka-go to keep in step with upstream) and gives the worker its own fetch
// loop, so backoff, error logging and shutdown are under its control.

const (
	controlAbort  = 0
	controlCommit = 1
)

// fetched is one fetch response, filtered.
type fetchResult struct {
	msgs    []kafka.Message
	next    int64 // the offset to fetch next
	skipped int   // markers and aborted records dropped
	bytes   int
}

// decodeFetch turns one partition's fetch response into the records to
// process, in offset order: records below from are dropped (a batch can
// start before the requested offset), control batches (transaction markers)
// are dropped, and so are transactional batches of producers whose
// transaction the response lists as aborted, from the transaction's first
// offset until that producer's abort marker.
func decodeFetch(topic string, partition int, from int64, rs protocol.RecordReader, aborted []fetchapi.ResponseTransaction) (fetchResult, error) {
	res := fetchResult{next: from}
	if rs == nil {
		return res, nil
	}
	batches := []protocol.RecordReader{rs}
	if s, ok := rs.(*protocol.RecordStream); ok {
		batches = s.Records
	}
	aborted = append([]fetchapi.ResponseTransaction(nil), aborted...)
	sort.Slice(aborted, func(i, j int) bool { return aborted[i].FirstOffset < aborted[j].FirstOffset })
	abortedBy := map[int64]bool{}
	for _, b := range batches {
		switch b := b.(type) {
		case *protocol.ControlBatch:
			for {
				cr, err := b.ReadControlRecord()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return res, fmt.Errorf("reading a control record: %w", err)
				}
				if cr.Offset >= from {
					res.skipped++
				}
				if cr.Type == controlAbort {
					delete(abortedBy, b.ProducerID)
				}
				res.next = max(res.next, cr.Offset+1)
			}
		case *protocol.RecordBatch:
			for len(aborted) > 0 && aborted[0].FirstOffset <= b.BaseOffset {
				abortedBy[aborted[0].ProducerID] = true
				aborted = aborted[1:]
			}
			drop := b.Attributes.Transactional() && abortedBy[b.ProducerID]
			if err := readRecords(b, topic, partition, from, drop, &res); err != nil {
				return res, err
			}
		default:
			if err := readRecords(b, topic, partition, from, false, &res); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

func readRecords(b protocol.RecordReader, topic string, partition int, from int64, drop bool, res *fetchResult) error {
	for {
		r, err := b.ReadRecord()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading a record: %w", err)
		}
		key, kerr := readBytes(r.Key)
		value, verr := readBytes(r.Value)
		if err := errors.Join(kerr, verr); err != nil {
			return fmt.Errorf("reading record %d: %w", r.Offset, err)
		}
		if r.Offset < from {
			continue
		}
		res.next = max(res.next, r.Offset+1)
		if drop {
			res.skipped++
			continue
		}
		res.bytes += len(key) + len(value)
		res.msgs = append(res.msgs, kafka.Message{
			Topic: topic, Partition: partition, Offset: r.Offset,
			Key: key, Value: value, Headers: r.Headers, Time: r.Time,
		})
	}
}

// readBytes copies b (which points into kafka-go's pooled pages) and
// releases it.
func readBytes(b protocol.Bytes) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	defer b.Close()
	return protocol.ReadAll(b)
}

// Fetcher reads partitions directly with read_committed Fetch requests
// (see the top of this file). The consumer's partition loops use one, and
// so does `newsenrich replay`, which reads outside the group.
type Fetcher struct {
	transport *kafka.Transport
	addr      net.Addr
	maxWait   time.Duration
	maxBytes  int
}

// FetcherConfig configures a Fetcher.
type FetcherConfig struct {
	Brokers  []string
	ClientID string
	TLS      *tls.Config
	SASL     sasl.Mechanism
	MaxWait  time.Duration // how long the broker may wait for data (default 250ms)
	MaxBytes int           // response size cap (default 8 MiB)
}

// NewFetcher returns a Fetcher; it connects lazily. Close it when done.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 250 * time.Millisecond
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 8 << 20
	}
	return &Fetcher{
		transport: &kafka.Transport{ClientID: cfg.ClientID, TLS: cfg.TLS, SASL: cfg.SASL, DialTimeout: 10 * time.Second,
			// Short-lived metadata: a restarted or moved leader is found again quickly.
			MetadataTTL: 2 * time.Second},
		addr:     kafka.TCP(cfg.Brokers...),
		maxWait:  cfg.MaxWait,
		maxBytes: cfg.MaxBytes,
	}
}

// Batch is the answer to one Fetch.
type Batch struct {
	Records       []kafka.Message // committed records at or after the offset asked for, in order
	Next          int64           // the offset to fetch next (past markers and aborted records too)
	HighWatermark int64
	Skipped       int // transaction markers and aborted records read past
	Bytes         int // key and value bytes of Records
}

// Fetch reads what the partition holds at offset, read_committed. A Batch
// without records and with Next == offset means nothing (committed) is
// there yet.
func (f *Fetcher) Fetch(ctx context.Context, topic string, partition int, offset int64) (Batch, error) {
	ctx, cancel := context.WithTimeout(ctx, f.maxWait+10*time.Second)
	defer cancel()
	m, err := f.transport.RoundTrip(ctx, f.addr, &fetchapi.Request{
		ReplicaID:      -1,
		MaxWaitTime:    int32(f.maxWait / time.Millisecond),
		MinBytes:       1,
		MaxBytes:       int32(f.maxBytes),
		IsolationLevel: int8(kafka.ReadCommitted),
		SessionID:      -1,
		SessionEpoch:   -1,
		Topics: []fetchapi.RequestTopic{{
			Topic: topic,
			Partitions: []fetchapi.RequestPartition{{
				Partition:          int32(partition),
				CurrentLeaderEpoch: -1,
				FetchOffset:        offset,
				LogStartOffset:     -1,
				PartitionMaxBytes:  int32(f.maxBytes),
			}},
		}},
	})
	if err != nil {
		return Batch{Next: offset}, err
	}
	resp, ok := m.(*fetchapi.Response)
	if !ok {
		return Batch{Next: offset}, fmt.Errorf("unexpected fetch response %T", m)
	}
	if resp.ErrorCode != 0 {
		return Batch{Next: offset}, kafka.Error(resp.ErrorCode)
	}
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		return Batch{Next: offset}, errors.New("fetch response without the partition asked for")
	}
	p := &resp.Topics[0].Partitions[0]
	if p.ErrorCode != 0 {
		return Batch{Next: offset, HighWatermark: p.HighWatermark}, kafka.Error(p.ErrorCode)
	}
	res, err := decodeFetch(topic, partition, offset, p.RecordSet.Records, p.AbortedTransactions)
	return Batch{Records: res.msgs, Next: res.next, HighWatermark: p.HighWatermark, Skipped: res.skipped, Bytes: res.bytes}, err
}

// ResolveOffset turns kafka.FirstOffset / kafka.LastOffset into a real
// offset of the partition (LastOffset is the last stable offset).
func (f *Fetcher) ResolveOffset(ctx context.Context, topic string, partition int, which int64) (int64, error) {
	c := &kafka.Client{Addr: f.addr, Timeout: 10 * time.Second, Transport: f.transport}
	return resolveOffset(ctx, c, TP{topic, partition}, which)
}

// Close closes the connections.
func (f *Fetcher) Close() { f.transport.CloseIdleConnections() }

// resolveOffset turns kafka.FirstOffset / kafka.LastOffset into a real
// offset of tp.
func resolveOffset(ctx context.Context, client *kafka.Client, tp TP, which int64) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req := kafka.FirstOffsetOf(tp.Partition)
	if which == kafka.LastOffset {
		req = kafka.LastOffsetOf(tp.Partition)
	}
	res, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{
		Topics:         map[string][]kafka.OffsetRequest{tp.Topic: {req}},
		IsolationLevel: kafka.ReadCommitted,
	})
	if err != nil {
		return 0, err
	}
	for _, p := range res.Topics[tp.Topic] {
		if p.Partition != tp.Partition {
			continue
		}
		if p.Error != nil {
			return 0, p.Error
		}
		if which == kafka.LastOffset {
			return p.LastOffset, nil
		}
		return p.FirstOffset, nil
	}
	return 0, fmt.Errorf("no offsets for %s/%d", tp.Topic, tp.Partition)
}

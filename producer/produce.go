package producer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// errNotTried marks records left unsent because an earlier request to the
// same partition failed: sending them would put them ahead of it.
var errNotTried = errors.New("not written: an earlier record of its partition failed")

// request is the records of one produce request: one partition, at most
// MaxMessageBytes of them, in input order.
type request struct {
	topic     string
	partition int
	idx       []int // into the msgs of the write
	size      int   // Size of those records
}

type topicPartition struct {
	topic     string
	partition int
}

// produce sends msgs and waits for the brokers' acknowledgements (acks=all).
// It returns nil when every record was acknowledged, else one error per
// record (nil for the acknowledged ones). Requests to different partitions
// go out together; a partition's requests go one after another, and once one
// fails the rest of that partition is not sent.
func (p *Producer) produce(ctx context.Context, msgs []kafka.Message) []error {
	errs := make([]error, len(msgs))
	var parts [][]request // per partition, its requests in order
	where := map[topicPartition]int{}
	// A write's records mostly share one topic: its partitions are
	// looked up once.
	var (
		topic  string
		ids    []int
		idsErr error
		looked bool
	)
	for i := range msgs {
		m := &msgs[i]
		size := Size(*m)
		if size > p.cfg.MaxMessageBytes {
			errs[i] = kafka.MessageTooLargeError{Message: *m}
			continue
		}
		if !looked || m.Topic != topic {
			looked, topic = true, m.Topic
			ids, idsErr = p.partitions(ctx, topic)
		}
		if idsErr != nil {
			errs[i] = idsErr
			continue
		}
		part := p.balancer.Balance(*m, ids...)
		k := topicPartition{m.Topic, part}
		j, ok := where[k]
		if !ok {
			j = len(parts)
			where[k] = j
			parts = append(parts, []request{{topic: m.Topic, partition: part}})
		}
		reqs := parts[j]
		last := &reqs[len(reqs)-1]
		if len(last.idx) > 0 && last.size+size > p.cfg.MaxMessageBytes {
			reqs = append(reqs, request{topic: m.Topic, partition: part})
			last = &reqs[len(reqs)-1]
		}
		last.idx = append(last.idx, i)
		last.size += size
		parts[j] = reqs
	}
	sendAll := func(reqs []request) {
		for k, r := range reqs {
			if !p.send(ctx, msgs, r, errs) {
				for _, rest := range reqs[k+1:] {
					for _, i := range rest.idx {
						errs[i] = errNotTried
					}
				}
				return
			}
		}
	}
	// One partition (a paced record, a small batch) is sent from this
	// goroutine: a hand-off would cost more than the request.
	if len(parts) == 1 {
		sendAll(parts[0])
	} else {
		var wg sync.WaitGroup
		for _, reqs := range parts {
			wg.Go(func() { sendAll(reqs) })
		}
		wg.Wait()
	}
	if !slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
		return nil
	}
	return errs
}

// send writes one request's records and reports whether the brokers
// acknowledged them; if not, it sets each record's error in errs.
func (p *Producer) send(ctx context.Context, msgs []kafka.Message, r request, errs []error) bool {
	recs := make([]kafka.Record, len(r.idx))
	var n int64
	now := time.Now()
	for k, i := range r.idx {
		m := &msgs[i]
		recs[k] = kafka.Record{Time: m.Time, Headers: m.Headers}
		if recs[k].Time.IsZero() {
			recs[k].Time = now
		}
		if m.Key != nil {
			recs[k].Key = kafka.NewBytes(m.Key)
		}
		if m.Value != nil {
			recs[k].Value = kafka.NewBytes(m.Value)
		}
		n += int64(len(m.Key) + len(m.Value))
	}
	rctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	p.writes.Add(1)
	res, err := p.client.Produce(rctx, &kafka.ProduceRequest{
		Topic: r.topic, Partition: r.partition, RequiredAcks: kafka.RequireAll,
		Records: kafka.NewRecordReader(recs...),
	})
	if err == nil && res.Error != nil {
		err = res.Error
	}
	if err == nil {
		p.messages.Add(int64(len(recs)))
		p.bytes.Add(n)
		return true
	}
	p.errors.Add(1)
	p.forget(r.topic)
	for k, i := range r.idx {
		errs[i] = err
		// The brokers refuse a batch as a whole and name the records
		// to blame; the others were refused only for their company.
		if res != nil {
			if e, ok := res.RecordErrors[k]; ok {
				errs[i] = fmt.Errorf("%w: %w", err, e)
			}
		}
	}
	return false
}

// partitions returns topic's partition ids, from the cache when fresh.
func (p *Producer) partitions(ctx context.Context, topic string) ([]int, error) {
	p.partsMu.Lock()
	c, ok := p.parts[topic]
	p.partsMu.Unlock()
	if ok && time.Since(c.at) < partsTTL {
		return c.ids, nil
	}
	md, err := p.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("partitions of %s: %w", topic, err)
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("partitions of %s: %w", topic, t.Error)
		}
		if len(t.Partitions) == 0 {
			break
		}
		ids := make([]int, len(t.Partitions))
		for i := range ids {
			ids[i] = i
		}
		p.partsMu.Lock()
		p.parts[topic] = topicParts{ids: ids, at: time.Now()}
		p.partsMu.Unlock()
		return ids, nil
	}
	return nil, fmt.Errorf("partitions of %s: %w", topic, kafka.UnknownTopicOrPartition)
}

// forget drops topic's cached partitions, so that a failed write asks
// again (a partition added, a topic re-created).
func (p *Producer) forget(topic string) {
	p.partsMu.Lock()
	delete(p.parts, topic)
	p.partsMu.Unlock()
}

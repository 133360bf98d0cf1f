package integration

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/twmb/franz-go/pkg/kgo"
)

// collector.go holds the Collector that reads the output and dead-letter topics of a scenario.

// Output is one record read from the output or dead-letter topic.
type Output struct {
	DLQ          bool
	Key          string
	Value        []byte
	Reason       string
	Detail       string
	SrcPartition int32
	SrcOffset    int64 // -1 when the record carries no source headers
}

type outCount struct{ enriched, dlq int }

func (c outCount) total() int { return c.enriched + c.dlq }

// Collector reads the output and dead-letter topics from the start for the whole scenario.
type Collector struct {
	brokers            []string
	input, output, dlq string

	mu    sync.Mutex
	outs  []Output
	pos   map[string]map[int32]int64 // next offset to read per topic/partition
	epoch map[string]int             // bumped when a topic is deleted and created again
	seen  map[collectKey]bool

	stop func()
}

type collectKey struct {
	topic     string
	epoch     int
	partition int32
	offset    int64
}

// NewCollector starts reading output and dlq; it stops when t ends.
func NewCollector(t testing.TB, brokers []string, input, output, dlq string) *Collector {
	c := &Collector{
		brokers: brokers, input: input, output: output, dlq: dlq,
		pos: map[string]map[int32]int64{}, epoch: map[string]int{}, seen: map[collectKey]bool{},
	}
	if err := c.start(); err != nil {
		t.Fatalf("collector: %v", err)
	}
	t.Cleanup(func() { c.stop() })
	return c
}

// start (re)reads both topics from the beginning; records already seen are skipped, so a
// restart after Forget picks up the new incarnation of a topic without double counting.
func (c *Collector) start() error {
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(c.brokers...),
		kgo.ConsumeTopics(c.output, c.dlq),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(200*time.Millisecond),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(c.add)
		}
	}()
	c.stop = func() { cancel(); <-done; cl.Close() }
	return nil
}

// Forget is for a topic that was deleted: it stops reading until Restart, and records of the
// topic's next incarnation (which starts again at offset 0) are told apart from the old ones.
// Records already read stay counted.
func (c *Collector) Forget(topic string) {
	c.stop()
	c.stop = func() {}
	c.mu.Lock()
	c.epoch[topic]++
	delete(c.pos, topic)
	c.mu.Unlock()
}

// Restart reads both topics from the start again, skipping records already seen.
func (c *Collector) Restart() error { return c.start() }

func (c *Collector) add(r *kgo.Record) {
	o := Output{DLQ: r.Topic == c.dlq, Key: string(r.Key), Value: r.Value, SrcOffset: -1}
	var srcTopic string
	for _, h := range r.Headers {
		switch h.Key {
		case event.HeaderError:
			o.Reason = string(h.Value)
		case event.HeaderErrorDetail:
			o.Detail = string(h.Value)
		case event.HeaderSourceTopic:
			srcTopic = string(h.Value)
		case event.HeaderSourcePartition:
			if v, err := strconv.ParseInt(string(h.Value), 10, 32); err == nil {
				o.SrcPartition = int32(v)
			}
		case event.HeaderSourceOffset:
			if v, err := strconv.ParseInt(string(h.Value), 10, 64); err == nil {
				o.SrcOffset = v
			}
		}
	}
	if srcTopic != "" && srcTopic != c.input {
		o.SrcOffset = -1
	}
	if !o.DLQ && o.Key == "" {
		// Enriched events are keyed by id; fall back to the body for a keyless one.
		var v struct{ ID string }
		if json.Unmarshal(r.Value, &v) == nil {
			o.Key = v.ID
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := collectKey{r.Topic, c.epoch[r.Topic], r.Partition, r.Offset}
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	c.outs = append(c.outs, o)
	m := c.pos[r.Topic]
	if m == nil {
		m = map[int32]int64{}
		c.pos[r.Topic] = m
	}
	m[r.Partition] = r.Offset + 1
}

func (c *Collector) next(topic string, p int32) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pos[topic][p]
}

// Outputs returns a copy of everything read so far.
func (c *Collector) Outputs() []Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Output(nil), c.outs...)
}

// counts maps input id to how many enriched events and dead letters it has.
func (c *Collector) counts(l *Ledger) map[string]outCount {
	m := map[string]outCount{}
	for _, o := range c.Outputs() {
		in := l.lookup(o)
		if in == nil {
			continue
		}
		x := m[in.ID]
		if o.DLQ {
			x.dlq++
		} else {
			x.enriched++
		}
		m[in.ID] = x
	}
	return m
}

// unknown counts outputs that match no input, or whose headers and key disagree.
func (c *Collector) unknown(l *Ledger) int {
	n := 0
	for _, o := range c.Outputs() {
		if l.lookup(o) == nil || l.mismatch(o) {
			n++
		}
	}
	return n
}

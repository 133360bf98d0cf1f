package event

import (
	"strconv"
	"sync"
)

// EventID is the stable id of the output made from the input record at
// topic/partition/offset: "<topic>/<partition>/<offset>" (Kafka topic names
// cannot contain '/'). Delivery is at-least-once: after a crash a record can
// be processed again, and its second output carries the same EventID, so
// downstream services drop duplicates by it (see Deduper).
func EventID(topic string, partition int, offset int64) string {
	b := make([]byte, 0, len(topic)+24)
	b = append(b, topic...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(partition), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, offset, 10)
	return string(b)
}

// Deduper remembers the last Size event ids it saw, to drop redelivered
// events. Duplicates come from records redone after a worker crash, so they
// arrive within about one commit interval of work of the first copy: a
// window of a few times the worker's throughput per second is plenty.
// Safe for concurrent use.
type Deduper struct {
	mu   sync.Mutex
	seen map[string]struct{}
	ring []string
	next int
}

// NewDeduper returns a Deduper remembering size ids (at least 1).
func NewDeduper(size int) *Deduper {
	size = max(size, 1)
	return &Deduper{seen: make(map[string]struct{}, size), ring: make([]string, size)}
}

// Seen reports whether id is among the remembered ids, and remembers it.
func (d *Deduper) Seen(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.seen[id]; ok {
		return true
	}
	if old := d.ring[d.next]; old != "" {
		delete(d.seen, old)
	}
	d.ring[d.next] = id
	d.next = (d.next + 1) % len(d.ring)
	d.seen[id] = struct{}{}
	return false
}

package consumer

import (
	"sort"
	"sync"
)

// TP names one partition of one topic.
type TP struct {
	Topic     string
	Partition int
}

// Handle identifies one tracked record. A handle from an earlier generation
// is stale: completing it changes nothing.
type Handle struct {
	TP     TP
	Offset int64
	epoch  uint64
}

// Tracker computes, per partition, the highest offset that may be
// committed: the first offset whose output is not yet acknowledged (or the
// next offset to fetch when everything fetched is done). Records complete in
// any order; commits only ever cover a contiguous run of completed offsets.
//
// Its state lives for one consumer-group generation: Begin starts a
// generation (every earlier handle goes stale), Start registers a partition
// at the offset its fetch loop starts from. Within a generation each
// partition is fetched by one loop whose offsets only grow, so a forward gap
// (compacted away, transaction markers, aborted records) holds nothing to
// process and counts as done.
type Tracker struct {
	mu    sync.Mutex
	epoch uint64
	parts map[TP]*partState
}

type entry struct {
	offset int64
	done   bool
}

type partState struct {
	next      int64   // offset after the highest one tracked or skipped
	pending   []entry // ascending offsets; the first is never done
	committed int64   // last offset committed (or the start offset)
}

// NewTracker returns an empty tracker in generation 0.
func NewTracker() *Tracker {
	return &Tracker{parts: map[TP]*partState{}}
}

// Begin starts a new generation with no partitions and returns its epoch.
// Handles of earlier generations go stale.
func (t *Tracker) Begin() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.epoch++
	t.parts = map[TP]*partState{}
	return t.epoch
}

// End closes generation epoch (if it is still the current one): its
// handles go stale and nothing of it is committable any more.
func (t *Tracker) End(epoch uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.epoch == epoch {
		t.epoch++
		t.parts = map[TP]*partState{}
	}
}

// Start registers tp for generation epoch at offset, the group's committed
// offset (or the resolved start offset): nothing is committable for it
// until a record at or after offset completes.
func (t *Tracker) Start(epoch uint64, tp TP, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.epoch != epoch {
		return
	}
	t.parts[tp] = &partState{next: offset, committed: offset}
}

// Track registers a fetched record of generation epoch and returns its
// handle; ok is false when the generation is over or the partition was not
// started (the record must not be processed).
func (t *Tracker) Track(epoch uint64, tp TP, offset int64) (h Handle, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := t.parts[tp]
	if t.epoch != epoch || ps == nil || offset < ps.next {
		return Handle{}, false
	}
	ps.next = offset + 1
	ps.pending = append(ps.pending, entry{offset: offset})
	return Handle{TP: tp, Offset: offset, epoch: epoch}, true
}

// Skip records that the fetch loop moved past offsets below next without
// handing them out (transaction markers, aborted records): they count as
// done.
func (t *Tracker) Skip(epoch uint64, tp TP, next int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ps := t.parts[tp]; t.epoch == epoch && ps != nil && next > ps.next {
		ps.next = next
	}
}

// Live reports whether h belongs to the current generation.
func (t *Tracker) Live(h Handle) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return h.epoch == t.epoch && t.parts[h.TP] != nil
}

// Done marks a record's output as acknowledged. It reports whether the
// handle was live (a stale one changes nothing).
func (t *Tracker) Done(h Handle) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := t.parts[h.TP]
	if ps == nil || t.epoch != h.epoch {
		return false
	}
	i := sort.Search(len(ps.pending), func(i int) bool { return ps.pending[i].offset >= h.Offset })
	if i == len(ps.pending) || ps.pending[i].offset != h.Offset {
		return false
	}
	ps.pending[i].done = true
	n := 0
	for n < len(ps.pending) && ps.pending[n].done {
		n++
	}
	if n > 0 {
		ps.pending = append(ps.pending[:0], ps.pending[n:]...)
	}
	return true
}

// point is the commit offset (the next record to read after a restart).
func (ps *partState) point() int64 {
	if len(ps.pending) > 0 {
		return ps.pending[0].offset
	}
	return ps.next
}

// Commit is one partition's committable offset.
type Commit struct {
	TP     TP
	Offset int64 // the next offset to consume
}

// Committable lists, for each partition of the current generation, a commit
// offset beyond the last one committed, and the generation's epoch.
func (t *Tracker) Committable() ([]Commit, uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Commit
	for tp, ps := range t.parts {
		if p := ps.point(); p > ps.committed {
			out = append(out, Commit{tp, p})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TP.Topic != out[j].TP.Topic {
			return out[i].TP.Topic < out[j].TP.Topic
		}
		return out[i].TP.Partition < out[j].TP.Partition
	})
	return out, t.epoch
}

// Committed records that the commits of generation epoch were committed.
func (t *Tracker) Committed(epoch uint64, cs []Commit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.epoch != epoch {
		return
	}
	for _, c := range cs {
		if ps := t.parts[c.TP]; ps != nil && c.Offset > ps.committed {
			ps.committed = c.Offset
		}
	}
}

// Pending is the number of tracked records of the current generation whose
// output is not yet acknowledged.
func (t *Tracker) Pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, ps := range t.parts {
		for _, e := range ps.pending {
			if !e.done {
				n++
			}
		}
	}
	return n
}

// Partitions is the number of partitions started in the current generation.
func (t *Tracker) Partitions() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.parts)
}

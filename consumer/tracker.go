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

// Handle identifies one tracked record. A handle from before a partition
// was reset (rewound or revoked) is stale: completing it changes nothing.
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
// Offsets that were never fetched inside a run (compacted away, transaction
// markers) are treated as done: within one kafka-go partition reader offsets
// only grow, and after a rebalance the reader restarts at the group's
// committed offset, so a forward gap was either empty or committed by the
// group already.
type Tracker struct {
	mu     sync.Mutex
	parts  map[TP]*partState
	owned  map[TP]bool
	known  bool // owned reflects a confirmed assignment
	epochs uint64
}

type entry struct {
	offset int64
	done   bool
}

type partState struct {
	epoch     uint64
	next      int64   // offset after the last tracked one
	pending   []entry // ascending offsets; the first is never done
	committed int64   // last offset committed (or found committed) for this run
	start     int64   // first offset of this run
	skipBelow int64   // offsets below this already have acknowledged output
}

// NewTracker returns an empty tracker. Until SetOwned is called, every
// partition seen is treated as owned.
func NewTracker() *Tracker {
	return &Tracker{parts: map[TP]*partState{}}
}

// Track registers a fetched record and returns its handle. skip is true
// when the record's output was already acknowledged in an earlier run of the
// partition (the reader went back after a rebalance): the record is already
// marked done and must not be processed again.
func (t *Tracker) Track(topic string, partition int, offset int64) (h Handle, skip bool) {
	tp := TP{topic, partition}
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := t.parts[tp]
	if ps == nil || offset < ps.next {
		// First record of this partition, or the reader went back: a
		// rebalance restarted the partition at the group's committed offset.
		// Everything we held for it is superseded; older handles go stale.
		// What the old run finished contiguously stays finished: outputs
		// acknowledged are facts, whoever owns the partition now.
		skipBelow := int64(-1)
		if ps != nil && offset >= ps.start && offset < ps.point() {
			skipBelow = ps.point()
		}
		t.epochs++
		ps = &partState{epoch: t.epochs, committed: offset, start: offset, skipBelow: skipBelow}
		t.parts[tp] = ps
	}
	ps.next = offset + 1
	h = Handle{TP: tp, Offset: offset, epoch: ps.epoch}
	if offset < ps.skipBelow {
		if len(ps.pending) > 0 { // keep the order; done entries pop with the head
			ps.pending = append(ps.pending, entry{offset: offset, done: true})
		}
		return h, true
	}
	ps.pending = append(ps.pending, entry{offset: offset})
	return h, false
}

// Done marks a record's output as acknowledged.
func (t *Tracker) Done(h Handle) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := t.parts[h.TP]
	if ps == nil || ps.epoch != h.epoch {
		return
	}
	i := sort.Search(len(ps.pending), func(i int) bool { return ps.pending[i].offset >= h.Offset })
	if i == len(ps.pending) || ps.pending[i].offset != h.Offset {
		return
	}
	ps.pending[i].done = true
	n := 0
	for n < len(ps.pending) && ps.pending[n].done {
		n++
	}
	if n > 0 {
		ps.pending = append(ps.pending[:0], ps.pending[n:]...)
	}
}

// point is the commit offset (the next record to read after a restart).
func (ps *partState) point() int64 {
	if len(ps.pending) > 0 {
		return ps.pending[0].offset
	}
	return ps.next
}

// SetOwned records the confirmed assignment. Partitions outside it are never
// committed; their state is dropped unless records are still in flight (an
// assignment read from the group can be a moment old, and dropping state
// with work in flight could let a later commit skip that work).
func (t *Tracker) SetOwned(owned []TP) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.owned = make(map[TP]bool, len(owned))
	for _, tp := range owned {
		t.owned[tp] = true
	}
	t.known = true
	for tp, ps := range t.parts {
		if !t.owned[tp] && len(ps.pending) == 0 {
			delete(t.parts, tp)
		}
	}
}

// Unknown marks the assignment as unknown (a rebalance is under way):
// nothing is committable until SetOwned confirms the new assignment.
func (t *Tracker) Unknown() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.owned = map[TP]bool{}
	t.known = true
}

// Commit is one partition's committable offset.
type Commit struct {
	TP     TP
	Offset int64 // the next offset to consume
}

// Committable lists, for each owned partition, a commit offset beyond the
// last one committed.
func (t *Tracker) Committable() []Commit {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Commit
	for tp, ps := range t.parts {
		if t.known && !t.owned[tp] {
			continue
		}
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
	return out
}

// Progress reports whether any partition, owned or not, has completed
// offsets beyond its last commit.
func (t *Tracker) Progress() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ps := range t.parts {
		if ps.point() > ps.committed {
			return true
		}
	}
	return false
}

// Committed records that c was committed.
func (t *Tracker) Committed(c Commit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ps := t.parts[c.TP]; ps != nil && c.Offset > ps.committed {
		ps.committed = c.Offset
	}
}

// Pending is the number of tracked records whose output is not yet
// acknowledged, over all partitions.
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

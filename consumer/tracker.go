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
	next      int64   // offset after the highest one tracked in this run
	fetched   int64   // offset after the last one fetched (tracked or skipped)
	pending   []entry // ascending offsets; the first is never done
	committed int64   // last offset committed (or found committed) for this run
	start     int64   // first offset of this run
}

// NewTracker returns an empty tracker. Until SetOwned is called, every
// partition seen is treated as owned.
func NewTracker() *Tracker {
	return &Tracker{parts: map[TP]*partState{}}
}

// Track registers a fetched record and returns its handle. skip is true
// when this process already has the record: its output was acknowledged or
// it is still in flight (the reader went back after a rebalance and fetched
// it again). A skipped record must not be processed again; the original
// handle completes it.
func (t *Tracker) Track(topic string, partition int, offset int64) (h Handle, skip bool) {
	tp := TP{topic, partition}
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := t.parts[tp]
	if ps != nil && offset < ps.fetched {
		// The reader went back: a new generation restarted the partition at
		// the group's committed offset, so everything below it has output.
		if offset >= ps.start {
			// This run fetched [offset, next) already and every one of those
			// records is done or still in flight here; in-flight ones are
			// published whoever owns the partition now (the worker never
			// drops a fetched record), so their completions still count and
			// the re-fetched copies are skipped: no second copy of records
			// this process already holds. Pending records below the restart
			// point were committed by the group, so they no longer hold the
			// commit point back, and the group's committed offset is the
			// restart point (a rewind by a stale commit gets repaired).
			ps.dropBelow(offset)
			ps.committed = offset
		} else {
			// Restarted below this run's start (the group was rewound past
			// it): start a new run; older handles go stale.
			ps = nil
		}
	}
	if ps == nil {
		t.epochs++
		ps = &partState{epoch: t.epochs, committed: offset, start: offset, next: offset}
		t.parts[tp] = ps
	}
	ps.fetched = offset + 1
	h = Handle{TP: tp, Offset: offset, epoch: ps.epoch}
	if offset < ps.next {
		return h, true
	}
	ps.next = offset + 1
	ps.pending = append(ps.pending, entry{offset: offset})
	return h, false
}

// dropBelow forgets pending records below offset and pops done records off
// the head, keeping "the first pending entry is never done".
func (ps *partState) dropBelow(offset int64) {
	n := 0
	for n < len(ps.pending) && (ps.pending[n].offset < offset || ps.pending[n].done) {
		n++
	}
	if n > 0 {
		ps.pending = append(ps.pending[:0], ps.pending[n:]...)
	}
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
	ps.dropBelow(0)
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

// Partitions lists the partitions with tracked state.
func (t *Tracker) Partitions() []TP {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]TP, 0, len(t.parts))
	for tp := range t.parts {
		out = append(out, tp)
	}
	return out
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

// Recommit makes every partition with work done in its current run
// committable again, even at an offset already committed. The final commit
// uses it: a stale commit from another member (kafka-go sends a commit
// queued during a rebalance with the next generation) can have rewound the
// group below this member's last commit, and repeating it costs nothing.
func (t *Tracker) Recommit() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ps := range t.parts {
		ps.committed = ps.start
	}
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

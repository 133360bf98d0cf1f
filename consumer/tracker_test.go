package consumer

import (
	"reflect"
	"testing"
)

func commitsOf(t *Tracker) map[TP]int64 {
	out := map[TP]int64{}
	for _, c := range t.Committable() {
		out[c.TP] = c.Offset
	}
	return out
}

func TestTrackerOutOfOrderCompletion(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	var hs []Handle
	for off := int64(10); off < 15; off++ {
		hs = append(hs, track(tr, "in", 0, off))
	}
	steps := []struct {
		done int   // index into hs completed at this step
		want int64 // commit offset afterwards; -1 = nothing committable
	}{
		{3, -1}, // 13 done, 10 still pending
		{1, -1}, // 11
		{0, 12}, // 10 done -> 10, 11 contiguous, 12 pending
		{4, 12}, // 14 done, 12 still pending
		{2, 15}, // 12 done -> everything up to 14
	}
	for i, s := range steps {
		tr.Done(hs[s.done])
		got, ok := commitsOf(tr)[p0]
		if s.want == -1 {
			if ok {
				t.Fatalf("step %d: committable %d, want nothing", i, got)
			}
			continue
		}
		if got != s.want {
			t.Fatalf("step %d: commit offset %d, want %d", i, got, s.want)
		}
	}
	if tr.Pending() != 0 {
		t.Fatalf("pending = %d", tr.Pending())
	}
}

func TestTrackerCommittedIsNotRepeated(t *testing.T) {
	tr := NewTracker()
	h := track(tr, "in", 0, 0)
	tr.Done(h)
	cs := tr.Committable()
	if len(cs) != 1 || cs[0].Offset != 1 {
		t.Fatalf("committable = %+v", cs)
	}
	if !tr.Progress() {
		t.Fatal("no progress reported before the commit")
	}
	tr.Committed(cs[0])
	if cs := tr.Committable(); len(cs) != 0 || tr.Progress() {
		t.Fatalf("after commit: %+v, progress %v", cs, tr.Progress())
	}
}

func TestTrackerPartitionsAreIndependent(t *testing.T) {
	tr := NewTracker()
	a := track(tr, "in", 0, 5)
	track(tr, "in", 1, 7) // never completes
	tr.Done(a)
	got := commitsOf(tr)
	want := map[TP]int64{{"in", 0}: 6}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTrackerForwardGapCountsAsDone(t *testing.T) {
	// Compacted topics and transaction markers leave offset gaps.
	tr := NewTracker()
	tr.Done(track(tr, "in", 0, 3))
	tr.Done(track(tr, "in", 0, 9))
	if got := commitsOf(tr)[TP{"in", 0}]; got != 10 {
		t.Fatalf("commit = %d, want 10", got)
	}
}

func TestTrackerRevokedPartitionsAreNotCommitted(t *testing.T) {
	tr := NewTracker()
	p0, p1 := TP{"in", 0}, TP{"in", 1}
	h0 := track(tr, "in", 0, 0)
	h1 := track(tr, "in", 1, 0)
	inflight := track(tr, "in", 1, 1)

	// A rebalance starts: nothing is committable until it is confirmed.
	tr.Unknown()
	tr.Done(h0)
	tr.Done(h1)
	if cs := tr.Committable(); len(cs) != 0 {
		t.Fatalf("during rebalance: %+v", cs)
	}

	// The new assignment keeps p0 and loses p1.
	tr.SetOwned([]TP{p0})
	got := commitsOf(tr)
	if _, ok := got[p1]; ok || got[p0] != 1 {
		t.Fatalf("after revoke: %v, want only p0=1", got)
	}
	// The lost partition's in-flight record completes later: still not ours.
	tr.Done(inflight)
	if _, ok := commitsOf(tr)[p1]; ok {
		t.Fatal("revoked partition became committable")
	}
}

func TestTrackerRewindKeepsRecordsStillInFlight(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	var old []Handle
	for off := int64(0); off < 5; off++ {
		old = append(old, track(tr, "in", 0, off))
	}
	tr.Done(old[0])
	tr.Committed(Commit{p0, 1})

	// The partition comes back at the group's committed offset 1 (records
	// 1..4 are still in flight here): the re-fetched copies are skipped,
	// the records after them are new.
	for off := int64(1); off < 5; off++ {
		if _, skip := tr.Track("in", 0, off); !skip {
			t.Fatalf("offset %d is in flight here but was not skipped", off)
		}
	}
	n5, skip := tr.Track("in", 0, 5)
	if skip {
		t.Fatal("offset 5 was never fetched before but was skipped")
	}
	// Nothing moves until the in-flight records are done, in any order.
	tr.Done(n5)
	tr.Done(old[3])
	if cs := tr.Committable(); len(cs) != 0 {
		t.Fatalf("offset 1 still in flight, got %+v", cs)
	}
	tr.Done(old[1])
	if got := commitsOf(tr)[p0]; got != 2 {
		t.Fatalf("commit = %d, want 2", got)
	}
	tr.Done(old[2])
	if got := commitsOf(tr)[p0]; got != 4 {
		t.Fatalf("commit = %d, want 4", got)
	}
	tr.Done(old[4])
	if got := commitsOf(tr)[p0]; got != 6 {
		t.Fatalf("commit = %d, want 6", got)
	}
}

func TestTrackerRewindPastTheRunStartsAgain(t *testing.T) {
	// The group was rewound below where this run started (another member
	// committed less): a new run; completions of the old one go stale.
	tr := NewTracker()
	p0 := TP{"in", 0}
	stale := track(tr, "in", 0, 10)
	n3 := track(tr, "in", 0, 3)
	tr.Done(stale)
	if cs := tr.Committable(); len(cs) != 0 {
		t.Fatalf("stale completion made %+v committable", cs)
	}
	tr.Done(n3)
	if got := commitsOf(tr)[p0]; got != 4 {
		t.Fatalf("commit = %d, want 4", got)
	}
	for off := int64(4); off <= 10; off++ {
		if _, skip := tr.Track("in", 0, off); skip {
			t.Fatalf("offset %d skipped in the new run", off)
		}
	}
}

func TestTrackerRewindRepairsTheCommitPoint(t *testing.T) {
	// We committed 6, then a stale commit rewound the group to 4 and the
	// partition restarts there: 4 and 5 were done here, so they are
	// skipped, and 6 is committed again.
	tr := NewTracker()
	p0 := TP{"in", 0}
	for off := int64(0); off < 6; off++ {
		tr.Done(track(tr, "in", 0, off))
	}
	tr.Committed(Commit{p0, 6})
	for off := int64(4); off < 6; off++ {
		if _, skip := tr.Track("in", 0, off); !skip {
			t.Fatalf("offset %d done here but not skipped", off)
		}
	}
	if got := commitsOf(tr)[p0]; got != 6 {
		t.Fatalf("commit = %d, want 6 (repairing the rewind)", got)
	}
}

func TestTrackerRestartDropsRecordsTheGroupCommitted(t *testing.T) {
	// 2 is in flight; the group restarts us at 4 (another member finished
	// 2..3 and committed): 2 no longer holds the commit point back.
	tr := NewTracker()
	p0 := TP{"in", 0}
	tr.Done(track(tr, "in", 0, 1))
	track(tr, "in", 0, 2)
	for off := int64(3); off < 7; off++ {
		tr.Done(track(tr, "in", 0, off))
	}
	if got := commitsOf(tr)[p0]; got != 2 {
		t.Fatalf("commit = %d, want 2", got)
	}
	if _, skip := tr.Track("in", 0, 4); !skip {
		t.Fatal("offset 4 done here but not skipped")
	}
	if got := commitsOf(tr)[p0]; got != 7 {
		t.Fatalf("commit = %d, want 7", got)
	}
}

func TestTrackerRevokedThenReassigned(t *testing.T) {
	// p0 is lost with a record in flight, another member processes and
	// commits up to 20, then p0 comes back to us starting at 20.
	tr := NewTracker()
	p0 := TP{"in", 0}
	stale := track(tr, "in", 0, 4)
	tr.Unknown()
	tr.SetOwned(nil)
	tr.SetOwned([]TP{p0})
	h := track(tr, "in", 0, 20)
	tr.Done(h)
	// Offset 4 is still in flight in the old run; the new run starts at 20
	// because reading resumed there, which only happens once 4..19 were
	// committed by the group.
	// The stale run is kept while its record is in flight, so the forward
	// jump is a gap within it: nothing is committable until 4 is done.
	if cs := tr.Committable(); len(cs) != 0 {
		t.Fatalf("committable %+v while offset 4 is in flight", cs)
	}
	tr.Done(stale)
	if got := commitsOf(tr)[p0]; got != 21 {
		t.Fatalf("commit = %d, want 21", got)
	}
}

func track(tr *Tracker, topic string, partition int, offset int64) Handle {
	h, _ := tr.Track(topic, partition, offset)
	return h
}

func TestTrackerSkipsRecordsAlreadyPublishedAfterRewind(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	var inflight []Handle
	for off := int64(0); off < 6; off++ {
		h, skip := tr.Track("in", 0, off)
		if skip {
			t.Fatalf("offset %d skipped in the first run", off)
		}
		if off < 4 {
			tr.Done(h)
		} else {
			inflight = append(inflight, h)
		}
	}
	// Commit point is 4 (4 and 5 in flight), but the group restarts us at 2
	// (our last commit did not land before the rebalance).
	var skipped []int64
	var handles []Handle
	for off := int64(2); off < 7; off++ {
		h, skip := tr.Track("in", 0, off)
		if skip {
			skipped = append(skipped, off)
		} else {
			handles = append(handles, h)
		}
	}
	if !reflect.DeepEqual(skipped, []int64{2, 3, 4, 5}) {
		t.Fatalf("skipped %v, want [2 3 4 5] (done or in flight here)", skipped)
	}
	if got := commitsOf(tr)[p0]; got != 4 {
		t.Fatalf("commit = %d, want 4", got)
	}
	for _, h := range handles {
		tr.Done(h)
	}
	if got := commitsOf(tr)[p0]; got != 4 {
		t.Fatalf("commit = %d, want 4 while 4 and 5 are in flight", got)
	}
	for _, h := range inflight {
		tr.Done(h)
	}
	if got := commitsOf(tr)[p0]; got != 7 {
		t.Fatalf("commit = %d, want 7", got)
	}
}

func TestTrackerRecommitRepeatsTheCommitPoint(t *testing.T) {
	tr := NewTracker()
	p0, p1 := TP{"in", 0}, TP{"in", 1}
	tr.Done(track(tr, "in", 0, 5))
	track(tr, "in", 1, 9) // nothing done in this run
	tr.Committed(Commit{p0, 6})
	if cs := tr.Committable(); len(cs) != 0 {
		t.Fatalf("committable %+v right after the commit", cs)
	}
	tr.Recommit()
	got := commitsOf(tr)
	if want := map[TP]int64{p0: 6}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after Recommit: %v, want %v (and nothing for %v)", got, want, p1)
	}
}

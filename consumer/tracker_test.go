package consumer

import (
	"testing"
)

func commitsOf(t *Tracker) map[TP]int64 {
	out := map[TP]int64{}
	cs, _ := t.Committable()
	for _, c := range cs {
		out[c.TP] = c.Offset
	}
	return out
}

func mustTrack(t *testing.T, tr *Tracker, epoch uint64, tp TP, off int64) Handle {
	t.Helper()
	h, ok := tr.Track(epoch, tp, off)
	if !ok {
		t.Fatalf("Track(%v, %d) refused", tp, off)
	}
	return h
}

func TestTrackerOutOfOrderCompletion(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	e := tr.Begin()
	tr.Start(e, p0, 10)
	var hs []Handle
	for off := int64(10); off < 15; off++ {
		hs = append(hs, mustTrack(t, tr, e, p0, off))
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
	p0 := TP{"in", 0}
	e := tr.Begin()
	tr.Start(e, p0, 0)
	tr.Done(mustTrack(t, tr, e, p0, 0))
	cs, epoch := tr.Committable()
	if len(cs) != 1 || cs[0].Offset != 1 {
		t.Fatalf("committable = %+v", cs)
	}
	tr.Committed(epoch, cs)
	if cs, _ := tr.Committable(); len(cs) != 0 {
		t.Fatalf("committable after commit = %+v", cs)
	}
}

func TestTrackerNothingCommittableAtStart(t *testing.T) {
	tr := NewTracker()
	e := tr.Begin()
	tr.Start(e, TP{"in", 3}, 42)
	if cs, _ := tr.Committable(); len(cs) != 0 {
		t.Fatalf("committable before any record = %+v", cs)
	}
}

func TestTrackerGenerationsAreIsolated(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	e1 := tr.Begin()
	tr.Start(e1, p0, 0)
	old := mustTrack(t, tr, e1, p0, 0)
	e2 := tr.Begin()
	if tr.Live(old) {
		t.Fatal("a handle of the previous generation is live")
	}
	if tr.Done(old) {
		t.Fatal("completing a stale handle was accepted")
	}
	if _, ok := tr.Track(e1, p0, 1); ok {
		t.Fatal("tracked a record of an ended generation")
	}
	if _, ok := tr.Track(e2, p0, 1); ok {
		t.Fatal("tracked a record of a partition not started in this generation")
	}
	tr.Start(e2, p0, 0)
	h := mustTrack(t, tr, e2, p0, 0)
	tr.End(e2)
	if tr.Live(h) || tr.Done(h) {
		t.Fatal("handle still live after End")
	}
	if cs, _ := tr.Committable(); len(cs) != 0 {
		t.Fatalf("committable after End = %+v", cs)
	}
}

func TestTrackerSkipCoversGaps(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	e := tr.Begin()
	tr.Start(e, p0, 0)
	h := mustTrack(t, tr, e, p0, 0)
	// 1 and 2 were an aborted record and its marker: never handed out.
	tr.Skip(e, p0, 3)
	if got := commitsOf(tr)[p0]; got != 0 {
		t.Fatalf("commit point %d with offset 0 pending", got)
	}
	tr.Done(h)
	if got := commitsOf(tr)[p0]; got != 3 {
		t.Fatalf("commit point %d, want 3 (past the skipped offsets)", got)
	}
	if _, ok := tr.Track(e, p0, 2); ok {
		t.Fatal("tracked an offset below the skip point")
	}
}

func TestTrackerRefusesGoingBack(t *testing.T) {
	tr := NewTracker()
	p0 := TP{"in", 0}
	e := tr.Begin()
	tr.Start(e, p0, 5)
	mustTrack(t, tr, e, p0, 5)
	if _, ok := tr.Track(e, p0, 5); ok {
		t.Fatal("tracked offset 5 twice")
	}
	if _, ok := tr.Track(e, p0, 4); ok {
		t.Fatal("tracked an offset below the start")
	}
}

package integration

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/kafkatest"
	"github.com/newsenrich/newsenrich/processor/decode"
)

// TestPoisonClassesMatchDecoder pins the reason each poison class must get, so a fault-test
// failure on the DLQ header points at the worker, not at a disagreement with the decoder.
func TestPoisonClassesMatchDecoder(t *testing.T) {
	const maxBytes = 64 << 10
	rng := rand.New(rand.NewPCG(1, 2))
	lim := decode.Limits{MaxBytes: maxBytes}
	for _, c := range PoisonClasses {
		t.Run(c.Name, func(t *testing.T) {
			v := c.Make("poison-1", rng, maxBytes)
			_, err := decode.Decode(v, lim)
			var de *decode.Error
			if !errors.As(err, &de) {
				t.Fatalf("decode accepted %s (err %v)", c.Name, err)
			}
			if de.Reason != c.Want {
				t.Errorf("decode reason %q (%s), poison table wants %q", de.Reason, de.Detail, c.Want)
			}
		})
	}
}

// TestHarnessCatchesLossAndDuplicates runs the accounting against a deliberately faulty in-test
// "worker" on kfake: one record dropped, one duplicated, one committed without output. The
// harness must see all three, or the fault tests could pass while losing data.
func TestHarnessCatchesLossAndDuplicates(t *testing.T) {
	if kafkatest.RealBrokers() != nil {
		t.Skip("kfake-only self-test of the harness")
	}
	brokers := kafkatest.Brokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := NewEnv(t, brokers, 2)
	in := make([]Record, 20)
	for i := range in {
		id := "h-" + strconv.Itoa(i)
		in[i] = Record{ID: id, Class: "article", Value: []byte(`{"id":"` + id + `","body":"x"}`)}
	}
	e.Produce(ctx, in)

	var drop *Input
	var outs []*kgo.Record
	for i, r := range e.Ledger.All() {
		if i == 7 {
			drop = r
			continue
		}
		h := []kgo.RecordHeader{
			{Key: event.HeaderSourceTopic, Value: []byte(e.Input)},
			{Key: event.HeaderSourcePartition, Value: []byte(strconv.Itoa(int(r.Partition)))},
			{Key: event.HeaderSourceOffset, Value: []byte(strconv.FormatInt(r.Offset, 10))},
		}
		topic := e.Output
		if i == 3 {
			topic = e.DLQ
			h = append(h, kgo.RecordHeader{Key: event.HeaderError, Value: []byte(event.ReasonInvalidJSON)})
		}
		outs = append(outs, &kgo.Record{Topic: topic, Key: []byte(r.ID), Value: r.Value, Headers: h})
		if i == 11 {
			outs = append(outs, &kgo.Record{Topic: topic, Key: []byte(r.ID), Value: r.Value, Headers: h})
		}
	}
	if err := e.cl.ProduceSync(ctx, outs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	r := e.Account()
	if r.In != 20 || r.Enriched != 18 || r.DeadLettered != 1 || r.Missing != 1 || r.Duplicates != 1 || r.Unknown != 0 {
		t.Errorf("report %s unknown=%d, want in=20 enriched=18 dead_lettered=1 missing=1 duplicates=1 unknown=0", r, r.Unknown)
	}
	if len(r.MissingIDs) != 1 || r.MissingIDs[0] != drop.ID {
		t.Errorf("missing ids %v, want [%s]", r.MissingIDs, drop.ID)
	}

	// Committing below the dropped record is fine; committing past it must be caught.
	commit := func(at int64) {
		t.Helper()
		var o kadm.Offsets
		o.Add(kadm.Offset{Topic: e.Input, Partition: drop.Partition, At: at, LeaderEpoch: -1})
		resp, err := e.Adm.CommitOffsets(ctx, e.Group, o)
		if err == nil {
			err = resp.Error()
		}
		if err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
	commit(drop.Offset)
	if _, err := e.CheckCommitInvariant(ctx); err != nil {
		t.Errorf("commit up to the dropped record flagged: %v", err)
	}
	commit(drop.Offset + 1)
	if _, err := e.CheckCommitInvariant(ctx); err == nil {
		t.Error("commit past a record without output was not flagged")
	}
}

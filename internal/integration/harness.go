package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Env is one fault scenario's private corner of the broker: its own input, output and
// dead-letter topics and consumer group, so scenarios never see each other's records.
type Env struct {
	T       testing.TB
	Brokers []string
	Input   string
	Output  string
	DLQ     string
	Group   string

	cl  *kgo.Client
	Adm *kadm.Client

	Ledger *Ledger
	Out    *Collector
}

// NewEnv creates fresh topics named after the test and starts a collector reading the output
// and dead-letter topics from the beginning. Everything is torn down when t ends.
func NewEnv(t testing.TB, brokers []string, partitions int32) *Env {
	t.Helper()
	run := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())) + "-" +
		strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	e := &Env{
		T: t, Brokers: brokers,
		Input: "in-" + run, Output: "out-" + run, DLQ: "dlq-" + run, Group: "g-" + run,
		Ledger: NewLedger(),
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchMaxBytes(1<<20),
		kgo.ProducerLinger(5*time.Millisecond),
		kgo.RecordRetries(100),
		kgo.RetryTimeout(2*time.Minute),
	)
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	e.cl, e.Adm = cl, kadm.NewClient(cl)
	t.Cleanup(cl.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tp := range []struct {
		name string
		n    int32
	}{{e.Input, partitions}, {e.Output, partitions}, {e.DLQ, 1}} {
		resp, err := e.Adm.CreateTopic(ctx, tp.n, 1, nil, tp.name)
		if err == nil {
			err = resp.Err
		}
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			t.Fatalf("create topic %s: %v", tp.name, err)
		}
	}
	e.Out = NewCollector(t, brokers, e.Input, e.Output, e.DLQ)
	// Cleanups run last-registered first: workers stop, then this, then the collector and client.
	t.Cleanup(func() {
		// Keep the broker small: a restart replays metadata for every topic ever created.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = e.Adm.DeleteGroup(ctx, e.Group)
		_, _ = e.Adm.DeleteTopics(ctx, e.Input, e.Output, e.DLQ)
	})
	return e
}

// WorkerEnv is the NEWSENRICH_* environment pointing a worker at this scenario.
func (e *Env) WorkerEnv() []string {
	return []string{
		"NEWSENRICH_BROKERS=" + strings.Join(e.Brokers, ","),
		"NEWSENRICH_INPUT_TOPIC=" + e.Input,
		"NEWSENRICH_OUTPUT_TOPIC=" + e.Output,
		"NEWSENRICH_DLQ_TOPIC=" + e.DLQ,
		"NEWSENRICH_GROUP=" + e.Group,
	}
}

// Record is one input to produce: Key is the article id (also the Kafka key) and Class names the
// kind of input ("article" or a poison class) for the per-class checks.
type Record struct {
	ID    string
	Class string
	Value []byte
}

// Input is a produced record and where the broker put it.
type Input struct {
	Record
	Partition int32
	Offset    int64
}

// Produce writes recs with acks=all and records their positions in the ledger.
func (e *Env) Produce(ctx context.Context, recs []Record) {
	e.T.Helper()
	if err := e.produce(ctx, recs); err != nil {
		e.T.Fatal(err)
	}
}

func (e *Env) produce(ctx context.Context, recs []Record) error {
	krs := make([]*kgo.Record, len(recs))
	idx := make(map[*kgo.Record]int, len(recs))
	for i, r := range recs {
		krs[i] = &kgo.Record{Topic: e.Input, Key: []byte(r.ID), Value: r.Value}
		idx[krs[i]] = i
	}
	// ProduceSync returns results in completion order, not input order.
	var errs []error
	for _, r := range e.cl.ProduceSync(ctx, krs...) {
		i := idx[r.Record]
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("produce %s: %w", recs[i].ID, r.Err))
			continue
		}
		e.Ledger.add(Input{Record: recs[i], Partition: r.Record.Partition, Offset: r.Record.Offset})
	}
	return errors.Join(errs...)
}

// ProduceStream produces recs in batches of batch every interval in the background, so faults hit
// a worker while input is still arriving; the client retries through a broker outage. The
// returned channel closes when all are produced (or the test failed producing).
func (e *Env) ProduceStream(ctx context.Context, recs []Record, batch int, interval time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(recs); i += batch {
			end := min(i+batch, len(recs))
			if err := e.produce(ctx, recs[i:end]); err != nil {
				e.T.Errorf("stream: %v", err) // not Fatal: this is not the test goroutine
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
		}
	}()
	return done
}

// Committed returns the group's committed offset per input partition (absent = none).
func (e *Env) Committed(ctx context.Context) (map[int32]int64, error) {
	resp, err := e.Adm.FetchOffsetsForTopics(ctx, e.Group, e.Input)
	if err != nil {
		return nil, err
	}
	out := map[int32]int64{}
	for p, o := range resp[e.Input] {
		if o.Err != nil {
			return nil, fmt.Errorf("partition %d: %w", p, o.Err)
		}
		if o.At >= 0 {
			out[p] = o.At
		}
	}
	return out, nil
}

// Sync waits until the collector has read everything the broker holds in the output and
// dead-letter topics right now.
func (e *Env) Sync(ctx context.Context) error {
	ends, err := e.Adm.ListEndOffsets(ctx, e.Output, e.DLQ)
	if err != nil {
		return err
	}
	var lerr error
	ends.Each(func(o kadm.ListedOffset) {
		// A deleted output topic (the unwritable-output fault) has nothing to catch up with.
		if o.Err != nil && !errors.Is(o.Err, kerr.UnknownTopicOrPartition) {
			lerr = fmt.Errorf("end offset %s/%d: %w", o.Topic, o.Partition, o.Err)
		}
	})
	if lerr != nil {
		return lerr
	}
	for {
		behind := false
		ends.Each(func(o kadm.ListedOffset) {
			if o.Err == nil && e.Out.next(o.Topic, o.Partition) < o.Offset {
				behind = true
			}
		})
		if !behind {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("collector did not catch up with %v: %w", ends, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// CheckCommitInvariant asserts the at-least-once rule: every input below the group's committed
// offset has an output (enriched or dead letter) that the broker holds. It returns the number of
// inputs that have output but sit at or above the committed offset ("done, not committed").
func (e *Env) CheckCommitInvariant(ctx context.Context) (doneNotCommitted int, err error) {
	committed, err := e.Committed(ctx)
	if err != nil {
		return 0, fmt.Errorf("committed offsets: %w", err)
	}
	// Outputs are acknowledged before their offsets are committed, so syncing after reading the
	// commits sees every output a commit can stand for.
	if err := e.Sync(ctx); err != nil {
		return 0, err
	}
	counts := e.Out.counts(e.Ledger)
	var bad []string
	for _, in := range e.Ledger.All() {
		has := counts[in.ID].total() > 0
		if in.Offset < committed[in.Partition] && !has {
			bad = append(bad, fmt.Sprintf("%s@%d/%d", in.ID, in.Partition, in.Offset))
		}
		if in.Offset >= committed[in.Partition] && has {
			doneNotCommitted++
		}
	}
	if len(bad) > 0 {
		return doneNotCommitted, fmt.Errorf("%d inputs committed without output (committed %v): %v", len(bad), committed, head(bad, 10))
	}
	return doneNotCommitted, nil
}

// Report is the accounting of one scenario.
type Report struct {
	In, Enriched, DeadLettered, Missing, Duplicates, Unknown int
	MissingIDs                                               []string
}

func (r Report) String() string {
	return fmt.Sprintf("in=%d enriched=%d dead_lettered=%d missing=%d duplicates=%d", r.In, r.Enriched, r.DeadLettered, r.Missing, r.Duplicates)
}

// Account counts, for every produced input, its outputs. An input with both an enriched event and
// a dead letter counts as enriched plus one duplicate.
func (e *Env) Account() Report {
	counts := e.Out.counts(e.Ledger)
	var r Report
	for _, in := range e.Ledger.All() {
		r.In++
		c := counts[in.ID]
		switch {
		case c.enriched > 0:
			r.Enriched++
		case c.dlq > 0:
			r.DeadLettered++
		default:
			r.Missing++
			r.MissingIDs = append(r.MissingIDs, in.ID)
		}
		if t := c.total(); t > 1 {
			r.Duplicates += t - 1
		}
	}
	r.Unknown = e.Out.unknown(e.Ledger)
	return r
}

// WaitAccounted waits until no input is missing, then syncs to the topics' ends so late
// duplicates are counted too.
func (e *Env) WaitAccounted(ctx context.Context) Report {
	e.T.Helper()
	for {
		r := e.Account()
		if r.Missing == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return r
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err := e.Sync(ctx); err != nil {
		e.T.Errorf("sync: %v", err)
	}
	return e.Account()
}

// WaitProgress waits until at least n inputs have some output.
func (e *Env) WaitProgress(ctx context.Context, n int) error {
	for {
		r := e.Account()
		if r.Enriched+r.DeadLettered >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("only %d of %d inputs have output: %w", r.Enriched+r.DeadLettered, n, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Summarize prints the FAULT line make test-kafka shows, appends it to $NEWSENRICH_FAULT_SUMMARY
// when set, and fails the test if anything is missing or unaccounted.
func Summarize(t testing.TB, name string, r Report, dupDetail func() string) {
	t.Helper()
	line := fmt.Sprintf("FAULT %s: %s", name, r)
	// With a summary file, make test-kafka prints the lines once at the end.
	if p := os.Getenv("NEWSENRICH_FAULT_SUMMARY"); p != "" {
		t.Log(line)
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			_, err = fmt.Fprintln(f, line)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			t.Errorf("fault summary %s: %v", p, err)
		}
	} else {
		fmt.Println(line)
	}
	if r.Duplicates > 0 && dupDetail != nil {
		t.Logf("%s duplicates: %s", name, dupDetail())
	}
	if r.Missing > 0 {
		t.Errorf("%s: %d inputs have neither an enriched event nor a dead letter, e.g. %v", name, r.Missing, head(r.MissingIDs, 10))
	}
	if r.Unknown > 0 {
		t.Errorf("%s: %d output records match no produced input, or their source headers and key name different inputs", name, r.Unknown)
	}
}

// Ledger remembers every produced input by id and by position.
type Ledger struct {
	mu    sync.Mutex
	byID  map[string]*Input
	byPos map[[2]int64]*Input
	order []*Input
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{byID: map[string]*Input{}, byPos: map[[2]int64]*Input{}}
}

func (l *Ledger) add(in Input) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := &in
	l.byID[in.ID] = p
	l.byPos[[2]int64{int64(in.Partition), in.Offset}] = p
	l.order = append(l.order, p)
}

// All returns the inputs in production order.
func (l *Ledger) All() []*Input {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Input(nil), l.order...)
}

// mismatch reports an output whose source headers and key name different inputs: a worker
// that mixes up headers would make position-based accounting lie.
func (l *Ledger) mismatch(o Output) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if o.SrcOffset < 0 || o.Key == "" {
		return false
	}
	byPos, byKey := l.byPos[[2]int64{int64(o.SrcPartition), o.SrcOffset}], l.byID[o.Key]
	return byPos != nil && byKey != nil && byPos != byKey
}

func (l *Ledger) lookup(o Output) *Input {
	l.mu.Lock()
	defer l.mu.Unlock()
	if o.SrcOffset >= 0 {
		if in := l.byPos[[2]int64{int64(o.SrcPartition), o.SrcOffset}]; in != nil {
			return in
		}
	}
	return l.byID[o.Key]
}

// repoRoot is the module root: tests run in the package directory.
func repoRoot() string {
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// DuplicateSummary describes where duplicates sit, per input partition: how many inputs were
// output more than once and their offset range. It helps tell "records in flight at the fault"
// (a short range at the fault) from "commits not happening" (long ranges).
func (e *Env) DuplicateSummary() string {
	counts := e.Out.counts(e.Ledger)
	type span struct {
		n        int
		min, max int64
	}
	per := map[int32]*span{}
	for _, in := range e.Ledger.All() {
		if counts[in.ID].total() < 2 {
			continue
		}
		s := per[in.Partition]
		if s == nil {
			s = &span{min: in.Offset, max: in.Offset}
			per[in.Partition] = s
		}
		s.n++
		s.min, s.max = min(s.min, in.Offset), max(s.max, in.Offset)
	}
	parts := make([]int32, 0, len(per))
	for p := range per {
		parts = append(parts, p)
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i] < parts[j] })
	var b strings.Builder
	for _, p := range parts {
		s := per[p]
		fmt.Fprintf(&b, "p%d: %d inputs in offsets [%d,%d]; ", p, s.n, s.min, s.max)
	}
	return strings.TrimSuffix(b.String(), "; ")
}

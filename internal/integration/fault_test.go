package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

// The fault tests run the real worker binary against a real broker; they skip without
// NEWSENRICH_TEST_BROKERS. Sizes are small enough for a 2-core CI machine: each scenario is
// about delivery under a fault, not throughput.

const (
	maxBytes        = 64 << 10
	shutdownTimeout = 10 * time.Second
	commitInterval  = 200 * time.Millisecond
	maxInflight     = 128 // the default: 64 x NEWSENRICH_CONCURRENCY=2
)

func TestMain(m *testing.M) {
	code := m.Run()
	removeWorkerBinary()
	os.Exit(code)
}

// scaled multiplies a scenario's record count by NEWSENRICH_FAULT_SCALE (default 1), for a
// slower processor or a quicker smoke run; never below 24 (two of each poison class).
func scaled(n int) int {
	f, err := strconv.ParseFloat(os.Getenv("NEWSENRICH_FAULT_SCALE"), 64)
	if err != nil || f <= 0 {
		return n
	}
	return max(24, int(float64(n)*f))
}

func workerEnv(e *Env, extra ...string) []string {
	env := append(e.WorkerEnv(),
		"NEWSENRICH_CONCURRENCY=2",
		"NEWSENRICH_COMMIT_INTERVAL="+commitInterval.String(),
		"NEWSENRICH_SHUTDOWN_TIMEOUT="+shutdownTimeout.String(),
		fmt.Sprintf("NEWSENRICH_MAX_BYTES=%d", maxBytes),
		"NEWSENRICH_LANGUAGES=en",
		"NEWSENRICH_LOG_FORMAT=json",
		"NEWSENRICH_LOG_LEVEL=info",
	)
	return append(env, extra...) // later entries win in os/exec
}

func startReady(ctx context.Context, t *testing.T, e *Env, name string, extra ...string) *Worker {
	t.Helper()
	w := StartWorker(t, name, workerEnv(e, extra...))
	if err := w.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// finish stops the workers cleanly, then checks nothing was committed without output and that a
// clean stop left every done record committed.
func finish(ctx context.Context, t *testing.T, e *Env, ws ...*Worker) {
	t.Helper()
	for _, w := range ws {
		if !w.Running() {
			continue
		}
		if _, err := w.Stop(shutdownTimeout + 10*time.Second); err != nil {
			t.Errorf("stop %s: %v", w.Name, err)
		}
	}
	pending, err := e.CheckCommitInvariant(ctx)
	if err != nil {
		t.Error(err)
	}
	if pending > 0 {
		t.Errorf("%d records have output but were not committed after clean shutdown", pending)
	}
}

// TestFaultWorkerSIGKILL: the worker is killed with SIGKILL mid-stream and restarted; the new
// process resumes from the last commit and nothing is lost (records in flight may repeat).
func TestFaultWorkerSIGKILL(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 3)
	n := scaled(1200)
	arts := Articles(t, "kill", n)
	// A backlog first, so the kill lands while records are in flight however fast the worker is,
	// and more input streaming in while it is dead and after the restart.
	e.Produce(ctx, arts[:n/2])
	w1 := startReady(ctx, t, e, "w1")
	prod := e.ProduceStream(ctx, arts[n/2:], 25, 250*time.Millisecond)
	readyAt := time.Now()
	must(t, e.WaitProgress(ctx, n/4))
	// Throughput just before the kill: records completed per commit interval.
	a0, t0 := e.Account(), time.Now()
	time.Sleep(500 * time.Millisecond)
	a1 := e.Account()
	rate := float64(a1.Enriched+a1.DeadLettered-a0.Enriched-a0.DeadLettered) / time.Since(t0).Seconds()
	commits, _ := w1.Metric("newsenrich_consumer_commits_total", "")
	w1.Kill()
	committed, _ := e.Committed(ctx)
	t.Logf("SIGKILL w1 %s after ready, %d of %d produced inputs done, %v commit rounds, committed %v",
		time.Since(readyAt).Round(time.Millisecond), e.Account().Enriched, len(e.Ledger.All()), commits, committed)
	w2 := startReady(ctx, t, e, "w2")
	<-prod
	e.WaitAccounted(ctx)
	finish(ctx, t, e, w2)
	// At-least-once after a crash: what was published since the last commit
	// is redone, at most one commit interval of work plus what was in flight.
	perInterval := int(rate * commitInterval.Seconds())
	bound := perInterval + maxInflight
	r := e.Account()
	if r.Duplicates > bound {
		t.Errorf("%d duplicates after SIGKILL, over the bound %d (%d records per %v commit interval + max-inflight %d)",
			r.Duplicates, bound, perInterval, commitInterval, maxInflight)
	}
	Summarize(t, fmt.Sprintf("worker_sigkill_restart (duplicate bound %d = %d per %v commit interval + max-inflight %d)",
		bound, perInterval, commitInterval, maxInflight), r, e.DuplicateSummary)
}

// TestFaultRebalance: two workers, a third joins, then one leaves mid-stream, so partitions move
// while records are in flight.
func TestFaultRebalance(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 6)
	n := scaled(900)
	prod := e.ProduceStream(ctx, Articles(t, "rebalance", n), 50, 150*time.Millisecond)

	w1 := startReady(ctx, t, e, "w1")
	w2 := startReady(ctx, t, e, "w2")
	must(t, e.WaitProgress(ctx, n/5))
	w3 := startReady(ctx, t, e, "w3")
	must(t, e.WaitProgress(ctx, n/2))
	if d, err := w2.Stop(shutdownTimeout + 10*time.Second); err != nil {
		t.Errorf("stop w2 mid-stream: %v (after %s)", err, d)
	}
	<-prod
	e.WaitAccounted(ctx)
	finish(ctx, t, e, w1, w3)
	r := e.Account()
	if r.Duplicates > 0 {
		t.Errorf("%d duplicates from graceful rebalances (want 0): %s", r.Duplicates, e.DuplicateSummary())
	}
	Summarize(t, "rebalance_2_to_3_to_2_workers", r, e.DuplicateSummary)
}

// TestFaultBrokerRestart: the broker is stopped and restarted under the worker. The worker must
// stay up, report not-ready on /readyz meanwhile, and recover by itself.
func TestFaultBrokerRestart(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctl := os.Getenv("NEWSENRICH_TEST_KAFKA_CTL")
	if ctl == "" {
		t.Skip("set NEWSENRICH_TEST_KAFKA_CTL=scripts/kafka.sh to allow stopping the broker (make test-kafka does)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 3)
	n := scaled(1600)
	arts := Articles(t, "brokerrestart", n)
	// A backlog plus a stream that goes on through the outage (the test producer retries), so
	// the broker goes away while the worker has records in flight.
	e.Produce(ctx, arts[:n/2])
	w := startReady(ctx, t, e, "w1")
	prod := e.ProduceStream(ctx, arts[n/2:], 20, 100*time.Millisecond)
	must(t, e.WaitProgress(ctx, n/4))

	kafkaCtl(t, ctl, "down")
	at := e.Account()
	t.Logf("broker stopped with %d of %d produced inputs done", at.Enriched+at.DeadLettered, at.In)
	var sawNotReady atomic.Bool
	outage := time.Now()
	for time.Since(outage) < 10*time.Second {
		if !w.Ready() {
			sawNotReady.Store(true)
		}
		if !w.Running() {
			t.Fatalf("worker exited while the broker was down: %v\n%s", w.ExitErr(), tail(w.Log, 30))
		}
		time.Sleep(200 * time.Millisecond)
	}
	before := e.Account()
	kafkaCtl(t, ctl, "up")
	upAt := time.Now()
	// Consuming again: a record without output before the restart gets one.
	resumed := time.Duration(-1)
	for time.Since(upAt) < 60*time.Second {
		if a := e.Account(); a.Enriched+a.DeadLettered > before.Enriched+before.DeadLettered {
			resumed = time.Since(upAt)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("consuming again %s after the broker was back", resumed.Round(time.Millisecond))
	if resumed < 0 || resumed > 5*time.Second {
		t.Errorf("consuming again took %s after the broker was back, want <= 5s", resumed.Round(time.Millisecond))
	}
	if !sawNotReady.Load() {
		t.Error("/readyz stayed 200 for 10 s while the broker was down")
	}
	<-prod
	e.WaitAccounted(ctx)
	t.Logf("all inputs accounted %s after the broker was back", time.Since(upAt).Round(time.Millisecond))
	back := time.Now()
	for !w.Ready() && time.Since(back) < 60*time.Second {
		time.Sleep(200 * time.Millisecond)
	}
	if !w.Ready() {
		t.Error("/readyz not 200 within 60 s after the broker came back")
	}
	if !w.Running() {
		t.Errorf("worker exited: %v", w.ExitErr())
	}
	finish(ctx, t, e, w)
	Summarize(t, fmt.Sprintf("broker_stop_restart (consuming again %s after the broker was back)", resumed.Round(100*time.Millisecond)), e.Account(), e.DuplicateSummary)
}

func kafkaCtl(t *testing.T, ctl, verb string) {
	t.Helper()
	cmd := exec.Command("bash", ctl, verb)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", ctl, verb, err, out.String())
	}
	t.Logf("%s %s took %s", ctl, verb, time.Since(start).Round(time.Millisecond))
}

// TestFaultOutputUnwritable: the output topic disappears for a while (deleted, then created
// again; the test broker does not auto-create topics), so every enriched write fails with
// UNKNOWN_TOPIC_OR_PARTITION. No offset may be committed for a record without output, and valid
// articles must not be dead-lettered just because the output was down.
func TestFaultOutputUnwritable(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 3)
	n, before := scaled(400), scaled(100)
	arts := Articles(t, "unwritable", n)
	w := startReady(ctx, t, e, "w1")
	e.Produce(ctx, arts[:before])
	if r := e.WaitAccounted(ctx); r.Missing > 0 {
		t.Fatalf("before the fault: %s", r)
	}

	deleteTopic(ctx, t, e.Adm, e.Output)
	e.Out.Forget(e.Output)
	e.Produce(ctx, arts[before:])
	sawNotReady := false
	for i := 0; i < 10; i++ {
		time.Sleep(time.Second)
		if !w.Ready() {
			sawNotReady = true
		}
		if _, err := e.CheckCommitInvariant(ctx); err != nil {
			t.Errorf("while output unwritable: %v", err)
			break
		}
	}
	during := e.Account()
	if during.Enriched > before {
		t.Errorf("%d articles enriched while the output topic was gone: the fault did not bite", during.Enriched-before)
	}
	committed, err := e.Committed(ctx)
	must(t, err)
	t.Logf("during outage: %s, committed %v, /readyz went not-ready: %v", during, committed, sawNotReady)
	resp, err := e.Adm.CreateTopic(ctx, 3, 1, nil, e.Output)
	if err == nil {
		err = resp.Err
	}
	must(t, err)
	must(t, e.Out.Restart())

	wctx, wcancel := context.WithTimeout(ctx, 90*time.Second)
	r := e.WaitAccounted(wctx)
	wcancel()
	if r.Missing > 0 {
		ends, _ := e.Adm.ListEndOffsets(ctx, e.Output)
		t.Logf("after recreating %s: %s; its end offsets %v", e.Output, r, ends)
	}
	if r.DeadLettered > 0 {
		t.Errorf("%d valid articles dead-lettered because the output was unwritable", r.DeadLettered)
	}
	if !w.Running() {
		t.Errorf("worker exited: %v", w.ExitErr())
	}
	finish(ctx, t, e, w)
	Summarize(t, "output_unwritable", e.Account(), e.DuplicateSummary)
}

func deleteTopic(ctx context.Context, t *testing.T, adm *kadm.Client, topic string) {
	t.Helper()
	resp, err := adm.DeleteTopics(ctx, topic)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		t.Fatalf("delete %s: %v", topic, err)
	}
	// Deletion is asynchronous: wait until metadata no longer lists the topic.
	for {
		md, err := adm.Metadata(ctx, topic)
		if err == nil {
			if d, ok := md.Topics[topic]; !ok || d.Err != nil {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %s still listed after delete", topic)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestFaultPoisonInput: every bad-input class at volume, mixed with valid articles. Each bad
// record lands in the dead-letter topic with its reason and its original bytes; the worker stays
// up and keeps enriching the good ones.
func TestFaultPoisonInput(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 3)
	poison := Poison("poison", scaled(480), maxBytes, 42)
	good := Articles(t, "good", len(poison)/4)
	var mixed []Record
	for i := range poison {
		mixed = append(mixed, poison[i])
		if i%4 == 3 {
			mixed = append(mixed, good[i/4])
		}
	}
	w := startReady(ctx, t, e, "w1")
	done := e.ProduceStream(ctx, mixed, 40, 50*time.Millisecond)
	<-done
	e.WaitAccounted(ctx)

	byID := map[string]*Input{}
	for _, in := range e.Ledger.All() {
		byID[in.ID] = in
	}
	wrong := map[string]int{}
	for _, o := range e.Out.Outputs() {
		in := e.Ledger.lookup(o)
		if in == nil {
			continue
		}
		want, isPoison := WantReason(in.Class)
		switch {
		case isPoison && !o.DLQ:
			wrong[in.Class+": enriched instead of dead-lettered"]++
		case isPoison && o.Reason != want:
			wrong[fmt.Sprintf("%s: reason %q, want %q", in.Class, o.Reason, want)]++
		case isPoison && !bytes.Equal(o.Value, in.Value):
			wrong[in.Class+": dead letter value differs from the input bytes"]++
		case !isPoison && o.DLQ:
			wrong[fmt.Sprintf("valid article dead-lettered as %s (%s)", o.Reason, o.Detail)]++
		}
	}
	for k, v := range wrong {
		t.Errorf("%d x %s", v, k)
	}
	if !w.Running() || !w.Healthy() {
		t.Errorf("worker not running/healthy after poison: running=%v err=%v", w.Running(), w.ExitErr())
	}
	if got, err := w.Metric("newsenrich_dlq_records_total", ""); err != nil || got < float64(len(poison)) {
		t.Errorf("newsenrich_dlq_records_total = %v (%v), want >= %d", got, err, len(poison))
	}
	finish(ctx, t, e, w)
	r := e.Account()
	if r.DeadLettered != len(poison) || r.Enriched != len(good) {
		t.Errorf("want %d dead-lettered and %d enriched, got %s", len(poison), len(good), r)
	}
	Summarize(t, "poison_input", r, e.DuplicateSummary)
	counts := map[string]int{}
	for _, o := range e.Out.Outputs() {
		if o.DLQ {
			counts[o.Reason]++
		}
	}
	t.Logf("dead letters by reason: %v", counts)
}

// TestFaultShutdownUnderLoad: SIGTERM while a backlog is being processed. The worker exits
// within its shutdown deadline, commits exactly what it finished, and a successor completes the
// rest.
func TestFaultShutdownUnderLoad(t *testing.T) {
	brokers := kafkatest.RequireReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := NewEnv(t, brokers, 3)
	n := scaled(1500)
	e.Produce(ctx, Articles(t, "shutdown", n))
	w := startReady(ctx, t, e, "w1")
	must(t, e.WaitProgress(ctx, n/6))

	took, err := w.Stop(shutdownTimeout + 20*time.Second)
	at := e.Account()
	t.Logf("SIGTERM -> exit in %s (err %v) with %d/%d done", took.Round(time.Millisecond), err, at.Enriched+at.DeadLettered, n)
	// Deadline plus time to flush, commit and leave the group.
	if limit := shutdownTimeout + 5*time.Second; took > limit {
		t.Errorf("shutdown took %s, deadline %s (+5 s to leave the group)", took, shutdownTimeout)
	}
	pending, ierr := e.CheckCommitInvariant(ctx)
	if ierr != nil {
		t.Error(ierr)
	}
	committed, cerr := e.Committed(ctx)
	must(t, cerr)
	var sum int64
	for _, c := range committed {
		sum += c
	}
	if sum == 0 {
		t.Error("nothing committed by a worker that finished records before SIGTERM")
	}
	if err == nil && pending > 0 {
		t.Errorf("clean exit left %d finished records uncommitted (committed %v)", pending, committed)
	}
	t.Logf("committed %d offsets, %d finished but uncommitted", sum, pending)
	if at.Enriched+at.DeadLettered >= n {
		t.Log("the backlog was finished before SIGTERM took effect; shutdown was not under load")
	}

	w2 := startReady(ctx, t, e, "w2")
	e.WaitAccounted(ctx)
	finish(ctx, t, e, w2)
	r := e.Account()
	if r.Duplicates > 0 {
		t.Errorf("%d duplicates after a graceful shutdown (want 0): %s", r.Duplicates, e.DuplicateSummary())
	}
	Summarize(t, "shutdown_under_load", r, e.DuplicateSummary)
}

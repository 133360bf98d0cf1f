package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/newsenrich/newsenrich/internal/kafkatest"
)

func TestRunRejectsBadConfig(t *testing.T) {
	t.Setenv("NEWSENRICH_COMMIT_INTERVAL", "soon")
	err := runCommand(context.Background(), []string{"--concurrency", "0"}, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	if !strings.Contains(err.Error(), `NEWSENRICH_COMMIT_INTERVAL="soon"`) {
		t.Fatalf("error does not name the bad variable: %v", err)
	}
	t.Setenv("NEWSENRICH_COMMIT_INTERVAL", "")
	err = runCommand(context.Background(), []string{"--concurrency", "0", "--input-topic", "articles.enriched"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--concurrency") || !strings.Contains(err.Error(), "--input-topic") {
		t.Fatalf("want errors naming --concurrency and --input-topic, got %v", err)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRunServesMetricsAndStopsCleanly runs the worker the way an operator
// does — configured only through the environment — and checks the HTTP
// endpoints and the clean exit on shutdown.
func TestRunServesMetricsAndStopsCleanly(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	in := kafkatest.Topic(t, brokers, "in", 2)
	out := kafkatest.Topic(t, brokers, "out", 1)
	dlq := kafkatest.Topic(t, brokers, "dlq", 1)
	addr := freeAddr(t)
	for k, v := range map[string]string{
		"NEWSENRICH_BROKERS": strings.Join(brokers, ","), "NEWSENRICH_INPUT_TOPIC": in,
		"NEWSENRICH_OUTPUT_TOPIC": out, "NEWSENRICH_DLQ_TOPIC": dlq, "NEWSENRICH_GROUP": kafkatest.Name(t, "g"),
		"NEWSENRICH_HTTP_ADDR": addr, "NEWSENRICH_COMMIT_INTERVAL": "100ms", "NEWSENRICH_LOG_LEVEL": "warn",
		"NEWSENRICH_SHUTDOWN_TIMEOUT": "10s",
	} {
		t.Setenv(k, v)
	}
	kafkatest.Produce(t, brokers,
		&kgo.Record{Topic: in, Value: []byte(`{"id":"r1","body":"NATO met in Brussels."}`)},
		&kgo.Record{Topic: in, Value: []byte(`{"id":"r2"`)})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runCommand(ctx, nil, io.Discard, io.Discard) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := get("http://" + addr + "/readyz")
		_, body := get("http://" + addr + "/metrics")
		if code == http.StatusOK && strings.Contains(body, `newsenrich_processor_articles_total{outcome="dead_letter"} 1`) &&
			strings.Contains(body, `newsenrich_processor_articles_total{outcome="enriched"} 1`) {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run stopped early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready with both records handled after 30s; /readyz %d", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, _ := get("http://" + addr + "/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d", code)
	}
	_, body := get("http://" + addr + "/metrics")
	for _, name := range []string{
		"newsenrich_consumer_records_total", "newsenrich_consumer_lag_records", "newsenrich_consumer_commits_total",
		"newsenrich_consumer_commit_errors_total", "newsenrich_consumer_rebalances_total",
		"newsenrich_processor_articles_total", "newsenrich_processor_duration_seconds",
		"newsenrich_processor_stage_duration_seconds", "newsenrich_processor_words_total",
		"newsenrich_processor_entities_total", "newsenrich_processor_quotes_total", "newsenrich_producer_records_total",
		"newsenrich_producer_errors_total", "newsenrich_dlq_records_total", "newsenrich_inflight_records",
		"newsenrich_end_to_end_latency_seconds", "newsenrich_ready", "newsenrich_build_info",
		"newsenrich_kafka_reader_messages_total", "newsenrich_kafka_writer_messages_total", "go_goroutines",
		"process_cpu_seconds_total",
	} {
		if !regexp.MustCompile(`(?m)^` + name + `(_bucket|_sum|_count)?[{ ]`).MatchString(body) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after a clean shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
}

// The demo command wires its flags into the demo; the demo itself is
// tested in package demo.
func TestDemoCommandWiresFlags(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := demoCommand(ctx, []string{"--limit", "1", "--engine", "none"}, &out, io.Discard); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if want := "summary: 3 in, 1 enriched, 2 dead-lettered, 3 offsets committed"; !strings.Contains(out.String(), want) {
		t.Fatalf("summary missing %q:\n%s", want, out.String())
	}
	if err := demoCommand(ctx, []string{"--engine", "spacy"}, io.Discard, io.Discard); err == nil {
		t.Error("unknown engine accepted")
	}
}

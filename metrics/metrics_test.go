package metrics

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestEveryMetricIsExportedAtStart(t *testing.T) {
	m := New(Topics{Input: "in", Output: "out", DLQ: "dlq"}, Build{Version: "v", Model: "m"})
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, mf := range mfs {
		got[mf.GetName()] = true
	}
	for _, name := range []string{
		"newsenrich_consumer_records_total", "newsenrich_consumer_lag_records", "newsenrich_consumer_commits_total",
		"newsenrich_consumer_commit_errors_total", "newsenrich_consumer_rebalances_total",
		"newsenrich_processor_articles_total", "newsenrich_processor_duration_seconds",
		"newsenrich_processor_stage_duration_seconds", "newsenrich_processor_words_total",
		"newsenrich_processor_entities_total", "newsenrich_processor_quotes_total",
		"newsenrich_producer_records_total", "newsenrich_producer_errors_total", "newsenrich_dlq_records_total",
		"newsenrich_inflight_records", "newsenrich_end_to_end_latency_seconds", "newsenrich_ready",
		"newsenrich_build_info", "newsenrich_kafka_reader_messages_total", "newsenrich_kafka_writer_errors_total",
		"go_goroutines", "process_open_fds",
	} {
		if !got[name] {
			t.Errorf("%s not exported at start", name)
		}
	}
}

func TestReadyzFollowsChecks(t *testing.T) {
	m := New(Topics{Input: "in", Output: "out", DLQ: "dlq"}, Build{})
	s := NewServer("127.0.0.1:0", m, slog.New(slog.NewTextHandler(io.Discard, nil)))
	state := errors.New("group not joined")
	s.AddCheck("worker", func() error { return state })
	for _, tc := range []struct {
		err  error
		code int
	}{{state, http.StatusServiceUnavailable}, {nil, http.StatusOK}} {
		state = tc.err
		rec := httptest.NewRecorder()
		s.srv.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		if rec.Code != tc.code {
			t.Fatalf("check %v: /readyz = %d, want %d", tc.err, rec.Code, tc.code)
		}
	}
}

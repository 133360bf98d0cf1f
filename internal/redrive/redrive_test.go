package redrive

import (
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
)

func dead(reason, at, count string, value string) kafka.Message {
	h := []kafka.Header{
		{Key: event.HeaderError, Value: []byte(reason)},
		{Key: event.HeaderErrorTime, Value: []byte(at)},
		{Key: "traceparent", Value: []byte("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")},
	}
	if count != "" {
		h = append(h, kafka.Header{Key: event.HeaderRedriveCount, Value: []byte(count)})
	}
	return kafka.Message{Key: []byte("k"), Value: []byte(value), Headers: h, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestDecide(t *testing.T) {
	cfg := Config{Reason: event.ReasonTooLarge, MaxRedrives: 2, Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	const recent, old = "2026-11-23T10:00:00Z", "2026-10-01T00:00:00Z"
	tests := []struct {
		name      string
		msg       kafka.Message
		match     bool
		skip      string
		wantCount string
	}{
		{"first re-drive", dead("too_large", recent, "", "v"), true, "", "1"},
		{"second re-drive", dead("too_large", recent, "1", "v"), true, "", "2"},
		{"at the limit", dead("too_large", recent, "2", "v"), true, "re-driven 2 times", ""},
		{"other reason", dead("invalid_json", recent, "", "v"), false, "", ""},
		{"before --since", dead("too_large", old, "", "v"), false, "", ""},
		{"original not carried", dead("too_large", recent, "", ""), true, "does not carry the original", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, skip, ok := decide(cfg, tc.msg)
			if ok != tc.match || !strings.Contains(skip, tc.skip) || (tc.skip == "") != (skip == "") {
				t.Fatalf("match %v skip %q, want %v %q", ok, skip, tc.match, tc.skip)
			}
			if !ok || skip != "" {
				return
			}
			if string(out.Value) != "v" || string(out.Key) != "k" || out.Topic != "" {
				t.Errorf("record %+v", out)
			}
			var counts []string
			kept := false
			for _, h := range out.Headers {
				if h.Key == event.HeaderRedriveCount {
					counts = append(counts, string(h.Value))
				}
				kept = kept || h.Key == "traceparent"
			}
			if len(counts) != 1 || counts[0] != tc.wantCount || !kept {
				t.Errorf("headers %v", out.Headers)
			}
		})
	}
	cfg.Reason = AnyReason
	if _, _, ok := decide(cfg, dead("invalid_json", recent, "", "v")); !ok {
		t.Error("reason any did not match")
	}
}

func TestConfigValidate(t *testing.T) {
	err := Config{DLQTopic: "t", InputTopic: "t"}.Validate()
	for _, want := range []string{"broker", "must differ", "--reason", "--max-redrives"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
}

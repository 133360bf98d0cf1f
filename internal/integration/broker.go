// Package integration holds end-to-end tests that run the newsenrich worker against a Kafka broker:
// a kafka-go smoke test of the broker itself and the fault tests of issue 5 (kill, rebalance,
// broker restart, unwritable output, poison input, shutdown under load). Each fault test accounts
// for every input id: it must appear in the enriched or the dead-letter topic.
//
// The broker is selected by NEWSENRICH_TEST_BROKERS (comma list, e.g. from scripts/kafka.sh up).
// Unset, tests that can run on an in-process kfake cluster do so and real-broker-only tests skip,
// so plain `go test ./...` stays fast and needs no Java.
package integration

import (
	"os"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// BrokersEnv names the environment variable that selects a real broker.
const BrokersEnv = "NEWSENRICH_TEST_BROKERS"

// RealBrokers returns the brokers from NEWSENRICH_TEST_BROKERS, or nil when unset.
func RealBrokers() []string {
	v := strings.TrimSpace(os.Getenv(BrokersEnv))
	if v == "" {
		return nil
	}
	var out []string
	for _, b := range strings.Split(v, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// RequireRealBroker skips t unless a real broker is configured.
func RequireRealBroker(t testing.TB) []string {
	t.Helper()
	b := RealBrokers()
	if b == nil {
		t.Skipf("real-broker test: set %s (make test-kafka does)", BrokersEnv)
	}
	return b
}

// Brokers returns the real brokers, or starts a kfake cluster that lives until t ends.
func Brokers(t testing.TB) []string {
	t.Helper()
	if b := RealBrokers(); b != nil {
		return b
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

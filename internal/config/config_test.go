package config

import (
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] })
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.InputTopic != "articles.raw" || c.OutputTopic != "articles.enriched" || c.DLQTopic != "articles.dlq" ||
		c.Group != "newsenrich" || c.MaxBytes != 1048576 || c.HTTPAddr != ":8080" ||
		c.ShutdownTimeout != 30*time.Second || c.CommitInterval != time.Second ||
		!reflect.DeepEqual(c.Brokers, []string{"127.0.0.1:9092"}) || !reflect.DeepEqual(c.Languages, []string{"en"}) {
		t.Fatalf("defaults differ from the documented ones: %+v", c)
	}
	if c.Concurrency < 1 || c.MaxInflight != 64*c.Concurrency {
		t.Fatalf("concurrency %d, max inflight %d", c.Concurrency, c.MaxInflight)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	env := map[string]string{
		"NEWSENRICH_BROKERS":          "k1:9092, k2:9093",
		"NEWSENRICH_INPUT_TOPIC":      "in",
		"NEWSENRICH_CONCURRENCY":      "3",
		"NEWSENRICH_MAX_INFLIGHT":     "30",
		"NEWSENRICH_SHUTDOWN_TIMEOUT": "5s",
		"NEWSENRICH_LANGUAGES":        "en,de",
		"NEWSENRICH_OTHER_LANGUAGES":  "Dead-Letter",
		"NEWSENRICH_ENGINE":           "prose",
		"NEWSENRICH_TLS":              "true",
		"NEWSENRICH_SASL_MECHANISM":   "scram-sha-512",
		"NEWSENRICH_SASL_USERNAME":    "u",
		"NEWSENRICH_SASL_PASSWORD":    "p",
	}
	c, err := load(t, []string{"--concurrency", "2", "--group", "g2"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Brokers, []string{"k1:9092", "k2:9093"}) || c.InputTopic != "in" ||
		c.Concurrency != 2 || c.MaxInflight != 30 || c.Group != "g2" || c.ShutdownTimeout != 5*time.Second ||
		!reflect.DeepEqual(c.Languages, []string{"en", "de"}) || !c.TLS || c.OtherLanguages != "dead-letter" || c.Engine != "prose" {
		t.Fatalf("got %+v", c)
	}
	mech, err := c.SASL()
	if err != nil || mech == nil || mech.Name() != "SCRAM-SHA-512" {
		t.Fatalf("SASL = %v, %v", mech, err)
	}
	tc, err := c.TLSConfig()
	if err != nil || tc == nil {
		t.Fatalf("TLS = %v, %v", tc, err)
	}
}

func TestInvalidSettingsNameTheSetting(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad int env", nil, map[string]string{"NEWSENRICH_CONCURRENCY": "many"}, `NEWSENRICH_CONCURRENCY="many": not an integer`},
		{"bad duration env", nil, map[string]string{"NEWSENRICH_COMMIT_INTERVAL": "5"}, "NEWSENRICH_COMMIT_INTERVAL"},
		{"bad bool env", nil, map[string]string{"NEWSENRICH_TLS": "maybe"}, "NEWSENRICH_TLS"},
		{"broker without port", []string{"--brokers", "kafka"}, nil, `--brokers: "kafka" is not host:port`},
		{"broker bad port", []string{"--brokers", "kafka:0"}, nil, "invalid port"},
		{"no brokers", []string{"--brokers", ""}, nil, "at least one broker"},
		{"topic chars", []string{"--output-topic", "a b"}, nil, "--output-topic"},
		{"same topics", []string{"--input-topic", "x", "--dlq-topic", "x"}, nil, "--input-topic: must differ"},
		{"empty group", []string{"--group", ""}, nil, "--group"},
		{"zero concurrency", []string{"--concurrency", "0"}, nil, "--concurrency"},
		{"inflight below concurrency", []string{"--concurrency", "4", "--max-inflight", "2"}, nil, "--max-inflight"},
		{"max bytes", []string{"--max-bytes", "-1"}, nil, "--max-bytes"},
		{"http addr", []string{"--http-addr", "8080"}, nil, "--http-addr"},
		{"shutdown", []string{"--shutdown-timeout", "0s"}, nil, "--shutdown-timeout"},
		{"log level", []string{"--log-level", "loud"}, nil, "--log-level"},
		{"log format", []string{"--log-format", "xml"}, nil, "--log-format"},
		{"language policy", []string{"--other-languages", "skip"}, nil, `--other-languages: "skip" is not a language policy`},
		{"language policy env", nil, map[string]string{"NEWSENRICH_OTHER_LANGUAGES": "ignore"}, "--other-languages"},
		{"engine", []string{"--engine", "spacy"}, nil, `--engine: unknown engine "spacy" (known: default, prose, none)`},
		{"sasl mechanism", []string{"--sasl-mechanism", "kerberos"}, nil, "--sasl-mechanism"},
		{"sasl without user", []string{"--sasl-mechanism", "plain"}, nil, "--sasl-username"},
		{"ca without tls", []string{"--tls-ca", notPEM}, nil, "--tls-ca: set but --tls is off"},
		{"ca not pem", []string{"--tls", "--tls-ca", notPEM}, nil, "no PEM certificate"},
		{"ca missing", []string{"--tls", "--tls-ca", filepath.Join(dir, "nope")}, nil, "reading CA file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.args, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, err := load(t, []string{"--log-level", "debug"}, map[string]string{"NEWSENRICH_LOG_LEVEL": "nonsense"})
	if err != nil || c.LogLevel != "debug" {
		t.Fatalf("level %q, err %v", c.LogLevel, err)
	}
}

func TestLogger(t *testing.T) {
	for _, tc := range []struct {
		level, format, want string
	}{
		{"warn", "text", "level=WARN msg=shown"},
		{"info", "json", `"msg":"shown"`},
	} {
		var b strings.Builder
		c := Default()
		c.LogLevel, c.LogFormat = tc.level, tc.format
		log := c.Logger(&b)
		log.Debug("hidden")
		log.Warn("shown")
		if !strings.Contains(b.String(), tc.want) || strings.Contains(b.String(), "hidden") {
			t.Errorf("%s/%s: %q", tc.level, tc.format, b.String())
		}
	}
}

// The worker gets a second P for its network I/O unless GOMAXPROCS says
// otherwise, and the memory limit unless GOMEMLIMIT says otherwise.
func TestApplyRuntime(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c := Default()
	c.MemoryLimitMiB = 300

	runtime.GOMAXPROCS(1)
	c.ApplyRuntime(env(nil))
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("GOMAXPROCS %d after ApplyRuntime on one P, want 2", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("memory limit %d, want %d", got, 300<<20)
	}

	runtime.GOMAXPROCS(1)
	debug.SetMemoryLimit(math.MaxInt64)
	c.ApplyRuntime(env(map[string]string{"GOMAXPROCS": "1", "GOMEMLIMIT": "1GiB"}))
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS %d although the variable says 1", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d set although GOMEMLIMIT is", got)
	}
}

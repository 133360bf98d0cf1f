// Package config holds the worker's configuration: every setting is a flag
// with a NEWSENRICH_* environment variable behind it, and Validate rejects
// bad values at start-up with a message that names the setting.
package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/processor/engine"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// Config is the worker's configuration.
type Config struct {
	Brokers     []string
	InputTopic  string
	OutputTopic string
	DLQTopic    string
	Group       string
	Concurrency int
	MaxInflight int
	MaxBytes    int
	// MaxMessageBytes is the largest record the worker writes; keep it at or
	// below the brokers' message.max.bytes.
	MaxMessageBytes int
	Languages       []string
	// OtherLanguages is what happens to articles in other languages:
	// pass, dead-letter or drop (see package pipeline).
	OtherLanguages string
	// Engine names the processor (see package engine).
	Engine          string
	HTTPAddr        string
	ShutdownTimeout time.Duration
	CommitInterval  time.Duration
	LagInterval     time.Duration
	LogLevel        string
	LogFormat       string
	// MemoryLimitMiB is the Go runtime's soft memory limit (0: none); the
	// GOMEMLIMIT environment variable, when set, wins.
	MemoryLimitMiB int
	// ClientID identifies this worker in the brokers' logs and quotas; it
	// need not be unique (the group tells members apart by member id).
	ClientID      string
	TLS           bool
	TLSCA         string
	SASLMechanism string
	SASLUsername  string
	SASLPassword  string
}

// Default returns the documented defaults.
func Default() Config {
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	return Config{
		Brokers:         []string{"127.0.0.1:9092"},
		InputTopic:      "articles.raw",
		OutputTopic:     "articles.enriched",
		DLQTopic:        "articles.dlq",
		Group:           "newsenrich",
		Concurrency:     runtime.NumCPU(),
		MaxInflight:     0, // 0 = 64 per unit of concurrency, resolved in Validate
		MaxBytes:        1 << 20,
		MaxMessageBytes: 1000000,
		Languages:       []string{"en"},
		OtherLanguages:  string(pipeline.PolicyPass),
		Engine:          engine.Default,
		HTTPAddr:        ":8080",
		ShutdownTimeout: 30 * time.Second,
		CommitInterval:  time.Second,
		LagInterval:     5 * time.Second,
		MemoryLimitMiB:  256,
		LogLevel:        "info",
		LogFormat:       "text",
		ClientID:        fmt.Sprintf("newsenrich-%s-%d", host, os.Getpid()),
	}
}

// setting is one flag with its environment variable. def and doc are the
// default and the meaning in Markdown, as the README's configuration table
// shows them; -h shows doc without the Markdown.
type setting struct {
	name, env string
	value     flag.Value
	def, doc  string
}

func (s setting) usage() string { return strings.ReplaceAll(s.doc, "`", "") }

func (c *Config) settings() []setting {
	return []setting{
		{"brokers", "NEWSENRICH_BROKERS", (*listValue)(&c.Brokers), "`127.0.0.1:9092`", "comma-separated bootstrap brokers (host:port)"},
		{"input-topic", "NEWSENRICH_INPUT_TOPIC", (*stringValue)(&c.InputTopic), "`articles.raw`", "topic the raw articles are read from"},
		{"output-topic", "NEWSENRICH_OUTPUT_TOPIC", (*stringValue)(&c.OutputTopic), "`articles.enriched`", "topic enriched events are written to"},
		{"dlq-topic", "NEWSENRICH_DLQ_TOPIC", (*stringValue)(&c.DLQTopic), "`articles.dlq`", "topic dead letters are written to"},
		{"group", "NEWSENRICH_GROUP", (*stringValue)(&c.Group), "`newsenrich`", "consumer group id; all replicas share it"},
		{"concurrency", "NEWSENRICH_CONCURRENCY", (*intValue)(&c.Concurrency), "CPU count", "records processed in parallel; match the CPU limit"},
		{"max-inflight", "NEWSENRICH_MAX_INFLIGHT", (*intValue)(&c.MaxInflight), "64 x concurrency", "records fetched but not yet committable before fetching pauses"},
		{"max-bytes", "NEWSENRICH_MAX_BYTES", (*intValue)(&c.MaxBytes), "`1048576`", "largest input record; larger ones are dead-lettered as `too_large`"},
		{"max-message-bytes", "NEWSENRICH_MAX_MESSAGE_BYTES", (*intValue)(&c.MaxMessageBytes), "`1000000`", "largest record written, at most the brokers' `message.max.bytes`; bigger events are dead-lettered as `too_large`"},
		{"languages", "NEWSENRICH_LANGUAGES", (*listValue)(&c.Languages), "`en`", "languages the engine enriches (empty = any); a record that names none has its language detected from the body"},
		{"other-languages", "NEWSENRICH_OTHER_LANGUAGES", (*stringValue)(&c.OtherLanguages), "`pass`", "articles in other languages: `pass` (event with the article's fields, no enrichment, `enrichment.skipped` says why), `dead-letter` (`unsupported_language`) or `drop` (committed, nothing written)"},
		{"engine", "NEWSENRICH_ENGINE", (*stringValue)(&c.Engine), "`default`", "NLP engine: `default` (ours), `prose` (prose/v2 entities, model built once, with our quotes and topics), `none` (no stages)"},
		{"http-addr", "NEWSENRICH_HTTP_ADDR", (*stringValue)(&c.HTTPAddr), "`:8080`", "address of `/metrics`, `/healthz`, `/readyz`"},
		{"shutdown-timeout", "NEWSENRICH_SHUTDOWN_TIMEOUT", (*durationValue)(&c.ShutdownTimeout), "`30s`", "deadline for finishing in-flight work on SIGTERM; keep it below the termination grace period"},
		{"commit-interval", "NEWSENRICH_COMMIT_INTERVAL", (*durationValue)(&c.CommitInterval), "`1s`", "how often completed offsets are committed"},
		{"lag-interval", "NEWSENRICH_LAG_INTERVAL", (*durationValue)(&c.LagInterval), "`5s`", "how often consumer lag is measured"},
		{"memory-limit-mib", "NEWSENRICH_MEMORY_LIMIT_MIB", (*intValue)(&c.MemoryLimitMiB), "`256`", "soft memory limit of the Go runtime in MiB, so the GC works harder before the process grows past it (0 = none; `GOMEMLIMIT`, when set, wins)"},
		{"log-level", "NEWSENRICH_LOG_LEVEL", (*stringValue)(&c.LogLevel), "`info`", "`debug`, `info`, `warn`, `error`"},
		{"log-format", "NEWSENRICH_LOG_FORMAT", (*stringValue)(&c.LogFormat), "`text` (image: `json`)", "`text` or `json`"},
		{"client-id", "NEWSENRICH_CLIENT_ID", (*stringValue)(&c.ClientID), "`newsenrich-<host>-<pid>`", "Kafka client id (need not be unique)"},
		{"tls", "NEWSENRICH_TLS", (*boolValue)(&c.TLS), "off", "connect to the brokers with TLS"},
		{"tls-ca", "NEWSENRICH_TLS_CA", (*stringValue)(&c.TLSCA), "system roots", "PEM file with the CA certificates to trust"},
		{"sasl-mechanism", "NEWSENRICH_SASL_MECHANISM", (*stringValue)(&c.SASLMechanism), "none", "`plain`, `scram-sha-256` or `scram-sha-512`"},
		{"sasl-username", "NEWSENRICH_SASL_USERNAME", (*stringValue)(&c.SASLUsername), "", "SASL user name"},
		{"sasl-password", "NEWSENRICH_SASL_PASSWORD", (*stringValue)(&c.SASLPassword), "", "SASL password (use the environment, not the flag)"},
	}
}

// WriteMarkdown writes the README's configuration table: one row per
// setting, generated so that the README cannot drift from the flags.
func WriteMarkdown(w io.Writer) error {
	var c Config
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n|---|---|---|---|\n")
	for _, s := range c.settings() {
		fmt.Fprintf(&b, "| `%s` | `--%s` | %s | %s |\n", s.env, s.name, s.def, s.doc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RegisterFlags adds every setting to fs, with the current values of c as
// defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	for _, s := range c.settings() {
		fs.Var(s.value, s.name, s.usage()+" ($"+s.env+")")
	}
}

// ApplyEnv sets, from the environment, every setting whose flag was not given
// on the command line (flags win over the environment). getenv is usually
// os.Getenv; explicit is the set of flag names given (see Explicit).
func (c *Config) ApplyEnv(getenv func(string) string, explicit map[string]bool) error {
	var errs []error
	for _, s := range c.settings() {
		if explicit[s.name] {
			continue
		}
		v, ok := lookup(getenv, s.env)
		if !ok {
			continue
		}
		if err := s.value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.env, v, err))
		}
	}
	return errors.Join(errs...)
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// Explicit returns the names of the flags set on fs's command line.
func Explicit(fs *flag.FlagSet) map[string]bool {
	m := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { m[f.Name] = true })
	return m
}

// Load is the usual start-up sequence: defaults, flags, environment,
// Validate. fs must be fresh; args exclude the subcommand name.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := c.ApplyEnv(getenv, Explicit(fs)); err != nil {
		return c, fmt.Errorf("invalid configuration: %w", err)
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

// Validate checks every setting and resolves derived defaults (MaxInflight).
// The error lists every problem, each naming its flag.
func (c *Config) Validate() error {
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("--%s: %s", name, fmt.Sprintf(format, a...)))
	}
	if len(c.Brokers) == 0 {
		bad("brokers", "at least one broker is required")
	}
	for _, b := range c.Brokers {
		host, port, err := net.SplitHostPort(b)
		if err != nil || host == "" {
			bad("brokers", "%q is not host:port", b)
			continue
		}
		if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
			bad("brokers", "%q has an invalid port", b)
		}
	}
	topics := map[string]string{"input-topic": c.InputTopic, "output-topic": c.OutputTopic, "dlq-topic": c.DLQTopic}
	for _, name := range []string{"input-topic", "output-topic", "dlq-topic"} {
		if err := validTopic(topics[name]); err != nil {
			bad(name, "%v", err)
		}
	}
	if c.InputTopic != "" && (c.InputTopic == c.OutputTopic || c.InputTopic == c.DLQTopic) {
		bad("input-topic", "must differ from the output and dead-letter topics (the worker would consume its own output)")
	}
	if c.Group == "" {
		bad("group", "must not be empty")
	}
	if c.Concurrency < 1 || c.Concurrency > 4096 {
		bad("concurrency", "must be between 1 and 4096, got %d", c.Concurrency)
	}
	if c.MemoryLimitMiB < 0 {
		errs = append(errs, fmt.Errorf("--memory-limit-mib must be 0 or more, got %d", c.MemoryLimitMiB))
	}
	if c.MaxInflight == 0 && c.Concurrency > 0 {
		c.MaxInflight = 64 * c.Concurrency
	}
	if c.MaxInflight < c.Concurrency {
		bad("max-inflight", "must be at least --concurrency (%d), got %d", c.Concurrency, c.MaxInflight)
	}
	if c.MaxBytes < 1 {
		bad("max-bytes", "must be positive, got %d", c.MaxBytes)
	}
	if c.MaxMessageBytes < 1024 {
		bad("max-message-bytes", "must be at least 1024, got %d", c.MaxMessageBytes)
	}
	for _, l := range c.Languages {
		if l == "" || len(l) > 8 {
			bad("languages", "%q is not a language code", l)
		}
	}
	if p, err := pipeline.ParsePolicy(c.OtherLanguages); err != nil {
		bad("other-languages", "%v", err)
	} else {
		c.OtherLanguages = string(p)
	}
	if !engine.Known(c.Engine) {
		bad("engine", "unknown engine %q (known: %s)", c.Engine, strings.Join(engine.Names, ", "))
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			bad("http-addr", "%q is not [host]:port", c.HTTPAddr)
		}
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown-timeout", "must be positive, got %v", c.ShutdownTimeout)
	}
	if c.CommitInterval <= 0 {
		bad("commit-interval", "must be positive, got %v", c.CommitInterval)
	}
	if c.LagInterval <= 0 {
		bad("lag-interval", "must be positive, got %v", c.LagInterval)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log-level", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log-format", "must be text or json, got %q", c.LogFormat)
	}
	if c.ClientID == "" {
		bad("client-id", "must not be empty")
	}
	switch c.SASLMechanism {
	case "":
	case "plain", "scram-sha-256", "scram-sha-512":
		if c.SASLUsername == "" {
			bad("sasl-username", "required with --sasl-mechanism=%s", c.SASLMechanism)
		}
		if c.SASLPassword == "" {
			bad("sasl-password", "required with --sasl-mechanism=%s", c.SASLMechanism)
		}
	default:
		bad("sasl-mechanism", "must be plain, scram-sha-256 or scram-sha-512, got %q", c.SASLMechanism)
	}
	if c.TLSCA != "" {
		if !c.TLS {
			bad("tls-ca", "set but --tls is off")
		} else if _, err := c.tlsConfig(); err != nil {
			bad("tls-ca", "%v", err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid configuration:\n  %w", joinLines(errs))
	}
	return nil
}

func joinLines(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}

// validTopic applies Kafka's topic name rules.
func validTopic(t string) error {
	if t == "" {
		return errors.New("must not be empty")
	}
	if len(t) > 249 {
		return errors.New("longer than 249 characters")
	}
	if t == "." || t == ".." {
		return fmt.Errorf("%q is not a valid topic name", t)
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("%q: only letters, digits, '.', '_' and '-' are allowed", t)
		}
	}
	return nil
}

// TLSConfig returns the TLS client configuration, or nil without --tls.
func (c *Config) TLSConfig() (*tls.Config, error) {
	if !c.TLS {
		return nil, nil
	}
	return c.tlsConfig()
}

func (c *Config) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSCA != "" {
		pem, err := os.ReadFile(c.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("reading CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", c.TLSCA)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// SASL returns the SASL mechanism, or nil without --sasl-mechanism.
func (c *Config) SASL() (sasl.Mechanism, error) {
	switch c.SASLMechanism {
	case "":
		return nil, nil
	case "plain":
		return plain.Mechanism{Username: c.SASLUsername, Password: c.SASLPassword}, nil
	case "scram-sha-256":
		return scram.Mechanism(scram.SHA256, c.SASLUsername, c.SASLPassword)
	case "scram-sha-512":
		return scram.Mechanism(scram.SHA512, c.SASLUsername, c.SASLPassword)
	}
	return nil, fmt.Errorf("unknown SASL mechanism %q", c.SASLMechanism)
}

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(strings.TrimSpace(s)); return nil }

type listValue []string

func (v *listValue) String() string { return strings.Join(*v, ",") }
func (v *listValue) Set(s string) error {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	*v = out
	return nil
}

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not an integer")
	}
	*v = intValue(n)
	return nil
}

type durationValue time.Duration

func (v *durationValue) String() string { return time.Duration(*v).String() }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not a duration (e.g. 30s, 1m)")
	}
	*v = durationValue(d)
	return nil
}

type boolValue bool

func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) IsBoolFlag() bool { return true }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not a boolean (true/false)")
	}
	*v = boolValue(b)
	return nil
}

// ApplyRuntime sets up the Go runtime for the worker. It sets the soft
// memory limit to MemoryLimitMiB unless GOMEMLIMIT is set (a container's
// limit, say): the models and the knowledge base are about 85 MiB of live
// heap, and without a limit the GC lets the heap double before it collects.
// And it gives the runtime at least two Ps unless GOMAXPROCS is set: with
// one P (what the runtime picks on one CPU or under a one-CPU limit) fetch
// responses, produce acknowledgements and timers wait until the lane that
// is computing an article blocks or is preempted, which made most of the
// latency tail on one core; with a second P they are served at once and
// the kernel shares the core. The lanes stay at Concurrency, so the CPU the
// worker asks for does not change.
func (c Config) ApplyRuntime(getenv func(string) string) {
	if c.MemoryLimitMiB > 0 && getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(c.MemoryLimitMiB) << 20)
	}
	if getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
}

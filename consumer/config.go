package consumer

import (
	"crypto/tls"
	"errors"
	"time"

	"github.com/segmentio/kafka-go/sasl"
)

// config.go holds the consumer's Config and its validation.

// Config configures a Consumer.
type Config struct {
	Brokers        []string
	Topic          string
	Group          string
	ClientID       string // any value; it need not be unique
	CommitInterval time.Duration
	LagInterval    time.Duration
	TLS            *tls.Config
	SASL           sasl.Mechanism
	// Group timing; zero values mean 1s heartbeat, 10s session and
	// rebalance timeouts. Tests shorten them.
	HeartbeatInterval time.Duration
	SessionTimeout    time.Duration
	RebalanceTimeout  time.Duration
	// MaxWait bounds how long a fetch waits for new data (default 250ms).
	MaxWait time.Duration
	// DrainTimeout bounds how long the end of a generation waits for
	// records already handed out before committing (default a third of
	// RebalanceTimeout, so drain and commit fit in the time the coordinator
	// gives members to rejoin).
	DrainTimeout time.Duration
	// FetchMaxBytes caps one fetch response (default 8 MiB; the broker
	// still returns a larger first batch whole).
	FetchMaxBytes int
	// Backoff bounds between retries of fetches and commits (default
	// 50ms..1s: short, so a restarted broker is used again within a second
	// of coming back).
	BackoffMin, BackoffMax time.Duration
}

// Validate fills defaults and reports a missing field.
func (cfg *Config) validate() error {
	if len(cfg.Brokers) == 0 || cfg.Topic == "" || cfg.Group == "" {
		return errors.New("consumer: brokers, topic and group are required")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.CommitInterval, time.Second)
	def(&cfg.LagInterval, 5*time.Second)
	def(&cfg.MaxWait, 250*time.Millisecond)
	// Shorter than kafka-go's 3s/30s/30s: after a broker restart the
	// coordinator waits up to these for members it remembers, and records
	// take milliseconds, so nothing needs the long defaults.
	def(&cfg.HeartbeatInterval, time.Second)
	def(&cfg.SessionTimeout, 10*time.Second)
	def(&cfg.RebalanceTimeout, 10*time.Second)
	def(&cfg.DrainTimeout, cfg.RebalanceTimeout/3)
	def(&cfg.BackoffMin, 50*time.Millisecond)
	def(&cfg.BackoffMax, time.Second)
	if cfg.FetchMaxBytes <= 0 {
		cfg.FetchMaxBytes = 8 << 20
	}
	return nil
}

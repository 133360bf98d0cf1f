// Command consumer is an example downstream service for newsenrich: it
// reads enriched events from the articles.enriched topic with kafka-go,
// checks the newsenrich-schema header, decodes each value with
// event.DecodeEnriched, and prints who is quoted saying what. Copy it as
// the starting point of your own consumer.
//
//	go run ./examples/consumer --brokers 127.0.0.1:9092 --topic articles.enriched
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("consumer", flag.ContinueOnError)
	brokers := fs.String("brokers", envOr("NEWSENRICH_BROKERS", "127.0.0.1:9092"), "comma-separated Kafka brokers")
	topic := fs.String("topic", envOr("NEWSENRICH_OUTPUT_TOPIC", "articles.enriched"), "enriched topic to read")
	group := fs.String("group", "newsenrich-example-consumer", "consumer group")
	maxRecords := fs.Int("max", 0, "stop after this many records (0 = run until interrupted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: strings.Split(*brokers, ","),
		Topic:   *topic,
		GroupID: *group,
	})
	defer r.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	err := consume(ctx, r, os.Stdout, log, *maxRecords)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// reader is the part of *kafka.Reader the consumer uses.
type reader interface {
	FetchMessage(ctx context.Context) (kafka.Message, error)
	CommitMessages(ctx context.Context, msgs ...kafka.Message) error
}

// consume handles records until ctx ends or maxRecords records were handled
// (max 0 = no limit). A record is committed after it was handled, also
// when it was skipped: a bad record must not block the partition.
func consume(ctx context.Context, r reader, out io.Writer, log *slog.Logger, maxRecords int) error {
	for n := 0; maxRecords == 0 || n < maxRecords; n++ {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		handle(m, out, log)
		if err := r.CommitMessages(ctx, m); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	return nil
}

func handle(m kafka.Message, out io.Writer, log *slog.Logger) {
	if v := header(m, event.HeaderSchema); !event.SchemaCompatible(v) {
		// A new major version may change meanings; upgrade the event
		// package before reading it.
		log.Warn("skipping event with incompatible schema", "schema", v, "want", event.SchemaVersion,
			"partition", m.Partition, "offset", m.Offset)
		return
	}
	e, err := event.DecodeEnriched(m.Value)
	if err != nil {
		log.Warn("skipping invalid event", "err", err, "partition", m.Partition, "offset", m.Offset)
		return
	}
	people := 0
	for _, ent := range e.Entities {
		if ent.Type == event.TypePerson {
			people++
		}
	}
	fmt.Fprintf(out, "%s (%s): %d entities, %d people, %d quotes\n", e.ID, e.Language, len(e.Entities), people, len(e.Quotes))
	for _, q := range e.Quotes {
		who := "unattributed"
		if q.Speaker != nil {
			who = q.Speaker.Name
		}
		// Offsets are UTF-8 byte offsets into Body; DecodeEnriched
		// checked them, so slicing is safe.
		fmt.Fprintf(out, "  %s: %s\n", who, e.Body[q.Start:q.End])
	}
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

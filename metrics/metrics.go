// Package metrics owns every Prometheus metric of the worker, on its own
// registry, and the HTTP server that exposes /metrics, /healthz and /readyz.
//
// Metrics (every labelled series is pre-initialised so each name is exported
// from start-up):
//
//	newsenrich_consumer_records_total{topic}            counter   records fetched from the input topic
//	newsenrich_consumer_lag_records{topic,partition}    gauge     high watermark - committed offset of the group
//	newsenrich_consumer_commits_total                   counter   successful offset commits
//	newsenrich_consumer_commit_errors_total             counter   failed offset commits
//	newsenrich_consumer_rebalances_total                counter   consumer group generations joined
//	newsenrich_processor_articles_total{outcome}        counter   outcome = enriched | dead_letter
//	newsenrich_processor_duration_seconds               histogram whole processor per article
//	newsenrich_processor_stage_duration_seconds{stage}  histogram stage = decode|tokenize|entities|quotes|topics
//	newsenrich_processor_words_total                    counter   words in enriched bodies
//	newsenrich_processor_entities_total{type}           counter   entities found, by type
//	newsenrich_processor_quotes_total                   counter   quotes found
//	newsenrich_producer_records_total{topic}            counter   writes acknowledged by the brokers (acks=all)
//	newsenrich_producer_errors_total{topic}             counter   failed write attempts (each is retried)
//	newsenrich_dlq_records_total{reason}                counter   dead letters acknowledged, by reason
//	newsenrich_inflight_records                         gauge     records fetched whose output is not yet acknowledged
//	newsenrich_end_to_end_latency_seconds               histogram input record timestamp -> output acknowledged
//	newsenrich_ready                                    gauge     1 when /readyz answers 200
//	newsenrich_build_info{version,goversion,model}      gauge     always 1
//	newsenrich_kafka_reader_*                           the consumer's fetch loops: messages, bytes, fetches, errors, skipped (markers, aborted records)
//	newsenrich_kafka_writer_*                           the producer's requests: writes, messages, bytes, errors, retries, dials
//	go_*, process_*                                     Go runtime and process collectors
package metrics

import (
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
)

// Outcomes of processor_articles_total.
const (
	OutcomeEnriched   = "enriched"
	OutcomeDeadLetter = "dead_letter"
	// OutcomePassed is an event written without enrichment: the article's
	// language is not one the engine enriches (--other-languages=pass).
	OutcomePassed = "passed"
	// OutcomeDropped is a record committed with nothing written
	// (--other-languages=drop).
	OutcomeDropped = "dropped"
)

// Actions of processor_other_language_total: what the --other-languages
// policy did with an article the engine does not enrich.
const (
	ActionPassed     = "passed"
	ActionDeadLetter = "dead_letter"
	ActionDropped    = "dropped"
)

// WarningFields are the article fields decode warnings are counted by.
var WarningFields = []string{"title", "source", "url", "published_at", "authors", "language"}

// Stages, entity types and reasons the label sets are pre-initialised with.
var (
	Stages      = []string{processor.StageDecode, processor.StageTokenize, processor.StageEntities, processor.StageQuotes, processor.StageTopics}
	EntityTypes = []string{event.TypePerson, event.TypeOrg, event.TypeGPE, event.TypeLoc, event.TypeNORP, event.TypeFac, event.TypeEvent, event.TypeMisc}
	Reasons     = []string{event.ReasonInvalidJSON, event.ReasonInvalidUTF8, event.ReasonMissingField, event.ReasonInvalidField,
		event.ReasonTooLarge, event.ReasonUnsupportedLanguage, event.ReasonUnsupportedFormat, event.ReasonEnrichmentFailed}
)

// Topics names the topics the worker uses, to pre-initialise topic labels.
type Topics struct {
	Input, Output, DLQ string
}

// Build describes the binary for newsenrich_build_info.
type Build struct {
	Version, Model string
}

// Metrics holds every metric. Fields are safe for concurrent use.
type Metrics struct {
	Registry *prometheus.Registry

	ConsumerRecords      *prometheus.CounterVec
	ConsumerLag          *prometheus.GaugeVec
	Commits              prometheus.Counter
	CommitErrors         prometheus.Counter
	Rebalances           prometheus.Counter
	Articles             *prometheus.CounterVec
	ProcessorDuration    prometheus.Histogram
	StageDuration        *prometheus.HistogramVec
	Words                prometheus.Counter
	Entities             *prometheus.CounterVec
	Quotes               prometheus.Counter
	ProducerRecords      *prometheus.CounterVec
	ProducerErrors       *prometheus.CounterVec
	DLQRecords           *prometheus.CounterVec
	DecodeWarnings       *prometheus.CounterVec
	OtherLanguage        *prometheus.CounterVec
	Inflight             prometheus.Gauge
	EndToEnd             prometheus.Histogram
	Ready                prometheus.Gauge
	BuildInfo            *prometheus.GaugeVec
	reader               readerStats
	writer               writerStats
	stageObservers       map[string]prometheus.Observer
	entityCounters       map[string]prometheus.Counter
	otherEntityCounter   prometheus.Counter
	lagTopicInitialised  string
	consumerRecordsInput prometheus.Counter
}

const ns = "newsenrich"

// New creates every metric and registers it, with the Go and process
// collectors, on a fresh registry.
func New(topics Topics, build Build) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{Registry: reg}
	f := func(c prometheus.Collector) { reg.MustRegister(c) }

	m.ConsumerRecords = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "consumer_records_total", Help: "Records fetched from the input topic."}, []string{"topic"})
	m.ConsumerLag = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "consumer_lag_records", Help: "High watermark minus the group's committed offset, per input partition."}, []string{"topic", "partition"})
	m.Commits = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "consumer_commits_total", Help: "Successful offset commits."})
	m.CommitErrors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "consumer_commit_errors_total", Help: "Failed offset commits."})
	m.Rebalances = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "consumer_rebalances_total", Help: "Consumer group generations joined."})
	m.Articles = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "processor_articles_total", Help: "Articles processed, by outcome (counted when the output is acknowledged)."}, []string{"outcome"})
	m.ProcessorDuration = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "processor_duration_seconds", Help: "Time the processor spent on one article.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)})
	m.StageDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "processor_stage_duration_seconds", Help: "Time spent in one processor stage for one article.", Buckets: prometheus.ExponentialBuckets(0.00001, 2, 20)}, []string{"stage"})
	m.Words = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "processor_words_total", Help: "Words in the bodies of enriched articles."})
	m.Entities = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "processor_entities_total", Help: "Entities found, by type."}, []string{"type"})
	m.Quotes = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "processor_quotes_total", Help: "Quotes found."})
	m.ProducerRecords = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "producer_records_total", Help: "Records written and acknowledged by the brokers (acks=all)."}, []string{"topic"})
	m.ProducerErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "producer_errors_total", Help: "Failed write attempts; each is retried."}, []string{"topic"})
	m.DLQRecords = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "dlq_records_total", Help: "Dead letters acknowledged, by reason."}, []string{"reason"})
	m.DecodeWarnings = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "decode_warnings_total", Help: "Metadata values that could not be read as sent (kept raw in the event's warnings), by article field."}, []string{"field"})
	m.OtherLanguage = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "processor_other_language_total", Help: "Articles in a language the engine does not enrich, by what --other-languages did with them."}, []string{"action"})
	m.Inflight = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "inflight_records", Help: "Records fetched whose output is not yet acknowledged."})
	m.EndToEnd = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "end_to_end_latency_seconds", Help: "From the input record's timestamp to its output being acknowledged.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 18)})
	m.Ready = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "ready", Help: "1 when /readyz answers 200."})
	m.BuildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "build_info", Help: "Always 1; labels describe the build."}, []string{"version", "goversion", "model"})

	for _, c := range []prometheus.Collector{m.ConsumerRecords, m.ConsumerLag, m.Commits, m.CommitErrors, m.Rebalances,
		m.Articles, m.ProcessorDuration, m.StageDuration, m.Words, m.Entities, m.Quotes, m.ProducerRecords,
		m.ProducerErrors, m.DLQRecords, m.DecodeWarnings, m.OtherLanguage, m.Inflight, m.EndToEnd, m.Ready, m.BuildInfo} {
		f(c)
	}
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reader = newReaderStats(reg)
	m.writer = newWriterStats(reg)

	m.consumerRecordsInput = m.ConsumerRecords.WithLabelValues(topics.Input)
	m.lagTopicInitialised = topics.Input
	for _, t := range []string{topics.Output, topics.DLQ} {
		m.ProducerRecords.WithLabelValues(t)
		m.ProducerErrors.WithLabelValues(t)
	}
	m.Articles.WithLabelValues(OutcomeEnriched)
	m.Articles.WithLabelValues(OutcomeDeadLetter)
	m.Articles.WithLabelValues(OutcomePassed)
	m.Articles.WithLabelValues(OutcomeDropped)
	for _, f := range WarningFields {
		m.DecodeWarnings.WithLabelValues(f)
	}
	for _, a := range []string{ActionPassed, ActionDeadLetter, ActionDropped} {
		m.OtherLanguage.WithLabelValues(a)
	}
	m.stageObservers = map[string]prometheus.Observer{}
	for _, s := range Stages {
		m.stageObservers[s] = m.StageDuration.WithLabelValues(s)
	}
	m.entityCounters = map[string]prometheus.Counter{}
	for _, t := range EntityTypes {
		m.entityCounters[t] = m.Entities.WithLabelValues(t)
	}
	m.otherEntityCounter = m.entityCounters[event.TypeMisc]
	for _, r := range Reasons {
		m.DLQRecords.WithLabelValues(r)
	}
	// Partition 0 exists in every topic; the lag poller fills in the rest.
	m.ConsumerLag.WithLabelValues(topics.Input, "0")
	m.BuildInfo.WithLabelValues(build.Version, runtime.Version(), build.Model).Set(1)
	return m
}

// Fetched counts one record fetched from the input topic.
func (m *Metrics) Fetched() { m.consumerRecordsInput.Inc() }

// ObserveStage is a processor.Observer feeding the stage histogram.
func (m *Metrics) ObserveStage(stage string, d time.Duration) {
	o, ok := m.stageObservers[stage]
	if !ok {
		o = m.StageDuration.WithLabelValues(stage)
	}
	o.Observe(d.Seconds())
}

// Enriched records the content counters of one enriched article.
func (m *Metrics) Enriched(ev *event.Enriched, words int) {
	m.Words.Add(float64(words))
	for i := range ev.Entities {
		c, ok := m.entityCounters[ev.Entities[i].Type]
		if !ok {
			c = m.otherEntityCounter
		}
		c.Inc()
	}
	m.Quotes.Add(float64(len(ev.Quotes)))
}

// Warning counts one decode warning for an article field.
func (m *Metrics) Warning(field string) { m.DecodeWarnings.WithLabelValues(field).Inc() }

// OtherLanguageHandled counts one article the engine does not enrich, by
// what the language policy did with it (Action*).
func (m *Metrics) OtherLanguageHandled(action string) { m.OtherLanguage.WithLabelValues(action).Inc() }

// SetLag sets the lag of one input partition.
func (m *Metrics) SetLag(topic string, partition int, lag int64) {
	m.ConsumerLag.WithLabelValues(topic, strconv.Itoa(partition)).Set(float64(lag))
}

// ObserveFetch counts one fetch request of the consumer's partition loops:
// the records and bytes it returned, or its error.
func (m *Metrics) ObserveFetch(records, bytes int, err error) {
	m.reader.fetches.Inc()
	if err != nil {
		m.reader.errors.Inc()
		return
	}
	m.reader.messages.Add(float64(records))
	m.reader.bytes.Add(float64(bytes))
}

// Skipped counts transaction markers and records of aborted transactions
// the consumer read past without handing them to the processor.
func (m *Metrics) Skipped(n int) { m.reader.skipped.Add(float64(n)) }

// Rebalanced counts a consumer-group generation joined.
func (m *Metrics) Rebalanced() { m.Rebalances.Inc() }

// ObserveWriter folds in the producer's counts since its last report, in
// the shape of kafka-go's WriterStats (only the counters are read).
func (m *Metrics) ObserveWriter(s kafka.WriterStats) { m.writer.observe(s) }

type readerStats struct {
	messages, bytes, fetches, errors, skipped prometheus.Counter
}

func newReaderStats(reg *prometheus.Registry) readerStats {
	c := func(name, help string) prometheus.Counter {
		x := prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: "kafka_reader", Name: name, Help: help})
		reg.MustRegister(x)
		return x
	}
	return readerStats{
		messages: c("messages_total", "Consumer fetch loops: records read (read_committed)."),
		bytes:    c("bytes_total", "Consumer fetch loops: key and value bytes read."),
		fetches:  c("fetches_total", "Consumer fetch loops: fetch requests."),
		errors:   c("errors_total", "Consumer fetch loops: failed fetch requests (each is retried)."),
		skipped:  c("skipped_total", "Consumer fetch loops: transaction markers and records of aborted transactions skipped."),
	}
}

type writerStats struct {
	writes, messages, bytes, errors, retries, dials prometheus.Counter
}

func newWriterStats(reg *prometheus.Registry) writerStats {
	c := func(name, help string) prometheus.Counter {
		x := prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: "kafka_writer", Name: name, Help: help})
		reg.MustRegister(x)
		return x
	}
	return writerStats{
		writes:   c("writes_total", "Producer: produce requests sent (one per partition and write)."),
		messages: c("messages_total", "Producer: records acknowledged by the brokers."),
		bytes:    c("bytes_total", "Producer: key and value bytes acknowledged."),
		errors:   c("errors_total", "Producer: produce requests that failed."),
		retries:  c("retries_total", "Producer: writes retried after a failed attempt."),
		dials:    c("dials_total", "Producer: connections opened to the brokers."),
	}
}

func (w writerStats) observe(s kafka.WriterStats) {
	w.writes.Add(float64(s.Writes))
	w.messages.Add(float64(s.Messages))
	w.bytes.Add(float64(s.Bytes))
	w.errors.Add(float64(s.Errors))
	w.retries.Add(float64(s.Retries))
	w.dials.Add(float64(s.Dials))
}

// CommitOK counts a successful commit.
func (m *Metrics) CommitOK() { m.Commits.Inc() }

// CommitFailed counts a failed commit.
func (m *Metrics) CommitFailed() { m.CommitErrors.Inc() }

// Produced counts n records acknowledged on topic.
func (m *Metrics) Produced(topic string, n int) {
	m.ProducerRecords.WithLabelValues(topic).Add(float64(n))
}

// ProduceFailed counts n failed write attempts on topic.
func (m *Metrics) ProduceFailed(topic string, n int) {
	m.ProducerErrors.WithLabelValues(topic).Add(float64(n))
}

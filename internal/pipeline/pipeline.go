// Package pipeline is the one step from a raw input record to its output
// record: decode, settle the language (detect it when the record names
// none, apply the --other-languages policy), enrich, and build the enriched
// event or the dead letter with its headers. The worker, replay, demo and
// enrich all call it, so a record comes out the same whichever way it went
// in.
package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/producer"
)

// Policy is what happens to an article in a language the engine does not
// enrich.
type Policy string

// Policies.
const (
	// PolicyPass writes an event with the article's fields and no
	// enrichment; enrichment.skipped says why.
	PolicyPass Policy = "pass"
	// PolicyDeadLetter writes a dead letter (unsupported_language).
	PolicyDeadLetter Policy = "dead-letter"
	// PolicyDrop writes nothing; the offset is committed.
	PolicyDrop Policy = "drop"
)

// Policies lists the valid policies, for flag help and validation.
var Policies = []Policy{PolicyPass, PolicyDeadLetter, PolicyDrop}

// ParsePolicy reads a --other-languages value.
func ParsePolicy(s string) (Policy, error) {
	for _, p := range Policies {
		if strings.EqualFold(strings.TrimSpace(s), string(p)) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%q is not a language policy (pass, dead-letter or drop)", s)
}

// DefaultLanguage is taken when a record names no language and detection
// is not sure.
const DefaultLanguage = "en"

// Config says which articles are enriched.
type Config struct {
	// MaxBytes is the largest record accepted; 0 = unlimited.
	MaxBytes int
	// Languages are the languages the engine enriches; an entry matches a
	// tag exactly or as its primary subtag ("en" covers "en-GB"). Empty =
	// every language.
	Languages []string
	// OtherLanguages is the policy for the rest ("" = PolicyPass).
	OtherLanguages Policy
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBytes < 0 {
		errs = append(errs, fmt.Errorf("max bytes must be >= 0, got %d", c.MaxBytes))
	}
	if c.OtherLanguages != "" {
		if _, err := ParsePolicy(string(c.OtherLanguages)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Processor enriches a raw record; *processor.Processor implements it.
type Processor interface {
	Process(raw []byte, obs processor.Observer) (event.Enriched, error)
}

// enricher is the part of *processor.Processor that enriches an article
// already decoded, so the pipeline decodes each record once.
type enricher interface {
	Enrich(art event.Article, obs processor.Observer) (event.Enriched, error)
}

// Counters receives what the pipeline decides; *metrics.Metrics implements
// it. nil counts nothing.
type Counters interface {
	Warning(field string)
	OtherLanguageHandled(action string)
}

// Pipeline is safe for concurrent use.
type Pipeline struct {
	proc     Processor
	enr      enricher
	cfg      Config
	counters Counters
	version  string
	model    string
}

// New builds a pipeline around proc.
func New(proc Processor, cfg Config, counters Counters) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.OtherLanguages == "" {
		cfg.OtherLanguages = PolicyPass
	}
	p := &Pipeline{proc: proc, cfg: cfg, counters: counters}
	p.enr, _ = proc.(enricher)
	if c, ok := proc.(interface{ Config() processor.Config }); ok {
		p.version, p.model = c.Config().Version, c.Config().Model
	}
	return p, nil
}

// Result is what one raw record becomes, before it is a Kafka record.
type Result struct {
	// Outcome is metrics.OutcomeEnriched, OutcomePassed, OutcomeDeadLetter
	// or OutcomeDropped.
	Outcome string
	// Event is set for enriched and passed records, with duration and
	// processing time filled in.
	Event *event.Enriched
	// Reason and Detail say why a record is a dead letter.
	Reason, Detail string
	// Duration is the time spent on the record.
	Duration time.Duration
}

// Process runs the whole step on one raw record.
func (p *Pipeline) Process(raw []byte, obs processor.Observer) Result {
	t0 := time.Now()
	r := p.safeProcess(raw, obs)
	r.Duration = time.Since(t0)
	if r.Event != nil {
		r.Event.Enrichment.DurationSeconds = r.Duration.Seconds()
		r.Event.Enrichment.ProcessedAt = time.Now().UTC().Format(time.RFC3339Nano)
	}
	return r
}

// safeProcess turns every panic (decoding included) into an
// enrichment_failed dead letter: one bad record must not stop the worker.
func (p *Pipeline) safeProcess(raw []byte, obs processor.Observer) (r Result) {
	defer func() {
		if v := recover(); v != nil {
			r = Result{Outcome: metrics.OutcomeDeadLetter, Reason: event.ReasonEnrichmentFailed, Detail: fmt.Sprintf("panic: %v", v)}
		}
	}()
	return p.process(raw, obs)
}

func (p *Pipeline) process(raw []byte, obs processor.Observer) Result {
	t := time.Now()
	art, err := decode.Decode(raw, decode.Limits{MaxBytes: p.cfg.MaxBytes})
	if obs != nil {
		obs(processor.StageDecode, time.Since(t))
	}
	if err != nil {
		return failed(err)
	}
	if p.counters != nil {
		for _, w := range art.Warnings {
			p.counters.Warning(w.Field)
		}
	}
	if art.Language == "" {
		art.Language = DetectLanguage(art.Title + "\n" + art.Body)
		if art.Language == "" {
			art.Language = DefaultLanguage
		}
	}
	if !p.enriches(art.Language) {
		return p.other(art)
	}
	var ev event.Enriched
	if p.enr != nil {
		ev, err = p.enr.Enrich(art, obs)
	} else {
		ev, err = p.proc.Process(raw, obs)
		ev.Language = art.Language
	}
	if err != nil {
		return failed(err)
	}
	return Result{Outcome: metrics.OutcomeEnriched, Event: &ev}
}

func failed(err error) Result {
	r := Result{Outcome: metrics.OutcomeDeadLetter, Reason: event.ReasonEnrichmentFailed, Detail: err.Error()}
	var pe *processor.Error
	var de *decode.Error
	switch {
	case errors.As(err, &pe):
		r.Reason, r.Detail = pe.Reason, pe.Detail
	case errors.As(err, &de):
		r.Reason, r.Detail = de.Reason, de.Detail
	}
	return r
}

func (p *Pipeline) enriches(tag string) bool {
	if len(p.cfg.Languages) == 0 {
		return true
	}
	primary, _, _ := strings.Cut(tag, "-")
	for _, l := range p.cfg.Languages {
		l = strings.ReplaceAll(strings.TrimSpace(l), "_", "-")
		if strings.EqualFold(l, tag) || strings.EqualFold(l, primary) {
			return true
		}
	}
	return false
}

// other applies the language policy.
func (p *Pipeline) other(art event.Article) Result {
	why := fmt.Sprintf("language %q is not one the engine enriches (%s)", art.Language, strings.Join(p.cfg.Languages, ", "))
	var r Result
	switch p.cfg.OtherLanguages {
	case PolicyDeadLetter:
		r = Result{Outcome: metrics.OutcomeDeadLetter, Reason: event.ReasonUnsupportedLanguage, Detail: why}
		p.count(metrics.ActionDeadLetter)
	case PolicyDrop:
		r = Result{Outcome: metrics.OutcomeDropped, Reason: event.ReasonUnsupportedLanguage, Detail: why}
		p.count(metrics.ActionDropped)
	default:
		ev := event.Enriched{
			ID: art.ID, Title: art.Title, Source: art.Source, URL: art.URL,
			PublishedAt: art.PublishedAt, PublishedAtRaw: art.PublishedAtRaw, Language: art.Language,
			Authors: art.Authors, Body: art.Body, Passthrough: art.Passthrough, Warnings: art.Warnings,
			Entities: []event.Entity{}, Quotes: []event.Quote{}, Topics: []event.Topic{},
			Enrichment: event.Enrichment{Version: p.version, Model: p.model, Skipped: why},
		}
		r = Result{Outcome: metrics.OutcomePassed, Event: &ev}
		p.count(metrics.ActionPassed)
	}
	return r
}

func (p *Pipeline) count(action string) {
	if p.counters != nil {
		p.counters.OtherLanguageHandled(action)
	}
}

// Output is what one input record turns into on Kafka.
type Output struct {
	// Record is the enriched event or the dead letter, ready to write;
	// zero when Outcome is metrics.OutcomeDropped (nothing to write).
	Record   kafka.Message
	Outcome  string          // a metrics.Outcome* value
	Reason   string          // dead-letter (or drop) reason class
	Event    *event.Enriched // the event, when enriched or passed
	Words    int             // words in the event's body
	Duration time.Duration   // pipeline time
}

// Record runs the step on one input record and builds its output record:
// the event or, when the record cannot be enriched or its event would not
// fit in a record, the dead letter.
func (p *Pipeline) Record(prod *producer.Producer, msg kafka.Message, obs processor.Observer) Output {
	src := producer.Source{Topic: msg.Topic, Partition: msg.Partition, Offset: msg.Offset, Headers: msg.Headers}
	r := p.Process(msg.Value, obs)
	o := Output{Outcome: r.Outcome, Reason: r.Reason, Duration: r.Duration}
	if r.Event != nil {
		r.Event.EventID = event.EventID(msg.Topic, msg.Partition, msg.Offset)
		value, err := json.Marshal(r.Event)
		if err != nil {
			o.Outcome, o.Reason = metrics.OutcomeDeadLetter, event.ReasonEnrichmentFailed
			o.Record = DeadLetter(prod, msg, o.Reason, "encoding event: "+err.Error(), src)
			return o
		}
		o.Event = r.Event
		o.Words = text.CountWords(r.Event.Body)
		o.Record = prod.Enriched(r.Event.ID, value, src)
		if !prod.Fits(o.Record) {
			// The brokers would reject it on every retry and stall the partition.
			o.Outcome, o.Reason, o.Event = metrics.OutcomeDeadLetter, event.ReasonTooLarge, nil
			detail := fmt.Sprintf("enriched event is %d bytes, over the %d-byte record limit (--max-message-bytes)", len(value), prod.MaxMessageBytes())
			o.Record = DeadLetter(prod, msg, o.Reason, detail, src)
		}
		return o
	}
	if r.Outcome == metrics.OutcomeDeadLetter {
		o.Record = DeadLetter(prod, msg, r.Reason, r.Detail, src)
	}
	return o
}

// DeadLetter builds the dead-letter record for msg. When even the original
// does not fit under the record limit, the value is left empty and the
// headers say where the original is; that is the one case where the
// dead letter cannot carry it.
func DeadLetter(p *producer.Producer, msg kafka.Message, reason, detail string, src producer.Source) kafka.Message {
	dl := p.DeadLetter(msg.Key, msg.Value, reason, detail, src, time.Now())
	if !p.Fits(dl) {
		detail = fmt.Sprintf("%s; original value (%d bytes) too large for the dead-letter topic, read it at the source offset", detail, len(msg.Value))
		dl = p.DeadLetter(msg.Key, nil, reason, detail, src, time.Now())
	}
	for _, h := range msg.Headers {
		if h.Key == event.HeaderRedriveCount {
			dl.Headers = append(dl.Headers, h)
		}
	}
	return dl
}

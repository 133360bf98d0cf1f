// Package processor turns one raw input record into an enriched event. It is
// pure: bytes in, an event or a typed *Error out, no I/O and no clock. The
// worker wraps it with timing and metrics; the enrich, eval and bench
// commands call the very same code.
package processor

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/text"
)

// EntityStage finds named entities in a tokenized body.
type EntityStage interface {
	Entities(doc *text.Doc) []event.Entity
}

// QuoteStage finds direct quotes and attributes them, using the entities
// already found to resolve speakers.
type QuoteStage interface {
	Quotes(doc *text.Doc, entities []event.Entity) []event.Quote
}

// TopicStage tags the article with IPTC Media Topics.
type TopicStage interface {
	Topics(title, body *text.Doc, entities []event.Entity) []event.Topic
}

// Stage names, as used in metrics labels and Observer calls.
const (
	StageDecode   = "decode"
	StageTokenize = "tokenize"
	StageEntities = "entities"
	StageQuotes   = "quotes"
	StageTopics   = "topics"
)

// Observer receives the duration of each stage of one article. It must be
// safe for concurrent use.
type Observer func(stage string, d time.Duration)

// Config holds the processor's limits.
type Config struct {
	Decode decode.Limits
	// Version and Model are copied into every event's enrichment block.
	Version string
	Model   string
}

// Processor is safe for concurrent use; stages are shared, per-article
// scratch space is pooled.
type Processor struct {
	cfg      Config
	entities EntityStage
	quotes   QuoteStage
	topics   TopicStage
	docs     sync.Pool
}

// New builds a processor from its stages. A nil stage is skipped (its output
// stays empty), which lets benchmarks and evaluations isolate one stage.
func New(cfg Config, entities EntityStage, quotes QuoteStage, topics TopicStage) *Processor {
	p := &Processor{cfg: cfg, entities: entities, quotes: quotes, topics: topics}
	p.docs.New = func() any { return new(docPair) }
	return p
}

type docPair struct{ title, body text.Doc }

// Config returns the configuration the processor was built with.
func (p *Processor) Config() Config { return p.cfg }

// Error is a record that cannot be enriched. Reason is one of the event.Reason*
// classes and goes into the dead-letter headers.
type Error struct {
	Reason string
	Detail string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Reason, e.Detail, e.Err)
	}
	return e.Reason + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// Process decodes and enriches one record. Any failure is an *Error.
func (p *Processor) Process(raw []byte, obs Observer) (ev event.Enriched, err error) {
	t0 := time.Now()
	art, err := decode.Decode(raw, p.cfg.Decode)
	observe(obs, StageDecode, t0)
	if err != nil {
		var de *decode.Error
		if errors.As(err, &de) {
			return ev, &Error{Reason: de.Reason, Detail: de.Detail, Err: err}
		}
		return ev, &Error{Reason: event.ReasonInvalidJSON, Detail: err.Error(), Err: err}
	}
	return p.Enrich(art, obs)
}

// Enrich runs the stages on an already decoded article. A panic in a stage
// is turned into an enrichment_failed error so one bad article never stops
// the worker.
func (p *Processor) Enrich(art event.Article, obs Observer) (ev event.Enriched, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Reason: event.ReasonEnrichmentFailed, Detail: fmt.Sprintf("panic: %v", r)}
		}
	}()
	docs := p.docs.Get().(*docPair)
	defer p.docs.Put(docs)

	t := time.Now()
	docs.body.Reset(art.Body)
	docs.title.Reset(art.Title)
	t = observe(obs, StageTokenize, t)

	ev = event.Enriched{
		ID: art.ID, Title: art.Title, Source: art.Source, URL: art.URL,
		PublishedAt: art.PublishedAt, Language: art.Language, Authors: art.Authors,
		Body: art.Body, Passthrough: art.Passthrough, PublishedAtRaw: art.PublishedAtRaw, Warnings: art.Warnings,
		Entities: []event.Entity{}, Quotes: []event.Quote{}, Topics: []event.Topic{},
		Enrichment: event.Enrichment{Version: p.cfg.Version, Model: p.cfg.Model},
	}
	if ev.Language == "" {
		ev.Language = "en"
	}
	if p.entities != nil {
		if e := p.entities.Entities(&docs.body); e != nil {
			ev.Entities = e
		}
		t = observe(obs, StageEntities, t)
	}
	if p.quotes != nil {
		if q := p.quotes.Quotes(&docs.body, ev.Entities); q != nil {
			ev.Quotes = q
		}
		t = observe(obs, StageQuotes, t)
	}
	if p.topics != nil {
		if tp := p.topics.Topics(&docs.title, &docs.body, ev.Entities); tp != nil {
			ev.Topics = tp
		}
		observe(obs, StageTopics, t)
	}
	// The pooled docs are reused; nothing in ev may point into their slices.
	return ev, nil
}

func observe(obs Observer, stage string, since time.Time) time.Time {
	now := time.Now()
	if obs != nil {
		obs(stage, now.Sub(since))
	}
	return now
}

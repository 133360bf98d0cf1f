package processor_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
	"github.com/newsenrich/newsenrich/processor/text"
)

// firstWordEntity is a deterministic stage: the first token is an ORG.
type firstWordEntity struct{}

func (firstWordEntity) Entities(doc *text.Doc) []event.Entity {
	if len(doc.Tokens) == 0 {
		return nil
	}
	t := doc.Tokens[0]
	m := event.Mention{Start: int(t.Start), End: int(t.End), Text: doc.TokenText(0)}
	return []event.Entity{{Text: m.Text, Type: event.TypeOrg, Count: 1, Mentions: []event.Mention{m}}}
}

type panicky struct{}

func (panicky) Quotes(*text.Doc, []event.Entity) []event.Quote { panic("boom") }

type countingTopics struct{ gotEntities int }

func (c *countingTopics) Topics(title, body *text.Doc, ents []event.Entity) []event.Topic {
	c.gotEntities = len(ents)
	return []event.Topic{{Code: "medtop:11000000", Label: "politics", Score: float64(len(title.Tokens))}}
}

func TestProcessErrorsAreTyped(t *testing.T) {
	p := processor.New(processor.Config{}, nil, nil, nil)
	cases := []struct {
		raw, reason string
	}{
		{`{"id":`, event.ReasonInvalidJSON},
		{`{"id":"a"}`, event.ReasonMissingField},
		{"\xff\xfe", event.ReasonInvalidUTF8},
	}
	for _, c := range cases {
		_, err := p.Process([]byte(c.raw), nil)
		var pe *processor.Error
		if !errors.As(err, &pe) {
			t.Fatalf("%q: error %v is not a *processor.Error", c.raw, err)
		}
		if pe.Reason != c.reason {
			t.Errorf("%q: reason %q, want %q", c.raw, pe.Reason, c.reason)
		}
	}
}

func TestStagePanicBecomesEnrichmentFailed(t *testing.T) {
	p := processor.New(processor.Config{}, nil, panicky{}, nil)
	_, err := p.Process([]byte(`{"id":"a","body":"He said “hi”."}`), nil)
	var pe *processor.Error
	if !errors.As(err, &pe) || pe.Reason != event.ReasonEnrichmentFailed {
		t.Fatalf("got %v, want enrichment_failed", err)
	}
}

func TestNilStagesGiveEmptyListsNotNull(t *testing.T) {
	p := processor.New(processor.Config{Version: "v", Model: "m"}, nil, nil, nil)
	ev, err := p.Process([]byte(`{"id":"a","body":"Text."}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Entities == nil || ev.Quotes == nil || ev.Topics == nil {
		t.Errorf("nil slices would marshal as null: %+v", ev)
	}
	if ev.Enrichment.Version != "v" || ev.Enrichment.Model != "m" || ev.Language != "en" {
		t.Errorf("enrichment/language not filled: %+v", ev)
	}
}

func TestStagesSeeEachOtherAndObserverSeesEveryStage(t *testing.T) {
	topics := &countingTopics{}
	p := processor.New(processor.Config{}, firstWordEntity{}, nil, topics)
	var mu sync.Mutex
	var stages []string
	obs := func(stage string, d time.Duration) {
		mu.Lock()
		stages = append(stages, stage)
		mu.Unlock()
	}
	ev, err := p.Process([]byte(`{"id":"a","title":"Two words","body":"NATO met."}`), obs)
	if err != nil {
		t.Fatal(err)
	}
	if topics.gotEntities != 1 || ev.Topics[0].Score != 2 {
		t.Errorf("topic stage saw %d entities, title tokens %v", topics.gotEntities, ev.Topics)
	}
	sort.Strings(stages)
	if got := fmt.Sprint(stages); got != "[decode entities tokenize topics]" {
		t.Errorf("observed stages %s", got)
	}
}

// Results must not alias the pooled token buffers: process many articles
// concurrently and check every event still describes its own body.
func TestConcurrentUseDoesNotAlias(t *testing.T) {
	p := processor.New(processor.Config{}, firstWordEntity{}, nil, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				word := fmt.Sprintf("W%dx%d", g, i)
				ev, err := p.Process([]byte(fmt.Sprintf(`{"id":"%s","body":"%s and more words here."}`, word, word)), nil)
				if err != nil {
					errs <- err
					return
				}
				if len(ev.Entities) != 1 || ev.Entities[0].Text != word || ev.Body[ev.Entities[0].Mentions[0].Start:ev.Entities[0].Mentions[0].End] != word {
					errs <- fmt.Errorf("event %s has entities %+v", word, ev.Entities)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func ExampleProcessor_Process() {
	p := processor.New(processor.Config{Version: "dev"}, firstWordEntity{}, nil, nil)
	ev, err := p.Process([]byte(`{"id":"a1","body":"NATO leaders met in Brussels."}`), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.ID, ev.Entities[0].Type, ev.Entities[0].Text)
	_, err = p.Process([]byte(`{"id":"a2"}`), nil)
	var pe *processor.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.Reason)
	}
	// Output:
	// a1 ORG NATO
	// missing_field
}

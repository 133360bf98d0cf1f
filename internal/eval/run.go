package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor"
)

// Processor is what eval runs: the worker's own entry point, raw record in.
type Processor interface {
	Process(raw []byte, obs processor.Observer) (event.Enriched, error)
}

// Throughput is how fast the processor went over a set.
type Throughput struct {
	Seconds        float64        `json:"seconds"`
	ArticlesPerSec float64        `json:"articles_per_s"`
	WordsPerSec    float64        `json:"words_per_s"`
	Workers        int            `json:"workers"`
	Errors         int            `json:"errors"`
	ErrorReasons   map[string]int `json:"error_reasons,omitempty"`
}

// Run feeds every article's raw line to p, as the worker would feed a
// record value, with the given number of goroutines, and times the whole
// pass. Articles the processor rejects get no prediction and are counted
// by reason.
func Run(ctx context.Context, p Processor, s *Set, workers int) (map[string]*event.Enriched, Throughput, error) {
	if workers < 1 {
		workers = 1
	}
	out := make([]*event.Enriched, len(s.Articles))
	errs := make([]string, len(s.Articles))
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ev, err := p.Process(s.Articles[i].Raw, nil)
				if err != nil {
					var pe *processor.Error
					if errors.As(err, &pe) {
						errs[i] = pe.Reason
					} else {
						errs[i] = err.Error()
					}
					continue
				}
				out[i] = &ev
			}
		}()
	}
	var cerr error
feed:
	for i := range s.Articles {
		select {
		case next <- i:
		case <-ctx.Done():
			cerr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	secs := time.Since(start).Seconds()
	th := Throughput{Seconds: secs, Workers: workers}
	if secs > 0 {
		th.ArticlesPerSec = float64(len(s.Articles)) / secs
		th.WordsPerSec = float64(s.Words()) / secs
	}
	preds := make(map[string]*event.Enriched, len(out))
	for i, ev := range out {
		if errs[i] != "" {
			th.Errors++
			if th.ErrorReasons == nil {
				th.ErrorReasons = map[string]int{}
			}
			th.ErrorReasons[errs[i]]++
		}
		if ev != nil {
			preds[s.Articles[i].ID] = ev
		}
	}
	return preds, th, cerr
}

// WritePredictions writes predictions as JSONL in article order: the format
// `newsenrich enrich` prints and score.py --pred reads.
func WritePredictions(w io.Writer, s *Set, preds map[string]*event.Enriched) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, a := range s.Articles {
		if ev := preds[a.ID]; ev != nil {
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// ReadPredictions reads enriched JSONL (e.g. from `newsenrich enrich`).
// Lines that do not decode are counted in d and skipped; a line without an
// id takes the id of the article on the same line, as score.py does.
func ReadPredictions(path string, s *Set, d Diag) (map[string]*event.Enriched, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known := make(map[string]bool, len(s.Articles))
	for _, a := range s.Articles {
		known[a.ID] = true
	}
	preds := map[string]*event.Enriched{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 0; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var ev event.Enriched
		if err := json.Unmarshal(line, &ev); err != nil {
			d["pred_bad_json_lines"]++
			continue
		}
		if ev.ID == "" {
			d["pred_lines_without_id"]++
			if n < len(s.Articles) {
				ev.ID = s.Articles[n].ID
			}
		}
		if !known[ev.ID] {
			d["pred_unknown_ids"]++
			continue
		}
		if preds[ev.ID] != nil {
			d["pred_duplicate_ids"]++
		}
		preds[ev.ID] = &ev
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return preds, nil
}

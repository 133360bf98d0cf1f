package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/metrics"
)

// ErrorLine is the line written for a record that cannot be enriched.
type ErrorLine struct {
	ID    string      `json:"id,omitempty"`
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says why a record was not enriched.
type ErrorDetail struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// Stream enriches every record of r (see Split: JSON objects one per line
// or pretty-printed, JSON arrays, XML documents) into w, one line per
// record as it is done, so pipes see progress: the event, an ErrorLine, or
// nothing when the language policy dropped the record. It counts the
// events and the error lines.
func (p *Pipeline) Stream(ctx context.Context, r io.Reader, w io.Writer) (ok, failed int, err error) {
	out := bufio.NewWriter(w)
	defer out.Flush()
	maxBytes := p.cfg.MaxBytes
	err = Split(r, maxBytes, func(raw []byte, size int) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var line []byte
		good := false
		if raw == nil {
			line, _ = json.Marshal(ErrorLine{Error: ErrorDetail{Reason: event.ReasonTooLarge,
				Detail: fmt.Sprintf("record is %d bytes, limit is %d (--max-bytes)", size, maxBytes)}})
		} else {
			line, good = p.Line(raw)
		}
		if line == nil {
			return nil // dropped by the language policy
		}
		if good {
			ok++
		} else {
			failed++
		}
		out.Write(line)
		out.WriteByte('\n')
		return out.Flush()
	})
	return ok, failed, err
}

// Line runs the pipeline on one record: the event's JSON and true, an
// ErrorLine's JSON and false, or nil when the record was dropped.
func (p *Pipeline) Line(raw []byte) ([]byte, bool) {
	r := p.Process(raw, nil)
	if r.Event != nil {
		b, err := json.Marshal(r.Event)
		if err == nil {
			return b, true
		}
		r.Reason, r.Detail = event.ReasonEnrichmentFailed, "encoding event: "+err.Error()
	}
	if r.Outcome == metrics.OutcomeDropped {
		return nil, false
	}
	b, _ := json.Marshal(ErrorLine{ID: GuessID(raw), Error: ErrorDetail{Reason: r.Reason, Detail: r.Detail}})
	return b, false
}

// GuessID finds the id (or else the uri) of a JSON record, even one that
// failed, if it has one.
func GuessID(raw []byte) string {
	var v struct {
		ID  any    `json:"id"`
		URI string `json:"uri"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	if s, ok := v.ID.(string); ok && s != "" {
		return s
	}
	return v.URI
}

package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/internal/pipeline"
	"github.com/newsenrich/newsenrich/metrics"
	"github.com/newsenrich/newsenrich/producer"
	"github.com/segmentio/kafka-go"
)

// settleRejected replaces every record the brokers rejected (an event over
// the output topic's max.message.bytes, say) by a too_large dead letter and
// writes those; the rest of the batch was acknowledged. A dead letter that
// is rejected as well fails the worker: nothing can be written for that
// input record, and committing past it would lose it. written[i] is the
// batch index of the i-th record written.
func (w *Worker) settleRejected(ctx context.Context, batch []result, written []int, rej *producer.RejectedError) error {
	var dls []kafka.Message
	var idx []int
	for _, r := range rej.Records {
		b := &batch[written[r.Index]]
		src := producer.Source{Topic: b.msg.Topic, Partition: b.msg.Partition, Offset: b.msg.Offset, Headers: b.msg.Headers}
		detail := fmt.Sprintf("output record (%d bytes) rejected by the brokers: %v", len(b.out.Value), r.Err)
		if b.out.Topic == w.cfg.DLQTopic {
			// The dead letter itself was rejected: retry without the
			// original value (the headers say where it is).
			detail = fmt.Sprintf("dead letter with the original value (%d bytes) rejected by the brokers: %v; read the original at the source offset", len(b.msg.Value), r.Err)
			b.out = w.p.DeadLetter(b.msg.Key, nil, event.ReasonTooLarge, detail, src, time.Now())
		} else {
			b.out = pipeline.DeadLetter(w.p, b.msg, event.ReasonTooLarge, detail, src)
		}
		b.outcome, b.reason, b.ev = metrics.OutcomeDeadLetter, event.ReasonTooLarge, nil
		w.log.Warn("output record rejected by the brokers; writing a too_large dead letter instead",
			"partition", b.msg.Partition, "offset", b.msg.Offset, "key", string(b.msg.Key), "err", r.Err)
		dls = append(dls, b.out)
		idx = append(idx, written[r.Index])
	}
	err := w.p.Write(ctx, dls...)
	if errors.As(err, &rej) {
		var names []string
		for _, r := range rej.Records {
			b := batch[idx[r.Index]]
			names = append(names, fmt.Sprintf("%s/%d@%d", b.msg.Topic, b.msg.Partition, b.msg.Offset))
		}
		ferr := fmt.Errorf("the brokers reject even the dead letter of input record(s) %s (%w): stopping, nothing after them is committed", strings.Join(names, ", "), rej.Records[0].Err)
		w.log.Error("cannot write anything for an input record", "err", ferr)
		w.fail(ferr)
		return ferr
	}
	return err
}

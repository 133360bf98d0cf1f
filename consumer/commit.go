package consumer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsenrich/newsenrich/internal/backoff"
	"github.com/segmentio/kafka-go"
)

// commit.go holds committing offsets during a generation and at its end.

// commitLoop commits every CommitInterval during the generation and, when
// it ends, drains and commits for the last time.
func (c *Consumer) commitLoop(ctx context.Context, gen *kafka.Generation, epoch uint64, fetchers *sync.WaitGroup) {
	t := time.NewTicker(c.cfg.CommitInterval)
	defer t.Stop()
	for running := true; running; {
		select {
		case <-ctx.Done():
			running = false
		case <-c.stopping:
			running = false
		case <-t.C:
			if err := c.commit(gen); err != nil {
				c.log.Warn("commit failed; will retry", "generation", gen.ID, "err", err)
			}
		}
	}
	c.endGeneration(ctx, gen, epoch, fetchers)
}

// endGeneration is the revoke step: wait (bounded) for the records handed
// out to be acknowledged, commit, end the tracker's generation.
func (c *Consumer) endGeneration(genCtx context.Context, gen *kafka.Generation, epoch uint64, fetchers *sync.WaitGroup) {
	shutdown := false
	select {
	case <-c.stopping:
		shutdown = true
	default:
	}
	var commitCtx context.Context
	if shutdown {
		// The worker drained before Close; the deadline is Close's.
		c.finalMu.Lock()
		commitCtx = c.final
		c.finalMu.Unlock()
	} else {
		fetchers.Wait()
		start := time.Now()
		drainBy := start.Add(c.cfg.DrainTimeout)
		for c.tracker.Pending() > 0 && time.Now().Before(drainBy) {
			time.Sleep(2 * time.Millisecond)
		}
		if n := c.tracker.Pending(); n > 0 {
			c.log.Warn("generation ended with records still in flight; they are dropped and the next owner reads them again",
				"generation", gen.ID, "records", n, "waited", time.Since(start).Round(time.Millisecond))
		}
		var cancel context.CancelFunc
		commitCtx, cancel = context.WithTimeout(context.Background(), c.cfg.RebalanceTimeout/3)
		defer cancel()
	}
	err := c.commitUntil(commitCtx, gen)
	c.tracker.End(epoch)
	if shutdown {
		c.finalMu.Lock()
		c.finalErr = err
		c.finalMu.Unlock()
		// Returning ends the generation, and kafka-go would join the next
		// one; wait for Close to end the group instead.
		<-genCtx.Done()
	} else if err != nil {
		c.log.Warn("commit at the end of a generation failed; the next owner redoes what was not committed", "generation", gen.ID, "err", err)
	}
}

// commitUntil commits, retrying with backoff until it succeeds or ctx ends.
func (c *Consumer) commitUntil(ctx context.Context, gen *kafka.Generation) error {
	bo := backoff.New(c.cfg.BackoffMin, c.cfg.BackoffMax)
	for {
		err := c.commit(gen)
		if err == nil {
			return nil
		}
		// Fencing errors are final: the group moved on without this member.
		if errors.Is(err, kafka.IllegalGeneration) || errors.Is(err, kafka.UnknownMemberId) || errors.Is(err, kafka.RebalanceInProgress) {
			return err
		}
		c.log.Warn("commit failed; retrying", "generation", gen.ID, "err", err)
		if !bo.Wait(ctx) {
			return fmt.Errorf("%w (gave up: %w)", err, ctx.Err())
		}
	}
}

// commit commits the acknowledged offsets of gen's partitions.
func (c *Consumer) commit(gen *kafka.Generation) error {
	cs, epoch := c.tracker.Committable()
	if len(cs) == 0 {
		return nil
	}
	offsets := map[string]map[int]int64{}
	for _, cm := range cs {
		if offsets[cm.TP.Topic] == nil {
			offsets[cm.TP.Topic] = map[int]int64{}
		}
		offsets[cm.TP.Topic][cm.TP.Partition] = cm.Offset
	}
	if err := gen.CommitOffsets(offsets); err != nil {
		c.m.CommitFailed()
		return fmt.Errorf("committing offsets: %w", err)
	}
	c.tracker.Committed(epoch, cs)
	c.m.CommitOK()
	for _, cm := range cs {
		c.log.Debug("committed", "topic", cm.TP.Topic, "partition", cm.TP.Partition, "offset", cm.Offset, "generation", gen.ID)
	}
	return nil
}

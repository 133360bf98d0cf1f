package consumer

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// lag.go holds measuring the group's consumer lag per partition.

// RunLag measures consumer lag every LagInterval until ctx ends.
func (c *Consumer) RunLag(ctx context.Context) error {
	t := time.NewTicker(c.cfg.LagInterval)
	defer t.Stop()
	for {
		if err := c.MeasureLag(ctx); err != nil && ctx.Err() == nil {
			c.log.Debug("measuring lag", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// MeasureLag sets, for every partition of the input topic, high watermark
// minus the group's committed offset (log start when nothing is committed).
// kafka-go's Reader lag does not work with groups, hence this. Every worker
// of a group reports the same numbers: aggregate with max by (partition).
func (c *Consumer) MeasureLag(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	md, err := c.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{c.cfg.Topic}})
	if err != nil {
		return err
	}
	var parts []int
	for _, t := range md.Topics {
		if t.Name == c.cfg.Topic && t.Error == nil {
			for _, p := range t.Partitions {
				parts = append(parts, p.ID)
			}
		}
	}
	if len(parts) == 0 {
		err := fmt.Errorf("input topic %s does not exist", c.cfg.Topic)
		c.topicErr.Store(&err)
		return err
	}
	c.topicErr.Store(nil)
	reqs := make([]kafka.OffsetRequest, 0, 2*len(parts))
	for _, p := range parts {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	lo, err := c.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{c.cfg.Topic: reqs}})
	if err != nil {
		return err
	}
	of, err := c.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.cfg.Group, Topics: map[string][]int{c.cfg.Topic: parts}})
	if err != nil {
		return err
	}
	if of.Error != nil {
		return of.Error
	}
	committed := map[int]int64{}
	for _, p := range of.Topics[c.cfg.Topic] {
		if p.Error == nil {
			committed[p.Partition] = p.CommittedOffset
		}
	}
	for _, p := range lo.Topics[c.cfg.Topic] {
		if p.Error != nil {
			continue
		}
		pos, ok := committed[p.Partition]
		if !ok || pos < 0 {
			pos = p.FirstOffset
		}
		lag := p.LastOffset - pos
		if lag < 0 {
			lag = 0
		}
		c.m.SetLag(c.cfg.Topic, p.Partition, lag)
	}
	return nil
}

// Package backoff is the one retry delay every retry loop of the worker
// uses (fetch, produce, commit): exponential with full jitter, so workers
// that failed together (a broker restart) do not retry in lockstep.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff yields growing, jittered delays between Min and Max. The zero
// value is not usable; use New. Not safe for concurrent use: one per loop.
type Backoff struct {
	min, max time.Duration
	ceil     time.Duration // the current upper bound before jitter
}

// New returns a Backoff whose delays start below lo and grow, doubling,
// up to hi. A hi below lo is raised to lo.
func New(lo, hi time.Duration) *Backoff {
	if lo <= 0 {
		lo = time.Millisecond
	}
	if hi < lo {
		hi = lo
	}
	return &Backoff{min: lo, max: hi, ceil: lo}
}

// Next returns the next delay: uniformly random in [ceil/2, ceil], where
// ceil doubles on every call up to max. Half the range is kept as a floor
// so a delay never collapses to nothing.
func (b *Backoff) Next() time.Duration {
	c := b.ceil
	b.ceil = min(2*b.ceil, b.max)
	half := c / 2
	return half + rand.N(c-half+1)
}

// Reset starts over at min (call after a success).
func (b *Backoff) Reset() { b.ceil = b.min }

// Wait sleeps for Next() or until ctx ends; it reports whether the full
// delay passed.
func (b *Backoff) Wait(ctx context.Context) bool {
	t := time.NewTimer(b.Next())
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

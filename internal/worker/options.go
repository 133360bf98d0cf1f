package worker

import "time"

// Option adjusts a Worker beyond what config.Config covers (tests, demo).
type Option func(*options)

type options struct {
	heartbeat, session, rebalance time.Duration
	maxWait                       time.Duration
	readyInterval                 time.Duration
	timings                       func(Timing)
}

// Timing is where one record's time went, from its input timestamp to the
// acknowledgement of its output.
type Timing struct {
	Input     time.Time // the input record's timestamp
	Fetched   time.Time // handed to its lane
	Started   time.Time // its lane began processing it
	Processed time.Time // its output was ready
	Sent      time.Time // its output's write began
	Acked     time.Time // its output was acknowledged
}

// WithTimings calls f with the Timing of every record whose output is
// acknowledged (the bench's breakdown of the latency). Without it the
// worker takes no timestamps for it.
func WithTimings(f func(Timing)) Option { return func(o *options) { o.timings = f } }

// WithGroupTiming shortens consumer-group timers (tests that rebalance).
func WithGroupTiming(heartbeat, session, rebalance time.Duration) Option {
	return func(o *options) { o.heartbeat, o.session, o.rebalance = heartbeat, session, rebalance }
}

// WithMaxWait sets how long one fetch waits for new data.
func WithMaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

package backoff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/internal/backoff"
)

func TestNextGrowsWithinBounds(t *testing.T) {
	b := backoff.New(100*time.Millisecond, time.Second)
	ceil := 100 * time.Millisecond
	for i := 0; i < 10; i++ {
		d := b.Next()
		if d < ceil/2 || d > ceil {
			t.Fatalf("call %d: %v outside [%v, %v]", i, d, ceil/2, ceil)
		}
		ceil = min(2*ceil, time.Second)
	}
	b.Reset()
	if d := b.Next(); d > 100*time.Millisecond {
		t.Fatalf("after Reset: %v, want <= 100ms", d)
	}
}

func TestNextIsJittered(t *testing.T) {
	seen := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		seen[backoff.New(time.Second, time.Second).Next()] = true
	}
	if len(seen) < 10 {
		t.Fatalf("50 delays took only %d distinct values: not jittered", len(seen))
	}
}

func TestWaitStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if backoff.New(time.Hour, time.Hour).Wait(ctx) {
		t.Fatal("Wait reported a full delay on a cancelled context")
	}
}

func ExampleBackoff() {
	b := backoff.New(100*time.Millisecond, 2*time.Second)
	for attempt := 1; attempt <= 4; attempt++ {
		d := b.Next()
		fmt.Println(attempt, d >= 50*time.Millisecond && d <= 2*time.Second)
	}
	// Output:
	// 1 true
	// 2 true
	// 3 true
	// 4 true
}

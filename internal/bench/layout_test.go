package bench

import (
	"reflect"
	"testing"
	"time"

	"github.com/newsenrich/newsenrich/internal/worker"
)

func TestParseCPUList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		bad  bool
	}{
		{in: "0", want: []int{0}},
		{in: "1,0", want: []int{1, 0}},
		{in: "0-2,5", want: []int{0, 1, 2, 5}},
		{in: "2-3,3", want: []int{2, 3}},
		{in: "", bad: true},
		{in: "a", bad: true},
		{in: "3-1", bad: true},
		{in: "-1", bad: true},
	} {
		got, err := ParseCPUList(tc.in)
		if (err != nil) != tc.bad || !tc.bad && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseCPUList(%q) = %v, %v; want %v (error: %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestOtherCPUs(t *testing.T) {
	if got := otherCPUs(4, []int{0, 2}); !reflect.DeepEqual(got, []int{1, 3}) {
		t.Errorf("otherCPUs(4, [0 2]) = %v", got)
	}
	if got := otherCPUs(1, []int{0}); len(got) != 0 {
		t.Errorf("otherCPUs(1, [0]) = %v, want none", got)
	}
}

func TestStagePercentiles(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	var ts []worker.Timing
	for i := 0; i < 100; i++ {
		// fetch 1, queue i/10, processing 2, publish wait 0, write 1 ms
		q := i / 10
		ts = append(ts, worker.Timing{Input: t0, Fetched: ms(1), Started: ms(1 + q), Processed: ms(3 + q), Sent: ms(3 + q), Acked: ms(4 + q)})
	}
	got := stagePercentiles(ts)
	want := []StagePercentiles{
		{"fetch", 1, 1, 1}, {"lane queue", 4, 9, 9}, {"processing", 2, 2, 2},
		{"publish wait", 0, 0, 0}, {"write and ack", 1, 1, 1}, {"total", 8, 13, 13},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stagePercentiles = %+v\nwant %+v", got, want)
	}
	if stagePercentiles(nil) != nil {
		t.Error("no timings gave percentiles")
	}
}

package bench

import (
	"reflect"
	"testing"
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

package event_test

import (
	"fmt"
	"testing"

	"github.com/newsenrich/newsenrich/event"
)

func ExampleDeduper() {
	d := event.NewDeduper(10000)
	// The worker crashed after publishing offset 41 and before committing
	// it: the record is processed again and its event arrives twice.
	for _, off := range []int64{40, 41, 41, 42} {
		id := event.EventID("articles.raw", 3, off)
		if d.Seen(id) {
			fmt.Println("duplicate", id)
			continue
		}
		fmt.Println("process", id)
	}
	// Output:
	// process articles.raw/3/40
	// process articles.raw/3/41
	// duplicate articles.raw/3/41
	// process articles.raw/3/42
}

func TestDeduperForgetsBeyondItsWindow(t *testing.T) {
	d := event.NewDeduper(2)
	for _, id := range []string{"a", "b", "c"} {
		if d.Seen(id) {
			t.Fatalf("%s reported seen on first sight", id)
		}
	}
	if d.Seen("a") {
		t.Fatal("a still remembered beyond a window of 2")
	}
	if !d.Seen("c") {
		t.Fatal("c forgotten inside the window")
	}
}

func TestEventIDIsStableAndDistinct(t *testing.T) {
	if a, b := event.EventID("in", 1, 23), event.EventID("in", 1, 23); a != b || a != "in/1/23" {
		t.Fatalf("EventID = %q, %q", a, b)
	}
	if event.EventID("in", 12, 3) == event.EventID("in", 1, 23) {
		t.Fatal("different records share an id")
	}
}

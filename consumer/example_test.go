package consumer_test

import (
	"fmt"

	"github.com/newsenrich/newsenrich/consumer"
)

// Records complete out of order; the commit offset only moves over a
// contiguous run of completed records.
func ExampleTracker() {
	tr := consumer.NewTracker()
	tp := consumer.TP{Topic: "articles.raw", Partition: 0}
	gen := tr.Begin()
	tr.Start(gen, tp, 100)
	var hs []consumer.Handle
	for off := int64(100); off < 103; off++ {
		h, _ := tr.Track(gen, tp, off)
		hs = append(hs, h)
	}
	tr.Done(hs[2]) // offset 102 acknowledged first
	fmt.Println(tr.Committable())
	tr.Done(hs[0])
	fmt.Println(tr.Committable())
	tr.Done(hs[1])
	fmt.Println(tr.Committable())
	// Output:
	// [] 1
	// [{{articles.raw 0} 101}] 1
	// [{{articles.raw 0} 103}] 1
}

package topics_test

import (
	"fmt"

	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics"
)

func ExampleTagger_Topics() {
	tg, err := topics.New(topics.Config{})
	if err != nil {
		panic(err)
	}
	title := text.New("Striker's late goal sends United into cup final")
	body := text.New("The striker scored in injury time as United beat City 2-1 in the semi-final. " +
		"The manager said his players deserved the win in front of 60,000 fans at the stadium.")
	for _, t := range tg.Topics(title, body, nil) {
		fmt.Printf("%s %s %.2f\n", t.Code, t.Label, t.Score)
	}
	// Output:
	// medtop:15000000 sport 1.00
}

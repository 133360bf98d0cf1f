package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/newsenrich/newsenrich/internal/samples"

	"github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/topics"
)

func versionCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "newsenrich %s, model %s, %s %s/%s\n", runVersion(), runModel, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// licensesCommand prints the notices the embedded data files require: the
// binary carries a CC BY-SA model, ODbL and CC BY tables, and CC BY sample
// articles, whose licences ask that recipients are told.
func licensesCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	w := stdout
	fmt.Fprintln(w, "newsenrich code: MIT licence. Embedded data files keep their own licences:")
	for _, section := range []struct{ title, text string }{
		{"Entity model and gazetteers (processor/entities/model)", entities.Notice()},
		{"Knowledge base of names and Wikidata ids (processor/kb/data)", kb.Notice()},
		{"IPTC Media Topics and topic lexicon (processor/topics/data)", topics.Notice()},
		{"First names with gender (processor/quotes/names.txt)", "US Social Security Administration baby-name data via shared/data/gazetteers/first-names.tsv: public domain.\n"},
		{"Sample articles (internal/samples, used by the demo)", samples.Attribution()},
	} {
		fmt.Fprintf(w, "\n==== %s\n\n%s", section.title, section.text)
	}
	return nil
}

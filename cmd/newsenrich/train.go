package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/newsenrich/newsenrich/processor/entities/train"
)

// trainCommand trains the entity model from CoNLL corpora and name lists.
func trainCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := train.Options{ClusterOptions: train.DefaultClusterOptions()}
	corpora := ""
	fs.StringVar(&o.Data, "data", "../shared/data/ner/train", "folder of CoNLL training files (token<TAB>BIO tag)")
	fs.StringVar(&o.Gazetteers, "gazetteers", "../shared/data/gazetteers", "folder of the name-list TSVs")
	fs.StringVar(&o.Out, "out", "processor/entities/model", "model folder to write (weights + compiled gazetteers)")
	fs.IntVar(&o.Epochs, "epochs", 10, "training passes")
	fs.BoolVar(&o.SecondPass, "second-pass", true, "also train a second pass that reads the first pass's labels of the same word elsewhere in the document")
	fs.BoolVar(&o.Viterbi, "viterbi", true, "structured perceptron with Viterbi decoding (false: greedy tagger)")
	fs.IntVar(&o.Synthetic, "synthetic", 3000, "generated sports and business documents (each) from the name lists")
	fs.Float64Var(&o.DropLexical, "drop-lexical", 0, "chance a token's own-word features are dropped in a training step")
	fs.UintVar(&o.Bits, "bits", 20, "log2 of the number of hashed feature rows")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed (shuffling, sampling, augmentation)")
	fs.StringVar(&corpora, "corpora", "", "name=share list of corpora (default: the built-in selection)")
	fs.Float64Var(&o.UpperHeadline, "upper-headline", 0.3, "chance a document's first sentence is upper-cased")
	fs.Float64Var(&o.UpperSentence, "upper-sentence", 0.03, "chance any other sentence is upper-cased")
	modernGold := ""
	fs.StringVar(&o.ModernArticles, "modern-articles", "../shared/data/articles/wikinews-2019-2020.jsonl", "in-domain articles JSONL (empty: none)")
	fs.StringVar(&modernGold, "modern-gold", "processor/entities/train/wikinews/*.gold.jsonl", "glob of in-domain gold files (annotate_tool format) for those articles")
	fs.IntVar(&o.ModernRepeat, "modern-repeat", 6, "times each in-domain document is used per epoch")
	fs.BoolVar(&o.Clusters, "clusters", false, "learn word clusters from the training text and use them as features (measured: no gain on both dev halves, not shipped)")
	fs.IntVar(&o.ClusterOptions.MinCount, "cluster-min-count", o.ClusterOptions.MinCount, "words seen fewer times get no cluster")
	fs.IntVar(&o.ClusterOptions.Dims, "cluster-dims", o.ClusterOptions.Dims, "dimensions of the context vectors clustered")
	fs.BoolVar(&o.ClusterOptions.NoSynthetic, "cluster-no-synthetic", false, "learn clusters without the generated documents")
	fs.StringVar(&o.DevSets, "dev-sets", "internal/eval/sets", "folder of the development gold files whose ids training refuses")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if modernGold != "" {
		m, err := filepath.Glob(modernGold)
		if err != nil {
			return fmt.Errorf("--modern-gold: %w", err)
		}
		o.ModernGold = m
	}
	if corpora == "" {
		o.Corpora = train.DefaultCorpora()
	} else {
		c, err := train.ParseCorpora(corpora)
		if err != nil {
			return fmt.Errorf("--corpora: %w", err)
		}
		o.Corpora = c
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	return train.Run(o, log)
}

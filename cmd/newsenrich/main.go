// Command newsenrich is the news enrichment worker and its tools. main only
// dispatches to a subcommand; each subcommand wires its own components.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// A command runs with its own arguments and writes only to the writers it
// is given; the context is cancelled on SIGINT/SIGTERM.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"run":      {"consume, enrich and publish (the worker)", runCommand},
		"demo":     {"embedded broker + sample articles + the worker, printing enriched events", demoCommand},
		"enrich":   {"JSON/JSONL articles on stdin -> enriched JSONL on stdout, no Kafka", enrichCommand},
		"eval":     {"score the processor on gold sets (P/R/F1, throughput)", evalCommand},
		"bench":    {"throughput, latency and memory of the processor and the worker, with baselines", benchCommand},
		"train":    {"train the entity model from CoNLL corpora", trainCommand},
		"replay":   {"re-enrich a time or offset range into the output topic", replayCommand},
		"redrive":  {"put dead letters of a reason back on the input topic, after a fix", redriveCommand},
		"version":  {"print the version, model and Go version", versionCommand},
		"licenses": {"print the licences and attributions of the data embedded in the binary", licensesCommand},
	}
}

func main() {
	cmds := commands()
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage(cmds)
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "newsenrich: unknown command %q\n\n", os.Args[1])
		usage(cmds)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cmd.run(ctx, os.Args[2:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "newsenrich %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage(cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: newsenrich <command> [flags]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\n'newsenrich <command> -h' lists a command's flags.")
}

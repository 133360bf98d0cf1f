// Command gennames builds the compact first-name gender list that the quotes
// package embeds (names.txt) from the US SSA given-name table
// (shared/data/gazetteers/first-names.tsv, public domain). It keeps names
// given at least -min times in total whose gender share is at least -share,
// so "she" is only ever resolved to names that are clearly female; names
// given to both are kept as U, a first name of unknown gender.
//
//	go run ./tools/gennames -in ../shared/data/gazetteers/first-names.tsv -out processor/quotes/names.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("in", "", "first-names.tsv (name, gender, count_1880_2023, count_1980_2023)")
	out := flag.String("out", "names.txt", "output file")
	minCount := flag.Int("min", 1000, "minimum total count")
	share := flag.Float64("share", 0.9, "minimum share of one gender")
	flag.Parse()
	if err := run(*in, *out, *minCount, *share); err != nil {
		slog.Error("gennames", "err", err)
		os.Exit(1)
	}
}

func run(in, out string, minCount int, share float64) error {
	if in == "" {
		return fmt.Errorf("-in is required")
	}
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	counts := map[string]*[2]int{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		n, err := strconv.Atoi(cols[2])
		if err != nil {
			return fmt.Errorf("bad count %q: %w", cols[2], err)
		}
		c := counts[cols[0]]
		if c == nil {
			c = new([2]int)
			counts[cols[0]] = c
		}
		if cols[1] == "F" {
			c[1] += n
		} else {
			c[0] += n
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	var male, female, either []string
	for name, c := range counts {
		total := c[0] + c[1]
		if total < minCount {
			continue
		}
		switch {
		case float64(c[0]) >= share*float64(total):
			male = append(male, name)
		case float64(c[1]) >= share*float64(total):
			female = append(female, name)
		default:
			either = append(either, name)
		}
	}
	sort.Strings(male)
	sort.Strings(female)
	sort.Strings(either)
	var b strings.Builder
	b.WriteString("# First names with a clear gender, from the US SSA baby-name table 1880-2023 (public domain, US federal data).\n")
	fmt.Fprintf(&b, "# Built by tools/gennames -min %d -share %.2f. Lines: M, F or U (either), a space, the name.\n", minCount, share)
	for _, n := range male {
		b.WriteString("M " + n + "\n")
	}
	for _, n := range female {
		b.WriteString("F " + n + "\n")
	}
	for _, n := range either {
		b.WriteString("U " + n + "\n")
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	slog.Info("wrote", "file", out, "male", len(male), "female", len(female), "either", len(either))
	return nil
}

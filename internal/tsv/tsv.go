// Package tsv reads the headed, tab-separated data files the knowledge base
// and the entity gazetteers are built from.
package tsv

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Read calls fn with every row of the headed TSV file at path, keyed by
// column name; cells are trimmed, and missing trailing cells are absent.
func Read(path string, fn func(row map[string]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	var head []string
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if head == nil {
			head = cols
			continue
		}
		row := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(cols) {
				row[h] = strings.TrimSpace(cols[i])
			}
		}
		fn(row)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Package tsv reads the headed, tab-separated data files the knowledge base
// and the entity gazetteers are built from.
package tsv

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"sort"
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

// WriteLines writes header and then lines, sorted (deterministic output),
// one per line, to path; gzip-compressed at the best level when gz is set.
func WriteLines(path, header string, lines []string, gz bool) error {
	sort.Strings(lines)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestCompression)
		w = zw
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(header)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

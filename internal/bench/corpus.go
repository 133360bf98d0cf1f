// Package bench measures newsenrich's throughput, latency and memory: the
// processor alone, the full worker over a Kafka broker (embedded or real),
// and prose/v2 as baselines, all on one corpus so the figures sit side by
// side. The CLI (`newsenrich bench`) runs each mode in a child process so
// every mode's peak RSS is its own.
package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/processor/decode"
	"github.com/newsenrich/newsenrich/processor/text"
)

// Record is one article of the base corpus.
type Record struct {
	Raw   []byte
	Words int // whitespace-separated words of the decoded body
	// prefix and suffix surround the id value, so Unique can stamp a fresh
	// id without re-encoding the article.
	prefix, suffix []byte
}

// Corpus is a fixed list of articles, cycled to reach a target size.
type Corpus struct {
	Records []Record
	Sources []string // where the records came from, for the report
	Skipped int      // lines that did not decode as articles
}

// Bytes and Words total the base corpus.
func (c *Corpus) Bytes() int64 {
	var n int64
	for _, r := range c.Records {
		n += int64(len(r.Raw))
	}
	return n
}

// Words totals the words of the base corpus.
func (c *Corpus) Words() int64 {
	var n int64
	for _, r := range c.Records {
		n += int64(r.Words)
	}
	return n
}

// Count is how many records (cycling through the corpus) it takes to reach
// at least size bytes; at least one pass over the corpus when size <= 0.
func (c *Corpus) Count(size int64) int {
	if len(c.Records) == 0 {
		return 0
	}
	if size <= 0 {
		return len(c.Records)
	}
	total := c.Bytes()
	n := int(size/total) * len(c.Records)
	left := size % total
	for i := 0; left > 0; i++ {
		left -= int64(len(c.Records[i].Raw))
		n++
	}
	return n
}

// At returns the i-th record of the cycled corpus.
func (c *Corpus) At(i int) *Record { return &c.Records[i%len(c.Records)] }

// Interleave shuffles the records with a fixed seed. The files come one
// after the other (84 PolNeAR articles of 805 words on average, then 235
// CoNLL documents of 194), and a producer paced by articles/s would offer
// twice the mean load for as long as one long-article file lasts: at half
// of peak, the worker fell behind for 0.3 s in every pass over the corpus,
// which is a property of the file order, not of a news feed, whose
// sources arrive mixed.
func (c *Corpus) Interleave() {
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(c.Records), func(i, j int) { c.Records[i], c.Records[j] = c.Records[j], c.Records[i] })
}

// Sample returns n records spread evenly over the corpus (all if n >= len).
func (c *Corpus) Sample(n int) *Corpus {
	if n <= 0 || n >= len(c.Records) {
		return c
	}
	out := &Corpus{Sources: c.Sources}
	step := float64(len(c.Records)) / float64(n)
	for i := 0; i < n; i++ {
		out.Records = append(out.Records, c.Records[int(float64(i)*step)])
	}
	return out
}

// Unique returns record i of the cycled corpus with its id replaced by id,
// so every record sent through a broker can be told apart.
func (c *Corpus) Unique(i int, id string) []byte {
	r := c.At(i)
	if r.prefix == nil {
		return r.Raw
	}
	b := make([]byte, 0, len(r.prefix)+len(id)+2+len(r.suffix))
	b = append(b, r.prefix...)
	b = strconv.AppendQuote(b, id)
	return append(b, r.suffix...)
}

// AddRaw adds records (one JSON article each). Lines the decoder rejects are
// counted in Skipped: a benchmark of dead letters would flatter the engine.
func (c *Corpus) AddRaw(source string, raws [][]byte) {
	n := 0
	for _, raw := range raws {
		art, err := decode.Decode(raw, decode.Limits{})
		if err != nil {
			c.Skipped++
			continue
		}
		r := Record{Raw: raw, Words: text.CountWords(art.Body)}
		r.prefix, r.suffix = idTemplate(raw)
		c.Records = append(c.Records, r)
		n++
	}
	if n > 0 {
		c.Sources = append(c.Sources, fmt.Sprintf("%s (%d)", source, n))
	}
}

// idTemplate re-encodes a JSON object with a placeholder id and splits it
// around the placeholder. nil when the record is not a flat-id object.
func idTemplate(raw []byte) (prefix, suffix []byte) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, nil
	}
	if _, ok := m["id"]; !ok {
		return nil, nil
	}
	const mark = "\x00newsenrich-bench-id\x00"
	m["id"], _ = json.Marshal(mark)
	b, err := json.Marshal(m)
	if err != nil {
		return nil, nil
	}
	q, _ := json.Marshal(mark)
	i := bytes.Index(b, q)
	if i < 0 {
		return nil, nil
	}
	return b[:i], b[i+len(q):]
}

// AddPath adds a JSONL file, a JSON file holding one article, or every
// *.jsonl / *.json file in a directory (sorted, not recursive).
func (c *Corpus) AddPath(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.IsDir() {
		var files []string
		for _, pat := range []string{"*.jsonl", "*.json"} {
			m, _ := filepath.Glob(filepath.Join(p, pat))
			files = append(files, m...)
		}
		sort.Strings(files)
		if len(files) == 0 {
			return fmt.Errorf("%s: no *.jsonl or *.json files", p)
		}
		for _, f := range files {
			if err := c.AddPath(f); err != nil {
				return err
			}
		}
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var raws [][]byte
	if strings.HasSuffix(p, ".json") {
		var v bytes.Buffer
		if err := json.Compact(&v, b); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		raws = append(raws, v.Bytes())
	} else {
		for _, l := range bytes.Split(b, []byte("\n")) {
			if l = bytes.TrimSpace(l); len(l) > 0 {
				raws = append(raws, l)
			}
		}
	}
	c.AddRaw(p, raws)
	return nil
}

// ParseSize reads "50MB", "512KiB", "1.5GB" or a plain byte count.
// KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024.
func ParseSize(s string) (int64, error) {
	in := s
	s = strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1},
	}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			mult = u.mult
			s = strings.TrimSpace(strings.TrimSuffix(s, u.suffix))
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("size %q: want e.g. 50MB, 512KiB or a byte count", in)
	}
	return int64(v * mult), nil
}

package wordvec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// unknownPiece is the vocabulary's [UNK], which AppendIDs leaves out.
const unknownPiece = 100

func loadTable(t testing.TB) *Table {
	t.Helper()
	gz, err := os.ReadFile("../../data/wordvec.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Parse(gz)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestPiecesMatchBERT(t *testing.T) {
	tab := loadTable(t)
	f, err := os.Open("testdata/pieces.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c struct {
			Text string  `json:"text"`
			IDs  []int32 `json:"ids"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		want := slices.DeleteFunc(c.IDs, func(id int32) bool { return id == unknownPiece })
		got := tab.AppendIDs(nil, c.Text, 1<<20, nil)
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %v\nwant %v", c.Text, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("read %d cases, want the whole file", n)
	}
}

func TestAppendIDsLimit(t *testing.T) {
	tab := loadTable(t)
	all := tab.AppendIDs(nil, "Pneumonoultramicroscopicsilicovolcanoconiosis strikes again", 1<<20, nil)
	if len(all) < 5 {
		t.Fatalf("want a long word in many pieces, got %v", all)
	}
	for limit := 0; limit <= len(all); limit++ {
		got := tab.AppendIDs(nil, "Pneumonoultramicroscopicsilicovolcanoconiosis strikes again", limit, nil)
		if !slices.Equal(got, all[:limit]) {
			t.Fatalf("limit %d: got %v, want the first %d of %v", limit, got, limit, all)
		}
	}
}

func TestMean(t *testing.T) {
	tab := loadTable(t)
	v := make([]float32, tab.Dims())
	if tab.Mean(v, nil) {
		t.Fatal("no pieces: want false")
	}
	ids := tab.AppendIDs(nil, "Striker scores twice as United win the derby", 128, nil)
	if !tab.Mean(v, ids) {
		t.Fatal("want a vector")
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if math.Abs(n-1) > 1e-4 {
		t.Fatalf("length² %v, want 1", n)
	}
	cos := func(a, b string) float64 {
		x, y := make([]float32, tab.Dims()), make([]float32, tab.Dims())
		ia := tab.AppendIDs(nil, a, 128, nil)
		ib := tab.AppendIDs(nil, b, 128, nil)
		tab.Mean(x, ia)
		tab.Mean(y, ib)
		s := 0.0
		for k := range x {
			s += float64(x[k]) * float64(y[k])
		}
		return s
	}
	// what the vectors are for: related words lie closer than unrelated ones
	if near, far := cos("goalkeeper", "striker"), cos("goalkeeper", "inflation"); near <= far {
		t.Errorf("cos(goalkeeper, striker) %.3f <= cos(goalkeeper, inflation) %.3f", near, far)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not gzip"), gzipped("other 1\n"), gzipped(magic + "\n3\n"), gzipped(magic + "\n1 2\na\n")} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): want an error", in)
		}
	}
}

func BenchmarkAppendIDsSum(b *testing.B) {
	tab := loadTable(b)
	const s = "Arsène Wenger's Arsenal beat São Paulo 4-1 as Thierry Henry scores twice in the Champions League group stage"
	v := make([]float32, tab.Dims())
	var ids []int32
	var sc Scratch
	b.ReportAllocs()
	for b.Loop() {
		ids = tab.AppendIDs(ids[:0], s, 128, &sc)
		tab.Mean(v, ids)
	}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func BenchmarkMean128(b *testing.B) {
	tab := loadTable(b)
	ids := make([]int32, 128)
	for i := range ids {
		ids[i] = int32(2000 + 97*i)
	}
	v := make([]float32, tab.Dims())
	for b.Loop() {
		tab.Mean(v, ids)
	}
}

// FuzzAppendIDs: any input, no panic; the limit holds; every id is a piece
// of the table; the vector of any pieces has unit length or none.
func FuzzAppendIDs(f *testing.F) {
	for _, s := range []string{"", "Dollar gains", "Arsène", "東京", "\xff\xfe", "a\u0301", "x-y_z", strings.Repeat("w", 150)} {
		f.Add(s, 64)
	}
	tab := loadTable(f)
	v := make([]float32, tab.Dims())
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit %= 256
		if limit < 0 {
			limit = -limit
		}
		var sc Scratch
		ids := tab.AppendIDs(nil, s, limit, &sc)
		if len(ids) > limit {
			t.Fatalf("%d ids, limit %d", len(ids), limit)
		}
		for _, id := range ids {
			if id < 0 || int(id) >= tab.Pieces() {
				t.Fatalf("id %d out of range", id)
			}
		}
		if tab.Mean(v, ids) {
			var n float64
			for _, x := range v {
				n += float64(x) * float64(x)
			}
			if math.Abs(n-1) > 1e-3 {
				t.Fatalf("length² %v", n)
			}
		}
	})
}

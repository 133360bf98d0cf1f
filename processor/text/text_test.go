package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func tokens(d *Doc) []string {
	out := make([]string, len(d.Tokens))
	for i := range d.Tokens {
		out[i] = d.TokenText(i)
	}
	return out
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		name, in, want string // want: tokens joined by |
	}{
		{"abbreviations keep their period", "U.S. President-elect Mr. Trump met Dr. Smith.", "U.S.|President-elect|Mr.|Trump|met|Dr.|Smith|."},
		{"clitics split", "Trump’s team didn't say it's allies' money", "Trump|’s|team|did|n't|say|it|'s|allies|'|money"},
		{"numbers", "took 4 for 38 on 1996-08-30, 1,000.50 dollars", "took|4|for|38|on|1996-08-30|,|1,000.50|dollars"},
		{"inner apostrophe", "O'Brien and D’Souza", "O'Brien|and|D’Souza"},
		{"quotes", `“We see,” he said. "Yes."`, `“|We|see|,|”|he|said|.|"|Yes|.|"`},
		{"ellipsis and dashes", "wait... no -- yes", "wait|...|no|--|yes"},
		{"initials", "J. K. Rowling", "J.|K.|Rowling"},
		{"non-ASCII letters", "Simon Ličen in Zürich", "Simon|Ličen|in|Zürich"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(tokens(New(c.in)), "|")
			if got != c.want {
				t.Errorf("tokens\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestQuoteDirection(t *testing.T) {
	d := New(`He said "it works" and “so does this” here.`)
	var dirs []string
	for _, tk := range d.Tokens {
		if tk.Kind != Quote {
			continue
		}
		switch {
		case tk.Flags&OpenQuote != 0 && tk.Flags&CloseQuote == 0:
			dirs = append(dirs, "open")
		case tk.Flags&CloseQuote != 0 && tk.Flags&OpenQuote == 0:
			dirs = append(dirs, "close")
		default:
			dirs = append(dirs, "both")
		}
	}
	if got := strings.Join(dirs, ","); got != "open,close,open,close" {
		t.Errorf("quote directions = %s", got)
	}
}

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"Mr. Smith went to Washington. He met the U.S. envoy. “Good,” he said.", 3},
		{"One line\nAnother line", 2},
		{"Is it? Yes! Fine.", 3},
		{"He arrived at 5 p.m. on Friday.", 1},
		{"", 0},
	}
	for _, c := range cases {
		if got := len(New(c.in).Sentences); got != c.want {
			t.Errorf("%q: %d sentences, want %d", c.in, got, c.want)
		}
	}
}

func TestFlags(t *testing.T) {
	d := New("NATO and Nato\n\nnext")
	if !d.Has(0, AllUpper|Upper|SentStart|LineStart|ParaStart) {
		t.Errorf("NATO flags = %b", d.Tokens[0].Flags)
	}
	if d.Has(2, AllUpper) || !d.Has(2, Upper) {
		t.Errorf("Nato flags = %b", d.Tokens[2].Flags)
	}
	if !d.Has(3, ParaStart|LineStart) {
		t.Errorf("next flags = %b", d.Tokens[3].Flags)
	}
}

func TestSentenceOf(t *testing.T) {
	d := New("A b. C d. E f.")
	for i := range d.Tokens {
		s := d.SentenceOf(i)
		sp := d.Sentences[s]
		if i < int(sp.Start) || i >= int(sp.End) {
			t.Fatalf("token %d in sentence %d %v", i, s, sp)
		}
	}
}

func TestResetReuses(t *testing.T) {
	d := New(strings.Repeat("word ", 100))
	p := &d.Tokens[:1][0]
	d.Reset("short text")
	if &d.Tokens[:1][0] != p {
		t.Error("Reset did not reuse the token slice")
	}
	if len(d.Tokens) != 2 {
		t.Errorf("got %d tokens", len(d.Tokens))
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"U.S. Mr. “Hi,” he said.", "don't 's '", "1,000.5-3", "\x80\xff", "a\u2028b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := New(s)
		prev := int32(0)
		for i, tk := range d.Tokens {
			if tk.Start < prev || tk.End <= tk.Start || int(tk.End) > len(s) {
				t.Fatalf("token %d bad span %d-%d (prev end %d, len %d)", i, tk.Start, tk.End, prev, len(s))
			}
			if utf8.ValidString(s) && (!utf8.RuneStart(s[tk.Start]) || (int(tk.End) < len(s) && !utf8.RuneStart(s[tk.End]))) {
				t.Fatalf("token %d not on rune boundary", i)
			}
			prev = tk.End
		}
		n := int32(0)
		for _, sp := range d.Sentences {
			if sp.Start != n || sp.End <= sp.Start {
				t.Fatalf("sentences not contiguous: %v", d.Sentences)
			}
			n = sp.End
		}
		if int(n) != len(d.Tokens) {
			t.Fatalf("sentences cover %d of %d tokens", n, len(d.Tokens))
		}
	})
}

func BenchmarkTokenize(b *testing.B) {
	body := strings.Repeat("NATO Secretary-General Mark Rutte met with U.S. President-elect Donald Trump in Florida on Friday. “What we see,” Rutte said, “is Russia’s war.” ", 20)
	words := len(strings.Fields(body))
	var d Doc
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset(body)
	}
	b.ReportMetric(float64(words*b.N)/b.Elapsed().Seconds(), "words/s")
}

func TestQuoteDirectionBySpacing(t *testing.T) {
	cases := []struct {
		in   string
		want string // direction of each quote token: o, c or b
	}{
		{`up 5 percent.“ Next`, "c"},
		{"said:\n\n”Mr. Trump is here.", "o"},
		{`("quoted")`, "oc"},
		{`“Yes,” he said`, "oc"},
		{`a " b`, "b"},
	}
	for _, c := range cases {
		d := New(c.in)
		got := ""
		for _, tk := range d.Tokens {
			if tk.Kind != Quote {
				continue
			}
			switch {
			case tk.Flags&OpenQuote != 0 && tk.Flags&CloseQuote != 0:
				got += "b"
			case tk.Flags&OpenQuote != 0:
				got += "o"
			default:
				got += "c"
			}
		}
		if got != c.want {
			t.Errorf("%q: quote directions %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCountWordsMatchesFields(t *testing.T) {
	for _, s := range []string{"", " ", "one", " two  words ", "tab\tand\nnewline", "nbsp\u00a0joins? no: splits", "em\u2003space", "ünïcode wörds ", "\x85next", "bad\xffbyte x"} {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("CountWords(%q) = %d, strings.Fields gives %d", s, got, want)
		}
	}
}

func TestDashes(t *testing.T) {
	for s, want := range map[string][2]bool{
		"—": {true, true}, "–": {true, true}, "―": {true, true}, "--": {true, true},
		"-": {false, true}, ",": {false, false}, "---": {false, false}, "": {false, false},
	} {
		if IsLongDash(s) != want[0] || IsDash(s) != want[1] {
			t.Errorf("%q: IsLongDash %v IsDash %v, want %v", s, IsLongDash(s), IsDash(s), want)
		}
	}
}

package decode

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text", "Just text.", "Just text."},
		{"paragraphs get a blank line", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"unclosed paragraphs", "<p>One.<p>Two.", "One.\n\nTwo."},
		{"headings are paragraphs", "<h2>Head</h2>Body text", "Head\n\nBody text"},
		{"br is a line break", "a<br>b<br/>c", "a\nb\nc"},
		{"two br make a blank line", "a<br><br>b", "a\n\nb"},
		{"list items are lines", "<p>Intro</p><ul><li>one</li><li>two</li></ul><p>End</p>", "Intro\n\none\ntwo\n\nEnd"},
		{"table cells and rows", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"whitespace collapses", "<p>  a \n\t b  </p>", "a b"},
		{"nbsp is a space", "10&nbsp;km&#160;away\u00a0now", "10 km away now"},
		{"inline tags join words", "Ru<b>tte</b> said <i>yes</i>.", "Rutte said yes."},
		{"entities decoded", "&ldquo;Q&rdquo; &amp; &lt;tag&gt; &#x1F600; &eacute;", "“Q” & <tag> 😀 é"},
		{"script and style dropped", "<style>p{}</style><p>a<script>if (a<b) x()</script>b</p>", "ab"},
		{"head dropped", "<html><head><title>T</title><meta charset=utf-8></head><body><p>x</p></body></html>", "x"},
		{"nested skipped svg", "<p>a</p><svg><g><text>label</text></g></svg><p>b</p>", "a\n\nb"},
		{"pre keeps spaces", "<pre>x  = 1\ny  = 2</pre>", "x  = 1\ny  = 2"},
		{"comments and doctype ignored", "<!DOCTYPE html><!-- c --><p>x</p>", "x"},
		{"cdata kept", "<p><![CDATA[a < b]]></p>", "a < b"},
		{"controls dropped", "a\x00b\x07c\u0085d", "abcd"},
		{"invalid utf8 replaced", "a\xffb", "a\ufffdb"},
		{"prefixed xhtml", "<h:p>a</h:p><h:p>b</h:p>", "a\n\nb"},
		{"no leading or trailing breaks", "<div><div><p>x</p></div></div><br><br>", "x"},
		{"empty", "", ""},
		{"only markup", "<p></p><br><div> </div>", ""},
		{"stray end tags", "</script></p>a</div>b", "a\n\nb"},
		{"crlf", "<p>a\r\nb</p>", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for in, want := range map[string]bool{
		"<p>a</p>":                 true,
		"\n <div>a<br>b":           true,
		"<!-- x --><p>y</p>":       true,
		"a <b>bold</b> start":      false,
		"<3 love it</":             false,
		"< not a tag </p>":         false,
		"plain text with </p> end": false,
	} {
		if got := looksLikeHTML(in); got != want {
			t.Errorf("looksLikeHTML(%q) = %v, want %v", in, got, want)
		}
	}
}

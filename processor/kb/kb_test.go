package kb

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func mustLoad(t testing.TB) *KB {
	t.Helper()
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The seed article's names resolve to the ids their data files give.
func TestResolveSeedNames(t *testing.T) {
	k := mustLoad(t)
	us := func(c string) bool { return c == "US" }
	for _, tc := range []struct {
		name, typ, qid, canon string
		ctx                   func(string) bool
	}{
		{"America", GPE, "Q30", "United States", nil},
		{"U.S.", GPE, "Q30", "United States", nil},
		{"United States", GPE, "Q30", "United States", nil},
		{"Ukraine", GPE, "Q212", "Ukraine", nil},
		{"Russia", GPE, "Q159", "Russia", nil},
		{"Kyiv", GPE, "Q1899", "Kyiv", nil},
		{"Moscow", GPE, "Q649", "Moscow", nil},
		{"Florida", GPE, "Q812", "Florida", us},
		{"London", GPE, "Q84", "London", nil},
		{"Paris", GPE, "Q90", "Paris", nil},
		{"Mexico", GPE, "Q96", "Mexico", nil},    // not Mexico City by its other name
		{"Denver", GPE, "Q16554", "Denver", nil}, // a city's id from the index's operators
		{"Europe", Loc, "Q46", "Europe", nil},    // the own lists' region, the index's id
		{"Tesla", Org, "Q478214", "Tesla", nil},
		{"Washington, D.C.", GPE, "Q61", "Washington, D.C.", nil}, // a flag's subject
		{"Soviet Union", GPE, "Q15180", "Soviet Union", nil},
		{"Islamic Republic of Iran", GPE, "Q794", "Iran", nil}, // "Iran (Islamic Republic of)" turned round
		{"Donald Trump", Person, "Q22686", "Donald Trump", nil},
		{"Donald J. Trump", Person, "Q22686", "Donald Trump", nil},
	} {
		e, ok := Resolve(k.Lookup(AppendKey(nil, tc.name)), tc.typ, tc.ctx)
		if !ok || e.QID != tc.qid || e.Canonical != tc.canon {
			t.Errorf("%s %s: got %+v ok=%v, want %s %q", tc.name, tc.typ, e, ok, tc.qid, tc.canon)
		}
	}
}

// Ambiguous names get no id; a type the KB does not give gets none.
func TestResolveRefusesAmbiguity(t *testing.T) {
	k := mustLoad(t)
	for _, tc := range []struct{ name, typ string }{
		{"Washington", GPE},      // the state, or the capital (no id in the files)
		{"Ukraine", Person},      // wrong type
		{"Trump", Person},        // a surname alone
		{"Nowhere Special", GPE}, // unknown
		{"Des Moines", GPE},      // Iowa's has no id, Washington's smaller namesake has one
	} {
		if e, ok := Resolve(k.Lookup(AppendKey(nil, tc.name)), tc.typ, nil); ok {
			t.Errorf("%s %s: linked to %+v, want no link", tc.name, tc.typ, e)
		}
	}
}

func TestResolveMargin(t *testing.T) {
	c := []Entry{{Type: GPE, QID: "Q1", Prior: 1e6, Country: "AA"}, {Type: GPE, QID: "Q2", Prior: 3e5, Country: "BB"}}
	if _, ok := Resolve(c, GPE, nil); ok {
		t.Fatal("a lead of 3x linked")
	}
	e, ok := Resolve(c, GPE, func(cc string) bool { return cc == "BB" })
	if !ok || e.QID != "Q2" {
		t.Fatalf("context did not decide: %+v %v", e, ok)
	}
}

func TestKeyFolding(t *testing.T) {
	for in, want := range map[string]string{
		"Procter & Gamble": "procter & gamble",
		"Kyiv’s":           "kyiv 's",
		"Jones–Smith Bank": "jones - smith bank",
		"AT&T":             "at&t",
	} {
		if got := string(AppendKey(nil, in)); got != want {
			t.Errorf("AppendKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotice(t *testing.T) {
	n := Notice()
	for _, want := range []string{"ODbL", "CC BY-SA 3.0", "BSD 3-Clause", "GeoNames", "Countries States Cities"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
}

// BenchmarkLoad measures start-up cost of the embedded knowledge base.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestResolveOtherTypeWins(t *testing.T) {
	c := []Entry{{Type: Org, QID: "Q1", Prior: 5}, {Type: GPE, Prior: 800000, Country: "GB"}}
	if e, ok := Resolve(c, Org, nil); ok {
		t.Fatalf("linked %+v although the name is best known as a place", e)
	}
}

func TestCityStatesAndCapitals(t *testing.T) {
	k := mustLoad(t)
	us := func(c string) bool { return c == "US" }
	for _, tc := range []struct {
		name, qid string
		ctx       func(string) bool
	}{
		{"Hong Kong", "Q8646", nil},
		{"Moscow", "Q649", us}, // Idaho's Moscow does not win on a US page
	} {
		e, ok := Resolve(k.Lookup(AppendKey(nil, tc.name)), GPE, tc.ctx)
		if !ok || e.QID != tc.qid {
			t.Errorf("%s: %+v %v, want %s", tc.name, e, ok, tc.qid)
		}
	}
}

// The frozen table answers every name and id exactly as the loader's maps
// did.
func TestFrozenTableMatchesLoader(t *testing.T) {
	raw, err := readFS(DataFiles())
	if err != nil {
		t.Fatal(err)
	}
	k := mustLoad(t)
	if k.Len() != len(raw.names) {
		t.Fatalf("Len %d, loader has %d names", k.Len(), len(raw.names))
	}
	for key, want := range raw.names {
		if got := k.Lookup([]byte(key)); !reflect.DeepEqual(got, want) {
			t.Fatalf("Lookup(%q) = %+v, want %+v", key, got, want)
		}
	}
	for qid, want := range raw.canon {
		if got := k.Canonical(qid); got != want {
			t.Fatalf("Canonical(%s) = %q, want %q", qid, got, want)
		}
	}
	for _, miss := range []string{"", "no such place at all", "Q0", "Q", "X12"} {
		if got := k.Lookup([]byte(miss)); got != nil {
			t.Errorf("Lookup(%q) = %+v, want nil", miss, got)
		}
		if got := k.Canonical(miss); got != "" {
			t.Errorf("Canonical(%q) = %q, want empty", miss, got)
		}
	}
}

// BenchmarkGC is the garbage collector's cost of a loaded knowledge base:
// one forced collection with the base live.
func BenchmarkGC(b *testing.B) {
	k := mustLoad(b)
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(k)
}

// Package kb is the knowledge base of names the entity stage types and
// links against: lower-cased token sequences mapped to candidate entries,
// each with a type, an optional Wikidata id, a canonical display name, a
// prior (population or a popularity count) and a country. It is compiled
// from open data files by kbgen (every id comes from a licensed file) and
// embedded; files under different licences stay separate files and are
// merged in memory at load time.
package kb

import (
	"bufio"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/newsenrich/newsenrich/processor/kb/internal/key"
)

// Entity types of the knowledge base (the guidelines' seven).
const (
	Person = "PERSON"
	Org    = "ORG"
	GPE    = "GPE"
	Loc    = "LOC"
	NORP   = "NORP"
	Fac    = "FAC"
	Event  = "EVENT"
)

// Kind refines a type where linking needs it.
const (
	KindCountry  = "country"
	KindCapital  = "capital"
	KindCity     = "city"
	KindRegion   = "region"   // a first-level region: state, province, department
	KindDistrict = "district" // a smaller administrative area
	KindOutlet   = "outlet"
)

// Entry is one candidate for a name.
type Entry struct {
	Type      string
	QID       string
	Canonical string
	Prior     float64
	Country   string // ISO 3166-1 alpha-2, upper case; "" when unknown or international
	Kind      string
	Source    string // data file the entry came from
	// Alias marks a capital's other name ("Mexico" for Mexico City):
	// only its own name is the capital news means.
	Alias bool
}

// Files are the embedded data files, each under its own licence (see
// data/NOTICE): kb.tsv.gz (public domain, CC0, PDDL, BSD, MIT, ISC and
// CC BY 4.0 sources), kb-odbl.tsv.gz (ODbL 1.0), kb-bysa3.tsv.gz (CC BY-SA
// 3.0) and compiled.tsv (this project's own lists, without ids).
var Files = []string{"kb.tsv.gz", "kb-odbl.tsv.gz", "kb-bysa3.tsv.gz", "compiled.tsv"}

//go:embed data/*.gz data/compiled.tsv data/NOTICE data/LICENSE-ODbL-1.0 data/LICENSE-CC-BY-SA-3.0
var embedded embed.FS

// Notice returns the licence notices of the embedded data files.
func Notice() string {
	var out []byte
	for _, f := range []string{"data/NOTICE", "data/LICENSE-ODbL-1.0", "data/LICENSE-CC-BY-SA-3.0"} {
		b, _ := embedded.ReadFile(f)
		out = append(out, b...)
		out = append(out, '\n')
	}
	return string(out)
}

// DataFiles returns the embedded data folder, so that the share-alike
// files can be offered to recipients as their licences ask.
func DataFiles() fs.FS {
	sub, _ := fs.Sub(embedded, "data")
	return sub
}

// KB maps name keys (see Key) to their candidates.
type KB struct {
	// names and canon are built while loading, then frozen into t.
	names map[string][]Entry
	// canon is the canonical name per Wikidata id (the first file row
	// that gives one wins, so the curated rows written first decide).
	canon map[string]string
	t     *table
}

// Load reads the embedded data files.
func Load() (*KB, error) { return LoadFS(DataFiles()) }

// LoadFS reads the data files from fsys.
func LoadFS(fsys fs.FS) (*KB, error) {
	k, err := readFS(fsys)
	if err != nil {
		return nil, err
	}
	k.t = freeze(k.names, k.canon)
	k.names, k.canon = nil, nil
	return k, nil
}

// readFS reads the data files into the loader's maps.
func readFS(fsys fs.FS) (*KB, error) {
	k := &KB{names: make(map[string][]Entry, 1<<18), canon: make(map[string]string, 1<<16)}
	for _, name := range Files {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("kb: %w", err)
		}
		var r io.Reader = f
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("kb %s: %w", name, err)
			}
			r = zr
		}
		err = k.read(r, name)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("kb %s: %w", name, err)
		}
	}
	return k, nil
}

// read parses lines "key<TAB>canonical<TAB>type<TAB>qid<TAB>prior<TAB>country<TAB>kind".
// compiled.tsv, written by hand, has "name<TAB>type<TAB>kind[<TAB>canonical]"
// and its keys are computed here.
func (k *KB) read(r io.Reader, file string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	var kb []byte
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		var e Entry
		var key string
		if file == "compiled.tsv" {
			if len(f) < 3 {
				return fmt.Errorf("line %d: want name, type, kind[, canonical]", line)
			}
			kb = AppendKey(kb[:0], f[0])
			key = string(kb)
			e = Entry{Type: f[1], Kind: f[2], Canonical: f[0], Source: file}
			if len(f) > 3 && f[3] != "" {
				e.Canonical = f[3]
			}
		} else {
			if len(f) < 7 {
				return fmt.Errorf("line %d: want 7 fields, got %d", line, len(f))
			}
			p, err := strconv.ParseFloat(f[4], 64)
			if err != nil && f[4] != "" {
				return fmt.Errorf("line %d: prior: %w", line, err)
			}
			key = f[0]
			e = Entry{Canonical: f[1], Type: f[2], QID: f[3], Prior: p, Country: f[5], Kind: f[6], Source: file}
			if e.Kind == KindCapital {
				kb = AppendKey(kb[:0], e.Canonical)
				e.Alias = string(kb) != key
			}
		}
		if !validType(e.Type) {
			return fmt.Errorf("line %d: unknown type %q", line, e.Type)
		}
		if e.QID != "" {
			if _, ok := k.canon[e.QID]; !ok {
				k.canon[e.QID] = e.Canonical
			}
		}
		k.add(key, e)
	}
	return sc.Err()
}

func validType(t string) bool {
	switch t {
	case Person, Org, GPE, Loc, NORP, Fac, Event:
		return true
	}
	return false
}

// add merges e into the candidates of key (a name of the own lists takes
// the id of its namesake, see ownID): a place without an id and a place
// with one of the same type, country and name are the same place (GeoNames
// gives the population, the ODbL file the id), and so are two rows with
// the same id.
func (k *KB) add(key string, e Entry) {
	list := k.names[key]
	if e.Source == "compiled.tsv" && e.QID == "" {
		// kept as its own entry: the lists' entries type names
		e.QID, e.Country = ownID(list, e.Type, e.Canonical)
		k.names[key] = append(list, e)
		return
	}
	for i := range list {
		c := &list[i]
		if c.Type != e.Type {
			continue
		}
		same := c.QID != "" && c.QID == e.QID
		if !same && c.Type == GPE && c.Country == e.Country && e.Country != "" && (c.QID == "") != (e.QID == "") &&
			(cityLike(c.Kind) && cityLike(e.Kind) || cityState(c.Kind, e.Kind)) && similar(c.Prior, e.Prior) {
			same = true
		}
		if !same {
			continue
		}
		if c.QID == "" {
			c.QID = e.QID
			c.Canonical = e.Canonical
		}
		c.Prior = math.Max(c.Prior, e.Prior)
		if c.Kind != KindCapital && c.Kind != KindCountry && e.Kind != "" {
			c.Kind = e.Kind
		}
		return
	}
	k.names[key] = append(list, e)
}

// ownID is the id of the one organisation, place or region of type typ among
// cands whose data-file name is name, a name of the project's own lists
// ("Boeing", "Tesla", "Europe"): the list names the thing news means, the
// data file gives its id. Names in capitals are left out: an acronym's
// namesake in the index is seldom the body news means ("CDC" is a bus
// company there).
func ownID(cands []Entry, typ, name string) (qid, country string) {
	if strings.ToUpper(name) == name {
		return "", ""
	}
	for _, c := range cands {
		if c.Type != typ || c.QID == "" || c.QID == qid || !strings.EqualFold(c.Canonical, name) {
			continue
		}
		if qid != "" {
			return "", "" // two of that name (Guardian)
		}
		qid, country = c.QID, c.Country
	}
	return qid, country
}

// similar reports whether two populations can be the same place's (one
// of them may be unknown): London's 8.8 million and the City of London's
// 8,600 are not.
func similar(a, b float64) bool {
	if a == 0 || b == 0 {
		return true
	}
	return a < 3*b && b < 3*a
}

// cityState reports whether a country and a city of the same name and
// country code are one place (Hong Kong, Singapore, Monaco).
func cityState(a, b string) bool {
	return a == KindCountry && cityLike(b) || b == KindCountry && cityLike(a)
}

func cityLike(kind string) bool { return kind == KindCity || kind == KindCapital }

// Len is the number of distinct name keys.
func (k *KB) Len() int { return len(k.t.keys) }

// Lookup returns the candidates of a key (nil if none) in a slice of the
// caller's.
func (k *KB) Lookup(key []byte) []Entry { return k.t.lookup(key) }

// Canonical returns the canonical name of a Wikidata id ("" if unknown).
func (k *KB) Canonical(qid string) string { return k.t.canonical(qid) }

// AppendKey appends the key of a name: its tokens (the shared tokenizer's)
// lower-cased and joined by single spaces, so that names from data files
// and spans of article text meet.
func AppendKey(dst []byte, name string) []byte { return key.Append(dst, name) }

// AppendKeyToken appends one token to a key being built.
func AppendKeyToken(dst []byte, tok string) []byte { return key.AppendToken(dst, tok) }

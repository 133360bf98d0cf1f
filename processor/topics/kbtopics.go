package topics

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/newsenrich/newsenrich/event"
	kbase "github.com/newsenrich/newsenrich/processor/kb"
	"github.com/newsenrich/newsenrich/processor/text"
)

// KBTopics reads the knowledge base's entries as topic evidence by their
// type and kind: athletes, teams and stadiums for sport; brands and
// operators for economy; legislators and presidents (the base's people
// without a kind) for politics; news outlets weakly for arts and media
// (most articles cite one, so an outlet decides only a headline with
// nothing else). Cities, regions, airports and events say nothing about a
// topic and are not kept.
//
// It keeps only those names, hashed, rather than the whole base: the
// entity stage holds its own copy, and the topic stage needs one byte per
// name.
type KBTopics struct {
	names map[uint64]uint8 // hash of type and key -> kbClass
	// docs reuses tokenizer state, so a lookup does not allocate.
	docs sync.Pool
}

// Classes of knowledge-base entries that are topic evidence.
const (
	kbSport uint8 = iota + 1
	kbPolitics
	kbBrand
	kbOutlet
)

// kbCodes and kbWeights give each class's topic and weight. A brand
// weighs half: many share a name with an ordinary word or a person.
var (
	kbCodes   = [...]string{kbSport: "medtop:15000000", kbPolitics: "medtop:11000000", kbBrand: "medtop:04000000", kbOutlet: "medtop:01000000"}
	kbWeights = [...]float64{kbSport: 1, kbPolitics: 1, kbBrand: 0.5, kbOutlet: 0.2}
)

// NewKBTopics reads the knowledge base's data files (kb.DataFiles(), in
// the order of kb.Files).
func NewKBTopics(fsys fs.FS) (*KBTopics, error) {
	t := &KBTopics{names: make(map[uint64]uint8, 1<<16)}
	t.docs.New = func() any { return new(text.Doc) }
	for _, name := range kbase.Files {
		if err := t.readFile(fsys, name); err != nil {
			return nil, fmt.Errorf("topics: knowledge base %s: %w", name, err)
		}
	}
	return t, nil
}

func (t *KBTopics) readFile(fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		r = zr
	}
	compiled := !strings.HasSuffix(name, ".gz")
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	var key []byte
	for sc.Scan() {
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		var typ, kind string
		if compiled {
			// name, type, kind[, canonical]: this project's lists, no people.
			if len(f) < 3 {
				continue
			}
			typ, kind = f[1], f[2]
			key = kbase.AppendKey(key[:0], f[0])
		} else {
			// key, canonical, type, qid, prior, country, kind
			if len(f) < 7 {
				continue
			}
			typ, kind = f[2], f[6]
			key = append(key[:0], f[0]...)
		}
		if c := kbClass(typ, kind, compiled); c != 0 {
			h := kbHash(typ, key)
			if _, dup := t.names[h]; !dup {
				t.names[h] = c
			}
		}
	}
	return sc.Err()
}

func kbClass(typ, kind string, compiled bool) uint8 {
	switch {
	case kind == "athlete" || kind == "team" || kind == "stadium":
		return kbSport
	case kind == kbase.KindOutlet:
		return kbOutlet
	case kind != "" || compiled:
		return 0
	case typ == kbase.Person:
		return kbPolitics
	case typ == kbase.Org:
		return kbBrand
	}
	return 0
}

// kbHash hashes an entity type and a knowledge-base key (FNV-1a).
func kbHash(typ string, key []byte) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(typ); i++ {
		h ^= uint64(typ[i])
		h *= fnvPrime
	}
	h ^= '\t'
	h *= fnvPrime
	for _, c := range key {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// Len is the number of names kept.
func (t *KBTopics) Len() int { return len(t.names) }

// EntityTopic implements EntityTopics. Only people, organisations and
// facilities are looked up, under their own type.
func (t *KBTopics) EntityTopic(name string, typ string) (string, float64, bool) {
	if typ != event.TypePerson && typ != event.TypeOrg && typ != event.TypeFac || len(name) < 3 {
		return "", 0, false
	}
	// The key as kb.AppendKey builds it, with a pooled tokenizer.
	d := t.docs.Get().(*text.Doc)
	d.Reset(name)
	var buf [128]byte
	key := buf[:0]
	for i := range d.Tokens {
		key = kbase.AppendKeyToken(key, d.TokenText(i))
	}
	t.docs.Put(d)
	c, ok := t.names[kbHash(typ, key)]
	if !ok {
		return "", 0, false
	}
	return kbCodes[c], kbWeights[c], true
}

// Chain asks each EntityTopics in turn; the first that knows the entity
// answers.
type Chain []EntityTopics

// EntityTopic implements EntityTopics.
func (c Chain) EntityTopic(text string, typ string) (string, float64, bool) {
	for _, e := range c {
		if code, w, ok := e.EntityTopic(text, typ); ok {
			return code, w, ok
		}
	}
	return "", 0, false
}

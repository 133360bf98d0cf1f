package kb

import (
	"hash/maphash"
	"strconv"
)

// table is the loaded knowledge base in a form without pointers: names,
// candidates and strings live in flat slices and one string arena, indexed
// by an open-addressing hash table of offsets. The maps the loader builds
// (a string key and an Entry slice of six strings per name) hold ~300,000
// heap objects, which every garbage-collection cycle had to mark: ~44 ms of
// CPU per cycle, which stalled the worker's lanes and made most of its
// latency tail. The garbage collector does not scan this form at all.
type table struct {
	seed  maphash.Seed
	arena string   // every key and string field
	slots []uint32 // key index + 1, 0 for empty; a power of two long
	keys  []keyRec
	recs  []entryRec
	canon map[uint32]strRef // numeric Wikidata id -> canonical name
	// odd ids (not "Q" and digits) keep a map of strings: none so far
	oddCanon map[string]string
}

type strRef struct{ off, n uint32 }

type keyRec struct {
	key          strRef
	first, count uint32 // recs[first : first+count]
}

type entryRec struct {
	typ, qid, canonical, country, kind, source strRef
	prior                                      float64
	alias                                      bool
}

// freeze builds the table from the loader's maps.
func freeze(names map[string][]Entry, canon map[string]string) *table {
	t := &table{seed: maphash.MakeSeed(), canon: make(map[uint32]strRef, len(canon))}
	n := 0
	for key, list := range names {
		n += len(key)
		for _, e := range list {
			n += len(e.QID) + len(e.Canonical)
		}
	}
	arena := make([]byte, 0, n+1024)
	put := func(s string) strRef {
		r := strRef{uint32(len(arena)), uint32(len(s))}
		arena = append(arena, s...)
		return r
	}
	// types, kinds, sources and countries are a few hundred strings
	small := map[string]strRef{}
	intern := func(s string) strRef {
		r, ok := small[s]
		if !ok {
			r = put(s)
			small[s] = r
		}
		return r
	}
	size := 1
	for size < 2*len(names) {
		size <<= 1
	}
	t.slots = make([]uint32, size)
	t.keys = make([]keyRec, 0, len(names))
	t.recs = make([]entryRec, 0, len(names)+len(names)/4)
	for key, list := range names {
		kr := keyRec{key: put(key), first: uint32(len(t.recs)), count: uint32(len(list))}
		for _, e := range list {
			t.recs = append(t.recs, entryRec{typ: intern(e.Type), qid: put(e.QID), canonical: put(e.Canonical),
				country: intern(e.Country), kind: intern(e.Kind), source: intern(e.Source), prior: e.Prior, alias: e.Alias})
		}
		t.keys = append(t.keys, kr)
		mask := uint64(size - 1)
		for i := maphash.String(t.seed, key) & mask; ; i = (i + 1) & mask {
			if t.slots[i] == 0 {
				t.slots[i] = uint32(len(t.keys))
				break
			}
		}
	}
	for qid, name := range canon {
		if n, ok := qidNumber(qid); ok {
			t.canon[n] = put(name)
		} else {
			if t.oddCanon == nil {
				t.oddCanon = map[string]string{}
			}
			t.oddCanon[qid] = name
		}
	}
	t.arena = string(arena)
	return t
}

func qidNumber(qid string) (uint32, bool) {
	if len(qid) < 2 || qid[0] != 'Q' || qid[1] == '0' {
		return 0, false
	}
	n, err := strconv.ParseUint(qid[1:], 10, 32)
	return uint32(n), err == nil
}

func (t *table) str(r strRef) string { return t.arena[r.off : r.off+r.n] }

// lookup returns a fresh slice of the candidates of key, nil when none.
func (t *table) lookup(key []byte) []Entry {
	mask := uint64(len(t.slots) - 1)
	for i := maphash.Bytes(t.seed, key) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return nil
		}
		kr := &t.keys[s-1]
		if t.str(kr.key) != string(key) {
			continue
		}
		out := make([]Entry, kr.count)
		for j, r := range t.recs[kr.first : kr.first+kr.count] {
			out[j] = Entry{Type: t.str(r.typ), QID: t.str(r.qid), Canonical: t.str(r.canonical),
				Prior: r.prior, Country: t.str(r.country), Kind: t.str(r.kind), Source: t.str(r.source), Alias: r.alias}
		}
		return out
	}
}

func (t *table) canonical(qid string) string {
	if n, ok := qidNumber(qid); ok {
		if r, ok := t.canon[n]; ok {
			return t.str(r)
		}
		return ""
	}
	return t.oddCanon[qid]
}

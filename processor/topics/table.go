package topics

// The lexicon is a flat open-addressing hash table keyed by 64-bit hashes of
// lower-cased words and word n-grams. Looking a token up costs one hash over
// its bytes (computed while scanning, no string is built) and usually one
// probe, which is what keeps the stage at millions of words per second.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashWord returns the FNV-1a hash of s with ASCII letters lower-cased, and
// the hash of s without its last byte (used for the plural fallback).
// Non-ASCII bytes are hashed as they are: the lexicons are ASCII, so a
// non-ASCII word simply misses.
func hashWord(s string) (full, butLast uint64) {
	h := uint64(fnvOffset)
	butLast = h
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		} else if c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x99 {
			// ’ (U+2019) in "don’t" hashes like '
			c = '\''
			i += 2
		}
		butLast = h
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h, butLast
}

// combine chains the hash of a phrase prefix with the next word's hash. It
// never returns a value that a single word could plausibly collide with in
// practice (the mixing differs from FNV).
func combine(prefix, next uint64) uint64 {
	x := prefix*0x9E3779B97F4A7C15 ^ (next + 0x632BE59BD9B4E019)
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	return x
}

// slot flags.
const (
	slotKnown  uint8 = 1 << iota // a word that appears in some lexicon term (plural fallback target)
	slotPrefix                   // the key is a proper prefix of some phrase
)

// posting says that a term is evidence for a node of the vocabulary.
type posting struct {
	node   uint16
	mode   uint8 // caseAny, caseCap, caseLower
	weight float32
}

const (
	caseAny   uint8 = iota
	caseCap         // counts only when the (first) word is capitalised: "Labour", "Apple"
	caseLower       // counts only when it is not: "labour", "apple"
)

// slot is one cell of the table; 16 bytes so a probe touches one cache line.
type slot struct {
	key   uint64 // 0 = empty (a real key of 0 is stored as 1)
	start uint32 // postings are post[start : start+count]
	count uint16
	flags uint8
}

// table is an open-addressing hash table with linear probing, built once by
// freeze and read-only afterwards (safe for concurrent lookups).
type table struct {
	slots []slot
	post  []posting
	mask  uint64
}

func fixKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

// find returns the index of the slot holding key, or -1.
func (t *table) find(key uint64) int {
	key = fixKey(key)
	i := (key ^ key>>29) & t.mask
	for {
		k := t.slots[i].key
		if k == key {
			return int(i)
		}
		if k == 0 {
			return -1
		}
		i = (i + 1) & t.mask
	}
}

// entry is a term while the lexicon is being built.
type entry struct {
	flags uint8
	post  []posting
}

// freeze lays the entries out in a table at most a quarter full.
func freeze(entries map[uint64]*entry) *table {
	size := 1024
	for size < len(entries)*4 {
		size <<= 1
	}
	t := &table{slots: make([]slot, size), mask: uint64(size - 1)}
	for key, e := range entries {
		key = fixKey(key)
		i := (key ^ key>>29) & t.mask
		for t.slots[i].key != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = slot{key: key, start: uint32(len(t.post)), count: uint16(len(e.post)), flags: e.flags}
		t.post = append(t.post, e.post...)
	}
	return t
}

package integration

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/newsenrich/newsenrich/event"
)

// PoisonClass is one kind of bad input and the dead-letter reason the worker must give it.
type PoisonClass struct {
	Name string
	Want string // expected newsenrich-error header
	Make func(id string, rng *rand.Rand, maxBytes int) []byte
}

// PoisonClasses covers every bad-input class of the input contract. maxBytes is the worker's
// NEWSENRICH_MAX_BYTES; "huge" values exceed it but stay under the broker's 1 MB message limit.
var PoisonClasses = []PoisonClass{
	{"random_bytes", event.ReasonInvalidUTF8, func(_ string, rng *rand.Rand, _ int) []byte {
		b := make([]byte, 64+rng.IntN(2048))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		b[len(b)/2] = 0xff // never valid UTF-8, whatever the dice said
		return b
	}},
	{"garbage_text", event.ReasonInvalidJSON, func(_ string, rng *rand.Rand, _ int) []byte {
		const alphabet = "abcdefghijklmnopqrstuvwxyz ,.:;!?0123456789"
		b := make([]byte, 16+rng.IntN(512))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return b
	}},
	{"empty", event.ReasonInvalidJSON, func(string, *rand.Rand, int) []byte { return nil }},
	{"truncated_json", event.ReasonInvalidJSON, func(id string, _ *rand.Rand, _ int) []byte {
		b := article(id, "en", "A body that will be cut off in the middle of its string.")
		return b[:len(b)/2]
	}},
	{"not_an_object", event.ReasonInvalidJSON, func(id string, _ *rand.Rand, _ int) []byte {
		return []byte(fmt.Sprintf(`[%q, "body", 1, 2, 3]`, id))
	}},
	{"deeply_nested", event.ReasonInvalidJSON, func(id string, _ *rand.Rand, _ int) []byte {
		const depth = 5000 // far past decode.MaxDepth, still under the size limit
		return []byte(fmt.Sprintf(`{"id":%q,"body":"Some text.","extra":%s1%s}`, id,
			strings.Repeat(`{"a":[`, depth), strings.Repeat(`]}`, depth)))
	}},
	{"huge_value", event.ReasonTooLarge, func(id string, _ *rand.Rand, maxBytes int) []byte {
		return article(id, "en", strings.Repeat("All work and no play. ", 2*maxBytes/22+1))
	}},
	{"invalid_utf8_in_string", event.ReasonInvalidUTF8, func(id string, _ *rand.Rand, _ int) []byte {
		return []byte(fmt.Sprintf("{\"id\":%q,\"title\":\"caf\xc3\x28\",\"body\":\"Text with a broken \xe2\x82 sequence.\"}", id))
	}},
	{"missing_id", event.ReasonMissingField, func(_ string, _ *rand.Rand, _ int) []byte {
		return []byte(`{"title":"No id","body":"This article has no identifier at all."}`)
	}},
	{"missing_body", event.ReasonMissingField, func(id string, _ *rand.Rand, _ int) []byte {
		return []byte(fmt.Sprintf(`{"id":%q,"title":"Headline only"}`, id))
	}},
	// Metadata never makes a poison record (a bad date is a warning, another
	// language an unenriched event): only the id, the body and the shape do.
	{"id_boolean", event.ReasonInvalidField, func(_ string, _ *rand.Rand, _ int) []byte {
		return []byte(`{"id":true,"body":"An id must be a string or a number."}`)
	}},
	{"whole_feed", event.ReasonUnsupportedFormat, func(id string, _ *rand.Rand, _ int) []byte {
		return []byte(fmt.Sprintf(`<rss version="2.0"><channel><item><guid>%s</guid><description>x</description></item></channel></rss>`, id))
	}},
}

func article(id, lang, body string) []byte {
	b, _ := json.Marshal(map[string]string{"id": id, "title": "Poison " + id, "language": lang, "body": body})
	return b
}

// Poison returns n bad records cycling through PoisonClasses, with unique ids used as Kafka keys
// (the values themselves may carry no readable id).
func Poison(prefix string, n, maxBytes int, seed uint64) []Record {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]Record, n)
	for i := range out {
		c := PoisonClasses[i%len(PoisonClasses)]
		id := fmt.Sprintf("%s-%s-%05d", prefix, c.Name, i)
		out[i] = Record{ID: id, Class: c.Name, Value: c.Make(id, rng, maxBytes)}
	}
	return out
}

// WantReason returns the expected dead-letter reason for a poison class name.
func WantReason(class string) (string, bool) {
	for _, c := range PoisonClasses {
		if c.Name == class {
			return c.Want, true
		}
	}
	return "", false
}

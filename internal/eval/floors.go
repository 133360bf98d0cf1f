package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Floor is a minimum for one figure of one set (Set empty = every set that
// reports the figure), or a maximum (Max) for a figure where less is better,
// such as a calibration error. Floors guard against regressions; they are
// set just short of what the engine reaches.
type Floor struct {
	Set   string
	Key   string
	Bound float64 // a minimum, or a maximum when Max is set
	Max   bool
}

func (f Floor) String() string {
	op := "="
	if f.Max {
		op = "<="
	}
	if f.Set == "" {
		return fmt.Sprintf("%s%s%g", f.Key, op, f.Bound)
	}
	return fmt.Sprintf("%s:%s%s%g", f.Set, f.Key, op, f.Bound)
}

// ParseFloor reads "[set:]key=value", a minimum, e.g.
// "conll2003-dev:ner.PER+ORG+LOC.f1=0.70", or "[set:]key<=value", a maximum.
func ParseFloor(s string) (Floor, error) {
	kv, val, ok := strings.Cut(s, "=")
	if !ok {
		return Floor{}, fmt.Errorf("floor %q: want [set:]key=value or [set:]key<=value", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil {
		return Floor{}, fmt.Errorf("floor %q: %w", s, err)
	}
	kv, isMax := strings.CutSuffix(kv, "<")
	f := Floor{Key: strings.TrimSpace(kv), Bound: v, Max: isMax}
	if set, key, ok := strings.Cut(f.Key, ":"); ok {
		f.Set, f.Key = set, key
	}
	if f.Key == "" {
		return Floor{}, fmt.Errorf("floor %q: empty key", s)
	}
	return f, nil
}

// LoadFloors reads a JSON file {"set": {"key": min, "key2": {"max": max}, ...}, ...}.
func LoadFloors(path string) ([]Floor, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Floor
	for set, keys := range m {
		for k, raw := range keys {
			f := Floor{Set: set, Key: k}
			var bound struct {
				Max *float64 `json:"max"`
			}
			if err := json.Unmarshal(raw, &f.Bound); err != nil {
				if err := json.Unmarshal(raw, &bound); err != nil || bound.Max == nil {
					return nil, fmt.Errorf("%s: %s: %s: want a number (a minimum) or {\"max\": number}", path, set, k)
				}
				f.Bound, f.Max = *bound.Max, true
			}
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// CheckFloors returns one message per floor that a report falls below. A
// floor naming a figure that its set's report lacks fails too, so a typo or
// a task that stopped being scored cannot pass silently. Floors for sets not
// among the reports are skipped.
func CheckFloors(reports []*Report, floors []Floor) []string {
	var bad []string
	for _, f := range floors {
		for _, r := range reports {
			if f.Set != "" && f.Set != r.Set {
				continue
			}
			got, ok := r.Figures()[f.Key]
			switch {
			case !ok:
				bad = append(bad, fmt.Sprintf("%s: no figure %q (engine %s)", r.Set, f.Key, r.Engine))
			case f.Max && got > f.Bound:
				bad = append(bad, fmt.Sprintf("%s: %s = %.4f is above the ceiling %.4f (engine %s)", r.Set, f.Key, got, f.Bound, r.Engine))
			case !f.Max && got < f.Bound:
				bad = append(bad, fmt.Sprintf("%s: %s = %.4f is below the floor %.4f (engine %s)", r.Set, f.Key, got, f.Bound, r.Engine))
			}
		}
	}
	return bad
}

package decode

import (
	"strconv"
	"strings"
	"time"
)

// Wires write timestamps in many forms. Each layout below is one seen in
// real feeds; zoned says whether the layout carries a zone (a value without
// one is taken as UTC and the event says so in a warning).
var timeLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true}, // also RFC 3339 without fraction
	{"2006-01-02T15:04:05.999999999Z0700", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02T15:04Z0700", true},
	{"2006-01-02 15:04:05.999999999Z07:00", true},
	{"2006-01-02 15:04:05.999999999Z0700", true},
	{"2006-01-02 15:04:05.999999999 Z07:00", true},
	{"2006-01-02 15:04:05.999999999 -0700", true},
	{"2006-01-02 15:04:05.999999999 MST", true},
	{"20060102T150405Z0700", true},
	{"20060102T150405Z07:00", true},
	{time.RFC1123, true},
	{time.RFC1123Z, true},
	{"Mon, 2 Jan 2006 15:04:05 MST", true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", true},
	{"Mon, 2 Jan 2006 15:04:05 -0700 (MST)", true},
	{"Mon, 2 Jan 2006 15:04 MST", true},
	{"Mon, 2 Jan 2006 15:04 -0700", true},
	{"Mon, 2 Jan 06 15:04:05 MST", true},
	{"Mon, 2 Jan 06 15:04:05 -0700", true},
	{"2 Jan 2006 15:04:05 MST", true},
	{"2 Jan 2006 15:04:05 -0700", true},
	{time.RFC822, true},
	{time.RFC822Z, true},
	{"2 Jan 06 15:04 MST", true},
	{"2 Jan 06 15:04 -0700", true},
	{time.RFC850, true},
	{time.UnixDate, true},
	{"Mon, 2 January 2006 15:04:05 MST", true},
	{"Monday, 2 January 2006 15:04:05 MST", true},
	{"January 2, 2006 15:04 MST", true},
	{"2006-01-02T15:04:05.999999999", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05.999999999", false},
	{"2006-01-02 15:04", false},
	{"20060102T150405", false},
	{"2006/01/02 15:04:05", false},
	{time.ANSIC, false},
	{"Mon, 2 Jan 2006 15:04:05", false},
	{"2 Jan 2006 15:04:05", false},
	{"January 2, 2006 15:04", false},
	{"January 2, 2006 3:04 PM", false},
	{"Jan 2, 2006 3:04 PM", false},
}

// dateLayouts are dates without a time: midnight UTC, no warning (a date is
// a complete statement of when, to the day).
var dateLayouts = []string{
	"2006-01-02", "20060102", "2006/01/02", "2 January 2006", "2 Jan 2006", "January 2, 2006",
	"Jan 2, 2006", "Mon, 2 Jan 2006", "Monday, January 2, 2006", "2006-01",
}

// zoneOffsets are the named zones RFC 822 allows plus the common ones wires
// use. Go's parser gives an unknown abbreviation offset 0 without saying
// so, so every name is resolved here.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3, "NDT": -2,
	"BST": 1, "IST": 1, "WEST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "EET": 2, "EEST": 3,
	"MSK": 3, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "ACST": 9, "AWST": 8,
	"NZST": 12, "NZDT": 13,
}

// normTime reads a timestamp in any form timeLayouts knows, or epoch
// seconds or milliseconds. It returns the RFC 3339 UTC form and, when the
// value was read with an assumption, why; ok is false when it cannot be
// read at all.
func normTime(s string) (out, assumed string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", false
	}
	if t, ok := epoch(s); ok {
		return format(t), "", true
	}
	// RFC 822 allows "UT", which Go's parser does not know.
	if strings.HasSuffix(s, " UT") {
		s += "C"
	}
	for _, l := range timeLayouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if !l.zoned {
			return format(t), "no time zone; taken as UTC", true
		}
		name, off := t.Zone()
		if off == 0 && strings.Contains(l.layout, "MST") {
			if name != "" && (name[0] == '+' || name[0] == '-') {
				continue // a numeric zone: the -0700 layout reads it
			}
			h, known := zoneOffsets[strings.ToUpper(name)]
			if !known {
				return format(t), "unknown time zone " + strconv.Quote(name) + "; taken as UTC", true
			}
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, h*3600))
		}
		return format(t), "", true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return format(t), "", true
		}
	}
	return "", "", false
}

func format(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// epoch reads a Unix time in seconds (up to 11 digits, optionally with a
// fraction) or milliseconds (12 or 13 digits). Other digit strings are not
// timestamps: "2019" is a year, not 1970-01-01T00:33:39Z.
func epoch(s string) (time.Time, bool) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) < 9 || len(intPart) > 13 || !allDigits(intPart) || (hasFrac && (frac == "" || !allDigits(frac))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	if len(intPart) >= 12 {
		if hasFrac {
			return time.Time{}, false
		}
		return time.UnixMilli(n), true
	}
	var ns int64
	if hasFrac {
		f := (frac + "000000000")[:9]
		ns, _ = strconv.ParseInt(f, 10, 64)
	}
	return time.Unix(n, ns), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

package pipeline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Split reads what people pipe into `newsenrich enrich` and calls f once per
// record, in one pass over the input (linear time):
//
//   - a JSON value, on one line or pretty-printed over many; the elements of
//     a top-level array are records of their own, so a 20k-article array is
//     streamed, not held whole;
//   - an XML document (an RSS <item>, an Atom <entry>, a NewsML-G2 newsItem),
//     from its first '<' to the end of its root element, however many lines
//     it spans;
//   - any other non-blank line, which is then an invalid record of its own.
//
// A JSON value still open when a line starts with '{' in column 0 was cut
// off: it is passed on as it is (an invalid record) and the new one starts.
//
// Memory is bounded by maxBytes: a record longer than maxBytes bytes is read to its
// end but not kept, and f gets raw == nil with its size. maxBytes <= 0 keeps
// every record whole.
func Split(r io.Reader, maxBytes int, f func(raw []byte, size int) error) error {
	s := splitter{max: maxBytes, f: f, lineStart: true}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			if ferr := s.feed(chunk); ferr != nil {
				return ferr
			}
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return s.flush()
		default:
			return fmt.Errorf("reading input: %w", err)
		}
	}
}

type splitMode uint8

const (
	modeIdle   splitMode = iota // between records
	modeJSON                    // inside a JSON object or array record
	modeScalar                  // a scalar element of a top-level array
	modeXML                     // inside an XML document
	modeText                    // a line that is none of the above
)

// xmlState is where the XML scanner is.
type xmlState uint8

const (
	xText    xmlState = iota
	xTag              // after '<', inside a tag
	xComment          // inside <!-- -->
	xCDATA            // inside <![CDATA[ ]]>
	xPI               // inside <? ?> or <!DOCTYPE >
)

type splitter struct {
	max int
	f   func([]byte, int) error

	buf  []byte // the record so far, unless it is over max
	size int    // its length in bytes
	over bool

	mode      splitMode
	inArray   bool // inside a top-level array whose elements are records
	lineStart bool

	// JSON
	depth int
	inStr bool
	esc   bool

	// XML
	xs       xmlState
	xDepth   int
	tag      []byte // the current tag's first bytes (kind detection)
	tagLast  byte   // the byte before '>' ('/' for an empty element)
	quote    byte   // attribute quote inside a tag
	opened   bool   // the root element has been opened
	xmlTail  []byte // last bytes, to spot "-->" and "]]>"
	tagBytes int
}

func (s *splitter) add(c byte) {
	s.size++
	if s.over {
		return
	}
	if s.max > 0 && s.size > s.max {
		s.over, s.buf = true, nil
		return
	}
	s.buf = append(s.buf, c)
}

func (s *splitter) emit() error {
	over, size := s.over, s.size
	var raw []byte
	if !over {
		// The callback may keep raw; s.buf is reused.
		raw = bytes.Clone(bytes.TrimSpace(s.buf))
	}
	s.buf, s.size, s.over = s.buf[:0], 0, false
	s.mode, s.depth, s.inStr, s.esc = modeIdle, 0, false, false
	s.xs, s.xDepth, s.opened, s.quote = xText, 0, false, 0
	if !over && len(raw) == 0 {
		return nil
	}
	return s.f(raw, size)
}

func (s *splitter) flush() error {
	if s.mode != modeIdle && s.size > 0 {
		return s.emit()
	}
	return nil
}

func (s *splitter) feed(chunk []byte) error {
	for _, c := range chunk {
		atStart := s.lineStart
		s.lineStart = c == '\n'
		switch s.mode {
		case modeIdle:
			if err := s.idle(c); err != nil {
				return err
			}
		case modeJSON:
			if atStart && c == '{' && !s.inArray && s.depth > 0 {
				// The record before was cut off; this line starts anew.
				if err := s.emit(); err != nil {
					return err
				}
				s.mode = modeJSON
				s.add(c)
				s.depth = 1
				continue
			}
			s.add(c)
			if s.jsonByte(c) {
				if err := s.emit(); err != nil {
					return err
				}
			}
		case modeScalar:
			if c == ',' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				if err := s.emit(); err != nil {
					return err
				}
				if c == ']' {
					s.inArray = false
				}
				continue
			}
			s.add(c)
		case modeXML:
			s.add(c)
			if s.xmlByte(c) {
				if err := s.emit(); err != nil {
					return err
				}
			}
		case modeText:
			if c == '\n' {
				if err := s.emit(); err != nil {
					return err
				}
				continue
			}
			s.add(c)
		}
	}
	return nil
}

// idle handles a byte between records.
func (s *splitter) idle(c byte) error {
	switch c {
	case ' ', '\t', '\r', '\n':
		return nil
	}
	if s.inArray {
		switch c {
		case ',':
			return nil
		case ']':
			s.inArray = false
			return nil
		case '{', '[', '"':
			s.mode = modeJSON
			s.add(c)
			s.jsonByte(c)
			if c == '"' {
				s.depth = 0
			}
			return nil
		}
		s.mode = modeScalar
		s.add(c)
		return nil
	}
	switch c {
	case '[':
		s.inArray = true
	case '{':
		s.mode, s.depth = modeJSON, 1
		s.add(c)
	case '<':
		s.mode = modeXML
		s.add(c)
		s.xmlByte(c)
	default:
		s.mode = modeText
		s.add(c)
	}
	return nil
}

// jsonByte advances the JSON state by c (already added) and reports
// whether the record is complete. Strings end a record when they close
// at depth 0 (a string element of an array).
func (s *splitter) jsonByte(c byte) bool {
	if s.inStr {
		switch {
		case s.esc:
			s.esc = false
		case c == '\\':
			s.esc = true
		case c == '"':
			s.inStr = false
			return s.depth == 0
		}
		return false
	}
	switch c {
	case '"':
		s.inStr = true
	case '{', '[':
		s.depth++
	case '}', ']':
		s.depth--
		return s.depth <= 0
	}
	return false
}

// xmlByte advances the XML state by c (already added) and reports whether
// the root element has closed.
func (s *splitter) xmlByte(c byte) bool {
	switch s.xs {
	case xText:
		if c == '<' {
			s.xs, s.tag, s.quote, s.tagBytes, s.tagLast = xTag, s.tag[:0], 0, 0, 0
		}
		return false
	case xComment, xCDATA, xPI:
		s.xmlTail = append(s.xmlTail, c)
		if len(s.xmlTail) > 3 {
			s.xmlTail = s.xmlTail[1:]
		}
		t := string(s.xmlTail)
		if (s.xs == xComment && t == "-->") || (s.xs == xCDATA && t == "]]>") || (s.xs == xPI && c == '>') {
			s.xs = xText
		}
		return false
	}
	// Inside a tag.
	s.tagBytes++
	if s.quote != 0 {
		if c == s.quote {
			s.quote = 0
		}
		return false
	}
	if len(s.tag) < 9 {
		s.tag = append(s.tag, c)
		switch string(s.tag) {
		case "!--":
			s.xs, s.xmlTail = xComment, s.xmlTail[:0]
			return false
		case "![CDATA[":
			s.xs, s.xmlTail = xCDATA, s.xmlTail[:0]
			return false
		}
		if len(s.tag) == 1 && c == '?' {
			s.xs = xPI
			return false
		}
		if len(s.tag) == 2 && s.tag[0] == '!' && c != '-' && c != '[' {
			s.xs = xPI // <!DOCTYPE ...>
			return false
		}
	}
	switch c {
	case '"', '\'':
		if s.tagBytes > 1 {
			s.quote = c
		}
	case '>':
		s.xs = xText
		switch {
		case len(s.tag) > 0 && s.tag[0] == '/':
			s.xDepth--
		case s.tagLast == '/':
			// <empty/>: a root that is empty closes at once.
		default:
			s.xDepth++
			s.opened = true
		}
		if s.tagLast == '/' && s.xDepth == 0 {
			return true
		}
		return s.opened && s.xDepth <= 0
	}
	s.tagLast = c
	return false
}

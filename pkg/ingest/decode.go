package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Format is a payload encoding.
type Format string

const (
	JSON   Format = "json"
	NDJSON Format = "ndjson"
	CSV    Format = "csv"
)

// ParseFormat accepts a format name or a content type.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	switch s {
	case "json", "application/json":
		return JSON, nil
	case "ndjson", "jsonl", "application/x-ndjson", "application/ndjson", "application/jsonl":
		return NDJSON, nil
	case "csv", "text/csv":
		return CSV, nil
	}
	return "", fmt.Errorf("unknown format %q; use json, ndjson or csv", s)
}

// PayloadError rejects a whole payload (e.g. JSON that does not parse as a document,
// or a CSV header without a required column): no record of it is stored.
type PayloadError struct{ Reason string }

func (e *PayloadError) Error() string { return e.Reason }

// decoded is one record from a payload, or the reason it could not be read.
type decoded struct {
	position int // 1-based record number
	line     int // 1-based line (NDJSON, CSV), 0 when not line-based
	raw      rawRecord
	err      *FieldError
}

// decode streams records from r to fn. A *PayloadError stops the whole payload;
// a record that cannot be read is passed to fn with err set.
func decode(format Format, r io.Reader, required []string, fn func(decoded) error) error {
	switch format {
	case JSON:
		return decodeJSON(r, fn)
	case NDJSON:
		return decodeNDJSON(r, fn)
	case CSV:
		return decodeCSV(r, required, fn)
	}
	return &PayloadError{Reason: fmt.Sprintf("unknown format %q", format)}
}

// decodeJSON reads an array of objects (or one object). A syntax error ends the
// payload: after it, record boundaries cannot be trusted.
func decodeJSON(r io.Reader, fn func(decoded) error) error {
	br := bufio.NewReader(r)
	first, err := peekNonSpace(br)
	if err != nil {
		return &PayloadError{Reason: "empty JSON payload: want an array of records"}
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	if first == '{' {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return &PayloadError{Reason: fmt.Sprintf("malformed JSON: %v", err)}
		}
		if err := trailingGarbage(dec); err != nil {
			return err
		}
		return fn(jsonRecord(1, raw))
	}
	if first != '[' {
		return &PayloadError{Reason: fmt.Sprintf("JSON payload starts with %q: want an array of records", first)}
	}
	if _, err := dec.Token(); err != nil {
		return &PayloadError{Reason: fmt.Sprintf("malformed JSON: %v", err)}
	}
	pos := 0
	for dec.More() {
		pos++
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return &PayloadError{Reason: fmt.Sprintf("malformed JSON in record %d (byte %d): %v; nothing was stored", pos, dec.InputOffset(), err)}
		}
		if err := fn(jsonRecord(pos, raw)); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return &PayloadError{Reason: fmt.Sprintf("malformed JSON after record %d: %v; nothing was stored", pos, err)}
	}
	return trailingGarbage(dec)
}

func trailingGarbage(dec *json.Decoder) error {
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &PayloadError{Reason: "malformed JSON: unexpected data after the end of the document"}
	}
	return nil
}

func jsonRecord(pos int, raw json.RawMessage) decoded {
	d := decoded{position: pos}
	if !utf8.Valid(raw) {
		// encoding/json would silently turn bad bytes into U+FFFD.
		d.err = &FieldError{Reason: "record is not valid UTF-8"}
		return d
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		d.err = &FieldError{Reason: "record is not a JSON object"}
		return d
	}
	d.raw = rawRecord{fields: m}
	return d
}

// decodeNDJSON reads one JSON object per line; a bad line rejects only that record.
func decodeNDJSON(r io.Reader, fn func(decoded) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	line, pos := 0, 0
	for {
		text, err := br.ReadBytes('\n')
		if len(text) > 0 {
			line++
			trimmed := bytes.TrimSpace(text)
			if len(trimmed) > 0 {
				pos++
				d := decoded{position: pos, line: line}
				var m map[string]any
				dec := json.NewDecoder(bytes.NewReader(trimmed))
				dec.UseNumber()
				if !utf8.Valid(trimmed) {
					d.err = &FieldError{Reason: "line is not valid UTF-8"}
				} else if derr := dec.Decode(&m); derr != nil || m == nil {
					d.err = &FieldError{Reason: "line is not a JSON object" + suffix(derr)}
				} else if dec.More() {
					d.err = &FieldError{Reason: "line has data after its JSON object"}
				} else {
					d.raw = rawRecord{fields: m}
				}
				if ferr := fn(d); ferr != nil {
					return ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading NDJSON: %w", err)
		}
	}
}

// decodeCSV reads a header row and one record per row. A header missing a required
// column rejects the payload; a row with the wrong number of cells rejects that row.
func decodeCSV(r io.Reader, required []string, fn func(decoded) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &PayloadError{Reason: "empty CSV payload: want a header row"}
	}
	if err != nil {
		return &PayloadError{Reason: fmt.Sprintf("CSV header: %v", err)}
	}
	header = append([]string(nil), header...)
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	var missing []string
	for _, req := range required {
		found := false
		for _, h := range header {
			if h == req {
				found = true
			}
		}
		if !found {
			missing = append(missing, req)
		}
	}
	if len(missing) > 0 {
		return &PayloadError{Reason: fmt.Sprintf("CSV header lacks required column(s) %s; nothing was stored", strings.Join(missing, ", "))}
	}
	pos := 0
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		pos++
		d := decoded{position: pos}
		if err == nil {
			// FieldPos panics unless the last Read returned a row.
			d.line, _ = cr.FieldPos(0)
		}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr):
			d.line = perr.Line
			d.err = &FieldError{Reason: "CSV row does not parse: " + perr.Err.Error()}
		case err != nil:
			return fmt.Errorf("reading CSV: %w", err)
		case len(row) != len(header):
			d.err = &FieldError{Reason: fmt.Sprintf("row has %d cells, the header has %d", len(row), len(header))}
		default:
			m := make(map[string]any, len(header))
			for i, h := range header {
				m[h] = row[i]
			}
			d.raw = rawRecord{fields: m, fromText: true}
		}
		if ferr := fn(d); ferr != nil {
			return ferr
		}
	}
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b == ' ' || b == '\n' || b == '\r' || b == '\t' {
			continue
		}
		if b == 0xEF { // UTF-8 byte order mark
			_, _ = br.Discard(2)
			continue
		}
		return b, br.UnreadByte()
	}
}

func suffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

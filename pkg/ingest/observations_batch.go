package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/store"
)

// ObservationsBatchKind names the compact columnar form of observations
// (POST ingest/observations-batch): one record per model, feature and time (or array
// of times) with an array of values, for high-volume logging.
const ObservationsBatchKind = "observations-batch"

// A batch record names the shared fields once and the per-observation fields as arrays
// of one length:
//
//	{"model":"churn","model_version":"v3","feature":"age",
//	 "observed_at":"2024-05-01T10:00:00Z",          // or an array of times
//	 "values":[31,45,27],                            // or "categories":["a","b","a"]
//	 "prediction_ids":["p1","p2","p3"],              // optional
//	 "scores":[0.1,0.8,0.4],                         // optional, prediction batches
//	 "segment":{"region":"eu"},                      // optional, for every value
//	 "seq_start":0,                                  // optional: seq of values[0]
//	 "source":"scorer-7"}                            // optional
//
// Value i is stored as one observation with seq = seq_start + i, so values logged at
// one instant without prediction ids stay apart, and re-sending the batch replaces
// them. Each value is validated as the observations kind validates a record; a bad
// value is rejected by its position (values[17]) and the others are stored.
var batchArrays = map[string]string{
	"values":         "value",
	"categories":     "category",
	"prediction_ids": "prediction_id",
	"scores":         "score",
}

// batchArrayNames lists batchArrays' keys sorted, so the first fault found in a value
// is the same every time.
var batchArrayNames = []string{"categories", "prediction_ids", "scores", "values"}

// batchScalars are the shared fields; observed_at may also be an array.
var batchScalars = []string{"model", "model_version", "feature", "observed_at", "segment", "source"}

// IngestObservationBatches reads batch records (JSON: one object or an array of them;
// NDJSON: one per line) and upserts every valid observation in one transaction.
func IngestObservationBatches(ctx context.Context, st store.Store, format Format, r io.Reader, opts Options) (Result, error) {
	if format == CSV {
		return Result{}, &PayloadError{Reason: "the observations batch form is JSON or NDJSON; send CSV rows to ingest/observations"}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.MaxRejected == 0 {
		opts.MaxRejected = 1000
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return Result{}, fmt.Errorf("reading the batch payload: %w", err)
	}
	kind := observationKind()
	res := Result{Kind: ObservationsBatchKind, Rejected: []Rejected{}}
	unknown := map[string]bool{}
	err = st.WithTx(ctx, func(tx store.Tx) error {
		w := newWriter(ctx, tx, st.Dialect(), kind, opts.Now)
		derr := decode(format, bytes.NewReader(quoteNonFinite(body)), nil, func(d decoded) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.err != nil {
				res.reject(d, opts.MaxRejected)
				return nil
			}
			if opts.Source != "" && d.raw.fields["source"] == nil {
				d.raw.fields["source"] = opts.Source
			}
			return addBatch(kind, d, opts, w, &res, unknown)
		})
		if derr != nil {
			return derr
		}
		if err := w.flush(); err != nil {
			return err
		}
		res.Stored, res.Superseded = w.stored, w.superseded
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	res.IgnoredFields = sortedKeys(unknown)
	return res, nil
}

// addBatch validates one batch record and adds its observations to the writer.
func addBatch(kind Kind, d decoded, opts Options, w *writer, res *Result, unknown map[string]bool) error {
	f := d.raw.fields
	for name := range f {
		if _, ok := batchArrays[name]; !ok && name != "seq_start" && !contains(batchScalars, name) {
			unknown[name] = true
		}
	}
	arrays, n, fe := batchColumns(f)
	if fe != nil {
		res.rejectBatch(d, fe, opts.MaxRejected)
		return nil
	}
	times, timeArray := f["observed_at"].([]any)
	if timeArray && len(times) != n {
		res.rejectBatch(d, &FieldError{Field: "observed_at", Reason: fmt.Sprintf("has %d times for %d values", len(times), n)}, opts.MaxRejected)
		return nil
	}
	seqStart, fe := batchSeqStart(f["seq_start"], n)
	if fe != nil {
		res.rejectBatch(d, fe, opts.MaxRejected)
		return nil
	}
	// The shared fields are parsed once, by the same rules as a record's fields.
	header := Record{}
	for _, name := range batchScalars {
		field, _ := kind.field(name)
		v := f[name]
		if name == "observed_at" && timeArray {
			continue
		}
		if v == nil {
			if field.Required {
				res.rejectBatch(d, &FieldError{Field: name, Reason: "is required"}, opts.MaxRejected)
				return nil
			}
			header[name] = defaultFor(field)
			continue
		}
		val, err := parseElement(field, v, opts.Now)
		if err != nil {
			res.rejectBatch(d, &FieldError{Field: name, Reason: err.Error()}, opts.MaxRejected)
			return nil
		}
		header[name] = val
	}
	for _, field := range kind.Fields {
		if _, set := header[field.Name]; !set {
			header[field.Name] = defaultFor(field)
		}
	}
	timeField, _ := kind.field("observed_at")
	for i := 0; i < n; i++ {
		rec := maps.Clone(header)
		var bad *FieldError
		if timeArray {
			if t, err := parseElement(timeField, times[i], opts.Now); err != nil {
				bad = &FieldError{Field: fmt.Sprintf("observed_at[%d]", i), Reason: err.Error()}
			} else {
				rec["observed_at"] = t
			}
		}
		for _, name := range batchArrayNames {
			if bad != nil || arrays[name] == nil {
				continue
			}
			field, _ := kind.field(batchArrays[name])
			v, err := parseElement(field, arrays[name][i], opts.Now)
			if err != nil {
				bad = &FieldError{Field: fmt.Sprintf("%s[%d]", name, i), Reason: err.Error()}
				continue
			}
			rec[batchArrays[name]] = v
		}
		if bad == nil {
			rec["seq"] = float64(seqStart + int64(i))
			if fe := kind.Check(rec); fe != nil {
				arr, perValue := elementArray(fe.Field)
				if !perValue {
					// A shared field is at fault: every value of the batch would fail alike.
					res.rejectBatch(d, fe, opts.MaxRejected)
					return nil
				}
				bad = &FieldError{Field: fmt.Sprintf("%s[%d]", arr, i), Reason: fe.Reason}
			}
		}
		if bad != nil {
			res.rejectBatch(d, bad, opts.MaxRejected)
			continue
		}
		if err := w.add(rec); err != nil {
			return err
		}
	}
	return nil
}

// batchColumns returns the per-value arrays and their common length.
func batchColumns(f map[string]any) (map[string][]any, int, *FieldError) {
	arrays := map[string][]any{}
	for _, name := range batchArrayNames {
		v, ok := f[name]
		if !ok || v == nil {
			continue
		}
		a, isArray := v.([]any)
		if !isArray {
			return nil, 0, &FieldError{Field: name, Reason: fmt.Sprintf("want an array, got %s", jsonType(v))}
		}
		arrays[name] = a
	}
	_, hasValues := arrays["values"]
	_, hasCategories := arrays["categories"]
	switch {
	case hasValues && hasCategories:
		return nil, 0, &FieldError{Field: "categories", Reason: "is given together with values; a batch holds numbers (values) or categories, not both"}
	case !hasValues && !hasCategories:
		return nil, 0, &FieldError{Field: "values", Reason: "is required: an array of numbers (or categories, an array of strings)"}
	}
	lead := "values"
	if hasCategories {
		lead = "categories"
	}
	n := len(arrays[lead])
	if n == 0 {
		return nil, 0, &FieldError{Field: lead, Reason: "is empty"}
	}
	for _, name := range batchArrayNames {
		if a, ok := arrays[name]; ok && len(a) != n {
			return nil, 0, &FieldError{Field: name, Reason: fmt.Sprintf("has %d elements for %d %s", len(a), n, lead)}
		}
	}
	return arrays, n, nil
}

func batchSeqStart(v any, n int) (int64, *FieldError) {
	if v == nil {
		return 0, nil
	}
	x, err := parseNumber(v)
	if err != nil {
		return 0, &FieldError{Field: "seq_start", Reason: err.Error()}
	}
	if x < 0 || x != float64(int64(x)) || x+float64(n) > maxSeq {
		return 0, &FieldError{Field: "seq_start", Reason: fmt.Sprintf("%s is not a whole number from 0 to 2^53 minus the batch length", num(x))}
	}
	return int64(x), nil
}

// parseElement parses one batch value; NaN and infinities (marked by quoteNonFinite)
// and null are named, since JSON.stringify writes NaN and infinities as null.
func parseElement(f Field, v any, now time.Time) (any, error) {
	if s, ok := v.(string); ok && strings.HasPrefix(s, nonFiniteMark) {
		return nil, fmt.Errorf("is %s: observations must be finite numbers", strings.TrimPrefix(s, nonFiniteMark))
	}
	if v == nil {
		if f.Type == Number {
			return nil, fmt.Errorf("is null: want a finite number (JSON.stringify writes NaN and Infinity as null)")
		}
		return nil, fmt.Errorf("is null: want a string")
	}
	return parseField(f, v, now)
}

// elementArray maps a record field to the batch array it came from.
func elementArray(field string) (string, bool) {
	for arr, col := range batchArrays {
		if col == field {
			return arr, true
		}
	}
	if field == "seq" {
		return "seq_start", false
	}
	return "", false
}

// rejectBatch lists a rejected batch record, or one value of it when the field is
// indexed (values[17]).
func (res *Result) rejectBatch(d decoded, fe *FieldError, max int) {
	d.err = fe
	res.reject(d, max)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nonFiniteMark starts the string quoteNonFinite puts in place of a bare token; the
// NUL it begins with cannot come from a sender's own strings (parseString refuses it).
const nonFiniteMark = "\x00nonfinite:"

// quoteNonFinite rewrites the bare NaN, Infinity and -Infinity tokens that some JSON
// writers emit (Python's json.dumps does by default) as marked strings. They are not
// JSON, so without this one of them would fail the whole document; marked, they are
// rejected by their position (values[17]) like any other bad value.
func quoteNonFinite(b []byte) []byte {
	var out []byte
	last := 0
	inString, escaped := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
			continue
		}
		for _, tok := range []string{"-Infinity", "Infinity", "NaN"} {
			if bytes.HasPrefix(b[i:], []byte(tok)) {
				out = append(out, b[last:i]...)
				out = append(out, `"\u0000nonfinite:`...)
				out = append(out, tok...)
				out = append(out, '"')
				i += len(tok) - 1
				last = i + 1
				break
			}
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

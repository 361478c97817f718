package prometheus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// Result types of the query API.
const (
	Matrix = "matrix"
	Vector = "vector"
	Scalar = "scalar"
	String = "string"
)

// Response is a decoded query result.
type Response struct {
	// Type is matrix (range queries), vector or scalar (instant queries).
	Type   string
	Series []Series
	// Warnings and Infos are Prometheus' notes on a successful query (such as a
	// rate over a metric that does not look like a counter).
	Warnings []string
	Infos    []string
}

// Series is one labelled series. Points are in time order, one per evaluation
// time at which the series had a value; the steps where it had none (no sample
// within the lookback window, or a stale marker) are simply absent.
type Series struct {
	Labels map[string]string
	Points []Point
	// Histograms counts native-histogram samples, which have no single value
	// and are not in Points.
	Histograms int
}

// Point is one sample: Unix milliseconds and the value as Prometheus sent it
// (NaN and ±Inf included).
type Point struct {
	T int64
	V float64
}

type apiResponse struct {
	Status    string   `json:"status"`
	Data      apiData  `json:"data"`
	ErrorType string   `json:"errorType"`
	Error     string   `json:"error"`
	Warnings  []string `json:"warnings"`
	Infos     []string `json:"infos"`
}

type apiData struct {
	ResultType string    `json:"resultType"`
	Result     apiResult `json:"result"`
}

// apiResult is a vector or matrix (an array of series) or a scalar or string (one
// [time, value] pair), told apart by the first element, so the body is decoded in
// one pass whatever the result type.
type apiResult struct {
	series []apiSeries
	point  *point
	other  bool
}

func (r *apiResult) UnmarshalJSON(b []byte) error {
	s := scanner{b: b}
	s.space()
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.expect('['); err != nil {
		return err
	}
	s.space()
	switch c := s.peek(); {
	case c == '{' || c == ']':
		return json.Unmarshal(b, &r.series)
	case c == '-' || (c >= '0' && c <= '9'):
		var p point
		if err := p.UnmarshalJSON(b); err != nil {
			r.other = true // a string result: [time, "text"] is not a number
			return nil
		}
		r.point = &p
		return nil
	}
	return s.fail("a series or a sample")
}

type apiSeries struct {
	Metric     map[string]string `json:"metric"`
	Values     points            `json:"values"`
	Value      *point            `json:"value"`
	Histograms []json.RawMessage `json:"histograms"`
	Histogram  json.RawMessage   `json:"histogram"`
}

// decodeResponse reads a query API body. A body that is not the API's JSON (a
// proxy's error page) is reported by the HTTP status and the body's start.
func decodeResponse(body []byte, status int, server string) (*Response, error) {
	var r apiResponse
	err := json.Unmarshal(body, &r)
	if r.Status == "error" {
		return nil, &Error{HTTPStatus: status, Type: r.ErrorType, Msg: r.Error}
	}
	if r.Status != "success" || status/100 != 2 {
		return nil, httpError(status, body, server)
	}
	if err != nil {
		return nil, fmt.Errorf("Prometheus at %s: reading the %s result: %v", server, r.Data.ResultType, err)
	}
	out := &Response{Type: r.Data.ResultType, Warnings: r.Warnings, Infos: r.Infos}
	res := r.Data.Result
	switch r.Data.ResultType {
	case Matrix, Vector:
		out.Series = make([]Series, len(res.series))
		for i, s := range res.series {
			ps := []Point(s.Values)
			if s.Value != nil {
				ps = []Point{Point(*s.Value)}
			}
			h := len(s.Histograms)
			if len(s.Histogram) > 0 && !bytes.Equal(s.Histogram, []byte("null")) {
				h++
			}
			labels := s.Metric
			if labels == nil {
				labels = map[string]string{}
			}
			out.Series[i] = Series{Labels: labels, Points: ps, Histograms: h}
		}
	case Scalar:
		if res.point == nil {
			return nil, fmt.Errorf("Prometheus at %s: reading the scalar result: no sample", server)
		}
		out.Series = []Series{{Labels: map[string]string{}, Points: []Point{Point(*res.point)}}}
	default:
		return nil, fmt.Errorf("Prometheus at %s answered a %q result; the expression must give numbers (an instant vector, range query, or scalar)", server, r.Data.ResultType)
	}
	return out, nil
}

// point is one [time, "value"] pair.
type point Point

func (p *point) UnmarshalJSON(b []byte) error {
	s := scanner{b: b}
	pt, err := s.point()
	if err != nil {
		return err
	}
	*p = point(pt)
	return nil
}

// points decodes a matrix series' values by hand: it is the bulk of a range
// query's body, and generic decoding would allocate per sample.
type points []Point

func (ps *points) UnmarshalJSON(b []byte) error {
	s := scanner{b: b}
	s.space()
	if s.peek() == 'n' {
		*ps = nil
		return s.literal("null")
	}
	if err := s.expect('['); err != nil {
		return err
	}
	// A rough count of the samples: one ']' each, plus the outer one.
	out := make([]Point, 0, bytes.Count(b, []byte{']'})-1)
	s.space()
	if s.peek() == ']' {
		*ps = out
		return nil
	}
	for {
		pt, err := s.point()
		if err != nil {
			return err
		}
		out = append(out, pt)
		s.space()
		switch s.next() {
		case ',':
			continue
		case ']':
			*ps = out
			return nil
		default:
			return s.fail("',' or ']' after a sample")
		}
	}
}

// scanner reads the [time, "value"] pairs of the query API.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\n' || s.b[s.i] == '\t' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) next() byte {
	c := s.peek()
	s.i++
	return c
}

func (s *scanner) expect(c byte) error {
	s.space()
	if s.next() != c {
		return s.fail("'" + string(c) + "'")
	}
	return nil
}

func (s *scanner) literal(lit string) error {
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		return s.fail(lit)
	}
	s.i += len(lit)
	return nil
}

func (s *scanner) fail(want string) error {
	return fmt.Errorf("sample at byte %d: want %s", s.i, want)
}

// point reads [1709251200.123, "0.25"]. Times are decimal seconds; they are
// turned into milliseconds exactly (Prometheus times have millisecond precision).
func (s *scanner) point() (Point, error) {
	if err := s.expect('['); err != nil {
		return Point{}, err
	}
	s.space()
	start := s.i
	for s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == '-' || s.b[s.i] == '+' || s.b[s.i] == 'e' || s.b[s.i] == 'E' || (s.b[s.i] >= '0' && s.b[s.i] <= '9')) {
		s.i++
	}
	t, err := parseMillis(view(s.b[start:s.i]))
	if err != nil {
		return Point{}, err
	}
	if err := s.expect(','); err != nil {
		return Point{}, err
	}
	if err := s.expect('"'); err != nil {
		return Point{}, err
	}
	start = s.i
	for s.i < len(s.b) && s.b[s.i] != '"' {
		s.i++
	}
	text := view(s.b[start:s.i])
	s.i++ // closing quote
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return Point{}, fmt.Errorf("sample value %q is not a number", text)
	}
	if err := s.expect(']'); err != nil {
		return Point{}, err
	}
	return Point{T: t, V: v}, nil
}

// view reads bytes of the body as a string without copying them: two allocations
// per sample were most of the decoding time. The body is never written to after it
// is read, so the strings stay valid.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseMillis reads decimal seconds as integer milliseconds without going
// through a float when it can (the common "1709251200" and "1709251200.123").
func parseMillis(text string) (int64, error) {
	whole, frac, hasFrac := strings.Cut(text, ".")
	if !strings.ContainsAny(text, "eE") && len(frac) <= 3 {
		sec, err := strconv.ParseInt(whole, 10, 64)
		if err == nil {
			ms := int64(0)
			if hasFrac && frac != "" {
				f, err := strconv.ParseInt((frac + "00")[:3], 10, 64)
				if err != nil {
					return 0, fmt.Errorf("sample time %q is not a number", text)
				}
				ms = f
				if strings.HasPrefix(whole, "-") {
					ms = -ms
				}
			}
			return sec*1000 + ms, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("sample time %q is not a number", text)
	}
	return int64(math.Round(f * 1000)), nil
}

// SortedLabelNames lists a series' label names in order.
func (s Series) SortedLabelNames() []string {
	out := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

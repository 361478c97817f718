package prometheus

import (
	"math"
	"strings"
	"testing"
)

// TestDecodeTimes: decimal seconds become exact milliseconds, including a float
// form that would round badly through float64·1000 in other decoders.
func TestDecodeTimes(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"job":"api"},"values":[[1709251200,"1"],[1709251200.1,"2"],[1709251200.123,"NaN"],[ 1.7092512001239999e9 , "+Inf" ],[-1.5,"-Inf"],[1709251201.5e0,"1e-3"]]},
		{"metric":{},"values":[]},
		{"metric":{"h":"1"},"histograms":[[1709251200,{"count":"3","sum":"1"}]]}
	]},"warnings":["w1"],"infos":["i1"]}`
	r, err := decodeResponse([]byte(body), 200, "http://p")
	if err != nil {
		t.Fatal(err)
	}
	want := []Point{{1709251200000, 1}, {1709251200100, 2}, {1709251200123, math.NaN()}, {1709251200124, math.Inf(1)}, {-1500, math.Inf(-1)}, {1709251201500, 0.001}}
	got := r.Series[0].Points
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i].T != want[i].T || !(got[i].V == want[i].V || math.IsNaN(got[i].V) && math.IsNaN(want[i].V)) {
			t.Fatalf("point %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(r.Series[1].Points) != 0 || r.Series[1].Labels == nil {
		t.Fatalf("empty series %+v", r.Series[1])
	}
	if r.Series[2].Histograms != 1 || len(r.Series[2].Points) != 0 {
		t.Fatalf("histogram series %+v", r.Series[2])
	}
	if len(r.Warnings) != 1 || r.Warnings[0] != "w1" || len(r.Infos) != 1 {
		t.Fatalf("warnings %v infos %v", r.Warnings, r.Infos)
	}
}

func TestDecodeMalformed(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,2]]}]}}`, "want '\"'"},
		{`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["a","2"]]}]}}`, `sample time "" is not a number`},
		{`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"] [2,"3"]]}]}}`, "not the query API's JSON"},
		{`{"status":"success","data":{"resultType":"streams","result":[]}}`, `answered a "streams" result`},
		{`not json`, "not the query API's JSON: not json"},
	}
	for _, tc := range cases {
		_, err := decodeResponse([]byte(tc.body), 200, "http://p")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.body, err, tc.want)
		}
	}
}

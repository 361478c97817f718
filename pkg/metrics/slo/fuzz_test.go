package slo

import (
	"encoding/json"
	"testing"
)

// FuzzDefinition: any body either is refused with an error or gives a definition
// that validates again after a JSON round trip (what the store and GET give back).
//
//	go test ./pkg/metrics/slo -run '^$' -fuzz FuzzDefinition -fuzztime 30s
func FuzzDefinition(f *testing.F) {
	for _, seed := range []string{
		`{"id":"a","objective":99.9}`,
		`{"id":"a","objective":99,"calendar":"month","sli":"incidents","service":"s","incidents":{"severities":["sev1"],"end":"mitigated"}}`,
		`{"id":"a","objective":99.9,"window":"4w","sla":{"period":"quarter","tiers":[{"below":99,"credit":25},{"below":99.9,"credit":10}],"contract_value":1,"currency":"usd"}}`,
		`{"id":"a","objective":1e308,"window":"-1d"}`,
		`{"id":"","objective":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := DecodeDefinition(body)
		if err != nil {
			return
		}
		if err := d.Normalize(); err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal %+v: %v", d, err)
		}
		again, err := DecodeDefinition(out)
		if err != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		if err := again.Normalize(); err != nil {
			t.Fatalf("normalized definition %s refused on the way back: %v", out, err)
		}
		if again.window != d.window || again.Objective != d.Objective {
			t.Fatalf("round trip changed %s: window %v → %v", out, d.window, again.window)
		}
	})
}

package slo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

func TestDefinitionValidation(t *testing.T) {
	cases := []struct{ name, js, has string }{
		{"bad id", `{"id":"check out","objective":99}`, "id"},
		{"no objective", `{"id":"a"}`, "objective 0"},
		{"ratio objective", `{"id":"a","objective":0.999}`, "looks like a ratio; give a percentage such as 99.9"},
		{"objective above 100", `{"id":"a","objective":100.1}`, "at most 100"},
		{"window and calendar", `{"id":"a","objective":99,"window":"30d","calendar":"month"}`, "give one"},
		{"unknown calendar", `{"id":"a","objective":99,"calendar":"fortnight"}`, "calendar \"fortnight\""},
		{"window too short", `{"id":"a","objective":99,"window":"30m"}`, "between 1h and 366d"},
		{"window not a duration", `{"id":"a","objective":99,"window":"a month"}`, "window"},
		{"unknown sli", `{"id":"a","objective":99,"sli":"latency"}`, "sli \"latency\""},
		{"incidents SLI without service", `{"id":"a","objective":99,"sli":"incidents"}`, "service: required"},
		{"incident options on a counts SLO", `{"id":"a","objective":99,"incidents":{"end":"resolved"}}`, "only for sli"},
		{"bad incident end", `{"id":"a","service":"x","objective":99,"sli":"incidents","incidents":{"end":"closed"}}`, "incidents.end"},
		{"sla period", `{"id":"a","objective":99,"sla":{"period":"year"}}`, "sla.period"},
		{"tiers without contract value", `{"id":"a","objective":99.9,"sla":{"period":"month","tiers":[{"below":99.9,"credit":10}]}}`, "contract_value: required"},
		{"tier above objective", `{"id":"a","objective":99,"sla":{"period":"month","contract_value":1,"tiers":[{"below":99.5,"credit":10}]}}`, "above the objective"},
		{"credit shrinking with compliance", `{"id":"a","objective":99.9,"sla":{"period":"month","contract_value":1,"tiers":[{"below":99.9,"credit":25},{"below":99,"credit":10}]}}`, "lower compliance must owe more"},
		{"credit above 100", `{"id":"a","objective":99.9,"sla":{"period":"month","contract_value":1,"tiers":[{"below":99.9,"credit":150}]}}`, "credit 150"},
		{"bad currency", `{"id":"a","objective":99.9,"sla":{"period":"month","currency":"euro"}}`, "ISO 4217"},
		{"negative contract", `{"id":"a","objective":99.9,"sla":{"period":"month","contract_value":-5}}`, "contract_value -5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := DecodeDefinition([]byte(c.js))
			if err == nil {
				err = d.Normalize()
			}
			if err == nil || !strings.Contains(err.Error(), c.has) {
				t.Fatalf("error %v, want one containing %q", err, c.has)
			}
		})
	}
	if _, err := DecodeDefinition([]byte(`{"id":"a","objetive":99}`)); err == nil || !strings.Contains(err.Error(), "objetive") {
		t.Fatalf("a misspelt field: %v", err)
	}
	d, err := DecodeDefinition([]byte(`{"id":"a","objective":99.5}`))
	if err != nil || d.Normalize() != nil || d.Window != "30d" || d.SLI != SourceCounts || d.Name != "a" {
		t.Fatalf("defaults: %+v %v", d, err)
	}
}

func TestDefinitionLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		t0 := mustTime("2024-05-01T00:00:00Z")
		d, _ := DecodeDefinition([]byte(`{"id":"checkout","name":"Checkout","service":"shop","team":"payments","objective":99.95,"window":"4w",
			"sla":{"period":"quarter","tiers":[{"below":99.9,"credit":10},{"below":99,"credit":25}],"contract_value":30000,"currency":"usd"},"labels":{"tier":"1"}}`))
		got, err := CreateDefinition(ctx, st, d, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Window != "28d" || got.SLA.Currency != "USD" || got.SLA.Tiers[0].Below != 99.9 || got.Labels["tier"] != "1" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("stored %+v %+v", got, got.SLA)
		}
		var conflict *ConflictError
		if _, err := CreateDefinition(ctx, st, d, t0); !errors.As(err, &conflict) {
			t.Fatalf("second create: %v", err)
		}
		// PUT replaces the content, keeps created_at.
		d2, _ := DecodeDefinition([]byte(`{"id":"checkout","service":"shop","objective":99.9,"calendar":"month","sli":"incidents","incidents":{"severities":["sev1"]}}`))
		t1 := t0.Add(time.Hour)
		got, created, err := PutDefinition(ctx, st, d2, t1)
		if err != nil || created {
			t.Fatalf("put: %v created %v", err, created)
		}
		if got.Calendar != Month || got.Window != "" || got.SLA != nil || got.Incidents.Severities[0] != "sev1" || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t1) {
			t.Fatalf("after put %+v", got)
		}
		// Purging an active SLO is refused; retire hides it from queries.
		if err := PurgeDefinition(ctx, st, "checkout"); !errors.As(err, &conflict) {
			t.Fatalf("purge of an active SLO: %v", err)
		}
		if _, err := RetireDefinition(ctx, st, "checkout", t1); err != nil {
			t.Fatal(err)
		}
		active, _ := LoadDefinitions(ctx, st, Selection{})
		all, _ := LoadDefinitions(ctx, st, Selection{IncludeRetired: true})
		if len(active) != 0 || len(all) != 1 || all[0].RetiredAt == nil {
			t.Fatalf("after retire: %d active, %d in all", len(active), len(all))
		}
		if _, err := CreateDefinition(ctx, st, d, t1); !errors.As(err, &conflict) || !strings.Contains(err.Error(), "restore") {
			t.Fatalf("create over a retired SLO: %v", err)
		}
		if got, err := RestoreDefinition(ctx, st, "checkout"); err != nil || got.RetiredAt != nil {
			t.Fatalf("restore: %v %+v", err, got)
		}
		if _, err := RetireDefinition(ctx, st, "checkout", t1); err != nil {
			t.Fatal(err)
		}
		if err := PurgeDefinition(ctx, st, "checkout"); err != nil {
			t.Fatal(err)
		}
		var nf *NotFoundError
		if _, err := GetDefinition(ctx, st, "checkout"); !errors.As(err, &nf) {
			t.Fatalf("after purge: %v", err)
		}
		if _, err := RetireDefinition(ctx, st, "nope", t1); !errors.As(err, &nf) {
			t.Fatalf("retire unknown: %v", err)
		}
	})
}

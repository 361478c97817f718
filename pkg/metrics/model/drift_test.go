package model_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/metrics/model"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/stats/drift"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/storetest"
)

// The drift data set of model churn, one window per day:
//
//	age (numeric)   day 0 reference N(40, 10); day 1 the same distribution (fresh draw);
//	                day 2 mean shifted to 50; day 3 sd widened to 25; day 4 empty;
//	                day 5 exactly day 0's values again
//	plan (category) day 0 free 200, pro 150, team 50; day 1 free 195, pro 155, team 50;
//	                day 2 free 120, pro 150, team 50 and a new category enterprise 80
//	flag (numeric)  day 0 constant 1 (100 values); day 1 constant 1; day 2 half 1, half 2
type driftData struct {
	age  [6][]float64
	plan [3][]string
	flag [3][]float64
}

func loadDriftData(t *testing.T, st store.Store) driftData {
	t.Helper()
	var d driftData
	d.age[0] = numbers(1, 400, 40, 10)
	d.age[1] = numbers(2, 400, 40, 10)
	d.age[2] = numbers(3, 400, 50, 10)
	d.age[3] = numbers(4, 400, 40, 25)
	d.age[5] = append([]float64(nil), d.age[0]...)
	for i, v := range d.age {
		if len(v) > 0 {
			loadValues(t, st, "churn", "age", day(i), v)
		}
	}
	d.plan[0] = append(append(repeat("free", 200), repeat("pro", 150)...), repeat("team", 50)...)
	d.plan[1] = append(append(repeat("free", 195), repeat("pro", 155)...), repeat("team", 50)...)
	d.plan[2] = append(append(append(repeat("free", 120), repeat("pro", 150)...), repeat("team", 50)...), repeat("enterprise", 80)...)
	for i, v := range d.plan {
		loadCategories(t, st, "churn", "plan", day(i), v)
	}
	ones := func(n int) []float64 { return numbers(9, n, 1, 0) }
	d.flag[0], d.flag[1] = ones(100), ones(100)
	d.flag[2] = append(ones(50), numbers(9, 50, 2, 0)...)
	for i, v := range d.flag {
		loadValues(t, st, "churn", "flag", day(i), v)
	}
	return d
}

// pure computes a statistic with pkg/stats/drift on values in memory: what the
// store-backed query must equal.
func pure(t *testing.T, metric string, ref, cur []float64, bins int) drift.Result {
	t.Helper()
	var r drift.Result
	var err error
	switch metric {
	case model.PSI:
		var b drift.BinnedResult
		b, err = drift.PSI(ref, cur, drift.PSIOptions{Bins: bins})
		r = b.Result
	case model.JSD:
		var b drift.BinnedResult
		b, err = drift.JSD(ref, cur, drift.JSDOptions{Bins: bins})
		r = b.Result
	case model.KS:
		var k drift.KSResult
		k, err = drift.KS(ref, cur, drift.KSOptions{})
		r = k.Result
	case model.Wasserstein:
		r, err = drift.Wasserstein(ref, cur, 0)
	case model.WassersteinNormed:
		r, err = drift.WassersteinNormed(ref, cur, 0)
	}
	if err != nil {
		t.Fatalf("pure %s: %v", metric, err)
	}
	return r
}

var numericMetrics = []string{model.PSI, model.KS, model.Wasserstein, model.WassersteinNormed, model.JSD}

// checkAge compares the age series of a query (buckets day 1..5) with the pure
// statistic of each day against refOf(day), and the drifted output with its flag.
func checkAge(t *testing.T, st store.Store, d driftData, q models.Query, bins int, refOf func(day int) []float64) {
	t.Helper()
	for _, m := range numericMetrics {
		q := q
		q.Metric, q.Bucket = m, "1d"
		q.Filters = map[string][]string{"model": {"churn"}, "feature": {"age"}}
		stat := compute(t, st, day(1), day(6), q)
		opts := *q.Model
		opts.Output = model.OutputDrifted
		q.Model = &opts
		flags := compute(t, st, day(1), day(6), q)
		var want, wantFlags []*float64
		for i := 1; i <= 5; i++ {
			ref := refOf(i)
			if len(d.age[i]) == 0 || len(ref) == 0 {
				want, wantFlags = append(want, nil), append(wantFlags, nil)
				continue
			}
			r := pure(t, m, ref, d.age[i], bins)
			want = append(want, fp(r.Statistic))
			flag := 0.0
			if r.Drifted {
				flag = 1
			}
			wantFlags = append(wantFlags, fp(flag))
		}
		sameValues(t, m, seriesOf(t, stat, "churn", "age").Values, want)
		sameValues(t, m+" drifted", seriesOf(t, flags, "churn", "age").Values, wantFlags)
	}
}

func TestDriftAgainstARangeEqualsThePureFunctions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		checkAge(t, st, d, models.Query{Model: ref}, 10, func(int) []float64 { return d.age[0] })
		twenty := *ref
		twenty.Bins = 20
		checkAge(t, st, d, models.Query{Model: &twenty}, 20, func(int) []float64 { return d.age[0] })
	})
}

func TestDriftVerdicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadDriftData(t, st)
		ref := &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}
		for _, m := range []string{model.PSI, model.KS, model.WassersteinNormed, model.JSD} {
			q := models.Query{Metric: m, Bucket: "1d", Filters: map[string][]string{"feature": {"age"}},
				Model: &models.ModelOptions{Reference: ref, Output: model.OutputDrifted}}
			res := compute(t, st, day(1), day(6), q)
			// Same distribution: no drift; shifted mean and widened spread: drift; the
			// empty day: no value; day 0's own values again: no drift.
			sameValues(t, m, seriesOf(t, res, "churn", "age").Values, []*float64{fp(0), fp(1), fp(1), nil, fp(0)})
		}
		// Identical values give exactly zero.
		for _, m := range numericMetrics {
			res := compute(t, st, day(5), day(6), models.Query{Metric: m, Bucket: "none", Filters: map[string][]string{"feature": {"age"}},
				Model: &models.ModelOptions{Reference: ref}})
			if v := seriesOf(t, res, "churn", "age").Values[0]; v == nil || *v != 0 {
				t.Errorf("%s of identical windows = %s, want 0", m, show(v))
			}
		}
	})
}

func TestDriftAgainstASnapshotEqualsTheWindowItWasTakenFrom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		spec, err := model.ParseSnapshotRequest([]byte(`{"model":"churn","name":"may-1","from":"2024-05-01T00:00:00Z","to":"2024-05-02T00:00:00Z","bins":[10,4]}`), day(60))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := model.CreateSnapshot(context.Background(), st, spec, day(60), "ana"); err != nil {
			t.Fatal(err)
		}
		// The raw rows of the reference day may go: the snapshot keeps what drift needs.
		if _, err := st.ExecContext(context.Background(), `DELETE FROM model_observations WHERE observed_at < $1`, day(1).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		snap := &models.ModelOptions{Reference: &models.ModelReference{Type: "snapshot", Snapshot: "may-1"}}
		checkAge(t, st, d, models.Query{Model: snap}, 10, func(int) []float64 { return d.age[0] }) // stored bins
		twenty := *snap
		twenty.Bins = 20 // not stored: computed from the snapshot's values
		checkAge(t, st, d, models.Query{Model: &twenty}, 20, func(int) []float64 { return d.age[0] })
		four := *snap
		four.Bins = 4
		checkAge(t, st, d, models.Query{Model: &four}, 4, func(int) []float64 { return d.age[0] })
		// Categories against the snapshot.
		res := compute(t, st, day(2), day(3), models.Query{Metric: model.ChiSquare, Bucket: "none", Filters: map[string][]string{"feature": {"plan"}}, Model: snap})
		want, _ := drift.ChiSquare(d.plan[0], d.plan[2], drift.ChiSquareOptions{})
		sameValues(t, "chisquare", seriesOf(t, res, "churn", "plan").Values, []*float64{fp(want.Statistic)})
	})
}

func TestDriftAgainstTheRollingWindowBeforeEachBucket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		rolling := &models.ModelOptions{Reference: &models.ModelReference{Type: "rolling", Window: "1d"}}
		// Each day against the day before: day 5's reference (day 4) is empty.
		checkAge(t, st, d, models.Query{Model: rolling}, 10, func(i int) []float64 { return d.age[i-1] })
		// Anchored to the range: every day against the day before the range (day 0).
		anchored := &models.ModelOptions{Reference: &models.ModelReference{Type: "rolling", Window: "1d", Anchor: "range"}}
		checkAge(t, st, d, models.Query{Model: anchored}, 10, func(int) []float64 { return d.age[0] })
	})
}

func TestCategoricalDrift(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		chi1, _ := drift.ChiSquare(d.plan[0], d.plan[1], drift.ChiSquareOptions{})
		chi2, _ := drift.ChiSquare(d.plan[0], d.plan[2], drift.ChiSquareOptions{})
		psi1, _ := drift.PSICategories(d.plan[0], d.plan[1], drift.PSIOptions{})
		psi2, _ := drift.PSICategories(d.plan[0], d.plan[2], drift.PSIOptions{})
		cases := []struct {
			metric, output string
			want           []*float64
		}{
			{model.ChiSquare, "", []*float64{fp(chi1.Statistic), fp(chi2.Statistic)}},
			{model.ChiSquare, model.OutputPValue, []*float64{fp(chi1.PValue), fp(chi2.PValue)}},
			{model.PSI, "", []*float64{fp(psi1.Statistic), fp(psi2.Statistic)}},
			// The new category drifts the distribution; the small move does not.
			{model.ChiSquare, model.OutputDrifted, []*float64{fp(0), fp(1)}},
			{model.PSI, model.OutputDrifted, []*float64{fp(0), fp(1)}},
			{model.JSD, model.OutputDrifted, []*float64{fp(0), fp(1)}},
		}
		for _, c := range cases {
			opts := *ref
			opts.Output = c.output
			res := compute(t, st, day(1), day(3), models.Query{Metric: c.metric, Bucket: "1d", Filters: map[string][]string{"feature": {"plan"}}, Model: &opts})
			sameValues(t, c.metric+" "+c.output, seriesOf(t, res, "churn", "plan").Values, c.want)
		}
		// The table says which categories are new.
		fs := frames(t, st, day(2), day(3), models.Query{Metric: model.ChiSquare, Bucket: "none", Format: "table", Filters: map[string][]string{"feature": {"plan"}}, Model: ref})
		note := field(t, fs[0], "note").At(0).(string)
		if !strings.Contains(note, "categories not in the reference: enterprise") {
			t.Fatalf("note %q", note)
		}
	})
}

func TestConstantReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		q := models.Query{Metric: model.WassersteinNormed, Bucket: "1d", Filters: map[string][]string{"feature": {"flag"}}, Model: ref}
		// Same constant: 0, no drift. Half the values moved: +Inf reference deviations, drift.
		sameValues(t, "normed", seriesOf(t, compute(t, st, day(1), day(3), q), "churn", "flag").Values, []*float64{fp(0), fp(math.Inf(1))})
		q.Format = "table"
		fs := frames(t, st, day(1), day(3), q)
		drifted := field(t, fs[0], "drifted")
		if *drifted.At(0).(*bool) || !*drifted.At(1).(*bool) {
			t.Fatalf("drifted %v %v", *drifted.At(0).(*bool), *drifted.At(1).(*bool))
		}
		if note := field(t, fs[0], "note").At(1).(string); !strings.Contains(note, "reference is constant") {
			t.Fatalf("note %q", note)
		}
		// PSI collapses the tied quantile cuts into one and says so; it equals the pure PSI.
		q = models.Query{Metric: model.PSI, Bucket: "none", Format: "table", Filters: map[string][]string{"feature": {"flag"}}, Model: ref}
		fs = frames(t, st, day(2), day(3), q)
		want := pure(t, model.PSI, d.flag[0], d.flag[2], 10)
		if got := field(t, fs[0], "statistic").At(0).(*float64); !near(*got, want.Statistic) {
			t.Fatalf("psi %v, want %v", *got, want.Statistic)
		}
		if note := field(t, fs[0], "note").At(0).(string); !strings.Contains(note, "8 of 10 reference-quantile bins collapsed") {
			t.Fatalf("note %q", note)
		}
	})
}

func TestEmptyCurrentWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		q := models.Query{Metric: model.KS, Bucket: "none", Filters: map[string][]string{"feature": {"age"}}, Model: ref}
		fs := frames(t, st, day(4), day(5), q)
		if v, ok := fs[0].Fields[0].ConcreteAt(0); ok {
			t.Fatalf("value %v for an empty window", v)
		}
		want := "churn / age: no observations of age in the current window (2024-05-05T00:00:00Z – 2024-05-06T00:00:00Z)"
		if n := notices(fs); n != want {
			t.Fatalf("notices %q, want %q", n, want)
		}
		q.Format = "table"
		fs = frames(t, st, day(4), day(5), q)
		if note := field(t, fs[0], "note").At(0).(string); !strings.HasPrefix(note, "no observations of age in the current window") {
			t.Fatalf("note %q", note)
		}
		if n := field(t, fs[0], "current_n").At(0).(int64); n != 0 {
			t.Fatalf("current_n %d", n)
		}
		// An empty reference is named as such.
		q.Format = ""
		q.Model = &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(20).Format(time.RFC3339), To: day(21).Format(time.RFC3339)}}
		fs = frames(t, st, day(1), day(2), q)
		if n := notices(fs); !strings.Contains(n, "no observations of age in the reference window (2024-05-21T00:00:00Z – 2024-05-22T00:00:00Z)") {
			t.Fatalf("notices %q", n)
		}
	})
}

func TestDriftTableFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		d := loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		fs := frames(t, st, day(1), day(3), models.Query{Metric: model.KS, Bucket: "1d", Format: "table", Filters: map[string][]string{"feature": {"age"}}, Model: ref})
		f := fs[0]
		want := "time,model,feature,kind,method,statistic,p_value,threshold,drifted,severity,reference_n,current_n,note"
		var names []string
		for _, fl := range f.Fields {
			names = append(names, fl.Name)
		}
		if strings.Join(names, ",") != want {
			t.Fatalf("fields %v", names)
		}
		for i, cur := range [][]float64{d.age[1], d.age[2]} {
			k, _ := drift.KS(d.age[0], cur, drift.KSOptions{})
			if got := *field(t, f, "statistic").At(i).(*float64); !near(got, k.Statistic) {
				t.Errorf("row %d statistic %v, want %v", i, got, k.Statistic)
			}
			if got := *field(t, f, "p_value").At(i).(*float64); !near(got, k.PValue) {
				t.Errorf("row %d p-value %v, want %v", i, got, k.PValue)
			}
			if got := *field(t, f, "threshold").At(i).(*float64); got != 0.05 {
				t.Errorf("row %d threshold %v", i, got)
			}
			if got := *field(t, f, "drifted").At(i).(*bool); got != k.Drifted {
				t.Errorf("row %d drifted %v", i, got)
			}
			if n := field(t, f, "reference_n").At(i).(int64); n != 400 {
				t.Errorf("row %d reference_n %d", i, n)
			}
		}
	})
}

func TestFeatureSelection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st store.Store) {
		loadDriftData(t, st)
		ref := &models.ModelOptions{Reference: &models.ModelReference{Type: "range", From: day(0).Format(time.RFC3339), To: day(1).Format(time.RFC3339)}}
		// Every feature: KS leaves the categorical one out, and says so.
		fs := frames(t, st, day(1), day(2), models.Query{Metric: model.KS, Bucket: "none", Model: ref})
		if len(fs) != 2 || fs[0].Fields[0].Labels["feature"] != "age" || fs[1].Fields[0].Labels["feature"] != "flag" {
			t.Fatalf("frames %d: %v", len(fs), fs[0].Fields[0].Labels)
		}
		if n := notices(fs); n != "ks applies to numeric features: categorical features left out: churn/plan" {
			t.Fatalf("notices %q", n)
		}
		// Named: refused with the statistics that fit.
		_, err := computeErr(st, day(1), day(2), models.Query{Metric: model.KS, Filters: map[string][]string{"feature": {"plan"}}, Model: ref})
		if err == nil || !strings.Contains(err.Error(), "feature plan of model churn is categorical: ks applies to numeric features; use psi, jsd, chisquare") {
			t.Fatalf("error %v", err)
		}
		// Features with no observations in any window are not listed: on day 4 against
		// day 3 only age has any (day 3), though none on day 4 itself.
		res := compute(t, st, day(4), day(5), models.Query{Metric: model.PSI, Bucket: "none", Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "rolling", Window: "1d"}}})
		if len(res.Series) != 1 || res.Series[0].Group[1] != "age" || res.Series[0].Values[0] != nil {
			t.Fatalf("series %+v", res.Series)
		}
		_, err = computeErr(st, day(1), day(2), models.Query{Metric: model.PSI, Model: &models.ModelOptions{Reference: &models.ModelReference{Type: "snapshot", Snapshot: "nope"}}})
		if err == nil || !strings.Contains(err.Error(), `model churn has no snapshot "nope"`) {
			t.Fatalf("error %v", err)
		}
	})
}

func TestMixedFeatureIsRefused(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ingestNDJSON(t, st, "observations", `{"model":"m","feature":"x","observed_at":"2024-05-01T00:00:00Z","value":1}
{"model":"m","feature":"x","observed_at":"2024-05-01T00:01:00Z","category":"a"}
`)
	_, err := computeErr(st, day(0), day(1), models.Query{Metric: model.PSI})
	if err == nil || !strings.Contains(err.Error(), "feature x of model m has both numbers (value) and categories") {
		t.Fatalf("error %v", err)
	}
}

package adoption_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kaizenops/suite/pkg/ingest"
	"github.com/kaizenops/suite/pkg/metrics/adoption"
	"github.com/kaizenops/suite/pkg/models"
	"github.com/kaizenops/suite/pkg/query"
	"github.com/kaizenops/suite/pkg/store"
	"github.com/kaizenops/suite/pkg/store/sqlite"
)

// Benchmarks: active-user queries at 10M usage events on the embedded store, each with
// a ratio against a plain SQL aggregate over the same rows measured in the same run.
//
//	go test ./pkg/metrics/adoption -run '^$' -bench . -benchtime 2x -timeout 60m

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	benchEvents = 10_000_000
	benchUsers  = 5000
	benchChunk  = 200_000
)

// usageGenerator emits a year of usage in time order: 5000 users in 40 teams of 8
// departments; each user is active on a day with a probability set by their
// engagement (20% heavy, 50% regular, 30% occasional), and an active day has about
// 18 uses spread over 6 tools of 5 features each, mostly the user's main tool.
type usageGenerator struct {
	r       *rand.Rand
	day     int
	pending [][]byte
	emitted int
}

func newUsageGenerator() *usageGenerator {
	return &usageGenerator{r: rand.New(rand.NewPCG(42, 3))}
}

func engagement(user int) float64 {
	switch {
	case user%10 < 2:
		return 0.7
	case user%10 < 7:
		return 0.3
	}
	return 0.05
}

// next returns up to n lines of NDJSON, nil when all events have been emitted.
func (g *usageGenerator) next(n int) []byte {
	var b bytes.Buffer
	for count := 0; count < n && g.emitted < benchEvents; {
		if len(g.pending) == 0 {
			g.fillDay()
		}
		b.Write(g.pending[0])
		g.pending = g.pending[1:]
		g.emitted++
		count++
	}
	return b.Bytes()
}

func (g *usageGenerator) fillDay() {
	dayStart := benchStart.AddDate(0, 0, g.day)
	g.day++
	type use struct {
		at   time.Time
		line []byte
	}
	var uses []use
	for u := 0; u < benchUsers; u++ {
		if g.r.Float64() >= engagement(u) {
			continue
		}
		team := u % 40
		for k := 1 + g.r.IntN(35); k > 0; k-- {
			tool := u % 6
			if g.r.Float64() < 0.25 {
				tool = g.r.IntN(6)
			}
			at := dayStart.Add(time.Duration(g.r.Int64N(int64(24*time.Hour/time.Millisecond))) * time.Millisecond)
			line := fmt.Sprintf(`{"user_id":"u%04d","team":"team-%02d","department":"dept-%d","tool":"tool-%d","feature":"f-%d","at":%q}`+"\n",
				u, team, team%8, tool, g.r.IntN(5), at.Format(time.RFC3339Nano))
			uses = append(uses, use{at, []byte(line)})
		}
	}
	slices.SortFunc(uses, func(a, b use) int { return a.at.Compare(b.at) })
	for _, u := range uses {
		g.pending = append(g.pending, u.line)
	}
}

var (
	storeOnce sync.Once
	storePath string
	storeErr  error
)

// tenMillionEvents builds (once per machine, cached in the temp dir) a store of 10M
// usage events and 40 team headcounts, loaded through the real ingest path.
func tenMillionEvents(b *testing.B) (store.Store, time.Time) {
	storeOnce.Do(func() {
		storePath = filepath.Join(os.TempDir(), "kaizen-bench-usage-10M-v1.db")
		if _, err := os.Stat(storePath); err == nil {
			return
		}
		tmp := storePath + ".building"
		_ = os.Remove(tmp)
		st, err := sqlite.Open(context.Background(), tmp)
		if err != nil {
			storeErr = err
			return
		}
		usage, _ := ingest.DefaultKinds().Get("usage")
		g := newUsageGenerator()
		for {
			payload := g.next(benchChunk)
			if len(payload) == 0 {
				break
			}
			if _, err := ingest.Ingest(context.Background(), st, usage, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()}); err != nil {
				storeErr = err
				return
			}
		}
		var hc bytes.Buffer
		hc.WriteString("team,department,effective_at,headcount\n")
		for t := 0; t < 40; t++ {
			fmt.Fprintf(&hc, "team-%02d,dept-%d,2023-01-01,%d\n", t, t%8, 125+t%7)
		}
		headcount, _ := ingest.DefaultKinds().Get("headcount")
		if _, err := ingest.Ingest(context.Background(), st, headcount, ingest.CSV, &hc, ingest.Options{Now: time.Now()}); err != nil {
			storeErr = err
			return
		}
		_ = st.Close()
		storeErr = os.Rename(tmp, storePath)
	})
	if storeErr != nil {
		b.Fatal(storeErr)
	}
	st, err := sqlite.Open(context.Background(), storePath)
	if err != nil {
		b.Fatal(err)
	}
	// A store built before the rollup existed is folded once here, outside the timings.
	t0 := time.Now()
	if err := ingest.CatchUpUsageDays(context.Background(), st); err != nil {
		b.Fatal(err)
	}
	if d := time.Since(t0); d > time.Second {
		b.Logf("folded the usage_days rollup of the cached store in %s", d.Round(time.Second))
	}
	var last int64
	if err := st.QueryRowContext(context.Background(), `SELECT MAX(at) FROM usage_events`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	// Dashboards end at "now": the day after the last event.
	return st, time.UnixMilli(last).UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// BenchmarkMAU10M: MAU and related dashboard queries over 10M usage events, against
// plain SQL distinct counts over the same rows.
func BenchmarkMAU10M(b *testing.B) {
	st, end := tenMillionEvents(b)
	defer st.Close()
	ctx := context.Background()
	quarter := query.Env{Store: st, From: end.AddDate(0, 0, -90), To: end, Now: end}
	day := int64(24 * time.Hour / time.Millisecond)
	cases := []struct {
		name     string
		q        models.Query
		baseline string
		// the baseline reads [from, to) of the same rows the query reads
		from, to time.Time
	}{
		{"mau_now", models.Query{Metric: "mau", Bucket: "none"},
			`SELECT COUNT(DISTINCT user_id) FROM usage_events WHERE at >= $1 AND at < $2`, end.AddDate(0, 0, -30), end},
		{"mau_by_team_now", models.Query{Metric: "mau", Bucket: "none", GroupBy: []string{"team"}},
			`SELECT team, COUNT(DISTINCT user_id) FROM usage_events WHERE at >= $1 AND at < $2 GROUP BY team`, end.AddDate(0, 0, -30), end},
		{"mau_by_day_90d", models.Query{Metric: "mau", Bucket: "1d"},
			fmt.Sprintf(`SELECT at / %d, COUNT(DISTINCT user_id) FROM usage_events WHERE at >= $1 AND at < $2 GROUP BY 1`, day), end.AddDate(0, 0, -120), end},
		{"dau_by_day_90d", models.Query{Metric: "dau", Bucket: "1d"},
			fmt.Sprintf(`SELECT at / %d, COUNT(DISTINCT user_id) FROM usage_events WHERE at >= $1 AND at < $2 GROUP BY 1`, day), end.AddDate(0, 0, -90), end},
		{"retention_12_weeks", models.Query{Metric: "retention", Adoption: &models.AdoptionOptions{Weeks: 12}},
			fmt.Sprintf(`SELECT user_id, at / %d FROM usage_events WHERE at >= $1 AND at < $2 GROUP BY 1, 2`, 7*day), end.AddDate(0, 0, -90), end},
		{"adoption_rate_by_department_weekly_90d", models.Query{Metric: "adoption_rate", Bucket: "1w", GroupBy: []string{"department"}},
			fmt.Sprintf(`SELECT department, at / %d, COUNT(DISTINCT user_id) FROM usage_events WHERE at >= $1 AND at < $2 GROUP BY 1, 2`, 7*day), end.AddDate(0, 0, -127), end},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.QueryType = models.QueryTypeAdoption
			q.Normalize()
			var ours, sqlTime time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := adoption.Frames(ctx, quarter, q); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				rows, err := st.QueryContext(ctx, c.baseline, c.from.UnixMilli(), c.to.UnixMilli())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				sqlTime += time.Since(t1)
				b.StartTimer()
			}
			b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/query")
			b.ReportMetric(float64(sqlTime.Microseconds())/1000/float64(b.N), "sql-ms/query")
			b.ReportMetric(ours.Seconds()/sqlTime.Seconds(), "x-vs-sql-distinct")
		})
	}
}

// BenchmarkUsageIngest: the cost of folding usage_days in the ingest transaction,
// against the plain ingest of the same 200k events (a week of the year above).
func BenchmarkUsageIngest(b *testing.B) {
	payload := newUsageGenerator().next(benchChunk)
	kind, _ := ingest.DefaultKinds().Get("usage")
	var ours, plain time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "fold.db"))
		if err != nil {
			b.Fatal(err)
		}
		raw, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "plain.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if res, err := ingest.IngestUsage(context.Background(), st, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()}); err != nil || res.Stored == 0 {
			b.Fatal(res, err)
		}
		ours += time.Since(t0)
		b.StopTimer()
		t1 := time.Now()
		if _, err := ingest.Ingest(context.Background(), raw, kind, ingest.NDJSON, bytes.NewReader(payload), ingest.Options{Now: time.Now()}); err != nil {
			b.Fatal(err)
		}
		plain += time.Since(t1)
		_ = st.Close()
		_ = raw.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchChunk*b.N)/ours.Seconds(), "records/s")
	b.ReportMetric(float64(benchChunk*b.N)/plain.Seconds(), "plain-records/s")
	b.ReportMetric(ours.Seconds()/plain.Seconds(), "x-vs-plain-ingest")
}

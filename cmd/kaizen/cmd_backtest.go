package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kaizenops/suite/pkg/stats/backtest"
)

const backtestUsage = `kaizen backtest --series FILE --incidents FILE --candidates FILE|JSON [--lead DURATION]
       kaizen backtest --db FILE --json '<backtest query>' [--from T] [--to T]

Replays candidate alert conditions over a metric's history and scores each
against the incident history. Prints one JSON object: the inputs' sizes and a
"rows" table with one row per candidate: alerts, alert_minutes, useful_alerts,
incidents_caught, incidents_missed, median_detection_delay_seconds, precision
and recall (null when undefined: no alerts, no incidents, nothing caught).

From a store (--db): the history is a series the data source computes and the
incidents are the stored ones, exactly as the backtest query type runs them
(docs/improvement.md). --json is that query:
  {"queryType": "backtest", "filters": {"service": ["checkout"]},
   "improvement": {"source": {"queryType": "kpi", "metric": "value", "kpi": {"kpis": ["p95_latency"]}, "bucket": "1m"},
                   "candidates": [ ...as below... ], "lead": "5m"}}
  source      any series query; its bucket is the rule's evaluation interval
  filters     choose the incidents: service, team, severity, detected_by, source
  --from/--to the range replayed (RFC 3339 or now-<duration>; default the last
              30 days); incidents that started in it are scored. The output adds
              source, interval_seconds and notices.

Inputs from files
  --series     CSV "time,value": RFC 3339 time (with zone), a number; an empty
               value or NaN is "no data". Rows in any order. Optional header
               row starting with "time".
  --incidents  CSV "id,started_at,resolved_at" (RFC 3339); an empty resolved_at
               is a still-open incident. Optional header row starting with "id".
  --candidates a JSON array, inline (starting with "[") or a file:
    {"name": "p95 > 800ms for 5m", "type": "threshold", "op": "above"|"below", "value": 800, "for": "5m"}
    {"name": "fast burn", "type": "burn_rate", "objective": 99.9, "long": "1h", "short": "5m", "factor": 14.4}
        (the series is an SLI, a good ratio 0..1 per sample; objective in percent)
    {"name": "xmr", "type": "control", "baseline_points": 1440, "rules": ["nelson-1", "nelson-2"]}
        (XmR limits from the first baseline_points samples with data, frozen;
        rules: nelson-1..nelson-8, we-1..we-4, or the groups nelson,
        westernelectric; holds where a chosen rule's pattern completes)
    "for" (optional on all) is Grafana's pending period. Durations: 90s, 5m, 1h, 3d.
  --lead       an alert firing up to this long before started_at still catches
               the incident (default 0).

Semantics (package backtest): every sample is one rule evaluation. Normal ->
Pending at the first sample where the condition holds; Pending -> Firing at the
first sample at least "for" after that; any sample where it does not hold
(including no data) returns to Normal, resolving a firing alert at that sample.
An incident is caught when an alert FIRES within [started_at - lead,
resolved_at]; an alert already firing before that does not count.`

func runBacktest(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("backtest", stderr, backtestUsage)
	seriesPath := fs.String("series", "", "CSV of time,value samples")
	incidentsPath := fs.String("incidents", "", "CSV of id,started_at,resolved_at")
	candidatesArg := fs.String("candidates", "", "JSON array of candidates, inline or a file")
	leadArg := fs.String("lead", "0s", "how long before started_at an alert still catches an incident")
	db := fs.String("db", "", "store file (SQLite): replay a backtest query (--json) against it")
	queryJSON := fs.String("json", "", "with --db: the backtest query, as the data source takes it")
	from := fs.String("from", "now-30d", "with --db: range start, RFC 3339 or now-<duration>")
	to := fs.String("to", "now", "with --db: range end, RFC 3339 or now-<duration>")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *db != "" || *queryJSON != "" {
		if *seriesPath != "" || *incidentsPath != "" || *candidatesArg != "" || flagSet(fs, "lead") {
			return usageError(fs, "--db and --json replay a stored history; --series, --incidents, --candidates and --lead are for files (the query carries improvement.lead)")
		}
		if *db == "" || *queryJSON == "" {
			return usageError(fs, "--db and --json go together")
		}
		return backtestStore(stdout, *db, *queryJSON, *from, *to)
	}
	if *seriesPath == "" || *incidentsPath == "" || *candidatesArg == "" {
		return usageError(fs, "--series, --incidents and --candidates are required (or --db and --json)")
	}
	lead, err := backtest.ParseDuration(*leadArg)
	if err != nil || lead < 0 {
		return fmt.Errorf("%w: --lead %q: want a duration of 0 or more, e.g. 5m", errUsage, *leadArg)
	}
	cands, err := loadCandidates(*candidatesArg)
	if err != nil {
		return err
	}
	series, err := readSeriesCSV(*seriesPath)
	if err != nil {
		return err
	}
	incidents, err := readIncidentsCSV(*incidentsPath)
	if err != nil {
		return err
	}
	rows, err := backtest.Run(series, incidents, cands, backtest.Options{Lead: lead})
	if err != nil {
		return err
	}
	out := backtestOut{SeriesPoints: series.Len(), Incidents: len(incidents), LeadSeconds: lead.Seconds(),
		Rows: backtestRows(rows, cands)}
	return writeJSONLine(stdout, out)
}

func backtestRows(rows []backtest.Row, cands []backtest.Candidate) []backtestRow {
	out := make([]backtestRow, len(rows))
	for i, r := range rows {
		out[i] = backtestRow{
			Candidate: r.Candidate, Condition: r.Condition, ForSeconds: cands[i].For.Seconds(),
			Alerts: r.Alerts, AlertMinutes: r.AlertMinutes, UsefulAlerts: r.UsefulAlerts,
			IncidentsCaught: r.IncidentsCaught, IncidentsMissed: r.IncidentsMissed,
			MedianDetectionDelay: finite(r.MedianDetectionDelay), Precision: finite(r.Precision), Recall: finite(r.Recall),
		}
	}
	return out
}

type backtestOut struct {
	// Source, IntervalSeconds and Notices are set in --db mode.
	Source          string        `json:"source,omitempty"`
	IntervalSeconds float64       `json:"interval_seconds,omitempty"`
	SeriesPoints    int           `json:"series_points"`
	Incidents       int           `json:"incidents"`
	LeadSeconds     float64       `json:"lead_seconds"`
	Rows            []backtestRow `json:"rows"`
	Notices         []string      `json:"notices,omitempty"`
}

type backtestRow struct {
	Candidate            string   `json:"candidate"`
	Condition            string   `json:"condition"`
	ForSeconds           float64  `json:"for_seconds"`
	Alerts               int      `json:"alerts"`
	AlertMinutes         float64  `json:"alert_minutes"`
	UsefulAlerts         int      `json:"useful_alerts"`
	IncidentsCaught      int      `json:"incidents_caught"`
	IncidentsMissed      int      `json:"incidents_missed"`
	MedianDetectionDelay *float64 `json:"median_detection_delay_seconds"`
	Precision            *float64 `json:"precision"`
	Recall               *float64 `json:"recall"`
}

// loadCandidates takes inline JSON (starting with "[") or a file's path.
func loadCandidates(arg string) ([]backtest.Candidate, error) {
	data, where := []byte(arg), "--candidates"
	if !strings.HasPrefix(strings.TrimSpace(arg), "[") {
		b, err := os.ReadFile(arg)
		if err != nil {
			return nil, fmt.Errorf("--candidates: %w", err)
		}
		data, where = b, "--candidates "+arg
	}
	cands, err := backtest.ParseCandidates(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return cands, nil
}

// csvRows calls fn for each data row of a CSV file with exactly len(fields)
// columns, skipping a header row whose first cell is fields[0]. Errors name
// the file and line.
func csvRows(path string, fields []string, fn func(line int, rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	r.TrimLeadingSpace = true
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s line %d: %v", path, pe.Line, pe.Err)
			}
			return fmt.Errorf("%s: %w", path, err)
		}
		if first && strings.EqualFold(strings.TrimSpace(rec[0]), fields[0]) {
			continue
		}
		if len(rec) != len(fields) {
			return fmt.Errorf("%s line %d: %d fields, want %d (%s)", path, line, len(rec), len(fields), strings.Join(fields, ","))
		}
		if err := fn(line, rec); err != nil {
			return fmt.Errorf("%s line %d: %w", path, line, err)
		}
	}
}

func readSeriesCSV(path string) (backtest.Series, error) {
	var times []time.Time
	var values []float64
	err := csvRows(path, []string{"time", "value"}, func(_ int, rec []string) error {
		t, err := parseRFC3339("time", rec[0])
		if err != nil {
			return err
		}
		v := math.NaN()
		if s := strings.TrimSpace(rec[1]); s != "" {
			if v, err = strconv.ParseFloat(s, 64); err != nil || math.IsInf(v, 0) {
				return fmt.Errorf("field \"value\": %q is not a number", s)
			}
		}
		times, values = append(times, t), append(values, v)
		return nil
	})
	if err != nil {
		return backtest.Series{}, fmt.Errorf("--series %w", err)
	}
	if len(times) == 0 {
		return backtest.Series{}, fmt.Errorf("--series %s: no samples", path)
	}
	return backtest.NewSeries(times, values)
}

func readIncidentsCSV(path string) ([]backtest.Incident, error) {
	var out []backtest.Incident
	seen := map[string]int{}
	err := csvRows(path, []string{"id", "started_at", "resolved_at"}, func(line int, rec []string) error {
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return errors.New("field \"id\": empty")
		}
		if prev, dup := seen[id]; dup {
			return fmt.Errorf("field \"id\": %q repeats line %d", id, prev)
		}
		seen[id] = line
		started, err := parseRFC3339("started_at", rec[1])
		if err != nil {
			return err
		}
		inc := backtest.Incident{ID: id, StartedAt: started}
		if s := strings.TrimSpace(rec[2]); s != "" {
			if inc.ResolvedAt, err = parseRFC3339("resolved_at", s); err != nil {
				return err
			}
			if inc.ResolvedAt.Before(started) {
				return fmt.Errorf("field \"resolved_at\": %s is before started_at", s)
			}
		}
		out = append(out, inc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("--incidents %w", err)
	}
	return out, nil
}

func parseRFC3339(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("field %q: %q is not an RFC 3339 time with zone", field, s)
	}
	return t, nil
}

package backtest

import (
	"testing"
	"time"
)

// The hand-computed history: one sample a minute for 60 minutes at 50, with
//
//	minute  3        75  noise
//	minutes 10..14   95  incident A (started 10, resolved 15)
//	minute  20       75  noise
//	minutes 30..32   80  incident B (started 30, resolved 33), a mild one
//	minute  40       75  noise
//	minutes 50..54   92  incident C (started 51, resolved 55): visible 1 minute early
//
// and a lead of 2 minutes, so C's window is [49, 55].
func history(t *testing.T) (Series, []Incident) {
	v := fill(60, 50)
	set(v, 3, 3, 75)
	set(v, 10, 14, 95)
	set(v, 20, 20, 75)
	set(v, 30, 32, 80)
	set(v, 40, 40, 75)
	set(v, 50, 54, 92)
	return perMinute(t, v...), []Incident{inc("C", 51, 55), inc("A", 10, 15), inc("B", 30, 33)}
}

func TestRunHandComputed(t *testing.T) {
	s, incidents := history(t)
	tests := []struct {
		name string
		cand Candidate
		want Row
	}{
		{
			// Fires at 3, 10, 20, 30, 40, 50 for 1+5+1+3+1+5 minutes; catches all
			// three (delays 0, 0, −60 s) but half its alerts are noise.
			name: "low threshold catches all, many false alerts",
			cand: above(70, 0),
			want: Row{Alerts: 6, AlertMinutes: 16, UsefulAlerts: 3, IncidentsCaught: 3, IncidentsMissed: 0,
				MedianDetectionDelay: 0, Precision: 0.5, Recall: 1},
		},
		{
			// Fires at 10 and 50 only: misses the mild B; delays 0 and −60 s.
			name: "high threshold misses one",
			cand: above(85, 0),
			want: Row{Alerts: 2, AlertMinutes: 10, UsefulAlerts: 2, IncidentsCaught: 2, IncidentsMissed: 1,
				MedianDetectionDelay: -30, Precision: 1, Recall: 2.0 / 3},
		},
		{
			// Pending from 10 and 50, firing at 12 and 52: delays 120 s and 60 s.
			name: "high threshold for 2m",
			cand: above(85, 2*time.Minute),
			want: Row{Alerts: 2, AlertMinutes: 6, UsefulAlerts: 2, IncidentsCaught: 2, IncidentsMissed: 1,
				MedianDetectionDelay: 90, Precision: 1, Recall: 2.0 / 3},
		},
		{
			// B holds 30..32: exactly 2 minutes, so for=2m fires at 32 (delay 120 s);
			// A fires at 12 (120 s), C at 52 (60 s); noise never lasts.
			name: "low threshold for exactly B's duration",
			cand: above(70, 2*time.Minute),
			want: Row{Alerts: 3, AlertMinutes: 3 + 1 + 3, UsefulAlerts: 3, IncidentsCaught: 3,
				MedianDetectionDelay: 120, Precision: 1, Recall: 1},
		},
		{
			// One sample less than B's run: B is missed.
			name: "low threshold for one sample longer than B",
			cand: above(70, 3*time.Minute),
			want: Row{Alerts: 2, AlertMinutes: 2 + 2, UsefulAlerts: 2, IncidentsCaught: 2, IncidentsMissed: 1,
				MedianDetectionDelay: 150, Precision: 1, Recall: 2.0 / 3},
		},
		{
			name: "never fires",
			cand: above(1000, 0),
			want: Row{IncidentsMissed: 3, MedianDetectionDelay: nan, Precision: nan, Recall: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Run(s, incidents, []Candidate{tt.cand}, Options{Lead: 2 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			assertRow(t, rows[0], tt.want)
		})
	}
}

func TestRunLeadWindow(t *testing.T) {
	// An alert firing at 40 and still firing when incident F starts at 50 (lead
	// 2m: window [48, 60]) did not catch F: it fired before the window opened.
	v := set(fill(61, 50), 40, 57, 90)
	s := perMinute(t, v...)
	rows, err := Run(s, []Incident{inc("F", 50, 60)}, []Candidate{above(70, 0)}, Options{Lead: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	assertRow(t, rows[0], Row{Alerts: 1, AlertMinutes: 18, UsefulAlerts: 0, IncidentsMissed: 1,
		MedianDetectionDelay: nan, Precision: 0, Recall: 0})

	// Firing exactly when the lead window opens (48) catches it, delay −120 s;
	// one minute earlier (47) does not.
	for _, tt := range []struct {
		fireAt int
		caught int
	}{{48, 1}, {47, 0}} {
		v := set(fill(61, 50), tt.fireAt, 52, 90)
		rows, err := Run(perMinute(t, v...), []Incident{inc("F", 50, 60)}, []Candidate{above(70, 0)}, Options{Lead: 2 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].IncidentsCaught != tt.caught {
			t.Errorf("fire at %d: caught %d, want %d", tt.fireAt, rows[0].IncidentsCaught, tt.caught)
		}
		if tt.caught == 1 && rows[0].MedianDetectionDelay != -120 {
			t.Errorf("fire at %d: delay %v, want -120", tt.fireAt, rows[0].MedianDetectionDelay)
		}
	}
}

func TestRunOverlappingIncidents(t *testing.T) {
	// E1 10..20 and E2 12..14 overlap; one alert firing at 13 (pending from 11,
	// for 2m) catches both: delays 180 s and 60 s. A second alert at 30 catches
	// nothing. E3 is still open (no resolved_at) and is caught at 45.
	v := fill(50, 50)
	set(v, 11, 16, 90)
	set(v, 30, 35, 90)
	set(v, 43, 49, 90)
	incidents := []Incident{inc("E1", 10, 20), inc("E2", 12, 14), {ID: "E3", StartedAt: minute(44)}}
	rows, err := Run(perMinute(t, v...), incidents, []Candidate{above(70, 2*time.Minute)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Alerts: [13,17), [32,36), [45,49 open).
	assertRow(t, rows[0], Row{Alerts: 3, AlertMinutes: 4 + 4 + 4, UsefulAlerts: 2, IncidentsCaught: 3,
		MedianDetectionDelay: 60, Precision: 2.0 / 3, Recall: 1})
}

func TestRunNoIncidents(t *testing.T) {
	rows, err := Run(perMinute(t, 50, 90, 50), nil, []Candidate{above(70, 0)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertRow(t, rows[0], Row{Alerts: 1, AlertMinutes: 1, MedianDetectionDelay: nan, Precision: 0, Recall: nan})
}

func TestRunErrors(t *testing.T) {
	s := perMinute(t, 1, 2, 3)
	ok := []Candidate{above(1, 0)}
	tests := []struct {
		name      string
		s         Series
		incidents []Incident
		cands     []Candidate
		opt       Options
	}{
		{"empty series", Series{}, nil, ok, Options{}},
		{"negative lead", s, nil, ok, Options{Lead: -time.Minute}},
		{"resolved before started", s, []Incident{inc("X", 5, 4)}, ok, Options{}},
		{"no start", s, []Incident{{ID: "X"}}, ok, Options{}},
		{"bad candidate", s, nil, []Candidate{{Name: "x"}}, Options{}},
	}
	for _, tt := range tests {
		if _, err := Run(tt.s, tt.incidents, tt.cands, tt.opt); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// Package backtest replays candidate alert conditions over a metric's history
// and scores them against the incident history: alerts fired, alert-minutes,
// incidents caught and missed, median detection delay, precision and recall.
//
// It is pure (no SDK, no database): a caller passes a Series, the incidents and
// the candidates, however it loaded them.
//
// # Evaluation model
//
// Every sample of the series is one evaluation of each candidate, as if a
// Grafana alert rule had evaluated at that sample's time and seen its value.
// A candidate's Condition says, per sample, whether the condition holds; a
// sample whose value is NaN (no data) never satisfies a condition. The
// condition drives Grafana's alert states (see Replay):
//
//	Normal  --holds-->  Pending (active since this sample's time t0)
//	Pending --holds at t, t − t0 ≥ For-->  Firing; the alert fires at t
//	Pending --does not hold-->  Normal (nothing fired)
//	Firing  --does not hold at t-->  Normal; the alert resolves at t
//
// With For = 0 the alert fires at the first sample where the condition holds.
// A gap between samples does not break a run: the condition is only looked at
// when a sample arrives, as a rule only looks at evaluation times.
//
// # Scoring
//
// An incident is caught when some alert fires (its firing time, not its
// pending time) in [started_at − Lead, resolved_at], both ends included; an
// unresolved incident's window never closes. An alert already firing before
// that window opened does not catch it: it fired for something else (or for
// nothing), and a firing alert does not notify again. Detection delay is the
// earliest such firing time minus started_at (negative when the alert fired
// inside the lead). Precision = alerts that caught at least one incident /
// alerts; recall = incidents caught / incidents. One alert may catch several
// overlapping incidents.
//
// # Cost
//
// Samples are sorted once (NewSeries); a candidate costs one pass over the
// samples plus one merge of its alerts with the incident windows, which are
// sorted once per Run: O(points + alerts + incidents) per candidate, never
// O(points × incidents).
package backtest

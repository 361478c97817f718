import type { QueryType } from './types';

/** A metric of a family, as the query editor offers it. */
export interface MetricOption {
  value: string;
  label: string;
  description: string;
  /** Whether the stat picker applies (durations), or the metric is a count. */
  hasStat: boolean;
}

/** What each family offers; kept beside the backend's definitions in pkg/metrics/<family>. */
export const FAMILY_METRICS: Record<QueryType, MetricOption[]> = {
  postmortems: [
    { value: 'postmortem_coverage', label: 'Postmortem coverage', description: 'Incidents at or above a severity with a postmortem within N days of resolution ÷ those due', hasStat: false },
    { value: 'action_completion', label: 'Action item completion', description: 'Action items done by their due date ÷ items due in the bucket', hasStat: false },
    { value: 'overdue_actions', label: 'Overdue action items', description: 'Items open past their due date at the end of each bucket', hasStat: false },
    { value: 'action_time_to_close', label: 'Action item time to close', description: 'done − created of items closed in the bucket (median by default)', hasStat: true },
    { value: 'repeat_incidents', label: 'Repeat incidents', description: 'Incidents within N days of an earlier one of the same service sharing a postmortem theme', hasStat: false },
    { value: 'repeats', label: 'Repeat incidents (table)', description: 'Table: each repeat incident, its themes and the incident it repeats', hasStat: false },
  ],
  alerts: [
    { value: 'alerts', label: 'Alerts', description: 'Alerts that started in the bucket (repeat notifications are not new alerts); bucket "shift" per on-call shift', hasStat: false },
    { value: 'notifications', label: 'Notifications', description: 'Alertmanager notifications received in the bucket, repeats included', hasStat: false },
    { value: 'flapping', label: 'Flapping alerts', description: 'Alerts firing again within N minutes of resolving', hasStat: false },
    { value: 'short_lived', label: 'Short-lived alerts', description: 'Resolved within N minutes, never acknowledged nor linked to an incident', hasStat: false },
    { value: 'actionable_ratio', label: 'Actionable ratio', description: 'Alerts acknowledged or linked to an incident ÷ alerts', hasStat: false },
    { value: 'noisy', label: 'Noisiest alerts (table)', description: 'Table: alert names with the most alerts, their flapping, short-lived and actionable counts', hasStat: false },
    { value: 'detection_coverage', label: 'Detection coverage', description: 'Incidents detected by monitoring or synthetic checks ÷ incidents with a known detection source', hasStat: false },
    { value: 'detection_share', label: 'Detected by (share)', description: 'Each detection source’s share of incidents: monitoring vs customers vs staff', hasStat: false },
    { value: 'detection_mttd', label: 'MTTD by detection source', description: 'detected − started per detected_by', hasStat: true },
  ],
  backtest: [
    { value: 'scores', label: 'Scores', description: 'Table: per candidate alerts, alert time, incidents caught and missed, median detection delay, precision, recall', hasStat: false },
    { value: 'firings', label: 'Firings', description: 'Every alert each candidate would have fired (time, timeEnd): use as annotations', hasStat: false },
  ],
  incidents: [
    { value: 'mttr', label: 'MTTR', description: 'Time to restore: resolved − started (start and end selectable)', hasStat: true },
    { value: 'mttd', label: 'MTTD', description: 'Time to detect: detected − started', hasStat: true },
    { value: 'mtta', label: 'MTTA', description: 'Time to acknowledge: acknowledged − detected', hasStat: true },
    { value: 'count', label: 'Incident count', description: 'Incidents that started in the bucket', hasStat: false },
    { value: 'open', label: 'Open incidents', description: 'Incidents open at the end of each bucket', hasStat: false },
  ],
  delivery: [
    { value: 'deployment_frequency', label: 'Deployment frequency', description: 'Production deployments per day in each bucket', hasStat: false },
    { value: 'lead_time', label: 'Lead time for changes', description: 'deployed − first commit of successful deployments (median by default)', hasStat: true },
    { value: 'change_failure_rate', label: 'Change failure rate', description: 'Failed, rolled back or incident-linked deployments ÷ deployments', hasStat: false },
    { value: 'recovery_time', label: 'Failed deployment recovery time', description: 'Failed deployment → next good deployment or incident resolution (median)', hasStat: true },
    { value: 'deployments', label: 'Deployments', description: 'Deployments in each bucket, every outcome', hasStat: false },
    { value: 'failed_deployments', label: 'Failed deployments', description: 'Deployments counted as failed for the change failure rate', hasStat: false },
  ],
  adoption: [
    { value: 'mau', label: 'MAU', description: 'Distinct users in the 30 days before each point', hasStat: false },
    { value: 'wau', label: 'WAU', description: 'Distinct users in the 7 days before each point', hasStat: false },
    { value: 'dau', label: 'DAU', description: 'Distinct users in the day before each point', hasStat: false },
    { value: 'stickiness', label: 'Stickiness (DAU/MAU)', description: "Share of the month's users active on the day", hasStat: false },
    { value: 'adoption_rate', label: 'Adoption rate', description: 'Active users ÷ eligible headcount (team, department)', hasStat: false },
    { value: 'feature_adoption', label: 'Feature adoption', description: "Users of each feature ÷ users of its tool", hasStat: false },
    { value: 'retention', label: 'Retention cohorts', description: 'Table: weekly cohorts by first use × weeks since', hasStat: false },
  ],
  annotations: [
    { value: 'all', label: 'Incidents and deployments', description: 'Both as annotation rows', hasStat: false },
    { value: 'incidents', label: 'Incidents', description: 'Regions from start to resolution', hasStat: false },
    { value: 'deployments', label: 'Deployments', description: 'Points with their outcome', hasStat: false },
  ],
  kpi: [
    { value: 'value', label: 'KPI value', description: "Stat of the KPI's samples per bucket, one series per KPI", hasStat: true },
    { value: 'attainment', label: 'Attainment', description: 'value ÷ target (higher is better), target ÷ value (lower is better)', hasStat: true },
    { value: 'state', label: 'Threshold state', description: '0 ok, 1 warning, 2 critical per bucket (tables add state_text)', hasStat: true },
    { value: 'cost', label: 'Financial impact', description: 'Σ value × cost per unit, priced by the version in force', hasStat: true },
    { value: 'incident_cost', label: 'Incident cost', description: "Impact minutes × the service's cost per minute", hasStat: true },
    { value: 'stale', label: 'Stale KPIs (audit)', description: 'KPIs without a sample for N days: candidates to retire', hasStat: false },
  ],
  spc: [
    { value: 'chart', label: 'Control chart', description: 'Value, CL, UCL/LCL, 1σ and 2σ lines, baseline and rule violations per point', hasStat: false },
    { value: 'violations', label: 'Violations', description: 'Rule violations in the range per series: what an alert rule thresholds', hasStat: false },
  ],
  kaizen: [
    { value: 'impact', label: 'Impact (did it work?)', description: 'Per event: medians before and after, change, Mann-Whitney U p-value, bootstrap CI, SPC phases, verdict', hasStat: false },
    { value: 'sustainability', label: 'Sustainability (does it hold?)', description: 'Per event: sustained, eroding, lost or pending at the latest review; 1 when lost for alert rules', hasStat: false },
    { value: 'reviews', label: 'Reviews', description: 'Table: every review date of every event with its window, median, p-value and state', hasStat: false },
    { value: 'phases', label: 'Phases (for control charts)', description: 'Events deployed in the range with their verdict: where a control chart starts a new phase', hasStat: false },
    { value: 'annotations', label: 'Annotations', description: 'Deployments and review dates as annotation rows, with verdicts and review states', hasStat: false },
    { value: 'cycle_time', label: 'Cycle time', description: 'deployed − proposed per event, placed by deployed_at (median by default; calendar months)', hasStat: true },
    { value: 'velocity', label: 'Velocity', description: 'Events deployed per calendar month (or per bucket)', hasStat: false },
  ],
  flow: [
    { value: 'lead_time', label: 'Lead time', description: 'done − created of items completed in the bucket (median by default)', hasStat: true },
    { value: 'cycle_time', label: 'Cycle time', description: 'done − first active stay (median by default)', hasStat: true },
    { value: 'process_time', label: 'Process time', description: 'Σ active stays per completed item', hasStat: true },
    { value: 'wait_time', label: 'Wait time', description: 'Σ waiting stays per completed item', hasStat: true },
    { value: 'flow_efficiency', label: 'Flow efficiency', description: 'Σ process ÷ Σ lead time; with a stat, per-item ratios', hasStat: true },
    { value: 'throughput', label: 'Throughput', description: 'Items completed per bucket', hasStat: false },
    { value: 'stage_time', label: 'Stage time', description: 'Time completed items spent per stage (part: total, process, wait)', hasStat: true },
    { value: 'wip', label: 'WIP per stage', description: 'Items in each stage at the end of each bucket', hasStat: false },
    { value: 'wip_vs_limit', label: 'WIP vs limit', description: "WIP ÷ the stage's WIP limit (over 100%: over the limit)", hasStat: false },
    { value: 'arrivals', label: 'Arrivals', description: 'Items entering each stage (cumulative: cumulative flow diagram)', hasStat: false },
    { value: 'departures', label: 'Departures', description: 'Items leaving each stage', hasStat: false },
    { value: 'value_stream', label: 'Value stream map', description: 'Tables for the Value stream panel: stages and totals of one stream', hasStat: false },
    { value: 'items', label: 'Completed items', description: 'Table: one row per item (cycle-time scatter)', hasStat: false },
    { value: 'aging', label: 'Aging WIP', description: 'Table: items in progress, their age vs p50/p85/p95 cycle time', hasStat: false },
    { value: 'littles_law', label: "Little's law check", description: 'Average WIP vs throughput × mean cycle time', hasStat: false },
  ],
  slo: [
    { value: 'status', label: 'Status (SLA breach panel)', description: 'Tables for the SLA breach panel: status, burn rates, burn-down, breaches, penalties', hasStat: false },
    { value: 'sli', label: 'SLI', description: 'good ÷ total per bucket; no events: no value', hasStat: false },
    { value: 'compliance', label: 'Compliance', description: 'good ÷ total over the SLO window (rolling, or the calendar period to date)', hasStat: false },
    { value: 'budget_remaining', label: 'Error budget remaining', description: '1 − bad ÷ allowed bad events (below 0: overspent)', hasStat: false },
    { value: 'budget_consumed', label: 'Error budget consumed', description: 'bad ÷ allowed bad events (above 100%: breached)', hasStat: false },
    { value: 'budget_remaining_time', label: 'Error budget remaining (time)', description: 'Full-outage time still allowed in the window', hasStat: false },
    { value: 'budget_total_time', label: 'Error budget (time)', description: '(1 − objective) × window length', hasStat: false },
    { value: 'budget_remaining_events', label: 'Error budget remaining (events)', description: 'Bad events still allowed in the window', hasStat: false },
    { value: 'budget_total_events', label: 'Error budget (events)', description: '(1 − objective) × events in the window', hasStat: false },
    { value: 'burn_rate', label: 'Burn rate', description: 'Error ratio ÷ budget per window, labelled window: what alert rules threshold', hasStat: false },
    { value: 'alert_state', label: 'Burn-rate alert state', description: 'SRE workbook multiwindow alert: 2 page, 1 ticket, 0 ok', hasStat: false },
    { value: 'burndown', label: 'Budget burn-down', description: 'Budget remaining over the current window against the ideal burn', hasStat: false },
    { value: 'breaches', label: 'Breaches', description: 'Table: start, end, duration and depth of each breach', hasStat: false },
    { value: 'penalty', label: 'SLA penalties', description: 'Table: compliance, credit tier and penalty per SLA period', hasStat: false },
  ],
  model: [
    { value: 'psi', label: 'PSI (drift)', description: 'Population stability index over reference-quantile bins; drifted at 0.2', hasStat: false },
    { value: 'ks', label: 'Kolmogorov–Smirnov (drift)', description: 'Largest CDF gap of a numeric feature, with its p-value; drifted at p < 0.05', hasStat: false },
    { value: 'wasserstein', label: 'Wasserstein distance (drift)', description: "Mass moved, in the feature's units (give a threshold)", hasStat: false },
    { value: 'wasserstein_normed', label: 'Wasserstein / std (drift)', description: 'Mass moved in reference standard deviations; drifted at 0.1', hasStat: false },
    { value: 'jsd', label: 'Jensen–Shannon distance (drift)', description: 'Distance between binned distributions, 0 to 1; drifted at 0.1', hasStat: false },
    { value: 'chisquare', label: 'Chi-square (categorical drift)', description: 'Test of category counts, new categories included; drifted at p < 0.05', hasStat: false },
    { value: 'drift_lag', label: 'Drift detection lag', description: 'First drifted bucket → its alert (given, or the retraining trigger)', hasStat: false },
    { value: 'accuracy', label: 'Accuracy', description: 'Right predictions ÷ predictions with an outcome; no outcomes yet: null', hasStat: false },
    { value: 'precision', label: 'Precision', description: 'TP ÷ predicted positives', hasStat: false },
    { value: 'recall', label: 'Recall', description: 'TP ÷ actual positives', hasStat: false },
    { value: 'f1', label: 'F1', description: 'Harmonic mean of precision and recall', hasStat: false },
    { value: 'mae', label: 'MAE', description: 'Mean absolute error of numeric predictions', hasStat: false },
    { value: 'rmse', label: 'RMSE', description: 'Root mean squared error of numeric predictions', hasStat: false },
    { value: 'mean_confidence', label: 'Mean confidence', description: 'Mean confidence (or max(score, 1 − score)) of the predictions', hasStat: false },
    { value: 'predictions', label: 'Predictions', description: 'Predictions per bucket', hasStat: false },
    { value: 'labelled', label: 'Predictions with an outcome', description: 'Predictions whose outcome has arrived', hasStat: false },
    { value: 'demographic_parity_difference', label: 'Demographic parity difference', description: 'Max − min selection rate between segments', hasStat: false },
    { value: 'disparate_impact_ratio', label: 'Disparate impact ratio', description: 'Min ÷ max selection rate (four-fifths rule: 0.8)', hasStat: false },
    { value: 'equalized_odds_difference', label: 'Equalized odds difference', description: 'Worst gap in true or false positive rate between segments', hasStat: false },
    { value: 'fairness', label: 'Fairness by segment (table)', description: 'Per segment: selection, true and false positive rates', hasStat: false },
    { value: 'retrain', label: 'Retraining trigger', description: '1 once drift held N buckets or performance passed its threshold; table: why', hasStat: false },
  ],
  prometheus: [
    { value: 'series', label: 'PromQL series', description: 'The series of the expression, labelled by their Prometheus labels', hasStat: false },
  ],
};

/** Dimensions each family can group and filter by (pkg/metrics/<family> allow-lists). */
export const FAMILY_DIMENSIONS: Record<QueryType, string[]> = {
  // Action item metrics take owner, team, service and source; coverage and repeats the incident ones.
  postmortems: ['service', 'team', 'severity', 'detected_by', 'source', 'owner'],
  // Alert metrics take alertname, service, team, severity, receiver and source; detection metrics the incident ones.
  alerts: ['alertname', 'service', 'team', 'severity', 'receiver', 'source', 'detected_by'],
  // Filters choose the incidents a backtest scores against.
  backtest: ['service', 'team', 'severity', 'detected_by', 'source'],
  incidents: ['service', 'team', 'severity', 'detected_by', 'source'],
  delivery: ['service', 'team', 'environment', 'status', 'source'],
  adoption: ['team', 'department', 'tool', 'feature'],
  annotations: ['service', 'team', 'severity', 'environment', 'status'],
  // kpi, owner, indicator for KPI series (and label.<name> in query JSON); service, team, severity for incident_cost.
  kpi: ['kpi', 'owner', 'indicator', 'service', 'team', 'severity'],
  spc: [],
  kaizen: ['event', 'owner', 'status'],
  flow: ['value_stream', 'stage', 'team', 'type', 'source'],
  slo: ['slo', 'service', 'team'],
  // model and feature are picked in the model editor (filters.model, filters.feature).
  model: ['model_version'],
  // Group and filter in PromQL (sum by (service), {service="api"}).
  prometheus: [],
};

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
};

/** Dimensions each family can group and filter by (pkg/metrics/<family> allow-lists). */
export const FAMILY_DIMENSIONS: Record<QueryType, string[]> = {
  incidents: ['service', 'team', 'severity', 'detected_by', 'source'],
  delivery: ['service', 'team', 'environment', 'status', 'source'],
  adoption: ['team', 'department', 'tool', 'feature'],
  annotations: ['service', 'team', 'severity', 'environment', 'status'],
  // kpi, owner, indicator for KPI series (and label.<name> in query JSON); service, team, severity for incident_cost.
  kpi: ['kpi', 'owner', 'indicator', 'service', 'team', 'severity'],
  spc: [],
};
